package net.pflowd.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.pflowd.linux.Errno;
import net.pflowd.linux.If;
import net.pflowd.os.ErrnoException;
import net.pflowd.testutil.NetNs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Privileged: TUN lifecycle in a fresh network namespace. Devices are created on a thread inside the namespace
 * (NetNs.call); every other method is called from the test thread, which stays in the host namespace: the
 * device must keep acting on its own namespace.
 */
class TunDeviceTest {
    private static NetNs ns;

    @BeforeAll
    static void namespace() {
        ns = NetNs.create("iface");
    }

    @AfterAll
    static void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    private static TunDevice createInNs(String name) throws Exception {
        return ns.call(() -> TunDevice.create(name));
    }

    private static boolean linkExists(String name) {
        return ns.exec("ip", "link", "show", "dev", name).exitCode() == 0;
    }

    @Test
    void createMakesATunWithTheExactNameAndCloseRemovesIt() throws Exception {
        TunDevice dev = createInNs("pflow4711");
        try {
            assertThat(dev.name()).isEqualTo("pflow4711");
            String details = ns.execOk("ip", "-d", "link", "show", "dev", "pflow4711");
            assertThat(details).contains("pflow4711:").contains("tun type tun pi off").contains("persist off");
            assertThat(Integer.parseInt(ns.execOk("cat", "/sys/class/net/pflow4711/ifindex").trim()))
                    .isEqualTo(dev.ifindex());
            // Created in the namespace, not in the host namespace the test thread lives in.
            assertThat(NetNs.runCommand(List.of("ip", "link", "show", "dev", "pflow4711")).exitCode()).isNotZero();
            assertThat(Path.of("/proc/sys/net/ipv4/conf/pflow4711")).doesNotExist();
        } finally {
            dev.close();
        }
        assertThat(linkExists("pflow4711")).isFalse();
        dev.close(); // idempotent
        assertThatThrownBy(dev::flags).isInstanceOf(IfaceException.class)
                .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.EBADF);
    }

    @Test
    void startsDownPointToPointNoarpWithoutMulticastAndGoesUpAndDown() throws Exception {
        try (TunDevice dev = createInNs("pflow0")) {
            int flags = dev.flags();
            assertThat(flags & If.IFF_UP).isZero();
            assertThat(flags & If.IFF_POINTOPOINT).isNotZero();
            assertThat(flags & If.IFF_NOARP).isNotZero();
            assertThat(flags & If.IFF_MULTICAST).isZero();
            assertThat(ns.execOk("ip", "link", "show", "dev", "pflow0")).contains("state DOWN");

            dev.setUp(true);
            assertThat(dev.isUp()).isTrue();
            assertThat(dev.flags() & If.IFF_RUNNING).isNotZero(); // carrier: our descriptor is attached
            assertThat(ns.execOk("ip", "link", "show", "dev", "pflow0")).contains(",UP,");

            dev.setUp(false);
            assertThat(dev.isUp()).isFalse();
            assertThat(ns.execOk("ip", "link", "show", "dev", "pflow0")).doesNotContain(",UP");
        }
    }

    @Test
    void mtuIsTheKernelInterfaceMtu() throws Exception {
        try (TunDevice dev = createInNs("pflow0")) {
            assertThat(dev.mtu()).isEqualTo(1500);
            dev.setMtu(1400);
            assertThat(dev.mtu()).isEqualTo(1400);
            assertThat(ns.execOk("ip", "link", "show", "dev", "pflow0")).contains(" mtu 1400 ");
            assertThat(ns.execOk("cat", "/sys/class/net/pflow0/mtu").trim()).isEqualTo("1400");

            assertThatThrownBy(() -> dev.setMtu(10)).isInstanceOf(IfaceException.class)
                    .hasMessageStartingWith("pflow0: cannot set mtu 10: ")
                    .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.EINVAL);
            assertThat(dev.mtu()).isEqualTo(1400);
        }
    }

    @Test
    void twoDevicesAtOnce() throws Exception {
        try (TunDevice a = createInNs("pflow0")) {
            try (TunDevice b = createInNs("pflow1")) {
                assertThat(a.ifindex()).isNotEqualTo(b.ifindex());
                a.setUp(true);
                assertThat(a.isUp()).isTrue();
                assertThat(b.isUp()).isFalse();
                b.setMtu(1300);
                assertThat(a.mtu()).isEqualTo(1500);
                assertThat(linkExists("pflow0")).isTrue();
                assertThat(linkExists("pflow1")).isTrue();
            }
            assertThat(linkExists("pflow1")).isFalse();
            assertThat(linkExists("pflow0")).isTrue();
            assertThat(a.isUp()).isTrue();
        }
        assertThat(linkExists("pflow0")).isFalse();
    }

    @Test
    void anExistingNameIsAnErrorAndLeavesTheOwnerAlone() throws Exception {
        try (TunDevice first = createInNs("pflow0")) {
            first.setUp(true);
            assertThatThrownBy(() -> createInNs("pflow0")).isInstanceOf(IfaceException.class)
                    .hasMessage("pflow0: cannot create: interface exists")
                    .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.EEXIST);
            assertThat(first.isUp()).isTrue();
            assertThat(linkExists("pflow0")).isTrue();
        }
    }

    @Test
    void neverAttachesToAPersistentTunOrAnotherKindOfInterface() throws Exception {
        // TUNSETIFF alone would silently attach to a persistent TUN of that name instead of creating one.
        ns.execOk("ip", "tuntap", "add", "dev", "pflow5", "mode", "tun");
        ns.execOk("ip", "link", "add", "pflow6", "type", "bridge");
        try {
            for (String name : List.of("pflow5", "pflow6")) {
                assertThatThrownBy(() -> createInNs(name)).isInstanceOf(IfaceException.class)
                        .hasMessage(name + ": cannot create: interface exists");
            }
            assertThat(ns.execOk("ip", "-d", "link", "show", "dev", "pflow5")).contains("persist on");
        } finally {
            ns.exec("ip", "link", "del", "pflow5");
            ns.exec("ip", "link", "del", "pflow6");
        }
    }

    @Test
    void missingCloneDeviceIsAnErrorWithThePathAndErrno() throws Exception {
        Path missing = Path.of("/nonexistent-" + ns.name() + "/net/tun");
        assertThatThrownBy(() -> ns.call(() -> TunDevice.create("pflow0", missing)))
                .isInstanceOf(IfaceException.class)
                .hasMessage("pflow0: cannot create: " + missing + ": No such file or directory")
                .isInstanceOfSatisfying(ErrnoException.class, e -> { // the OS layer's type: errno and subject kept
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.subject()).isEqualTo("pflow0");
                })
                .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.ENOENT);
        assertThat(linkExists("pflow0")).isFalse();
    }

    @Test
    void invalidNamesAreRefusedBeforeTheKernelIsAsked() {
        for (String bad : new String[] {"", "pflow0123456789x", "pflow%d", "a/b", "a:b", "pf low", ".", ".."}) {
            assertThatThrownBy(() -> TunDevice.create(bad)).as(bad).isInstanceOf(IfaceException.class)
                    .hasMessageContaining("invalid interface name")
                    .extracting(e -> ((IfaceException) e).errno()).isEqualTo(0);
        }
    }

    @Test
    void safetySettingsLandInTheDevicesNamespaceAndNoAddressAppears() throws Exception {
        try (TunDevice dev = createInNs("pflow0")) {
            dev.setUp(true);
            assertThat(sysctl("net.ipv6.conf.pflow0.disable_ipv6")).isEqualTo("1");
            assertThat(sysctl("net.ipv6.conf.pflow0.accept_ra")).isEqualTo("0");
            assertThat(sysctl("net.ipv6.conf.pflow0.autoconf")).isEqualTo("0");
            assertThat(sysctl("net.ipv6.conf.pflow0.forwarding")).isEqualTo("0");
            assertThat(sysctl("net.ipv4.conf.pflow0.forwarding")).isEqualTo("0");
            assertThat(sysctl("net.ipv4.conf.pflow0.rp_filter")).isEqualTo("1");
            assertThat(sysctl("net.ipv4.conf.pflow0.accept_local")).isEqualTo("0");
            assertThat(sysctl("net.ipv4.conf.pflow0.route_localnet")).isEqualTo("0");
            assertThat(sysctl("net.ipv4.conf.pflow0.accept_source_route")).isEqualTo("0");
            assertThat(sysctl("net.ipv4.conf.pflow0.accept_redirects")).isEqualTo("0");
            assertThat(sysctl("net.ipv4.conf.pflow0.send_redirects")).isEqualTo("0");
            // Up, and still no address of either family (no IPv6 link-local either).
            assertThat(ns.execOk("ip", "addr", "show", "dev", "pflow0")).doesNotContain("inet");
            assertThat(ns.execOk("ip", "route", "show", "table", "all", "dev", "pflow0")).isBlank();
            assertThat(ns.execOk("ip", "-6", "route", "show", "table", "all", "dev", "pflow0")).isBlank();
            // The test thread (host namespace) sees no such interface in its own /proc/sys.
            assertThat(Files.exists(Path.of("/proc/sys/net/ipv6/conf/pflow0/disable_ipv6"))
                    && Files.readString(Path.of("/sys/class/net/pflow0/ifindex")).trim()
                            .equals(Integer.toString(dev.ifindex()))).isFalse();
        }
    }

    private static String sysctl(String key) {
        return ns.execOk("sysctl", "-n", key).trim();
    }
}
