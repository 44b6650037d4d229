package net.pflowd.source.conntrack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** A network namespace of the tests' own, deleted (with its interfaces, rules and entries) by close(). */
final class Netns implements AutoCloseable {
    final String name;
    private final List<Process> background = new ArrayList<>();

    Netns(String role) throws IOException {
        name = "conntrack-" + role + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        sh("ip netns add " + name);
        exec("ip link set lo up");
    }

    String path() {
        return "/run/netns/" + name;
    }

    /** Runs {@code cmd} inside the namespace; returns its output, fails on a non-zero exit. */
    String exec(String cmd) throws IOException {
        return sh("ip netns exec " + name + " sh -c '" + cmd.replace("'", "'\\''") + "'");
    }

    /** Starts {@code cmd} inside the namespace in the background; killed by close(). */
    Process spawn(String cmd) throws IOException {
        Process p = new ProcessBuilder("ip", "netns", "exec", name, "sh", "-c", cmd)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        background.add(p);
        return p;
    }

    static String sh(String cmd) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(cmd + ": interrupted");
        }
        String text = out.toString(StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(cmd + ": exit " + p.exitValue() + ": " + text);
        }
        return text;
    }

    @Override
    public void close() throws IOException {
        for (Process p : background) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        sh("ip netns del " + name);
    }
}
