package net.pflowd.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.pflowd.flow.FlowRecord;
import net.pflowd.testutil.Hex;
import net.pflowd.testutil.ManualClock;
import net.pflowd.wire.ExportFormat;
import net.pflowd.wire.RecordFamily;
import net.pflowd.wire.Vectors;
import org.junit.jupiter.api.Test;

class ExportEngineTest {
    /** Uptime 3250 ms, unix time 1_700_000_003.250 (0x6553f103, 250e6 ns = 0x0ee6b280). */
    private final ManualClock clock = new ManualClock(Vectors.ORIGIN + 3250);
    private final CapturingSink sink = new CapturingSink();

    private ExportEngine engine(int version) {
        return engine(ExportSettings.defaults().withVersion(version));
    }

    private ExportEngine engine(ExportSettings s) {
        ExportEngine e = new ExportEngine(s.withUptimeOriginMillis(Vectors.ORIGIN), clock, sink);
        e.setRunning(true);
        return e;
    }

    private static String repeat(String s, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }

    private String hexOf(int i) {
        return Hex.format(sink.sent.get(i));
    }

    // ---- golden datagrams filled to the MTU ----

    @Test
    void v5DatagramFilledToMtu1500() {
        ExportEngine e = engine(5);
        assertThat(sink.sent).isEmpty(); // no templates in v5
        for (int i = 0; i < 30; i++) {
            e.export(Vectors.ipv4());
        }
        assertThat(sink.sent).hasSize(1);
        assertThat(hexOf(0)).isEqualTo(Hex.normalise(
                "0005 001e  0000 0cb2  6553 f103  0ee6 b280  0000 0000  2a2a 0000" + repeat(Vectors.V5_RECORD, 30)));
        assertThat(sink.sent.get(0).length + 28).isEqualTo(e.interfaceMtu()).isEqualTo(1492);
    }

    @Test
    void ipfixTemplatesThenDatagramFilledToMtu1500() {
        ExportEngine e = engine(10);
        assertThat(sink.sent).hasSize(1);
        // version 10 | length 260 | export time | sequence 0 | domain 42, then the template set
        assertThat(hexOf(0)).isEqualTo(Hex.normalise(
                "000a 0104  6553 f103  0000 0000  0000 002a " + Vectors.IPFIX_TEMPLATE_SET));
        for (int i = 0; i < 26; i++) {
            e.export(Vectors.ipv4());
        }
        assertThat(sink.sent).hasSize(2);
        // length 16 + 4 + 26 * 54 = 1424; set 256 of 1408 bytes
        assertThat(hexOf(1)).isEqualTo(Hex.normalise(
                "000a 0590  6553 f103  0000 0000  0000 002a  0100 0580" + repeat(Vectors.IPFIX_IPV4_RECORD, 26)));
        for (int i = 0; i < 26; i++) {
            e.export(Vectors.ipv4());
        }
        // sequence = data records before: 26 (templates do not count)
        assertThat(Hex.format(java.nio.ByteBuffer.wrap(sink.sent.get(2)), 0, 16)).isEqualTo(Hex.normalise(
                "000a 0590  6553 f103  0000 001a  0000 002a"));
        assertThat(e.interfaceMtu()).isEqualTo(1448);
    }

    @Test
    void v9TemplatesThenDatagramPackedByBytes() {
        ExportEngine e = engine(9);
        assertThat(hexOf(0)).isEqualTo(Hex.normalise(
                "0009 0004  0000 0bb8  6553 f103  0000 0000  0000 002a " + Vectors.V9_TEMPLATE_FLOWSET));
        // (1500 - 28 - 20 - 4) / 46 = 31 records; flowset 4 + 31 * 46 = 1430, padded to 1432
        assertThat(e.settings().recordsPerDatagram(RecordFamily.IPV4)).isEqualTo(31);
        for (int i = 0; i < 31; i++) {
            e.export(Vectors.ipv4());
        }
        assertThat(sink.sent).hasSize(2);
        assertThat(hexOf(1)).isEqualTo(Hex.normalise(
                "0009 001f  0000 0bb8  6553 f103  0000 0001  0000 002a  0100 0598"
                + repeat(Vectors.V9_IPV4_RECORD, 31) + " 0000"));
        assertThat(e.interfaceMtu()).isEqualTo(1500);
    }

