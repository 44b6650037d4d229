package net.pflowd.iface;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import net.pflowd.export.DatagramSink;
import net.pflowd.linux.Errno;
import net.pflowd.os.ErrnoException;
import net.pflowd.os.UdpSocket;
import net.pflowd.wire.UdpPacketBuilder;

/**
 * The one I/O point of a pflowN interface: a UDP socket to the collector (flowdst), and the copy of every
 * datagram that left on it, as a complete IP + UDP packet, transmitted on pflowN through a {@link PacketMirror}.
 *
 * <p>The socket is a {@link UdpSocket} of flowdst's family (the system calls themselves, so every failure keeps the
 * kernel's errno), opened in the network namespace of the thread calling {@link #open}, bound to flowsrc when one is set
 * and connected to flowdst: connect(2) makes the kernel fix the source address and port, which are read back and
 * are what the mirrored packet carries. A flowsrc that is not local or not of flowdst's family is a configuration
 * error at {@link #open} ({@link IfaceException}, as ifconfig on OpenBSD reports it).
 *
 * <p>A collector that is down or unreachable never stops export (pflow(4) only counts if_oerrors):
 * <ul>
 * <li>No route to flowdst when opening (ENETUNREACH, EHOSTUNREACH, ...): the path opens unconnected and every
 *     {@link #send} tries connect(2) again, so export starts by itself once the route exists.
 * <li>A connected UDP socket keeps one pending error from an ICMP report (port unreachable: ECONNREFUSED) about
 *     an earlier datagram, and the kernel returns it from the next send without sending that datagram
 *     (sock_alloc_send_pskb checks sk_err first). Such a send is retried once, so the datagram after the error
 *     still goes out: the report is counted in {@link #outputErrors()}, nothing is thrown. An error that persists
 *     (the retry fails too: no route, message too long) is counted once and thrown; the datagram is lost
 *     ({@link #droppedDatagrams()}) and the export engine counts it.
 * </ul>
 * The socket is non-blocking: a full send buffer loses the datagram (EAGAIN) rather than stall the engine.
 *
 * <p>The mirror shows only what really went out: a datagram is mirrored after the kernel accepted it, never
 * when the send failed. A mirror failure is counted ({@link #mirrorErrors()}) and does not fail the send.
 * The mirror belongs to the caller: {@link #close()} does not close it.
 *
 * <p>Counters are kept here, at the send: in the {@link OutputCounters} given to {@link #open} (an interface's,
 * shared with the paths it opened before, so they never go back), or the path's own. The accessors read them.
 *
 * <p>Thread-safety: {@link #send} and {@link #close()} are serialized on this object; the engine sends from one
 * thread at a time, {@link #close()} may come from any thread. Counters may be read from any thread.
 */
public final class ExportPath implements DatagramSink, AutoCloseable {
    /** Largest IP + UDP packet: a 65535-byte UDP datagram behind an IPv6 header. */
    private static final int MIRROR_BUFFER = UdpPacketBuilder.IPV6_HEADER_LENGTH + 0xffff;

    /**
     * Errors connect(2) returns while flowdst is unreachable for now; anything else is a configuration error.
     */
    private static final int[] TRANSIENT_CONNECT_ERRORS = {
        Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ENETDOWN, Errno.EHOSTDOWN, Errno.EAGAIN,
    };

    private final String ifname;
    private final InetSocketAddress flowsrc;
    private final InetSocketAddress flowdst;
    private final PacketMirror mirror;
    private final UdpSocket socket;
    private final ByteBuffer mirrorBuffer;

    // Guarded by this.
    private boolean closed;
    private InetSocketAddress local; // null until connected
    private UdpPacketBuilder builder;

    private volatile String lastError;
    /** Where this path's I/O is counted: the interface's, shared with the paths before and after it. */
    private final OutputCounters counters;

    private ExportPath(String ifname, InetSocketAddress flowsrc, InetSocketAddress flowdst, PacketMirror mirror,
            UdpSocket socket, OutputCounters counters) {
        this.counters = counters;
        this.ifname = ifname;
        this.flowsrc = flowsrc;
        this.flowdst = flowdst;
        this.mirror = mirror;
        this.socket = socket;
        this.mirrorBuffer = mirror != null ? ByteBuffer.allocateDirect(MIRROR_BUFFER) : null;
    }

    /** {@link #open(String, InetSocketAddress, InetSocketAddress, PacketMirror)} named after the mirror's device. */
    public static ExportPath open(InetSocketAddress flowsrc, InetSocketAddress flowdst, PacketMirror mirror)
            throws IfaceException {
        return open(mirror != null ? mirror.device().name() : "pflow", flowsrc, flowdst, mirror);
    }

