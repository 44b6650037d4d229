package net.pflowd.source.pfctl;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.pflowd.text.OneLine;
import net.pflowd.flow.Clock;
import net.pflowd.flow.ExportProgress;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowSink;
import net.pflowd.flow.FlowState;
import net.pflowd.flow.StateRecords;
import net.pflowd.source.StateSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pf as the state table, read by polling {@code pfctl -s states -vv} (locally, or through any
 * command that prints the same listing, e.g. {@code ssh fw pfctl ...}).
 *
 * <p>States are keyed by {@code (id, creatorid)} (by their printed endpoints when the listing has no
 * ids) and tracked across polls. A state that is no longer listed has been removed by pf: it is
 * exported then, as pflow(4) exports at removal, from the counters of its last listing:
 * <ul>
 * <li>start = the wall-clock time of the poll that first listed it minus its {@code age} (seconds);</li>
 * <li>end = the time of the last poll at which its counters had grown (the first poll for a state
 *     never seen growing): the last packet lies between that poll and the one before, and not at
 *     removal, which for TCP comes up to a closed-state timeout later.</li>
 * </ul>
 * By default only states carrying the {@code pflow} flag are exported, as pflow(4) does
 * ({@code set state-defaults pflow} or {@code pass ... keep state (pflow)} in pf.conf);
 * {@code exportAll} exports every state (FreeBSD before 14.1 and macOS have no such flag).
 *
 * <p>Limits, by construction: a state created and removed between two polls is never seen; counters
 * after the last poll before removal are lost (at most one interval of traffic); a poll whose output
 * was cut at the size bound takes no state as removed (the unlisted ones may just be past the cut).
 *
 * <p>Failures (pfctl missing, exiting non-zero, hanging past the time limit, unparsable output) are
 * logged and counted, and the next interval tries again; no state is taken as removed on a failed
 * poll. The poller thread survives everything but {@link #close()}.
 *
 * <p>{@link #close()} stops polling (killing a running pfctl) and delivers what the last completed
 * poll found removed; it does <em>not</em> export states still listed: pf has not removed them, so a
 * pflowd started again later exports each of them once, with its full counters, when it does end.
 */
public final class PfctlSource implements StateSource {
    private static final Logger log = LoggerFactory.getLogger(PfctlSource.class);

    public static final String DEFAULT_PATH = "/sbin/pfctl";
    public static final List<String> DEFAULT_ARGS = List.of("-s", "states", "-vv");
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** About 180 000 {@code -vv} TCP records: well above pf's default limit of 100 000 states. */
    public static final int DEFAULT_MAX_OUTPUT = 64 << 20;

    private final Clock clock;
    private final List<String> command;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final int maxOutput;
    private final boolean exportAll;

    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong pollFailures = new AtomicLong();
    private final AtomicLong statesSeen = new AtomicLong();
    private final AtomicLong statesExported = new AtomicLong();
    private final AtomicLong recordsExported = new AtomicLong();
    private final AtomicLong parseErrors = new AtomicLong();
    private final AtomicLong truncatedPolls = new AtomicLong();
    private final AtomicLong unsupportedStates = new AtomicLong();
    private final AtomicLong statesRelisted = new AtomicLong();
    private volatile long statesTracked;

    /** Guards the table and the export path; one poll at a time. */
    private final Object pollLock = new Object();
    private final Map<String, Tracked> table = new HashMap<>();
    private final FlowState flow = new FlowState();
    private final FlowState since = new FlowState();
    private final FlowRecord scratch = new FlowRecord();
    private long generation;
    private String lastFailure;
    private long failuresInRow;
    private String lastStderr = "";
    private boolean warnedParse, warnedNoPflow;
    private boolean lastTruncated;
    /**
     * When each distinct stderr text or failure was last said at WARN/ERROR level: a pfctl that prints the same
     * warning every other run, or fails every other poll, is said once per {@value #REPEAT_MILLIS} ms, not per
     * poll. Bounded: the oldest texts are forgotten.
     */
    private final LinkedHashMap<String, Long> said = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 64;
        }
    };
    static final long REPEAT_MILLIS = 600_000;
    /** The failures of the current row were said at ERROR level (so their end is said too). */
    private boolean failureSaid;
    /**
     * States already exported, by key, the most recent {@value #EXPORTED_MEMORY}: a state that shows up again
     * after its export (it was missing from one listing only) is followed on but never exported a second time.
     */
    private final LinkedHashMap<String, PfState> exported = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PfState> eldest) {
            return size() > EXPORTED_MEMORY;
        }
    };
    static final int EXPORTED_MEMORY = 16_384;

    private volatile FlowSink sink;
    private volatile boolean closing;
    private Thread poller;
    private boolean started;

    /** A listed state; what its records carried so far is the {@link ExportProgress} it extends. */
    private static final class Tracked extends ExportProgress {
        PfState last;
        final long startMillis;
        long lastChangeMillis;
        long generation;
        /** Exported once already: ending it again exports nothing. */
        boolean alreadyExported;

        Tracked(PfState st, long startMillis, long now) {
            this.last = st;
            this.startMillis = startMillis;
            this.lastChangeMillis = now;
        }
    }

    /**
     * @param pfctl     program to run (e.g. {@value #DEFAULT_PATH})
     * @param args      its arguments ({@link #DEFAULT_ARGS}); the listing must include {@code -v} for the
     *                  counters and should include {@code -vv} for the ids
     * @param interval  time between polls; {@link Duration#ZERO} starts no poller thread (polls happen
     *                  only through {@link #pollOnce()}, for tests and one-shot use)
     * @param exportAll export every state, not only those with the {@code pflow} flag
     */
    public PfctlSource(Clock clock, String pfctl, List<String> args, Duration interval, boolean exportAll) {
        this(clock, pfctl, args, interval, exportAll, DEFAULT_TIMEOUT, DEFAULT_MAX_OUTPUT);
    }

    /**
     * @param timeout        a pfctl still running after this is killed (with its descendants)
     * @param maxOutputBytes stdout beyond this is read but dropped and the poll counted as truncated
     */
    public PfctlSource(Clock clock, String pfctl, List<String> args, Duration interval, boolean exportAll,
                       Duration timeout, int maxOutputBytes) {
        this.clock = Objects.requireNonNull(clock, "clock");
        List<String> cmd = new ArrayList<>();
        cmd.add(Objects.requireNonNull(pfctl, "pfctl"));
        cmd.addAll(args);
        this.command = List.copyOf(cmd);
        if (interval.isNegative() || timeout.isNegative() || timeout.isZero() || maxOutputBytes <= 0) {
            throw new IllegalArgumentException("pfctl: interval must be >= 0, timeout and output bound > 0");
        }
        this.intervalMillis = interval.toMillis();
        this.timeoutMillis = timeout.toMillis();
        this.maxOutput = maxOutputBytes;
        this.exportAll = exportAll;
    }

    /** The defaults: {@value #DEFAULT_PATH} {@code -s states -vv} every second, pflow-flagged states only. */
    public static PfctlSource withDefaults(Clock clock) {
        return new PfctlSource(clock, DEFAULT_PATH, DEFAULT_ARGS, DEFAULT_INTERVAL, false);
    }

    @Override
    public String name() {
        return "pfctl";
    }

    /** The argument vector run at each poll. */
    public List<String> command() {
        return command;
    }

    @Override
    public void start(FlowSink sink) {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("pfctl source already started");
            }
            started = true;
            this.sink = Objects.requireNonNull(sink, "sink");
            if (intervalMillis > 0) {
                poller = new Thread(this::pollLoop, "pfctl-poller");
                poller.setDaemon(true);
                poller.start();
            }
        }
        log.info("pfctl source: polling {} {}, exporting {}", String.join(" ", command),
                intervalMillis > 0 ? "every " + intervalMillis + " ms" : "on demand",
                exportAll ? "all states" : "states with the pflow flag");
    }

    private void pollLoop() {
        long next = System.nanoTime();
        while (!closing) {
            try {
                pollOnce();
            } catch (Throwable t) {
                // Nothing may stop the poller: count it, say it, poll again next interval.
                pollFailures.incrementAndGet();
                log.error("pfctl poll failed unexpectedly; retrying in {} ms", intervalMillis, t);
            }
            next += TimeUnit.MILLISECONDS.toNanos(intervalMillis);
            long now = System.nanoTime();
            if (next - now < 0) {
                next = now; // a slow poll: skip the missed ticks instead of bursting
            }
            synchronized (this) {
                long rem;
                while (!closing && (rem = next - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, rem);
                    } catch (InterruptedException e) {
                        // Only close() ends the poller.
                    }
                }
            }
        }
    }

    /**
     * Runs pfctl once and exports the states that disappeared since the previous poll. Called by the
     * poller thread each interval; may be called directly (not concurrently harmful: polls serialise).
     *
     * @return true when the listing was obtained (even if parts of it were not understood)
     */
    public boolean pollOnce() {
        FlowSink out = sink;
        if (out == null) {
            throw new IllegalStateException("pfctl source not started");
        }
        synchronized (pollLock) {
            if (closing) {
                return false;
            }
            long now = clock.millis();
            polls.incrementAndGet();
            PfctlRunner.Result r;
            try {
                r = PfctlRunner.run(command, timeoutMillis, maxOutput, () -> closing);
            } catch (IOException e) {
                return failed("cannot run " + command.get(0) + ": " + e.getMessage(), "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed("interrupted", "");
            }
            if (r.failure() != null && closing) {
                log.debug("pfctl: poll abandoned: the source is closing");
                return false;
            }
            if (r.failure() != null) {
                return failed(r.failure(), r.stderr());
            }
            if (r.exitCode() != 0) {
                return failed("exited with status " + r.exitCode(), r.stderr());
            }
            PfctlParser.Result parsed = PfctlParser.parse(new Latin1(r.stdout(), r.stdoutLength()), r.truncated());
            if (parsed.states().isEmpty() && parsed.errors() > 0 && !r.truncated()) {
                // Exit status 0, but not a listing (a usage text, an error on stdout, garbage): taking it as an
                // empty table would end every state. A failed poll ends none. (A cut listing ends none anyway.)
                return failed("output is not a state listing (" + parsed.errors() + " line(s) not understood,"
                        + " e.g. " + OneLine.of(String.join(" | ", parsed.samples())) + ")", r.stderr());
            }
            succeeded(r.stderr());
            if (r.truncated()) {
                truncatedPolls.incrementAndGet();
                if (!lastTruncated) {
                    log.warn("pfctl: output of {} bytes exceeds the bound of {} bytes: states past it are not"
                            + " seen in this poll, none is taken as removed (said once until a poll fits)",
                            r.stdoutTotal(), maxOutput);
                }
            }
            lastTruncated = r.truncated();
            if (parsed.errors() > 0) {
                parseErrors.addAndGet(parsed.errors());
                if (!warnedParse) {
                    warnedParse = true;
                    log.warn("pfctl: {} line(s) of the state listing not understood and skipped (further"
                            + " occurrences are only counted), e.g. {}", parsed.errors(), parsed.samples());
                } else {
                    log.debug("pfctl: {} line(s) skipped: {}", parsed.errors(), parsed.samples());
                }
            }
            update(parsed.states(), now, !parsed.truncated(), out);
            return true;
        }
    }

    private void update(List<PfState> states, long now, boolean complete, FlowSink out) {
        long gen = ++generation;
        boolean anyPflow = false;
        for (PfState st : states) {
            anyPflow |= st.pflow();
            String key = st.key();
            Tracked t = table.get(key);
            if (t != null && t.generation == gen) {
                continue; // listed twice in one poll: keep the first
            }
            if (t != null && !sameConnection(t.last, st)) {
                export(t, out); // the id now names another connection: the old one ended
                t = null;
            }
            if (t == null) {
                long start = st.ageSeconds() >= 0 ? now - st.ageSeconds() * 1000 : now;
                t = new Tracked(st, start, now);
                table.put(key, t);
                PfState before = exported.remove(key);
                if (before != null && sameConnection(before, st)) {
                    t.alreadyExported = true;
                    statesRelisted.incrementAndGet();
                    log.debug("pfctl: state {} listed again after its export; it will not be exported twice",
                            st.endpoints());
                } else {
                    statesSeen.incrementAndGet();
                }
            } else if (grew(t.last, st)) {
                t.lastChangeMillis = now;
            }
            t.last = st;
            t.generation = gen;
        }
        if (complete) {
            for (Iterator<Tracked> it = table.values().iterator(); it.hasNext(); ) {
                Tracked t = it.next();
                if (t.generation != gen) {
                    it.remove();
                    export(t, out);
                }
            }
        }
        statesTracked = table.size();
        if (!exportAll && !anyPflow && !states.isEmpty() && !warnedNoPflow) {
            warnedNoPflow = true;
            log.warn("pfctl: {} states listed, none with the pflow flag, so none will be exported; mark"
                    + " states in pf.conf (set state-defaults pflow) or export all states", states.size());
        }
    }

    private static boolean sameConnection(PfState a, PfState b) {
        return a.endpoints().equals(b.endpoints()) && !shrank(a, b);
    }

    private static boolean shrank(PfState a, PfState b) {
        return Long.compareUnsigned(b.origPackets(), a.origPackets()) < 0
                || Long.compareUnsigned(b.replyPackets(), a.replyPackets()) < 0
                || Long.compareUnsigned(b.origBytes(), a.origBytes()) < 0
                || Long.compareUnsigned(b.replyBytes(), a.replyBytes()) < 0;
    }

    private static boolean grew(PfState a, PfState b) {
        return a.origPackets() != b.origPackets() || a.replyPackets() != b.replyPackets()
                || a.origBytes() != b.origBytes() || a.replyBytes() != b.replyBytes();
    }

    private void export(Tracked t, FlowSink out) {
        PfState st = t.last;
        if (t.alreadyExported) {
            exported.put(st.key(), st);
            return;
        }
        exported.put(st.key(), st);
        if (!exportAll && !st.pflow()) {
            return;
        }
        long end = Math.max(t.lastChangeMillis, t.startMillis);
        if (!PfStateMapper.fill(st, t.startMillis, end, flow)) {
            unsupportedStates.incrementAndGet();
            log.debug("pfctl: state {} mixes address families (af-to); not exportable", st.endpoints());
            return;
        }
        PfStateMapper.fillInterfaces(st, PfStateMapper::localInterfaceIndex, flow);
        int n;
        try {
            // At removal, the counters since the state's previous export: all of them, as pf exports a state once.
            n = StateRecords.emit(t.takeSince(flow, end, end, since), scratch, out);
        } catch (RuntimeException e) {
            log.error("pfctl: the flow sink failed on state {}", st.endpoints(), e);
            return;
        }
        if (n > 0) {
            statesExported.incrementAndGet();
            recordsExported.addAndGet(n);
        }
    }

    private boolean failed(String why, String stderr) {
        pollFailures.incrementAndGet();
        failuresInRow++;
        String msg = OneLine.of(stderr.isEmpty() ? why : why + "; stderr: " + firstLines(stderr));
        if (!msg.equals(lastFailure) && firstTimeInAWhile("failure " + msg)) {
            failureSaid = true;
            log.error("pfctl: {} ({}); retrying at the next interval, states are kept until a poll succeeds",
                    msg, String.join(" ", command));
        } else {
            log.debug("pfctl: {} (again, {} failed polls in a row)", msg, failuresInRow);
        }
        lastFailure = msg;
        return false;
    }

    /** True when {@code key} was not said in the last {@value #REPEAT_MILLIS} ms; then it counts as said now. */
    private boolean firstTimeInAWhile(String key) {
        long now = clock.millis();
        Long last = said.get(key);
        if (last != null && now - last < REPEAT_MILLIS) {
            return false;
        }
        said.put(key, now);
        return true;
    }

    private void succeeded(String stderr) {
        if (failuresInRow > 0 && failureSaid) {
            log.info("pfctl: polling works again after {} failed poll(s)", failuresInRow);
        } else if (failuresInRow > 0) {
            log.debug("pfctl: polling works again after {} failed poll(s)", failuresInRow);
        }
        failureSaid = false;
        failuresInRow = 0;
        lastFailure = null;
        // FreeBSD prints ALTQ warnings on every run: say a given stderr once (again after a long while), then
        // only in debug, even when runs without it come in between.
        if (!stderr.isEmpty() && !stderr.equals(lastStderr) && firstTimeInAWhile("stderr " + stderr)) {
            log.warn("pfctl: stderr: {}", OneLine.of(firstLines(stderr)));
        } else if (!stderr.isEmpty()) {
            log.debug("pfctl: stderr: {}", firstLines(stderr));
        }
        lastStderr = stderr;
    }

    private static String firstLines(String s) {
        String one = s.replace('\n', '|');
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }

    @Override
    public java.util.Set<String> gauges() {
        return java.util.Set.of("states tracked");
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("polls", polls.get());
        m.put("poll failures", pollFailures.get());
        m.put("states seen", statesSeen.get());
        m.put("states exported", statesExported.get());
        m.put("records exported", recordsExported.get());
        m.put("parse errors", parseErrors.get());
        m.put("truncated polls", truncatedPolls.get());
        m.put("unsupported states", unsupportedStates.get());
        m.put("states tracked", statesTracked);
        m.put("states relisted", statesRelisted.get());
        return m;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            notifyAll();
            t = poller;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                // A running pfctl is killed within ~100 ms of closing; its readers drain in 2 s at most.
                t.join(timeoutMillis + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (pollLock) {
            // Taking the lock waits for a pollOnce() running on another thread to finish delivering.
            log.info("pfctl source stopped; {} states still listed by pf are left for pf to end"
                    + " (not exported)", table.size());
        }
    }

    /** The collected bytes as characters, without copying (pfctl prints ASCII). */
    private static final class Latin1 implements CharSequence {
        private final byte[] b;
        private final int off, len;

        Latin1(byte[] b, int len) {
            this(b, 0, len);
        }

        private Latin1(byte[] b, int off, int len) {
            this.b = b;
            this.off = off;
            this.len = len;
        }

        @Override
        public int length() {
            return len;
        }

        @Override
        public char charAt(int i) {
            return (char) (b[off + i] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Latin1(b, off + start, end - start);
        }

        @Override
        public String toString() {
            return new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