    @Test
    void v5SplitOfMoreThan4GiBAddsUpExactly() {
        ExportEngine e = engine(5);
        FlowRecord r = Vectors.ipv4();
        r.bytes = 10_000_000_000L;
        r.packets = 7_000_000L;
        e.export(r);
        e.flush();
        String head = "0a00 0001  0a00 0002  0000 0000  0001 0002";
        String tail = "0000 03e8  0000 09c4  3039 0050  0000 0610  0000 0000  0000 0000";
        assertThat(hexOf(0)).isEqualTo(Hex.normalise(
                "0005 0003  0000 0cb2  6553 f103  0ee6 b280  0000 0000  2a2a 0000 "
                + head + " 0023 9a96  c6ae a156 " + tail
                + head + " 0023 9a95  c6ae a155 " + tail
                + head + " 0023 9a95  c6ae a155 " + tail));
        assertThat(e.counters().flows).isEqualTo(1);
        assertThat(e.counters().records).isEqualTo(3);
    }

    @Test
    void v5SplitAcrossDatagramsKeepsTotalsAndSequence() {
        ExportEngine e = engine(ExportSettings.defaults().withMtu(200)); // (200-52)/48 = 3 per datagram
        FlowRecord r = Vectors.ipv4();
        r.bytes = 5L * 0xffffffffL; // exactly 5 records
        r.packets = 11;
        e.export(r);
        e.flush();
        List<Datagram> d = sink.decoded();
        assertThat(d).hasSize(2);
        assertThat(d.get(0).count).isEqualTo(3);
        assertThat(d.get(1).count).isEqualTo(2);
        assertThat(d.get(1).sequence).isEqualTo(3);
        long bytes = 0, packets = 0;
        for (Datagram x : d) {
            for (FlowRecord y : x.records) {
                bytes += y.bytes;
                packets += y.packets;
                assertThat(y.bytes).isEqualTo(0xffffffffL);
            }
        }
        assertThat(bytes).isEqualTo(r.bytes);
        assertThat(packets).isEqualTo(11);
    }

    @Test
    void v5SplitsExactlyAtTheFirstCountAbove32Bits() {
        ExportEngine e = engine(5);
        FlowRecord r = Vectors.ipv4();
        r.bytes = 0xffffffffL;
        e.export(r);
        e.flush();
        r.bytes = 0x100000000L;
        e.export(r);
        e.flush();
        r.bytes = 1;
        r.packets = 0x100000000L;
        e.export(r);
        e.flush();
        List<Datagram> d = sink.decoded();
        assertThat(d).extracting(x -> x.count).containsExactly(1, 2, 2);
        assertThat(d.get(0).records.get(0).bytes).isEqualTo(0xffffffffL);
        assertThat(d.get(1).records).extracting(x -> x.bytes).containsExactly(0x80000000L, 0x80000000L);
        assertThat(d.get(1).records).extracting(x -> x.packets).containsExactly(5L, 5L);
        assertThat(d.get(2).records).extracting(x -> x.bytes).containsExactly(1L, 0L);
        assertThat(d.get(2).records).extracting(x -> x.packets).containsExactly(0x80000000L, 0x80000000L);
    }

    // ---- records per datagram, MTU ----

