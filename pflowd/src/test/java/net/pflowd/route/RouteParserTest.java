package net.pflowd.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.pflowd.flow.FlowRecord;
import net.pflowd.linux.Rtnetlink;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors: RTM_NEWROUTE messages of an RTM_GETROUTE dump, captured on x86-64 (kernel 6.18; netlink
 * headers little-endian, addresses big-endian) in a network namespace with two veths, d0 (ifindex 2,
 * 192.0.2.1/24, 2001:db8:1::1/64) and d1 (ifindex 3, 198.51.100.1/24, 2001:db8:2::1/64), and these routes:
 * <pre>
 * ip route add default via 192.0.2.254
 * ip route add 10.20.0.0/16 via 198.51.100.254 metric 50
 * ip route add 203.0.113.0/25 nexthop via 198.51.100.7 nexthop via 192.0.2.7
 * ip route add unreachable 10.99.0.0/16
 * ip -6 route add default via 2001:db8:1::fe
 * ip -6 route add 2001:db8:100::/48 nexthop via 2001:db8:2::7 nexthop via 2001:db8:1::7
 * </pre>
 * Each message decoded field by field from the layouts in {@code <linux/rtnetlink.h>}.
 */
class RouteParserTest {
    /** default via 192.0.2.254 dev d0 (ifindex 2), main table */
    static final String DEFAULT4 = ""
            + "340000001800020001000000183e0000" // nlmsghdr: len 52 type 24 (RTM_NEWROUTE) flags 0x2 (NLM_F_MULTI) seq 1 pid 15896
            + "02000000fe03000100000000" // rtmsg: family 2 (AF_INET) dst_len 0 src_len 0 tos 0 table 254 protocol 3 (boot) scope 0 (universe) type 1 (RTN_UNICAST) flags 0
            + "08000f00fe000000" // RTA_TABLE = 254 (main)
            + "08000500c00002fe" // RTA_GATEWAY = 192.0.2.254
            + "0800040002000000" // RTA_OIF = 2
            ;

    /** 10.20.0.0/16 via 198.51.100.254 dev d1 (ifindex 3) metric 50 */
    static final String METRIC4 = ""
            + "440000001800020001000000183e0000" // nlmsghdr: len 68 type 24 (RTM_NEWROUTE) flags 0x2 (NLM_F_MULTI) seq 1 pid 15896
            + "02100000fe03000100000000" // rtmsg: family 2 dst_len 16 src_len 0 tos 0 table 254 protocol 3 scope 0 type 1 (RTN_UNICAST) flags 0
            + "08000f00fe000000" // RTA_TABLE = 254
            + "080001000a140000" // RTA_DST = 10.20.0.0
            + "0800060032000000" // RTA_PRIORITY = 50
            + "08000500c63364fe" // RTA_GATEWAY = 198.51.100.254
            + "0800040003000000" // RTA_OIF = 3
            ;

    /** unreachable 10.99.0.0/16 (no interface) */
    static final String UNREACHABLE4 = ""
            + "2c0000001800020001000000183e0000" // nlmsghdr: len 44 type 24 (RTM_NEWROUTE) flags 0x2 (NLM_F_MULTI) seq 1 pid 15896
            + "02100000fe03000700000000" // rtmsg: family 2 dst_len 16 src_len 0 tos 0 table 254 protocol 3 scope 0 type 7 (RTN_UNREACHABLE) flags 0
            + "08000f00fe000000" // RTA_TABLE = 254
            + "080001000a630000" // RTA_DST = 10.99.0.0
            ;

    /** 203.0.113.0/25 nexthop via 198.51.100.7 dev d1 (3) nexthop via 192.0.2.7 dev d0 (2) */
    static final String MULTIPATH4 = ""
            + "500000001800020001000000183e0000" // nlmsghdr: len 80 type 24 (RTM_NEWROUTE) flags 0x2 (NLM_F_MULTI) seq 1 pid 15896
            + "02190000fe03000100000000" // rtmsg: family 2 dst_len 25 src_len 0 tos 0 table 254 protocol 3 scope 0 type 1 (RTN_UNICAST) flags 0
            + "08000f00fe000000" // RTA_TABLE = 254
            + "08000100cb007100" // RTA_DST = 203.0.113.0
            + "24000900" // RTA_MULTIPATH len 36
            + "1000000003000000" //   rtnexthop: len 16 flags 0 hops 0 ifindex 3
            + "08000500c6336407" //     RTA_GATEWAY = 198.51.100.7
            + "1000000002000000" //   rtnexthop: len 16 flags 0 hops 0 ifindex 2
            + "08000500c0000207" //     RTA_GATEWAY = 192.0.2.7
            ;

