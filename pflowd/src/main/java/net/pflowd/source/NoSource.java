package net.pflowd.source;

import java.util.Map;
import net.pflowd.flow.FlowSink;

/** {@code --source none}: no state table; the interfaces export nothing but their templates. */
public final class NoSource implements StateSource {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public void start(FlowSink sink) {
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    @Override
    public void close() {
    }
}
