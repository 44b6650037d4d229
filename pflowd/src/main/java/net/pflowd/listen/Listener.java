package net.pflowd.listen;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.pflowd.decode.DecodeException;
import net.pflowd.decode.DecodedMessage;
import net.pflowd.decode.FlowDecoder;
import net.pflowd.flow.FlowRecord;

/**
 * The receive loop of {@code pflowd listen}: one socket, one thread. Each datagram is decoded and each
 * flow record printed as one JSON line on {@code out}, flushed per datagram; sequence breaks and
 * malformed datagrams are one line each on {@code err}, and the loop goes on.
 *
 * <p>Nothing vanishes without a word: v9/IPFIX data whose template has not arrived yet (a collector started
 * after its exporter) is said once per exporter, domain and template, and counted; datagrams the kernel
 * dropped because the receive buffer was full ({@link #kernelDrops}) are said when they grow (at most once a
 * second) and counted; templates forgotten to bound memory are counted. The summary line has every count.
 */
public final class Listener {
    /** How often a blocked receive wakes to look at the stop flag and the deadline. */
    private static final int POLL_MILLIS = 200;
    private static final String PREFIX = "pflowd listen: ";

    private final DatagramSocket socket;
    private final PrintStream out;
    private final PrintStream err;
    private final FlowDecoder decoder = new FlowDecoder();
    private final SequenceTracker sequences = new SequenceTracker();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;

    private long datagrams;
    private long records;
    private long malformed;
    private long dataSetsWithoutTemplate;
    /** (exporter, version, domain, template) already reported as unknown; bounded, then said no more. */
    private final java.util.Set<String> unknownTemplatesSaid = new java.util.HashSet<>();
    static final int MAX_UNKNOWN_TEMPLATES_SAID = 4096;
    private final java.util.function.LongSupplier kernelDrops;
    private long dropsAtStart = -1;
    private long dropsSaid;
    private long lastDropCheck;

    /** With the kernel's drop counter of the socket (-1 when unknown), checked once a second. */
    public Listener(DatagramSocket socket, PrintStream out, PrintStream err,
                    java.util.function.LongSupplier kernelDrops) {
        this.socket = socket;
        this.out = out;
        this.err = err;
        this.kernelDrops = kernelDrops;
    }

    public Listener(DatagramSocket socket, PrintStream out, PrintStream err) {
        this(socket, out, err, () -> -1);
    }

    /**
     * Receives until {@code maxRecords} records were printed (0: no limit), {@code timeoutMillis} have
     * passed (0: no limit), or {@link #stop()} was called.
     *
     * @return true when it ended because {@code maxRecords} was reached
     */
    public boolean run(long maxRecords, long timeoutMillis) throws IOException {
        long started = System.nanoTime();
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            socket.setSoTimeout(POLL_MILLIS);
            byte[] buf = new byte[65536];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            dropsAtStart = kernelDrops.getAsLong();
            while (!stopping) {
                if (timeoutNanos > 0 && System.nanoTime() - started >= timeoutNanos) {
                    return false;
                }
                checkDrops(false);
                packet.setLength(buf.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                datagrams++;
                InetSocketAddress exporter = (InetSocketAddress) packet.getSocketAddress();
                DecodedMessage m;
                try {
                    m = decoder.decode(exporter, ByteBuffer.wrap(buf, 0, packet.getLength()));
                } catch (DecodeException e) {
                    malformed++;
                    err.println(PREFIX + "malformed datagram from " + FlowJson.exporter(exporter) + " ("
                            + packet.getLength() + " bytes): " + e.getMessage());
                    err.flush();
                    continue;
                }
                if (m.dataSetsSkipped() > 0) {
                    dataSetsWithoutTemplate += m.dataSetsSkipped();
                    for (int tid : m.unknownTemplates()) {
                        String key = FlowJson.exporter(exporter) + " " + m.version() + " " + m.domain() + " " + tid;
                        if (unknownTemplatesSaid.size() < MAX_UNKNOWN_TEMPLATES_SAID && unknownTemplatesSaid.add(key)) {
                            err.println(PREFIX + (m.version() == 10 ? "IPFIX" : "NetFlow v9") + " data of template "
                                    + tid + " in domain " + m.domain() + " from " + FlowJson.exporter(exporter)
                                    + " skipped: its template has not arrived yet (exporters resend templates"
                                    + " periodically; said once per template, counted in the summary)");
                            err.flush();
                        }
                    }
                }
                String gap = sequences.check(m);
                if (gap != null) {
                    err.println(PREFIX + gap);
                    err.flush();
                }
                for (FlowRecord r : m.records()) {
                    out.println(FlowJson.line(m, r));
                    records++;
                    if (maxRecords > 0 && records >= maxRecords) {
                        out.flush();
                        return true;
                    }
                }
                out.flush();
            }
            return false;
        } catch (SocketException e) {
            if (stopping) {
                return false; // the socket was closed by stop()
            }
            throw e;
        } finally {
            out.flush();
            checkDrops(true);
            finished.countDown();
        }
    }

    /** Says once a second at most (or now, when {@code force}) when the kernel dropped more datagrams. */
    private void checkDrops(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDropCheck < 1_000_000_000L) {
            return;
        }
        lastDropCheck = now;
        long d = kernelDropsSinceStart();
        if (d > dropsSaid) {
            err.println(PREFIX + "the kernel dropped " + (d - dropsSaid) + " datagram(s): receive buffer full"
                    + " (raise net.core.rmem_max for a larger buffer)");
            err.flush();
            dropsSaid = d;
        }
    }

    private long kernelDropsSinceStart() {
        long now = kernelDrops.getAsLong();
        return now < 0 || dropsAtStart < 0 ? 0 : now - dropsAtStart;
    }

    /** Makes {@link #run} return soon; safe from any thread (a signal handler's shutdown hook). */
    public void stop() {
        stopping = true;
        socket.close();
    }

    /** Waits for {@link #run} to have returned, at most {@code millis}. */
    public boolean awaitFinished(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }

    public long datagrams() { return datagrams; }
    public long records() { return records; }
    public long malformed() { return malformed; }
    public long gaps() { return sequences.gaps(); }
    public long dataSetsWithoutTemplate() { return dataSetsWithoutTemplate; }

    public String summary() {
        return PREFIX + datagrams + " datagrams, " + records + " flow records, " + malformed + " malformed, "
                + sequences.gaps() + " sequence breaks, " + dataSetsWithoutTemplate + " data sets without template, "
                + decoder.evictedTemplates() + " templates evicted, " + kernelDropsSinceStart()
                + " datagrams dropped by the kernel";
    }
}
