package net.pflowd.it;

import java.time.Duration;
import java.util.function.Predicate;

import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

/** {@code docker exec} that must succeed: a failure names the container, the command and both outputs. */
final class Exec {
    private Exec() {
    }

    static String run(GenericContainer<?> container, String... command) {
        ExecResult r;
        try {
            r = container.execInContainer(command);
        } catch (Exception e) {
            throw new AssertionError(describe(container, command) + ": " + e, e);
        }
        if (r.getExitCode() != 0) {
            throw new AssertionError(describe(container, command) + " exited " + r.getExitCode()
                    + "\n--- stdout\n" + r.getStdout() + "--- stderr\n" + r.getStderr());
        }
        return r.getStdout();
    }

    /** A shell line ({@code bash -c}), for redirections and background jobs. */
    static String bash(GenericContainer<?> container, String script) {
        return run(container, "bash", "-c", script);
    }

    /** Runs {@code command} every 200 ms until its output satisfies {@code done}; fails with the last output. */
    static String await(GenericContainer<?> container, Duration timeout, String what, Predicate<String> done,
            String... command) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String out;
        while (true) {
            out = run(container, command);
            if (done.test(out)) {
                return out;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; "
                        + describe(container, command) + " last printed:\n" + out);
            }
            Thread.sleep(200);
        }
    }

    private static String describe(GenericContainer<?> container, String... command) {
        String name = container.getContainerName() == null ? "?" : container.getContainerName().replaceFirst("^/", "");
        return "docker exec " + name + " " + String.join(" ", command);
    }
}
