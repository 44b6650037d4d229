package net.pflowd.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.pflowd.collectors.Tshark;
import net.pflowd.flow.FlowRecord;
import net.pflowd.testutil.Hex;
import net.pflowd.testutil.Pcap;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder on datagrams captured from a real exporter ({@link ExporterCaptures}: softflowd), against what
 * tshark's cflow dissector says of the same bytes, record by record: addresses, ports, protocol, ToS, TCP flags,
 * packets, octets and, where the times are relative to the header's sysUptime (v5, v9), the absolute start and
 * end (RFC 3954: export time − (sysUptime − FIRST), modulo 2^32).
 */
class ExporterCapturesTest {
    private static final InetSocketAddress EXPORTER = new InetSocketAddress("127.0.0.1", 52600);
    private static final int PORT = 2055;

    @TempDir
    Path dir;

    @Test
    void softflowdV5() throws Exception {
        Decoded d = decode(ExporterCaptures.SOFTFLOWD_V5);
        assertThat(d.message.version()).isEqualTo(5);
        assertThat(d.message.count()).isEqualTo(d.cflow.path("cflow.count").asInt());
        JsonNode t = d.cflow.path("cflow.timestamp_tree");
        long exportMillis = t.path("cflow.unix_secs").asLong() * 1000 + t.path("cflow.unix_nsecs").asLong() / 1_000_000;
        assertThat(d.message.exportMillis()).isEqualTo(exportMillis);
        assertThat(d.records).hasSize(d.message.records().size()).hasSize(6);
        assertSameRecords(d, exportMillis);
    }

    @Test
    void softflowdV9() throws Exception {
        Decoded d = decode(ExporterCaptures.SOFTFLOWD_V9);
        assertThat(d.message.version()).isEqualTo(9);
        long exportMillis = d.cflow.path("cflow.timestamp_tree").path("cflow.unix_secs").asLong() * 1000;
        assertThat(d.message.exportMillis()).isEqualTo(exportMillis);
        // tshark trusts the header's short count and stops early; what it shows is the start of what we read.
        assertThat(d.records).isNotEmpty();
        assertThat(d.message.records().size()).isGreaterThan(d.records.size());
        assertSameRecords(d, exportMillis);
        // The rest are the flows tshark shows in full in the IPFIX capture of the same traffic.
        Decoded ipfix = decode(ExporterCaptures.SOFTFLOWD_IPFIX);
        assertThat(d.message.records()).extracting(ExporterCapturesTest::flowKey)
                .containsExactlyElementsOf(ipfix.message.records().stream().map(ExporterCapturesTest::flowKey).toList());
    }

    @Test
    void softflowdIpfix() throws Exception {
        Decoded d = decode(ExporterCaptures.SOFTFLOWD_IPFIX);
        assertThat(d.message.version()).isEqualTo(10);
        assertThat(d.message.exportMillis())
                .isEqualTo(d.cflow.path("cflow.timestamp_tree").path("cflow.exporttime").asLong() * 1000);
        assertThat(d.records).hasSize(d.message.records().size()).hasSize(10);
        assertSameRecords(d, -1);
    }

    /** The decoder's message and tshark's dissection (its cflow layer and its records in order) of one datagram. */
    private record Decoded(DecodedMessage message, JsonNode cflow, List<JsonNode> records) {
    }

    private Decoded decode(String hex) throws Exception {
        byte[] datagram = Hex.bytes(hex);
        DecodedMessage m = new FlowDecoder().decode(EXPORTER, ByteBuffer.wrap(datagram));
        Path pcap = dir.resolve("capture.pcap");
        Pcap.writeUdp(pcap, PORT, List.of(datagram));
        JsonNode packets = Tshark.decodeJson(pcap, PORT);
        assertThat(packets).hasSize(1);
        JsonNode cflow = packets.get(0).path("_source").path("layers").path("cflow");
        assertThat(cflow.path("cflow.sequence").asLong()).isEqualTo(m.sequence());
        List<JsonNode> records = new ArrayList<>();
        collectRecords(cflow, records);
        return new Decoded(m, cflow, records);
    }

