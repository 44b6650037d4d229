package net.pflowd.source.conntrack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import net.pflowd.flow.Clock;
import net.pflowd.flow.ExportProgress;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowSink;
import net.pflowd.flow.FlowState;
import net.pflowd.flow.StateRecords;

/**
 * pflowd's view of the kernel's connection-tracking table, fed with parsed DESTROY events and dumps and driven
 * by a clock: which connections to export, when, with which counters and times. No I/O and no threads: {@link
 * ConntrackSource} owns the sockets and calls it from its reader thread, tests call it directly.
 *
 * <p>The rules it keeps:
 * <ul>
 * <li><b>Every connection is exported once.</b> A DESTROY event exports it; its key (CTA_ID and original tuple)
 *     is remembered for {@link #FINISHED_MEMORY_MILLIS}, so a redelivered event or a later dump row does not
 *     export it again.
 * <li><b>Nothing is ended by a dump that did not complete.</b> Only a {@link Dump#complete() complete} dump
 *     tells which known entries are gone. An entry missing from one waits {@link
 *     ConntrackSettings#redeliveryGraceMillis} for its event (after an overrun the kernel redelivers it), and is
 *     exported from its last dumped counters only when a complete dump begun after that grace misses it again.
 * <li><b>The records of one connection add up to the kernel's totals.</b> With an active timeout, long-lived
 *     connections are exported from dumps with the counters gained since their previous export; the event
 *     carries the remainder.
 * <li><b>Each record covers its own interval.</b> Its start is the connection's first packet, or the moment the
 *     counters of the previous record were read (or a later read that found nothing new); its end is its own
 *     last packet as {@link ProtocolTimeouts#lastPacketMillis} derives it, never before its start.
 * </ul>
 */
public final class ConntrackTable {
    /** How long exported keys are remembered: longer than any redelivery or the dumps that may still show them. */
    static final long FINISHED_MEMORY_MILLIS = 120_000;

    /** Why a dump is wanted; {@link #dumpDue} says which one is due. */
    public enum DumpKind {
        /** Long-lived connections are due for an active-timeout export. */
        ACTIVE,
        /** Entries known only from a dump may have ended without an event (created before events were on). */
        RECONCILE,
        /** Entries missing from an earlier dump are past their grace: confirm before exporting them. */
        CONFIRM,
        /** The event socket overran: the table is read again to find what was lost. */
        RESYNC
    }

    private final ConntrackSettings settings;
    private final ProtocolTimeouts timeouts;
    private final Clock clock;
    private final FlowSink sink;
    private final Consumer<FlowState> interfaces;

    private final AtomicLong records = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong activeExports = new AtomicLong();
    private final AtomicLong dumpExported = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong liveEntries = new AtomicLong();

    /** Live entries known from dumps, by key. */
    private final Map<Long, Tracked> table = new HashMap<>();
    /** Entries missing from a complete dump: key -> the time after which a complete dump may end them. */
    private final Map<Long, Long> pending = new HashMap<>();
    /** Keys of entries exported for good. */
    private final RecentKeys finished = new RecentKeys();

    private final FlowRecord scratch = new FlowRecord();
    private final FlowState out = new FlowState();
    private long nextActiveMillis;
    private long nextReconcileMillis;

    /** A live entry as the last dump showed it, and what was exported of it. */
    private static final class Tracked extends ExportProgress {
        /** Tuples and counters at the last dump. */
        final FlowState last = new FlowState();
        /** Its last packet as derived at that dump. */
        long lastPacketMillis;
        boolean selected;
        /** When it was last exported, or first seen: the active timeout counts from here. */
        long lastExportMillis;
    }

