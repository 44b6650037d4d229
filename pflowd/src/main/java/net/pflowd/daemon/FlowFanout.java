package net.pflowd.daemon;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowSink;

/**
 * The one sink a state-table source feeds: every record goes to every pflow interface, as on OpenBSD
 * where each pflow(4) interface exports every state. Interfaces come and go rarely and records flow
 * constantly, hence copy-on-write.
 */
final class FlowFanout implements FlowSink {
    private final List<FlowSink> targets = new CopyOnWriteArrayList<>();

    void add(FlowSink sink) {
        targets.add(sink);
    }

    void remove(FlowSink sink) {
        targets.remove(sink);
    }

    @Override
    public void accept(FlowRecord record) {
        for (FlowSink t : targets) {
            t.accept(record);
        }
    }
}