    /** tshark's flow records, in the order of the datagram: the objects that hold a packet count. */
    private static void collectRecords(JsonNode node, List<JsonNode> out) {
        if (node.isObject() && node.has("cflow.packets")) {
            out.add(node);
        } else if (node.isContainerNode()) {
            node.elements().forEachRemaining(child -> collectRecords(child, out));
        }
    }

    /**
     * Each record tshark shows equals the decoder's at the same place. {@code exportMillis} ≥ 0: the times are
     * relative to the header's sysUptime, and the absolute ones follow from tshark's FIRST and LAST.
     */
    private static void assertSameRecords(Decoded d, long exportMillis) throws Exception {
        SoftAssertions soft = new SoftAssertions();
        long sysUptime = Math.round(d.cflow.path("cflow.sysuptime").asDouble() * 1000);
        for (int i = 0; i < d.records.size(); i++) {
            JsonNode t = flatten(d.records.get(i));
            FlowRecord r = d.message.records().get(i);
            String at = "record " + (i + 1) + " " + r;
            String src = t.has("cflow.srcaddrv6") ? t.path("cflow.srcaddrv6").asText() : t.path("cflow.srcaddr").asText();
            String dst = t.has("cflow.dstaddrv6") ? t.path("cflow.dstaddrv6").asText() : t.path("cflow.dstaddr").asText();
            soft.assertThat(r.src()).as(at + " source").isEqualTo(InetAddress.getByName(src));
            soft.assertThat(r.dst()).as(at + " destination").isEqualTo(InetAddress.getByName(dst));
            soft.assertThat(r.protocol).as(at + " protocol").isEqualTo(t.path("cflow.protocol").asInt());
            soft.assertThat(r.tos).as(at + " ToS").isEqualTo(Integer.decode(t.path("cflow.tos").asText()));
            soft.assertThat(r.packets).as(at + " packets").isEqualTo(t.path("cflow.packets").asLong());
            soft.assertThat(r.bytes).as(at + " octets").isEqualTo(t.path("cflow.octets").asLong());
            if (t.has("cflow.tcpflags")) {
                soft.assertThat(r.tcpFlags).as(at + " TCP flags").isEqualTo(Integer.decode(t.path("cflow.tcpflags").asText()));
            }
            if (t.has("cflow.srcport")) {
                soft.assertThat(r.srcPort).as(at + " source port").isEqualTo(t.path("cflow.srcport").asInt());
                soft.assertThat(r.dstPort).as(at + " destination port").isEqualTo(t.path("cflow.dstport").asInt());
            }
            if (exportMillis >= 0) {
                long first = Math.round(t.path("cflow.timestart").asDouble() * 1000);
                long last = Math.round(t.path("cflow.timeend").asDouble() * 1000);
                soft.assertThat(r.startMillis).as(at + " start").isEqualTo(exportMillis - (int) (sysUptime - first));
                soft.assertThat(r.endMillis).as(at + " end").isEqualTo(exportMillis - (int) (sysUptime - last));
            }
        }
        soft.assertAll();
    }

    /** The record's fields with tshark's subtrees (the times under cflow.timedelta_tree) lifted to the top. */
    private static JsonNode flatten(JsonNode record) {
        ObjectNode flat = JsonNodeFactory.instance.objectNode();
        record.properties().forEach(e -> {
            if (e.getValue().isObject()) {
                flat.setAll((ObjectNode) flatten(e.getValue()));
            } else {
                flat.set(e.getKey(), e.getValue());
            }
        });
        return flat;
    }

    private static String flowKey(FlowRecord r) {
        return r.src().getHostAddress() + " " + r.dst().getHostAddress() + " " + r.protocol + " " + r.srcPort + " "
                + r.dstPort + " " + r.packets + " " + r.bytes;
    }
}
