package net.pflowd.ifconfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The system's own ifconfig, for interfaces that are not pflowN. Never this program: a candidate that is (or
 * symlinks to) a launcher of this jar is skipped, since bin/ifconfig may be installed first on PATH or even as
 * /sbin/ifconfig; and {@link #GUARD} in the environment stops any loop that gets past that.
 */
final class SystemIfconfig {
    static final List<Path> CANDIDATES = List.of(Path.of("/sbin/ifconfig"), Path.of("/usr/sbin/ifconfig"),
            Path.of("/bin/ifconfig"));
    /**
     * Where a launcher says the system's ifconfig is, tried before {@link #CANDIDATES}: the Debian package's
     * /sbin/ifconfig sets it to the name net-tools' ifconfig is diverted to.
     */
    static final String LOCATION_ENV = "PFLOWD_SYSTEM_IFCONFIG";
    /** Set for the system ifconfig we start; if we see it, we were started by ourselves. */
    static final String GUARD = "PFLOWD_IFCONFIG_DELEGATED";
    /** What every launcher of this program mentions (bin/ifconfig runs ifconfig-all.jar). */
    static final String MARKER = "ifconfig-all.jar";

    private SystemIfconfig() {
    }

    /** {@code $PFLOWD_SYSTEM_IFCONFIG} when set, then {@code defaults}. */
    static List<Path> candidates(java.util.Map<String, String> env, List<Path> defaults) {
        String located = env.get(LOCATION_ENV);
        if (located == null || located.isEmpty()) {
            return defaults;
        }
        List<Path> all = new java.util.ArrayList<>();
        all.add(Path.of(located));
        all.addAll(defaults);
        return all;
    }

    /** The first candidate that exists, is executable and is not this program. */
    static Optional<Path> find(List<Path> candidates) {
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p) && !isThisProgram(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** A script (starts with #!) that mentions our jar; binaries are read only for their first bytes. */
    static boolean isThisProgram(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(8192);
            if (head.length < 2 || head[0] != '#' || head[1] != '!') {
                return false;
            }
            return new String(head, StandardCharsets.ISO_8859_1).contains(MARKER);
        } catch (IOException e) {
            return true; // unreadable: do not run what we cannot check
        }
    }

    /** Runs {@code exe args...} with our stdin/stdout/stderr; its exit status. */
    static int run(Path exe, List<String> args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(exe.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put(GUARD, "1");
        return pb.start().waitFor();
    }
}
