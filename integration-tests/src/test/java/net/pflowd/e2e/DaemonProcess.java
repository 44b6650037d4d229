package net.pflowd.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.pflowd.control.ControlClient;
import net.pflowd.control.ControlException;
import net.pflowd.control.InterfaceStatus;
import net.pflowd.ifconfig.IfconfigMain;
import net.pflowd.testutil.NetNs;

/**
 * The real pflowd as a separate process in a test namespace: {@code ip netns exec NS java -cp <this test's
 * classpath> net.pflowd.Main ...} ({@code ip netns exec} execs, so the process is the JVM itself and SIGTERM
 * reaches it). The test classpath, not {@code pflowd-all.jar}, because it holds exactly the classes these tests
 * were compiled against whatever the Maven phase ({@code mvn test} packages nothing, and a jar left from an
 * earlier build may be stale).
 *
 * <p>Two state tables. {@link #DaemonProcess(NetNs, Path) With a stand-in pfctl}: a shell script printing
 * {@link #statesFile()}, polled every 0.2 s with {@code --pfctl-all}; {@link #endStates} lists states and then
 * removes them, which makes pflowd export them. {@link #startConntrack With conntrack} (the default source): the
 * namespace's own table, with a configuration file of the test's.
 * The ifconfig CLI runs in-process ({@link #ifconfig}): the control socket is a path, reachable from any namespace.
 * {@link #close()} stops the daemon with SIGTERM (it flushes every interface and removes its nft table).
 */
final class DaemonProcess implements AutoCloseable {
    static final String CLASSPATH = System.getProperty("java.class.path");

    /** What one run of a command printed. */
    record Output(int exit, String out, String err) {
    }

    private final NetNs ns;
    private final Path dir;
    /** Made by this harness, so removed by its {@link #close()}: the directory, and the namespace when set. */
    private final boolean ownsDir;
    private NetNs ownNs;
    private final Path socket;
    private final Path statesFile;
    private final Path pfctl;
    private final List<String> jvmOptions;
    private final List<String> sourceOptions;
    private Process process;
    private Path log;
    private int runs;
    private long stateIds = 0x100;

    /** pflowd with a stand-in pfctl as its source, its files in {@code dir} (the caller's to remove). */
    DaemonProcess(NetNs ns, Path dir) throws IOException {
        this(ns, dir, false, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"),
                List.of("--source", "pfctl", "--pfctl-all", "--pfctl", dir.resolve("pfctl").toString(),
                        "--pfctl-interval", "0.2"));
        Files.writeString(statesFile, "");
        Files.writeString(pfctl, "#!/bin/sh\n# stand-in for pfctl -s states -vv\nexec cat " + statesFile + "\n");
        pfctl.toFile().setExecutable(true, false);
    }

    /**
     * pflowd with a stand-in pfctl in a namespace and a directory of its own (world-traversable, so that
     * unprivileged clients reach the socket), both removed by {@link #close()}.
     */
    static DaemonProcess withStandInPfctl(String owner) throws IOException {
        Path dir = Files.createTempDirectory("pflowd-" + owner);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        NetNs ns = NetNs.create(owner);
        DaemonProcess d = new DaemonProcess(ns, dir);
        d.ownNs = ns;
        return d;
    }

    private DaemonProcess(NetNs ns, Path dir, boolean ownsDir, List<String> jvmOptions, List<String> sourceOptions) {
        this.ns = ns;
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.socket = dir.resolve("pflowd.sock");
        this.statesFile = dir.resolve("states.txt");
        this.pfctl = dir.resolve("pfctl");
        this.jvmOptions = jvmOptions;
        this.sourceOptions = sourceOptions;
    }

    /**
     * Starts pflowd in {@code ns} with its default source, conntrack, {@code configLines} as its configuration
     * file and {@code args} after the standard options; returns once the control socket answers. Its files are
     * in a directory of its own, removed by {@link #close()}.
     */
    static DaemonProcess startConntrack(NetNs ns, List<String> configLines, List<String> args) throws Exception {
        DaemonProcess d = new DaemonProcess(ns, Files.createTempDirectory("pflowd-e2e"), true, List.of("-Xmx256m"),
                List.of());
        try {
            Files.write(d.config(), configLines);
            d.start(args.toArray(String[]::new));
            return d;
        } catch (Exception | Error e) {
            d.close();
            throw e;
        }
    }

    /** The java command of this JVM and its class path, then {@code net.pflowd.Main}. */
    static List<String> javaMain(List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", CLASSPATH, "net.pflowd.Main"));
        return cmd;
    }

    NetNs ns() {
        return ns;
    }

    Path dir() {
        return dir;
    }

    Path socket() {
        return socket;
    }

    Path config() {
        return dir.resolve("pflowd.conf");
    }

    Path stateDir() {
        return dir.resolve("state");
    }

    Path statesFile() {
        return statesFile;
    }

