package net.pflowd.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import net.pflowd.flow.Clock;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowSink;
import net.pflowd.wire.ExportFormat;
import net.pflowd.wire.RecordFamily;
import net.pflowd.wire.UdpPacketBuilder;

/**
 * The export state of one pflow interface, as pflow keeps it per softc: a pending datagram per record
 * family, sequence numbers, template timers, counters.
 *
 * <p>What differs between the versions is the {@link ExportFormat}'s; the engine keeps the state: pending
 * datagrams, sequence numbers, timers, counters. Records are encoded at once into the pending datagram of their family (keeping no reference to the
 * caller's record); a datagram carries one data set of one family and leaves when it is full, when its
 * oldest record has waited the hold timeout ({@link #tick}), on {@link #reconfigure}, when the interface
 * stops running and on {@link #close}. Templates (v9, IPFIX) leave when the engine starts running, after
 * a reconfigure while running, and on their refresh timers; when the four do not fit one datagram under
 * the MTU, each template goes in its own.
 *
 * <p>Sequence numbers advance as the format says ({@link ExportFormat#sequenceAdvance}: v5 and IPFIX count
 * data records, v9 export packets), also for a datagram whose send fails, so the collector sees the loss.
 * They survive a reconfigure.
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
    private ExportFormat format;
    private final Pending[] pending = new Pending[FAMILIES.length];
    private ByteBuffer templateBuffer;
    private ByteBuffer templateView;

    private boolean running;
    private boolean closed;
    /** v5 and IPFIX: data records sent; v9: export packets sent ({@link ExportFormat#sequenceCountsPackets}). */
    private long recordSequence, packetSequence;
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
        format = s.format();
        for (RecordFamily f : FAMILIES) {
            RecordFamily carrier = format.datagramFamily(f);
            pending[f.ordinal()] = carrier == null ? null : carrier != f ? pending[carrier.ordinal()]
                    : new Pending(f, s.mtu(), format.dataOffset(), s.recordsPerDatagram(f));
        }
        templateBuffer = ByteBuffer.allocate(Math.max(s.mtu(), 512));
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
            Pending p = pending[RecordFamily.of(r).ordinal()];
            if (p == null) {
                dropped[DropReason.V5_IPV6.ordinal()]++; // the only family a format cannot carry
                return;
            }
            flows++;
            long n = format.recordCount(r);
            for (long i = 0; i < n; i++) {
                if (p.count == 0) {
                    p.oldestMillis = clock.millis();
                }
                format.putRecord(p.buf, r, i, n, settings.exporter());
                if (++p.count >= p.capacity) {
                    flush(p);
                }
            }
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
            long hold = settings.holdTimeoutMillis();
            for (RecordFamily f : FAMILIES) {
                Pending p = pending[f.ordinal()];
                if (p != null && p.family == f && p.count > 0 && due(now, p.oldestMillis, hold)) {
                    flush(p);
                }
            }
            if (running && format.hasTemplates() && due(now, lastTemplateMillis, settings.templateRefreshMillis())) {
                sendTemplates();
            }
        }
    }

    /** Elapsed, or the clock stepped back (then act now rather than wait for it to catch up). */
    private static boolean due(long now, long since, long interval) {
        long elapsed = now - since;
        return elapsed >= interval || elapsed < 0;
    }

    /** The epoch ms at which {@link #tick} has work to do next; {@link Long#MAX_VALUE} when nothing waits. */
    public long nextDeadlineMillis() {
        synchronized (lock) {
            long next = Long.MAX_VALUE;
            for (RecordFamily f : FAMILIES) {
                Pending p = pending[f.ordinal()];
                if (p != null && p.family == f && p.count > 0) {
                    next = Math.min(next, p.oldestMillis + settings.holdTimeoutMillis());
                }
            }
            if (running && format.hasTemplates()) {
                next = Math.min(next, lastTemplateMillis + settings.templateRefreshMillis());
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

    /** The MTU pflowN shows (pflow's formula, see {@link ExportFormat#interfaceMtu}). */
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
        int length = format.finishData(p.buf, p.family, n, clock.millis(), sequence(), settings.exporter());
        advanceSequence(n);
        packetsSinceTemplate++;
        p.count = 0;
        p.buf.position(p.dataOffset);
        if (send(p.view, length)) {
            records += n;
        } else {
            dropped[DropReason.SEND_ERROR.ordinal()] += n;
        }
        if (running && format.refreshesTemplatesByPackets() && packetsSinceTemplate >= settings.v9TemplateRefreshPackets()) {
            sendTemplates();
        }
    }

    /** Sends the v9/IPFIX templates: all four in one datagram, or one per datagram if they do not fit. */
    private void sendTemplates() {
        if (!format.hasTemplates()) {
            return;
        }
        long now = clock.millis();
        lastTemplateMillis = now;
        packetsSinceTemplate = 0;
        if (format.templateDatagramLength() + UdpPacketBuilder.ipUdpLength(settings.collectorIpv6()) <= settings.mtu()) {
            sendTemplateDatagram(null, now);
        } else {
            for (RecordFamily f : FAMILIES) {
                sendTemplateDatagram(f, now);
            }
        }
    }

    private void sendTemplateDatagram(RecordFamily only, long now) {
        templateBuffer.clear();
        int length = format.putTemplates(templateBuffer, only, now, sequence(), settings.exporter());
        advanceSequence(0);
        if (send(templateView, length)) {
            templateDatagrams++;
        }
    }

    private long sequence() {
        return format.sequenceCountsPackets() ? packetSequence : recordSequence;
    }

    private void advanceSequence(int dataRecords) {
        if (format.sequenceCountsPackets()) {
            packetSequence++;
        } else {
            recordSequence += dataRecords;
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
