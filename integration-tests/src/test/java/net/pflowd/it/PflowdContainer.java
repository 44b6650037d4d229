package net.pflowd.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.HostConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;

/**
 * The pflowd image as a user runs it: {@code docker run --cap-drop ALL --cap-add NET_ADMIN --device /dev/net/tun}.
 * {@link #withoutNetAdmin()} and {@link #withoutTun()} take one of the two away; {@link #withTcpdump()} adds what
 * {@code tcpdump -i pflow0} inside the container needs.
 *
 * <p>A container that exits at once counts as started (the entrypoint's refusals and, today, the placeholder
 * daemon do exactly that); {@link #awaitExit(Duration)} then gives its exit code.
 */
final class PflowdContainer extends GenericContainer<PflowdContainer> {
    private boolean netAdmin = true;
    private boolean tun = true;
    private final List<Capability> extraCapabilities = new ArrayList<>();

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
            host.withCapDrop(Capability.ALL).withCapAdd(add.toArray(new Capability[0]));
            if (tun) {
                host.withDevices(Device.parse("/dev/net/tun"));
            }
        });
    }

    PflowdContainer withoutNetAdmin() {
        netAdmin = false;
        return this;
    }

    PflowdContainer withoutTun() {
        tun = false;
        return this;
    }

    /** NET_RAW for the packet socket, SETUID and SETGID because Debian's tcpdump switches to user tcpdump. */
    PflowdContainer withTcpdump() {
        extraCapabilities.addAll(List.of(Capability.NET_RAW, Capability.SETUID, Capability.SETGID));
        return this;
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
