package net.pflowd.iface;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import net.pflowd.linux.Errno;
import net.pflowd.linux.IfEther;
import net.pflowd.linux.IfPacket;
import net.pflowd.linux.LibC;
import net.pflowd.linux.LibCDirect;
import net.pflowd.linux.Socket;
import net.pflowd.linux.SocketType;
import net.pflowd.os.FileDescriptors;

/**
 * Transmits complete IPv4/IPv6 packets outbound on a pflowN {@link TunDevice}, so that {@code tcpdump -i pflowN}
 * (and {@code -Q out}) sees each one and pflowN's TX counters count it.
 *
 * <p>The socket is AF_PACKET/SOCK_DGRAM with protocol 0, bound to pflowN: it sends, and because its protocol is 0
 * it never receives. A send goes dev_queue_xmit -> qdisc -> the taps (tcpdump) -> the TUN queue, which the
 * device's drainer empties. It never goes through the IP stack: no routing, no netfilter, no local delivery,
 * no forwarding. PACKET_QDISC_BYPASS is deliberately not set: it would skip the taps and tcpdump would see nothing.
 *
 * <p>Sends never block (MSG_DONTWAIT). Errors are typed: EMSGSIZE (larger than the MTU), ENETDOWN (pflowN down),
 * ENOBUFS/EAGAIN (queue full). Losing a mirror copy never concerns the export itself.
 */
public final class PacketMirror implements AutoCloseable {
    private final TunDevice dev;
    private final int fd;
    private final IfPacket.SockaddrLl toIpv4;
    private final IfPacket.SockaddrLl toIpv6;
    private final AtomicLong sent = new AtomicLong();
    private ByteBuffer scratch = ByteBuffer.allocateDirect(2048);
    private boolean closed;

    private PacketMirror(TunDevice dev, int fd) {
        this.dev = dev;
        this.fd = fd;
        this.toIpv4 = new IfPacket.SockaddrLl(IfEther.ETH_P_IP, dev.ifindex());
        this.toIpv6 = new IfPacket.SockaddrLl(IfEther.ETH_P_IPV6, dev.ifindex());
        // Written once here and never changed: each sendto() passes their native address as is.
        toIpv4.write();
        toIpv6.write();
    }

    /** Opens the packet socket in {@code dev}'s network namespace (from any thread) and binds it to the device. */
    public static PacketMirror open(TunDevice dev) throws IfaceException {
        int fd = dev.socketInNamespace(Socket.AF_PACKET, SocketType.SOCK_DGRAM | SocketType.SOCK_CLOEXEC, 0);
        try {
            // Protocol 0: bound to the interface for sending, registered for no protocol, so nothing is queued
            // to this socket's receive buffer.
            IfPacket.SockaddrLl sll = new IfPacket.SockaddrLl(0, dev.ifindex());
            LibC.INSTANCE.bind(fd, sll, sll.size());
        } catch (LastErrorException e) {
            FileDescriptors.closeQuietly(fd);
            throw IfaceException.ofErrno(dev.name(), "mirror: bind", e);
        }
        return new PacketMirror(dev, fd);
    }

    /**
     * Transmits the bytes from {@code packet}'s position to its limit as one packet on pflowN. The buffer's
     * position and limit are left unchanged. The IP version nibble picks the EtherType (ETH_P_IP/ETH_P_IPV6).
     */
    public synchronized void send(ByteBuffer packet) throws IfaceException {
        if (closed) {
            throw new IfaceException(dev.name(), "mirror: closed", Errno.EBADF);
        }
        int len = packet.remaining();
        if (len == 0) {
            throw new IfaceException(dev.name(), "mirror: empty packet", 0);
        }
        int version = (packet.get(packet.position()) & 0xff) >>> 4;
        IfPacket.SockaddrLl to;
        if (version == 4) {
            to = toIpv4;
        } else if (version == 6) {
            to = toIpv6;
        } else {
            throw new IfaceException(dev.name(), "mirror: not an IPv4 or IPv6 packet (version " + version + ")", 0);
        }
        ByteBuffer out;
        if (packet.isDirect()) {
            out = packet.slice(); // position 0 of the slice is the packet's first byte
        } else {
            if (scratch.capacity() < len) {
                scratch = ByteBuffer.allocateDirect(Math.max(len, scratch.capacity() * 2));
            }
            scratch.clear();
            scratch.put(packet.duplicate());
            scratch.flip(); // position 0: the packet starts at the buffer's address
            out = scratch;
        }
        long n = LibCDirect.sendto(fd, LibCDirect.address(out), len, Socket.MSG_DONTWAIT,
                Pointer.nativeValue(to.getPointer()), to.size());
        int errno = n < 0 ? Native.getLastError() : 0;
        // Only addresses went to the call: keep their owners alive until it has returned.
        Reference.reachabilityFence(out);
        Reference.reachabilityFence(to);
        if (n < 0) {
            throw IfaceException.ofErrno(dev.name(), "mirror: send " + len + " bytes", errno);
        }
        sent.incrementAndGet();
    }

    /** Transmits {@code packet[off, off + len)} as one packet; see {@link #send(ByteBuffer)}. */
    public void send(byte[] packet, int off, int len) throws IfaceException {
        send(ByteBuffer.wrap(packet, off, len));
    }

    /** Packets handed to the kernel so far. */
    public long sentPackets() {
        return sent.get();
    }

    public TunDevice device() {
        return dev;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            FileDescriptors.closeQuietly(fd);
        }
    }
}
