package net.pflowd.ifconfig;

import net.pflowd.control.ControlServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged ifconfig-all.jar (failsafe, after `package`): it holds the client and nothing of the daemon, and
 * runs on its own, with nothing else on the class path, against a control socket.
 */
class ThinJarIT {
    static final Path JAR = Path.of("target/ifconfig-all.jar");

    @TempDir
    Path dir;
    Path socket;
    ControlServer server;

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("ctl.sock");
        server = new ControlServer(ControlServer.Options.defaults(socket), new IfconfigMainTest.MemoryManager());
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void holdsTheClientAndNoneOfTheDaemon() throws IOException {
        List<String> entries;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            entries = Collections.list(jar.entries()).stream().map(ZipEntry::getName).toList();
        }
        assertThat(entries).contains("net/pflowd/ifconfig/IfconfigMain.class", "net/pflowd/control/ControlClient.class",
                "net/pflowd/control/StatusFormat.class", "picocli/CommandLine.class",
                "com/fasterxml/jackson/core/JsonFactory.class");
        for (String daemonOnly : List.of("com/sun/jna/", "org/slf4j/", "net/pflowd/linux/",
                "net/pflowd/daemon/", "net/pflowd/iface/", "net/pflowd/source/", "net/pflowd/export/",
                "net/pflowd/wire/", "net/pflowd/decode/", "net/pflowd/listen/",
                "net/pflowd/control/ControlServer", "net/pflowd/control/StateStore",
                // Jackson's data binding and its annotations: the client reads with the streaming layer alone.
                "com/fasterxml/jackson/databind/", "com/fasterxml/jackson/annotation/")) {
            assertThat(entries).as("nothing under " + daemonOnly).noneMatch(e -> e.startsWith(daemonOnly));
        }
    }

    /**
     * Class-data sharing archives only class files of Java 6 (50) or later: every class in the jar must be one,
     * picocli's included (its published jar is Java 5; the build compiles it from its sources).
     */
    @Test
    void everyClassIsOneClassDataSharingCanArchive() throws IOException {
        List<String> tooOld = new ArrayList<>();
        int classes = 0;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (ZipEntry e : Collections.list(jar.entries())) {
                if (!e.getName().endsWith(".class") || e.getName().startsWith("META-INF/")) {
                    continue;
                }
                classes++;
                try (var in = new java.io.DataInputStream(jar.getInputStream(e))) {
                    assertThat(in.readInt()).as(e.getName()).isEqualTo(0xCAFEBABE);
                    in.readUnsignedShort(); // minor
                    int major = in.readUnsignedShort();
                    if (major < 50) {
                        tooOld.add(e.getName() + " (" + major + ")");
                    }
                }
            }
        }
        assertThat(classes).isGreaterThan(100);
        assertThat(tooOld).isEmpty();
    }

    /**
     * A status call defines almost no class at run time: no dynamic proxy (annotations read reflectively) and
     * not the dozens of method-handle classes that picocli compiled with indy string concatenation spun (51 per
     * call): an archive cannot hold them, so each call would make them anew. The one or two left come from the
     * JDK's own NIO (the control client's Selector).
     */
    @Test
    void aStatusCallDefinesNoClassAtRunTime() throws Exception {
        ifconfig("pflow0", "create", "flowdst", "127.0.0.1:9996");
        Path log = dir.resolve("class-load.log");
        Run r = ifconfig(List.of("-Xlog:class+load=info:file=" + log), "pflow0");
        assertThat(r.exit()).isZero();
        List<String> loaded = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(loaded).anyMatch(l -> l.contains("net.pflowd.ifconfig.IfconfigMain "));
        assertThat(loaded).noneMatch(l -> l.contains("__dynamic_proxy__"));
        assertThat(loaded.stream().filter(l -> l.contains("__JVM_LookupDefineClass__")).count()).isLessThan(5);
    }

    @Test
    void runsAloneAgainstTheControlSocket() throws Exception {
        assertThat(ifconfig("pflow0", "create", "flowsrc", "127.0.0.1", "flowdst", "127.0.0.1:9996"))
                .isEqualTo(new Run(0, "", ""));
        assertThat(ifconfig("pflow0")).isEqualTo(new Run(0,
                "pflow0: flags=41<UP,RUNNING> mtu 1492\n"
                        + "\tindex 7 priority 0 llprio 3\n"
                        + "\tpflow: sender: 127.0.0.1 receiver: 127.0.0.1:9996 version: 5\n"
                        + "\tgroups: pflow\n", ""));
        assertThat(ifconfig("-v", "pflow0", "pflowproto", "9")).isEqualTo(new Run(0, "", ""));
        assertThat(ifconfig("--json", "-a").out()).startsWith("[{\"config\":{\"name\":\"pflow0\"")
                .contains("\"pflowproto\":9").endsWith("}]\n");
        assertThat(ifconfig("pflow0", "mtu", "9")).isEqualTo(new Run(1, "", "ifconfig: mtu 9: too small\n"));
    }

    record Run(int exit, String out, String err) {
    }

    private Run ifconfig(String... args) throws Exception {
        return ifconfig(List.of(), args);
    }

    private Run ifconfig(List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", JAR.toString(), "--socket", socket.toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ifconfig %s finished", List.of(args)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
