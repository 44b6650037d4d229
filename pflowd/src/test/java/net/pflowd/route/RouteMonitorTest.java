package net.pflowd.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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

    /**
     * The truth: for a table with nesting, metrics, unreachable and blackhole routes in both families, the kernel's
     * own answer ({@code ip route get}) for 400 addresses — inside each prefix, at random, the host's own — is the
     * answer of the table the monitor built: the interface it names, 0 where it says local or fails (unreachable).
     */
    @Test
    void answersAsTheKernelsOwnRouteLookupDoes() throws Exception {
        try (NetNs ns = NetNs.create(OWNER); NetNs peer = NetNs.create(OWNER)) {
            NetNs.runCommand(List.of("ip", "link", "add", "up0", "netns", ns.name(), "type", "veth", "peer", "name",
                    "p0", "netns", peer.name()));
            NetNs.runCommand(List.of("ip", "link", "add", "down1", "netns", ns.name(), "type", "veth", "peer", "name",
                    "p1", "netns", peer.name()));
            sh(peer, "ip link set p0 up && ip link set p1 up");
            sh(ns, "ip link set up0 up && ip link set down1 up"
                    + " && ip addr add 192.0.2.1/24 dev up0 && ip addr add 198.51.100.1/24 dev down1"
                    + " && ip -6 addr add 2001:db8:1::1/64 dev up0 nodad && ip -6 addr add 2001:db8:2::1/64 dev down1 nodad"
                    + " && ip route add default via 192.0.2.254"
                    + " && ip route add 10.0.0.0/8 via 198.51.100.254"
                    + " && ip route add 10.1.0.0/16 via 192.0.2.254"
                    + " && ip route add 10.1.2.0/24 via 198.51.100.254 metric 10"
                    + " && ip route add 10.1.2.0/24 via 192.0.2.253 metric 5"
                    + " && ip route add 10.1.2.128/25 via 198.51.100.253"
                    + " && ip route add unreachable 10.66.0.0/16"
                    + " && ip route add blackhole 10.67.0.0/16"
                    + " && ip route add 172.16.0.9/32 via 198.51.100.254"
                    + " && ip -6 route add default via 2001:db8:1::fe"
                    + " && ip -6 route add 2001:db8:100::/48 via 2001:db8:2::7"
                    + " && ip -6 route add 2001:db8:100:1::/64 via 2001:db8:1::7"
                    + " && ip -6 route add unreachable 2001:db8:200::/40");
            Map<String, Integer> index = ifindexes(ns);
            List<String> addresses = new ArrayList<>(List.of("192.0.2.1", "198.51.100.1", "127.0.0.5", "192.0.2.255",
                    "10.1.2.127", "10.1.2.128", "10.1.2.255", "10.1.3.0", "172.16.0.9", "172.16.0.8", "2001:db8:1::1",
                    "2001:db8:2::1", "::1", "2001:db8:100:1::", "2001:db8:100:0:ffff:ffff:ffff:ffff"));
            SplittableRandom rnd = new SplittableRandom(11);
            String[] v4 = {"10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.128/25", "10.66.0.0/16", "10.67.0.0/16",
                    "192.0.2.0/24", "198.51.100.0/24"};
            for (int i = 0; i < 240; i++) {
                String[] p = v4[rnd.nextInt(v4.length)].split("/");
                long base = FlowRecord.halves(InetAddress.getByName(p[0]))[1];
                long host = rnd.nextLong() & ((1L << (32 - Integer.parseInt(p[1]))) - 1);
                long a = i % 3 == 0 ? (1 + rnd.nextInt(223)) << 24 | rnd.nextInt(1 << 24) : base | host;
                if ((a >>> 24) == 127 || (a >>> 24) == 0) {
                    continue;
                }
                addresses.add(FlowRecord.address(FlowRecord.IPV4, 0, a).getHostAddress());
            }
            String[] v6 = {"2001:db8:100::", "2001:db8:100:1::", "2001:db8:200::", "2001:db8:1::", "2001:db8:2::"};
            for (int i = 0; i < 140; i++) {
                long[] h = FlowRecord.halves(InetAddress.getByName(v6[rnd.nextInt(v6.length)]));
                long hi = i % 4 == 0 ? 0x2000_0000_0000_0000L | rnd.nextLong() >>> 4 : h[0] | (rnd.nextLong() & 0xffffL);
                addresses.add(FlowRecord.address(FlowRecord.IPV6, hi, rnd.nextLong()).getHostAddress());
            }

            Map<String, Integer> kernel = routeGet(ns, addresses, index);
            try (RouteMonitor m = ns.call(() -> RouteMonitor.open(now::get))) {
                int nonZero = 0;
                for (String a : addresses) {
                    int expected = kernel.getOrDefault(InetAddress.getByName(a).getHostAddress(), 0);
                    assertThat(lookup(m.table(), a)).as("%s (ip route get: %s)", a, expected).isEqualTo(expected);
                    nonZero += expected != 0 ? 1 : 0;
                }
                assertThat(nonZero).as("the kernel named an interface for most addresses").isGreaterThan(200);
                assertThat(kernel.values()).contains(index.get("up0"), index.get("down1"), 0);
            }
        }
    }

    /**
     * {@code ip -j route get} for each address in one batch: the named interface's index, 0 for a local answer;
     * addresses the kernel cannot route (unreachable, blackhole) are missing.
     */
    private static Map<String, Integer> routeGet(NetNs ns, List<String> addresses, Map<String, Integer> index)
            throws Exception {
        StringBuilder batch = new StringBuilder();
        for (String a : addresses) {
            batch.append("route get ").append(a).append('\n');
        }
        Process p = ns.start("ip", "-j", "-force", "-batch", "-");
        p.getOutputStream().write(batch.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, Integer> answers = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode r = json.readTree(line).get(0);
            String dst = InetAddress.getByName(r.get("dst").asText()).getHostAddress(); // the form the caller uses
            boolean local = r.has("type") && r.get("type").asText().equals("local");
            answers.put(dst, local ? 0 : index.get(r.get("dev").asText()));
        }
        return answers;
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
