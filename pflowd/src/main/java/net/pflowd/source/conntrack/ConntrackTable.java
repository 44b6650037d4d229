package net.pflowd.source.conntrack;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * <li><b>Dumps only as often as they are needed.</b> With an active timeout, one every half timeout (every dump is
 *     an active pass); after a complete dump missed entries, one when their grace ends; and, every {@link
 *     ConntrackSettings#reconcileSeconds} (or at the active dumps' pace when that is slower: they reconcile too),
 *     one while selected entries made before the event socket listened are live (their end may come without an
 *     event). Entries made later end with an event and need no dump of their own.
 * </ul>
 *
 * <p>A router tracks up to the kernel's 262,144 entries, and each dump shows every one: they are kept in
 * primitive arrays ({@link TrackedEntries}, about 112 bytes each) and a dump row of a known entry allocates
 * nothing.
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

    /** Live entries known from dumps. */
    private final TrackedEntries table = new TrackedEntries();
    /** Entries missing from a complete dump (flagged pending there): key -> the time after which a dump may end them. */
    private final Map<Long, Long> pending = new HashMap<>();
    /** Keys of entries exported for good, remembered 120 to 180 s. */
    private final RecentKeys finished = new RecentKeys(FINISHED_MEMORY_MILLIS / 2);
    /** Live entries, not pending, that may end without an event: while there are any, reconciling dumps run. */
    private int silentEnders;
    /**
     * Entries that began after this moment were created with the event socket listening, so their end comes as
     * an event; Long.MAX_VALUE until the source says when it subscribed (every entry may then end silently).
     */
    private long eventsSinceMillis = Long.MAX_VALUE;
    /** Numbers the dumps, so that an entry records the last one that showed it. */
    private int dumps;

    private final FlowRecord scratch = new FlowRecord();
    private final FlowState out = new FlowState();
    private final FlowState last = new FlowState();
    private final ExportProgress progress = new ExportProgress();
    private long nextActiveMillis;
    private long nextReconcileMillis;

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
        nextReconcileMillis = now + reconcilePeriodMillis();
    }

    /**
     * The source's event socket listens since {@code millis}: an entry that began more than a second later (the
     * kernel gives an entry its event cache when it creates it, and stamps its start when it confirms it, one
     * packet later) reports its end with an event and needs no reconciling dump.
     */
    public void eventsSince(long millis) {
        eventsSinceMillis = millis;
    }

    // ---------------------------------------------------------------- events

    /** A DESTROY event: the kernel removed the entry (expired, deleted or flushed). Exports it unless already done. */
    public void destroyed(CtEntry e) {
        long now = clock.millis();
        boolean tracked = false;
        if (e.hasId) {
            long key = key(e);
            if (!finished.add(key, now)) {
                duplicates.incrementAndGet(); // already exported from a dump, or delivered twice
                return;
            }
            int i = table.size() > 0 ? table.find(key) : -1; // none in a storm of connections made after the start
            if (i >= 0) {
                table.loadProgress(i, progress);
                remove(i);
                tracked = true;
                liveEntries.set(table.size() - pending.size());
            }
        }
        if (!selected(e)) {
            filtered.incrementAndGet();
            return;
        }
        long stop = e.stopNanos != 0 ? e.stopNanos / 1_000_000L : now;
        if (tracked) {
            emit(progress.takeSince(e.state, timeouts.lastPacketMillis(e, stop, true, progress.intervalStart(e.state)),
                    stop, out));
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
            nextReconcileMillis = now + reconcilePeriodMillis();
            if (settings.reconcileSeconds > 0 && silentEnders > 0) {
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
        nextReconcileMillis = now + reconcilePeriodMillis();
        return new Dump(now, settings.activeTimeoutSeconds > 0, ++dumps);
    }

    /**
     * Every dump reconciles (a complete one tells which entries are gone), so with an active timeout the active
     * dumps do it at their own pace: a reconciling dump of its own would read the whole table again, for entries
     * that a router may keep for days.
     */
    private long reconcilePeriodMillis() {
        long reconcile = settings.reconcileSeconds * 1000L;
        return settings.activeTimeoutSeconds > 0 ? Math.max(reconcile, activeDumpPeriodMillis()) : reconcile;
    }

    /**
     * Every dump is an active-timeout pass too, so the period is half the timeout: a connection is exported
     * between one and one and a half timeouts after its previous export.
     */
    private long activeDumpPeriodMillis() {
        return Math.max(1, settings.activeTimeoutSeconds / 2) * 1000L;
    }

    /**
     * One reading of the whole table. Rows go to {@link #row}; a dump that fails is simply dropped. One dump at a
     * time: an entry remembers the last dump that showed it, so a dump begun later takes over.
     */
    public final class Dump {
        private final long startedMillis;
        private final boolean active;
        private final int number;

        private Dump(long startedMillis, boolean active, int number) {
            this.startedMillis = startedMillis;
            this.active = active;
            this.number = number;
        }

        /** One live entry as the dump shows it. Allocates nothing for an entry already known. */
        public void row(CtEntry e) {
            if (!e.hasId) {
                return;
            }
            long key = key(e);
            if (finished.contains(key)) {
                return; // its DESTROY came while the dump ran
            }
            long now = clock.millis();
            int i = table.find(key);
            if (i < 0) {
                i = table.add(key);
                boolean selected = selected(e);
                table.selected(i, selected);
                table.lastExportMillis(i, e.state.startMillis != 0 ? e.state.startMillis : now);
                // Only a selected entry's end is exported: an unselected one that ends silently just waits for
                // the next dump of any kind to leave the table.
                boolean silent = selected && (eventsSinceMillis == Long.MAX_VALUE || e.state.startMillis == 0
                        || e.state.startMillis <= eventsSinceMillis + 1000);
                table.mayEndSilently(i, silent);
                if (silent) {
                    silentEnders++;
                }
            }
            table.seenIn(i, number);
            if (table.pending(i)) {
                pending.remove(key);
                setPending(i, false);
            }
            table.storeState(i, e.state);
            ExportProgress p = table.loadProgress(i, progress);
            long lastPacket = timeouts.lastPacketMillis(e, now, false, p.intervalStart(e.state));
            table.lastPacketMillis(i, lastPacket);
            if (p.nothingSince(e.state)) {
                p.idleAt(now); // the next record starts after this read
            } else if (active && table.selected(i)
                    && now - table.lastExportMillis(i) >= settings.activeTimeoutSeconds * 1000L) {
                if (emit(p.takeSince(e.state, lastPacket, now, out)) > 0) {
                    activeExports.incrementAndGet();
                }
                table.lastExportMillis(i, now);
            }
            table.storeProgress(i, p);
        }

        /**
         * The dump reached its end without error: entries it did not show are gone. Those missing for the first
         * time get their grace; those missing again after it are exported from their last counters.
         */
        public void complete() {
            long now = clock.millis();
            // Downwards: ending entry i moves the last entry, already looked at, into its place.
            for (int i = table.size() - 1; i >= 0; i--) {
                if (table.seenIn(i) == number) {
                    continue;
                }
                long key = table.key(i);
                if (!table.pending(i)) {
                    pending.put(key, now + settings.redeliveryGraceMillis);
                    setPending(i, true);
                } else if (pending.get(key) <= startedMillis) {
                    endFromDump(i, now);
                }
            }
            liveEntries.set(table.size() - pending.size());
        }
    }

    private void setPending(int i, boolean on) {
        table.pending(i, on);
        if (table.mayEndSilently(i)) {
            silentEnders += on ? -1 : 1;
        }
    }

    private void remove(int i) {
        if (table.pending(i)) {
            pending.remove(table.key(i));
        } else if (table.mayEndSilently(i)) {
            silentEnders--;
        }
        table.remove(i);
    }

    /** An entry whose DESTROY never came: export it from its last dumped counters. */
    private void endFromDump(int i, long now) {
        long key = table.key(i);
        boolean selected = table.selected(i);
        long lastPacket = table.lastPacketMillis(i);
        table.loadState(i, last);
        table.loadProgress(i, progress);
        remove(i);
        if (!finished.add(key, now)) {
            return;
        }
        if (selected) {
            emit(progress.takeSince(last, lastPacket, now, out));
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
        for (int i = table.size() - 1; i >= 0; i--) {
            if (table.pending(i)) {
                endFromDump(i, now);
            }
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
