package net.pflowd.source.conntrack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.pflowd.flow.Clock;
import net.pflowd.flow.FlowSink;
import net.pflowd.flow.FlowState;
import net.pflowd.linux.Errno;
import net.pflowd.linux.Nfnetlink;
import net.pflowd.linux.NfnetlinkConntrack;
import net.pflowd.linux.Socket;
import net.pflowd.os.ErrnoException;
import net.pflowd.os.NetworkNamespace;
import net.pflowd.route.RouteMonitor;
import net.pflowd.route.RouteTable;
import net.pflowd.source.StateSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux conntrack as pflowd's state table: the reader. One dedicated thread owns the sockets: it enters the
 * configured network namespace, prepares the kernel, dumps the table once, then reads DESTROY events (only they
 * and dumps carry counters and timestamps) and hands each, parsed, to the {@link ConntrackTable}, which decides
 * what to export. The event socket has a large receive buffer and NETLINK_BROADCAST_ERROR, so a DESTROY event
 * that finds it full is kept and delivered again by the kernel rather than lost. An overrun (ENOBUFS) is counted,
 * the buffer doubled and the table re-dumped. The table asks for the other dumps (active timeout, reconciling
 * entries that have no event, confirming entries that vanished).
 */
public final class ConntrackSource implements StateSource {
    private static final Logger LOG = LoggerFactory.getLogger(ConntrackSource.class);
    private static final int RECV_BUFFER = 1 << 20;
    /** How long the reader lets events gather after it caught up (the delay this adds to a record). */
    private static final long COALESCE_NANOS = 1_000_000;
    /** How often the reader looks at the clock while no event comes. */
    private static final long HOUSEKEEPING_MILLIS = 200;

    private final ConntrackSettings settings;
    private final Clock clock;

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong dumpErrors = new AtomicLong();
    private final AtomicLong receiveBuffer = new AtomicLong();

    private final CtnetlinkParser parser = new CtnetlinkParser();
    private volatile ConntrackTable table;
    /** The routes of the source's namespace, for the records' interface indexes; null when they cannot be read. */
    private volatile RouteMonitor routes;

