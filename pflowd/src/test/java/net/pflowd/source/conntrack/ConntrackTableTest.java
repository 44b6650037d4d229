package net.pflowd.source.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.pflowd.testutil.ManualClock;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowState;
import net.pflowd.linux.Errno;
import net.pflowd.linux.Netlink;
import net.pflowd.linux.NfConntrackCommon;
import net.pflowd.os.ErrnoException;
import net.pflowd.linux.NfnetlinkConntrack;
import org.junit.jupiter.api.Test;

/**
 * The table's rules without a kernel: captured DESTROY events of connections that ended on their own (and one
 * deleted early), checked against the packet times tcpdump saw; dumps and active-timeout exports on a driven
 * clock.
 */
class ConntrackTableTest {
    private final List<FlowRecord> records = new ArrayList<>();
    private final ManualClock clock = new ManualClock(1_796_061_330_000L);

    private ConntrackTable table(ConntrackSettings s, ProtocolTimeouts t) {
        return new ConntrackTable(s, t, clock, r -> records.add(r.copy()), st -> {
            st.inputIf = 3;
            st.outputIf = 4;
        });
    }

    private static CtEntry parse(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        CtEntry[] got = {null};
        new CtnetlinkParser().parseDatagram(ByteBuffer.wrap(b), b.length, new CtnetlinkParser.Handler() {
            @Override
            public void entry(CtEntry e) {
                got[0] = new CtEntry().clear();
                CtnetlinkParserTest.copy(e, got[0]);
            }

            @Override
            public void malformed(String why) {
                throw new AssertionError(why);
            }
        });
        assertThat(got[0]).isNotNull();
        return got[0];
    }

    /**
     * Exports a captured event and checks both records: start is the kernel's start, end the last packet of
     * the capture within {@code toleranceMillis}, and the interfaces come from the hook.
     */
    private void endsAt(String event, double lastPacketSeconds, long toleranceMillis) {
        records.clear();
        ConntrackTable t = table(new ConntrackSettings(), ExpiredEvents.timeouts());
        CtEntry e = parse(event);
        long start = e.startNanos / 1_000_000L;
        t.destroyed(e);
        assertThat(records).hasSize(2);
        long lastPacket = Math.round(lastPacketSeconds * 1000);
        for (FlowRecord r : records) {
            assertThat(r.startMillis).isEqualTo(start);
            assertThat(r.endMillis).as("end of %s", r).isBetween(lastPacket - toleranceMillis, lastPacket + toleranceMillis);
            assertThat(r.endMillis).isGreaterThanOrEqualTo(r.startMillis);
        }
        assertThat(records.get(0).inputIf).isEqualTo(3);
        assertThat(records.get(0).outputIf).isEqualTo(4);
        assertThat(records.get(1).inputIf).isEqualTo(4); // the reply direction: the reverse
        assertThat(records.get(1).outputIf).isEqualTo(3);
    }

    // The stop time of an expired entry is exact (moved back to the expiry), so its end is within a few ms
    // (jiffies); that of one deleted early is rounded to the second by CTA_TIMEOUT, so within half a second.

    @Test
    void tcpClosedWithFinEndsAtItsFinalAck() {
        endsAt(ExpiredEvents.TCP4_TIME_WAIT, 1796061316.721333, 10);
        endsAt(ExpiredEvents.TCP6_TIME_WAIT, 1796061319.731102, 10);
    }

    @Test
    void tcpResetEndsAtItsReset() {
        endsAt(ExpiredEvents.TCP4_RESET, 1796061317.722821, 10);
    }

    @Test
    void udpOneShotAndStreamEndAtTheirLastDatagram() {
        endsAt(ExpiredEvents.UDP4_ONE_SHOT, 1796061319.731614, 10);
        endsAt(ExpiredEvents.UDP6_ONE_SHOT, 1796061323.849535, 10);
        endsAt(ExpiredEvents.UDP4_STREAM, 1796061322.840474, 10);
    }

