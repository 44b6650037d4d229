package net.pflowd.listen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's count of datagrams dropped for UDP sockets bound to one local port (the {@code drops} column of
 * /proc/net/udp and /proc/net/udp6): what a full receive buffer lost.
 */
final class UdpDrops {
    private UdpDrops() {
    }

    /** The sum over the sockets bound to {@code port}, or -1 when the tables cannot be read. */
    static long forLocalPort(int port) {
        long sum = -1;
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            sum = Math.max(sum, 0);
            sum += dropsIn(lines, port);
        }
        return sum;
    }

    /** Drops of the sockets with local port {@code port} in one table's lines (header first). */
    static long dropsIn(List<String> lines, int port) {
        long sum = 0;
        String portHex = String.format(":%04X", port);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 13 || !f[1].endsWith(portHex)) {
                continue;
            }
            try {
                sum += Long.parseLong(f[f.length - 1]);
            } catch (NumberFormatException e) {
                // not the layout we know: count nothing
            }
        }
        return sum;
    }
}
