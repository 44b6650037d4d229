package net.pflowd.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.lang.ref.Reference;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import net.pflowd.linux.Errno;
import net.pflowd.linux.In;
import net.pflowd.linux.In6;
import net.pflowd.linux.LibC;
import net.pflowd.linux.LibCDirect;
import net.pflowd.linux.Socket;
import net.pflowd.linux.SocketType;

/**
 * A non-blocking UDP socket of one address family, made with the system calls themselves so that every failure
 * keeps its errno: the JDK's channels report only strerror text, which callers would have to match. It belongs to
 * the network namespace of the thread that opens it. Not thread-safe: the owner serializes its calls.
 */
public final class UdpSocket implements AutoCloseable {
    private static final LibC C = LibC.INSTANCE;
    /** The largest UDP payload. */
    private static final int MAX_PAYLOAD = 0xffff;

    private final int fd;
    private final boolean ipv6;
    private final String subject;
    /** Where a heap buffer's bytes are copied for send(2): the kernel reads native memory. */
    private final ByteBuffer staging = ByteBuffer.allocateDirect(MAX_PAYLOAD);
    private final long stagingAddress = LibCDirect.address(staging);
    private boolean closed;

    private UdpSocket(int fd, boolean ipv6, String subject) {
        this.fd = fd;
        this.ipv6 = ipv6;
        this.subject = subject;
    }

    /**
     * socket(AF_INET or AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0).
     *
     * @param subject names the socket in error messages (an interface, "export")
     */
    public static UdpSocket open(boolean ipv6, String subject) throws ErrnoException {
        try {
            int fd = C.socket(ipv6 ? Socket.AF_INET6 : Socket.AF_INET,
                    SocketType.SOCK_DGRAM | SocketType.SOCK_NONBLOCK | SocketType.SOCK_CLOEXEC, 0);
            return new UdpSocket(fd, ipv6, subject);
        } catch (LastErrorException e) {
            throw ErrnoException.of(subject, "socket", e);
        }
    }

    /** bind(2) to {@code local} (port 0: any), which must be of the socket's family. */
    public void bind(InetSocketAddress local) throws ErrnoException {
        Structure sa = sockaddr(local);
        try {
            C.bind(fd, sa, sa.size());
        } catch (LastErrorException e) {
            throw ErrnoException.of(subject, "bind", e);
        }
    }

    /** connect(2): fixes the destination of {@link #send} and lets the kernel choose the source. */
    public void connect(InetSocketAddress remote) throws ErrnoException {
        Structure sa = sockaddr(remote);
        try {
            C.connect(fd, sa, sa.size());
        } catch (LastErrorException e) {
            throw ErrnoException.of(subject, "connect", e);
        }
    }

    /** getsockname(2): the local address and port. */
    public InetSocketAddress localAddress() throws ErrnoException {
        try {
            if (ipv6) {
                In6.SockaddrIn6 sa = new In6.SockaddrIn6();
                C.getsockname(fd, sa, new IntByReference(sa.size()));
                sa.read();
                // A scope id of -1 leaves it unset: a global address prints without "%0".
                int scope = sa.sin6_scope_id != 0 ? sa.sin6_scope_id : -1;
                return new InetSocketAddress(Inet6Address.getByAddress(null, sa.sin6_addr, scope), sa.port());
            }
            In.SockaddrIn sa = new In.SockaddrIn();
            C.getsockname(fd, sa, new IntByReference(sa.size()));
            sa.read();
            int a = sa.address();
            byte[] b = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
            return new InetSocketAddress(InetAddress.getByAddress(b), sa.port());
        } catch (LastErrorException e) {
            throw ErrnoException.of(subject, "getsockname", e);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("getsockname returned an address of the wrong length", e);
        }
    }

    /**
     * send(2) of {@code payload}'s remaining bytes as one datagram to the connected peer, without blocking; the
     * buffer's position is unchanged.
     *
     * @return the bytes sent, or {@code -errno} (-EAGAIN: the send buffer is full; -ECONNREFUSED: an ICMP report
     *     about an earlier datagram, this one not sent)
     */
    public int send(ByteBuffer payload) {
        int len = payload.remaining();
        if (len > MAX_PAYLOAD) {
            return -Errno.EMSGSIZE;
        }
        long address;
        ByteBuffer held;
        if (payload.isDirect()) {
            held = payload;
            address = LibCDirect.address(payload) + payload.position();
        } else {
            staging.clear();
            staging.put(payload.duplicate());
            held = staging;
            address = stagingAddress;
        }
        long n = LibCDirect.sendto(fd, address, len, Socket.MSG_DONTWAIT, 0, 0);
        int errno = n < 0 ? Native.getLastError() : 0;
        // Only an address went to the call: keep its owner alive until the call has returned.
        Reference.reachabilityFence(held);
        return n < 0 ? -errno : (int) n;
    }

    /** Closes the descriptor; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            FileDescriptors.closeQuietly(fd);
        }
    }

    private Structure sockaddr(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ipv6) {
            if (!(ip instanceof Inet6Address i6)) {
                throw new IllegalArgumentException(a + " is not an IPv6 address");
            }
            return new In6.SockaddrIn6(i6.getAddress(), a.getPort(), i6.getScopeId());
        }
        if (!(ip instanceof Inet4Address)) {
            throw new IllegalArgumentException(a + " is not an IPv4 address");
        }
        byte[] b = ip.getAddress();
        int host = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        return new In.SockaddrIn(host, a.getPort());
    }
}
