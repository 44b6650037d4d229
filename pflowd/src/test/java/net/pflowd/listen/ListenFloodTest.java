package net.pflowd.listen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.pflowd.decode.GoldenVectors;
import net.pflowd.testutil.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pflowd listen} in its own JVM with a small heap, flooded with the largest templates the decoder accepts
 * from many observation domains: far more than the heap holds. It must live on, decode what comes after and
 * print its summary with the evictions counted (before the byte bound, it died of OutOfMemoryError).
 */
class ListenFloodTest {
    private static final int FIELDS = 512;
    private static final int TEMPLATES_PER_DOMAIN = 512;
    private static final int DOMAINS = 80;

    /** One IPFIX message of template records {@code first}.. for {@code domain}, each of {@value #FIELDS} fields. */
    private static byte[] templates(long domain, int first, int count) {
        int recordLength = 4 + 4 * FIELDS;
        int length = 16 + 4 + count * recordLength;
        ByteBuffer b = ByteBuffer.allocate(length);
        b.putShort((short) 10).putShort((short) length).putInt(0x6B02C0C2).putInt(0).putInt((int) domain);
        b.putShort((short) 2).putShort((short) (length - 16));
        for (int t = 0; t < count; t++) {
            b.putShort((short) (first + t)).putShort((short) FIELDS);
            for (int f = 0; f < FIELDS; f++) {
                b.putShort((short) (1 + f % 200)).putShort((short) 4);
            }
        }
        return b.array();
    }

    @Test
    void aTemplateFloodCannotKillTheListener(@TempDir Path dir) throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process listen = new ProcessBuilder("java", "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "net.pflowd.Main", "listen", "127.0.0.1:" + port)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            waitFor(() -> Files.readString(err).contains("listening on"), listen, err);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            try (DatagramSocket exporter = new DatagramSocket()) {
                for (int d = 0; d < DOMAINS; d++) {
                    for (int first = 256; first < 256 + TEMPLATES_PER_DOMAIN; first += 29) {
                        byte[] m = templates(d, first, Math.min(29, 256 + TEMPLATES_PER_DOMAIN - first));
                        exporter.send(new DatagramPacket(m, m.length, to));
                        Thread.sleep(1); // the listener's receive buffer may be small (rmem_max): pace the flood
                    }
                    assertThat(listen.isAlive()).as("listener alive after domain " + d + ": " + Files.readString(err))
                            .isTrue();
                }
                byte[] golden = Hex.bytes(GoldenVectors.IPFIX);
                exporter.send(new DatagramPacket(golden, golden.length, to));
            }
            waitFor(() -> Files.readAllLines(out).size() >= 2, listen, err);
        } finally {
            listen.destroy(); // SIGTERM: the summary line
            if (!listen.waitFor(30, TimeUnit.SECONDS)) {
                listen.destroyForcibly();
            }
        }
        String stderr = Files.readString(err);
        assertThat(stderr).doesNotContain("OutOfMemoryError");
        List<String> lines = Files.readAllLines(err);
        String summary = lines.get(lines.size() - 1);
        assertThat(summary).startsWith("pflowd listen: ").contains(" 2 flow records, 0 malformed");
        long evicted = Long.parseLong(summary.replaceAll(".* (\\d+) templates evicted.*", "$1"));
        assertThat(evicted).isPositive();
    }

    interface Check {
        boolean ok() throws IOException;
    }

    private static void waitFor(Check c, Process p, Path err) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.ok()) {
            if (!p.isAlive()) {
                throw new AssertionError("listener exited: " + Files.readString(err));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; stderr: " + Files.readString(err));
            }
            Thread.sleep(50);
        }
    }
}
