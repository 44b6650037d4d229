package net.pflowd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.MountableFile;

/**
 * The Debian package as an operator uses it, in a fresh Debian 12 container that runs systemd as PID 1 (image
 * integration-tests/src/test/resources/debian-host: the package's dependencies are in apt's cache, not
 * installed). One container, in order:
 * <ol>
 * <li>{@code apt-get install ./pflowd_*.deb} without net-tools: the dependencies come with it, /sbin/ifconfig is
 * pflowd's (diverted), {@code systemd-analyze verify} accepts the unit, {@code man --warnings} renders both pages
 * without a warning;</li>
 * <li>{@code systemctl enable --now pflowd} with /etc/pflowd.conf: when it returns (Type=notify: after READY=1)
 * pflow0 is already UP,RUNNING under the unit's hardening;</li>
 * <li>a connection ends ({@code conntrack -D}) and its two records wait in pflow0 (hold timeout 300 s); the metrics
 * endpoint equals {@code ifconfig -v --json}, counter by counter;</li>
 * <li>{@code systemctl reload} after an edit of /etc/pflowd.conf: pflow0 changes version, pflow1 appears, and the
 * pending records reach the collector ({@code pflowd listen}) at once, flushed by the change; a bad file
 * changes nothing and logs an error the journal files at priority err;</li>
 * <li>net-tools installed afterwards is diverted: {@code ifconfig lo} reaches it, {@code ifconfig pflow0} stays
 * ours; bash completion asks the daemon for the interface names;</li>
 * <li>{@code systemctl stop} sends what was pending; removal gives /sbin/ifconfig back to net-tools, purge removes
 * /var/lib/pflowd;</li>
 * <li>installed again with net-tools present and run without systemd: {@code ifconfig pflow0 create ...}.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianPackageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String IMAGE = "pflowd-it/debian-host:latest";
    private static final String COLLECTOR = "127.0.0.1:9995";
    private static final String METRICS = "127.0.0.1:9134";
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{(\\w+)=\"([^\"]*)\"\\} (\\S+)$", Pattern.MULTILINE);

    private static GenericContainer<?> host;
    private static String debName;

    /** The package the reactor built: ifconfig-cli/target/pflowd_*_all.deb, exactly one. */
    static Path builtPackage() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(
                DockerImages.repositoryRoot().resolve("ifconfig-cli/target"), "pflowd_*_all.deb")) {
            ds.forEach(found::add);
        }
        assertThat(found).as("ifconfig-cli/target/pflowd_*_all.deb, built by `mvn package` before this module")
                .hasSize(1);
        return found.get(0);
    }

    @BeforeAll
    static void start() throws Exception {
        DockerImages.requireDockerEngine();
        Path deb = builtPackage();
        debName = deb.getFileName().toString();
        ImageFromDockerfile image = new ImageFromDockerfile(IMAGE, false)
                .withFileFromPath(".", DockerImages.repositoryRoot()
                        .resolve("integration-tests/src/test/resources/debian-host"));
        host = new GenericContainer<>(image)
                .withEnv("container", "docker")
                .withCopyFileToContainer(MountableFile.forHostPath(deb), "/root/" + debName)
                .withCreateContainerCmdModifier(cmd -> {
                    // systemd as PID 1: its own cgroup tree (the host's, writable), /run on tmpfs, and the mounts
                    // its sandboxing options need (CAP_SYS_ADMIN, no AppArmor or seccomp profile in the way).
                    HostConfig h = cmd.getHostConfig();
                    h.withCapAdd(Capability.SYS_ADMIN, Capability.NET_ADMIN, Capability.NET_RAW)
                            .withDevices(Device.parse("/dev/net/tun"))
                            .withTmpFs(Map.of("/run", "rw", "/run/lock", "rw"))
                            .withBinds(new Bind("/sys/fs/cgroup", new Volume("/sys/fs/cgroup")))
                            .withCgroupnsMode("host")
                            .withSecurityOpts(List.of("apparmor=unconfined", "seccomp=unconfined"));
                });
        host.start();
        // Until systemd's bus socket exists systemctl prints nothing; then --wait blocks until boot is over.
        String state = run("for i in $(seq 150); do s=$(systemctl is-system-running --wait 2>/dev/null);"
                + " [ -n \"$s\" ] && break; sleep 0.2; done; echo \"$s\"").strip();
        assertThat(state).as("systemd as PID 1 (PID 1 is %s; failed units: %s; log: %s)", run("cat /proc/1/comm"),
                run("systemctl --failed --no-legend 2>&1 || true"), host.getLogs()).isIn("running", "degraded");
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.stop();
        }
    }

    /** A shell line in the container that must exit 0; its stdout. */
    private static String run(String script) {
        return Exec.bash(host, script);
    }

    private static ExecResult attempt(String script) throws Exception {
        return host.execInContainer("bash", "-c", script);
    }

    @Test
    @Order(1)
    void installsWithItsDependenciesAndDivertsIfconfig() throws Exception {
        assertThat(attempt("command -v java nft").getExitCode()).as("java and nft before the package").isNotZero();
        run("apt-get install -y -q --no-install-recommends /root/" + debName);
        assertThat(run("dpkg-query -W -f '${Status} ${Depends}' pflowd"))
                .startsWith("install ok installed").contains("openjdk-17-jre-headless", "nftables");
        run("command -v java nft");
        assertThat(run("dpkg-divert --list /sbin/ifconfig"))
                .contains("diversion of /sbin/ifconfig to /sbin/ifconfig.net-tools by pflowd");
        assertThat(run("dpkg -S /sbin/ifconfig")).endsWith("\npflowd: /sbin/ifconfig\n");
        // No net-tools: a non-pflow interface has nowhere to go, and says so.
        ExecResult lo = attempt("ifconfig lo");
        assertThat(lo.getExitCode()).isEqualTo(1);
        assertThat(lo.getStderr().strip()).isEqualTo("ifconfig: lo: not a pflow interface and no system ifconfig found");
        assertThat(run("grep -v '^#' /etc/pflowd.conf | grep -v '^$' || true")).as("conffile all commented").isEmpty();
        assertThat(run("cat /var/lib/dpkg/info/pflowd.conffiles")).contains("/etc/pflowd.conf");
    }

    @Test
    @Order(2)
    void unitVerifiesAndManPagesRenderWithoutWarnings() {
        assertThat(run("systemd-analyze verify /lib/systemd/system/pflowd.service 2>&1")).isEmpty();
        for (String page : new String[] {"/usr/share/man/man8/pflowd.8.gz", "/usr/share/man/man4/pflow.4.gz"}) {
            assertThat(run("MANWIDTH=80 man --warnings -l " + page + " 2>&1 >/dev/null")).as(page).isEmpty();
        }
        assertThat(run("man -w pflowd; man -w 4 pflow")).contains("pflowd.8.gz", "pflow.4.gz");
        assertThat(run("MANWIDTH=80 man pflowd | col -b")).contains("--metrics ADDR:PORT", "SIGHUP");
    }

    @Test
    @Order(3)
    void startsReadyWithTheConfiguredInterfaceUp() throws Exception {
        // The collector for the whole test, up before pflow0: IPFIX and v9 data need the templates sent at start.
        run("(timeout 900 pflowd listen " + COLLECTOR + " >/tmp/collector.json 2>/tmp/collector.err &)");
        Exec.await(host, WAIT, "pflowd listen on " + COLLECTOR, out -> out.contains("listening on"),
                "cat", "/tmp/collector.err");
        run("printf '%s\\n' 'pflow0 flowdst " + COLLECTOR + " pflowproto 10' 'set metrics " + METRICS + "'"
                + " 'set hold-timeout 300' >> /etc/pflowd.conf");
        run("systemctl enable --now pflowd");
        // Type=notify: `systemctl start` returned after READY=1, so the interface and the socket are there now.
        assertThat(run("ifconfig pflow0")).startsWith("pflow0: flags=41<UP,RUNNING> mtu 1448\n")
                .contains("\tpflow: receiver: " + COLLECTOR + " version: 10\n");
        assertThat(run("systemctl show -p ActiveState -p SubState -p StatusText pflowd"))
                .contains("ActiveState=active", "SubState=running",
                        "StatusText=1 interface(s), 1 running; source conntrack");
        // The hardening held: only CAP_NET_ADMIN and CAP_NET_RAW (bits 12, 13), no new privileges, and a
        // read-only /usr in the service's mount namespace (ProtectSystem=strict).
        String pid = run("systemctl show -p MainPID --value pflowd").strip();
        assertThat(run("grep -E '^(CapEff|CapBnd|NoNewPrivs):' /proc/" + pid + "/status"))
                .isEqualTo("CapEff:\t0000000000003000\nCapBnd:\t0000000000003000\nNoNewPrivs:\t1\n");
        assertThat(run("nsenter -t " + pid + " -m touch /usr/pflowd-probe 2>&1 || true"))
                .contains("Read-only file system");
        assertThat(run("journalctl -u pflowd -o cat --no-pager")).contains("pflowd running: source conntrack");
        assertThat(run("journalctl -u pflowd -p warning -o cat --no-pager")).as("warnings or errors").isEmpty();
    }

    /** One connection to the metrics port, ended at once with conntrack -D: its records go to pflow0. */
    private static void endOneConnection() throws Exception {
        run("exec 3<>/dev/tcp/127.0.0.1/9134; printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3 >/dev/null");
        run("conntrack -D -p tcp --orig-port-dst 9134 2>&1");
    }

    private static long flowsIn(String ifconfigJson) {
        try {
            return JSON.readTree(ifconfigJson).get(0).get("statistics").get("flows").asLong();
        } catch (IOException e) {
            throw new AssertionError(ifconfigJson, e);
        }
    }

    private static long statistic(String name, String key) throws Exception {
        return JSON.readTree(run("ifconfig --json " + name)).get(0).get("statistics").get(key).asLong();
    }

    @Test
    @Order(4)
    void metricsEqualIfconfigCounters() throws Exception {
        endOneConnection();
        Exec.await(host, WAIT, "two records pending on pflow0", out -> out.contains("flows 2 "), "ifconfig", "-v", "pflow0");
        assertThat(statistic("pflow0", "export.records-sent")).as("still pending (hold timeout 300 s)").isZero();
        // Counters move (the scrape itself is a connection): compare a scrape taken between two equal readings.
        for (int attempt = 0; ; attempt++) {
            String before = run("ifconfig -v --json");
            String metrics = run("exec 3<>/dev/tcp/127.0.0.1/9134;"
                    + " printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3");
            String after = run("ifconfig -v --json");
            if (before.equals(after)) {
                assertMetricsMatch(JSON.readTree(before), metrics);
                return;
            }
            assertThat(attempt).as("counters kept changing during 5 scrapes").isLessThan(5);
        }
    }

    private static void assertMetricsMatch(JsonNode statuses, String exposition) {
        Map<String, Double> samples = new HashMap<>();
        Matcher m = SAMPLE.matcher(exposition);
        while (m.find()) {
            samples.put(m.group(1) + "{" + m.group(2) + "=" + m.group(3) + "}", Double.parseDouble(m.group(4)));
        }
        assertThat(statuses).hasSize(1);
        JsonNode stats = statuses.get(0).get("statistics");
        assertThat(stats.size()).isGreaterThan(20);
        for (Iterator<Map.Entry<String, JsonNode>> it = stats.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String sample;
            if (key.startsWith("conntrack.")) {
                String name = "pflowd_source_" + key.substring("conntrack.".length()).replaceAll("[^a-z0-9]+", "_");
                sample = (samples.containsKey(name + "{source=conntrack}") ? name : name + "_total") + "{source=conntrack}";
            } else {
                sample = "pflowd_" + key.replaceAll("[^a-z0-9]+", "_") + "_total{interface=pflow0}";
            }
            assertThat(samples).as("metric for ifconfig's %s in:\n%s", key, exposition).containsKey(sample);
            assertThat(samples.get(sample)).as(sample).isEqualTo(e.getValue().asDouble());
        }
        assertThat(samples.get("pflowd_flows_total{interface=pflow0}")).isEqualTo(2.0);
        assertThat(samples.get("pflowd_interface_running{interface=pflow0}")).isEqualTo(1.0);
    }

    @Test
    @Order(5)
    void reloadAppliesTheEditFlushingPendingRecords() throws Exception {
        run("sed -i 's/^pflow0 .*/pflow0 flowdst " + COLLECTOR + " pflowproto 9/' /etc/pflowd.conf");
        run("echo 'pflow1 flowdst 127.0.0.1:9996 down' >> /etc/pflowd.conf");
        run("systemctl reload pflowd");
        Exec.await(host, Duration.ofSeconds(20), "pflow1 after the reload", out -> out.contains("pflow1:"),
                "ifconfig", "-a");
        assertThat(run("ifconfig pflow0")).contains("version: 9");
        assertThat(run("ifconfig pflow1")).startsWith("pflow1: flags=0<>");
        // The two pending IPFIX records left when pflow0 changed: within seconds, not the 300 s hold timeout.
        String records = Exec.await(host, Duration.ofSeconds(20), "the flushed records at the collector",
                out -> out.lines().count() >= 2, "cat", "/tmp/collector.json");
        assertThat(records.lines().count()).as("records at the collector").isEqualTo(2);
        for (String line : records.strip().split("\n")) {
            JsonNode r = JSON.readTree(line);
            assertThat(r.get("version").asInt()).isEqualTo(10);
            assertThat(r.get("proto").asInt()).isEqualTo(6);
            assertThat(List.of(r.get("sport").asInt(), r.get("dport").asInt())).contains(9134);
        }
        assertThat(run("systemctl show -p ActiveState -p StatusText pflowd"))
                .contains("ActiveState=active", "StatusText=2 interface(s), 1 running");

        // A bad line: nothing changes, the error reaches the journal as an error.
        run("echo 'pflow2 pflowproto 7' >> /etc/pflowd.conf && systemctl reload pflowd");
        Exec.await(host, Duration.ofSeconds(20), "the reload error in the journal", out -> out.contains("reload:"),
                "journalctl", "-u", "pflowd", "-p", "err", "-o", "cat", "--no-pager");
        assertThat(run("journalctl -u pflowd -p err -o cat --no-pager")).contains(
                "DaemonCommand: reload: /etc/pflowd.conf:", "Invalid pflow protocol: 7; the running configuration is unchanged");
        assertThat(run("ifconfig -a")).doesNotContain("pflow2");
        run("sed -i '/^pflow2 /d' /etc/pflowd.conf");
    }

    @Test
    @Order(6)
    void netToolsInstalledLaterIsDivertedAndCompletionAsksTheDaemon() throws Exception {
        run("apt-get install -y -q --no-install-recommends net-tools");
        run("test -x /sbin/ifconfig.net-tools");
        assertThat(run("dpkg -S /sbin/ifconfig")).containsPattern("\n(pflowd, net-tools|net-tools, pflowd): /sbin/ifconfig\n$");
        assertThat(run("ifconfig lo")).startsWith("lo: flags=73<UP,LOOPBACK,RUNNING>").contains("inet 127.0.0.1");
        assertThat(run("ifconfig pflow0")).startsWith("pflow0: flags=41<UP,RUNNING>");
        String completion = run("source /usr/share/bash-completion/bash_completion; complete -p ifconfig;"
                + " COMP_WORDS=(ifconfig pf); COMP_CWORD=1; _pflowd_ifconfig; echo \"${COMPREPLY[@]}\";"
                + " COMP_WORDS=(ifconfig pflow0 pflowp); COMP_CWORD=2; _pflowd_ifconfig; echo \"${COMPREPLY[@]}\";"
                + " _completion_loader pflowd; COMP_WORDS=(pflowd --met); COMP_CWORD=1; _pflowd; echo \"${COMPREPLY[@]}\"");
        assertThat(completion.split("\n")).containsExactly("complete -F _pflowd_ifconfig ifconfig",
                "pflow0 pflow1", "pflowproto", "--metrics");
    }

    @Test
    @Order(7)
    void stopSendsPendingRecordsAndRemovalRestoresNetTools() throws Exception {
        long flows = statistic("pflow0", "flows");
        endOneConnection();
        // At least two: earlier scrapes leave TIME_WAIT connections that may end meanwhile.
        Exec.await(host, WAIT, "two more records pending on pflow0", out -> flowsIn(out) >= flows + 2,
                "ifconfig", "--json", "pflow0");
        run("systemctl stop pflowd");
        assertThat(run("systemctl show -p ActiveState -p ExecMainStatus pflowd"))
                .contains("ActiveState=inactive", "ExecMainStatus=0");
        String records = Exec.await(host, Duration.ofSeconds(20), "the records sent at stop",
                out -> out.lines().count() >= 4, "cat", "/tmp/collector.json");
        for (String line : records.strip().lines().skip(2).toList()) {
            assertThat(JSON.readTree(line).get("version").asInt()).isEqualTo(9);
        }
        assertThat(attempt("ip link show pflow0").getExitCode()).as("pflow0 removed at stop").isNotZero();

        run("apt-get remove -y -q pflowd");
        assertThat(run("dpkg-divert --list /sbin/ifconfig")).isEmpty();
        assertThat(run("dpkg -S /sbin/ifconfig")).isEqualTo("net-tools: /sbin/ifconfig\n");
        assertThat(run("ifconfig lo")).startsWith("lo: flags=73<UP,LOOPBACK,RUNNING>");
        run("test -f /var/lib/pflowd/interfaces.json");
        run("apt-get purge -y -q pflowd");
        assertThat(attempt("test -e /var/lib/pflowd").getExitCode()).as("state directory after purge").isNotZero();
        assertThat(attempt("test -e /var/cache/pflowd").getExitCode()).as("cache directory after purge").isNotZero();
    }

    @Test
    @Order(8)
    void installsOverNetToolsAndRunsWithoutSystemd() throws Exception {
        run("apt-get install -y -q --no-install-recommends /root/" + debName);
        assertThat(run("dpkg-divert --list /sbin/ifconfig")).contains("by pflowd");
        assertThat(run("ifconfig lo")).startsWith("lo: flags=73<UP,LOOPBACK,RUNNING>");
        run("(setsid pflowd --source none >/tmp/pflowd.log 2>&1 & echo $! >/tmp/pflowd.pid)");
        Exec.await(host, WAIT, "the daemon's control socket", out -> out.contains("pflowd.sock"),
                "bash", "-c", "ls /run/pflowd/ 2>&1 || true");
        run("ifconfig pflow0 create flowdst " + COLLECTOR + " pflowproto 5");
        assertThat(run("ifconfig pflow0")).startsWith("pflow0: flags=41<UP,RUNNING> mtu 1492\n")
                .contains("\tpflow: receiver: " + COLLECTOR + " version: 5\n");
        run("pid=$(cat /tmp/pflowd.pid); kill -TERM $pid; for i in $(seq 100); do kill -0 $pid 2>/dev/null || exit 0;"
                + " sleep 0.1; done; exit 1");
        assertThat(run("cat /tmp/pflowd.log")).contains("INFO DaemonCommand: pflowd stopped");
    }
}
