package net.pflowd.flow;

/**
 * What the records of one connection have carried so far: the counters exported and where the next record's
 * interval begins. A state table that exports a connection more than once (an active timeout) or only at its
 * end keeps one per connection (its entry extends this class, so no object is added per connection) and takes
 * from it the record of what came since, so that all records of a connection add up to its totals and each
 * covers its own interval. A table that keeps its connections in primitive arrays instead loads each one's
 * progress into one reused instance ({@link #restore}), applies the same rules, and stores it back from the
 * getters.
 */
public class ExportProgress {
    private long origPackets, origBytes, replyPackets, replyBytes;
    /** Where the next record begins; 0 before the first export (the connection's own start). */
    private long intervalStartMillis;

    /** The start of the next record: the connection's first packet, or a later moment this progress set. */
    public final long intervalStart(FlowState now) {
        return Math.max(now.startMillis, intervalStartMillis);
    }

    /** True when {@code now} counted nothing beyond what was exported. */
    public final boolean nothingSince(FlowState now) {
        return now.origPackets == origPackets && now.origBytes == origBytes
                && now.replyPackets == replyPackets && now.replyBytes == replyBytes;
    }

    /**
     * Counters read at {@code readMillis} held nothing new: whatever comes next comes after that read, so the
     * next record starts there.
     */
    public final void idleAt(long readMillis) {
        intervalStartMillis = readMillis;
    }

    /**
     * Fills {@code out} with {@code now} less what was exported, covering {@code [intervalStart(now), endMillis]}
     * (an end before the start is moved to it), and counts it as exported. The next record starts at
     * {@code readMillis}, when {@code now}'s counters were read.
     */
    public final FlowState takeSince(FlowState now, long endMillis, long readMillis, FlowState out) {
        out.copyFrom(now);
        out.origPackets = now.origPackets - origPackets;
        out.origBytes = now.origBytes - origBytes;
        out.replyPackets = now.replyPackets - replyPackets;
        out.replyBytes = now.replyBytes - replyBytes;
        out.startMillis = intervalStart(now);
        out.endMillis = Math.max(endMillis, out.startMillis);
        origPackets = now.origPackets;
        origBytes = now.origBytes;
        replyPackets = now.replyPackets;
        replyBytes = now.replyBytes;
        intervalStartMillis = readMillis;
        return out;
    }

    /** Sets the progress to what a table stored: the counters exported so far and where the next record begins. */
    public final ExportProgress restore(long origPackets, long origBytes, long replyPackets, long replyBytes,
            long intervalStartMillis) {
        this.origPackets = origPackets;
        this.origBytes = origBytes;
        this.replyPackets = replyPackets;
        this.replyBytes = replyBytes;
        this.intervalStartMillis = intervalStartMillis;
        return this;
    }

    public final long exportedOrigPackets() {
        return origPackets;
    }

    public final long exportedOrigBytes() {
        return origBytes;
    }

    public final long exportedReplyPackets() {
        return replyPackets;
    }

    public final long exportedReplyBytes() {
        return replyBytes;
    }

    /** Where the next record begins as stored (0 before the first export); see {@link #intervalStart}. */
    public final long intervalStartMillis() {
        return intervalStartMillis;
    }
}
