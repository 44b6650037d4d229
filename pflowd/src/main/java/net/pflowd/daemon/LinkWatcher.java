package net.pflowd.daemon;

import java.nio.ByteBuffer;
import net.pflowd.linux.Errno;
import net.pflowd.linux.Netlink;
import net.pflowd.linux.Rtnetlink;
import net.pflowd.netlink.NetlinkSocket;
import net.pflowd.os.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the daemon when links or addresses change in its network namespace (rtnetlink multicast groups
 * RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR), so that an interface waiting for its flowsrc
 * address or for its name to become free is retried at once rather than at the next periodic retry.
 *
 * <p>The messages are not parsed: any of them is a reason to look again, and what counts is checked by the
 * retry itself. An overrun (ENOBUFS) is one more reason to look. One daemon thread, woken every 200 ms by
 * poll(2) to notice {@link #close}.
 */
final class LinkWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkWatcher.class);
    private static final int POLL_MILLIS = 200;

    private final NetlinkSocket socket;
    private final Runnable onChange;
    private final Thread thread;
    private volatile boolean closing;

    private LinkWatcher(NetlinkSocket socket, Runnable onChange) {
        this.socket = socket;
        this.onChange = onChange;
        this.thread = new Thread(this::loop, "pflowd-link-watcher");
        thread.setDaemon(true);
    }

    /**
     * Subscribes in the calling thread's network namespace and starts calling {@code onChange}.
     *
     * @throws ErrnoException e.g. {@code "rtnetlink: NETLINK_ADD_MEMBERSHIP 1: Operation not permitted"}
     */
    static LinkWatcher start(Runnable onChange) throws ErrnoException {
        NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE, "rtnetlink");
        try {
            for (int group : new int[] {Rtnetlink.RTNLGRP_LINK, Rtnetlink.RTNLGRP_IPV4_IFADDR,
                Rtnetlink.RTNLGRP_IPV6_IFADDR}) {
                socket.joinGroup(group);
            }
        } catch (ErrnoException e) {
            socket.close();
            throw e;
        }
        LinkWatcher w = new LinkWatcher(socket, onChange);
        w.thread.start();
        return w;
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        while (!closing) {
            try {
                if (!socket.poll(POLL_MILLIS)) {
                    continue;
                }
                boolean changed = false;
                while (true) {
                    int n = socket.receive(buf, true);
                    if (NetlinkSocket.isNoBuffers(n)) {
                        changed = true; // missed some: look again anyway
                        continue;
                    }
                    if (n < 0) {
                        if (!NetlinkSocket.isEmpty(n) && n != -Errno.EINTR) {
                            log.warn("{}", socket.failure("recv", n).getMessage());
                        }
                        break;
                    }
                    if (n == 0) {
                        break;
                    }
                    changed = true;
                }
                if (changed) {
                    onChange.run();
                }
            } catch (RuntimeException e) {
                log.warn("link watcher: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            thread.join(2 * POLL_MILLIS + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