    /**
     * Opens the export socket in the calling thread's network namespace.
     *
     * @param ifname the interface the errors are reported for, e.g. "pflow0"
     * @param flowsrc the source address (port 0: any), or null to let the kernel choose by route
     * @param flowdst the collector: a resolved, specified address and a port 1..65535
     * @param mirror where each sent datagram is copied, or null; it must live in the calling thread's namespace
     * @throws IfaceException e.g. {@code "pflow0: flowsrc 10.9.9.9: Cannot assign requested address"} (errno
     *     EADDRNOTAVAIL), {@code "pflow0: flowsrc ::1: Address family not supported by protocol"} (EAFNOSUPPORT)
     */
    public static ExportPath open(String ifname, InetSocketAddress flowsrc, InetSocketAddress flowdst,
            PacketMirror mirror) throws IfaceException {
        return open(ifname, flowsrc, flowdst, mirror, new OutputCounters());
    }

    /**
     * Opens the export socket as {@link #open(String, InetSocketAddress, InetSocketAddress, PacketMirror)}, counting
     * its sends in the interface's {@code counters} (kept across the paths an interface opens one after another).
     */
    public static ExportPath open(String ifname, InetSocketAddress flowsrc, InetSocketAddress flowdst,
            PacketMirror mirror, OutputCounters counters) throws IfaceException {
        if (flowdst == null || flowdst.getAddress() == null) {
            throw new IfaceException(ifname, "flowdst " + flowdst + ": unresolved address", Errno.EINVAL);
        }
        if (flowdst.getAddress().isAnyLocalAddress() || flowdst.getPort() == 0) {
            throw IfaceException.ofErrno(ifname, "flowdst " + format(flowdst), Errno.EINVAL);
        }
        boolean v6 = flowdst.getAddress() instanceof Inet6Address;
        if (flowsrc != null) {
            if (flowsrc.getAddress() == null) {
                throw new IfaceException(ifname, "flowsrc " + flowsrc + ": unresolved address", Errno.EINVAL);
            }
            if ((flowsrc.getAddress() instanceof Inet6Address) != v6) {
                throw IfaceException.ofErrno(ifname, "flowsrc " + format(flowsrc), Errno.EAFNOSUPPORT);
            }
        }
        if (mirror != null) {
            String here = TunDevice.currentNamespace();
            String there = mirror.device().namespaceId();
            if (!here.equals(there)) {
                throw new IfaceException(ifname, "export socket: calling thread is in network namespace " + here
                        + ", " + mirror.device().name() + " in " + there, Errno.EINVAL);
            }
        }
        UdpSocket sock;
        try {
            sock = UdpSocket.open(v6, ifname);
        } catch (ErrnoException e) {
            throw IfaceException.ofErrno(ifname, "export socket", e.errno());
        }
        boolean done = false;
        try {
            if (flowsrc != null) {
                try {
                    sock.bind(flowsrc);
                } catch (ErrnoException e) {
                    throw IfaceException.ofErrno(ifname, "flowsrc " + format(flowsrc), e.errno());
                }
            }
            ExportPath path = new ExportPath(ifname, flowsrc, flowdst, mirror, sock, counters);
            try {
                path.connect();
            } catch (IfaceException e) {
                if (!isTransientConnectError(e.errno())) {
                    throw e;
                }
                path.lastError = e.getMessage(); // unreachable for now: send() retries
            }
            done = true;
            return path;
        } finally {
            if (!done) {
                sock.close();
            }
        }
    }

    /** Connects to flowdst and fixes the mirrored packets' addresses. Caller holds the lock or is open(). */
    private void connect() throws IfaceException {
        try {
            socket.connect(flowdst);
            local = socket.localAddress();
            builder = new UdpPacketBuilder(local, flowdst);
        } catch (ErrnoException e) {
            throw IfaceException.ofErrno(ifname, "connect to " + format(flowdst), e.errno());
        }
    }

