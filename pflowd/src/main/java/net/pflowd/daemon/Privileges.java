package net.pflowd.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.pflowd.linux.Capability;

/**
 * What pflowd needs from the system before it touches anything: the TUN clone device,
 * CAP_NET_ADMIN (interfaces, sysctls, netlink subscriptions) and CAP_NET_RAW (the AF_PACKET socket that
 * transmits each exported datagram on pflowN). Checked up front so that a container started without them
 * says which flag is missing instead of failing on the first ioctl or socket.
 */
final class Privileges {
    private static final Path TUN = Path.of("/dev/net/tun");

    private Privileges() {
    }

    /** A one-line description of what is missing, or null when pflowd can run. */
    static String missing() {
        Path status = Path.of("/proc/self/status");
        if (!hasNetAdmin(status)) {
            return "missing capability CAP_NET_ADMIN (run as root, or in a container with --cap-add NET_ADMIN)";
        }
        if (!hasCapability(status, Capability.CAP_NET_RAW)) {
            return "missing capability CAP_NET_RAW (run as root, or in a container with --cap-add NET_RAW)";
        }
        if (!Files.exists(TUN)) {
            return "missing " + TUN + " (load the tun module, or run the container with --device /dev/net/tun)";
        }
        return null;
    }

    /** Reads the effective capability set ("CapEff:" in hex) of proc(5)'s status file. */
    static boolean hasNetAdmin(Path status) {
        return hasCapability(status, Capability.CAP_NET_ADMIN);
    }

    private static boolean hasCapability(Path status, int capability) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    return (caps & (1L << capability)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
