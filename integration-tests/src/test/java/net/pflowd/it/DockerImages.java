package net.pflowd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The two images under test, built from the repository's Dockerfiles once per test JVM. The images keep stable
 * names and are not deleted at exit, so Docker's layer cache makes every build after the first take seconds.
 *
 * <p>The pflowd image's build context is assembled file by file (the Dockerfile, docker/pflowd/ and the two
 * shaded jars), mirroring the root .dockerignore: nothing else of the checkout is sent to the engine.
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
            Path daemonJar = root.resolve("pflowd/target/pflowd-all.jar");
            Path ifconfigJar = root.resolve("ifconfig-cli/target/ifconfig-all.jar");
            for (Path jar : new Path[] {daemonJar, ifconfigJar}) {
                assertThat(Files.isRegularFile(jar))
                        .as("%s is built by `mvn package` before this module's tests (reactor order)", jar)
                        .isTrue();
            }
            pflowd = new ImageFromDockerfile(PFLOWD, false)
                    .withFileFromPath("Dockerfile", root.resolve("Dockerfile"))
                    .withFileFromPath("docker/pflowd", root.resolve("docker/pflowd"))
                    .withFileFromPath("pflowd/target/pflowd-all.jar", daemonJar)
                    .withFileFromPath("ifconfig-cli/target/ifconfig-all.jar", ifconfigJar);
        }
        return pflowd;
    }

    static synchronized ImageFromDockerfile collector() {
        if (collector == null) {
            collector = new ImageFromDockerfile(COLLECTOR, false)
                    .withFileFromPath(".", repositoryRoot().resolve("docker/collector"));
        }
        return collector;
    }
}
