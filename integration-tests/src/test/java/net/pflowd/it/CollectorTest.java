package net.pflowd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;

/**
 * The harness end to end without the daemon: a NetFlow v5 datagram sent from inside the pflowd image over a
 * private Docker network reaches the collector image, and nfdump reads back every field that was sent.
 */
class CollectorTest {
    /** One NetFlow v5 datagram (header + one record), field by field. */
    static final String V5_DATAGRAM = String.join("",
            // header: version 5, count 1, sysUptime 100000 ms, unix_secs 0x65000000 (2023-09-12T06:06:56Z),
            // unix_nsecs 0, flow_sequence 1, engine_type 0, engine_id 0, sampling_interval 0
            "0005", "0001", "000186a0", "65000000", "00000000", "00000001", "00", "00", "0000",
            // record: srcaddr 10.0.0.1, dstaddr 10.0.0.2, nexthop 0.0.0.0, input 1, output 2
            "0a000001", "0a000002", "00000000", "0001", "0002",
            // dPkts 3, dOctets 180, First 90000 ms, Last 99000 ms (uptime), srcport 40000, dstport 443
            "00000003", "000000b4", "00015f90", "000182b8", "9c40", "01bb",
            // pad1, tcp_flags FIN|SYN|PSH|ACK, prot 6 (TCP), tos 0, src_as 0, dst_as 0, masks /24 /24, pad2
            "00", "1b", "06", "00", "0000", "0000", "18", "18", "0000");

    private static Network network;
    private static CollectorContainer collector;
    private static PflowdContainer exporter;

    @BeforeAll
    static void start() {
        DockerImages.requireDockerEngine();
        network = Network.newNetwork();
        collector = new CollectorContainer(network);
        collector.start();
        // The exporter's shell, not its daemon: the entrypoint runs a command given instead of options unchecked.
        exporter = new PflowdContainer(network).withCommand("sleep", "infinity");
        exporter.start();
    }

    @AfterAll
    static void stop() {
        if (exporter != null) {
            exporter.stop();
        }
        if (collector != null) {
            collector.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void collectorReceivesAV5DatagramSentFromTheExporterContainer() throws Exception {
        byte[] datagram = HexFormat.of().parseHex(V5_DATAGRAM);
        assertThat(datagram).hasSize(24 + 48);
        exporter.copyFileToContainer(Transferable.of(datagram), "/tmp/v5.bin");
        // cat writes the 72 bytes with one write(2), hence one datagram (bash's printf would split it).
        ExecResult sent = exporter.execInContainer("bash", "-c",
                "cat /tmp/v5.bin > /dev/udp/" + CollectorContainer.ALIAS + "/" + CollectorContainer.PORT);
        assertThat(sent.getExitCode()).as(sent.getStderr()).isZero();

        JsonNode flow = collector.awaitFlow(f -> "10.0.0.1".equals(f.path("src4_addr").asText()),
                Duration.ofSeconds(20));

        assertThat(flow.path("dst4_addr").asText()).isEqualTo("10.0.0.2");
        assertThat(flow.path("src_port").asInt()).isEqualTo(40000);
        assertThat(flow.path("dst_port").asInt()).isEqualTo(443);
        assertThat(flow.path("proto").asInt()).isEqualTo(6);
        assertThat(flow.path("in_packets").asLong()).isEqualTo(3);
        assertThat(flow.path("in_bytes").asLong()).isEqualTo(180);
        assertThat(flow.path("tcp_flags").asText()).isEqualTo("...AP.SF");
        assertThat(flow.path("input_snmp").asInt()).isEqualTo(1);
        assertThat(flow.path("output_snmp").asInt()).isEqualTo(2);
        // unix_secs - (sysUptime - First) / 1000, printed in the collector's zone (UTC: no TZ in the image)
        assertThat(flow.path("first").asText()).isEqualTo("2023-09-12T06:06:46.000");
        assertThat(flow.path("last").asText()).isEqualTo("2023-09-12T06:06:55.000");
        // It came over the private network, from the exporter container.
        String exporterIp = exporter.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .map(n -> n.getIpAddress()).findFirst().orElseThrow();
        assertThat(flow.path("ip4_router").asText()).isEqualTo(exporterIp);
    }
}