    private volatile boolean stopping;
    private volatile Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Throwable startError;
    private FlowSink sink;
    private boolean installedTable;
    private int dumpSeq = 1;
    private int requestedBuffer;

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
        ConntrackTable t = table;
        Map<String, Long> fromTable = t != null ? t.counters() : Map.of();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("events", events.get());
        m.put("overruns", overruns.get());
        m.put("resyncs", resyncs.get());
        for (String k : new String[] {"records", "connections", "active-exports", "dump-exported",
                "skipped-filtered"}) {
            m.put(k, fromTable.getOrDefault(k, 0L));
        }
        m.put("skipped-malformed", malformed.get());
        m.put("skipped-duplicate", fromTable.getOrDefault("skipped-duplicate", 0L));
        m.put("dump-errors", dumpErrors.get());
        m.put("live-entries", fromTable.getOrDefault("live-entries", 0L));
        m.put("receive-buffer", receiveBuffer.get());
        RouteMonitor r = routes;
        m.put("routes", r != null ? r.table().routes() : 0L);
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
        // In host order, as netlink headers are: the parser then reads dump datagrams in place, without a view.
        ByteBuffer buf = ByteBuffer.allocateDirect(RECV_BUFFER).order(ByteOrder.nativeOrder());
        try {
            if (settings.netnsPath != null) {
                try (NetworkNamespace ns = NetworkNamespace.open(settings.netnsPath)) {
                    ns.enter(); // this thread owns the sockets: it stays there
                }
            }
            if (settings.configureSysctls) {
                KernelSetup.sysctls();
            }
            if (settings.installNftTable && !KernelSetup.rulesetUsesConntrack()) {
                KernelSetup.installTable(settings.nftTableName);
                installedTable = true;
            }
            routes = openRoutes();
            table = new ConntrackTable(settings, ProtocolTimeouts.read(), clock, sink, this::fillInterfaces);
            // Subscribe before dumping: an entry destroyed during the dump is then seen by its event.
            ev = new CtnetlinkSocket(Nfnetlink.NFNLGRP_CONNTRACK_DESTROY);
            table.eventsSince(clock.millis()); // entries made from now on end with an event: no reconciling
            requestedBuffer = settings.receiveBufferBytes;
            receiveBuffer.set(ev.receiveBuffer(requestedBuffer));
            dump = new CtnetlinkSocket();
            dump.receiveBuffer(32 << 20);
            try {
                dumpTable(dump, buf, ConntrackTable.DumpKind.RECONCILE);
            } catch (DumpReply.IncompleteDumpException e) {
                dumpErrors.incrementAndGet(); // the reconciling dumps fill in what this one missed
                LOG.warn("{}; the next dump retries", e.getMessage());
            }
            LOG.info("conntrack: {} live entries, receive buffer {} bytes", table.size(), receiveBuffer.get());
        } catch (Throwable e) {
            startError = e;
            cleanup(ev, dump);
            started.countDown();
            return;
        }
        started.countDown();
        try {
            loop(ev, dump, buf);
        } catch (Throwable e) {
            LOG.error("conntrack reader stopped: {}", e.toString(), e);
        } finally {
            cleanup(ev, dump);
        }
    }

    private void loop(CtnetlinkSocket ev, CtnetlinkSocket dump, ByteBuffer buf) throws IOException {
        ConntrackTable tbl = table;
        ByteBuffer event = ByteBuffer.allocate(CtnetlinkSocket.BATCH_SLOT_BYTES).order(ByteOrder.nativeOrder());
        CtnetlinkParser.Handler onEvent = new CtnetlinkParser.Handler() {
            @Override
            public void entry(CtEntry e) {
                events.incrementAndGet();
                if (e.msgType == NfnetlinkConntrack.IPCTNL_MSG_CT_DELETE) {
                    tbl.destroyed(e);
                }
            }

            @Override
            public void malformed(String why) {
                malformed.incrementAndGet();
                LOG.debug("malformed ctnetlink event: {}", why);
            }
        };
        long nextHousekeeping = 0;
        while (true) {
            boolean stop = stopping;
            int n = ev.receiveBatch();
            if (n > 0) {
                Socket.MmsgVector batch = ev.batch();
                for (int i = 0; i < n; i++) {
                    if (batch.truncated(i)) {
                        onEvent.malformed("event longer than " + CtnetlinkSocket.BATCH_SLOT_BYTES + " bytes");
                    } else {
                        // Parsed from a heap copy: one memcpy, then array reads the JIT compiles in place (see
                        // netlink.HostBytes) instead of a call per field into the direct buffer.
                        int len = batch.length(i);
                        batch.data().get(batch.offset(i), event.array(), 0, len);
                        parser.parseDatagram(event, 0, len, onEvent);
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
            if (now >= nextHousekeeping) {
                ConntrackTable.DumpKind due = tbl.dumpDue(now);
                if (due != null) {
                    redump(dump, buf, due);
                }
                tbl.housekeeping(now);
                if (routes != null) {
                    routes.refreshIfChanged();
                }
                nextHousekeeping = now + HOUSEKEEPING_MILLIS;
            }
            ev.poll((int) HOUSEKEEPING_MILLIS / 2);
        }
        tbl.close(); // nothing more will come for the entries still waiting
    }

    private void overrun(CtnetlinkSocket ev, CtnetlinkSocket dump, ByteBuffer buf) throws IOException {
        overruns.incrementAndGet();
        requestedBuffer = (int) Math.min((long) settings.maxReceiveBufferBytes, requestedBuffer * 2L);
        receiveBuffer.set(ev.receiveBuffer(requestedBuffer)); // the kernel reports twice the request
        LOG.warn("conntrack events overran the receive buffer (ENOBUFS); buffer now {} bytes, re-reading the table",
                receiveBuffer.get());
        resyncs.incrementAndGet();
        redump(dump, buf, ConntrackTable.DumpKind.RESYNC);
    }

    /** A dump while running: a failure is logged and counted, ends nothing, and the next one retries. */
    private void redump(CtnetlinkSocket dump, ByteBuffer buf, ConntrackTable.DumpKind kind) {
        try {
            dumpTable(dump, buf, kind);
        } catch (IOException e) {
            dumpErrors.incrementAndGet();
            LOG.warn("conntrack dump failed, retrying at the next one: {}", e.getMessage());
        }
    }

    /**
     * Reads the whole table into {@link #table}. Only a dump that reaches NLMSG_DONE without an error, an
     * unreadable row or NLM_F_DUMP_INTR is completed: one that fails, is cut short (ENOBUFS, a closed socket) or is
     * incomplete throws, and the table ends nothing on its account.
     */
    private void dumpTable(CtnetlinkSocket dump, ByteBuffer buf, ConntrackTable.DumpKind kind) throws IOException {
        int seq = ++dumpSeq;
        LOG.debug("conntrack dump ({})", kind);
        DumpReply reply = new DumpReply(seq, table.beginDump());
        dump.requestDump(seq);
        try {
            while (!reply.done()) {
                int n = dump.receive(buf, false);
                if (n > 0) {
                    parser.parseDatagram(buf, n, reply);
                } else if (n == 0 || (n < 0 && n != -Errno.EINTR)) {
                    throw n == 0 ? new IOException("conntrack dump: socket closed")
                            : new ErrnoException("conntrack dump", "recv", -n);
                }
            }
        } finally {
            malformed.addAndGet(reply.malformedRows());
        }
        reply.finish();
    }

    // ---------------------------------------------------------------- interface indexes

    /**
     * The route monitor of this thread's namespace. Without it records carry interface 0, as before: a host whose
     * routes cannot be read still exports.
     */
    private static RouteMonitor openRoutes() {
        try {
            return RouteMonitor.open();
        } catch (IOException e) {
            LOG.warn("conntrack: routes cannot be read ({}); records carry interface 0", e.getMessage());
            return null;
        }
    }

    /** Input: the interface toward the originator; output: toward the real destination (see RouteTable#fill). */
    private void fillInterfaces(FlowState s) {
        RouteMonitor r = routes;
        (r != null ? r.table() : RouteTable.EMPTY).fill(s);
    }


    // ---------------------------------------------------------------- setup and teardown

    private void cleanup(CtnetlinkSocket ev, CtnetlinkSocket dump) {
        if (routes != null) {
            routes.close();
        }
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
