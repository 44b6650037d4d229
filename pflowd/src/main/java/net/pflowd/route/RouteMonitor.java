package net.pflowd.route;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import net.pflowd.flow.Clock;
import net.pflowd.linux.Errno;
import net.pflowd.linux.Netlink;
import net.pflowd.linux.Rtnetlink;
import net.pflowd.netlink.NetlinkSocket;
import net.pflowd.os.ErrnoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of one network namespace as a {@link RouteTable}, kept current: a dump of every IPv4 and IPv6
 * route when opened, and a new dump after the kernel announced a change of routes, addresses or links. The only
 * place the route lookup does I/O.
 *
 * <p>Two NETLINK_ROUTE sockets, both in the network namespace of the thread that calls {@link #open}: one
 * subscribed to the route, address and link groups, which {@link #refreshIfChanged} drains without blocking
 * (nothing pending: one recv that returns EAGAIN), and one for dump requests. Draining before dumping means a
 * change that lands during a dump stays queued and triggers the next one. Dumps are at most one per
 * {@link #MIN_DUMP_INTERVAL_MILLIS}, and at most {@link #MAX_DUMP_SHARE_PERCENT} % of the owner thread's time (a
 * full Internet table takes a while to dump), so a flapping link or a routing daemon's churn costs a bounded share
 * of the calling thread; a change waits that long at most.
 *
 * <p>Not thread-safe: one owner thread calls {@link #refreshIfChanged}; {@link #table()} may be read from any
 * thread (the snapshot is immutable and published through a volatile field).
 */
public final class RouteMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RouteMonitor.class);

    /** The least time between two dumps. */
    public static final long MIN_DUMP_INTERVAL_MILLIS = 1000;
    /** The most of the owner thread's time dumps may take: the interval grows with the time a dump takes. */
    public static final long MAX_DUMP_SHARE_PERCENT = 10;
    /** Receive buffer of each socket: one datagram of a dump is at most 32 KiB, notifications are small. */
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int NOTIFY_RCVBUF = 1 << 20;
    /** The groups whose messages can change an answer: routes, addresses (local routes follow them), links. */
    private static final int[] GROUPS = {Rtnetlink.RTNLGRP_IPV4_ROUTE, Rtnetlink.RTNLGRP_IPV6_ROUTE,
            Rtnetlink.RTNLGRP_IPV4_IFADDR, Rtnetlink.RTNLGRP_IPV6_IFADDR, Rtnetlink.RTNLGRP_LINK};

    private final Clock clock;
    private final NetlinkSocket notifications;
    private final NetlinkSocket requests;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer request = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    private final RouteParser parser = new RouteParser();

    private volatile RouteTable table = RouteTable.EMPTY;
    private boolean pending;
    private long lastDumpMillis;
    private int seq;

    /** How long the last dump took, for the share of the owner thread dumps may take. */
    private long lastDumpTookMillis;

    // written by the owner thread only; volatile so that counters() may be read from another
    private volatile long dumps, dumpFailures, notificationsSeen, overruns, errors;

    private RouteMonitor(Clock clock, NetlinkSocket notifications, NetlinkSocket requests) {
        this.clock = clock;
        this.notifications = notifications;
        this.requests = requests;
    }

    /** {@link #open(Clock)} with the system clock. */
    public static RouteMonitor open() throws IOException {
        return open(Clock.SYSTEM);
    }

    /**
     * Opens the sockets in the calling thread's network namespace, subscribes, and dumps the routes.
     *
     * @throws IOException when a socket cannot be opened or subscribed, or the first dump fails
     */
    public static RouteMonitor open(Clock clock) throws IOException {
        NetlinkSocket notifications = NetlinkSocket.open(Netlink.NETLINK_ROUTE, "rtnetlink notifications");
        NetlinkSocket requests;
        try {
            for (int g : GROUPS) {
                notifications.joinGroup(g);
            }
            notifications.receiveBuffer(NOTIFY_RCVBUF);
            requests = NetlinkSocket.open(Netlink.NETLINK_ROUTE, "rtnetlink requests");
        } catch (IOException e) {
            notifications.close();
            throw e;
        }
        RouteMonitor m = new RouteMonitor(clock, notifications, requests);
        try {
            m.dump();
        } catch (IOException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** The current snapshot. */
    public RouteTable table() {
        return table;
    }

    /**
     * Takes the pending notifications without blocking and, if there were any (or the socket overran, or an
     * earlier dump failed), dumps the routes again — unless the last dump is less than
     * {@link #MIN_DUMP_INTERVAL_MILLIS} old (or younger than ten times the time it took), in which case the change
     * waits for a later call. Never throws: a
     * failed dump is counted and logged, the previous table stays, and the next call tries again.
     *
     * @return true when {@link #table()} was replaced
     */
    public boolean refreshIfChanged() {
        drainNotifications();
        if (!pending) {
            return false;
        }
        long now = clock.millis();
        long interval = Math.max(MIN_DUMP_INTERVAL_MILLIS, lastDumpTookMillis * 100 / MAX_DUMP_SHARE_PERCENT);
        if (now >= lastDumpMillis && now - lastDumpMillis < interval) {
            return false;
        }
        try {
            dump();
            return true;
        } catch (IOException e) {
            dumpFailures++;
            lastDumpMillis = now;
            log.warn("route dump failed, keeping the previous table ({} routes): {}", table.routes(), e.getMessage());
            return false;
        }
    }

    private void drainNotifications() {
        while (true) {
            int n = notifications.receive(buffer, true);
            if (n > 0) {
                notificationsSeen++;
                pending = true;
            } else if (NetlinkSocket.isEmpty(n)) {
                return;
            } else if (NetlinkSocket.isNoBuffers(n)) {
                overruns++; // notifications were lost: only a dump can tell what changed
                pending = true;
            } else if (n < 0) {
                errors++;
                log.warn("rtnetlink notifications: {}", NetlinkSocket.describe(n));
                return;
            } else {
                return;
            }
        }
    }

    /** Dumps every route (RTM_GETROUTE, NLM_F_DUMP, all families) and publishes the table they make. */
    private void dump() throws IOException {
        int mySeq = ++seq;
        request.clear();
        request.putInt(Netlink.NLMSGHDR_SIZE + Rtnetlink.RTMSG_SIZE);
        request.putShort((short) Rtnetlink.RTM_GETROUTE);
        request.putShort((short) (Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP));
        request.putInt(mySeq);
        request.putInt(0);
        for (int i = 0; i < Rtnetlink.RTMSG_SIZE; i++) {
            request.put((byte) 0); // rtm_family AF_UNSPEC: IPv4 and IPv6 (other families are skipped)
        }
        request.flip();
        pending = false; // changes from here on are queued on the notification socket for the next dump
        lastDumpMillis = clock.millis();
        requests.send(request, "RTM_GETROUTE dump request");
        RouteTable.Builder builder = RouteTable.builder();
        DumpHandler h = new DumpHandler(mySeq, builder);
        while (!h.finished) {
            int n = requests.receive(buffer, false);
            if (n < 0) {
                if (n == -Errno.EINTR) {
                    continue;
                }
                pending = true;
                throw new ErrnoException("rtnetlink dump", "recv", -n);
            }
            parser.parseDatagram(buffer, 0, n, h);
        }
        if (h.refused != 0) {
            pending = true;
            throw new ErrnoException("rtnetlink dump", "NLMSG_ERROR", h.refused);
        }
        if (h.failure != null) {
            pending = true;
            throw new IOException("rtnetlink dump: " + h.failure);
        }
        if (h.interrupted) {
            pending = true; // the routes changed during the dump: it may be inconsistent, take another soon
        }
        table = builder.build();
        lastDumpTookMillis = Math.max(0, clock.millis() - lastDumpMillis);
        dumps++;
        log.debug("route table: {} routes", table.routes());
    }

    private static final class DumpHandler implements RouteParser.Handler {
        final int seq;
        final RouteTable.Builder builder;
        boolean finished, interrupted;
        String failure;
        /** The errno of the kernel's NLMSG_ERROR answer to the dump, 0 if none. */
        int refused;

        DumpHandler(int seq, RouteTable.Builder builder) {
            this.seq = seq;
            this.builder = builder;
        }

        @Override
        public void route(RouteEntry r) {
            if (r.seq != seq) {
                return; // the rest of an earlier dump that failed half-way
            }
            if ((r.nlFlags & Netlink.NLM_F_DUMP_INTR) != 0) {
                interrupted = true;
            }
            builder.add(r);
        }

        @Override
        public void done(int s) {
            if (s == seq) {
                finished = true;
            }
        }

        @Override
        public void error(int s, int errno) {
            if (s == seq && errno != 0) {
                refused = errno;
                finished = true;
            }
        }

        @Override
        public void malformed(String why) {
            failure = why; // read on to NLMSG_DONE, so the socket is clean for the next dump
        }
    }

    /**
     * dumps (tables built), dump_failures, routes (in the current table), notifications (datagrams taken),
     * overruns (ENOBUFS on the notification socket), errors (other receive errors).
     */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("dumps", dumps);
        c.put("dump_failures", dumpFailures);
        c.put("routes", (long) table.routes());
        c.put("notifications", notificationsSeen);
        c.put("overruns", overruns);
        c.put("errors", errors);
        return c;
    }

    @Override
    public void close() {
        notifications.close();
        requests.close();
    }
}
