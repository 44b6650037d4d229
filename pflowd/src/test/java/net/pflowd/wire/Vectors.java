package net.pflowd.wire;

import java.net.InetAddress;
import net.pflowd.flow.FlowRecord;

/**
 * The records behind the golden vectors, and the vectors themselves, written by hand from the format
 * layouts (values: 10.0.0.1:12345 > 10.0.0.2:80 TCP, TOS 0x10, 10 packets, 1500 octets, if 1 > 2,
 * start/end 1000/2500 ms after the uptime origin 1_700_000_000_000 = 0x18bcfe56800).
 */
public final class Vectors {
    private Vectors() {
    }

    public static final long ORIGIN = 1_700_000_000_000L;
    /** The exporter of the vectors: sysUptime counts from {@link #ORIGIN}. */
    public static final ExporterId EXPORTER = new ExporterId(42, 42, 42, ORIGIN);

    public static FlowRecord ipv4() {
        FlowRecord r = new FlowRecord();
        r.src(addr("10.0.0.1")).dst(addr("10.0.0.2"));
        r.srcPort = 12345;
        r.dstPort = 80;
        r.protocol = 6;
        r.tos = 0x10;
        r.packets = 10;
        r.bytes = 1500;
        r.inputIf = 1;
        r.outputIf = 2;
        r.startMillis = ORIGIN + 1000;
        r.endMillis = ORIGIN + 2500;
        return r;
    }

    public static FlowRecord ipv6() {
        FlowRecord r = ipv4();
        r.src(addr("2001:db8::1")).dst(addr("2001:db8::2"));
        return r;
    }

    /** SNAT of the IPv4 record: 10.0.0.1:12345 leaves as 192.0.2.1:40000. */
    public static FlowRecord natIpv4() {
        FlowRecord r = ipv4();
        r.nat = true;
        r.postSrc(addr("192.0.2.1")).postDst(addr("10.0.0.2"));
        r.postSrcPort = 40000;
        r.postDstPort = 80;
        return r;
    }

    public static FlowRecord natIpv6() {
        FlowRecord r = ipv6();
        r.nat = true;
        r.postSrc(addr("2001:db8::100")).postDst(addr("2001:db8::2"));
        r.postSrcPort = 40000;
        r.postDstPort = 80;
        return r;
    }

    public static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    // ---- v5 ----

    /** src | dst | nexthop | in | out | pkts | octets | First | Last | sport dport | pad flags proto tos | as as | masks pad */
    public static final String V5_RECORD =
            "0a00 0001  0a00 0002  0000 0000  0001 0002  0000 000a  0000 05dc  0000 03e8  0000 09c4"
            + "  3039 0050  0000 0610  0000 0000  0000 0000";

    // ---- IPFIX ----

    /** The common tail after the addresses: in | out | pkts (8) | octets (8) | start ms (8) | end ms (8) | ports | tos proto */
    private static final String IPFIX_TAIL =
            "0000 0001  0000 0002  0000 0000 0000 000a  0000 0000 0000 05dc"
            + "  0000 018b cfe5 6be8  0000 018b cfe5 71c4  3039 0050  1006";

    public static final String IPFIX_IPV4_RECORD = "0a00 0001  0a00 0002  " + IPFIX_TAIL;

    public static final String IPFIX_IPV6_RECORD =
            "2001 0db8 0000 0000 0000 0000 0000 0001  2001 0db8 0000 0000 0000 0000 0000 0002  " + IPFIX_TAIL;

    /** IPv4 record + post-NAT src 192.0.2.1 | dst 10.0.0.2 | sport 40000 | dport 80 */
    public static final String IPFIX_NAT_IPV4_RECORD = IPFIX_IPV4_RECORD + "  c000 0201  0a00 0002  9c40 0050";

    public static final String IPFIX_NAT_IPV6_RECORD = IPFIX_IPV6_RECORD
            + "  2001 0db8 0000 0000 0000 0000 0000 0100  2001 0db8 0000 0000 0000 0000 0000 0002  9c40 0050";

    private static final String V4_FIELDS_HEAD = "0008 0004  000c 0004";
    private static final String V6_FIELDS_HEAD = "001b 0010  001c 0010";
    /** in, out, packetDeltaCount 2 (8), octetDeltaCount 1 (8) */
    private static final String COMMON_FIELDS = "  000a 0004  000e 0004  0002 0008  0001 0008";
    /** ports 7, 11 (2), ipClassOfService 5 (1), protocolIdentifier 4 (1) */
    private static final String PORT_FIELDS = "  0007 0002  000b 0002  0005 0001  0004 0001";
    private static final String NAT4_FIELDS = "  00e1 0004  00e2 0004  00e3 0002  00e4 0002";
    private static final String NAT6_FIELDS = "  0119 0010  011a 0010  00e3 0002  00e4 0002";

    /** Set id 2, length 244 = 4 + (4 + 12*4) * 2 + (4 + 16*4) * 2; times 152/153, 8 bytes. */
    public static final String IPFIX_TEMPLATE_SET = "0002 00f4"
            + "  0100 000c  " + V4_FIELDS_HEAD + COMMON_FIELDS + "  0098 0008  0099 0008" + PORT_FIELDS
            + "  0101 000c  " + V6_FIELDS_HEAD + COMMON_FIELDS + "  0098 0008  0099 0008" + PORT_FIELDS
            + "  0102 0010  " + V4_FIELDS_HEAD + COMMON_FIELDS + "  0098 0008  0099 0008" + PORT_FIELDS + NAT4_FIELDS
            + "  0103 0010  " + V6_FIELDS_HEAD + COMMON_FIELDS + "  0098 0008  0099 0008" + PORT_FIELDS + NAT6_FIELDS;

    // ---- v9 ----

    /** Same as IPFIX with FIRST_SWITCHED 22 / LAST_SWITCHED 21, 4 bytes. */
    public static final String V9_TEMPLATE_FLOWSET = "0000 00f4"
            + "  0100 000c  " + V4_FIELDS_HEAD + COMMON_FIELDS + "  0016 0004  0015 0004" + PORT_FIELDS
            + "  0101 000c  " + V6_FIELDS_HEAD + COMMON_FIELDS + "  0016 0004  0015 0004" + PORT_FIELDS
            + "  0102 0010  " + V4_FIELDS_HEAD + COMMON_FIELDS + "  0016 0004  0015 0004" + PORT_FIELDS + NAT4_FIELDS
            + "  0103 0010  " + V6_FIELDS_HEAD + COMMON_FIELDS + "  0016 0004  0015 0004" + PORT_FIELDS + NAT6_FIELDS;

    /** in | out | pkts (8) | octets (8) | first 1000 ms | last 2500 ms | ports | tos proto */
    private static final String V9_TAIL =
            "0000 0001  0000 0002  0000 0000 0000 000a  0000 0000 0000 05dc  0000 03e8  0000 09c4  3039 0050  1006";

    public static final String V9_IPV4_RECORD = "0a00 0001  0a00 0002  " + V9_TAIL;
    public static final String V9_IPV6_RECORD =
            "2001 0db8 0000 0000 0000 0000 0000 0001  2001 0db8 0000 0000 0000 0000 0000 0002  " + V9_TAIL;
    public static final String V9_NAT_IPV4_RECORD = V9_IPV4_RECORD + "  c000 0201  0a00 0002  9c40 0050";
    public static final String V9_NAT_IPV6_RECORD = V9_IPV6_RECORD
            + "  2001 0db8 0000 0000 0000 0000 0000 0100  2001 0db8 0000 0000 0000 0000 0000 0002  9c40 0050";
}
