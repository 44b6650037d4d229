package net.pflowd.listen;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pflowd listen [ADDR:]PORT}: a minimal collector that prints every NetFlow v5/v9/IPFIX flow
 * record it receives as one JSON line, for checking an exporter by eye or from a script.
 */
@Command(name = "listen",
        description = {"Receive NetFlow v5, v9 and IPFIX on UDP and print one JSON object per flow record.",
            "Sequence gaps and malformed datagrams are reported on stderr."})
public final class ListenCommand implements Callable<Integer> {
    private static final Pattern V4 = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):(\\d{1,5})");
    private static final Pattern V6 = Pattern.compile("\\[([0-9A-Fa-f:.]+)\\]:(\\d{1,5})");
    private static final Pattern PORT = Pattern.compile("(\\d{1,5})");

    static final int RECEIVE_BUFFER = 32 << 20;
    static final int MIN_BURST_BUFFER = 4 << 20;

    @Parameters(index = "0", paramLabel = "[ADDR:]PORT",
            description = "Where to listen: PORT (all addresses, IPv4 and IPv6), IPV4:PORT or [IPV6]:PORT.")
    String bind;

    @Option(names = "--count", paramLabel = "N", description = "Exit after N flow records.")
    long count;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Exit after SECONDS; with --count, exit status 1 if fewer records arrived.")
    double timeout;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    private PrintStream err = System.err;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ListenCommand()).execute(args));
    }

    /** Parses {@code [ADDR:]PORT}: literal addresses only, never a name lookup. */
    public static InetSocketAddress parseBind(String s) {
        Matcher m;
        try {
            if ((m = PORT.matcher(s)).matches()) {
                return new InetSocketAddress(port(m.group(1)));
            }
            if ((m = V4.matcher(s)).matches() || (m = V6.matcher(s)).matches()) {
                // Only digits, dots, colons and hex reach getByName here: a literal, no DNS.
                InetAddress a = InetAddress.getByName(m.group(1));
                return new InetSocketAddress(a, port(m.group(2)));
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address in '" + s + "': " + e.getMessage());
        }
        throw new IllegalArgumentException("'" + s + "' is not PORT, IPV4:PORT or [IPV6]:PORT");
    }

    private static int port(String s) {
        int p = Integer.parseInt(s);
        if (p > 65535) {
            throw new IllegalArgumentException("port " + p + " is out of range");
        }
        return p;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        InetSocketAddress where;
        try {
            where = parseBind(bind);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "pflowd listen: " + e.getMessage());
        }
        if (count < 0 || timeout < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "pflowd listen: --count and --timeout must not be negative");
        }
        DatagramSocket socket;
        try {
            socket = new DatagramSocket(where);
        } catch (SocketException e) {
            err.println("pflowd listen: cannot bind " + FlowJson.exporter(where) + ": " + e.getMessage());
            return 1;
        }
        // A collector should not drop bursts from a busy exporter: ask for 32 MiB (the kernel caps it at
        // net.core.rmem_max, doubled) and say what was granted when it is less than a burst needs.
        socket.setReceiveBufferSize(RECEIVE_BUFFER);
        int granted = socket.getReceiveBufferSize();
        if (granted < MIN_BURST_BUFFER) {
            err.println("pflowd listen: receive buffer " + granted + " bytes (asked " + RECEIVE_BUFFER
                    + "; net.core.rmem_max limits it): bursts may be dropped, and will be reported");
        }
        int port = socket.getLocalPort();
        Listener listener = new Listener(socket, out, err, () -> UdpDrops.forLocalPort(port));
        Thread hook = new Thread(() -> {
            listener.stop();
            try {
                listener.awaitFinished(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.println(listener.summary());
        }, "pflowd-listen-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("pflowd listen: listening on " + FlowJson.exporter((InetSocketAddress) socket.getLocalSocketAddress()));
        boolean reached;
        try {
            reached = listener.run(count, (long) Math.ceil(timeout * 1000));
        } finally {
            socket.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            err.println(listener.summary());
        } catch (IllegalStateException e) {
            return 130; // shutting down on a signal: the hook prints the summary
        }
        return count > 0 && !reached ? 1 : 0;
    }
}
