package net.pflowd.os;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.pflowd.linux.Errno;
import net.pflowd.linux.Fcntl;
import net.pflowd.linux.LibC;
import net.pflowd.linux.Sched;

/**
 * An open network namespace: a descriptor of {@code /proc/PID/ns/net}, {@code /run/netns/NAME} (ip-netns(8)) or
 * the calling thread's own. setns(2) moves only the calling thread, and a socket, a TUN device or a
 * {@code /proc/sys/net} file belongs to the namespace of the thread that made or opened it: hence
 * {@link #enter} for a thread that lives there, and {@link #call} for a piece of work done there by a thread that
 * comes back. Entering needs CAP_SYS_ADMIN.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final String THREAD_SELF = "/proc/thread-self/ns/net";

    private final int fd;
    private final String path;
    private final String id;
    private boolean closed;

    private NetworkNamespace(int fd, String path, String id) {
        this.fd = fd;
        this.path = path;
        this.id = id;
    }

    /**
     * Opens the namespace file at {@code path}.
     *
     * @throws ErrnoException e.g. {@code "/run/netns/x: open: No such file or directory"}
     */
    public static NetworkNamespace open(String path) throws ErrnoException {
        int fd;
        try {
            fd = LibC.INSTANCE.open(path, Fcntl.O_RDONLY | Fcntl.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw ErrnoException.of(path, "open", e);
        }
        try {
            return new NetworkNamespace(fd, path, idOf(fd, path));
        } catch (ErrnoException e) {
            FileDescriptors.closeQuietly(fd);
            throw e;
        }
    }

    /** The network namespace of process {@code pid}. */
    public static NetworkNamespace ofPid(long pid) throws ErrnoException {
        return open("/proc/" + pid + "/ns/net");
    }

    /** The calling thread's network namespace, kept open: to come back to, or to make sockets in later. */
    public static NetworkNamespace current() throws ErrnoException {
        return open(THREAD_SELF);
    }

    /** The calling thread's network namespace as {@code "net:[inode]"}, what {@link #id()} of it returns. */
    public static String currentId() throws ErrnoException {
        return link(THREAD_SELF, THREAD_SELF);
    }

    /** {@code "net:[inode]"}: equal for two descriptors of the same namespace. */
    public String id() {
        return id;
    }

    /** What it was opened from. */
    public String path() {
        return path;
    }

    /**
     * Moves the calling thread into this namespace for good (until it enters another).
     *
     * @throws ErrnoException e.g. {@code "/proc/42/ns/net: setns: Operation not permitted"} without CAP_SYS_ADMIN,
     *     {@code "...: setns: Invalid argument"} when the file is no network namespace
     */
    public void enter() throws ErrnoException {
        ensureOpen();
        try {
            LibC.INSTANCE.setns(fd, Sched.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw ErrnoException.of(path, "setns", e);
        }
    }

    /** Work done inside a namespace. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code work} on the calling thread inside this namespace and brings the thread back to the namespace it
     * was in, whatever {@code work} does. A thread already inside runs it directly, without setns.
     *
     * @throws ErrnoException when the namespace cannot be entered ({@code work} did not run)
     * @throws IllegalStateException when the thread cannot come back: it must not go on in the wrong namespace
     */
    public <T, E extends Exception> T call(Work<T, E> work) throws E, ErrnoException {
        ensureOpen();
        if (id.equals(currentId())) {
            return work.run();
        }
        try (NetworkNamespace home = current()) {
            enter();
            try {
                return work.run();
            } finally {
                try {
                    home.enter();
                } catch (ErrnoException e) {
                    throw new IllegalStateException("thread " + Thread.currentThread().getName() + " left in " + path
                            + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            FileDescriptors.closeQuietly(fd);
        }
    }

    private void ensureOpen() throws ErrnoException {
        if (closed) {
            throw new ErrnoException(path, "setns", Errno.EBADF);
        }
    }

    /**
     * "net:[inode]" of the namespace behind {@code fd}. Its /proc/thread-self/fd link names the file opened (a
     * bind mount's path for /run/netns/NAME), so the inode comes from stat(2) of the namespace itself.
     */
    private static String idOf(int fd, String subject) throws ErrnoException {
        try {
            return "net:[" + Files.getAttribute(Path.of("/proc/thread-self/fd/" + fd), "unix:ino") + "]";
        } catch (IOException | UnsupportedOperationException e) {
            // The JDK's exception carries no errno: 0, with its text
            throw new ErrnoException(subject + ": stat: " + e.getMessage(), subject, "stat", 0, e);
        }
    }

    /** The target of a /proc namespace link ("net:[4026531840]"). */
    private static String link(String link, String subject) throws ErrnoException {
        byte[] buf = new byte[64]; // "net:[" + a 64-bit inode + "]" fits
        try {
            int n = (int) LibC.INSTANCE.readlink(link, buf, buf.length);
            return new String(buf, 0, n, StandardCharsets.US_ASCII);
        } catch (LastErrorException e) {
            throw ErrnoException.of(subject, "readlink " + link, e);
        }
    }
}
