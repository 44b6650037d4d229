package net.pflowd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * Runtime changes survive the container: configured with ifconfig, stopped with {@code docker stop} (SIGTERM:
 * the daemon exits 0 and removes its interfaces), and a new container on the same state volume shows the same
 * interfaces, line for line except the kernel's index.
 */
class StateVolumeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeAll
    static void docker() {
        DockerImages.requireDockerEngine();
    }

    @Test
    void interfacesComeBackFromTheStateVolume() throws Exception {
        String volume = "pflowd-it-state-" + UUID.randomUUID().toString().substring(0, 8);
        try (Network network = Network.newNetwork();
                CollectorContainer collector = new CollectorContainer(network)) {
            collector.start();
            String collectorAt = collector.ipAddress() + ":" + CollectorContainer.PORT;
            String before;
            try (PflowdContainer first = exporter(network, volume)) {
                first.start();
                first.awaitRunning(WAIT);
                Exec.run(first, "ifconfig", "pflow0", "create", "flowdst", collectorAt, "pflowproto", "10");
                Exec.run(first, "ifconfig", "pflow1", "create", "flowdst", collectorAt, "pflowproto", "9",
                        "domain", "7", "mtu", "1400");
                Exec.run(first, "ifconfig", "pflow1", "down");
                Exec.run(first, "ifconfig", "pflow0", "pflowproto", "5");
                before = Exec.run(first, "ifconfig", "-v", "-g", "pflow");
                assertThat(before).contains("pflow0: flags=41<UP,RUNNING> mtu 1492",
                        "pflow: receiver: " + collectorAt + " version: 5", "pflow1: flags=0<>",
                        "pflow domain: 7");

                assertThat(first.stopGracefully(WAIT)).as("exit code after SIGTERM; log:\n%s", first.getLogs())
                        .isZero();
                assertThat(first.getLogs()).contains("pflowd stopped");
            }
            try (PflowdContainer second = exporter(network, volume)) {
                second.start();
                second.awaitRunning(WAIT);
                String after = Exec.run(second, "ifconfig", "-v", "-g", "pflow");
                assertThat(withoutIndexAndStatistics(after)).as("log:\n%s", second.getLogs())
                        .isEqualTo(withoutIndexAndStatistics(before));
            }
        } finally {
            try {
                DockerClientFactory.instance().client().removeVolumeCmd(volume).exec();
            } catch (NotFoundException e) {
                // never created: the first container did not start
            }
        }
    }

    private static PflowdContainer exporter(Network network, String volume) {
        return new PflowdContainer(network).withStateVolume(volume).withCommand("--hold-timeout", "1");
    }

    /**
     * The index is the kernel's, the counters (the stats line and the export, mirror and source lines) start
     * again with the daemon: everything else must be equal.
     */
    private static String withoutIndexAndStatistics(String ifconfig) {
        return ifconfig.replaceAll("\tindex \\d+ ", "\tindex N ").replaceAll("(?m)^\tpflow (?!domain:)[a-z]+:.*\n", "");
    }
}
