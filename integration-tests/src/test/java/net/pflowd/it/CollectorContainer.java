package net.pflowd.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * nfcapd (docker/collector) on UDP 2055 of a private network, reachable there as {@value #ALIAS}. It rotates its
 * file every {@value #ROTATE_SECONDS} s: flows become readable by nfdump at the next rotation.
 */
final class CollectorContainer extends GenericContainer<CollectorContainer> {
    static final String ALIAS = "collector";
    static final int PORT = 2055;
    static final int ROTATE_SECONDS = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    CollectorContainer(Network network) {
        super(DockerImages.collector());
        withNetwork(network);
        withNetworkAliases(ALIAS);
        withEnv("NFCAPD_INTERVAL", Integer.toString(ROTATE_SECONDS));
        waitingFor(Wait.forLogMessage(".*Startup nfcapd.*", 1).withStartupTimeout(Duration.ofSeconds(30)));
    }

    /** The container's IPv4 address on the private network: flowdst takes numeric addresses only. */
    String ipAddress() {
        return getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    /** Every flow nfcapd has written so far, as nfdump's JSON objects (keys such as src4_addr, in_bytes). */
    List<JsonNode> flows() throws IOException, InterruptedException {
        ExecResult result = execInContainer("nfdump", "-R", "/data", "-o", "json");
        if (result.getExitCode() != 0) {
            throw new IllegalStateException("nfdump exited " + result.getExitCode() + ": " + result.getStderr());
        }
        String out = result.getStdout();
        List<JsonNode> flows = new ArrayList<>();
        // nfdump 1.7 prints "[\nNo matching flows\n]" (not JSON) when nothing matched.
        if (out.contains("No matching flows")) {
            return flows;
        }
        // "Empty file list" (before the first rotation) is printed with no JSON at all.
        if (out.indexOf('[') < 0) {
            return flows;
        }
        JSON.readTree(out.substring(out.indexOf('['))).forEach(flows::add);
        return flows;
    }

    /** Polls {@link #flows()} until one satisfies {@code match}; fails with every flow seen after {@code timeout}. */
    JsonNode awaitFlow(Predicate<JsonNode> match, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> seen;
        do {
            seen = flows();
            for (JsonNode flow : seen) {
                if (match.test(flow)) {
                    return flow;
                }
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no matching flow within " + timeout + "; collector has " + seen
                + "\ncollector log:\n" + getLogs());
    }
}