    @Test
    void icmpEchoEndsAtItsLastReply() {
        endsAt(ExpiredEvents.ICMP4_ECHO, 1796061325.007938, 10);
        endsAt(ExpiredEvents.ICMP6_ECHO, 1796061325.579977, 10);
    }

    @Test
    void otherProtocolsEndAtTheirLastPacket() {
        records.clear();
        ConntrackTable t = table(new ConntrackSettings(), ExpiredEvents.timeouts());
        CtEntry e = parse(ExpiredEvents.GENERIC253);
        t.destroyed(e);
        assertThat(records).hasSize(1); // never answered in kind
        assertThat(records.get(0).protocol).isEqualTo(253);
        assertThat(records.get(0).endMillis).isBetween(1796062157156L - 10, 1796062157156L + 10);
    }

    @Test
    void translatedConnectionsEndOnTimeAndCarryTheirTranslation() throws Exception {
        endsAt(ExpiredEvents.TCP4_NAT_TIME_WAIT, 1796061318.729336, 10);
        assertThat(records.get(0).nat).isTrue();
        assertThat(FlowRecord.address(FlowRecord.IPV4, records.get(0).postSrcHi, records.get(0).postSrcLo))
                .isEqualTo(InetAddress.getByName("10.79.2.254"));
        endsAt(ExpiredEvents.UDP4_NAT_ONE_SHOT, 1796061323.849107, 10);
        assertThat(FlowRecord.address(FlowRecord.IPV4, records.get(1).postDstHi, records.get(1).postDstLo))
                .isEqualTo(InetAddress.getByName("10.79.2.254"));
    }

    @Test
    void entryDeletedEarlyEndsWithinHalfASecond() {
        records.clear();
        ConntrackTable t = table(new ConntrackSettings(), ExpiredEvents.timeouts());
        CtEntry e = parse(ExpiredEvents.UDP4_DELETED);
        assertThat(e.hasTimeout).isTrue();
        t.destroyed(e);
        assertThat(records).hasSize(1); // unanswered: no reply record
        assertThat(records.get(0).endMillis).isBetween(1796061328013L - 500, 1796061328013L + 500);
    }

    @Test
    void aRedeliveredEventIsExportedOnce() {
        ConntrackTable t = table(new ConntrackSettings(), ExpiredEvents.timeouts());
        t.destroyed(parse(ExpiredEvents.UDP4_STREAM));
        t.destroyed(parse(ExpiredEvents.UDP4_STREAM));
        assertThat(records).hasSize(2);
        assertThat(t.counters()).containsEntry("skipped-duplicate", 1L).containsEntry("connections", 1L);
    }

    // ---------------------------------------------------------------- dumps, on a driven clock

    private static final ProtocolTimeouts DEFAULTS = new ProtocolTimeouts();

    /** An established TCP connection 10.0.0.1:1000 > 10.0.0.2:80 with the given counters, as a dump row. */
    private static CtEntry row(long startMillis, long origPackets, long origBytes, long replyPackets, long replyBytes,
            long remainingSeconds) throws Exception {
        CtEntry e = new CtEntry().clear();
        e.msgType = NfnetlinkConntrack.IPCTNL_MSG_CT_NEW;
        e.hasId = true;
        e.id = 77;
        e.status = NfConntrackCommon.IPS_ASSURED;
        e.tcpState = 3;
        e.hasTimeout = true;
        e.timeoutSeconds = remainingSeconds;
        FlowState s = e.state;
        s.protocol = 6;
        s.orig(InetAddress.getByName("10.0.0.1"), 1000, InetAddress.getByName("10.0.0.2"), 80).replyMirrorsOrig();
        s.origPackets = origPackets;
        s.origBytes = origBytes;
        s.replyPackets = replyPackets;
        s.replyBytes = replyBytes;
        s.startMillis = startMillis;
        e.startNanos = startMillis * 1_000_000L;
        e.hasCounters = true;
        return e;
    }