    /** local 192.0.2.1 dev d0 table local */
    static final String LOCAL4 = ""
            + "3c0000001800020001000000183e0000" // nlmsghdr: len 60 type 24 (RTM_NEWROUTE) flags 0x2 (NLM_F_MULTI) seq 1 pid 15896
            + "02200000ff02fe0200000000" // rtmsg: family 2 dst_len 32 src_len 0 tos 0 table 255 protocol 2 (kernel) scope 254 (host) type 2 (RTN_LOCAL) flags 0
            + "08000f00ff000000" // RTA_TABLE = 255 (local)
            + "08000100c0000201" // RTA_DST = 192.0.2.1
            + "08000700c0000201" // RTA_PREFSRC = 192.0.2.1
            + "0800040002000000" // RTA_OIF = 2
            ;

    /** broadcast 192.0.2.255 dev d0 table local (not a local address for us) */
    static final String BROADCAST4 = ""
            + "3c0000001800020001000000183e0000" // nlmsghdr: len 60 type 24 (RTM_NEWROUTE) flags 0x2 (NLM_F_MULTI) seq 1 pid 15896
            + "02200000ff02fd0300000000" // rtmsg: family 2 dst_len 32 src_len 0 tos 0 table 255 protocol 2 scope 253 (link) type 3 (RTN_BROADCAST) flags 0
            + "08000f00ff000000" // RTA_TABLE = 255
            + "08000100c00002ff" // RTA_DST = 192.0.2.255
            + "08000700c0000201" // RTA_PREFSRC = 192.0.2.1
            + "0800040002000000" // RTA_OIF = 2
            ;

    /** 2001:db8:100::/48 metric 1024 nexthop via 2001:db8:2::7 dev d1 (3) nexthop via 2001:db8:1::7 dev d0 (2) */
    static final String MULTIPATH6 = ""
            + "a80000001800020001000000173e0000" // nlmsghdr: len 168 type 24 (RTM_NEWROUTE) flags 0x2 (NLM_F_MULTI) seq 1 pid 15895
            + "0a300000fe03000100000000" // rtmsg: family 10 (AF_INET6) dst_len 48 src_len 0 tos 0 table 254 protocol 3 scope 0 type 1 (RTN_UNICAST) flags 0
            + "08000f00fe000000" // RTA_TABLE = 254
            + "1400010020010db8010000000000000000000000" // RTA_DST = 2001:db8:100::
            + "0800060000040000" // RTA_PRIORITY = 1024
            + "3c000900" // RTA_MULTIPATH len 60
            + "1c00000003000000" //   rtnexthop: len 28 flags 0 hops 0 ifindex 3
            + "1400050020010db8000200000000000000000007" //     RTA_GATEWAY = 2001:db8:2::7
            + "1c00000002000000" //   rtnexthop: len 28 flags 0 hops 0 ifindex 2
            + "1400050020010db8000100000000000000000007" //     RTA_GATEWAY = 2001:db8:1::7
            + "24000c000000000000000000000000000000000000000000000000000000000000000000" // RTA_CACHEINFO len 36 (struct rta_cacheinfo, all zero)
            + "0500140000000000" // RTA_PREF len 5 = 0 (medium), padded to 8
            ;

