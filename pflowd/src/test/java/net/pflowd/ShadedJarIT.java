package net.pflowd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The packaged pflowd-all.jar (failsafe, after `package`): the daemon with its dependencies, and of Jackson only
 * the streaming layer. The data binding (~590 classes loaded at start, most of the daemon's start time) and its
 * annotations must not come back through a dependency.
 */
class ShadedJarIT {
    static final Path JAR = Path.of("target/pflowd-all.jar");

    @Test
    void holdsJacksonsStreamingLayerAndNotItsDataBinding() throws IOException {
        List<String> entries;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            entries = Collections.list(jar.entries()).stream().map(ZipEntry::getName).toList();
        }
        assertThat(entries).contains("net/pflowd/Main.class", "net/pflowd/control/ControlJson.class",
                "com/fasterxml/jackson/core/JsonFactory.class", "com/sun/jna/Native.class");
        for (String absent : List.of("com/fasterxml/jackson/databind/", "com/fasterxml/jackson/annotation/")) {
            assertThat(entries).as("nothing under " + absent).noneMatch(e -> e.startsWith(absent));
        }
    }
}