    @Test
    void recordsPerDatagramAtMtu1500AreFlowsAsPflow() {
        ExportSettings v5 = ExportSettings.defaults();
        ExportSettings ipfix = v5.withVersion(10);
        assertThat(v5.recordsPerDatagram(RecordFamily.IPV4)).isEqualTo(30);
        assertThat(ipfix.recordsPerDatagram(RecordFamily.IPV4)).isEqualTo(26);
        assertThat(ipfix.recordsPerDatagram(RecordFamily.IPV6)).isEqualTo(18);
        assertThat(ipfix.recordsPerDatagram(RecordFamily.NAT_IPV4)).isEqualTo(22);
        assertThat(ipfix.recordsPerDatagram(RecordFamily.NAT_IPV6)).isEqualTo(12);
        // IPv6 collector: 20 more bytes of IP header
        assertThat(v5.withCollectorIpv6(true).recordsPerDatagram(RecordFamily.IPV4)).isEqualTo(29);
        assertThat(ipfix.withCollectorIpv6(true).recordsPerDatagram(RecordFamily.IPV4)).isEqualTo(26);
        assertThat(ipfix.withCollectorIpv6(true).recordsPerDatagram(RecordFamily.IPV6)).isEqualTo(18);
        // the 30 cap applies at a jumbo MTU for v5/IPFIX, not for v9
        assertThat(v5.withMtu(9000).recordsPerDatagram(RecordFamily.IPV4)).isEqualTo(30);
        assertThat(ipfix.withMtu(9000).recordsPerDatagram(RecordFamily.IPV4)).isEqualTo(30);
        assertThat(v5.withVersion(9).withMtu(9000).recordsPerDatagram(RecordFamily.IPV4)).isEqualTo((9000 - 52) / 46);
    }

    @Test
    void noDatagramEverExceedsTheMtu() {
        FlowRecord[] kinds = {Vectors.ipv4(), Vectors.ipv6(), Vectors.natIpv4(), Vectors.natIpv6()};
        for (int version : new int[] {5, 9, 10}) {
            for (boolean v6 : new boolean[] {false, true}) {
                int min = ExportFormat.of(version).minimumMtu(v6);
                for (int mtu = min; mtu <= 9216; mtu += (mtu < 400 ? 1 : 97)) {
                    sink.sent.clear();
                    ExportSettings s = ExportSettings.defaults().withVersion(version).withCollectorIpv6(v6).withMtu(mtu);
                    ExportEngine e = engine(s);
                    for (int i = 0; i < 70; i++) {
                        e.export(kinds[i % 4]);
                    }
                    e.flush();
                    int ipUdp = v6 ? 48 : 28;
                    int dataRecords = 0;
                    for (byte[] d : sink.sent) {
                        assertThat(d.length + ipUdp).as("v%d mtu %d v6 %b", version, mtu, v6).isLessThanOrEqualTo(mtu);
                        Datagram x = Datagram.parse(d);
                        dataRecords += x.records.size();
                        if (x.setId >= 256) {
                            RecordFamily f = RecordFamily.values()[x.setId - 256];
                            // full datagrams carry exactly the computed count
                            assertThat(x.records.size()).isLessThanOrEqualTo(s.recordsPerDatagram(f));
                        }
                    }
                    assertThat(dataRecords).isEqualTo(version == 5 ? 35 : 70);
                }
            }
        }
    }

    @Test
    void mtuBoundsAreEnforcedAndNothingChanges() {
        ExportSettings s = ExportSettings.defaults();
        assertThatThrownBy(() -> s.withMtu(71)).isInstanceOf(InvalidExportSettingsException.class)
                .hasMessageContaining("out of range 72..9216");
        assertThatThrownBy(() -> s.withMtu(9217)).isInstanceOf(InvalidExportSettingsException.class);
        assertThatThrownBy(() -> s.withMtu(99)).isInstanceOf(InvalidExportSettingsException.class)
                .hasMessageContaining("at least 100");
        assertThat(s.withMtu(100).recordsPerDatagram(RecordFamily.IPV4)).isEqualTo(1);
        assertThat(s.withMtu(9216).mtu()).isEqualTo(9216);
        assertThat(ExportFormat.of(10).minimumMtu(false)).isEqualTo(162);
        assertThat(ExportFormat.of(10).minimumMtu(true)).isEqualTo(182);
        assertThat(ExportFormat.of(9).minimumMtu(false)).isEqualTo(160);
        assertThat(ExportFormat.of(5).minimumMtu(true)).isEqualTo(120);
        assertThatThrownBy(() -> s.withVersion(7)).isInstanceOf(InvalidExportSettingsException.class);
        assertThatThrownBy(() -> s.withEngine(256, 0)).isInstanceOf(InvalidExportSettingsException.class);
        assertThatThrownBy(() -> s.withHoldTimeoutMillis(0)).isInstanceOf(InvalidExportSettingsException.class);
        assertThat(s.mtu()).isEqualTo(1500);
    }

