package net.pflowd.source;

import java.util.Map;
import net.pflowd.flow.FlowSink;

/**
 * A state table that reports ended connections: Linux conntrack over ctnetlink, or pf read with pfctl.
 * A source turns each ended (or, with an active timeout, each long-lived) connection into one-way
 * records with {@link net.pflowd.flow.StateRecords} and hands them to the sink, which fans them out to
 * every pflow interface.
 */
public interface StateSource extends AutoCloseable {
    /** Short name used in logs and on the command line: {@code conntrack}, {@code pfctl}, {@code none}. */
    String name();

    /** Starts delivering records to {@code sink}; returns once the source is running. */
    void start(FlowSink sink) throws Exception;

    /**
     * Counters for the interface statistics (events, overruns, resyncs, records, skipped entries,
     * parse errors ...), by name, in a stable order. Safe to call from any thread.
     */
    Map<String, Long> counters();

    /** Which of {@link #counters()} are levels that go up and down (e.g. entries tracked), not counts of events. */
    default java.util.Set<String> gauges() {
        return java.util.Set.of();
    }

    /** Stops reading; everything already received is delivered to the sink before this returns. */
    @Override
    void close();
}