    /** default via 2001:db8:1::fe dev d0 (2) metric 1024 */
    static final String DEFAULT6 = ""
            + "740000001800020001000000173e0000" // nlmsghdr: len 116 type 24 (RTM_NEWROUTE) flags 0x2 (NLM_F_MULTI) seq 1 pid 15895
            + "0a000000fe03000100000000" // rtmsg: family 10 dst_len 0 src_len 0 tos 0 table 254 protocol 3 scope 0 type 1 (RTN_UNICAST) flags 0
            + "08000f00fe000000" // RTA_TABLE = 254
            + "0800060000040000" // RTA_PRIORITY = 1024
            + "1400050020010db80001000000000000000000fe" // RTA_GATEWAY = 2001:db8:1::fe
            + "0800040002000000" // RTA_OIF = 2
            + "24000c000000000000000000000000000000000000000000000000000000000000000000" // RTA_CACHEINFO len 36 (struct rta_cacheinfo, all zero)
            + "0500140000000000" // RTA_PREF len 5 = 0 (medium), padded to 8
            ;

    /** 2001:db8:2::/64 dev d1 (3) proto kernel metric 256 */
    static final String CONNECTED6 = ""
            + "740000001800020001000000173e0000" // nlmsghdr: len 116 type 24 (RTM_NEWROUTE) flags 0x2 (NLM_F_MULTI) seq 1 pid 15895
            + "0a400000fe02000100000000" // rtmsg: family 10 dst_len 64 src_len 0 tos 0 table 254 protocol 2 (kernel) scope 0 type 1 (RTN_UNICAST) flags 0
            + "08000f00fe000000" // RTA_TABLE = 254
            + "1400010020010db8000200000000000000000000" // RTA_DST = 2001:db8:2::
            + "0800060000010000" // RTA_PRIORITY = 256
            + "0800040003000000" // RTA_OIF = 3
            + "24000c000000000000000000000000000000000000000000000000000000000000000000" // RTA_CACHEINFO len 36 (struct rta_cacheinfo, all zero)
            + "0500140000000000" // RTA_PREF len 5 = 0 (medium), padded to 8
            ;

    /** local 2001:db8:1::1 dev d0 table local */
    static final String LOCAL6 = ""
            + "740000001800020001000000173e0000" // nlmsghdr: len 116 type 24 (RTM_NEWROUTE) flags 0x2 (NLM_F_MULTI) seq 1 pid 15895
            + "0a800000ff02000200000000" // rtmsg: family 10 dst_len 128 src_len 0 tos 0 table 255 protocol 2 (kernel) scope 0 type 2 (RTN_LOCAL) flags 0
            + "08000f00ff000000" // RTA_TABLE = 255 (local)
            + "1400010020010db8000100000000000000000001" // RTA_DST = 2001:db8:1::1
            + "0800060000000000" // RTA_PRIORITY = 0
            + "0800040002000000" // RTA_OIF = 2
            + "24000c000000000000000000000000000000000000000000000000000000000000000000" // RTA_CACHEINFO len 36 (struct rta_cacheinfo, all zero)
            + "0500140000000000" // RTA_PREF len 5 = 0 (medium), padded to 8
            ;

    /** NLMSG_DONE ending dump 1 (nlmsghdr + the int the kernel puts after it), made by hand. */
    static final String DONE = ""
            + "140000000300020001000000183e0000" // nlmsghdr: len 20 type 3 (NLMSG_DONE) flags 0x2 seq 1 pid 15896
            + "00000000" // int 0
            ;

    private static ByteBuffer buffer(String... hex) {
        byte[] b = HexFormat.of().parseHex(String.join("", hex));
        return ByteBuffer.allocate(b.length).order(ByteOrder.nativeOrder()).put(b).flip();
    }

    /** A copy of each route the parser reports, and what else it saw. */
    static final class Collected implements RouteParser.Handler {
        final List<RouteEntry> routes = new ArrayList<>();
        final List<String> malformed = new ArrayList<>();
        int done = -1;

        @Override
        public void route(RouteEntry r) {
            RouteEntry c = new RouteEntry();
            c.msgType = r.msgType; c.nlFlags = r.nlFlags; c.seq = r.seq; c.family = r.family; c.table = r.table;
            c.type = r.type; c.dstLen = r.dstLen; c.srcLen = r.srcLen; c.tos = r.tos; c.flags = r.flags;
            c.dstHi = r.dstHi; c.dstLo = r.dstLo; c.priority = r.priority; c.oif = r.oif; c.nexthopId = r.nexthopId;
            routes.add(c);
        }