    private static CtEntry destroy(CtEntry row, long stopMillis) {
        row.msgType = NfnetlinkConntrack.IPCTNL_MSG_CT_DELETE;
        row.stopNanos = stopMillis * 1_000_000L;
        return row;
    }

    private void dump(ConntrackTable t, CtEntry... rows) {
        ConntrackTable.Dump d = t.beginDump();
        for (CtEntry r : rows) {
            d.row(r);
        }
        d.complete();
    }

    @Test
    void activeTimeoutRecordsCoverTheirOwnIntervalsAndAddUpToTheTotals() throws Exception {
        ConntrackSettings s = new ConntrackSettings();
        s.activeTimeoutSeconds = 4;
        ConntrackTable t = table(s, DEFAULTS);
        long t0 = clock.millis();
        // An 18 s transfer, read every 2 s (half the active timeout); last packet 1 s before each read.
        long full = 432_000;
        clock.advance(2_000);
        dump(t, row(t0, 10, 1_000, 10, 5_000, full - 1)); // 2 s old: not yet due
        assertThat(records).isEmpty();
        clock.advance(2_000);
        dump(t, row(t0, 20, 2_000, 20, 10_000, full - 1)); // 4 s: exported
        assertThat(records).hasSize(2);
        clock.advance(2_000);
        dump(t, row(t0, 30, 3_000, 30, 15_000, full - 1)); // 2 s since: not due
        clock.advance(2_000);
        dump(t, row(t0, 40, 4_000, 40, 20_000, full - 1)); // due again
        assertThat(records).hasSize(4);
        clock.advance(10_000);
        t.destroyed(destroy(row(t0, 90, 9_000, 90, 45_000, full - 3), clock.millis()));
        assertThat(records).hasSize(6);

        FlowRecord first = records.get(0), second = records.get(2), last = records.get(4);
        assertThat(first.startMillis).isEqualTo(t0);
        assertThat(first.endMillis).isEqualTo(t0 + 4_000 - 500); // 1 s (rounded down) before the read at 4 s
        assertThat(second.startMillis).isEqualTo(t0 + 4_000); // when the first record's counters were read
        assertThat(second.endMillis).isEqualTo(t0 + 8_000 - 500);
        assertThat(last.startMillis).isEqualTo(t0 + 8_000);
        assertThat(last.endMillis).isEqualTo(t0 + 18_000 - 2_500); // 3 s of the full timeout gone at the stop
        assertThat(records.stream().filter(r -> r.srcPort == 1000).mapToLong(r -> r.bytes).sum()).isEqualTo(9_000);
        assertThat(records.stream().filter(r -> r.srcPort == 80).mapToLong(r -> r.packets).sum()).isEqualTo(90);
        for (FlowRecord r : records) {
            assertThat(r.endMillis).isGreaterThanOrEqualTo(r.startMillis);
        }
        assertThat(t.counters()).containsEntry("active-exports", 2L).containsEntry("connections", 1L);
    }

    @Test
    void aReadThatFindsNothingNewMovesTheNextIntervalsStart() throws Exception {
        ConntrackSettings s = new ConntrackSettings();
        s.activeTimeoutSeconds = 4;
        ConntrackTable t = table(s, DEFAULTS);
        long t0 = clock.millis();
        clock.advance(4_000);
        dump(t, row(t0, 20, 2_000, 0, 0, 431_999));
        clock.advance(2_000);
        dump(t, row(t0, 20, 2_000, 0, 0, 431_997)); // idle since the export
        clock.advance(1_000);
        t.destroyed(destroy(row(t0, 21, 2_100, 0, 0, 431_999), clock.millis()));
        assertThat(records).hasSize(2);
        assertThat(records.get(1).startMillis).isEqualTo(t0 + 6_000);
        assertThat(records.get(1).endMillis).isEqualTo(t0 + 7_000 - 500);
    }

