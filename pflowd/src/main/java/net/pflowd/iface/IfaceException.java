package net.pflowd.iface;

import java.io.IOException;
import net.pflowd.linux.LibC;

/**
 * A pflowN interface operation failed. The message is one line, {@code "<ifname>: <what>: <why>"}, e.g.
 * {@code "pflow0: cannot create: /dev/net/tun: No such file or directory"}; {@link #errno()} is 0 when the
 * failure did not come from the kernel (a bad name, a packet that is not IP).
 */
public final class IfaceException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String ifname;
    private final int errno;

    public IfaceException(String ifname, String message, int errno) {
        super(ifname + ": " + message);
        this.ifname = ifname;
        this.errno = errno;
    }

    /** A failure the kernel reported: the message ends with strerror(errno). */
    static IfaceException ofErrno(String ifname, String what, int errno) {
        return new IfaceException(ifname, what + ": " + strerror(errno), errno);
    }

    static String strerror(int errno) {
        try {
            String s = LibC.INSTANCE.strerror(errno);
            return s != null ? s : "errno " + errno;
        } catch (RuntimeException | LinkageError e) {
            return "errno " + errno;
        }
    }

    public String ifname() {
        return ifname;
    }

    public int errno() {
        return errno;
    }
}
