package net.pflowd.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import net.pflowd.flow.Clock;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowSink;
import net.pflowd.wire.Ipfix;
import net.pflowd.wire.NetflowV5;
import net.pflowd.wire.NetflowV9;
import net.pflowd.wire.RecordFamily;

/**
 * The export state of one pflow interface, as pflow keeps it per softc: a pending datagram per record
 * family, sequence numbers, template timers, counters.
 *
 * <p>Records are encoded at once into the pending datagram of their family (keeping no reference to the
 * caller's record); a datagram carries one data set of one family and leaves when it is full, when its
 * oldest record has waited the hold timeout ({@link #tick}), on {@link #reconfigure}, when the interface
 * stops running and on {@link #close}. Templates (v9, IPFIX) leave when the engine starts running, after
 * a reconfigure while running, and on their refresh timers; when the four do not fit one datagram under
 * the MTU, each template goes in its own.
 *
 * <p>Sequence numbers: v5 flow_sequence and IPFIX sequence count the data records of all datagrams
 * emitted before (a datagram whose send fails still advances them, so the collector sees the loss);
 * v9 package_sequence counts every export packet, templates included. They survive a reconfigure.
 *
 * <p>Records exported while not running are dropped and counted ({@link DropReason#NOT_RUNNING}), as pflow
 * does. Thread-safe: one lock per engine, held while encoding and while the {@link DatagramSink} sends.
 */
public final class ExportEngine implements FlowSink, AutoCloseable {
    private static final RecordFamily[] FAMILIES = RecordFamily.values();

    private final Object lock = new Object();
    private final Clock clock;
    private DatagramSink sink;

    private ExportSettings settings;
    private final Pending[] pending = new Pending[FAMILIES.length];
    private ByteBuffer templateBuffer;
    private ByteBuffer templateView;

    private boolean running;
    private boolean closed;
    private long recordSequence;
    private long packetSequence;
    private long lastTemplateMillis;
    private int packetsSinceTemplate;

    private long flows, records, datagrams, templateDatagrams, bytes, sendErrors;
    private final long[] dropped = new long[DropReason.values().length];

    /** A family's datagram under construction; the header is written when it leaves. */
    private static final class Pending {
        final RecordFamily family;
        final ByteBuffer buf;
        final ByteBuffer view;
        final int dataOffset;
        final int capacity;
        int count;
        long oldestMillis;

        Pending(RecordFamily family, int mtu, int dataOffset, int capacity) {
            this.family = family;
            this.buf = ByteBuffer.allocate(mtu);
            this.view = buf.duplicate();
            this.dataOffset = dataOffset;
            this.capacity = capacity;
            buf.position(dataOffset);
        }
    }

