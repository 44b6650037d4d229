package net.pflowd.it;

import java.time.Duration;
import java.util.List;

import net.pflowd.testutil.Pcap;
import org.testcontainers.containers.GenericContainer;

/**
 * {@code tcpdump -w} running in the background inside a container, read back as UDP datagrams after
 * {@link #stop()} with the one pcap reader ({@link Pcap}); on the host, in a network namespace, tests use
 * {@link net.pflowd.testutil.Tcpdump}, which owns its process (here {@code docker exec} starts it and only a
 * {@code kill} inside the container stops it). It keeps root ({@code -Z root}) so that {@code kill} from {@code docker exec} (root, without
 * CAP_KILL) may stop it, and writes each packet at once ({@code -U}). The container needs NET_RAW, SETUID and
 * SETGID ({@link PflowdContainer#withTcpdump()}).
 */
final class ContainerTcpdump {
    private final GenericContainer<?> container;
    private final String base;
    private final String pid;

    private ContainerTcpdump(GenericContainer<?> container, String base, String pid) {
        this.container = container;
        this.base = base;
        this.pid = pid;
    }

    /** Starts the capture and returns once tcpdump listens (its "listening on" line). */
    static ContainerTcpdump start(GenericContainer<?> container, String name, String iface, String filter)
            throws InterruptedException {
        String base = "/tmp/" + name;
        String pid = Exec.bash(container, "tcpdump -Z root -U -n -i " + iface + " -w " + base + ".pcap " + filter
                + " >" + base + ".log 2>&1 </dev/null & echo $!").strip();
        Exec.await(container, Duration.ofSeconds(15), "tcpdump on " + iface,
                log -> log.contains("listening on") || log.contains("tcpdump: "), "cat", base + ".log");
        String log = Exec.run(container, "cat", base + ".log");
        if (!log.contains("listening on")) {
            throw new AssertionError("tcpdump -i " + iface + " did not start:\n" + log);
        }
        return new ContainerTcpdump(container, base, pid);
    }

    /** Stops tcpdump (SIGINT: it closes the file) and returns every datagram it captured, in order. */
    List<Pcap.Datagram> stop() throws InterruptedException {
        // Gone, or a zombie: PID 1 of the container (java, sleep) does not reap orphans it never started.
        Exec.bash(container, "kill -INT " + pid + "; for i in $(seq 100); do read -r _ _ st _ </proc/" + pid
                + "/stat 2>/dev/null || exit 0; [ \"$st\" = Z ] && exit 0; sleep 0.1; done;"
                + " echo 'tcpdump did not stop' >&2; cat " + base + ".log >&2; exit 1");
        byte[] pcap = container.copyFileFromContainer(base + ".pcap", in -> in.readAllBytes());
        return Pcap.udpDatagrams(pcap);
    }
}
