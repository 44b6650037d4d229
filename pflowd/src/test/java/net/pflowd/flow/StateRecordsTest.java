package net.pflowd.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateRecordsTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static List<FlowRecord> emit(FlowState s) {
        List<FlowRecord> out = new ArrayList<>();
        StateRecords.emit(s, new FlowRecord(), r -> out.add(r.copy()));
        return out;
    }

    @Test
    void untranslatedTcpGivesTwoMirroredRecords() throws Exception {
        FlowState s = new FlowState().orig(ip("10.0.0.1"), 40000, ip("10.0.0.2"), 80).replyMirrorsOrig();
        s.protocol = 6;
        s.origPackets = 5; s.origBytes = 400; s.replyPackets = 4; s.replyBytes = 9000;
        s.startMillis = 1000; s.endMillis = 2000;
        List<FlowRecord> r = emit(s);
        assertThat(r).hasSize(2);
        assertThat(r.get(0).src()).isEqualTo(ip("10.0.0.1"));
        assertThat(r.get(0).dstPort).isEqualTo(80);
        assertThat(r.get(0).bytes).isEqualTo(400);
        assertThat(r.get(0).nat).isFalse();
        assertThat(r.get(1).src()).isEqualTo(ip("10.0.0.2"));
        assertThat(r.get(1).srcPort).isEqualTo(80);
        assertThat(r.get(1).dstPort).isEqualTo(40000);
        assertThat(r.get(1).packets).isEqualTo(4);
        assertThat(r.get(1).bytes).isEqualTo(9000);
        assertThat(r.get(1).startMillis).isEqualTo(1000);
        assertThat(r.get(1).endMillis).isEqualTo(2000);
    }

    @Test
    void directionWithoutBytesGivesNoRecord() throws Exception {
        FlowState s = new FlowState().orig(ip("10.0.0.1"), 5000, ip("10.0.0.2"), 53).replyMirrorsOrig();
        s.protocol = 17;
        s.origPackets = 1; s.origBytes = 60;
        assertThat(emit(s)).hasSize(1);
        s.origPackets = 0; s.origBytes = 0;
        assertThat(emit(s)).isEmpty();
    }

    @Test
    void snatFillsPostNatFieldsWithTheOutsideView() throws Exception {
        FlowState s = new FlowState()
                .orig(ip("192.168.1.2"), 5000, ip("198.51.100.7"), 53)
                .reply(ip("198.51.100.7"), 53, ip("203.0.113.1"), 61000);
        s.protocol = 17;
        s.origPackets = 1; s.origBytes = 60; s.replyPackets = 1; s.replyBytes = 120;
        assertThat(s.isNat()).isTrue();
        List<FlowRecord> r = emit(s);
        FlowRecord out = r.get(0), back = r.get(1);
        assertThat(out.nat).isTrue();
        assertThat(out.src()).isEqualTo(ip("192.168.1.2"));
        assertThat(out.postSrc()).isEqualTo(ip("203.0.113.1"));
        assertThat(out.postSrcPort).isEqualTo(61000);
        assertThat(out.postDst()).isEqualTo(ip("198.51.100.7"));
        assertThat(out.postDstPort).isEqualTo(53);
        assertThat(back.src()).isEqualTo(ip("198.51.100.7"));
        assertThat(back.dst()).isEqualTo(ip("192.168.1.2"));
        assertThat(back.dstPort).isEqualTo(5000);
        assertThat(back.postDst()).isEqualTo(ip("203.0.113.1"));
        assertThat(back.postDstPort).isEqualTo(61000);
    }

    @Test
    void dnatPostDestinationIsTheRealServer() throws Exception {
        FlowState s = new FlowState()
                .orig(ip("198.51.100.9"), 41000, ip("203.0.113.1"), 80)
                .reply(ip("10.1.1.5"), 8080, ip("198.51.100.9"), 41000);
        s.protocol = 6;
        s.origPackets = 3; s.origBytes = 180;
        FlowRecord r = emit(s).get(0);
        assertThat(r.nat).isTrue();
        assertThat(r.postDst()).isEqualTo(ip("10.1.1.5"));
        assertThat(r.postDstPort).isEqualTo(8080);
        assertThat(r.postSrc()).isEqualTo(ip("198.51.100.9"));
    }

    @Test
    void icmpEchoCarriesTypeAndCodeOfEachDirectionAndIsNotNat() throws Exception {
        FlowState s = new FlowState()
                .orig(ip("2001:db8::1"), 0, ip("2001:db8::2"), 128 << 8)
                .reply(ip("2001:db8::2"), 0, ip("2001:db8::1"), 129 << 8);
        s.protocol = 58;
        s.origPackets = 1; s.origBytes = 104; s.replyPackets = 1; s.replyBytes = 104;
        assertThat(s.isNat()).isFalse();
        List<FlowRecord> r = emit(s);
        assertThat(r.get(0).isIpv6()).isTrue();
        assertThat(r.get(0).dstPort).isEqualTo(128 << 8);
        assertThat(r.get(1).dstPort).isEqualTo(129 << 8);
        assertThat(r.get(1).src()).isEqualTo(ip("2001:db8::2"));
    }
}
