package net.pflowd.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import net.pflowd.os.ErrnoException;
import net.pflowd.os.NetworkNamespace;

/**
 * A named network namespace for privileged tests ({@code ip netns add}), removed by {@link #close()}.
 * Names are {@code pfd-<owner>-<8 hex>}: unique per test run, recognisable per helper.
 *
 * <p>Three ways in: {@link #exec} runs a command ({@code ip netns exec}), {@link #start} starts one and leaves it
 * running, {@link #call}/{@link #run} run Java code on a fresh thread that setns()'d into the namespace (setns is
 * per thread: the caller's thread never moves). Sockets and TUN devices created there stay in the namespace and
 * may be used from any thread afterwards.
 */
public final class NetNs implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long EXEC_TIMEOUT_SECONDS = 120;

    private final String name;
    private final List<Process> started = new ArrayList<>();
    private boolean closed;

    private NetNs(String name) {
        this.name = name;
    }

    /** The outcome of a finished command. */
    public record ExecResult(int exitCode, String stdout, String stderr) {
    }

    /** Java code that may throw, for {@link #run}. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Creates {@code pfd-<owner>-<random>} with its loopback up. */
    public static NetNs create(String owner) {
        String name = String.format("pfd-%s-%08x", owner, RANDOM.nextInt());
        if (name.length() > 64) {
            throw new IllegalArgumentException("owner too long: " + owner);
        }
        ExecResult r = runCommand(List.of("ip", "netns", "add", name));
        if (r.exitCode != 0) {
            throw new IllegalStateException("ip netns add " + name + ": " + r.stderr.trim());
        }
        NetNs ns = new NetNs(name);
        try {
            ns.execOk("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** The bind-mounted namespace file, what setns(2) opens. */
    public Path path() {
        return Path.of("/var/run/netns", name);
    }

    /** Runs {@code command} inside the namespace and waits for it (120 s at most). */
    public ExecResult exec(String... command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
        argv.addAll(Arrays.asList(command));
        return runCommand(argv);
    }

    /** {@link #exec}, failing unless the exit code is 0; returns stdout. */
    public String execOk(String... command) {
        ExecResult r = exec(command);
        if (r.exitCode != 0) {
            throw new IllegalStateException("[" + name + "] " + String.join(" ", command) + " exited "
                    + r.exitCode + ": " + r.stderr.trim());
        }
        return r.stdout;
    }

    /** A shell script run inside the namespace ({@code sh -c}), failing unless it exits 0; returns stdout. */
    public String sh(String script) {
        return execOk("sh", "-c", script);
    }

    /** Starts {@code command} inside the namespace; {@link #close()} kills it if it is still running. */
    public synchronized Process start(String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
        argv.addAll(Arrays.asList(command));
        Process p = new ProcessBuilder(argv).start();
        started.add(p);
        return p;
    }

    /** Runs {@code task} on a new thread inside the namespace and returns its result (exceptions propagate). */
    public <T> T call(Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                enterCurrentThread(path());
                result.set(task.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "netns-" + name);
        t.start();
        t.join();
        Throwable e = failure.get();
        if (e instanceof Exception ex) {
            throw ex;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return result.get();
    }

    /** {@link #call} without a result. */
    public void run(ThrowingRunnable task) throws Exception {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Moves the calling thread (only it) into the network namespace at {@code nsPath}. */
    public static void enterCurrentThread(Path nsPath) throws ErrnoException {
        try (NetworkNamespace ns = NetworkNamespace.open(nsPath.toString())) {
            ns.enter();
        }
    }

    /** Kills what {@link #start} started and deletes the namespace. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ExecResult r = runCommand(List.of("ip", "netns", "del", name));
        if (r.exitCode != 0) {
            throw new IllegalStateException("ip netns del " + name + ": " + r.stderr.trim());
        }
    }

    /** Runs a command in the caller's namespace and collects its output (120 s at most). */
    public static ExecResult runCommand(List<String> argv) {
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", argv), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(p.getErrorStream()));
        try {
            if (!p.waitFor(EXEC_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + ": still running after "
                        + EXEC_TIMEOUT_SECONDS + " s");
            }
            return new ExecResult(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", argv) + ": interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(String.join(" ", argv) + ": output", e);
        }
    }

    /** {@link #runCommand}, failing unless the exit code is 0; returns stdout. */
    public static String runOk(List<String> argv) {
        ExecResult r = runCommand(argv);
        if (r.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " exited " + r.exitCode + ": "
                    + r.stderr.trim());
        }
        return r.stdout;
    }

    private static String slurp(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
