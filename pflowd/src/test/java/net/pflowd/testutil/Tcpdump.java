package net.pflowd.testutil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * tcpdump writing {@code count} packets of one interface to a pcap file, inside a {@link NetNs} (or wherever a
 * command prefix runs it).
 * {@link #start} returns only once tcpdump says "listening on" (the capture is attached): packets sent after
 * that are captured. Always close it (try-with-resources) so no tcpdump outlives the test.
 */
public final class Tcpdump implements AutoCloseable {
    private final Process process;
    private final Path file;
    private final List<String> stderr = new ArrayList<>();
    private final CountDownLatch listening = new CountDownLatch(1);

    private Tcpdump(Process process, Path file) {
        this.process = process;
        this.file = file;
        Thread reader = new Thread(this::readStderr, "tcpdump-stderr");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code tcpdump -i ifname -w file -c count -U -n -Z root [extra...]} in {@code ns} and waits (10 s at
     * most) until it is capturing. {@code extra} may hold e.g. {@code "-Q", "out"} or a filter expression.
     */
    public static Tcpdump start(NetNs ns, String ifname, Path file, int count, String... extra)
            throws IOException, InterruptedException {
        return started(ns.start(argv(ifname, file, count, extra).toArray(String[]::new)), file);
    }

    /**
     * {@link #start(NetNs, String, Path, int, String...)} in the namespace that {@code prefix} runs commands in
     * (nothing: the caller's; {@code ip netns exec NAME}); {@code count} 0 captures until {@link #stop}.
     */
    public static Tcpdump start(List<String> prefix, String ifname, Path file, int count, String... extra)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(argv(ifname, file, count, extra));
        return started(new ProcessBuilder(cmd).start(), file);
    }

    private static List<String> argv(String ifname, Path file, int count, String... extra) {
        List<String> argv = new ArrayList<>(List.of("tcpdump", "-i", ifname, "-w", file.toString()));
        if (count > 0) {
            argv.addAll(List.of("-c", Integer.toString(count)));
        }
        argv.addAll(List.of("-U", "-n", "-Z", "root"));
        argv.addAll(List.of(extra));
        return argv;
    }

    private static Tcpdump started(Process process, Path file) throws InterruptedException {
        Tcpdump t = new Tcpdump(process, file);
        if (!t.listening.await(10, TimeUnit.SECONDS)) {
            t.close();
            throw new IllegalStateException("tcpdump did not start capturing: " + t.stderrText());
        }
        return t;
    }

    /** Waits for tcpdump to exit after its {@code count} packets and returns them in capture order. */
    public List<Pcap.Record> awaitPackets(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("tcpdump still waiting for packets after " + timeout + ": "
                    + stderrText());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("tcpdump exited " + process.exitValue() + ": " + stderrText());
        }
        return Pcap.read(file);
    }

    /** Stops tcpdump (SIGTERM: it flushes the file) and waits for it to exit. */
    public List<Pcap.Record> stop() throws IOException, InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        return Pcap.read(file);
    }

    public synchronized String stderrText() {
        return String.join("\n", stderr);
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (this) {
                    stderr.add(line);
                }
                if (line.contains("listening on")) {
                    listening.countDown();
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
