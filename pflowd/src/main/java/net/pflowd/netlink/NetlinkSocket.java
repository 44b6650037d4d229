package net.pflowd.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.pflowd.linux.AsmSocket;
import net.pflowd.linux.Errno;
import net.pflowd.linux.LibC;
import net.pflowd.linux.LibCDirect;
import net.pflowd.linux.Netlink;
import net.pflowd.linux.Poll;
import net.pflowd.linux.Socket;
import net.pflowd.linux.SocketType;
import net.pflowd.os.ErrnoException;
import net.pflowd.os.FileDescriptors;

/**
 * One bound netlink socket of any protocol (NETLINK_ROUTE, NETLINK_NETFILTER, ...): open, join multicast groups,
 * set options, send a request, poll, receive one datagram. Protocol-specific requests and parsing live with their
 * users. The socket belongs to the network namespace of the thread that opens it, and stays there whichever
 * thread uses it afterwards. Not thread-safe.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final LibC C = LibC.INSTANCE;

    private final int fd;
    private final String what;
    private final ByteBuffer pollFd = ByteBuffer.allocateDirect(Poll.POLLFD_SIZE).order(ByteOrder.nativeOrder());
    private final long pollFdAddress = LibCDirect.address(pollFd);

    private NetlinkSocket(int fd, String what) {
        this.fd = fd;
        this.what = what;
        pollFd.putInt(Poll.POLLFD_FD_OFFSET, fd);
        pollFd.putShort(Poll.POLLFD_EVENTS_OFFSET, Poll.POLLIN);
    }

    /**
     * Opens a netlink socket of {@code protocol} (Netlink.NETLINK_*) bound to a kernel-chosen port id.
     *
     * @param what names the socket in error messages ("rtnetlink", "ctnetlink")
     * @throws ErrnoException e.g. {@code "ctnetlink: socket(AF_NETLINK, 12): Protocol not supported"}
     */
    public static NetlinkSocket open(int protocol, String what) throws ErrnoException {
        int fd;
        try {
            fd = C.socket(Socket.AF_NETLINK, SocketType.SOCK_RAW | SocketType.SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw ErrnoException.of(what, "socket(AF_NETLINK, " + protocol + ")", e);
        }
        try {
            Netlink.SockaddrNl sa = new Netlink.SockaddrNl(0, 0);
            C.bind(fd, sa, sa.size());
        } catch (LastErrorException e) {
            FileDescriptors.closeQuietly(fd);
            throw ErrnoException.of(what, "bind", e);
        }
        return new NetlinkSocket(fd, what);
    }

    /** Joins multicast group {@code group} (a group number, e.g. RTNLGRP_*, NFNLGRP_*; not a bit mask). */
    public NetlinkSocket joinGroup(int group) throws ErrnoException {
        return option(Socket.SOL_NETLINK, Netlink.NETLINK_ADD_MEMBERSHIP, group, "NETLINK_ADD_MEMBERSHIP " + group);
    }

    /** setsockopt with an int value; {@code name} goes into the error message. */
    public NetlinkSocket option(int level, int option, int value, String name) throws ErrnoException {
        try {
            C.setsockopt(fd, level, option, new IntByReference(value), 4);
        } catch (LastErrorException e) {
            throw ErrnoException.of(what, name, e);
        }
        return this;
    }

    /**
     * Sets the receive buffer, past net.core.rmem_max when allowed (SO_RCVBUFFORCE needs CAP_NET_ADMIN, else
     * SO_RCVBUF within the limit); returns the size the kernel reports.
     */
    public int receiveBuffer(int bytes) throws ErrnoException {
        try {
            C.setsockopt(fd, Socket.SOL_SOCKET, AsmSocket.SO_RCVBUFFORCE, new IntByReference(bytes), 4);
        } catch (LastErrorException e) {
            option(Socket.SOL_SOCKET, AsmSocket.SO_RCVBUF, bytes, "SO_RCVBUF " + bytes);
        }
        IntByReference v = new IntByReference(), l = new IntByReference(4);
        try {
            C.getsockopt(fd, Socket.SOL_SOCKET, AsmSocket.SO_RCVBUF, v, l);
        } catch (LastErrorException e) {
            throw ErrnoException.of(what, "getsockopt(SO_RCVBUF)", e);
        }
        return v.getValue();
    }

    /** Sends the bytes between position and limit of {@code request} to the kernel. */
    public void send(ByteBuffer request, String name) throws ErrnoException {
        try {
            C.send(fd, request, request.remaining(), 0);
        } catch (LastErrorException e) {
            throw ErrnoException.of(what, name, e);
        }
    }

    /** Waits up to {@code millis} for data; true when readable (false on timeout or EINTR: the caller loops). */
    public boolean poll(int millis) {
        pollFd.putShort(Poll.POLLFD_REVENTS_OFFSET, (short) 0);
        int n = LibCDirect.poll(pollFdAddress, 1, millis);
        Reference.reachabilityFence(pollFd); // the kernel writes revents there: its memory must outlive the call
        return n > 0;
    }

    /**
     * Receives one datagram into {@code buf}, a direct buffer (from position 0).
     *
     * @return its length, or {@code -errno} (-ENOBUFS when the kernel dropped messages, -EAGAIN when
     *     non-blocking and empty)
     */
    public int receive(ByteBuffer buf, boolean dontWait) {
        long n = LibCDirect.recv(fd, LibCDirect.address(buf), buf.capacity(), dontWait ? Socket.MSG_DONTWAIT : 0);
        int result = n >= 0 ? (int) n : -Native.getLastError();
        Reference.reachabilityFence(buf);
        return result;
    }

    /**
     * Receives up to {@code vector.slots()} datagrams in one recvmmsg(2) without waiting.
     *
     * @return the number of datagrams, or {@code -errno} (-EAGAIN when empty, -ENOBUFS after an overrun)
     */
    public int receiveBatch(Socket.MmsgVector vector) {
        int n = LibCDirect.recvmmsg(fd, vector.address(), vector.slots(), Socket.MSG_DONTWAIT, 0);
        int result = n >= 0 ? n : -Native.getLastError();
        Reference.reachabilityFence(vector);
        return result;
    }

    public static boolean isNoBuffers(int n) {
        return n == -Errno.ENOBUFS;
    }

    public static boolean isEmpty(int n) {
        return n == -Errno.EAGAIN;
    }

    /** The error text of a negative result of {@link #receive}. */
    public static String describe(int n) {
        return ErrnoException.strerror(-n);
    }

    /** A negative result of {@link #receive} or {@link #receiveBatch} as the error of this socket's {@code call}. */
    public ErrnoException failure(String call, int n) {
        return new ErrnoException(what, call, -n);
    }

    @Override
    public void close() {
        FileDescriptors.closeQuietly(fd);
    }
}
