package net.pflowd.os;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import net.pflowd.linux.LibC;

/**
 * A system call failed with an errno. The message is one line, {@code "<subject>: <call>: <strerror>"}, e.g.
 * {@code "pflow0: ioctl(TUNSETIFF): Device or resource busy"} or {@code "/proc/42/ns/net: setns: Operation not
 * permitted"}. Callers decide on {@link #errno()}, never on the message text.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String subject;
    private final String call;
    private final int errno;

    public ErrnoException(String subject, String call, int errno) {
        this(subject, call, errno, null);
    }

    public ErrnoException(String subject, String call, int errno, Throwable cause) {
        this(subject + ": " + call + ": " + strerror(errno), subject, call, errno, cause);
    }

    /**
     * For subclasses whose one-line message says more than strerror (or whose failure had no errno: then
     * {@code errno} is 0); the message still starts with {@code subject}.
     */
    protected ErrnoException(String message, String subject, String call, int errno, Throwable cause) {
        super(message, cause);
        this.subject = subject;
        this.call = call;
        this.errno = errno;
    }

    /** The failure JNA reported for a function declared {@code throws LastErrorException}. */
    public static ErrnoException of(String subject, String call, LastErrorException e) {
        return new ErrnoException(subject, call, e.getErrorCode(), e);
    }

    /** What failed: an interface, a path, a socket's role ("ctnetlink"). */
    public String subject() {
        return subject;
    }

    /** The system call, with the request where it says more ("ioctl(TUNSETIFF)", "bind"). */
    public String call() {
        return call;
    }

    /** The kernel's errno (positive, {@code net.pflowd.linux.Errno}); 0 for a subclass's failure without one. */
    public int errno() {
        return errno;
    }

    /** strerror(3) of {@code errno}, or "errno N" when libc cannot be reached. */
    public static String strerror(int errno) {
        try {
            String s = LibC.INSTANCE.strerror(errno);
            return s != null ? s : "errno " + errno;
        } catch (RuntimeException | LinkageError e) {
            return "errno " + errno;
        }
    }
}
