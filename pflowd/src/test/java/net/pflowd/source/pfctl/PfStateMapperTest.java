package net.pflowd.source.pfctl;

import static net.pflowd.source.pfctl.PfctlParserTest.fixture;
import static net.pflowd.source.pfctl.PfctlParserTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowState;
import net.pflowd.flow.StateRecords;
import org.junit.jupiter.api.Test;

/** The pf-to-FlowState mapping on real states: nat-to, rdr-to, no translation, legacy, ICMP, IPv6. */
class PfStateMapperTest {
    private static FlowState map(PfState st) {
        FlowState f = new FlowState();
        assertThat(PfStateMapper.fill(st, 1000, 2000, f)).isTrue();
        return f;
    }

    private static List<FlowRecord> records(FlowState f) {
        List<FlowRecord> out = new ArrayList<>();
        StateRecords.emit(f, new FlowRecord(), r -> out.add(r.copy()));
        return out;
    }

    private static void orig(FlowState f, String src, int sp, String dst, int dp) throws Exception {
        FlowState want = new FlowState().orig(ip(src), sp, ip(dst), dp);
        assertThat(new long[] {f.origSrcHi, f.origSrcLo, f.origDstHi, f.origDstLo, f.origSrcPort, f.origDstPort})
                .as("orig").containsExactly(want.origSrcHi, want.origSrcLo, want.origDstHi, want.origDstLo, sp, dp);
    }

    private static void reply(FlowState f, String src, int sp, String dst, int dp) throws Exception {
        FlowState want = new FlowState().reply(ip(src), sp, ip(dst), dp);
        assertThat(new long[] {f.replySrcHi, f.replySrcLo, f.replyDstHi, f.replyDstLo, f.replySrcPort, f.replyDstPort})
                .as("reply").containsExactly(want.replySrcHi, want.replySrcLo, want.replyDstHi, want.replyDstLo, sp, dp);
    }

    @Test
    void rdrToInboundIsDnat() throws Exception {
        PfState st = PfctlParser.parse(fixture("opnsense-26.1-freebsd-14.3-vv-rdr-replyto.txt")).states().get(0);
        FlowState f = map(st);
        orig(f, "178.213.45.35", 55192, "192.168.1.202", 443);
        reply(f, "192.168.20.98", 443, "178.213.45.35", 55192);
        assertThat(f.isNat()).isTrue();
        assertThat(f.protocol).isEqualTo(6);
        assertThat(f.origPackets).isEqualTo(761);
        assertThat(f.origBytes).isEqualTo(127015);
        assertThat(f.replyPackets).isEqualTo(779);
        assertThat(f.replyBytes).isEqualTo(150057);
        assertThat(f.startMillis).isEqualTo(1000);
        assertThat(f.endMillis).isEqualTo(2000);

        List<FlowRecord> r = records(f);
        assertThat(r).hasSize(2);
        // client -> public address, post-NAT destination the real server
        assertThat(r.get(0).src()).isEqualTo(ip("178.213.45.35"));
        assertThat(r.get(0).dst()).isEqualTo(ip("192.168.1.202"));
        assertThat(r.get(0).bytes).isEqualTo(127015);
        assertThat(r.get(0).nat).isTrue();
        assertThat(r.get(0).postSrc()).isEqualTo(ip("178.213.45.35"));
        assertThat(r.get(0).postDst()).isEqualTo(ip("192.168.20.98"));
        assertThat(r.get(0).postDstPort).isEqualTo(443);
        // the answers, post-NAT source the real server
        assertThat(r.get(1).src()).isEqualTo(ip("192.168.1.202"));
        assertThat(r.get(1).dstPort).isEqualTo(55192);
        assertThat(r.get(1).packets).isEqualTo(779);
        assertThat(r.get(1).postSrc()).isEqualTo(ip("192.168.20.98"));
    }

    @Test
    void rdrToWithPortChange() throws Exception {
        PfState st = PfctlParser.parse(fixture("openbsd-5.9-ss-rdrto-divertto.txt")).states().get(0);
        FlowState f = map(st);
        orig(f, "192.168.3.2", 47310, "192.168.111.130", 80);
        reply(f, "192.168.3.1", 8443, "192.168.3.2", 47310);
        assertThat(f.isNat()).isTrue();
    }

