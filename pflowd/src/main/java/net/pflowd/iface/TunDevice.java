package net.pflowd.iface;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.pflowd.linux.Errno;
import net.pflowd.linux.EventFd;
import net.pflowd.linux.Fcntl;
import net.pflowd.linux.If;
import net.pflowd.linux.IfTun;
import net.pflowd.linux.LibC;
import net.pflowd.linux.LibCDirect;
import net.pflowd.linux.Poll;
import net.pflowd.linux.Socket;
import net.pflowd.linux.SocketType;
import net.pflowd.linux.Sockios;
import net.pflowd.os.ErrnoException;
import net.pflowd.os.FileDescriptors;
import net.pflowd.os.NetworkNamespace;
import net.pflowd.os.ReadOnlyFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pflowN interface: a TUN device (IFF_TUN | IFF_NO_PI) with an exact name, alive as long as this object is open.
 *
 * <p>The device is created in the network namespace of the thread calling {@link #create} (setns(2) is per thread).
 * Everything that must act in that namespace is bound to it at creation: a control socket (AF_INET datagram) for
 * the SIOC*IF* ioctls, the /proc/sys writes, and a descriptor of the namespace itself for sockets opened later
 * ({@link PacketMirror}). After creation any thread may call any method.
 *
 * <p>pflowN only ever transmits. The TUN descriptor is non-blocking and a daemon thread drains it: it polls,
 * reads every packet the kernel transmitted on pflowN and discards it. Reading is what completes a TUN
 * transmission: the kernel counts TX packets/bytes when the packet is read, and an unread queue would fill and
 * drop (tx_dropped). pflowd never writes to the descriptor, so nothing ever arrives on pflowN (RX stays zero).
 * The drainer also polls an eventfd that {@link #close()} signals, and so stops at once: destroying an interface
 * waits for no poll timeout (a 100 ms one made every destroy take up to 100 ms), and an idle interface costs no
 * periodic wake-ups. Once it has emptied the queue the drainer naps {@link #DRAIN_NAP_MS} before it reads again,
 * and waits in poll(2) again only after a nap that found nothing: in a burst it reads many packets per wake-up,
 * and the mirror's sends find no waiter to wake (a wake-up per exported datagram cost the drainer a poll and the
 * exporting thread a context switch each, BENCHMARKS.md "Conntrack storm"). The TUN queue (txqueuelen, 500
 * packets) holds far more than a nap's worth of datagrams at any export rate pflowd reaches.
 *
 * <p>Closing the descriptor of a non-persistent TUN unregisters the interface; {@link #close()} does that.
 */
public final class TunDevice implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TunDevice.class);
    /** How long the drainer waits after a read error (e.g. EIO while the interface goes down) before reading again. */
    private static final int ERROR_PAUSE_MS = 100;
    private static final int DRAIN_BUFFER = 65536;
    /** How long the drainer naps after emptying the queue before it reads again (see the class comment). */
    private static final int DRAIN_NAP_MS = 1;

    /**
     * Per-interface IPv4 settings, written while the interface is still down, then read back.
     * The interface never gets an address, so no route points at it and the kernel never chooses it for traffic
     * of its own; these settings are the second line, in case something else ever feeds or configures pflowN.
     */
    private static final String[][] IPV4_CONF = {
        // Never route a packet that arrived on pflowN to another interface.
        {"forwarding", "0"},
        // Strict reverse-path filter: with no route via pflowN, a packet arriving on it fails the check and is
        // dropped before local delivery. (The kernel applies max(conf/all, conf/NAME); all=2 would make it loose.)
        {"rp_filter", "1"},
        // Never accept a packet arriving on pflowN that claims a local source address.
        {"accept_local", "0"},
        // Never let 127/8 in from or out to pflowN.
        {"route_localnet", "0"},
        // Ignore source-routed packets and redirects arriving on pflowN; send no redirects out of it.
        {"accept_source_route", "0"},
        {"accept_redirects", "0"},
        {"send_redirects", "0"},
        // Never answer ARP for others on pflowN (it is NOARP anyway).
        {"proxy_arp", "0"},
    };

    /**
     * Per-interface IPv6 settings. disable_ipv6 comes first and before the interface goes up: IPv6 then never
     * configures a link-local address on pflowN, so it never sends DAD, router solicitations or MLD reports, and
     * an IPv6 packet arriving on it is dropped at the door (ipv6_rcv drops on a disabled interface).
     */
    private static final String[][] IPV6_CONF = {
        {"disable_ipv6", "1"},
        {"forwarding", "0"},
        {"accept_ra", "0"},
        {"autoconf", "0"},
        {"accept_redirects", "0"},
    };

    private final String name;
    private final int tunFd;
    private final int ctlFd;
    /** The namespace the device was created in, for sockets opened later from other threads. */
    private final NetworkNamespace ns;
    /** eventfd(2) that {@link #close()} writes to wake the drainer. */
    private final int wakeFd;
    private final int ifindex;
    private final AtomicLong drained = new AtomicLong();
    private final Thread drainer;
    private volatile boolean closing;
    private boolean closed;

    private TunDevice(String name, int tunFd, int ctlFd, NetworkNamespace ns, int wakeFd, int ifindex) {
        this.name = name;
        this.tunFd = tunFd;
        this.ctlFd = ctlFd;
        this.ns = ns;
        this.wakeFd = wakeFd;
        this.ifindex = ifindex;
        this.drainer = new Thread(this::drainLoop, name + "-drain");
        this.drainer.setDaemon(true);
    }

    /**
     * Creates TUN interface {@code name} (exactly that name, never a kernel-chosen one) in the calling thread's
     * network namespace, down, without addresses, IPv6 disabled, multicast off and the safety sysctls set.
     *
     * @throws IfaceException if the name is invalid, an interface of that name exists (errno EEXIST), or the kernel
     *     refuses (e.g. "pflow0: cannot create: /dev/net/tun: No such file or directory")
     */
    public static TunDevice create(String name) throws IfaceException {
        return create(name, Path.of(IfTun.DEV_NET_TUN));
    }

    /** {@link #create(String)} through another clone device path (tests use a missing one). */
    static TunDevice create(String name, Path cloneDevice) throws IfaceException {
        validateName(name);
        LibC c = LibC.INSTANCE;
        int ctl = -1;
        int tun = -1;
        NetworkNamespace ns = null;
        int wake = -1;
        boolean done = false;
        try {
            try {
                ctl = c.socket(Socket.AF_INET, SocketType.SOCK_DGRAM | SocketType.SOCK_CLOEXEC, 0);
            } catch (LastErrorException e) {
                throw IfaceException.ofErrno(name, "cannot create: control socket", e);
            }
            // TUNSETIFF attaches to an existing TUN of that name (a persistent one, or a multiqueue one) instead of
            // creating; IFF_TUN_EXCL below refuses that, this check gives the clear error first.
            if (indexOf(ctl, name) > 0) {
                throw new IfaceException(name, "cannot create: interface exists", Errno.EEXIST);
            }
            try {
                tun = c.open(cloneDevice.toString(), Fcntl.O_RDWR | Fcntl.O_NONBLOCK | Fcntl.O_CLOEXEC);
            } catch (LastErrorException e) {
                throw IfaceException.ofErrno(name, "cannot create: " + cloneDevice, e);
            }
            If.IfReq req = new If.IfReq(name);
            req.setFlags(IfTun.IFF_TUN | IfTun.IFF_NO_PI | IfTun.IFF_TUN_EXCL);
            try {
                c.ioctl(tun, IfTun.TUNSETIFF, req);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EBUSY) {
                    throw new IfaceException(name, "cannot create: interface exists", Errno.EEXIST);
                }
                throw IfaceException.ofErrno(name, "cannot create: TUNSETIFF", e);
            }
            if (!req.name().equals(name)) {
                throw new IfaceException(name, "cannot create: kernel named it " + req.name(), 0);
            }
            int index = indexOf(ctl, name);
            if (index <= 0) {
                throw new IfaceException(name, "cannot create: interface vanished after TUNSETIFF", Errno.ENODEV);
            }
            // Multicast off (as on OpenBSD's pflow): no group memberships, no IGMP/MLD, whatever else happens.
            int flags = getFlags(ctl, name);
            setFlags(ctl, name, flags & ~If.IFF_MULTICAST);

            // /proc/sys/net resolves against the network namespace of the thread that opens the file, so these
            // writes land in the device's namespace. The directory exists only if that is true.
            writeConf(name, "ipv4", IPV4_CONF, true);
            writeConf(name, "ipv6", IPV6_CONF, false);

            try {
                ns = NetworkNamespace.current();
            } catch (ErrnoException e) {
                throw IfaceException.of(name, "cannot create", e);
            }
            try {
                wake = c.eventfd(0, EventFd.EFD_CLOEXEC | EventFd.EFD_NONBLOCK);
            } catch (LastErrorException e) {
                throw IfaceException.ofErrno(name, "cannot create: eventfd", e);
            }
            TunDevice dev = new TunDevice(name, tun, ctl, ns, wake, index);
            dev.drainer.start();
            done = true;
            return dev;
        } finally {
            if (!done) {
                FileDescriptors.closeQuietly(tun); // first: closing the TUN descriptor removes the half-made interface
                FileDescriptors.closeQuietly(ctl);
                if (ns != null) {
                    ns.close();
                }
                FileDescriptors.closeQuietly(wake);
            }
        }
    }

    /** Kernel rules (dev_valid_name) plus no '%': a '%d' would let the kernel pick the number. */
    private static void validateName(String name) throws IfaceException {
        if (name == null || name.isEmpty() || name.length() >= If.IFNAMSIZ
                || name.equals(".") || name.equals("..")) {
            throw new IfaceException(String.valueOf(name), "invalid interface name (1.." + (If.IFNAMSIZ - 1)
                    + " characters)", 0);
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch <= ' ' || ch >= 0x7f || ch == '/' || ch == ':' || ch == '%') {
                throw new IfaceException(name, "invalid interface name (character '" + ch + "')", 0);
            }
        }
    }

    private static void writeConf(String name, String family, String[][] conf, boolean required)
            throws IfaceException {
        Path dir = Path.of("/proc/sys/net", family, "conf", name);
        if (!Files.isDirectory(dir)) {
            if (!required && !Files.exists(Path.of("/proc/sys/net", family))) {
                return; // the kernel has no IPv6 at all: nothing to disable
            }
            throw new IfaceException(name, "cannot create: " + dir + " missing (wrong network namespace?)",
                    Errno.ENOENT);
        }
        List<String> kept = new ArrayList<>();
        for (String[] kv : conf) {
            Path p = dir.resolve(kv[0]);
            try {
                if (Files.readString(p, StandardCharsets.US_ASCII).trim().equals(kv[1])) {
                    continue; // already so (a container's defaults may be): nothing to write
                }
                try {
                    Files.writeString(p, kv[1] + "\n", StandardCharsets.US_ASCII);
                } catch (FileSystemException e) {
                    // Docker and most runtimes mount /proc/sys read-only even with CAP_NET_ADMIN. These settings
                    // are the second line (pflowd never writes to the TUN, so nothing arrives on pflowN):
                    // keep going, and say which ones stay as they were.
                    if (ReadOnlyFileSystem.holds(p)) {
                        kept.add(kv[0] + "=" + Files.readString(p, StandardCharsets.US_ASCII).trim());
                        continue;
                    }
                    throw e;
                }
                String now = Files.readString(p, StandardCharsets.US_ASCII).trim();
                if (!now.equals(kv[1])) {
                    throw new IfaceException(name, "cannot create: " + p + " is " + now + ", wanted " + kv[1], 0);
                }
            } catch (IOException e) {
                if (e instanceof IfaceException ie) {
                    throw ie;
                }
                throw new IfaceException(name, "cannot create: " + p + ": " + e.getMessage(), 0);
            }
        }
        if (!kept.isEmpty()) {
            LOG.warn("{}: /proc/sys is read-only (a container?): net.{}.conf.{} keeps {}; to set them, start the"
                    + " container with --sysctl net.{}.conf.default.NAME=VALUE", name, family, name,
                    String.join(" ", kept), family);
        }
    }

    public String name() {
        return name;
    }

    /** The interface index, fixed for the life of the interface. */
    public int ifindex() {
        return ifindex;
    }

    /** Interface flags (If.IFF_*, low 16 bits) as SIOCGIFFLAGS reports them. */
    public synchronized int flags() throws IfaceException {
        ensureOpen();
        return getFlags(ctlFd, name);
    }

    public boolean isUp() throws IfaceException {
        return (flags() & If.IFF_UP) != 0;
    }

    /** Sets or clears IFF_UP (SIOCSIFFLAGS), like {@code ip link set NAME up|down}. */
    public synchronized void setUp(boolean up) throws IfaceException {
        ensureOpen();
        int flags = getFlags(ctlFd, name);
        setFlags(ctlFd, name, up ? flags | If.IFF_UP : flags & ~If.IFF_UP);
    }

    /** The kernel interface MTU (SIOCGIFMTU): what {@code ip link} shows. */
    public synchronized int mtu() throws IfaceException {
        ensureOpen();
        If.IfReq req = new If.IfReq(name);
        try {
            LibC.INSTANCE.ioctl(ctlFd, Sockios.SIOCGIFMTU, req);
        } catch (LastErrorException e) {
            throw IfaceException.ofErrno(name, "cannot get mtu", e);
        }
        return req.ivalue();
    }

    /** Sets the kernel interface MTU (SIOCSIFMTU); TUN accepts 68..65535. */
    public synchronized void setMtu(int mtu) throws IfaceException {
        ensureOpen();
        If.IfReq req = new If.IfReq(name);
        req.setIvalue(mtu);
        try {
            LibC.INSTANCE.ioctl(ctlFd, Sockios.SIOCSIFMTU, req);
        } catch (LastErrorException e) {
            throw IfaceException.ofErrno(name, "cannot set mtu " + mtu, e);
        }
    }

    /** The network namespace the device lives in, as "net:[inode]" (see {@link #currentNamespace()}). */
    String namespaceId() {
        return ns.id();
    }

    /** Packets the drainer read from the TUN queue and discarded: everything transmitted on pflowN. */
    public long drainedPackets() {
        return drained.get();
    }

    /**
     * A socket in the device's network namespace. Sockets keep the namespace they were created in; a thread
     * outside it enters the namespace for the socket(2) call and comes back (setns is per thread).
     */
    int socketInNamespace(int domain, int type, int protocol) throws IfaceException {
        ensureOpen();
        try {
            return ns.call(() -> {
                try {
                    return LibC.INSTANCE.socket(domain, type, protocol);
                } catch (LastErrorException e) {
                    throw IfaceException.ofErrno(name, "socket", e);
                }
            });
        } catch (ErrnoException e) {
            throw e instanceof IfaceException ie ? ie : IfaceException.of(name, "socket in namespace " + ns.id(), e);
        }
    }

    /** Destroys the interface: stops the drainer and closes the TUN descriptor, which unregisters it. */
    public void destroy() {
        close();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        wakeDrainer();
        boolean interrupted = false;
        while (drainer.isAlive()) {
            try {
                drainer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        FileDescriptors.closeQuietly(tunFd);
        FileDescriptors.closeQuietly(ctlFd);
        ns.close();
        FileDescriptors.closeQuietly(wakeFd);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds 1 to the eventfd's counter: its poll entry becomes readable and the drainer returns from poll(2). */
    private void wakeDrainer() {
        ByteBuffer one = ByteBuffer.allocateDirect(EventFd.COUNTER_SIZE).order(ByteOrder.nativeOrder());
        one.putLong(0, 1);
        try {
            LibC.INSTANCE.write(wakeFd, one, EventFd.COUNTER_SIZE);
        } catch (LastErrorException e) {
            // Only a counter at 2^64-2 refuses a write (EAGAIN), and it is written once. Should it ever fail, the
            // drainer stops at its next packet; the log says why close() waits.
            LOG.warn("{}", ErrnoException.of(name, "write(eventfd) to wake the drain thread", e).getMessage());
        }
    }

    private void ensureOpen() throws IfaceException {
        if (closed) {
            throw new IfaceException(name, "destroyed", Errno.EBADF);
        }
    }

    private void drainLoop() {
        // Direct-mapped calls, no exceptions: an empty queue (EAGAIN) ends every burst, and building an
        // exception for each cost this thread more than the reads.
        ByteBuffer buf = ByteBuffer.allocateDirect(DRAIN_BUFFER);
        long bufAddress = LibCDirect.address(buf);
        // Two pollfds: [0] the TUN descriptor, [1] the eventfd close() signals.
        ByteBuffer pfds = ByteBuffer.allocateDirect(2 * Poll.POLLFD_SIZE).order(ByteOrder.nativeOrder());
        long pfdsAddress = LibCDirect.address(pfds);
        pfds.putInt(Poll.POLLFD_FD_OFFSET, tunFd);
        pfds.putShort(Poll.POLLFD_EVENTS_OFFSET, Poll.POLLIN);
        pfds.putInt(Poll.POLLFD_SIZE + Poll.POLLFD_FD_OFFSET, wakeFd);
        pfds.putShort(Poll.POLLFD_SIZE + Poll.POLLFD_EVENTS_OFFSET, Poll.POLLIN);
        try {
            while (!closing) {
                pfds.putShort(Poll.POLLFD_REVENTS_OFFSET, (short) 0);
                pfds.putShort(Poll.POLLFD_SIZE + Poll.POLLFD_REVENTS_OFFSET, (short) 0);
                if (LibCDirect.poll(pfdsAddress, 2, -1) <= 0) {
                    continue; // EINTR
                }
                if (closing) {
                    break;
                }
                short revents = pfds.getShort(Poll.POLLFD_REVENTS_OFFSET);
                if ((revents & (Poll.POLLERR | Poll.POLLHUP | Poll.POLLNVAL)) != 0 && (revents & Poll.POLLIN) == 0) {
                    pause(pfdsAddress); // the device is going away; do not spin until close() stops us
                    continue;
                }
                // Read until the queue is empty, nap, and again, until a nap brought nothing.
                while (!closing && drainQueue(tunFd, bufAddress, pfdsAddress) > 0) {
                    nap(pfdsAddress);
                }
            }
        } finally {
            // Only their addresses are used in the loop: without the fences the JIT may drop the buffers, and
            // the GC free the memory that read(2) and poll(2) write into.
            Reference.reachabilityFence(buf);
            Reference.reachabilityFence(pfds);
        }
    }

    /** Reads and discards packets until the queue is empty (or a read fails); returns how many it read. */
    private int drainQueue(int tunFd, long bufAddress, long pfdsAddress) {
        int n = 0;
        while (!closing) {
            if (LibCDirect.read(tunFd, bufAddress, DRAIN_BUFFER) >= 0) {
                drained.incrementAndGet();
                n++;
                continue;
            }
            int errno = Native.getLastError();
            if (errno != Errno.EAGAIN && errno != Errno.EINTR) {
                pause(pfdsAddress); // e.g. EIO while the interface is down
            }
            break;
        }
        return n;
    }

    /** Waits {@link #DRAIN_NAP_MS}, or less when close() signals the eventfd (the second of {@code pfds}). */
    private static void nap(long pfdsAddress) {
        LibCDirect.poll(pfdsAddress + Poll.POLLFD_SIZE, 1, DRAIN_NAP_MS);
    }

    /** Waits {@link #ERROR_PAUSE_MS}, or less when close() signals the eventfd (the second of {@code pfds}). */
    private static void pause(long pfdsAddress) {
        LibCDirect.poll(pfdsAddress + Poll.POLLFD_SIZE, 1, ERROR_PAUSE_MS);
    }

    /** SIOCGIFINDEX on {@code ctl}'s namespace; 0 if there is no such interface. */
    private static int indexOf(int ctl, String name) throws IfaceException {
        If.IfReq req = new If.IfReq(name);
        try {
            LibC.INSTANCE.ioctl(ctl, Sockios.SIOCGIFINDEX, req);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENODEV) {
                return 0;
            }
            throw IfaceException.ofErrno(name, "cannot get ifindex", e);
        }
        return req.ivalue();
    }

    private static int getFlags(int ctl, String name) throws IfaceException {
        If.IfReq req = new If.IfReq(name);
        try {
            LibC.INSTANCE.ioctl(ctl, Sockios.SIOCGIFFLAGS, req);
        } catch (LastErrorException e) {
            throw IfaceException.ofErrno(name, "cannot get flags", e);
        }
        return req.flags();
    }

    private static void setFlags(int ctl, String name, int flags) throws IfaceException {
        If.IfReq req = new If.IfReq(name);
        req.setFlags(flags);
        try {
            LibC.INSTANCE.ioctl(ctl, Sockios.SIOCSIFFLAGS, req);
        } catch (LastErrorException e) {
            throw IfaceException.ofErrno(name, "cannot set flags 0x" + Integer.toHexString(flags), e);
        }
    }

    /** The calling thread's network namespace, as "net:[inode]". */
    static String currentNamespace() throws IfaceException {
        try {
            return NetworkNamespace.currentId();
        } catch (ErrnoException e) {
            throw IfaceException.of("-", "cannot tell the network namespace", e);
        }
    }
}