        @Override
        public void done(int seq) {
            done = seq;
        }

        @Override
        public void malformed(String why) {
            malformed.add(why);
        }
    }

    private static Collected parse(String... hex) {
        ByteBuffer b = buffer(hex);
        Collected c = new Collected();
        new RouteParser().parseDatagram(b, b.remaining(), c);
        return c;
    }

    private static RouteEntry one(String hex) {
        Collected c = parse(hex);
        assertThat(c.malformed).isEmpty();
        assertThat(c.routes).hasSize(1);
        return c.routes.get(0);
    }

    private static long[] halves(String address) throws Exception {
        return FlowRecord.halves(InetAddress.getByName(address));
    }

    @Test
    void defaultRouteHasNoDestinationAndItsInterface() {
        RouteEntry r = one(DEFAULT4);
        assertThat(r.msgType).isEqualTo(Rtnetlink.RTM_NEWROUTE);
        assertThat(r.seq).isEqualTo(1);
        assertThat(r.family).isEqualTo(FlowRecord.IPV4);
        assertThat(r.table).isEqualTo(Rtnetlink.RT_TABLE_MAIN);
        assertThat(r.type).isEqualTo(Rtnetlink.RTN_UNICAST);
        assertThat(r.dstLen).isZero();
        assertThat(r.dstLo).isZero();
        assertThat(r.oif).isEqualTo(2);
        assertThat(r.priority).isZero();
    }

    @Test
    void prefixMetricAndInterface() throws Exception {
        RouteEntry r = one(METRIC4);
        assertThat(r.dstLen).isEqualTo(16);
        assertThat(r.dstLo).isEqualTo(halves("10.20.0.0")[1]);
        assertThat(r.dstHi).isZero();
        assertThat(r.priority).isEqualTo(50);
        assertThat(r.oif).isEqualTo(3);
    }

    @Test
    void unreachableRouteHasNoInterface() throws Exception {
        RouteEntry r = one(UNREACHABLE4);
        assertThat(r.type).isEqualTo(Rtnetlink.RTN_UNREACHABLE);
        assertThat(r.dstLo).isEqualTo(halves("10.99.0.0")[1]);
        assertThat(r.oif).isZero();
    }

    @Test
    void multipathGivesTheFirstNexthopsInterface() throws Exception {
        RouteEntry r4 = one(MULTIPATH4);
        assertThat(r4.dstLen).isEqualTo(25);
        assertThat(r4.dstLo).isEqualTo(halves("203.0.113.0")[1]);
        assertThat(r4.oif).isEqualTo(3);
        RouteEntry r6 = one(MULTIPATH6);
        assertThat(r6.family).isEqualTo(FlowRecord.IPV6);
        assertThat(r6.dstLen).isEqualTo(48);
        assertThat(new long[] {r6.dstHi, r6.dstLo}).isEqualTo(halves("2001:db8:100::"));
        assertThat(r6.priority).isEqualTo(1024);
        assertThat(r6.oif).isEqualTo(3);
    }

    @Test
    void deadFirstNexthopIsPassedOver() {
        // MULTIPATH4 with RTNH_F_DEAD set on the first nexthop (its flags byte, 0x01)
        String dead = MULTIPATH4.replace("1000000003000000", "1000010003000000");
        assertThat(dead).isNotEqualTo(MULTIPATH4);
        assertThat(one(dead).oif).isEqualTo(2);
    }

    @Test
    void localTableRoutes() throws Exception {
        RouteEntry local = one(LOCAL4);
        assertThat(local.table).isEqualTo(Rtnetlink.RT_TABLE_LOCAL);
        assertThat(local.type).isEqualTo(Rtnetlink.RTN_LOCAL);
        assertThat(local.dstLen).isEqualTo(32);
        assertThat(local.dstLo).isEqualTo(halves("192.0.2.1")[1]);
        RouteEntry broadcast = one(BROADCAST4);
        assertThat(broadcast.type).isEqualTo(Rtnetlink.RTN_BROADCAST);
        RouteEntry local6 = one(LOCAL6);
        assertThat(local6.family).isEqualTo(FlowRecord.IPV6);
        assertThat(local6.table).isEqualTo(Rtnetlink.RT_TABLE_LOCAL);
        assertThat(local6.type).isEqualTo(Rtnetlink.RTN_LOCAL);
        assertThat(local6.dstLen).isEqualTo(128);
        assertThat(new long[] {local6.dstHi, local6.dstLo}).isEqualTo(halves("2001:db8:1::1"));
    }