    @Test
    void untranslatedOutboundAndInboundMirror() throws Exception {
        List<PfState> s = PfctlParser.parse(fixture("freebsd-2014-ss-nat-rdr-icmp-udp.txt")).states();
        FlowState out = map(s.get(2)); // 10.30.50.1:18550 -> 10.30.50.3:22
        orig(out, "10.30.50.1", 18550, "10.30.50.3", 22);
        reply(out, "10.30.50.3", 22, "10.30.50.1", 18550);
        assertThat(out.isNat()).isFalse();

        FlowState in = map(s.get(5)); // 10.30.50.1:53 <- 10.30.50.3:59363: the client is on the right
        assertThat(in.protocol).isEqualTo(17);
        orig(in, "10.30.50.3", 59363, "10.30.50.1", 53);
        reply(in, "10.30.50.1", 53, "10.30.50.3", 59363);
        assertThat(in.isNat()).isFalse();

        FlowState divert = map(PfctlParser.parse(fixture("openbsd-5.9-ss-rdrto-divertto.txt")).states().get(1));
        assertThat(divert.isNat()).isFalse();
    }

    @Test
    void natToIcmpIsSnatWithEchoTypes() throws Exception {
        List<PfState> s = PfctlParser.parse(fixture("freebsd-2014-ss-nat-rdr-icmp-udp.txt")).states();
        FlowState f = map(s.get(8)); // 10.0.2.15:25608 (10.30.50.3:3782) -> 144.76.222.201:25608
        assertThat(f.protocol).isEqualTo(1);
        orig(f, "10.30.50.3", 0, "144.76.222.201", 8 << 8);
        reply(f, "144.76.222.201", 0, "10.0.2.15", 0);
        assertThat(f.isNat()).isTrue();

        FlowState in = map(s.get(7)); // 144.76.222.201:3782 <- 10.30.50.3:3782, no translation
        orig(in, "10.30.50.3", 0, "144.76.222.201", 8 << 8);
        reply(in, "144.76.222.201", 0, "10.30.50.3", 0);
        assertThat(in.isNat()).isFalse();
    }

    @Test
    void legacyThreeHostRdr() throws Exception {
        List<PfState> s = PfctlParser.parse(fixture("macos-10.10-ss-legacy-3host-rdr.txt")).states();
        FlowState f = map(s.get(1)); // 127.0.0.1:12300 <- 10.82.16.60:389 <- 172.16.7.27:59833
        orig(f, "172.16.7.27", 59833, "10.82.16.60", 389);
        reply(f, "127.0.0.1", 12300, "172.16.7.27", 59833);
        assertThat(f.isNat()).isTrue();
        assertThat(map(s.get(0)).isNat()).isFalse();

        // legacy outbound "lan -> gwy -> ext" (constructed): lan is the internal source, gwy the NAT address
        PfState out = PfctlParser.parse("self tcp 10.0.0.5:1025 -> 192.0.2.1:60000 -> 198.51.100.9:80       SYN_SENT:CLOSED\n")
                .states().get(0);
        FlowState o = map(out);
        orig(o, "10.0.0.5", 1025, "198.51.100.9", 80);
        reply(o, "198.51.100.9", 80, "192.0.2.1", 60000);
    }

    @Test
    void ipv6AndIcmpv6() throws Exception {
        FlowState f = map(PfctlParser.parse(fixture("macos-ss-udp-ipv4-ipv6-testexpect.txt")).states().get(3));
        assertThat(f.family).isEqualTo(FlowRecord.IPV6);
        orig(f, "::1", 1338, "::1", 1337);
        assertThat(f.isNat()).isFalse();

        PfState icmp6 = PfctlParser.parse(PfctlParserTest.OPENBSD_VV).states().get(1);
        FlowState i = map(icmp6);
        assertThat(i.family).isEqualTo(FlowRecord.IPV6);
        orig(i, "2001:db8::1", 0, "2001:db8:ff::2", 128 << 8);
        reply(i, "2001:db8:ff::2", 0, "2001:db8::1", 129 << 8);
        List<FlowRecord> r = records(i);
        assertThat(r).hasSize(2);
        assertThat(r.get(0).dstPort).isEqualTo(128 << 8);
        assertThat(r.get(1).dstPort).isEqualTo(129 << 8);
        assertThat(r.get(1).bytes).isEqualTo(312);
    }

    @Test
    void natToTcpConstructed() throws Exception {
        PfState st = PfctlParser.parse(PfctlParserTest.OPENBSD_VV).states().get(0);
        FlowState f = map(st);
        orig(f, "192.168.1.10", 43210, "198.51.100.7", 443);
        reply(f, "198.51.100.7", 443, "203.0.113.5", 51000);
        List<FlowRecord> r = records(f);
        assertThat(r.get(0).postSrc()).isEqualTo(ip("203.0.113.5"));
        assertThat(r.get(0).postSrcPort).isEqualTo(51000);
        assertThat(r.get(0).postDst()).isEqualTo(ip("198.51.100.7"));
        assertThat(r.get(1).postDst()).isEqualTo(ip("203.0.113.5"));
    }

