package net.pflowd.source.conntrack;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.pflowd.linux.Errno;
import net.pflowd.linux.LibC;
import net.pflowd.linux.LibCDirect;
import net.pflowd.linux.Netlink;
import net.pflowd.linux.Nfnetlink;
import net.pflowd.linux.NfnetlinkConntrack;
import net.pflowd.linux.Poll;
import net.pflowd.linux.Socket;

/**
 * One NETLINK_NETFILTER socket: the only place the conntrack source does I/O. The socket belongs to the
 * network namespace of the thread that opens it. Not thread-safe; owned by the source's reader thread.
 */
final class CtnetlinkSocket implements AutoCloseable {
    private static final LibC C = LibC.INSTANCE;

    /** Datagrams one {@link #receiveBatch} takes at most, and the room for each (events are well under 2 KiB). */
    static final int BATCH_SLOTS = 64;
    static final int BATCH_SLOT_BYTES = 8192;

    private final int fd;
    private final ByteBuffer pollFd = ByteBuffer.allocateDirect(Poll.POLLFD_SIZE).order(ByteOrder.nativeOrder());
    private final long pollFdAddress = LibCDirect.address(pollFd);
    private final ByteBuffer request = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    /** recvmmsg's vector and the datagrams it fills, made on first use (only the event socket needs them). */
    private Socket.MmsgVector batch;

    /** Opens and binds a socket; {@code groups} are nfnetlink multicast groups (NFNLGRP_*) to join. */
    CtnetlinkSocket(int... groups) throws IOException {
        try {
            fd = C.socket(Socket.AF_NETLINK, Socket.SOCK_RAW | Socket.SOCK_CLOEXEC, Netlink.NETLINK_NETFILTER);
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_NETLINK, NETLINK_NETFILTER): " + C.strerror(e.getErrorCode()), e);
        }
        try {
            Netlink.SockaddrNl sa = new Netlink.SockaddrNl(0, 0);
            C.bind(fd, sa, sa.size());
            for (int g : groups) {
                C.setsockopt(fd, Socket.SOL_NETLINK, Netlink.NETLINK_ADD_MEMBERSHIP, new IntByReference(g), 4);
            }
            if (groups.length > 0) {
                // A DESTROY event that does not fit our receive buffer makes the kernel keep the entry and
                // deliver the event again later, instead of dropping it (conntrack's reliable event mode).
                C.setsockopt(fd, Socket.SOL_NETLINK, Netlink.NETLINK_BROADCAST_ERROR, new IntByReference(1), 4);
            }
        } catch (LastErrorException e) {
            C.close(fd);
            throw new IOException("ctnetlink socket setup: " + C.strerror(e.getErrorCode()), e);
        }
        pollFd.putInt(Poll.POLLFD_FD_OFFSET, fd);
        pollFd.putShort(Poll.POLLFD_EVENTS_OFFSET, Poll.POLLIN);
    }

    /** Sets the receive buffer past net.core.rmem_max (SO_RCVBUFFORCE, needs CAP_NET_ADMIN); returns the size the kernel reports. */
    int receiveBuffer(int bytes) throws IOException {
        try {
            C.setsockopt(fd, Socket.SOL_SOCKET, Socket.SO_RCVBUFFORCE, new IntByReference(bytes), 4);
        } catch (LastErrorException e) {
            try {
                C.setsockopt(fd, Socket.SOL_SOCKET, Socket.SO_RCVBUF, new IntByReference(bytes), 4);
            } catch (LastErrorException e2) {
                throw new IOException("SO_RCVBUF " + bytes + ": " + C.strerror(e2.getErrorCode()), e2);
            }
        }
        IntByReference v = new IntByReference(), l = new IntByReference(4);
        C.getsockopt(fd, Socket.SOL_SOCKET, Socket.SO_RCVBUF, v, l);
        return v.getValue();
    }

    /** Asks for the whole table: IPCTNL_MSG_CT_GET with NLM_F_DUMP, both address families. */
    void requestDump(int seq) throws IOException {
        request.clear();
        request.putInt(Netlink.NLMSGHDR_SIZE + Nfnetlink.NFGENMSG_SIZE);
        request.putShort((short) (Nfnetlink.NFNL_SUBSYS_CTNETLINK << 8 | NfnetlinkConntrack.IPCTNL_MSG_CT_GET));
        request.putShort((short) (Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP));
        request.putInt(seq);
        request.putInt(0);
        request.put((byte) 0); // AF_UNSPEC: IPv4 and IPv6
        request.put((byte) Nfnetlink.NFNETLINK_V0);
        request.putShort((short) 0);
        request.flip();
        try {
            C.send(fd, request, request.remaining(), 0);
        } catch (LastErrorException e) {
            throw new IOException("ctnetlink dump request: " + C.strerror(e.getErrorCode()), e);
        }
    }

    /** Waits up to {@code millis} for data; true when readable (false on EINTR: the caller loops). */
    boolean poll(int millis) {
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
    int receive(ByteBuffer buf, boolean dontWait) {
        long n = LibCDirect.recv(fd, LibCDirect.address(buf), buf.capacity(), dontWait ? Socket.MSG_DONTWAIT : 0);
        int result = n >= 0 ? (int) n : -Native.getLastError();
        Reference.reachabilityFence(buf);
        return result;
    }

    /**
     * Receives what is queued, up to {@link #BATCH_SLOTS} datagrams in one recvmmsg(2), without waiting; they are
     * then in {@link #batch()}. One system call and one native call for a whole batch of events, instead of one
     * each per event.
     *
     * @return the number of datagrams, or {@code -errno} (-EAGAIN when empty, -ENOBUFS after an overrun)
     */
    int receiveBatch() {
        if (batch == null) {
            batch = new Socket.MmsgVector(BATCH_SLOTS, BATCH_SLOT_BYTES);
        }
        int n = LibCDirect.recvmmsg(fd, batch.address(), batch.slots(), Socket.MSG_DONTWAIT, 0);
        int result = n >= 0 ? n : -Native.getLastError();
        Reference.reachabilityFence(batch);
        return result;
    }

    /** The datagrams of the last {@link #receiveBatch()}. */
    Socket.MmsgVector batch() {
        return batch;
    }

    static boolean isNoBuffers(int n) {
        return n == -Errno.ENOBUFS;
    }

    @Override
    public void close() {
        try {
            C.close(fd);
        } catch (LastErrorException ignored) {
            // EBADF on a double close is harmless
        }
    }
}
