package net.pflowd.source.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.pflowd.flow.ExportProgress;
import net.pflowd.flow.FlowState;
import org.junit.jupiter.api.Test;

/** The primitive entry store against a plain map of objects, and the values that do not fit its packed form. */
class TrackedEntriesTest {
    private static FlowState state(Random r, boolean v6) throws Exception {
        FlowState s = new FlowState();
        byte[] a = new byte[v6 ? 16 : 4], b = new byte[a.length];
        r.nextBytes(a);
        r.nextBytes(b);
        s.orig(InetAddress.getByAddress(a), r.nextInt(65536), InetAddress.getByAddress(b), r.nextInt(65536));
        s.replyMirrorsOrig();
        s.replyDstLo ^= r.nextInt(2); // some translated
        s.protocol = r.nextInt(256);
        s.origPackets = r.nextInt(1000);
        s.origBytes = s.origPackets * 100;
        s.replyPackets = r.nextInt(1000);
        s.replyBytes = s.replyPackets * 60;
        s.startMillis = 1_796_000_000_000L + r.nextInt(1_000_000);
        return s;
    }

    private static String tuple(FlowState s) {
        return s.family + " " + s.protocol + " " + s.origSrcHi + "/" + s.origSrcLo + ":" + s.origSrcPort + " "
                + s.origDstHi + "/" + s.origDstLo + ":" + s.origDstPort + " " + s.replySrcHi + "/" + s.replySrcLo + ":"
                + s.replySrcPort + " " + s.replyDstHi + "/" + s.replyDstLo + ":" + s.replyDstPort + " "
                + s.origPackets + "/" + s.origBytes + " " + s.replyPackets + "/" + s.replyBytes + " " + s.startMillis;
    }

    @Test
    void addFindRemoveAndStatesAgreeWithAMap() throws Exception {
        Random r = new Random(7);
        TrackedEntries t = new TrackedEntries();
        Map<Long, String> model = new HashMap<>();
        Map<Long, Long> times = new HashMap<>();
        List<Long> keys = new ArrayList<>();
        FlowState out = new FlowState();
        for (int step = 0; step < 60_000; step++) {
            if (keys.isEmpty() || r.nextInt(10) < 6) {
                long key = r.nextInt(4) == 0 ? r.nextInt(64) : r.nextLong(); // small keys collide in the index
                if (model.containsKey(key)) {
                    continue;
                }
                FlowState s = state(r, r.nextInt(5) == 0);
                int e = t.add(key);
                t.storeState(e, s);
                t.lastPacketMillis(e, step);
                model.put(key, tuple(s));
                times.put(key, (long) step);
                keys.add(key);
            } else {
                long key = keys.remove(r.nextInt(keys.size()));
                int e = t.find(key);
                assertThat(e).isNotNegative();
                assertThat(tuple(t.loadState(e, out))).isEqualTo(model.remove(key));
                assertThat(t.lastPacketMillis(e)).isEqualTo(times.remove(key));
                t.remove(e);
                assertThat(t.find(key)).isEqualTo(-1);
            }
            assertThat(t.size()).isEqualTo(model.size());
        }
        for (long key : keys) {
            int e = t.find(key);
            assertThat(tuple(t.loadState(e, out))).isEqualTo(model.get(key));
            assertThat(t.key(e)).isEqualTo(key);
        }
    }

    @Test
    void countersPastThePackedWidthAreKeptExactly() throws Exception {
        TrackedEntries t = new TrackedEntries();
        FlowState s = state(new Random(1), false);
        int e = t.add(42);
        t.storeState(e, s);
        ExportProgress p = new ExportProgress().restore(3, 300, 4, 400, 1234);
        t.storeProgress(e, p);
        assertThat(t.wideEntries()).isZero();
        s.origBytes = 1L << 40; // a terabyte
        s.replyPackets = 1L << 24;
        t.storeState(e, s);
        assertThat(t.wideEntries()).isEqualTo(1);
        assertThat(tuple(t.loadState(e, new FlowState()))).isEqualTo(tuple(s));
        ExportProgress back = t.loadProgress(e, new ExportProgress());
        assertThat(new long[] {back.exportedOrigPackets(), back.exportedOrigBytes(), back.exportedReplyPackets(),
                back.exportedReplyBytes(), back.intervalStartMillis()}).containsExactly(3, 300, 4, 400, 1234);
        t.storeProgress(e, new ExportProgress().restore(Long.MAX_VALUE, 5, 6, 7, 8));
        assertThat(t.loadProgress(e, new ExportProgress()).exportedOrigPackets()).isEqualTo(Long.MAX_VALUE);
        t.remove(e);
        assertThat(t.wideEntries()).isZero();
    }
}
