package net.pflowd.source.pfctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every real fixture parses to the states it shows (expected values read from the files by hand). */
class PfctlParserTest {
    static String fixture(String name) throws IOException {
        try (InputStream in = PfctlParserTest.class.getResourceAsStream("/pfctl/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    static void host(PfState.Host h, String addr, int port) throws Exception {
        assertThat(h).isNotNull();
        assertThat(h.address()).isEqualTo(ip(addr));
        assertThat(h.port()).isEqualTo(port);
    }

    @Test
    void opnsense261VvRdrReplyTo() throws Exception {
        PfctlParser.Result r = PfctlParser.parse(fixture("opnsense-26.1-freebsd-14.3-vv-rdr-replyto.txt"));
        assertThat(r.errors()).isZero(); // the two ALTQ warnings are known noise
        assertThat(r.truncated()).isFalse();
        assertThat(r.states()).hasSize(3);

        PfState a = r.states().get(0);
        assertThat(a.ifname()).isEqualTo("all");
        assertThat(a.protocol()).isEqualTo(6);
        assertThat(a.outbound()).isFalse();
        host(a.left(), "192.168.20.98", 443);
        host(a.leftOrig(), "192.168.1.202", 443);
        host(a.right(), "178.213.45.35", 55192);
        assertThat(a.rightOrig()).isNull();
        assertThat(a.peerStates()).isEqualTo("TIME_WAIT:TIME_WAIT");
        assertThat(a.ageSeconds()).isEqualTo(23 * 60 + 35);
        assertThat(a.expiresSeconds()).isEqualTo(6 * 60 + 23);
        assertThat(a.hasCounters()).isTrue();
        assertThat(a.origPackets()).isEqualTo(761);
        assertThat(a.replyPackets()).isEqualTo(779);
        assertThat(a.origBytes()).isEqualTo(127015);
        assertThat(a.replyBytes()).isEqualTo(150057);
        assertThat(a.rule()).isEqualTo(84);
        assertThat(a.anchor()).isEqualTo(-1);
        assertThat(a.flags()).isEmpty();
        assertThat(a.pflow()).isFalse();
        assertThat(a.id()).isEqualTo("7d029a6900000000");
        assertThat(a.creatorId()).isEqualTo("58075cf3");
        assertThat(a.idExtra()).isEqualTo("reply-to: 192.168.1.1@igc4");
        assertThat(a.origIf()).isEqualTo("igc4");
        assertThat(a.key()).isEqualTo("7d029a6900000000/58075cf3");
        // initiator is the right host of a "<-" line, the parenthesised host is the pre-rdr address
        host(a.initiator(), "178.213.45.35", 55192);
        host(a.initiatorOrig(), "178.213.45.35", 55192);
        host(a.responderOrig(), "192.168.1.202", 443);
        host(a.responder(), "192.168.20.98", 443);

        PfState b = r.states().get(1);
        assertThat(b.outbound()).isTrue();
        host(b.left(), "178.213.45.35", 55192);
        host(b.right(), "192.168.20.98", 443);
        assertThat(b.leftOrig()).isNull();
        assertThat(b.rightOrig()).isNull();
        assertThat(b.rule()).isEqualTo(71);
        assertThat(b.flags()).containsExactly("allow-opts");
        assertThat(b.id()).isEqualTo("7e029a6900000000");
        assertThat(b.idExtra()).isEmpty();
        assertThat(b.origIf()).isEqualTo("igc1");
        assertThat(b.origPackets()).isEqualTo(761); // counters are per creation direction, not mirrored
        assertThat(b.replyBytes()).isEqualTo(150057);

        PfState c = r.states().get(2);
        assertThat(c.peerStates()).isEqualTo("ESTABLISHED:ESTABLISHED");
        host(c.leftOrig(), "31.30.119.249", 443);
        host(c.right(), "178.213.45.35", 47748);
        assertThat(c.ageSeconds()).isEqualTo(22 * 60 + 38);
        assertThat(c.expiresSeconds()).isEqualTo(23 * 3600 + 59 * 60 + 57);
        assertThat(c.origPackets()).isEqualTo(929);
        assertThat(c.replyPackets()).isEqualTo(757);
        assertThat(c.origBytes()).isEqualTo(135354);
        assertThat(c.replyBytes()).isEqualTo(145841);
        assertThat(c.rule()).isEqualTo(80);
        assertThat(c.id()).isEqualTo("7d039a6900000000");
        assertThat(c.idExtra()).isEqualTo("reply-to: 10.26.202.187@pppoe1");
        assertThat(c.origIf()).isEqualTo("pppoe1");
    }

    @Test
    void opnsense227VvGatewaySourceTrack() throws Exception {
        PfctlParser.Result r = PfctlParser.parse(fixture("opnsense-22.7-freebsd-13.1-vv-gateway-sourcetrack.txt"));
        assertThat(r.errors()).isZero();
        assertThat(r.states()).hasSize(1);
        PfState s = r.states().get(0);
        assertThat(s.outbound()).isFalse();
        host(s.left(), "10.37.132.100", 22);
        host(s.right(), "10.37.132.1", 49460);
        assertThat(s.ageSeconds()).isEqualTo(3600 + 32 * 60 + 36);
        assertThat(s.expiresSeconds()).isEqualTo(24 * 3600);
        assertThat(s.origPackets()).isEqualTo(755);
        assertThat(s.replyPackets()).isEqualTo(820);
        assertThat(s.origBytes()).isEqualTo(52857);
        assertThat(s.replyBytes()).isEqualTo(205889);
        assertThat(s.rule()).isEqualTo(113);
        assertThat(s.flags()).containsExactly("source-track");
        assertThat(s.id()).isEqualTo("6694fa6200000003");
        assertThat(s.creatorId()).isEqualTo("a2e0f312");
        assertThat(s.idExtra()).isEqualTo("gateway: 0.0.0.0");
        assertThat(s.origIf()).isEqualTo("le0");
    }

    @Test
    void opnsense257AnonymisedPeerIsCountedAndSkipped() throws Exception {
        // The poster replaced the peer address with the text "a.b.c.d": not an address, so both
        // records are not understood; nothing is guessed and nothing is resolved.
        PfctlParser.Result r = PfctlParser.parse(fixture("opnsense-25.7-freebsd-14.3-ss-udp.txt"));
        assertThat(r.states()).isEmpty();
        assertThat(r.errors()).isEqualTo(2);
        assertThat(r.samples()).hasSize(2).allMatch(s -> s.contains("a.b.c.d"));
    }

    @Test
    void freebsd2014PlainNatRdrIcmpUdp() throws Exception {
        PfctlParser.Result r = PfctlParser.parse(fixture("freebsd-2014-ss-nat-rdr-icmp-udp.txt"));
        assertThat(r.errors()).isZero();
        assertThat(r.states()).hasSize(11);
        for (PfState s : r.states()) {
            assertThat(s.hasCounters()).isFalse(); // plain -ss: no line 3
            assertThat(s.ageSeconds()).isEqualTo(-1);
            assertThat(s.id()).isNull();
        }
        PfState ssh = r.states().get(2);
        assertThat(ssh.outbound()).isTrue();
        host(ssh.left(), "10.30.50.1", 18550);
        host(ssh.right(), "10.30.50.3", 22);
        assertThat(ssh.key()).isEqualTo("all tcp 10.30.50.1:18550 -> 10.30.50.3:22");

        PfState rdr = r.states().get(3);
        assertThat(rdr.outbound()).isFalse();
        host(rdr.left(), "10.30.50.3", 80);
        host(rdr.leftOrig(), "10.0.2.15", 80);
        host(rdr.right(), "10.0.2.2", 35520);
        assertThat(rdr.peerStates()).isEqualTo("FIN_WAIT_2:FIN_WAIT_2");

        PfState udp = r.states().get(5);
        assertThat(udp.protocol()).isEqualTo(17);
        assertThat(udp.peerStates()).isEqualTo("SINGLE:MULTIPLE");
        host(udp.left(), "10.30.50.1", 53);
        host(udp.right(), "10.30.50.3", 59363);

        PfState icmpIn = r.states().get(7);
        assertThat(icmpIn.protocol()).isEqualTo(1);
        assertThat(icmpIn.outbound()).isFalse();
        host(icmpIn.left(), "144.76.222.201", 3782);
        host(icmpIn.right(), "10.30.50.3", 3782);
        assertThat(icmpIn.peerStates()).isEqualTo("0:0");

        PfState icmpNat = r.states().get(8);
        assertThat(icmpNat.outbound()).isTrue();
        host(icmpNat.left(), "10.0.2.15", 25608);
        host(icmpNat.leftOrig(), "10.30.50.3", 3782);
        host(icmpNat.right(), "144.76.222.201", 25608);
        assertThat(icmpNat.rightOrig()).isNull();

        host(r.states().get(10).left(), "10.0.2.15", 15999);
    }

    @Test
    void openbsd59RdrToAndDivertTo() throws Exception {
        PfctlParser.Result r = PfctlParser.parse(fixture("openbsd-5.9-ss-rdrto-divertto.txt"));
        assertThat(r.errors()).isZero();
        assertThat(r.states()).hasSize(2);
        PfState rdr = r.states().get(0);
        host(rdr.left(), "192.168.3.1", 8443);
        host(rdr.leftOrig(), "192.168.111.130", 80);
        host(rdr.right(), "192.168.3.2", 47310);
        PfState divert = r.states().get(1);
        host(divert.left(), "192.168.111.130", 80);
        assertThat(divert.leftOrig()).isNull(); // divert-to does not translate
        host(divert.right(), "192.168.3.2", 47452);
    }

    @Test
    void macos1010LegacyThreeHostLine() throws Exception {
        PfctlParser.Result r = PfctlParser.parse(fixture("macos-10.10-ss-legacy-3host-rdr.txt"));
        assertThat(r.errors()).isZero();
        assertThat(r.states()).hasSize(2);
        PfState out = r.states().get(0);
        assertThat(out.ifname()).isEqualTo("ALL");
        assertThat(out.outbound()).isTrue();
        host(out.left(), "172.16.7.27", 59833);
        host(out.right(), "10.82.16.60", 389);
        // "lan <- gwy <- ext": lan (stack, after rdr) is the plain host, gwy the pre-rdr one
        PfState rdr = r.states().get(1);
        assertThat(rdr.outbound()).isFalse();
        host(rdr.left(), "127.0.0.1", 12300);
        host(rdr.leftOrig(), "10.82.16.60", 389);
        host(rdr.right(), "172.16.7.27", 59833);
        assertThat(rdr.peerStates()).isEqualTo("ESTABLISHED:ESTABLISHED");
    }

    @Test
    void macosUdpIpv4AndIpv6() throws Exception {
        PfctlParser.Result r = PfctlParser.parse(fixture("macos-ss-udp-ipv4-ipv6-testexpect.txt"));
        assertThat(r.errors()).isZero();
        assertThat(r.states()).hasSize(4);
        PfState v4out = r.states().get(0);
        host(v4out.left(), "127.0.0.1", 1338);
        host(v4out.right(), "127.0.0.1", 1337);
        assertThat(v4out.peerStates()).isEqualTo("SINGLE:NO_TRAFFIC");
        PfState v6out = r.states().get(2);
        assertThat(v6out.outbound()).isTrue();
        assertThat(v6out.left().address().getAddress()).hasSize(16);
        host(v6out.left(), "::1", 1338);
        host(v6out.right(), "::1", 1337);
        PfState v6in = r.states().get(3);
        assertThat(v6in.outbound()).isFalse();
        host(v6in.left(), "::1", 1337);
        host(v6in.right(), "::1", 1338);
        assertThat(v6in.peerStates()).isEqualTo("NO_TRAFFIC:SINGLE");
    }

    // ---- constructed listings (from the format description; no real capture exists) ----

    static final String OPENBSD_VV = String.join("\n",
            "all tcp 203.0.113.5:51000 (192.168.1.10:43210) -> 198.51.100.7:443 {203.0.113.1}       ESTABLISHED:ESTABLISHED",
            "   [1000 + 64240](+77) wscale 7  [2000 + 65535] wscale 8",
            "   age 127:03:09, expires in 23:59:58, 1200:1800 pkts, 90000:18446744073709551615 bytes, anchor 3, rule 0, pflow",
            "   id: 5f3c9a1200001234 creatorid: 0a0b0c0d",
            "em0 ipv6-icmp 2001:db8::1[4711] -> 2001:db8:ff::2[128]       0:0",
            "   age 00:00:05, expires in 00:00:10, 3:3 pkts, 312:312 bytes, rule 2, pflow",
            "   id: 5f3c9a1200001235 creatorid: 0a0b0c0d",
            "vio0 tcp (1) 10.1.0.1:22 <- (1) 10.1.0.2:50000       <BAD STATE LEVELS 12:13>",
            "   age 00:00:01, expires in 00:00:30, 1:0 pkts, 60:0 bytes",
            "   id: 5f3c9a1200001236 creatorid: 0a0b0c0d",
            "all udp 64:ff9b::c633:6407[53] (192.168.1.10:5353) -> 198.51.100.7:53       SINGLE:NO_TRAFFIC",
            "   age 00:00:01, expires in 00:00:30, 1:0 pkts, 60:0 bytes, pflow",
            "   id: 5f3c9a1200001237 creatorid: 0a0b0c0d",
            "all gre 10.0.0.1 -> 10.0.0.2       MULTIPLE:MULTIPLE",
            "   age 00:01:00, expires in 00:00:30, 10:10 pkts, 1000:1000 bytes, rule 1, sloppy, set-tos 0x10",
            "   id: 5f3c9a1200001238 creatorid: 0a0b0c0d (no-sync)",
            "");

    @Test
    void constructedOpenbsdVvWithPflowRdomainRouteAndIpv6() throws Exception {
        PfctlParser.Result r = PfctlParser.parse(OPENBSD_VV);
        assertThat(r.errors()).isZero();
        assertThat(r.states()).hasSize(5);

        PfState nat = r.states().get(0);
        host(nat.left(), "203.0.113.5", 51000);
        host(nat.leftOrig(), "192.168.1.10", 43210);
        host(nat.right(), "198.51.100.7", 443); // the {route-to} address is skipped
        assertThat(nat.ageSeconds()).isEqualTo(127 * 3600 + 3 * 60 + 9);
        assertThat(nat.replyBytes()).isEqualTo(-1L); // 2^64-1, unsigned
        assertThat(Long.toUnsignedString(nat.replyBytes())).isEqualTo("18446744073709551615");
        assertThat(nat.anchor()).isEqualTo(3);
        assertThat(nat.rule()).isZero();
        assertThat(nat.pflow()).isTrue();
        assertThat(nat.key()).isEqualTo("5f3c9a1200001234/0a0b0c0d");

        PfState icmp6 = r.states().get(1);
        assertThat(icmp6.protocol()).isEqualTo(58);
        host(icmp6.left(), "2001:db8::1", 4711);
        host(icmp6.right(), "2001:db8:ff::2", 128);

        PfState rd = r.states().get(2);
        assertThat(rd.left().rdomain()).isEqualTo(1);
        host(rd.right(), "10.1.0.2", 50000);
        assertThat(rd.peerStates()).isEqualTo("<BAD STATE LEVELS 12:13>");
        assertThat(rd.pflow()).isFalse();

        PfState afto = r.states().get(3);
        assertThat(afto.mixedFamily()).isTrue();
        host(afto.left(), "64:ff9b::c633:6407", 53);
        host(afto.leftOrig(), "192.168.1.10", 5353);

        PfState gre = r.states().get(4);
        assertThat(gre.protocol()).isEqualTo(47);
        host(gre.left(), "10.0.0.1", 0);
        assertThat(gre.flags()).containsExactly("sloppy", "set-tos 0x10");
        assertThat(gre.idExtra()).isEqualTo("(no-sync)");
    }

    @Test
    void unknownLinesAreCountedAndSkippedNeverFatal() {
        String text = String.join("\n",
                "   age 00:00:01, expires in 00:00:30, 1:0 pkts, 60:0 bytes", // orphan continuation
                "all tcp 10.0.0.1:1 -> 10.0.0.2:2       ESTABLISHED:ESTABLISHED",
                "   something new in a later pfctl",                            // unknown: record kept
                "   age 00:00:01, expires in 00:00:30, 5:6 pkts, 70:80 bytes",
                "all tcp somehost.example:22 -> 10.0.0.2:2       ESTABLISHED:ESTABLISHED", // -r names
                "   age 00:00:01, expires in 00:00:30, 1:0 pkts, 60:0 bytes",
                "all tcp 10.0.0.3:1 -> 10.0.0.4:2       ESTABLISHED:ESTABLISHED",
                "   age 00:00:01, expires in 00:00:30, 1:0 pkts, lots bytes",   // bad counters: dropped
                "   id: 0000000000000009 creatorid: 00000001",
                "all tcp 10.0.0.5:1 -> 10.0.0.6:99999       ESTABLISHED:ESTABLISHED", // port out of range
                "all tcp 10.0.0.7:1 => 10.0.0.8:2       ESTABLISHED:ESTABLISHED",      // unknown arrow
                "all tcp 10.0.0.7:1 -> 10.0.0.8:2",                                    // no state pair
                "all tcp 300.0.0.7:1 -> 10.0.0.8:2       ESTABLISHED:ESTABLISHED",     // not an address
                "all tcp 10.0.0.9:1 (10.0.0.10:2 -> 10.0.0.8:2       ESTABLISHED:ESTABLISHED", // unclosed
                "STATES:",
                "--",
                "",
                "all udp 10.0.0.11:53 <- 10.0.0.12:5353       SINGLE:MULTIPLE",
                "");
        PfctlParser.Result r = PfctlParser.parse(text);
        assertThat(r.states()).hasSize(2);
        assertThat(r.states().get(0).origBytes()).isEqualTo(70);
        assertThat(r.states().get(0).replyPackets()).isEqualTo(6);
        assertThat(r.states().get(1).protocol()).isEqualTo(17);
        assertThat(r.errors()).isEqualTo(9);
        assertThat(r.truncated()).isFalse();
    }

    @Test
    void cutListingDropsItsLastRecord() throws Exception {
        String full = fixture("opnsense-26.1-freebsd-14.3-vv-rdr-replyto.txt");
        // cut inside the third record's counter line, where the cut text still parses ("rule 8" of
        // "rule 80"): only the missing newline tells, and the record is dropped
        int cut = full.indexOf("rule 80") + 6;
        PfctlParser.Result r = PfctlParser.parse(full.substring(0, cut));
        assertThat(r.truncated()).isTrue();
        assertThat(r.states()).hasSize(2);
        assertThat(r.errors()).isEqualTo(1);

        // cut exactly after the id line of the third record: its last line looks whole, but the
        // caller knows the output was cut, so the record (missing its origif) is dropped too
        int afterId = full.indexOf("\n", full.indexOf("7d039a6900000000")) + 1;
        r = PfctlParser.parse(full.substring(0, afterId), true);
        assertThat(r.truncated()).isTrue();
        assertThat(r.states()).hasSize(2);
        assertThat(r.errors()).isEqualTo(1);

        // without the flag a listing ending in a newline is whole
        r = PfctlParser.parse(full.substring(0, afterId));
        assertThat(r.states()).hasSize(3);
        assertThat(r.truncated()).isFalse();
    }

    @Test
    void garbageNeverThrows() {
        java.util.Random rnd = new java.util.Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[rnd.nextInt(2000)];
            rnd.nextBytes(b);
            String s = new String(b, StandardCharsets.ISO_8859_1);
            PfctlParser.Result r = PfctlParser.parse(s);
            assertThat(r.states()).isEmpty();
        }
        // mutilations of a real record: every prefix parses or is counted, never throws
        String line = "all tcp 192.168.20.98:443 (192.168.1.202:443) <- 178.213.45.35:55192       TIME_WAIT:TIME_WAIT\n"
                + "   age 00:23:35, expires in 00:06:23, 761:779 pkts, 127015:150057 bytes, rule 84\n";
        for (int i = 0; i <= line.length(); i++) {
            PfctlParser.Result r = PfctlParser.parse(line.substring(0, i) + "\n");
            assertThat(r.states().size() + r.errors()).isGreaterThanOrEqualTo(i > 0 ? 1 : 0);
        }
    }

    @Test
    void addressParsingIsStrictAndNumeric() {
        assertThat(PfctlParser.ipv4("1.2.3.4")).containsExactly(1, 2, 3, 4);
        assertThat(PfctlParser.ipv4("1.2.3")).isNull();
        assertThat(PfctlParser.ipv4("1.2.3.256")).isNull();
        assertThat(PfctlParser.ipv4("a.b.c.d")).isNull();
        assertThat(PfctlParser.ipv6Bytes("::")).hasSize(16).containsOnly(0);
        assertThat(PfctlParser.ipv6Bytes("::ffff:10.0.0.1")).containsExactly(
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 0, 0, 1);
        assertThat(PfctlParser.ipv6Bytes("2001:db8::1")).containsExactly(
                0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        assertThat(PfctlParser.ipv6Bytes("fe80::1:2:3:4:5:6:7")).isNull(); // 9 words
        assertThat(PfctlParser.ipv6Bytes("1:2:3:4:5:6:7:8")).isNotNull();
        assertThat(PfctlParser.ipv6Bytes("1::2::3")).isNull();
        assertThat(PfctlParser.ipv6Bytes("12345::")).isNull();
        assertThat(PfctlParser.ipv6Bytes("host.example")).isNull();
        assertThat(PfctlParser.ipv6Bytes("1:2:3:4:5:6:7::")).isNotNull();
    }
}
