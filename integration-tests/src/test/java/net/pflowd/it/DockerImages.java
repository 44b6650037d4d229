package net.pflowd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The two images under test, built from the repository's Dockerfiles once per test JVM. The images keep stable
 * names and are not deleted at exit, so Docker's layer cache makes every build after the first take seconds (the
 * pflowd image's Maven dependencies are a layer keyed on the poms; a source change recompiles in the build stage).
 */
final class DockerImages {
    static final String PFLOWD = "pflowd-it/pflowd:latest";
    static final String COLLECTOR = "pflowd-it/collector:latest";

    private static ImageFromDockerfile pflowd;
    private static ImageFromDockerfile collector;

    private DockerImages() {
    }

    /** The checkout's top directory, passed in by surefire (see integration-tests/pom.xml). */
    static Path repositoryRoot() {
        String root = System.getProperty("pflowd.repo");
        Path path = Paths.get(root != null ? root : "..").toAbsolutePath().normalize();
        assertThat(path.resolve("Dockerfile")).as("repository root with the Dockerfile").isRegularFile();
        return path;
    }

    /**
     * Fails (never skips) when no Docker engine answers: CI must run these tests. The message says how to get one.
     */
    static void requireDockerEngine() {
        assertThat(DockerClientFactory.instance().isDockerAvailable())
                .as("a Docker engine must be reachable for the integration tests; on a fresh machine run"
                        + " .ci/docker-setup.sh (as root) first")
                .isTrue();
    }

    static synchronized ImageFromDockerfile pflowd() {
        if (pflowd == null) {
            Path root = repositoryRoot();
            // Behind a TLS-intercepting proxy the build stage must trust the proxy's CA to reach Maven Central:
            // the host's extra CAs go where the Dockerfile takes them from (docker/ca-certificates, git-ignored).
            // Copied into the checkout, not added to the context: with withDockerfile() the context is the
            // directory itself, and Testcontainers would block writing extra files to a stream nobody reads.
            for (Path ca : hostExtraCaCertificates()) {
                copyIfChanged(ca, root.resolve("docker/ca-certificates").resolve(ca.getFileName()));
            }
            // The root Dockerfile builds everything itself (multi-stage); its context is the checkout filtered
            // by the root .dockerignore (poms and main sources), as `docker build .` sends it.
            pflowd = new ImageFromDockerfile(PFLOWD, false).withDockerfile(root.resolve("Dockerfile"));
        }
        return pflowd;
    }

    private static List<Path> hostExtraCaCertificates() {
        Path dir = Paths.get("/usr/local/share/ca-certificates");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".crt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Leaves an identical file alone, so that Docker's layer cache still holds. */
    private static void copyIfChanged(Path from, Path to) {
        try {
            if (Files.isRegularFile(to) && Files.mismatch(from, to) == -1) {
                return;
            }
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    static synchronized ImageFromDockerfile collector() {
        if (collector == null) {
            collector = new ImageFromDockerfile(COLLECTOR, false)
                    .withFileFromPath(".", repositoryRoot().resolve("docker/collector"));
        }
        return collector;
    }
}
