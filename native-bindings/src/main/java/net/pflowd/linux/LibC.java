package net.pflowd.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;

/**
 * The libc calls pflowd needs, one method per prototype. Every call that fails throws
 * {@link LastErrorException} carrying errno; callers wrap it into a typed error with their context.
 * No logic lives here: constants are in one class per header ({@code IfTun}, {@code Socket}, {@code SocketType},
 * ...), and each prototype names the header that declares it.
 */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    // <fcntl.h> int open(const char *pathname, int flags);
    int open(String pathname, int flags) throws LastErrorException;

    // <unistd.h> int close(int fd);
    int close(int fd) throws LastErrorException;

    // <unistd.h> ssize_t read(int fd, void *buf, size_t count);
    long read(int fd, ByteBuffer buf, long count) throws LastErrorException;

    // <unistd.h> ssize_t write(int fd, const void *buf, size_t count);
    long write(int fd, ByteBuffer buf, long count) throws LastErrorException;

    // <sys/ioctl.h> int ioctl(int fd, unsigned long request, ...);  (the struct-pointer form)
    int ioctl(int fd, long request, Structure arg) throws LastErrorException;

    // <sys/ioctl.h> int ioctl(int fd, unsigned long request, ...);  (the int-value form, e.g. TUNSETPERSIST)
    int ioctl(int fd, long request, long arg) throws LastErrorException;

    // <sys/socket.h> int socket(int domain, int type, int protocol);
    int socket(int domain, int type, int protocol) throws LastErrorException;

    // <sys/socket.h> int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
    int bind(int sockfd, Structure addr, int addrlen) throws LastErrorException;

    // <sys/socket.h> int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
    int connect(int sockfd, Structure addr, int addrlen) throws LastErrorException;

    // <sys/socket.h> ssize_t send(int sockfd, const void *buf, size_t len, int flags);
    long send(int sockfd, ByteBuffer buf, long len, int flags) throws LastErrorException;

    // <sys/socket.h> ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
    //                               const struct sockaddr *dest_addr, socklen_t addrlen);
    long sendto(int sockfd, ByteBuffer buf, long len, int flags, Structure destAddr, int addrlen)
            throws LastErrorException;

    // <sys/socket.h> ssize_t recv(int sockfd, void *buf, size_t len, int flags);
    long recv(int sockfd, ByteBuffer buf, long len, int flags) throws LastErrorException;

    // <sys/socket.h> ssize_t recv(int sockfd, void *buf, size_t len, int flags);  (into native memory)
    long recv(int sockfd, Pointer buf, long len, int flags) throws LastErrorException;

    // <sys/socket.h> int setsockopt(int sockfd, int level, int optname, const void *optval,
    //                               socklen_t optlen);
    int setsockopt(int sockfd, int level, int optname, IntByReference optval, int optlen)
            throws LastErrorException;

    // <sys/socket.h> int setsockopt(int sockfd, int level, int optname, const void *optval,
    //                               socklen_t optlen);  (struct form)
    int setsockopt(int sockfd, int level, int optname, Structure optval, int optlen)
            throws LastErrorException;

    // <sys/socket.h> int getsockopt(int sockfd, int level, int optname, void *optval,
    //                               socklen_t *optlen);
    int getsockopt(int sockfd, int level, int optname, IntByReference optval, IntByReference optlen)
            throws LastErrorException;

    // <sys/socket.h> int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
    int getsockname(int sockfd, Structure addr, IntByReference addrlen) throws LastErrorException;

    // <poll.h> int poll(struct pollfd *fds, nfds_t nfds, int timeout);
    int poll(Structure fds, long nfds, int timeout) throws LastErrorException;

    // <sys/eventfd.h> int eventfd(unsigned int initval, int flags);
    int eventfd(int initval, int flags) throws LastErrorException;

    // <net/if.h> unsigned int if_nametoindex(const char *ifname);   (0 and errno when there is no such
    //                                                              interface)
    int if_nametoindex(String ifname);

    // <string.h> char *strerror(int errnum);
    String strerror(int errnum);

    // <sched.h> int setns(int fd, int nstype);   (nstype: Sched.CLONE_NEW*; per thread: a thread that enters a
    //                                            network namespace stays there)
    int setns(int fd, int nstype) throws LastErrorException;

    // <sched.h> int unshare(int flags);
    int unshare(int flags) throws LastErrorException;

    // <unistd.h> int access(const char *pathname, int mode);   (mode: Unistd.R_OK, W_OK, F_OK)
    int access(String pathname, int mode) throws LastErrorException;

    // <unistd.h> ssize_t readlink(const char *pathname, char *buf, size_t bufsiz);   (no terminating NUL)
    long readlink(String pathname, byte[] buf, long bufsiz) throws LastErrorException;

    // <unistd.h> uid_t geteuid(void);
    int geteuid();
}
