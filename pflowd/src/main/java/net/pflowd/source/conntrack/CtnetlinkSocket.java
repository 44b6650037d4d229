package net.pflowd.source.conntrack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.pflowd.linux.Netlink;
import net.pflowd.linux.Nfnetlink;
import net.pflowd.linux.NfnetlinkConntrack;
import net.pflowd.linux.Socket;
import net.pflowd.netlink.NetlinkSocket;

/**
 * One NETLINK_NETFILTER socket of the conntrack source: a {@link NetlinkSocket} with what ctnetlink adds, the
 * dump request and a batch of received events. The socket belongs to the network namespace of the thread that
 * opens it. Not thread-safe; owned by the source's reader thread.
 */
final class CtnetlinkSocket implements AutoCloseable {
    /** Datagrams one {@link #receiveBatch} takes at most, and the room for each (events are well under 2 KiB). */
    static final int BATCH_SLOTS = 64;
    static final int BATCH_SLOT_BYTES = 8192;

    private final NetlinkSocket socket;
    private final ByteBuffer request = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    /** recvmmsg's vector and the datagrams it fills, made on first use (only the event socket needs them). */
    private Socket.MmsgVector batch;

    /** Opens and binds a socket; {@code groups} are nfnetlink multicast groups (NFNLGRP_*) to join. */
    CtnetlinkSocket(int... groups) throws IOException {
        socket = NetlinkSocket.open(Netlink.NETLINK_NETFILTER, "ctnetlink");
        try {
            for (int g : groups) {
                socket.joinGroup(g);
            }
            if (groups.length > 0) {
                // A DESTROY event that does not fit our receive buffer makes the kernel keep the entry and
                // deliver the event again later, instead of dropping it (conntrack's reliable event mode).
                socket.option(Socket.SOL_NETLINK, Netlink.NETLINK_BROADCAST_ERROR, 1, "NETLINK_BROADCAST_ERROR");
            }
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sets the receive buffer past net.core.rmem_max (SO_RCVBUFFORCE, needs CAP_NET_ADMIN); returns the size the kernel reports. */
    int receiveBuffer(int bytes) throws IOException {
        return socket.receiveBuffer(bytes);
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
        socket.send(request, "dump request");
    }

    /** Waits up to {@code millis} for data; true when readable (false on EINTR: the caller loops). */
    boolean poll(int millis) {
        return socket.poll(millis);
    }

    /** One datagram into {@code buf} (direct, from position 0): its length, or {@code -errno}. */
    int receive(ByteBuffer buf, boolean dontWait) {
        return socket.receive(buf, dontWait);
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
        return socket.receiveBatch(batch);
    }

    /** The datagrams of the last {@link #receiveBatch()}. */
    Socket.MmsgVector batch() {
        return batch;
    }

    static boolean isNoBuffers(int n) {
        return NetlinkSocket.isNoBuffers(n);
    }

    @Override
    public void close() {
        socket.close();
    }
}
