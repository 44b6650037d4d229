package net.pflowd.daemon;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import net.pflowd.linux.Errno;
import net.pflowd.linux.LibC;
import net.pflowd.linux.Netlink;
import net.pflowd.linux.Poll;
import net.pflowd.linux.Rtnetlink;
import net.pflowd.linux.Socket;
import net.pflowd.linux.SocketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the daemon when links or addresses change in its network namespace (rtnetlink multicast groups
 * RTMGRP_LINK, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR), so that an interface waiting for its flowsrc
 * address or for its name to become free is retried at once rather than at the next periodic retry.
 *
 * <p>The messages are not parsed: any of them is a reason to look again, and what counts is checked by the
 * retry itself. An overrun (ENOBUFS) is one more reason to look. One daemon thread, woken every 200 ms by
 * poll(2) to notice {@link #close}.
 */
final class LinkWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkWatcher.class);
    private static final int POLL_MILLIS = 200;

    private final LibC c = LibC.INSTANCE;
    private final int fd;
    private final Runnable onChange;
    private final Thread thread;
    private volatile boolean closing;

    private LinkWatcher(int fd, Runnable onChange) {
        this.fd = fd;
        this.onChange = onChange;
        this.thread = new Thread(this::loop, "pflowd-link-watcher");
        thread.setDaemon(true);
    }

    /** Subscribes in the calling thread's network namespace and starts calling {@code onChange}. */
    static LinkWatcher start(Runnable onChange) throws IOException {
        int fd;
        try {
            fd = LibC.INSTANCE.socket(Socket.AF_NETLINK, SocketType.SOCK_RAW | SocketType.SOCK_CLOEXEC | SocketType.SOCK_NONBLOCK,
                    Netlink.NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw new IOException("rtnetlink socket: " + LibC.INSTANCE.strerror(e.getErrorCode()), e);
        }
        Netlink.SockaddrNl sa = new Netlink.SockaddrNl(0,
                Rtnetlink.RTMGRP_LINK | Rtnetlink.RTMGRP_IPV4_IFADDR | Rtnetlink.RTMGRP_IPV6_IFADDR);
        try {
            LibC.INSTANCE.bind(fd, sa, sa.size());
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw new IOException("rtnetlink bind: " + LibC.INSTANCE.strerror(e.getErrorCode()), e);
        }
        LinkWatcher w = new LinkWatcher(fd, onChange);
        w.thread.start();
        return w;
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        Poll.PollFd pfd = new Poll.PollFd(fd, Poll.POLLIN);
        while (!closing) {
            try {
                pfd.revents = 0;
                if (c.poll(pfd, 1, POLL_MILLIS) <= 0) {
                    continue;
                }
                boolean changed = false;
                while (true) {
                    buf.clear();
                    long n;
                    try {
                        n = c.recv(fd, buf, buf.capacity(), 0);
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() == Errno.ENOBUFS) {
                            changed = true; // missed some: look again anyway
                            continue;
                        }
                        if (e.getErrorCode() != Errno.EAGAIN && e.getErrorCode() != Errno.EINTR) {
                            log.warn("rtnetlink: {}", c.strerror(e.getErrorCode()));
                        }
                        break;
                    }
                    if (n <= 0) {
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
        c.close(fd);
    }
}
