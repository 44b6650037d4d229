package net.pflowd.source.conntrack;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.pflowd.flow.Clock;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowSink;
import net.pflowd.flow.FlowState;
import net.pflowd.flow.StateRecords;
import net.pflowd.linux.Fcntl;
import net.pflowd.linux.LibC;
import net.pflowd.linux.Nfnetlink;
import net.pflowd.linux.NfnetlinkConntrack;
import net.pflowd.linux.Sched;
import net.pflowd.linux.Socket;
import net.pflowd.source.StateSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux conntrack as pflowd's state table, read over ctnetlink.
 *
 * <p>One dedicated thread owns everything: it enters the configured network namespace, prepares the
 * kernel, dumps the table once (the live entries and their counters), then reads DESTROY events (only
 * they and dumps carry counters and timestamps) and turns each into records at once. The event socket has
 * a large receive buffer and NETLINK_BROADCAST_ERROR, so a DESTROY event that finds it full is kept and
 * delivered again by the kernel rather than lost. An overrun (ENOBUFS) is counted, the buffer doubled and
 * the table re-dumped: entries that vanished meanwhile wait {@link ConntrackSettings#redeliveryGraceMillis}
 * for their redelivered event, then are exported from their last dumped counters. Every connection is
 * exported once: entries already finished are remembered (by CTA_ID and original tuple).
 *
 * <p>Entries created before events were enabled never produce a DESTROY event; while any entry known
 * only from a dump is live, the table is re-dumped every {@link ConntrackSettings#reconcileSeconds} and
 * the vanished ones are exported the same way.
 *
 * <p>With an active timeout, the thread dumps the table periodically and exports long-lived entries with
 * the counters gained since their previous export, so all records of a connection add up to the kernel's
 * totals and the DESTROY record carries the remainder.
 */
public final class ConntrackSource implements StateSource {
    private static final Logger LOG = LoggerFactory.getLogger(ConntrackSource.class);
    private static final int RECV_BUFFER = 1 << 20;
    private static final long FINISHED_MEMORY_MILLIS = 120_000;
    /** How long the reader lets events gather after it caught up (the delay this adds to a record). */
    private static final long COALESCE_NANOS = 1_000_000;

    private final ConntrackSettings settings;
    private final Clock clock;

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong exportedEntries = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong resyncExported = new AtomicLong();
    private final AtomicLong activeExports = new AtomicLong();
    private final AtomicLong liveEntries = new AtomicLong();
    private final AtomicLong dumpErrors = new AtomicLong();
    private final AtomicLong receiveBuffer = new AtomicLong();

    private final CtnetlinkParser parser = new CtnetlinkParser();
    private final FlowRecord scratch = new FlowRecord();
    private final FlowState out = new FlowState();
    /** Live entries by CTA_ID, from dumps: last known counters and what was already exported. */
    private final Map<Long, Tracked> table = new HashMap<>();
    /** Entries missing from a resync dump, waiting for their redelivered DESTROY: id -> export deadline. */
    private final Map<Long, Long> pending = new HashMap<>();
    /** Keys of entries exported for good, remembered for {@link #FINISHED_MEMORY_MILLIS}. */
    private final RecentKeys finished = new RecentKeys();

    private volatile boolean stopping;
    private volatile Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Throwable startError;
    private FlowSink sink;
    private ProtocolTimeouts timeouts = new ProtocolTimeouts();
    private boolean installedTable;
    private int dumpSeq = 1;
    private int requestedBuffer;

    private static final class Tracked {
        final FlowState last = new FlowState();
        long dumpMillis;
        long remainingSeconds;
        long fullSeconds = -1;
        int mark, zone;
        boolean selected;
        long expOrigPackets, expOrigBytes, expReplyPackets, expReplyBytes;
        long lastExportMillis;
    }

    public ConntrackSource(ConntrackSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "conntrack";
    }

    @Override
    public void start(FlowSink sink) throws Exception {
        this.sink = sink;
        Thread t = new Thread(this::run, "conntrack-events");
        t.setDaemon(true);
        thread = t;
        t.start();
        started.await();
        if (startError != null) {
            t.join();
            if (startError instanceof Exception) {
                throw (Exception) startError;
            }
            throw new IOException("conntrack source failed to start", startError);
        }
    }

    @Override
    public java.util.Set<String> gauges() {
        return java.util.Set.of("live-entries", "receive-buffer");
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("events", events.get());
        m.put("overruns", overruns.get());
        m.put("resyncs", resyncs.get());
        m.put("records", records.get());
        m.put("connections", exportedEntries.get());
        m.put("active-exports", activeExports.get());
        m.put("dump-exported", resyncExported.get());
        m.put("skipped-filtered", filtered.get());
        m.put("skipped-malformed", malformed.get());
        m.put("skipped-duplicate", duplicates.get());
        m.put("dump-errors", dumpErrors.get());
        m.put("live-entries", liveEntries.get());
        m.put("receive-buffer", receiveBuffer.get());
        return m;
    }

    @Override
    public void close() {
        stopping = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- the reader thread

    private void run() {
        CtnetlinkSocket ev = null, dump = null;
        try {
            if (settings.netnsPath != null) {
                enterNamespace(settings.netnsPath);
            }
            if (settings.configureSysctls) {
                KernelSetup.sysctls();
            }
            if (settings.installNftTable && !KernelSetup.rulesetUsesConntrack()) {
                KernelSetup.installTable(settings.nftTableName);
                installedTable = true;
            }
            timeouts = ProtocolTimeouts.read();
            // Subscribe before dumping: an entry destroyed during the dump is then seen by its event.
            ev = new CtnetlinkSocket(Nfnetlink.NFNLGRP_CONNTRACK_DESTROY);
            requestedBuffer = settings.receiveBufferBytes;
            receiveBuffer.set(ev.receiveBuffer(requestedBuffer));
            dump = new CtnetlinkSocket();
            dump.receiveBuffer(32 << 20);
            ByteBuffer buf = ByteBuffer.allocateDirect(RECV_BUFFER);
            dumpTable(dump, buf, false);
            LOG.info("conntrack: {} live entries, receive buffer {} bytes", table.size(), receiveBuffer.get());
        } catch (Throwable e) {
            startError = e;
            cleanup(ev, dump);
            started.countDown();
            return;
        }
        started.countDown();
        try {
            loop(ev, dump);
        } catch (Throwable e) {
            LOG.error("conntrack reader stopped: {}", e.toString(), e);
        } finally {
            cleanup(ev, dump);
        }
    }

    private void loop(CtnetlinkSocket ev, CtnetlinkSocket dump) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(RECV_BUFFER);
        CtnetlinkParser.Handler onEvent = new CtnetlinkParser.Handler() {
            @Override
            public void entry(CtEntry e) {
                events.incrementAndGet();
                if (e.msgType == NfnetlinkConntrack.IPCTNL_MSG_CT_DELETE) {
                    destroyed(e);
                }
            }

            @Override
            public void malformed(String why) {
                malformed.incrementAndGet();
                LOG.debug("malformed ctnetlink event: {}", why);
            }
        };
        long nextActive = settings.activeTimeoutSeconds > 0
                ? clock.millis() + settings.activeTimeoutSeconds * 1000L : Long.MAX_VALUE;
        long nextHousekeeping = 0;
        long nextReconcile = clock.millis() + settings.reconcileSeconds * 1000L;
        while (true) {
            boolean stop = stopping;
            int n = ev.receiveBatch();
            if (n > 0) {
                Socket.MmsgVector batch = ev.batch();
                for (int i = 0; i < n; i++) {
                    if (batch.truncated(i)) {
                        onEvent.malformed("event longer than " + CtnetlinkSocket.BATCH_SLOT_BYTES + " bytes");
                    } else {
                        parser.parseDatagram(batch.data(), batch.offset(i), batch.length(i), onEvent);
                    }
                }
                if (n < CtnetlinkSocket.BATCH_SLOTS) {
                    // Caught up in the middle of a burst: let events gather for a moment instead of waiting in
                    // poll(2), where the kernel would wake us for each single event, in the context of the
                    // process that ends connections (a table flush then runs a third slower).
                    LockSupport.parkNanos(COALESCE_NANOS);
                }
                continue;
            }
            if (CtnetlinkSocket.isNoBuffers(n)) {
                overrun(ev, dump, buf);
                continue;
            }
            if (stop) {
                break; // empty after the stop request: everything received has been delivered
            }
            long now = clock.millis();
            if (now >= nextActive) {
                redump(dump, buf, true);
                nextActive = now + Math.max(1, settings.activeTimeoutSeconds / 2) * 1000L;
                nextReconcile = now + settings.reconcileSeconds * 1000L;
            } else if (now >= nextReconcile) {
                if (table.size() > pending.size() && settings.reconcileSeconds > 0) {
                    redump(dump, buf, false);
                }
                nextReconcile = now + settings.reconcileSeconds * 1000L;
            }
            if (now >= nextHousekeeping) {
                if (anyPendingDue(now)) {
                    // Confirm with a fresh dump before exporting from old counters: a dump that raced
                    // with a hash-table resize may have skipped a live entry.
                    redump(dump, buf, false);
                }
                expirePending(now, false);
                forgetOldFinished(now);
                nextHousekeeping = now + 200;
            }
            ev.poll(100);
        }
        expirePending(clock.millis(), true); // nothing more will come for them
    }

    private void overrun(CtnetlinkSocket ev, CtnetlinkSocket dump, ByteBuffer buf) throws IOException {
        overruns.incrementAndGet();
        requestedBuffer = (int) Math.min((long) settings.maxReceiveBufferBytes, requestedBuffer * 2L);
        receiveBuffer.set(ev.receiveBuffer(requestedBuffer)); // the kernel reports twice the request
        LOG.warn("conntrack events overran the receive buffer (ENOBUFS); buffer now {} bytes, re-reading the table",
                receiveBuffer.get());
        resyncs.incrementAndGet();
        redump(dump, buf, false);
    }

    /** A dump while running: a failure is logged and counted, the next one retries; events go on. */
    private void redump(CtnetlinkSocket dump, ByteBuffer buf, boolean active) {
        try {
            dumpTable(dump, buf, active);
        } catch (IOException e) {
            dumpErrors.incrementAndGet();
            LOG.warn("conntrack dump failed, retrying at the next one: {}", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- dumps

    /**
     * Dumps the table into {@link #table}. Entries of the table the dump no longer shows have ended while
     * we were not listening (or their DESTROY is still queued): they are put on the pending list. With
     * {@code active}, long-lived entries are exported with their delta counters.
     */
    private void dumpTable(CtnetlinkSocket dump, ByteBuffer buf, boolean active) throws IOException {
        int seq = ++dumpSeq;
        long now = clock.millis();
        Set<Long> seen = new HashSet<>(table.size() * 2 + 16);
        boolean[] done = {false};
        int[] interrupted = {0};
        CtnetlinkParser.Handler h = new CtnetlinkParser.Handler() {
            @Override
            public void entry(CtEntry e) {
                if (!e.hasId) {
                    return;
                }
                long key = key(e);
                if (finished.contains(key)) {
                    return;
                }
                seen.add(key);
                Tracked t = table.get(key);
                if (t == null) {
                    t = new Tracked();
                    t.selected = selected(e);
                    t.lastExportMillis = now;
                    table.put(key, t);
                }
                t.last.copyFrom(e.state);
                t.dumpMillis = now;
                t.remainingSeconds = e.hasTimeout ? e.timeoutSeconds : -1;
                t.fullSeconds = timeouts.fullSeconds(e);
                t.mark = e.mark;
                t.zone = e.zone;
                pending.remove(key);
                if (active && t.selected && now - t.lastExportMillis >= settings.activeTimeoutSeconds * 1000L) {
                    long end = ProtocolTimeouts.lastPacketMillis(e.state.startMillis, now, t.fullSeconds,
                            t.remainingSeconds);
                    if (exportDelta(t, e.state, end) > 0) {
                        activeExports.incrementAndGet();
                    }
                    t.lastExportMillis = now;
                }
            }

            @Override
            public void done(int s) {
                done[0] |= s == seq; // the end of an earlier, abandoned dump does not end this one
            }

            @Override
            public void error(int s, int errno) {
                if (errno != 0 && s == seq) {
                    interrupted[0] = errno;
                    done[0] = true;
                }
            }

            @Override
            public void malformed(String why) {
                malformed.incrementAndGet();
                LOG.debug("malformed ctnetlink dump row: {}", why);
            }
        };
        dump.requestDump(seq);
        while (!done[0]) {
            int n = dump.receive(buf, false);
            if (n > 0) {
                parser.parseDatagram(buf, n, h);
            } else if (n == 0 || (n < 0 && n != -4 /* EINTR */)) {
                throw new IOException("conntrack dump: " + (n == 0 ? "socket closed" : LibC.INSTANCE.strerror(-n)));
            }
        }
        if (interrupted[0] != 0) {
            throw new IOException("conntrack dump refused: " + LibC.INSTANCE.strerror(interrupted[0]));
        }
        for (Iterator<Map.Entry<Long, Tracked>> it = table.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Tracked> me = it.next();
            if (!seen.contains(me.getKey()) && !pending.containsKey(me.getKey())) {
                pending.put(me.getKey(), now + settings.redeliveryGraceMillis);
            }
        }
        liveEntries.set(table.size() - pending.size());
    }

    private boolean anyPendingDue(long now) {
        for (long deadline : pending.values()) {
            if (deadline <= now) {
                return true;
            }
        }
        return false;
    }

    /** Entries whose DESTROY never came: export them from their last dumped counters. */
    private void expirePending(long now, boolean all) {
        if (pending.isEmpty()) {
            return;
        }
        List<Long> due = new ArrayList<>();
        for (Map.Entry<Long, Long> p : pending.entrySet()) {
            if (all || p.getValue() <= now) {
                due.add(p.getKey());
            }
        }
        for (Long id : due) {
            pending.remove(id);
            Tracked t = table.remove(id);
            if (t == null) {
                continue;
            }
            finished.add(id, now);
            if (t.selected) {
                long end = ProtocolTimeouts.lastPacketMillis(t.last.startMillis, t.dumpMillis, t.fullSeconds,
                        t.remainingSeconds);
                exportDelta(t, t.last, end);
                exportedEntries.incrementAndGet();
                resyncExported.incrementAndGet();
            }
        }
        liveEntries.set(table.size() - pending.size());
    }

    private void forgetOldFinished(long now) {
        finished.forgetBefore(now - FINISHED_MEMORY_MILLIS);
    }

    // ---------------------------------------------------------------- events

    private void destroyed(CtEntry e) {
        long now = clock.millis();
        Tracked t = null;
        if (e.hasId) {
            long key = key(e);
            if (!finished.add(key, now)) {
                duplicates.incrementAndGet(); // already exported from a resync, or delivered twice
                return;
            }
            if (!table.isEmpty()) { // empty in a storm of connections made after the start: no boxing then
                t = table.remove(key);
                pending.remove(key);
            }
        }
        if (!selected(e)) {
            filtered.incrementAndGet();
            return;
        }
        long stop = e.stopNanos != 0 ? e.stopNanos / 1_000_000L : now;
        long end = ProtocolTimeouts.lastPacketMillis(e.state.startMillis, stop, timeouts.fullSeconds(e),
                e.hasTimeout ? e.timeoutSeconds : -1);
        if (LOG.isTraceEnabled()) {
            LOG.trace("destroyed {} full timeout {} s, last packet {}", e, timeouts.fullSeconds(e), end);
        }
        if (t != null) {
            exportDelta(t, e.state, end);
        } else {
            e.state.endMillis = end;
            records.addAndGet(StateRecords.emit(e.state, scratch, sink));
        }
        exportedEntries.incrementAndGet();
    }

    /** Exports {@code now}'s counters minus what {@code t} already exported; returns the records emitted. */
    private int exportDelta(Tracked t, FlowState now, long endMillis) {
        out.copyFrom(now);
        out.origPackets = now.origPackets - t.expOrigPackets;
        out.origBytes = now.origBytes - t.expOrigBytes;
        out.replyPackets = now.replyPackets - t.expReplyPackets;
        out.replyBytes = now.replyBytes - t.expReplyBytes;
        out.endMillis = endMillis;
        if (out.startMillis == 0) {
            out.startMillis = t.last.startMillis;
        }
        int n = StateRecords.emit(out, scratch, sink);
        t.expOrigPackets = now.origPackets;
        t.expOrigBytes = now.origBytes;
        t.expReplyPackets = now.replyPackets;
        t.expReplyBytes = now.replyBytes;
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

    // ---------------------------------------------------------------- setup and teardown

    /** Moves the calling thread into the network namespace at {@code path} (setns is per thread). */
    private static void enterNamespace(String path) throws IOException {
        LibC c = LibC.INSTANCE;
        int fd;
        try {
            fd = c.open(path, Fcntl.O_RDONLY | Fcntl.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("open(" + path + "): " + c.strerror(e.getErrorCode()), e);
        }
        try {
            c.setns(fd, Sched.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new IOException("setns(" + path + "): " + c.strerror(e.getErrorCode()), e);
        } finally {
            c.close(fd);
        }
    }

    private void cleanup(CtnetlinkSocket ev, CtnetlinkSocket dump) {
        if (ev != null) {
            ev.close();
        }
        if (dump != null) {
            dump.close();
        }
        if (installedTable) {
            KernelSetup.removeTable(settings.nftTableName);
            installedTable = false;
        }
    }
}
