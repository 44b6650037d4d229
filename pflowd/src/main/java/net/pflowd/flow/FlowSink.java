package net.pflowd.flow;

/**
 * Where state-table sources deliver one-way records. The record is only valid during the call: a sink
 * that keeps it must copy it (the export engine encodes it at once and keeps nothing).
 */
@FunctionalInterface
public interface FlowSink {
    void accept(FlowRecord record);
}
