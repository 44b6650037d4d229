package net.pflowd.listen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.pflowd.decode.GoldenVectors;
import net.pflowd.testutil.Hex;
import org.junit.jupiter.api.Test;

/** The listener in-process on loopback, fed the golden datagrams from a real UDP socket. */
class ListenerTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void printsOneJsonLinePerRecordAndReportsGapsAndMalformedDatagrams() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(lo, 0));
                DatagramSocket exporter = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            Listener listener = new Listener(server, out, err);
            // 2 + 0 + 2 + 2 + 2 records; the timeout only keeps a broken build from hanging.
            CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.run(8, 30_000);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            List<byte[]> datagrams = List.of(
                    Hex.bytes(GoldenVectors.IPFIX),                                        // seq 60, 2 records
                    Hex.bytes("000A 0014 6B02C0C2 00000001 0000002A 0100 0000"),          // set length 0
                    Hex.bytes(GoldenVectors.IPFIX.replaceFirst("0000003C", "0000005A")),  // seq 90: 28 missing
                    Hex.bytes(GoldenVectors.V5),
                    Hex.bytes(GoldenVectors.IPFIX_NAT));
            for (byte[] d : datagrams) {
                exporter.send(new DatagramPacket(d, d.length, server.getLocalSocketAddress()));
            }
            assertThat(done.get(60, TimeUnit.SECONDS)).isTrue();

            String from = "127.0.0.1:" + exporter.getLocalPort();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : outBytes.toString(StandardCharsets.UTF_8).split("\n")) {
                lines.add(mapper.readTree(line));
            }
            assertThat(lines).hasSize(8);
            assertThat(lines).allSatisfy(j -> assertThat(j.get("exporter").asText()).isEqualTo(from));

            JsonNode first = lines.get(0);
            assertThat(first.get("version").asInt()).isEqualTo(10);
            assertThat(first.get("domain").asLong()).isEqualTo(42);
            assertThat(first.get("sequence").asLong()).isEqualTo(60);
            assertThat(first.get("src").asText()).isEqualTo("10.0.0.1");
            assertThat(first.get("start").asText()).isEqualTo("2026-11-22T10:13:50.123Z");
            assertThat(lines.get(1).get("bytes").asLong()).isEqualTo(9000);
            assertThat(lines.get(2).get("sequence").asLong()).isEqualTo(90);

            JsonNode v5 = lines.get(4);
            assertThat(v5.get("version").asInt()).isEqualTo(5);
            assertThat(v5.get("engine_type").asInt()).isEqualTo(1);
            assertThat(v5.get("engine_id").asInt()).isEqualTo(2);
            assertThat(v5.get("end").asText()).isEqualTo("2026-11-22T10:15:29.123Z");

            JsonNode nat6 = lines.get(7);
            assertThat(nat6.get("src").asText()).isEqualTo("fd00::1");
            assertThat(nat6.get("post_src").asText()).isEqualTo("2001:db8:ffff::5");
            assertThat(nat6.get("post_dport").asInt()).isEqualTo(53);

            String[] errLines = errBytes.toString(StandardCharsets.UTF_8).split("\n");
            assertThat(errLines).containsExactly(
                    "pflowd listen: malformed datagram from " + from + " (20 bytes): "
                            + "IPFIX set 256 at offset 18: set length 0 is shorter than its header",
                    "pflowd listen: sequence gap from " + from + " v10 domain 42: expected 62, got 90 (28 missing)");
            assertThat(listener.datagrams()).isEqualTo(5);
            assertThat(listener.malformed()).isEqualTo(1);
            assertThat(listener.records()).isEqualTo(8);
        }
    }

    @Test
    void stopEndsABlockedReceive() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            Listener listener = new Listener(server, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(new ByteArrayOutputStream()));
            CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.run(0, 0);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            listener.stop();
            assertThat(done.get(60, TimeUnit.SECONDS)).isFalse();
            assertThat(listener.awaitFinished(0)).isTrue();
        }
    }

    @Test
    void dataWithoutItsTemplateIsSaidOncePerTemplateAndCounted() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        String record = "00".repeat(54);
        // IPFIX data sets of template 256 (twice) and 300, domain 42: the collector started after the exporter.
        byte[] t256 = Hex.bytes("000A 004A 6B02C0C2 00000000 0000002A 0100 003A " + record);
        byte[] t300 = Hex.bytes("000A 004A 6B02C0C2 00000001 0000002A 012C 003A " + record);
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(lo, 0));
                DatagramSocket exporter = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            Listener listener = new Listener(server, new PrintStream(new ByteArrayOutputStream()), err);
            CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.run(0, 0);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            for (byte[] d : List.of(t256, t256, t300)) {
                exporter.send(new DatagramPacket(d, d.length, server.getLocalSocketAddress()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (listener.dataSetsWithoutTemplate() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            listener.stop();
            done.get(60, TimeUnit.SECONDS);
            String from = "127.0.0.1:" + exporter.getLocalPort();
            assertThat(errBytes.toString(StandardCharsets.UTF_8).split("\n")).containsExactly(
                    "pflowd listen: IPFIX data of template 256 in domain 42 from " + from + " skipped: its template"
                            + " has not arrived yet (exporters resend templates periodically; said once per template,"
                            + " counted in the summary)",
                    "pflowd listen: IPFIX data of template 300 in domain 42 from " + from + " skipped: its template"
                            + " has not arrived yet (exporters resend templates periodically; said once per template,"
                            + " counted in the summary)");
            assertThat(listener.dataSetsWithoutTemplate()).isEqualTo(3);
            assertThat(listener.summary()).isEqualTo("pflowd listen: 3 datagrams, 0 flow records, 0 malformed,"
                    + " 0 sequence breaks, 3 data sets without template, 0 templates evicted,"
                    + " 0 datagrams dropped by the kernel");
        }
    }
}
