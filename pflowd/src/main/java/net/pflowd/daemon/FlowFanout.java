package net.pflowd.daemon;

import java.util.Arrays;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowSink;

/**
 * The one sink a state-table source feeds: every record goes to every pflow interface, as on OpenBSD
 * where each pflow(4) interface exports every state. Interfaces come and go rarely and records flow
 * constantly, hence an array replaced on every change, read without a lock or an iterator (a storm delivers
 * hundreds of thousands of records a second, each of which would otherwise allocate one).
 */
final class FlowFanout implements FlowSink {
    private volatile FlowSink[] targets = new FlowSink[0];

    synchronized void add(FlowSink sink) {
        FlowSink[] now = Arrays.copyOf(targets, targets.length + 1);
        now[now.length - 1] = sink;
        targets = now;
    }

    synchronized void remove(FlowSink sink) {
        FlowSink[] now = targets;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == sink) {
                FlowSink[] fewer = new FlowSink[now.length - 1];
                System.arraycopy(now, 0, fewer, 0, i);
                System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
                targets = fewer;
                return;
            }
        }
    }

    @Override
    public void accept(FlowRecord record) {
        for (FlowSink t : targets) {
            t.accept(record);
        }
    }
}
