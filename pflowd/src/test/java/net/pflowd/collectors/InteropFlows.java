package net.pflowd.collectors;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.pflowd.flow.FlowRecord;

/**
 * The fixed flows of the collector interop test: one of each kind pflow exports (IPv4 TCP/UDP/ICMP,
 * IPv6, source- and destination-NAT IPv4, NAT IPv6, counters above 32 bits), then enough plain IPv4 and
 * IPv6 flows to fill several datagrams of every version. Every flow has a distinct 5-tuple, so a
 * collector's records can be matched to what was sent by tuple.
 */
public final class InteropFlows {
    /** 2024-01-15T10:00:00Z: the flows start after this. */
    public static final long T0 = 1_705_312_800_000L;
    /** The exporter's sysUptime origin: it "booted" 1 h 0.25 s before T0 (ms not on a second boundary). */
    public static final long UPTIME_ORIGIN = T0 - 3_600_250L;
    /** The exporter's clock when the export starts (again not on a second boundary). */
    public static final long EXPORT_START = T0 + 600_437L;
    /** Number of bulk flows after the named ones. */
    public static final int BULK = 100;

    private InteropFlows() {
    }

    /** Name of each flow (the named ones first, then "bulk-N") to its record, in export order. */
    public static Map<String, FlowRecord> all() {
        Map<String, FlowRecord> m = new LinkedHashMap<>();
        int[] n = {0};
        java.util.function.Function<String, FlowRecord> next = name -> {
            FlowRecord r = new FlowRecord();
            int i = n[0]++;
            r.startMillis = T0 + 1000L * i + (i * 37L) % 1000;
            r.endMillis = r.startMillis + 500 + 11L * i;
            m.put(name, r);
            return r;
        };
        FlowRecord r;
        r = next.apply("tcp4").src(ip("10.1.2.3")).dst(ip("192.0.2.10"));
        set(r, 6, 40000, 443, 0x10, 12, 3456);
        r.inputIf = 3;
        r.outputIf = 5;
        r = next.apply("udp4").src(ip("10.1.2.4")).dst(ip("198.51.100.7"));
        set(r, 17, 5353, 53, 0, 2, 150);
        r = next.apply("icmp4-echo").src(ip("10.1.2.5")).dst(ip("192.0.2.20"));
        set(r, 1, 0, 8 << 8, 0, 4, 336); // echo request: type 8 code 0 in dstport
        r = next.apply("icmp4-unreach").src(ip("192.0.2.21")).dst(ip("10.1.2.5"));
        set(r, 1, 0, 3 << 8 | 3, 0xc0, 1, 576); // port unreachable
        r = next.apply("tcp6").src(ip("2001:db8::1:5")).dst(ip("2001:db8:ffff::80"));
        set(r, 6, 50000, 80, 0x28, 40, 52_000);
        r.inputIf = 7;
        r.outputIf = 2;
        r = next.apply("udp6").src(ip("2001:db8::1:6")).dst(ip("2001:db8:ffff::53"));
        set(r, 17, 50001, 53, 0, 1, 98);
        r = next.apply("icmp6-echo").src(ip("2001:db8::1:7")).dst(ip("2001:db8:ffff::1"));
        set(r, 58, 0, 128 << 8, 0, 3, 312);
        r = next.apply("nat4-snat").src(ip("10.0.0.5")).dst(ip("203.0.113.9"));
        set(r, 6, 51000, 80, 0, 10, 1200);
        nat(r, ip("192.0.2.1"), 62000, ip("203.0.113.9"), 80);
        r = next.apply("nat4-dnat").src(ip("198.51.100.20")).dst(ip("192.0.2.1"));
        set(r, 6, 33000, 8080, 0, 9, 10_500);
        nat(r, ip("198.51.100.20"), 33000, ip("10.0.0.8"), 80);
        r = next.apply("nat6").src(ip("2001:db8:1::5")).dst(ip("2001:db8:2::9"));
        set(r, 17, 51001, 443, 0x04, 7, 7777);
        nat(r, ip("2001:db8:ff::5"), 51001, ip("2001:db8:2::9"), 443);
        r = next.apply("big4").src(ip("10.9.9.9")).dst(ip("192.0.2.99"));
        set(r, 6, 44444, 5001, 0, 7_000_000L, 10_000_000_000L);
        r = next.apply("big6").src(ip("2001:db8::99")).dst(ip("2001:db8:ffff::99"));
        set(r, 6, 44445, 5001, 0, 6_000_000L, 8_589_934_592L + 12_345);
        for (int i = 0; i < BULK; i++) {
            boolean v6 = i % 5 == 4;
            r = next.apply("bulk-" + i);
            if (v6) {
                r.src(ip("2001:db8:10::" + Integer.toHexString(i + 1))).dst(ip("2001:db8:20::" + Integer.toHexString(i + 1)));
            } else {
                r.src(ip("10.2." + (i / 250) + "." + (i % 250 + 1))).dst(ip("192.0.2." + (i % 200 + 1)));
            }
            set(r, i % 2 == 0 ? 6 : 17, 20000 + i, 1000 + 7 * i, (i % 4) << 2, 1 + i, 64L * (1 + i) + i);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The records of {@link #all()} as a list, export order. */
    public static List<FlowRecord> list() {
        return new ArrayList<>(all().values());
    }

    private static void set(FlowRecord r, int proto, int sport, int dport, int tos, long packets, long bytes) {
        r.protocol = proto;
        r.srcPort = sport;
        r.dstPort = dport;
        r.tos = tos;
        r.packets = packets;
        r.bytes = bytes;
    }

    private static void nat(FlowRecord r, InetAddress postSrc, int postSport, InetAddress postDst, int postDport) {
        r.nat = true;
        r.postSrc(postSrc).postDst(postDst);
        r.postSrcPort = postSport;
        r.postDstPort = postDport;
    }

    /** An address from its literal (never a name: nothing is looked up). */
    static InetAddress ip(String literal) {
        if (!literal.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an address literal: " + literal);
        }
        try {
            return InetAddress.getByName(literal); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
