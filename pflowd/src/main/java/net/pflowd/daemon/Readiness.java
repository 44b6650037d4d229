package net.pflowd.daemon;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import net.pflowd.config.InterfaceConfig;
import net.pflowd.linux.LibC;

/**
 * Whether an interface can come up now, checked without creating anything: its name is free in this network
 * namespace and its flowsrc is an address of this host. A retry that would fail stops here, so that waiting
 * interfaces cost no link changes (which would wake the {@link LinkWatcher} again).
 */
final class Readiness {
    private Readiness() {
    }

    /** Why {@code c} cannot come up now, or null when nothing visible stands in the way. */
    static String blocker(InterfaceConfig c) {
        if (LibC.INSTANCE.if_nametoindex(c.name()) != 0) {
            return c.name() + ": an interface of that name exists (not this pflowd's); waiting for it to go";
        }
        if (c.flowsrc() != null) {
            InetSocketAddress src = c.flowsrc().toSocketAddress();
            try (DatagramChannel ch = DatagramChannel.open(
                    c.flowsrc().isIPv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
                ch.bind(src);
            } catch (BindException e) {
                // EADDRNOTAVAIL, EADDRINUSE and EACCES all come as BindException: whether the address is the
                // host's is asked of the interfaces themselves.
                return "flowsrc " + c.flowsrc() + ": " + (isAddressOfThisHost(src.getAddress())
                        ? e.getMessage() : "not an address of this host (yet)");
            } catch (IOException e) {
                return "flowsrc " + c.flowsrc() + ": " + e.getMessage();
            }
        }
        return null;
    }

    /** Whether an interface of this network namespace has {@code address}. */
    private static boolean isAddressOfThisHost(InetAddress address) {
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