    @Test
    void aDumpThatDidNotCompleteEndsNothing() throws Exception {
        ConntrackSettings s = new ConntrackSettings();
        s.redeliveryGraceMillis = 1_000;
        ConntrackTable t = table(s, DEFAULTS);
        long t0 = clock.millis();
        dump(t, row(t0, 5, 500, 5, 700, 431_990));
        for (int i = 0; i < 5; i++) {
            clock.advance(2_000);
            t.beginDump(); // no rows, never completed: failed or cut short
        }
        assertThat(records).isEmpty();
        assertThat(t.dumpDue(clock.millis())).isNotEqualTo(ConntrackTable.DumpKind.CONFIRM);
        assertThat(t.counters()).containsEntry("live-entries", 1L);
    }

    /**
     * The source's reading of a dump reply: a reply with an unreadable row or NLM_F_DUMP_INTR does not complete
     * the pass, so the entry it did not show is not ended, however often that happens; the same reply read whole
     * ends it after the grace.
     */
    @Test
    void aDumpReplyWithAnUnreadableRowOrAnInterruptionEndsNothing() throws Exception {
        ConntrackSettings s = new ConntrackSettings();
        s.redeliveryGraceMillis = 1_000;
        ConntrackTable t = table(s, DEFAULTS);
        long t0 = clock.millis();
        dump(t, row(t0, 5, 500, 5, 700, 431_990));
        CtEntry other = row(t0, 1, 60, 1, 60, 431_990);
        other.id = 78;
        other.state.orig(InetAddress.getByName("10.0.0.3"), 1001, InetAddress.getByName("10.0.0.2"), 80)
                .replyMirrorsOrig();
        for (int i = 0; i < 4; i++) {
            clock.advance(2_000);
            DumpReply unreadable = new DumpReply(10 + i, t.beginDump());
            unreadable.entry(other);
            unreadable.malformed("CTA_TUPLE_ORIG: attribute runs past its nest");
            unreadable.done(10 + i);
            assertThat(unreadable.done()).isTrue();
            assertThatThrownBy(unreadable::finish).isInstanceOf(DumpReply.IncompleteDumpException.class)
                    .hasMessageContaining("a row could not be read");
            assertThat(unreadable.malformedRows()).isEqualTo(1);

            clock.advance(2_000);
            DumpReply interrupted = new DumpReply(20 + i, t.beginDump());
            other.nlFlags = Netlink.NLM_F_DUMP_INTR;
            interrupted.entry(other);
            other.nlFlags = 0;
            interrupted.done(20 + i);
            assertThatThrownBy(interrupted::finish).isInstanceOf(DumpReply.IncompleteDumpException.class)
                    .hasMessageContaining("NLM_F_DUMP_INTR");
        }
        assertThat(records).isEmpty();

        DumpReply refused = new DumpReply(30, t.beginDump());
        refused.done(29); // the end of an earlier, abandoned dump
        assertThat(refused.done()).isFalse();
        refused.error(30, Errno.EPERM);
        assertThat(refused.done()).isTrue();
        assertThatThrownBy(refused::finish).isInstanceOf(ErrnoException.class);
        assertThat(records).isEmpty();

        // Read whole, the same reply ends the missing entry once the grace has passed.
        for (int i = 0; i < 2; i++) {
            clock.advance(2_000);
            DumpReply whole = new DumpReply(40 + i, t.beginDump());
            whole.entry(other);
            whole.done(40 + i);
            whole.finish();
        }
        assertThat(records).hasSize(2);
        assertThat(records.get(0).srcPort).isEqualTo(1000);
    }