    @Test
    void afToIsRejected() {
        PfState afto = PfctlParser.parse(PfctlParserTest.OPENBSD_VV).states().get(3);
        assertThat(PfStateMapper.fill(afto, 0, 0, new FlowState())).isFalse();
    }

    // ---- interfaces ----

    /** An interface table of another host: names to indexes, 0 for the rest. */
    private static int remoteIndex(String name) {
        return switch (name) {
            case "igc4" -> 7;
            case "igc1" -> 8;
            case "em0" -> 3;
            case "vio0" -> 4;
            default -> 0;
        };
    }

    @Test
    void floatingStatesTakeFreebsdsOrigifOnTheSideTheCreatingPacketCrossed() throws Exception {
        List<PfState> s = PfctlParser.parse(fixture("opnsense-26.1-freebsd-14.3-vv-rdr-replyto.txt")).states();
        // all tcp 192.168.20.98:443 (192.168.1.202:443) <- 178.213.45.35:55192 ... origif: igc4
        FlowState in = map(s.get(0));
        PfStateMapper.fillInterfaces(s.get(0), PfStateMapperTest::remoteIndex, in);
        assertThat(in.inputIf).isEqualTo(7);
        assertThat(in.outputIf).isZero();
        // all tcp 178.213.45.35:55192 -> 192.168.20.98:443 ... origif: igc1
        FlowState out = map(s.get(1));
        PfStateMapper.fillInterfaces(s.get(1), PfStateMapperTest::remoteIndex, out);
        assertThat(out.inputIf).isZero();
        assertThat(out.outputIf).isEqualTo(8);
        // the reply record of the outbound state came in on igc1
        List<FlowRecord> r = records(out);
        assertThat(r.get(0).outputIf).isEqualTo(8);
        assertThat(r.get(1).inputIf).isEqualTo(8);
        assertThat(r.get(1).outputIf).isZero();
    }

    @Test
    void boundStatesTakeTheirInterface() {
        List<PfState> s = PfctlParser.parse(PfctlParserTest.OPENBSD_VV).states();
        FlowState out = map(s.get(1)); // em0 ipv6-icmp 2001:db8::1[4711] -> 2001:db8:ff::2[128]
        PfStateMapper.fillInterfaces(s.get(1), PfStateMapperTest::remoteIndex, out);
        assertThat(out.outputIf).isEqualTo(3);
        assertThat(out.inputIf).isZero();
        FlowState in = map(s.get(2)); // vio0 tcp (1) 10.1.0.1:22 <- (1) 10.1.0.2:50000
        PfStateMapper.fillInterfaces(s.get(2), PfStateMapperTest::remoteIndex, in);
        assertThat(in.inputIf).isEqualTo(4);
        assertThat(in.outputIf).isZero();
    }

    @Test
    void floatingStatesWithoutOrigifAndUnknownInterfacesGiveZero() throws Exception {
        FlowState f = map(PfctlParser.parse(fixture("freebsd-2014-ss-nat-rdr-icmp-udp.txt")).states().get(0));
        f.inputIf = f.outputIf = 99;
        PfState floating = PfctlParser.parse(fixture("freebsd-2014-ss-nat-rdr-icmp-udp.txt")).states().get(0);
        PfStateMapper.fillInterfaces(floating, name -> {
            throw new AssertionError("no name to look up, got " + name);
        }, f);
        assertThat(f.inputIf).isZero();
        assertThat(f.outputIf).isZero();
        PfState bound = PfctlParser.parse(PfctlParserTest.OPENBSD_VV).states().get(1);
        PfStateMapper.fillInterfaces(bound, name -> 0, f);
        assertThat(f.outputIf).isZero();
    }

    @Test
    void localLookupGivesTheIndexThisHostShows() throws Exception {
        int lo = Integer.parseInt(java.nio.file.Files.readString(java.nio.file.Path.of("/sys/class/net/lo/ifindex")).trim());
        assertThat(PfStateMapper.localInterfaceIndex("lo")).isEqualTo(lo).isPositive();
        assertThat(PfStateMapper.localInterfaceIndex("pfd-no-such0")).isZero();
        PfState st = PfctlParser.parse("lo tcp 10.0.0.1:22 <- 10.0.0.2:50000       ESTABLISHED:ESTABLISHED\n").states().get(0);
        FlowState f = map(st);
        PfStateMapper.fillInterfaces(st, PfStateMapper::localInterfaceIndex, f);
        assertThat(f.inputIf).isEqualTo(lo);
    }
}
