package net.pflowd.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.pflowd.control.ControlClient;
import net.pflowd.control.ControlException;
import net.pflowd.control.InterfaceStatus;

/**
 * The whole daemon as a child process inside a test namespace:
 * {@code ip netns exec NS java -cp <this JVM's class path> net.pflowd.Main --config C --state-dir D --socket S}.
 * The test class path holds everything the shaded jar would (which is only built after the tests).
 * {@link #close()} stops it with SIGTERM (it flushes every interface and removes its nft table).
 */
final class DaemonProcess implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final Path log;
    private final Process process;
    private final ControlClient client;

    private DaemonProcess(Path dir, Process process) {
        this.dir = dir;
        this.socket = dir.resolve("pflowd.sock");
        this.log = dir.resolve("pflowd.log");
        this.process = process;
        this.client = new ControlClient(socket);
    }

    /** The java command of this JVM and its class path, then {@code net.pflowd.Main}. */
    static List<String> javaMain(List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "net.pflowd.Main"));
        return cmd;
    }

    /**
     * Starts pflowd in namespace {@code ns} with {@code configLines} as its configuration file and
     * {@code args} after the standard options; returns once the control socket answers.
     */
    static DaemonProcess start(String ns, List<String> configLines, List<String> args) throws Exception {
        Path dir = Files.createTempDirectory("pflowd-e2e");
        Path config = dir.resolve("pflowd.conf");
        Files.write(config, configLines);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(javaMain(List.of("-Xmx256m")));
        cmd.addAll(List.of("--config", config.toString(), "--state-dir", dir.resolve("state").toString(),
                "--socket", dir.resolve("pflowd.sock").toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("pflowd.log").toFile())
                .start();
        DaemonProcess d = new DaemonProcess(dir, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                d.client.list();
                return d;
            } catch (ControlException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    d.close();
                    throw new IOException("pflowd did not start: " + d.log(), e);
                }
                Thread.sleep(100);
            }
        }
    }

    int pid() {
        return (int) process.pid();
    }

    ControlClient client() {
        return client;
    }

    /** Runs one ifconfig argument vector through the control socket. */
    void ifconfig(String... argv) throws ControlException {
        client.apply(List.of(argv));
    }

    /** The statistics of {@code ifname}: the export counters and, prefixed "conntrack.", the source's. */
    Map<String, Long> statistics(String ifname) throws ControlException {
        InterfaceStatus s = client.status(ifname);
        return s.statistics();
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (process.isAlive()) {
                process.destroy(); // SIGTERM: orderly shutdown
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new IOException("pflowd did not stop on SIGTERM: " + log());
                }
            }
            if (process.exitValue() != 0) {
                System.out.println("pflowd exited " + process.exitValue() + "; its log:\n" + log());
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
