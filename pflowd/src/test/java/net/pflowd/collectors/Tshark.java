package net.pflowd.collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.pflowd.testutil.Pcap;
import net.pflowd.testutil.Tcpdump;

/**
 * tshark as a second, independent decoder: capture UDP to one port on an interface, then decode the
 * capture with the cflow dissector ({@code -d udp.port==N,cflow}), reading the decoded fields back as text.
 */
public final class Tshark implements AutoCloseable {
    private final Tcpdump capture;
    private final Path pcap;
    private final int port;

    private Tshark(Tcpdump capture, Path pcap, int port) {
        this.capture = capture;
        this.pcap = pcap;
        this.port = port;
    }

    /**
     * Starts capturing UDP port {@code port} on {@code iface}, in the namespace {@code prefix} runs commands in;
     * returns once tcpdump is capturing.
     */
    public static Tshark capture(String iface, int port, List<String> prefix) throws IOException, InterruptedException {
        Path pcap = Files.createTempFile("pflowd-capture", ".pcap");
        try {
            return new Tshark(Tcpdump.start(prefix, iface, pcap, 0, "-s", "0", "udp port " + port), pcap, port);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(pcap);
            throw e;
        }
    }

    /**
     * Stops the capture and decodes it with the cflow dissector: one map per captured packet, from each
     * requested field name (e.g. {@code cflow.sequence}, {@code cflow.srcaddr}) to all its occurrences in
     * that packet, in order (a field that occurs once per record lists every record's value).
     */
    public List<Map<String, List<String>>> stopAndDecode(List<String> fields) throws IOException, InterruptedException {
        stop();
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-d", "udp.port==" + port + ",cflow",
                "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=;", "-E", "separator=\t"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TZ", "UTC"); // absolute times (cflow.abstimestart) print in local time
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tshark failed on " + pcap);
        }
        List<Map<String, List<String>>> packets = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            Map<String, List<String>> packet = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                String col = i < cols.length ? cols[i] : "";
                packet.put(fields.get(i), col.isEmpty() ? List.of() : List.of(col.split(";", -1)));
            }
            packets.add(packet);
        }
        return packets;
    }

    /**
     * Waits until the capture file holds at least {@code n} packets (tcpdump -U writes each packet as it
     * comes), so that stopping tcpdump loses none still in its buffer.
     */
    public void awaitPackets(int n, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int have;
        while ((have = capturedPackets()) < n) {
            if (System.nanoTime() > deadline) {
                throw new IOException("tcpdump captured " + have + " of " + n + " packets on port " + port);
            }
            Thread.sleep(20);
        }
    }

    /** Complete packet records in the capture file so far. */
    private int capturedPackets() throws IOException {
        try {
            return Pcap.read(pcap).size();
        } catch (IOException recordBeingWritten) {
            return 0;
        }
    }

    /**
     * Decodes every packet of {@code pcap} with the cflow dissector on UDP port {@code port}: tshark's JSON
     * ({@code -T json --no-duplicate-keys}, so that repeated names such as the records of one set become arrays),
     * one element per packet.
     */
    public static JsonNode decodeJson(Path pcap, int port) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-d", "udp.port==" + port + ",cflow",
                "-T", "json", "--no-duplicate-keys").redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TZ", "UTC");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tshark failed on " + pcap);
        }
        return new ObjectMapper().readTree(out);
    }

    public Path pcap() {
        return pcap;
    }

    private void stop() throws IOException, InterruptedException {
        capture.stop();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        capture.close();
        Files.deleteIfExists(pcap);
    }
}
