package net.pflowd.collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real nfcapd (Debian's nfdump package) on loopback, for interop tests: start it, send to
 * {@link #address()}, {@link #stop()} it (nfcapd writes its file on SIGTERM), then read what it stored
 * with nfdump. nfdump prints local times without a zone, so both run with TZ=UTC.
 */
public final class Nfcapd implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final InetSocketAddress address;
    private final Process process;
    private final Path log;
    private final List<String> prefix;
    private boolean stopped;

    private Nfcapd(Path dir, InetSocketAddress address, Process process, Path log, List<String> prefix) {
        this.dir = dir;
        this.address = address;
        this.process = process;
        this.log = log;
        this.prefix = List.copyOf(prefix);
    }

    /** Starts nfcapd on {@code bind} (IPv4 or IPv6 loopback, or an address in a test namespace) and a free port. */
    public static Nfcapd start(InetAddress bind) throws IOException, InterruptedException {
        return start(bind, freeUdpPort(bind), List.of());
    }

    /** Starts nfcapd with a command prefix, e.g. {@code ip netns exec NS}, to run it inside a namespace. */
    public static Nfcapd start(InetAddress bind, int port, List<String> prefix) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("pflowd-nfcapd");
        Path data = Files.createDirectory(dir.resolve("data"));
        Path log = dir.resolve("nfcapd.log");
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("nfcapd", "-w", data.toString(), "-b", bind.getHostAddress(), "-p", Integer.toString(port),
                "-t", "3600", "-B", "8388608"));
        if (bind.getAddress().length == 16) {
            cmd.add("-6");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TZ", "UTC");
        Process p = pb.start();
        Nfcapd n = new Nfcapd(data, new InetSocketAddress(bind, port), p, log, prefix);
        // nfcapd logs "Startup nfcapd." once its socket is bound.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(log).contains("Startup")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                n.close();
                throw new IOException("nfcapd did not start: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return n;
    }

    public InetSocketAddress address() {
        return address;
    }

    /**
     * Stops nfcapd so that it writes out everything it received: first waits (up to 5 s) until nfcapd has
     * read every datagram queued on its socket, since on SIGTERM it leaves its receive loop at once.
     */
    public void stop() throws IOException, InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (process.isAlive() && receiveQueueBytes() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        process.destroy(); // SIGTERM: nfcapd flushes and closes its file
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("nfcapd did not stop on SIGTERM: " + log());
        }
    }

    /** Bytes waiting in the receive queue of nfcapd's UDP socket (ss's Recv-Q); 0 when none or not found. */
    private long receiveQueueBytes() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("ss", "-H", "-n", "-u", "-l", "sport = :" + address.getPort()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        long queued = 0;
        for (String line : out.split("\n")) {
            String[] cols = line.trim().split("\\s+"); // State Recv-Q Send-Q Local Peer
            if (cols.length >= 2 && cols[1].matches("\\d+")) {
                queued += Long.parseLong(cols[1]);
            }
        }
        return queued;
    }

    /** nfcapd's own log; it ends with a line counting flows, packets, bytes and sequence errors. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Every stored flow as nfdump's JSON objects, in file order. Call after {@link #stop()}. */
    public List<JsonNode> flows() throws IOException, InterruptedException {
        String out = nfdump("-R", dir.toString(), "-q", "-o", "json");
        List<JsonNode> flows = new ArrayList<>();
        String text = out.strip();
        if (text.isEmpty()) {
            return flows;
        }
        // nfdump 1.7.1 with -q prints the objects separated by commas but without the enclosing brackets.
        JsonNode all = JSON.readTree(text.startsWith("[") ? text : "[" + text + "]");
        for (JsonNode n : all) {
            flows.add(n);
        }
        return flows;
    }

    /** The "Sequence failures" count of nfdump's statistics over all files. */
    public long sequenceFailures() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^Sequence failures: (\\d+)").matcher(nfdump("-R", dir.toString(), "-I"));
        if (!m.find()) {
            throw new IOException("nfdump -I printed no sequence failures line");
        }
        return Long.parseLong(m.group(1));
    }

    /** nfdump's output over everything stored, with {@code args} (e.g. {@code -q -o fmt:%pr}); after {@link #stop()}. */
    public String query(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-R", dir.toString()));
        all.addAll(List.of(args));
        return nfdump(all.toArray(new String[0]));
    }

    private static String nfdump(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("nfdump");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TZ", "UTC");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("nfdump " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    static int freeUdpPort(InetAddress bind) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(bind, 0))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } finally {
            try (var files = Files.walk(dir.getParent())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