    @Test
    void ipv6RoutesWithCacheInfoAndPreference() throws Exception {
        RouteEntry def = one(DEFAULT6);
        assertThat(def.dstLen).isZero();
        assertThat(def.oif).isEqualTo(2);
        assertThat(def.priority).isEqualTo(1024);
        RouteEntry connected = one(CONNECTED6);
        assertThat(new long[] {connected.dstHi, connected.dstLo}).isEqualTo(halves("2001:db8:2::"));
        assertThat(connected.dstLen).isEqualTo(64);
        assertThat(connected.oif).isEqualTo(3);
        assertThat(connected.priority).isEqualTo(256);
    }

    @Test
    void aWholeDatagramMakesTheTableTheKernelWouldUse() throws Exception {
        Collected c = parse(DEFAULT4, METRIC4, UNREACHABLE4, MULTIPATH4, LOCAL4, BROADCAST4,
                MULTIPATH6, DEFAULT6, CONNECTED6, LOCAL6, DONE);
        assertThat(c.malformed).isEmpty();
        assertThat(c.routes).hasSize(10);
        assertThat(c.done).isEqualTo(1);
        RouteTable.Builder b = RouteTable.builder();
        c.routes.forEach(b::add);
        RouteTable t = b.build();
        assertThat(t.routes()).isEqualTo(9); // the broadcast route does not count
        assertThat(lookup(t, "8.8.8.8")).isEqualTo(2); // default
        assertThat(lookup(t, "10.20.30.40")).isEqualTo(3); // /16 via d1
        assertThat(lookup(t, "10.99.1.1")).isZero(); // unreachable
        assertThat(lookup(t, "203.0.113.100")).isEqualTo(3); // multipath: first nexthop
        assertThat(lookup(t, "203.0.113.200")).isEqualTo(2); // outside the /25: default
        assertThat(lookup(t, "192.0.2.1")).isZero(); // the host's own address
        assertThat(lookup(t, "2001:db8:100:5::1")).isEqualTo(3);
        assertThat(lookup(t, "2001:db8:2::99")).isEqualTo(3);
        assertThat(lookup(t, "2001:db8:1::1")).isZero(); // local
        assertThat(lookup(t, "2001:4860::8888")).isEqualTo(2); // default
    }

    private static int lookup(RouteTable t, String address) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        long[] h = FlowRecord.halves(a);
        return t.interfaceFor(a.getAddress().length == 4 ? FlowRecord.IPV4 : FlowRecord.IPV6, h[0], h[1]);
    }

    @Test
    void aMessageLongerThanTheDatagramIsReportedAndNothingElse() {
        String cut = DEFAULT4.substring(0, DEFAULT4.length() - 8); // 48 of its 52 bytes
        Collected c = parse(cut);
        assertThat(c.routes).isEmpty();
        assertThat(c.malformed).singleElement().asString().contains("nlmsg_len 52");
    }

    @Test
    void anAttributeLongerThanItsMessageIsReported() {
        // RTA_OIF's nla_len 8 -> 0x40, past the end of the message; the next message still parses
        String bad = DEFAULT4.replace("0800040002000000", "4000040002000000");
        Collected c = parse(bad, METRIC4);
        assertThat(c.malformed).singleElement().asString().contains("attribute 4 of length 64");
        assertThat(c.routes).hasSize(1);
        assertThat(c.routes.get(0).oif).isEqualTo(3);
    }

    @Test
    void aDestinationOfTheWrongSizeIsReported() {
        // RTA_DST of METRIC4 claims 5 bytes (nla_len 9) for an IPv4 route
        String bad = METRIC4.replace("080001000a140000", "090001000a140000");
        Collected c = parse(bad);
        assertThat(c.routes).isEmpty();
        assertThat(c.malformed).singleElement().asString().contains("RTA_DST of 5 bytes");
    }
}
