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

    public Listener(DatagramSocket socket, PrintStream out, PrintStream err) {
        this.socket = socket;
        this.out = out;
        this.err = err;
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
            while (!stopping) {
                if (timeoutNanos > 0 && System.nanoTime() - started >= timeoutNanos) {
                    return false;
                }
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
            finished.countDown();
        }
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

    public String summary() {
        return PREFIX + datagrams + " datagrams, " + records + " flow records, " + malformed + " malformed, "
                + sequences.gaps() + " sequence breaks";
    }
}
