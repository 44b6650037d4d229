package net.pflowd.source.pfctl;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs pfctl once: an argument vector (never a shell), stdin from /dev/null, stdout collected up to a
 * size bound (the rest is read and counted, so the child never blocks on a full pipe), the head of
 * stderr kept for the log, a time limit after which the child and its descendants are killed.
 *
 * <p>The pipes are drained by two short-lived daemon threads. A child that leaves its stdout open after
 * exiting (a background grandchild holding the pipe) would keep a reader blocked for as long as the
 * grandchild lives, one more each poll: every process of a run carries {@value #RUN_ENV}={@code <token>}
 * in its environment (inherited by any descendant, even one that left the process group), and the
 * processes still holding the pipes after the child ended are found by it and killed, which ends the
 * readers.
 */
final class PfctlRunner {
    /** Environment variable marking every process of one run. */
    static final String RUN_ENV = "PFLOWD_PFCTL_RUN";

    /** How much of stderr is kept for the log. */
    static final int STDERR_KEEP = 4096;

    /** How long the readers may take to see end-of-file once the child has exited or been killed. */
    private static final long DRAIN_MILLIS = 2000;

    private PfctlRunner() {
    }

    /**
     * The outcome of one run.
     *
     * @param exitCode    the child's exit status, -1 when it was killed
     * @param stdout      the output, {@code stdoutLength} valid bytes
     * @param stdoutTotal bytes the child wrote to stdout, including those beyond the bound
     * @param truncated   stdout exceeded the bound: {@code stdout} holds its first part only
     * @param stderr      the first {@value #STDERR_KEEP} bytes of stderr, trimmed
     * @param failure     null when the child ran to completion and both pipes were drained;
     *                    otherwise why not ("timed out after 10000 ms", "cancelled", ...)
     */
    record Result(int exitCode, byte[] stdout, int stdoutLength, long stdoutTotal, boolean truncated,
                  String stderr, String failure) {
    }

    /**
     * @throws IOException when the program cannot be started (missing, not executable)
     */
    static Result run(List<String> command, long timeoutMillis, int maxStdout, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        String token = ProcessHandle.current().pid() + "-" + UUID.randomUUID();
        pb.environment().put(RUN_ENV, token);
        Process p = pb.start();
        Drain out = new Drain(p.getInputStream(), maxStdout, "pfctl-stdout");
        Drain err = new Drain(p.getErrorStream(), STDERR_KEEP, "pfctl-stderr");
        String failure = null;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            while (!p.waitFor(Math.min(100, Math.max(1, remainingMillis(deadline))), TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    failure = "cancelled";
                    break;
                }
                if (remainingMillis(deadline) <= 0) {
                    failure = "timed out after " + timeoutMillis + " ms";
                    break;
                }
            }
        } finally {
            if (p.isAlive()) {
                killTree(p);
            }
        }
        out.thread.join(DRAIN_MILLIS);
        err.thread.join(Math.max(1, DRAIN_MILLIS / 4));
        if (out.thread.isAlive() || err.thread.isAlive()) {
            if (failure == null && out.thread.isAlive()) {
                failure = "stdout still open " + DRAIN_MILLIS + " ms after pfctl exited (a process it started"
                        + " holds it; killed)";
            }
            killRun(token);
            out.thread.join(DRAIN_MILLIS);
            err.thread.join(DRAIN_MILLIS);
        }
        int exit = failure == null ? exitValue(p) : -1;
        synchronized (out) {
            return new Result(exit, out.buf, out.len, out.total, out.total > out.len, err.text(), failure);
        }
    }

    private static int exitValue(Process p) {
        try {
            return p.exitValue();
        } catch (IllegalThreadStateException e) {
            return -1;
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    /** Kills the descendants first (a shell's sleeping child holds the pipes too), then the child. */
    private static void killTree(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Kills every process whose environment carries this run's token: what is left of the run. */
    static int killRun(String token) {
        byte[] mark = (RUN_ENV + "=" + token).getBytes(StandardCharsets.US_ASCII);
        int[] killed = {0};
        ProcessHandle.allProcesses().forEach(ph -> {
            if (ph.pid() == ProcessHandle.current().pid()) {
                return;
            }
            byte[] env;
            try {
                env = Files.readAllBytes(Path.of("/proc", Long.toString(ph.pid()), "environ"));
            } catch (IOException | SecurityException e) {
                return; // gone, or not ours to read (then not ours to kill either)
            }
            if (contains(env, mark) && ph.destroyForcibly()) {
                killed[0]++;
            }
        });
        return killed[0];
    }

    /** Whether {@code env} (NUL-separated entries) has the entry {@code entry}. */
    private static boolean contains(byte[] env, byte[] entry) {
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == entry.length && Arrays.equals(env, start, i, entry, 0, entry.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** Reads a stream to its end, keeping at most {@code max} bytes and counting the rest. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final int max;
        final Thread thread;
        byte[] buf = new byte[0];
        int len;
        long total;

        Drain(InputStream in, int max, String name) {
            this.in = in;
            this.max = max;
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            byte[] chunk = new byte[64 * 1024];
            try (in) {
                int n;
                while ((n = in.read(chunk)) > 0) {
                    synchronized (this) {
                        int keep = (int) Math.min(n, (long) max - len);
                        if (keep > 0) {
                            if (len + keep > buf.length) {
                                int cap = (int) Math.min(max, Math.max(len + (long) keep, Math.max(8192L, 2L * buf.length)));
                                buf = Arrays.copyOf(buf, cap);
                            }
                            System.arraycopy(chunk, 0, buf, len, keep);
                            len += keep;
                        }
                        total += n;
                    }
                }
            } catch (IOException e) {
                // Pipe closed under us (child killed): what was read is kept.
            }
        }

        synchronized String text() {
            return new String(buf, 0, len, StandardCharsets.UTF_8).trim();
        }
    }
}