    /**
     * @param interfaces fills a connection's input and output interface indexes before its records are made
     */
    public ConntrackTable(ConntrackSettings settings, ProtocolTimeouts timeouts, Clock clock, FlowSink sink,
            Consumer<FlowState> interfaces) {
        this.settings = settings;
        this.timeouts = timeouts;
        this.clock = clock;
        this.sink = sink;
        this.interfaces = interfaces;
        long now = clock.millis();
        nextActiveMillis = settings.activeTimeoutSeconds > 0 ? now + activeDumpPeriodMillis() : Long.MAX_VALUE;
        nextReconcileMillis = now + settings.reconcileSeconds * 1000L;
    }

    // ---------------------------------------------------------------- events

    /** A DESTROY event: the kernel removed the entry (expired, deleted or flushed). Exports it unless already done. */
    public void destroyed(CtEntry e) {
        long now = clock.millis();
        Tracked t = null;
        if (e.hasId) {
            long key = key(e);
            if (!finished.add(key, now)) {
                duplicates.incrementAndGet(); // already exported from a dump, or delivered twice
                return;
            }
            if (!table.isEmpty()) { // empty in a storm of connections made after the start: no boxing then
                t = table.remove(key);
                pending.remove(key);
                liveEntries.set(table.size() - pending.size());
            }
        }
        if (!selected(e)) {
            filtered.incrementAndGet();
            return;
        }
        long stop = e.stopNanos != 0 ? e.stopNanos / 1_000_000L : now;
        if (t != null) {
            emit(t.takeSince(e.state, timeouts.lastPacketMillis(e, stop, true, t.intervalStart(e.state)), stop, out));
        } else {
            e.state.endMillis = timeouts.lastPacketMillis(e, stop, true, e.state.startMillis);
            emit(e.state);
        }
        connections.incrementAndGet();
    }

    // ---------------------------------------------------------------- dumps

    /** Which dump is due at {@code now}, or null. The caller runs it with {@link #beginDump}. */
    public DumpKind dumpDue(long now) {
        if (now >= nextActiveMillis) {
            return DumpKind.ACTIVE;
        }
        for (long deadline : pending.values()) {
            if (deadline <= now) {
                return DumpKind.CONFIRM;
            }
        }
        if (now >= nextReconcileMillis) {
            nextReconcileMillis = now + settings.reconcileSeconds * 1000L;
            if (settings.reconcileSeconds > 0 && table.size() > pending.size()) {
                return DumpKind.RECONCILE;
            }
        }
        return null;
    }

    /** Starts reading the whole table; feed it every row, then {@link Dump#complete()} if the dump ended well. */
    public Dump beginDump() {
        long now = clock.millis();
        if (settings.activeTimeoutSeconds > 0) { // every dump is an active pass: the next one is due from now
            nextActiveMillis = now + activeDumpPeriodMillis();
        }
        nextReconcileMillis = now + settings.reconcileSeconds * 1000L;
        return new Dump(now, settings.activeTimeoutSeconds > 0);
    }

    /**
     * Every dump is an active-timeout pass too, so the period is half the timeout: a connection is exported
     * between one and one and a half timeouts after its previous export.
     */
    private long activeDumpPeriodMillis() {
        return Math.max(1, settings.activeTimeoutSeconds / 2) * 1000L;
    }

    /** One reading of the whole table. Rows go to {@link #row}; a dump that fails is simply dropped. */
    public final class Dump {
        private final long startedMillis;
        private final boolean active;
        private final Set<Long> seen = new HashSet<>(table.size() * 2 + 16);

        private Dump(long startedMillis, boolean active) {
            this.startedMillis = startedMillis;
            this.active = active;
        }

