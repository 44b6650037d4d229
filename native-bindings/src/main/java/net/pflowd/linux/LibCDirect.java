package net.pflowd.linux;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.Buffer;

/**
 * The libc calls on per-event and per-packet paths, JNA direct-mapped: a static native method per prototype,
 * pointers passed as plain addresses ({@link #address}), no proxy, no reflection, no exception. A failed call
 * returns -1 and leaves errno in {@link Native#getLastError()}: an empty non-blocking socket (EAGAIN) is the
 * normal end of every batch, and building a {@code LastErrorException} with its stack trace there cost more
 * than the call itself. Everything else stays in {@link LibC}.
 */
public final class LibCDirect {
    static {
        Native.register(LibCDirect.class, "c");
    }

    private LibCDirect() {
    }

    /**
     * The native address of a direct buffer's first byte. The buffer must stay reachable for as long as the
     * address is in use: a caller that holds only the address past its last use of the buffer must end with
     * {@code Reference.reachabilityFence(buffer)}, or the JIT may drop the last reference, the GC free the memory,
     * and the kernel write into freed memory.
     */
    public static long address(Buffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    // <unistd.h> ssize_t read(int fd, void *buf, size_t count);
    public static native long read(int fd, long buf, long count);

    // <sys/socket.h> ssize_t recv(int sockfd, void *buf, size_t len, int flags);
    public static native long recv(int sockfd, long buf, long len, int flags);

    // <sys/socket.h> int recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags,
    //                             struct timespec *timeout);
    public static native int recvmmsg(int sockfd, long msgvec, int vlen, int flags, long timeout);

    // <sys/socket.h> ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
    //                               const struct sockaddr *dest_addr, socklen_t addrlen);
    public static native long sendto(int sockfd, long buf, long len, int flags, long destAddr, int addrlen);

    // <poll.h> int poll(struct pollfd *fds, nfds_t nfds, int timeout);
    public static native int poll(long fds, long nfds, int timeout);
}