    /**
     * Sends {@code payload}'s remaining bytes as one datagram to flowdst (its position is unchanged) and then
     * mirrors it on pflowN.
     *
     * @throws IfaceException when the datagram did not go out (errno set when the kernel said why): counted in
     *     {@link #outputErrors()} and {@link #droppedDatagrams()}
     */
    @Override
    public synchronized void send(ByteBuffer payload) throws IfaceException {
        if (closed) {
            throw new IfaceException(ifname, "export: closed", Errno.EBADF);
        }
        int length = payload.remaining();
        if (length == 0) {
            // An empty datagram carries no record: the engine never sends one, and it would only reach the collector.
            throw new IfaceException(ifname, "send to " + format(flowdst) + ": empty datagram", Errno.EINVAL);
        }
        if (local == null) {
            try {
                connect();
            } catch (IfaceException e) {
                throw failed(e);
            }
        }
        IfaceException report = null;
        for (int attempt = 0; ; attempt++) {
            int n = socket.send(payload);
            if (n == -Errno.EAGAIN) {
                throw failed(new IfaceException(ifname, "send to " + format(flowdst) + ": send buffer full",
                        Errno.EAGAIN));
            }
            if (n < 0) {
                IfaceException t = IfaceException.ofErrno(ifname, "send to " + format(flowdst), -n);
                if (attempt == 0) {
                    // Possibly the report of an ICMP error about an earlier datagram, which kept this one from
                    // being sent: send it again. A lasting error (no route, too long) fails the same way twice.
                    report = t;
                    continue;
                }
                throw failed(t);
            }
            break;
        }
        if (report != null) {
            counters.reportedErrors++;
            lastError = report.getMessage();
        }
        counters.sentDatagrams++;
        counters.sentBytes += length;
        if (mirror != null) {
            mirror(payload);
        }
    }

    private IfaceException failed(IfaceException e) {
        counters.failedSends++;
        lastError = e.getMessage();
        return e;
    }

    /** Transmits the IP + UDP packet of the datagram just sent on pflowN. Never throws. */
    private void mirror(ByteBuffer payload) {
        try {
            mirrorBuffer.clear();
            builder.build(payload, mirrorBuffer);
            mirrorBuffer.flip();
            mirror.send(mirrorBuffer);
            counters.mirroredPackets++;
        } catch (IfaceException | RuntimeException e) {
            counters.mirrorErrors++;
        }
    }

    /** The interface this path exports for. */
    public String ifname() {
        return ifname;
    }

    /** The configured source (null: chosen by the kernel). */
    public InetSocketAddress flowsrc() {
        return flowsrc;
    }

    public InetSocketAddress flowdst() {
        return flowdst;
    }

    /** The source address and port the datagrams leave with, null while flowdst was never reachable. */
    public synchronized InetSocketAddress localAddress() {
        return local;
    }

    /** Whether the socket is connected to flowdst (false only while no route has ever allowed connect). */
    public synchronized boolean isConnected() {
        return local != null;
    }

    /** Datagrams the kernel accepted for flowdst. */
    public long sentDatagrams() {
        return counters.sentDatagrams();
    }

    /** UDP payload bytes of {@link #sentDatagrams()}. */
    public long sentBytes() {
        return counters.sentBytes();
    }

    /**
     * Errors the kernel reported on the export socket, like if_oerrors: one per send that failed, and one per
     * ICMP report (collector port unreachable) about an earlier datagram, received while sending a later one.
     */
    public long outputErrors() {
        return counters.outputErrors();
    }

    /** Datagrams that did not go out ({@link #send} threw). */
    public long droppedDatagrams() {
        return counters.failedSends();
    }

    /** Packets transmitted on pflowN. Equal to {@link #sentDatagrams()} while nothing failed on pflowN. */
    public long mirroredPackets() {
        return counters.mirroredPackets();
    }

    /** Sent datagrams whose copy could not be transmitted on pflowN (down, queue full, MTU too small ...). */
    public long mirrorErrors() {
        return counters.mirrorErrors();
    }

    /** The message of the last output error, or null if there was none. */
    public String lastError() {
        return lastError;
    }

    /** Closes the socket (not the mirror). Idempotent; a later {@link #send} throws. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            socket.close();
        }
    }

    private static boolean isTransientConnectError(int errno) {
        for (int e : TRANSIENT_CONNECT_ERRORS) {
            if (e == errno) {
                return true;
            }
        }
        return false;
    }

    /** An address as ifconfig shows it: "10.0.0.2", "10.0.0.2:2055", "[fd00::2]:2055" (port 0 left out). */
    static String format(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        String host;
        if (ip instanceof Inet6Address i6) {
            host = net.pflowd.flow.AddressText.of(i6);
            if (i6.getScopeId() != 0) {
                host += "%" + (i6.getScopedInterface() != null ? i6.getScopedInterface().getName() : i6.getScopeId());
            }
        } else {
            host = ip != null ? ip.getHostAddress() : a.getHostString();
        }
        if (a.getPort() == 0) {
            return host;
        }
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
