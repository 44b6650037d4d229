package net.pflowd.wire;

import java.nio.ByteBuffer;
import net.pflowd.flow.FlowRecord;

/**
 * One flow export format as the export engine drives it: how many records of each family a datagram holds
 * under an MTU, how a record is written, the header a datagram gets when it leaves, and the templates. One
 * implementation per version ({@link NetflowV5#FORMAT}, {@link NetflowV9#FORMAT}, {@link Ipfix#FORMAT});
 * pure: it writes into the caller's buffer and keeps no state.
 *
 * <p>A datagram carries records of one family ({@link #datagramFamily}) starting at {@link #dataOffset};
 * {@link #finishData} writes the headers in front of them. pflow's datagram sizes are kept, made exact: pflow
 * subtracts the message header and a 28-byte IPv4 + UDP header from the MTU but not the IPFIX set header, so its
 * datagrams can exceed the MTU by 4 bytes; here the set header and the real IP header of the collector's family
 * are counted, and no datagram exceeds the MTU. For an IPv4 collector at MTU 1500 the counts are pflow's: v5 30,
 * IPFIX IPv4 26, IPv6 18.
 */
public interface ExportFormat {
    /** PFLOW_MINMTU. The real floor is {@link #minimumMtu}: one record of every family must fit. */
    int MIN_MTU = 72;
    /** The largest MTU accepted (a jumbo frame). */
    int MAX_MTU = 9216;
    /** PFLOW_MAXFLOWS: records per datagram for v5 and IPFIX. */
    int MAX_FLOWS = 30;

    /** The format of a version number (5, 9 or 10); null for any other. */
    static ExportFormat of(int version) {
        switch (version) {
            case NetflowV5.VERSION:
                return NetflowV5.FORMAT;
            case NetflowV9.VERSION:
                return NetflowV9.FORMAT;
            case Ipfix.VERSION:
                return Ipfix.FORMAT;
            default:
                return null;
        }
    }

    /** The version number its headers carry. */
    int version();

    /** The family whose datagrams carry records of family {@code f}; null when the format cannot carry them. */
    RecordFamily datagramFamily(RecordFamily f);

    /** Where a datagram's first record goes: after the message header (and the set header). */
    int dataOffset();

    /** Records of family {@code f} that fit {@code room} bytes of UDP payload. */
    int recordsFitting(int room, RecordFamily f);

    /** The UDP payload a datagram with one record of the largest family needs. */
    int minimumPayload();

    /** The MTU pflowN shows for a requested MTU: pflow's formula. */
    int interfaceMtu(int mtu, boolean collectorIpv6);

    /** Records of family {@code f} per datagram under {@code mtu} to a collector of the given family. */
    default int recordsPerDatagram(int mtu, boolean collectorIpv6, RecordFamily f) {
        return recordsFitting(mtu - UdpPacketBuilder.ipUdpLength(collectorIpv6), f);
    }

    /** The smallest MTU at which one record of every family fits a datagram; below it the setting is refused. */
    default int minimumMtu(boolean collectorIpv6) {
        return Math.max(MIN_MTU, UdpPacketBuilder.ipUdpLength(collectorIpv6) + minimumPayload());
    }

    /** How many records {@code r} becomes (v5 splits counters above 32 bits; 1 elsewhere). */
    long recordCount(FlowRecord r);

    /** Writes part {@code i} of the {@code n} records {@code r} becomes at the buffer's position. */
    void putRecord(ByteBuffer b, FlowRecord r, long i, long n, ExporterId id);

    /**
     * Completes the data datagram in {@code b} ({@code count} records of family {@code f} from {@link
     * #dataOffset} up to the position): padding, set and message headers. Returns its length.
     */
    int finishData(ByteBuffer b, RecordFamily f, int count, long nowMillis, long sequence, ExporterId id);

    /**
     * What the header's sequence number counts: export packets, template packets included (v9), or the data
     * records sent before (v5 and IPFIX, whose template messages do not move it).
     */
    boolean sequenceCountsPackets();

    /** Whether the format sends templates (v9, IPFIX). */
    boolean hasTemplates();

    /** Whether templates are also refreshed after a number of packets (v9, as mpd), not only by time. */
    boolean refreshesTemplatesByPackets();

    /** Length of a datagram with all four templates, message header included. */
    int templateDatagramLength();

    /**
     * Writes a template datagram at the start of {@code b}: all four templates, or only {@code only}'s when not
     * null. Returns its length.
     */
    int putTemplates(ByteBuffer b, RecordFamily only, long nowMillis, long sequence, ExporterId id);
}