    private List<String> command(List<String> extra) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
        argv.addAll(javaMain(jvmOptions));
        argv.addAll(List.of("--config", config().toString(), "--state-dir", stateDir().toString(),
                "--socket", socket.toString()));
        argv.addAll(sourceOptions);
        argv.addAll(extra); // later options win (overwritten options are allowed)
        return argv;
    }

    /** Starts pflowd and waits until its control socket answers. */
    void start(String... extra) throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        log = dir.resolve("pflowd-" + (++runs) + ".log");
        process = new ProcessBuilder(command(List.of(extra))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ControlClient client = new ControlClient(socket);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pflowd exited " + process.exitValue() + " at start:\n" + log());
            }
            if (Files.exists(socket)) {
                try {
                    client.list();
                    return;
                } catch (ControlException notYet) {
                    // bound but not accepting yet
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pflowd did not answer on " + socket + " in 30 s:\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /** Runs pflowd expecting it to exit by itself (a refused start); its exit status and output. */
    Output run(String... extra) throws Exception {
        Path out = dir.resolve("run-" + (++runs) + ".out");
        Path err = dir.resolve("run-" + runs + ".err");
        Process p = new ProcessBuilder(command(List.of(extra))).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("pflowd still running after 30 s: " + Files.readString(err));
            }
        } finally {
            p.destroyForcibly();
        }
        return new Output(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** {@code kill -HUP}: pflowd reloads its configuration file (ip netns exec execs java: the pid is the daemon's). */
    void hangUp() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -HUP " + process.pid() + " failed");
        }
    }

    /** SIGTERM, then its exit status (within 30 s). */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("pflowd did not exit on SIGTERM in 30 s");
        }
        return process.exitValue();
    }

    String log() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** ifconfig with this daemon's socket, in-process: {@link IfconfigMain#run}, never the system ifconfig. */
    Output ifconfig(String... args) {
        List<String> argv = new ArrayList<>(List.of("--socket", socket.toString()));
        argv.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = IfconfigMain.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), List.of(), (exe, a) -> {
                    throw new AssertionError("delegated to the system ifconfig: " + a);
                });
        return new Output(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** ifconfig that must succeed; its stdout. */
    String ifconfigOk(String... args) {
        Output o = ifconfig(args);
        if (o.exit() != 0) {
            throw new AssertionError("ifconfig " + String.join(" ", args) + " exited " + o.exit() + ": " + o.err()
                    + "\npflowd log:\n" + log());
        }
        return o.out();
    }

    /** The statistics of {@code ifname}: the export counters and, prefixed with its name, the source's. */
    Map<String, Long> statistics(String ifname) throws ControlException {
        return status(ifname).statistics();
    }

    InterfaceStatus status(String name) throws ControlException {
        return new ControlClient(socket).status(name);
    }

    List<InterfaceStatus> list() throws ControlException {
        return new ControlClient(socket).list();
    }

    /**
     * Lists {@code n} new IPv4 TCP states (both directions counted, so two records each) until pflowd has seen
     * them, then removes them from the listing until pflowd has exported them. The states' numbers continue
     * across calls, so every call makes new states.
     */
    void endStates(String statsOf, int n, boolean ipv6) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long id = stateIds++;
            String client = ipv6 ? "2001:db8::" + Long.toHexString(id) + "[" + (40000 + id) + "]"
                    : "10.9." + (id >> 8 & 0xff) + "." + (id & 0xff) + ":" + (40000 + id);
            String server = ipv6 ? "2001:db8:1::1[443]" : "10.8.0.1:443";
            sb.append("all tcp ").append(server).append(" <- ").append(client)
                    .append("       ESTABLISHED:ESTABLISHED\n")
                    .append("   [1000 + 64240] wscale 7  [2000 + 65535] wscale 8\n")
                    .append("   age 00:00:05, expires in 23:59:59, ").append(3 + i).append(":2 pkts, ")
                    .append(300 + i).append(":200 bytes, rule 1, pflow\n")
                    .append(String.format("   id: %016x creatorid: 0a0b0c0d%n", id));
        }
        long seen = sourceCounter(statsOf, "pfctl.states-seen");
        long exported = sourceCounter(statsOf, "pfctl.states-exported");
        writeStates(sb.toString());
        await("pflowd lists " + n + " new states", () -> sourceCounter(statsOf, "pfctl.states-seen") >= seen + n);
        writeStates("");
        await("pflowd exports " + n + " states", () -> sourceCounter(statsOf, "pfctl.states-exported") >= exported + n);
    }

    private void writeStates(String text) throws IOException {
        Path tmp = dir.resolve("states.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, statesFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private long sourceCounter(String iface, String key) {
        try {
            return status(iface).statistic(key);
        } catch (ControlException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every 50 ms for 20 s at most. */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "\npflowd log:\n" + log());
            }
            if (process != null && !process.isAlive()) {
                throw new AssertionError("pflowd died while waiting until " + what + ":\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Stops pflowd with SIGTERM (30 s at most) if it still runs, and removes its namespace and files if they are
     * its own.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (process != null && process.isAlive()) {
                process.destroy(); // SIGTERM: orderly shutdown
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new IOException("pflowd did not stop on SIGTERM: " + log());
                }
            }
            if (process != null && process.exitValue() != 0) {
                System.out.println("pflowd exited " + process.exitValue() + "; its log:\n" + log());
            }
        } finally {
            try {
                if (ownNs != null) {
                    ownNs.close();
                }
            } finally {
                if (ownsDir || ownNs != null) {
                    try (var files = Files.walk(dir)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                }
            }
        }
    }
}