    public ExportEngine(ExportSettings settings, Clock clock, DatagramSink sink) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
        apply(Objects.requireNonNull(settings, "settings"));
    }

    private void apply(ExportSettings s) {
        settings = s;
        int dataOffset;
        switch (s.version) {
            case NetflowV5.VERSION:
                dataOffset = NetflowV5.HEADER_LENGTH;
                break;
            case Ipfix.VERSION:
                dataOffset = Ipfix.HEADER_LENGTH + Ipfix.SET_HEADER_LENGTH;
                break;
            default:
                dataOffset = NetflowV9.HEADER_LENGTH + NetflowV9.FLOWSET_HEADER_LENGTH;
        }
        for (RecordFamily f : FAMILIES) {
            // v5 has one (IPv4) layout; NAT IPv4 records share the IPv4 datagram there.
            boolean used = s.version != NetflowV5.VERSION || f == RecordFamily.IPV4;
            pending[f.ordinal()] = used ? new Pending(f, s.mtu, dataOffset, s.recordsPerDatagram(f)) : null;
        }
        if (s.version == NetflowV5.VERSION) {
            pending[RecordFamily.NAT_IPV4.ordinal()] = pending[RecordFamily.IPV4.ordinal()];
        }
        templateBuffer = ByteBuffer.allocate(Math.max(s.mtu, 512));
        templateView = templateBuffer.duplicate();
    }

    /** Encodes {@code r} into its family's pending datagram (implements {@link FlowSink}). */
    @Override
    public void accept(FlowRecord r) {
        export(r);
    }

    public void export(FlowRecord r) {
        synchronized (lock) {
            if (!running) {
                dropped[DropReason.NOT_RUNNING.ordinal()]++;
                return;
            }
            RecordFamily f = RecordFamily.of(r);
            int version = settings.version;
            if (version == NetflowV5.VERSION) {
                if (f.isIpv6()) {
                    dropped[DropReason.V5_IPV6.ordinal()]++;
                    return;
                }
                flows++;
                Pending p = pending[RecordFamily.IPV4.ordinal()];
                if (((r.packets | r.bytes) >>> 32) == 0) { // the common case: both fit 32 bits, no split
                    started(p);
                    NetflowV5.putRecord(p.buf, r, settings.uptimeOriginMillis, r.packets, r.bytes);
                    if (++p.count >= p.capacity) {
                        flush(p);
                    }
                    return;
                }
                long n = NetflowV5.splitCount(r.packets, r.bytes);
                long origin = settings.uptimeOriginMillis;
                for (long i = 0; i < n; i++) {
                    started(p);
                    NetflowV5.putRecord(p.buf, r, origin, NetflowV5.share(r.packets, n, i), NetflowV5.share(r.bytes, n, i));
                    if (++p.count >= p.capacity) {
                        flush(p);
                    }
                }
                return;
            }
            flows++;
            Pending p = pending[f.ordinal()];
            started(p);
            if (version == Ipfix.VERSION) {
                Ipfix.putRecord(p.buf, r);
            } else {
                NetflowV9.putRecord(p.buf, r, settings.uptimeOriginMillis);
            }
            if (++p.count >= p.capacity) {
                flush(p);
            }
        }
    }

    private void started(Pending p) {
        if (p.count == 0) {
            p.oldestMillis = clock.millis();
        }
    }

    /**
     * Starts or stops export. Starting sends the templates at once (v9, IPFIX); stopping flushes what is
     * pending first (those records were accepted while running).
     *
     * @throws IllegalStateException when starting a closed engine
     */
    public void setRunning(boolean run) {
        synchronized (lock) {
            if (run == running) {
                return;
            }
            if (run) {
                if (closed) {
                    throw new IllegalStateException("export engine closed");
                }
                running = true;
                sendTemplates();
            } else {
                flushAll();
                running = false;
            }
        }
    }

    public boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    /**
     * Flushes what is pending under the old settings, then applies {@code s}; when running, the
     * templates (v9, IPFIX) are sent again.
     */
    public void reconfigure(ExportSettings s) {
        synchronized (lock) {
            reconfigure(s, sink);
        }
    }

    /**
     * As {@link #reconfigure(ExportSettings)}, and from then on sends through {@code newSink}: what was
     * pending leaves through the old sink (the old flowdst), the templates through the new one. Done
     * under the engine's lock so that no datagram is in flight on the old sink once this returns and the
     * caller may close it.
     */
    public void reconfigure(ExportSettings s, DatagramSink newSink) {
        Objects.requireNonNull(s, "settings");
        Objects.requireNonNull(newSink, "sink");
        synchronized (lock) {
            flushAll();
            sink = newSink;
            apply(s);
            if (running) {
                sendTemplates();
            }
        }
    }

    public ExportSettings settings() {
        synchronized (lock) {
            return settings;
        }
    }

    /** Timers: sends datagrams whose oldest record waited the hold timeout, refreshes templates when due. */
    public void tick() {
        synchronized (lock) {
            long now = clock.millis();
            long hold = settings.holdTimeoutMillis;
            for (RecordFamily f : FAMILIES) {
                Pending p = pending[f.ordinal()];
                if (p != null && p.family == f && p.count > 0 && due(now, p.oldestMillis, hold)) {
                    flush(p);
                }
            }
            if (running && settings.version != NetflowV5.VERSION && due(now, lastTemplateMillis, templateInterval())) {
                sendTemplates();
            }
        }
    }

    /** Elapsed, or the clock stepped back (then act now rather than wait for it to catch up). */
    private static boolean due(long now, long since, long interval) {
        long elapsed = now - since;
        return elapsed >= interval || elapsed < 0;
    }

    private long templateInterval() {
        return settings.version == Ipfix.VERSION ? settings.ipfixTemplateTimeoutMillis : settings.v9TemplateRefreshMillis;
    }

    /** The epoch ms at which {@link #tick} has work to do next; {@link Long#MAX_VALUE} when nothing waits. */
    public long nextDeadlineMillis() {
        synchronized (lock) {
            long next = Long.MAX_VALUE;
            for (RecordFamily f : FAMILIES) {
                Pending p = pending[f.ordinal()];
                if (p != null && p.family == f && p.count > 0) {
                    next = Math.min(next, p.oldestMillis + settings.holdTimeoutMillis);
                }
            }
            if (running && settings.version != NetflowV5.VERSION) {
                next = Math.min(next, lastTemplateMillis + templateInterval());
            }
            return next;
        }
    }

    /** Sends every pending datagram now. */
    public void flush() {
        synchronized (lock) {
            flushAll();
        }
    }

    /** Flushes and stops for good; later records are dropped as not running. */
    @Override
    public void close() {
        synchronized (lock) {
            flushAll();
            running = false;
            closed = true;
        }
    }

    /** The MTU pflowN shows (pflow's formula, see {@link DatagramLayout#interfaceMtu}). */
    public int interfaceMtu() {
        synchronized (lock) {
            return settings.interfaceMtu();
        }
    }

    public ExportCounters counters() {
        synchronized (lock) {
            return new ExportCounters(flows, records, datagrams, templateDatagrams, bytes, sendErrors, dropped);
        }
    }

    // ---- under the lock ----

    private void flushAll() {
        for (RecordFamily f : FAMILIES) {
            Pending p = pending[f.ordinal()];
            if (p != null && p.family == f && p.count > 0) {
                flush(p);
            }
        }
    }

    private void flush(Pending p) {
        int n = p.count;
        ByteBuffer b = p.buf;
        long now = clock.millis();
        ExportSettings s = settings;
        int length;
        switch (s.version) {
            case NetflowV5.VERSION:
                length = b.position();
                NetflowV5.putHeader(b, 0, n, now, s.uptimeOriginMillis, recordSequence, s.engineType, s.engineId);
                recordSequence += n;
                break;
            case Ipfix.VERSION:
                length = b.position();
                Ipfix.putSetHeader(b, Ipfix.HEADER_LENGTH, p.family.templateId, length - Ipfix.HEADER_LENGTH);
                Ipfix.putHeader(b, 0, length, Math.floorDiv(now, 1000L), recordSequence, s.observationDomain);
                recordSequence += n;
                break;
            default:
                NetflowV9.putPadding(b, NetflowV9.HEADER_LENGTH);
                length = b.position();
                NetflowV9.putFlowsetHeader(b, NetflowV9.HEADER_LENGTH, p.family.templateId,
                        length - NetflowV9.HEADER_LENGTH);
                NetflowV9.putHeader(b, 0, n, now, s.uptimeOriginMillis, packetSequence, s.observationDomain);
                packetSequence++;
                packetsSinceTemplate++;
        }
        p.count = 0;
        b.position(p.dataOffset);
        if (send(p.view, length)) {
            records += n;
        } else {
            dropped[DropReason.SEND_ERROR.ordinal()] += n;
        }
        if (s.version == NetflowV9.VERSION && running && packetsSinceTemplate >= s.v9TemplateRefreshPackets) {
            sendTemplates();
        }
    }

    /** Sends the v9/IPFIX templates: all four in one datagram, or one per datagram if they do not fit. */
    private void sendTemplates() {
        ExportSettings s = settings;
        if (s.version == NetflowV5.VERSION) {
            return;
        }
        long now = clock.millis();
        lastTemplateMillis = now;
        packetsSinceTemplate = 0;
        boolean ipfix = s.version == Ipfix.VERSION;
        int header = ipfix ? Ipfix.HEADER_LENGTH : NetflowV9.HEADER_LENGTH;
        int all = header + (ipfix ? Ipfix.templateSetLength() : NetflowV9.templateFlowsetLength());
        if (all + DatagramLayout.ipUdpLength(s.collectorIpv6) <= s.mtu) {
            sendTemplateDatagram(null, now);
        } else {
            for (RecordFamily f : FAMILIES) {
                sendTemplateDatagram(f, now);
            }
        }
    }

    private void sendTemplateDatagram(RecordFamily only, long now) {
        ExportSettings s = settings;
        ByteBuffer b = templateBuffer;
        b.clear();
        int count = only == null ? FAMILIES.length : 1;
        if (s.version == Ipfix.VERSION) {
            b.position(Ipfix.HEADER_LENGTH);
            if (only == null) {
                Ipfix.putTemplateSet(b);
            } else {
                Ipfix.putTemplate(b, only);
            }
            Ipfix.putHeader(b, 0, b.position(), Math.floorDiv(now, 1000L), recordSequence, s.observationDomain);
        } else {
            b.position(NetflowV9.HEADER_LENGTH);
            if (only == null) {
                NetflowV9.putTemplateFlowset(b);
            } else {
                NetflowV9.putTemplate(b, only);
            }
            NetflowV9.putHeader(b, 0, count, now, s.uptimeOriginMillis, packetSequence, s.observationDomain);
            packetSequence++;
        }
        if (send(templateView, b.position())) {
            templateDatagrams++;
        }
    }

    private boolean send(ByteBuffer view, int length) {
        view.limit(length).position(0);
        try {
            sink.send(view);
            datagrams++;
            bytes += length;
            return true;
        } catch (IOException e) {
            sendErrors++;
            return false;
        } finally {
            view.clear();
        }
    }
}
