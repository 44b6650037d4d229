package net.pflowd.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.pflowd.flow.FlowRecord;
import net.pflowd.testutil.NetNs;
import org.junit.jupiter.api.Test;

/**
 * Privileged: a namespace with two veths (their peers in a second namespace), addresses and a default route;
 * the monitor opened inside it must give the indexes {@code ip -j link} shows there, and see changes.
 */
class RouteMonitorTest {
    private static final String OWNER = "route";

    /** The manual clock the monitor's dump interval runs on. */
    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void theMonitorAnswersWithTheNamespacesInterfacesAndFollowsChanges() throws Exception {
        try (NetNs ns = NetNs.create(OWNER); NetNs peer = NetNs.create(OWNER)) {
            NetNs.runCommand(List.of("ip", "link", "add", "up0", "netns", ns.name(), "type", "veth", "peer", "name",
                    "p0", "netns", peer.name()));
            NetNs.runCommand(List.of("ip", "link", "add", "down1", "netns", ns.name(), "type", "veth", "peer", "name",
                    "p1", "netns", peer.name()));
            sh(peer, "ip link set p0 up && ip link set p1 up");
            sh(ns, "ip link set up0 up && ip link set down1 up"
                    + " && ip addr add 192.0.2.1/24 dev up0 && ip addr add 198.51.100.1/24 dev down1"
                    + " && ip -6 addr add 2001:db8:1::1/64 dev up0 nodad && ip -6 addr add 2001:db8:2::1/64 dev down1 nodad"
                    + " && ip route add default via 192.0.2.254 && ip -6 route add default via 2001:db8:1::fe");
            Map<String, Integer> index = ifindexes(ns);
            int up = index.get("up0"), down = index.get("down1");
            assertThat(up).isNotEqualTo(down);

            try (RouteMonitor m = ns.call(() -> RouteMonitor.open(now::get))) {
                settle(m);
                long dumps = m.counters().get("dumps");
                RouteTable t = m.table();
                assertThat(lookup(t, "8.8.8.8")).isEqualTo(up);
                assertThat(lookup(t, "198.51.100.77")).isEqualTo(down);
                assertThat(lookup(t, "192.0.2.77")).isEqualTo(up);
                assertThat(lookup(t, "192.0.2.1")).isZero();
                assertThat(lookup(t, "127.0.0.1")).isZero();
                assertThat(lookup(t, "2001:4860::8888")).isEqualTo(up);
                assertThat(lookup(t, "2001:db8:2::99")).isEqualTo(down);
                assertThat(lookup(t, "2001:db8:2::1")).isZero();
                assertThat(lookup(t, "::1")).isZero();

                // Nothing changed: no dump.
                now.addAndGet(RouteMonitor.MIN_DUMP_INTERVAL_MILLIS);
                assertThat(m.refreshIfChanged()).isFalse();
                assertThat(m.counters().get("dumps")).isEqualTo(dumps);

                // A new route is seen at the next call.
                sh(ns, "ip route add 10.20.0.0/16 via 198.51.100.254");
                refreshUntilDumped(m);
                assertThat(lookup(m.table(), "10.20.30.40")).isEqualTo(down);
                assertThat(lookup(t, "10.20.30.40")).as("an old snapshot does not change").isEqualTo(up);

                // A change right after a dump waits for the least interval between dumps.
                sh(ns, "ip -6 route add 2001:db8:100::/48 via 2001:db8:2::7");
                waitForNotification(m);
                assertThat(m.refreshIfChanged()).isFalse();
                assertThat(lookup(m.table(), "2001:db8:100::1")).isEqualTo(up);
                now.addAndGet(RouteMonitor.MIN_DUMP_INTERVAL_MILLIS);
                assertThat(m.refreshIfChanged()).isTrue();
                assertThat(lookup(m.table(), "2001:db8:100::1")).isEqualTo(down);

                // An address removed: it is no longer local, its subnet route goes too.
                sh(ns, "ip addr del 198.51.100.1/24 dev down1 && ip route add 198.51.100.0/24 dev up0");
                refreshUntilDumped(m);
                settle(m);
                assertThat(lookup(m.table(), "198.51.100.1")).isEqualTo(up);
                assertThat(lookup(m.table(), "10.20.30.40")).as("its gateway went with the subnet").isEqualTo(up);
                assertThat(m.counters()).containsEntry("errors", 0L).containsEntry("dump_failures", 0L);
                assertThat(m.counters().get("routes")).isEqualTo(m.table().routes());
            }
        }
    }

    /** Takes dumps until the notifications that setup caused are all taken. */
    private void settle(RouteMonitor m) {
        for (int i = 0; i < 20; i++) {
            now.addAndGet(RouteMonitor.MIN_DUMP_INTERVAL_MILLIS);
            if (!m.refreshIfChanged()) {
                return;
            }
        }
        throw new AssertionError("route notifications never stopped: " + m.counters());
    }

    /** Calls refreshIfChanged, the clock past the dump interval, until it dumps (10 s at most). */
    private void refreshUntilDumped(RouteMonitor m) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            now.addAndGet(RouteMonitor.MIN_DUMP_INTERVAL_MILLIS);
            if (m.refreshIfChanged()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no dump within 10 s: " + m.counters());
    }

    /** Waits (10 s at most) until the kernel's notification has reached the monitor's socket. */
    private static void waitForNotification(RouteMonitor m) throws InterruptedException {
        long before = m.counters().get("notifications");
        for (int i = 0; i < 1000; i++) {
            m.refreshIfChanged(); // drains; the dump waits for the clock
            if (m.counters().get("notifications") > before) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no rtnetlink notification within 10 s: " + m.counters());
    }

    private static int lookup(RouteTable t, String address) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        long[] h = FlowRecord.halves(a);
        return t.interfaceFor(a.getAddress().length == 4 ? FlowRecord.IPV4 : FlowRecord.IPV6, h[0], h[1]);
    }

    private static Map<String, Integer> ifindexes(NetNs ns) throws Exception {
        Map<String, Integer> m = new HashMap<>();
        for (JsonNode link : new ObjectMapper().readTree(ns.execOk("ip", "-j", "link"))) {
            m.put(link.get("ifname").asText(), link.get("ifindex").asInt());
        }
        return m;
    }

    private static void sh(NetNs ns, String script) {
        ns.execOk("sh", "-c", script);
    }
}