        /** One live entry as the dump shows it. */
        public void row(CtEntry e) {
            if (!e.hasId) {
                return;
            }
            long key = key(e);
            if (finished.contains(key)) {
                return; // its DESTROY came while the dump ran
            }
            long now = clock.millis();
            seen.add(key);
            Tracked t = table.get(key);
            if (t == null) {
                t = new Tracked();
                t.selected = selected(e);
                t.lastExportMillis = e.state.startMillis != 0 ? e.state.startMillis : now;
                table.put(key, t);
            }
            pending.remove(key);
            t.last.copyFrom(e.state);
            t.lastPacketMillis = timeouts.lastPacketMillis(e, now, false, t.intervalStart(e.state));
            if (t.nothingSince(e.state)) {
                t.idleAt(now); // the next record starts after this read
            } else if (active && t.selected && now - t.lastExportMillis >= settings.activeTimeoutSeconds * 1000L) {
                if (emit(t.takeSince(e.state, t.lastPacketMillis, now, out)) > 0) {
                    activeExports.incrementAndGet();
                }
                t.lastExportMillis = now;
            }
        }

        /**
         * The dump reached its end without error: entries it did not show are gone. Those missing for the first
         * time get their grace; those missing again after it are exported from their last counters.
         */
        public void complete() {
            long now = clock.millis();
            List<Long> ended = new ArrayList<>();
            for (Long key : table.keySet()) {
                if (seen.contains(key)) {
                    continue;
                }
                Long deadline = pending.get(key);
                if (deadline == null) {
                    pending.put(key, now + settings.redeliveryGraceMillis);
                } else if (deadline <= startedMillis) {
                    ended.add(key);
                }
            }
            for (Long key : ended) {
                endFromDump(key, now);
            }
            liveEntries.set(table.size() - pending.size());
        }
    }

    /** Entries whose DESTROY never came: export them from their last dumped counters. */
    private void endFromDump(Long key, long now) {
        pending.remove(key);
        Tracked t = table.remove(key);
        if (t == null || !finished.add(key, now)) {
            return;
        }
        if (t.selected) {
            emit(t.takeSince(t.last, t.lastPacketMillis, now, out));
            connections.incrementAndGet();
            dumpExported.incrementAndGet();
        }
    }

    // ---------------------------------------------------------------- time passing

    /** Forgets keys exported long ago; call a few times a second. */
    public void housekeeping(long now) {
        finished.forgetBefore(now - FINISHED_MEMORY_MILLIS);
    }

    /** Nothing more will be read: entries still waiting for their event are exported from their last counters. */
    public void close() {
        long now = clock.millis();
        for (Long key : new ArrayList<>(pending.keySet())) {
            endFromDump(key, now);
        }
        liveEntries.set(table.size());
    }

    // ---------------------------------------------------------------- export

    private int emit(FlowState s) {
        interfaces.accept(s);
        int n = StateRecords.emit(s, scratch, sink);
        records.addAndGet(n);
        return n;
    }

    /**
     * The identity of an entry: CTA_ID is a 32-bit hash, so among 100k live entries two share one about
     * once; the high half adds a hash of the original tuple, which never changes during the entry's life.
     */
    static long key(CtEntry e) {
        FlowState s = e.state;
        long h = s.origSrcHi * 31 + s.origSrcLo;
        h = h * 31 + s.origDstHi;
        h = h * 31 + s.origDstLo;
        h = h * 31 + ((long) s.origSrcPort << 16 | s.origDstPort);
        h = h * 31 + s.protocol;
        h ^= h >>> 32;
        return (h << 32) | (e.id & 0xffffffffL);
    }

    private boolean selected(CtEntry e) {
        if (settings.markValue != null && (e.mark & settings.markMask) != settings.markValue) {
            return false;
        }
        if (settings.zone != null && e.zone != settings.zone) {
            return false;
        }
        return !settings.exclude.test(e.state);
    }

    /** Live entries known from dumps (for tests and the reader's log line). */
    public int size() {
        return table.size();
    }

    /** The table's counters, in the order {@code ifconfig -v} shows them. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("records", records.get());
        m.put("connections", connections.get());
        m.put("active-exports", activeExports.get());
        m.put("dump-exported", dumpExported.get());
        m.put("skipped-filtered", filtered.get());
        m.put("skipped-duplicate", duplicates.get());
        m.put("live-entries", liveEntries.get());
        return m;
    }
}