    @Test
    void interfaceMtuIsPflowsFormula() {
        ExportSettings s = ExportSettings.defaults();
        assertThat(s.interfaceMtu()).isEqualTo(1492);
        assertThat(s.withMtu(1000).interfaceMtu()).isEqualTo(24 + 28 + 19 * 48);
        assertThat(s.withVersion(10).interfaceMtu()).isEqualTo(1448);
        assertThat(s.withVersion(9).withMtu(1400).interfaceMtu()).isEqualTo(1400);
    }

    @Test
    void smallMtuSendsEachTemplateInItsOwnDatagram() {
        ExportEngine e = engine(ExportSettings.defaults().withVersion(10).withMtu(200));
        List<Datagram> d = sink.decoded();
        assertThat(d).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(d.get(i).templateIds).containsExactly(256 + i);
            assertThat(sink.sent.get(i).length + 28).isLessThanOrEqualTo(200);
        }
        assertThat(e.counters().templateDatagrams).isEqualTo(4);
    }

    // ---- families ----

    @Test
    void eachDatagramCarriesOneFamily() {
        ExportEngine e = engine(10);
        sink.sent.clear();
        e.export(Vectors.ipv4());
        e.export(Vectors.ipv6());
        e.export(Vectors.natIpv4());
        e.export(Vectors.natIpv6());
        e.export(Vectors.ipv4());
        e.flush();
        List<Datagram> d = sink.decoded();
        assertThat(d).extracting(x -> x.setId).containsExactly(256, 257, 258, 259);
        assertThat(d.get(0).records).containsExactly(Vectors.ipv4(), Vectors.ipv4());
        assertThat(d.get(1).records).containsExactly(Vectors.ipv6());
        assertThat(d.get(2).records).containsExactly(Vectors.natIpv4());
        assertThat(d.get(3).records).containsExactly(Vectors.natIpv6());
        // IPFIX sequence counts data records of the earlier datagrams
        assertThat(d).extracting(x -> x.sequence).containsExactly(0L, 2L, 3L, 4L);
    }

    @Test
    void v5DropsIpv6AndSendsNatIpv4AsPlainIpv4() {
        ExportEngine e = engine(5);
        e.export(Vectors.ipv6());
        e.export(Vectors.natIpv6());
        e.export(Vectors.natIpv4());
        e.flush();
        assertThat(e.counters().dropped(DropReason.V5_IPV6)).isEqualTo(2);
        List<Datagram> d = sink.decoded();
        assertThat(d).hasSize(1);
        assertThat(d.get(0).records).hasSize(1);
        assertThat(d.get(0).records.get(0).srcLo).isEqualTo(0x0a000001L);
    }

    // ---- timers ----

    @Test
    void holdTimeoutFlushesAfterTheOldestRecordWaited30s() {
        ExportEngine e = engine(5);
        long t0 = clock.millis();
        e.export(Vectors.ipv4());
        assertThat(e.nextDeadlineMillis()).isEqualTo(t0 + 30_000);
        clock.advance(20_000);
        e.export(Vectors.ipv4());
        e.tick();
        assertThat(sink.sent).isEmpty();
        clock.advance(9_999);
        e.tick();
        assertThat(sink.sent).isEmpty();
        clock.advance(1);
        e.tick();
        assertThat(sink.decoded()).hasSize(1).first().satisfies(d -> assertThat(d.count).isEqualTo(2));
        assertThat(e.nextDeadlineMillis()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void holdTimeoutIsPerFamily() {
        ExportEngine e = engine(10);
        sink.sent.clear();
        e.export(Vectors.ipv4());
        clock.advance(10_000);
        e.export(Vectors.ipv6());
        clock.advance(20_000);
        e.tick(); // the template timer is also due now
        List<Datagram> d = sink.decoded();
        assertThat(d).extracting(x -> x.setId).containsExactly(256, 2);
        sink.sent.clear();
        clock.advance(10_000);
        e.tick();
        assertThat(sink.decoded()).extracting(x -> x.setId).containsExactly(257);
    }

    @Test
    void clockSteppingBackFlushesRatherThanWaiting() {
        ExportEngine e = engine(5);
        e.export(Vectors.ipv4());
        clock.advance(-60_000);
        e.tick();
        assertThat(sink.sent).hasSize(1);
    }

    @Test
    void ipfixTemplatesAreResentEveryTemplateTimeout() {
        ExportEngine e = engine(10);
        assertThat(sink.sent).hasSize(1);
        assertThat(e.nextDeadlineMillis()).isEqualTo(clock.millis() + 30_000);
        clock.advance(29_999);
        e.tick();
        assertThat(sink.sent).hasSize(1);
        clock.advance(1);
        e.tick();
        assertThat(sink.decoded()).hasSize(2).allMatch(Datagram::isTemplate);
        assertThat(sink.decoded().get(1).templateIds).containsExactly(256, 257, 258, 259);
    }

    @Test
    void v9TemplatesRefreshAfterPacketsOrSecondsAndCountInTheSequence() {
        ExportEngine e = engine(ExportSettings.defaults().withVersion(9).withMtu(200).withV9TemplateRefresh(600_000, 3));
        int perDatagram = e.settings().recordsPerDatagram(RecordFamily.IPV4);
        assertThat(sink.decoded()).hasSize(4); // 244-byte template flowset does not fit 200: one per packet
        sink.sent.clear();
        for (int i = 0; i < 3 * perDatagram; i++) {
            e.export(Vectors.ipv4());
        }
        List<Datagram> d = sink.decoded();
        // 3 data packets, then the refresh (4 template packets)
        assertThat(d).extracting(Datagram::isTemplate).containsExactly(false, false, false, true, true, true, true);
        assertThat(d).extracting(x -> x.sequence).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(d.get(3).count).isEqualTo(1);
        sink.sent.clear();
        clock.advance(599_999);
        e.tick();
        assertThat(sink.sent).isEmpty();
        clock.advance(1);
        e.tick();
        assertThat(sink.decoded()).hasSize(4).allMatch(Datagram::isTemplate);
    }

    @Test
    void v9DataRecordTimesAreSysUptime() {
        ExportEngine e = engine(9);
        FlowRecord r = Vectors.ipv4();
        r.startMillis = Vectors.ORIGIN - 1; // before the origin: clamped
        e.export(r);
        e.flush();
        Datagram d = sink.decoded().get(1);
        assertThat(d.count).isEqualTo(1);
        assertThat(d.uptimes.get(0)).containsExactly(0L, 2500L);
        assertThat(d.sysUptime).isEqualTo(3000); // at the whole second of unix_secs (see NetflowV9.putHeader)
    }

    // ---- running, reconfigure, close ----

    @Test
    void recordsWhileNotRunningAreDroppedAndCounted() {
        ExportEngine e = new ExportEngine(ExportSettings.defaults().withVersion(10), clock, sink);
        e.export(Vectors.ipv4());
        e.tick();
        e.flush();
        assertThat(sink.sent).isEmpty();
        assertThat(e.counters().dropped(DropReason.NOT_RUNNING)).isEqualTo(1);
        e.setRunning(true);
        assertThat(sink.decoded()).hasSize(1).allMatch(Datagram::isTemplate);
    }

    @Test
    void stoppingFlushesPending() {
        ExportEngine e = engine(5);
        e.export(Vectors.ipv4());
        e.setRunning(false);
        assertThat(sink.sent).hasSize(1);
        e.export(Vectors.ipv4());
        assertThat(e.counters().dropped(DropReason.NOT_RUNNING)).isEqualTo(1);
    }

    @Test
    void reconfigureFlushesUnderOldSettingsThenSendsNewTemplates() {
        ExportEngine e = engine(5);
        e.export(Vectors.ipv4());
        e.reconfigure(e.settings().withVersion(10));
        List<Datagram> d = sink.decoded();
        assertThat(d).extracting(x -> x.version).containsExactly(5, 10);
        assertThat(d.get(1).isTemplate()).isTrue();
        assertThat(e.interfaceMtu()).isEqualTo(1448);
        e.export(Vectors.ipv4());
        e.flush();
        // sequence numbers survive: one record was sent before
        assertThat(sink.decoded().get(2).sequence).isEqualTo(1);
    }

    @Test
    void reconfigureWhileRunningResendsTemplatesEvenWithTheSameVersion() {
        ExportEngine e = engine(10);
        e.reconfigure(e.settings().withObservationDomain(7));
        List<Datagram> d = sink.decoded();
        assertThat(d).hasSize(2).allMatch(Datagram::isTemplate);
        assertThat(d.get(1).domain).isEqualTo(7);
    }

    @Test
    void closeFlushesAndStopsForGood() {
        ExportEngine e = engine(10);
        e.export(Vectors.natIpv6());
        e.close();
        assertThat(sink.decoded()).extracting(x -> x.setId).containsExactly(2, 259);
        e.export(Vectors.ipv4());
        assertThat(e.counters().dropped(DropReason.NOT_RUNNING)).isEqualTo(1);
        assertThatThrownBy(() -> e.setRunning(true)).isInstanceOf(IllegalStateException.class);
    }

    // ---- errors and counters ----

    @Test
    void sendErrorsAreCountedAndExportContinues() {
        ExportEngine e = engine(5);
        sink.failNext = 1;
        e.export(Vectors.ipv4());
        e.export(Vectors.ipv4());
        e.flush();
        e.export(Vectors.ipv4());
        e.flush();
        ExportCounters c = e.counters();
        assertThat(c.sendErrors).isEqualTo(1);
        assertThat(c.dropped(DropReason.SEND_ERROR)).isEqualTo(2);
        assertThat(c.records).isEqualTo(1);
        assertThat(c.datagrams).isEqualTo(1);
        assertThat(c.bytes).isEqualTo(24 + 48);
        assertThat(c.flows).isEqualTo(3);
        // the lost datagram still advanced flow_sequence: the collector sees the gap
        assertThat(sink.decoded().get(0).sequence).isEqualTo(2);
    }

    @Test
    void countersAddUp() {
        ExportEngine e = engine(10);
        for (int i = 0; i < 100; i++) {
            e.export(i % 3 == 0 ? Vectors.ipv6() : Vectors.ipv4());
        }
        e.flush();
        ExportCounters c = e.counters();
        long payload = 0;
        for (byte[] b : sink.sent) {
            payload += b.length;
        }
        assertThat(c.flows).isEqualTo(100);
        assertThat(c.records).isEqualTo(100);
        assertThat(c.datagrams).isEqualTo(sink.sent.size());
        assertThat(c.templateDatagrams).isEqualTo(1);
        assertThat(c.bytes).isEqualTo(payload);
        assertThat(c.droppedTotal()).isZero();
    }

    @Test
    void concurrentExportersLoseNothing() throws Exception {
        ExportEngine e = engine(10);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final int id = t;
            threads.add(new Thread(() -> {
                FlowRecord r = Vectors.ipv4();
                for (int i = 0; i < 5000; i++) {
                    r.srcPort = id;
                    r.dstPort = i;
                    e.export(r);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        e.flush();
        boolean[][] seen = new boolean[4][5000];
        long seq = 0;
        for (Datagram d : sink.decoded()) {
            if (d.isTemplate()) {
                continue;
            }
            assertThat(d.sequence).isEqualTo(seq);
            seq += d.records.size();
            for (FlowRecord r : d.records) {
                assertThat(seen[r.srcPort][r.dstPort]).isFalse();
                seen[r.srcPort][r.dstPort] = true;
            }
        }
        assertThat(seq).isEqualTo(20_000);
    }
}
