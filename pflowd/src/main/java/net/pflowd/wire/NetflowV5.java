package net.pflowd.wire;

import java.nio.ByteBuffer;
import net.pflowd.flow.FlowRecord;

/**
 * NetFlow v5 as OpenBSD pflow(4) sends it.
 *
 * <pre>
 * header (24): version 5 (2) | count (2) | sysUptime ms (4) | unix_secs (4) | unix_nsecs (4)
 *              | flow_sequence (4) | engine_type (1) | engine_id (1) | sampling_interval 0 (2)
 * record (48): srcaddr (4) | dstaddr (4) | nexthop 0 (4) | input (2) | output (2) | dPkts (4) | dOctets (4)
 *              | First (4) | Last (4) | srcport (2) | dstport (2) | pad (1) | tcp_flags (1) | prot (1)
 *              | tos (1) | src_as 0 (2) | dst_as 0 (2) | src_mask 0 (1) | dst_mask 0 (1) | pad (2)
 * </pre>
 *
 * <p>IPv4 only. Counters are 32 bits: a record whose packets or octets exceed 0xffffffff is sent as
 * {@link #splitCount} records whose counts add up exactly to the true totals ({@link #share}); pflow
 * instead repeats the packet count in each split record. Interface indexes are 16 bits: one above 65535 is
 * sent as 0, unknown ({@link #interface16}).
 */
public final class NetflowV5 implements ExportFormat {
    public static final int VERSION = 5;
    public static final int HEADER_LENGTH = 24;
    public static final int RECORD_LENGTH = 48;
    public static final long MAX_COUNTER = 0xffffffffL;

    /** The format, for the export engine. */
    public static final NetflowV5 FORMAT = new NetflowV5();

    private NetflowV5() {
    }

    @Override
    public int version() {
        return VERSION;
    }

    /** One IPv4 layout: NAT records go as plain IPv4 records (the pre-NAT view); IPv6 cannot be carried. */
    @Override
    public RecordFamily datagramFamily(RecordFamily f) {
        return f.isIpv6() ? null : RecordFamily.IPV4;
    }

    @Override
    public int dataOffset() {
        return HEADER_LENGTH;
    }

    @Override
    public int recordsFitting(int room, RecordFamily f) {
        return Math.min(MAX_FLOWS, (room - HEADER_LENGTH) / RECORD_LENGTH);
    }

    @Override
    public int minimumPayload() {
        return HEADER_LENGTH + RECORD_LENGTH;
    }

    /** pflow's {@code 24 + 28 + maxcount * 48}: 1492 at 1500. */
    @Override
    public int interfaceMtu(int mtu, boolean collectorIpv6) {
        return HEADER_LENGTH + 28 + recordsPerDatagram(mtu, collectorIpv6, RecordFamily.IPV4) * RECORD_LENGTH;
    }

    @Override
    public long recordCount(FlowRecord r) {
        return ((r.packets | r.bytes) >>> 32) == 0 ? 1 : splitCount(r.packets, r.bytes); // the common case first
    }

    @Override
    public void putRecord(ByteBuffer b, FlowRecord r, long i, long n, ExporterId id) {
        if (n == 1) {
            putRecord(b, r, id, r.packets, r.bytes);
        } else {
            putRecord(b, r, id, share(r.packets, n, i), share(r.bytes, n, i));
        }
    }

    @Override
    public int finishData(ByteBuffer b, RecordFamily f, int count, long nowMillis, long sequence, ExporterId id) {
        int length = b.position();
        putHeader(b, 0, count, nowMillis, sequence, id);
        return length;
    }

    /** flow_sequence counts the records sent before. */
    @Override
    public boolean sequenceCountsPackets() {
        return false;
    }

    @Override
    public boolean hasTemplates() {
        return false;
    }

    @Override
    public boolean refreshesTemplatesByPackets() {
        return false;
    }

    @Override
    public int templateDatagramLength() {
        return 0;
    }

    @Override
    public int putTemplates(ByteBuffer b, RecordFamily only, long nowMillis, long sequence, ExporterId id) {
        throw new UnsupportedOperationException("NetFlow v5 has no templates");
    }

    /** Writes the header at {@code at} (absolute). */
    public static void putHeader(ByteBuffer b, int at, int count, long nowMillis, long flowSequence, ExporterId id) {
        b.putShort(at, (short) VERSION);
        b.putShort(at + 2, (short) count);
        b.putInt(at + 4, id.uptime(nowMillis));
        b.putInt(at + 8, (int) Math.floorDiv(nowMillis, 1000L));
        b.putInt(at + 12, (int) (Math.floorMod(nowMillis, 1000L) * 1_000_000L));
        b.putInt(at + 16, (int) flowSequence);
        b.put(at + 20, (byte) id.engineType());
        b.put(at + 21, (byte) id.engineId());
        b.putShort(at + 22, (short) 0);
    }

    /**
     * Number of records needed for the given unsigned 64-bit totals: max(ceil(bytes/0xffffffff),
     * ceil(packets/0xffffffff)), at least 1.
     */
    public static long splitCount(long packets, long bytes) {
        return Math.max(1, Math.max(ceilDiv(packets), ceilDiv(bytes)));
    }

    private static long ceilDiv(long unsignedTotal) {
        long q = Long.divideUnsigned(unsignedTotal, MAX_COUNTER);
        return Long.remainderUnsigned(unsignedTotal, MAX_COUNTER) == 0 ? q : q + 1;
    }

    /**
     * Part {@code i} (0-based) of {@code n} of an unsigned total: floor(total/n), plus one for the first
     * total mod n parts, so the parts add up to the total and none exceeds 0xffffffff when
     * n >= {@link #splitCount}.
     */
    public static long share(long unsignedTotal, long n, long i) {
        long q = Long.divideUnsigned(unsignedTotal, n);
        return Long.compareUnsigned(i, Long.remainderUnsigned(unsignedTotal, n)) < 0 ? q + 1 : q;
    }

    /**
     * An interface index as v5's 16-bit field carries it: an index above 65535 (Linux indexes only grow, and a
     * host that creates many interfaces passes it) becomes 0, "unknown", rather than the index of some other
     * interface that truncation would name (pflow(4) truncates).
     */
    public static int interface16(int ifindex) {
        return ifindex >= 0 && ifindex <= 0xffff ? ifindex : 0;
    }

    /** Writes one record of an IPv4 flow with the given (already split) counts at the position. */
    public static void putRecord(ByteBuffer b, FlowRecord r, ExporterId id, long packets, long octets) {
        b.putInt((int) r.srcLo).putInt((int) r.dstLo).putInt(0)
                .putShort((short) interface16(r.inputIf)).putShort((short) interface16(r.outputIf))
                .putInt((int) packets).putInt((int) octets)
                .putInt(id.uptime(r.startMillis))
                .putInt(id.uptime(r.endMillis))
                .putShort((short) r.srcPort).putShort((short) r.dstPort)
                .put((byte) 0).put((byte) r.tcpFlags).put((byte) r.protocol).put((byte) r.tos)
                .putLong(0L); // src_as, dst_as, src_mask, dst_mask, pad
    }
}