    @Test
    void anEntryMissingTwiceAroundItsGraceIsExportedFromItsLastDump() throws Exception {
        ConntrackSettings s = new ConntrackSettings();
        s.redeliveryGraceMillis = 1_000;
        ConntrackTable t = table(s, DEFAULTS);
        long t0 = clock.millis();
        clock.advance(5_000);
        dump(t, row(t0, 5, 500, 5, 700, 431_990)); // last packet 10 s (.5) before this read
        long read = clock.millis();
        clock.advance(1_000);
        dump(t); // missing once: grace begins
        assertThat(records).isEmpty();
        assertThat(t.dumpDue(clock.millis())).isNull();
        clock.advance(1_000);
        assertThat(t.dumpDue(clock.millis())).isEqualTo(ConntrackTable.DumpKind.CONFIRM);
        dump(t); // missing again after the grace: ended
        assertThat(records).hasSize(2);
        assertThat(records.get(0).endMillis).isEqualTo(Math.max(t0, read - 9_500));
        assertThat(t.counters()).containsEntry("dump-exported", 1L).containsEntry("live-entries", 0L);
        // Its event, redelivered late, does not export it again.
        t.destroyed(destroy(row(t0, 5, 500, 5, 700, 431_990), clock.millis()));
        assertThat(records).hasSize(2);
    }

    @Test
    void anEntryBackInTheNextDumpIsNotEnded() throws Exception {
        ConntrackSettings s = new ConntrackSettings();
        s.redeliveryGraceMillis = 1_000;
        ConntrackTable t = table(s, DEFAULTS);
        long t0 = clock.millis();
        dump(t, row(t0, 5, 500, 5, 700, 431_990));
        clock.advance(1_000);
        dump(t); // a dump that raced with a resize and skipped it
        clock.advance(2_000);
        dump(t, row(t0, 6, 600, 6, 800, 431_999));
        clock.advance(5_000);
        assertThat(t.dumpDue(clock.millis())).isNotEqualTo(ConntrackTable.DumpKind.CONFIRM);
        assertThat(records).isEmpty();
    }

    @Test
    void closeExportsWhatStillWaitsForItsEvent() throws Exception {
        ConntrackSettings s = new ConntrackSettings();
        ConntrackTable t = table(s, DEFAULTS);
        long t0 = clock.millis();
        dump(t, row(t0, 5, 500, 5, 700, 431_990));
        dump(t);
        t.close();
        assertThat(records).hasSize(2);
        assertThat(t.counters()).containsEntry("dump-exported", 1L);
    }

    @Test
    void unselectedConnectionsAreCountedNotExported() {
        ConntrackSettings s = new ConntrackSettings();
        s.mark("0x1");
        ConntrackTable t = table(s, ExpiredEvents.timeouts());
        t.destroyed(parse(ExpiredEvents.UDP4_STREAM));
        assertThat(records).isEmpty();
        assertThat(t.counters()).containsEntry("skipped-filtered", 1L);
    }

    @Test
    void onlyEntriesMadeBeforeTheEventsListenedAreReconciled() throws Exception {
        ConntrackSettings s = new ConntrackSettings();
        s.reconcileSeconds = 10;
        ConntrackTable t = table(s, DEFAULTS);
        long t0 = clock.millis();
        t.eventsSince(t0);
        clock.advance(5_000);
        dump(t, row(t0 + 2_000, 5, 500, 5, 700, 431_990)); // began after the events listened: its end comes as one
        clock.advance(10_000);
        assertThat(t.dumpDue(clock.millis())).isNull();
        CtEntry old = row(t0 - 60_000, 5, 500, 5, 700, 431_990);
        old.id = 78;
        dump(t, row(t0 + 2_000, 5, 500, 5, 700, 431_990), old); // began before: may end silently
        clock.advance(10_000);
        assertThat(t.dumpDue(clock.millis())).isEqualTo(ConntrackTable.DumpKind.RECONCILE);
        t.destroyed(destroy(old, clock.millis()));
        clock.advance(10_000);
        assertThat(t.dumpDue(clock.millis())).isNull();
        assertThat(t.counters()).containsEntry("live-entries", 1L);
    }
}
