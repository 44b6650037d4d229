package net.pflowd.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;

/**
 * The pflowd image as a user runs it: {@code docker run --cap-drop ALL --cap-add NET_ADMIN --cap-add NET_RAW
 * --device /dev/net/tun --sysctl net.netfilter.nf_conntrack_acct=1 --sysctl net.netfilter.nf_conntrack_timestamp=1}.
 * {@link #withoutNetAdmin()}, {@link #withoutNetRaw()} and {@link #withoutTun()} take one of the three away; {@link #withTcpdump()} adds what
 * {@code tcpdump -i pflow0} inside the container needs; {@link #withStateVolume(String)} mounts a named volume
 * on /var/lib/pflowd.
 *
 * <p>The sysctls: Docker mounts /proc/sys read-only, so pflowd cannot turn conntrack accounting and timestamps on
 * itself; they are per network namespace and {@code docker run --sysctl} sets them for the container's.
 *
 * <p>A container that exits at once counts as started (the entrypoint's refusals do exactly that);
 * {@link #awaitExit(Duration)} then gives its exit code, {@link #awaitRunning(Duration)} waits for the daemon.
 */
final class PflowdContainer extends GenericContainer<PflowdContainer> {
    private boolean netAdmin = true;
    private boolean netRaw = true;
    private boolean tun = true;
    private final List<Capability> extraCapabilities = new ArrayList<>();
    private String stateVolume;

    /** What {@code docker run --sysctl} sets in every pflowd container (see the class comment). */
    static final Map<String, String> SYSCTLS = Map.of(
            "net.netfilter.nf_conntrack_acct", "1",
            "net.netfilter.nf_conntrack_timestamp", "1");

    PflowdContainer(Network network) {
        super(DockerImages.pflowd());
        if (network != null) {
            withNetwork(network);
        }
        withStartupCheckStrategy(new StartedOrExited().withTimeout(Duration.ofSeconds(60)));
        withCreateContainerCmdModifier(cmd -> {
            HostConfig host = cmd.getHostConfig();
            List<Capability> add = new ArrayList<>(extraCapabilities);
            if (netAdmin) {
                add.add(Capability.NET_ADMIN);
            }
            if (netRaw) {
                add.add(Capability.NET_RAW);
            }
            host.withCapDrop(Capability.ALL).withCapAdd(add.toArray(new Capability[0]));
            if (tun) {
                host.withDevices(Device.parse("/dev/net/tun"));
            }
            if (!"host".equals(host.getNetworkMode()) && (host.getNetworkMode() == null
                    || !host.getNetworkMode().startsWith("container:"))) {
                host.withSysctls(SYSCTLS); // Docker refuses net.* sysctls in a namespace the container does not own
            }
            if (stateVolume != null) {
                host.withBinds(new Bind(stateVolume, new Volume("/var/lib/pflowd")));
            }
        });
    }

    PflowdContainer withoutNetAdmin() {
        netAdmin = false;
        return this;
    }

    PflowdContainer withoutNetRaw() {
        netRaw = false;
        return this;
    }

    PflowdContainer withoutTun() {
        tun = false;
        return this;
    }

    /** SETUID and SETGID: Debian's tcpdump switches to user tcpdump (or, with -Z root, still sets its groups). */
    PflowdContainer withTcpdump() {
        extraCapabilities.addAll(List.of(Capability.SETUID, Capability.SETGID));
        return this;
    }

    /** Mounts the named volume {@code name} (created by Docker if missing) on the state directory. */
    PflowdContainer withStateVolume(String name) {
        stateVolume = name;
        return this;
    }

    /** Waits for the daemon's "pflowd running" log line; fails with the log if it exits or takes too long. */
    void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!getLogs().contains("pflowd running")) {
            InspectContainerResponse.ContainerState state = getDockerClient().inspectContainerCmd(getContainerId())
                    .exec().getState();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                throw new AssertionError("pflowd exited " + state.getExitCodeLong() + " before running; log:\n"
                        + getLogs());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pflowd not running after " + timeout + "; log:\n" + getLogs());
            }
            Thread.sleep(100);
        }
    }

    /** Stops the container the way {@code docker stop} does (SIGTERM) and returns the daemon's exit code. */
    long stopGracefully(Duration timeout) throws InterruptedException {
        getDockerClient().stopContainerCmd(getContainerId()).withTimeout((int) timeout.toSeconds()).exec();
        return awaitExit(timeout);
    }

    /** The container's IPv4 address on its (only) network. */
    String ipAddress() {
        return getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    /** Waits until the container has stopped and returns its exit code; fails if it still runs after timeout. */
    long awaitExit(Duration timeout) throws InterruptedException {
        DockerClient client = getDockerClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InspectContainerResponse.ContainerState state = client.inspectContainerCmd(getContainerId()).exec()
                    .getState();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                return state.getExitCodeLong();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("container still running after " + timeout + "; log:\n" + getLogs());
            }
            Thread.sleep(100);
        }
    }

    /** Started means the process ran: it may already have exited (with any code); only "created" waits. */
    private static final class StartedOrExited extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(DockerClient client, String containerId) {
            InspectContainerResponse.ContainerState state = getCurrentState(client, containerId);
            if (Boolean.TRUE.equals(state.getRunning()) || "exited".equals(state.getStatus())) {
                return StartupStatus.SUCCESSFUL;
            }
            return "created".equals(state.getStatus()) ? StartupStatus.NOT_YET_KNOWN : StartupStatus.FAILED;
        }
    }
}
