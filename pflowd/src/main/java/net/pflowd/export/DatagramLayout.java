package net.pflowd.export;

import net.pflowd.wire.Ipfix;
import net.pflowd.wire.NetflowV5;
import net.pflowd.wire.NetflowV9;
import net.pflowd.wire.RecordFamily;
import net.pflowd.wire.UdpPacketBuilder;

/**
 * How many records fit one datagram, and the MTU pflowN shows, from the requested MTU.
 *
 * <p>pflow's formulas, made exact: pflow subtracts the message header and a 28-byte IPv4+UDP header but
 * not the IPFIX set header, so its datagrams can exceed the MTU by 4 bytes; here the set header and the
 * real IP header of the collector's family (20 or 40, + 8 UDP) are counted, and no datagram exceeds the
 * MTU. For an IPv4 collector at MTU 1500 the counts are still pflow's: v5 30, IPFIX IPv4 26, IPv6 18.
 * v5 and IPFIX are capped at 30 records (PFLOW_MAXFLOWS); v9 packs as many as fit.
 */
public final class DatagramLayout {
    /** PFLOW_MAXFLOWS: records per datagram for v5 and IPFIX. */
    public static final int MAX_FLOWS = 30;
    /** PFLOW_MINMTU. The real floor is {@link #minimumMtu}: one record of every family must fit. */
    public static final int MIN_MTU = 72;
    /** The largest MTU accepted (a jumbo frame). */
    public static final int MAX_MTU = 9216;

    private DatagramLayout() {
    }

    /** IP + UDP header length towards the collector: 28 (IPv4) or 48 (IPv6). */
    public static int ipUdpLength(boolean collectorIpv6) {
        return (collectorIpv6 ? UdpPacketBuilder.IPV6_HEADER_LENGTH : UdpPacketBuilder.IPV4_HEADER_LENGTH)
                + UdpPacketBuilder.UDP_HEADER_LENGTH;
    }

    /** Records of a family per datagram (v5: every IPv4 record, NAT or not, is one v5 record). */
    public static int recordsPerDatagram(int version, int mtu, boolean collectorIpv6, RecordFamily f) {
        int room = mtu - ipUdpLength(collectorIpv6);
        switch (version) {
            case NetflowV5.VERSION:
                return Math.min(MAX_FLOWS, (room - NetflowV5.HEADER_LENGTH) / NetflowV5.RECORD_LENGTH);
            case Ipfix.VERSION:
                return Math.min(MAX_FLOWS,
                        (room - Ipfix.HEADER_LENGTH - Ipfix.SET_HEADER_LENGTH) / Ipfix.recordLength(f));
            case NetflowV9.VERSION: {
                int n = (room - NetflowV9.HEADER_LENGTH - NetflowV9.FLOWSET_HEADER_LENGTH) / NetflowV9.recordLength(f);
                while (n > 0 && NetflowV9.HEADER_LENGTH + NetflowV9.dataFlowsetLength(f, n) > room) {
                    n--; // padding to 4 did not fit
                }
                return n;
            }
            default:
                throw new InvalidExportSettingsException("unsupported version " + version);
        }
    }

    /**
     * The MTU pflowN reports, pflow's formula: v5 {@code 24 + 28 + maxcount * 48} (1492 at 1500), IPFIX
     * {@code 16 + 28 + maxcount4 * 54} (1448 at 1500), v9 the requested MTU.
     */
    public static int interfaceMtu(int version, int mtu, boolean collectorIpv6) {
        switch (version) {
            case NetflowV5.VERSION:
                return NetflowV5.HEADER_LENGTH + 28
                        + recordsPerDatagram(version, mtu, collectorIpv6, RecordFamily.IPV4) * NetflowV5.RECORD_LENGTH;
            case Ipfix.VERSION:
                return Ipfix.HEADER_LENGTH + 28 + recordsPerDatagram(version, mtu, collectorIpv6, RecordFamily.IPV4)
                        * Ipfix.recordLength(RecordFamily.IPV4);
            default:
                return mtu;
        }
    }

    /**
     * The smallest MTU at which one record of every family the version carries fits a datagram: v5 100
     * (IPv4 collector) / 120 (IPv6 collector), IPFIX 162 / 182, v9 160 / 180. Below it pflow would send
     * datagrams larger than the MTU; pflowd refuses the setting instead.
     */
    public static int minimumMtu(int version, boolean collectorIpv6) {
        int ipUdp = ipUdpLength(collectorIpv6);
        switch (version) {
            case NetflowV5.VERSION:
                return Math.max(MIN_MTU, ipUdp + NetflowV5.HEADER_LENGTH + NetflowV5.RECORD_LENGTH);
            case Ipfix.VERSION:
                return Math.max(MIN_MTU, ipUdp + Ipfix.HEADER_LENGTH + Ipfix.SET_HEADER_LENGTH
                        + Ipfix.recordLength(RecordFamily.NAT_IPV6));
            case NetflowV9.VERSION:
                return Math.max(MIN_MTU, ipUdp + NetflowV9.HEADER_LENGTH
                        + NetflowV9.dataFlowsetLength(RecordFamily.NAT_IPV6, 1));
            default:
                throw new InvalidExportSettingsException("unsupported version " + version);
        }
    }
}
