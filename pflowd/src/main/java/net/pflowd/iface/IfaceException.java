package net.pflowd.iface;

import com.sun.jna.LastErrorException;
import net.pflowd.os.ErrnoException;

/**
 * A pflowN interface operation failed. The message is one line, {@code "<ifname>: <what>: <why>"}, e.g.
 * {@code "pflow0: cannot create: /dev/net/tun: No such file or directory"}; {@link #errno()} is 0 when the
 * failure did not come from the kernel (a bad name, a packet that is not IP). An {@link ErrnoException} whose
 * subject is the interface, so that the errno travels with it to whoever decides.
 */
public final class IfaceException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public IfaceException(String ifname, String message, int errno) {
        this(ifname, message, errno, null);
    }

    private IfaceException(String ifname, String message, int errno, Throwable cause) {
        super(ifname + ": " + message, ifname, message, errno, cause);
    }

    /** A failure the kernel reported: the message ends with strerror(errno). */
    static IfaceException ofErrno(String ifname, String what, int errno) {
        return new IfaceException(ifname, what + ": " + strerror(errno), errno);
    }

    /** A failed call of the bindings, its errno and the exception kept. */
    static IfaceException ofErrno(String ifname, String what, LastErrorException e) {
        return new IfaceException(ifname, what + ": " + strerror(e.getErrorCode()), e.getErrorCode(), e);
    }

    /** A failure of the OS layer on this interface's behalf: its errno and text kept, the interface in front. */
    static IfaceException of(String ifname, String what, ErrnoException e) {
        return new IfaceException(ifname, what + ": " + e.getMessage(), e.errno(), e);
    }

    public String ifname() {
        return subject();
    }
}
