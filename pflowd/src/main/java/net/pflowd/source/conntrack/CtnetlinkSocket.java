package net.pflowd.source.conntrack;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.pflowd.linux.Errno;
import net.pflowd.linux.LibC;
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

    private final int fd;
    private final Poll.PollFd pollFd;
    private final ByteBuffer request = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());

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
        pollFd = new Poll.PollFd(fd, Poll.POLLIN);
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

    /** Waits up to {@code millis} for data; true when readable. */
    boolean poll(int millis) {
        pollFd.revents = 0;
        try {
            return C.poll(pollFd, 1, millis) > 0;
        } catch (LastErrorException e) {
            return false; // EINTR: the caller loops
        }
    }

    /**
     * Receives one datagram into {@code buf} (from position 0).
     *
     * @return its length, or {@code -errno} (-ENOBUFS when the kernel dropped messages, -EAGAIN when
     *     non-blocking and empty)
     */
    int receive(ByteBuffer buf, boolean dontWait) {
        try {
            return (int) C.recv(fd, buf, buf.capacity(), dontWait ? Socket.MSG_DONTWAIT : 0);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
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
