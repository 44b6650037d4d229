package net.pflowd.control;

import net.pflowd.config.ConfigException;

import net.pflowd.config.InterfaceConfig;
import net.pflowd.config.IfconfigCommand;
import net.pflowd.config.ConfigFile;

import static net.pflowd.testutil.OneLineAssert.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Property-based tests of what a client, a user or a file can feed pflowd: the control protocol, the ifconfig
 * grammar, the configuration and state file readers. Whatever the input, the answer is a result or a typed
 * error whose message is one printable line of bounded length; never an exception of another kind.
 */
class ControlProtocolPropertiesTest {
    /** Words of the grammar, valid and nearly valid values, and hostile text. */
    @Provide
    Arbitrary<String> words() {
        return Arbitraries.oneOf(
                Arbitraries.of("pflow0", "pflow1", "pflow12", "create", "destroy", "up", "down", "flowsrc",
                        "-flowsrc", "flowdst", "-flowdst", "pflowproto", "mtu", "domain", "5", "9", "10", "7",
                        "1500", "71", "9217", "4294967295", "4294967296", "-1", "10.0.0.1", "10.0.0.2:2055",
                        "[2001:db8::1]:4739", "[::1]", "::1", "0.0.0.0:1", "256.1.1.1:1", "10.0.0.1:0",
                        "10.0.0.1:65536", "[::1", "eth0", "pflow"),
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("\n\r\t\u001b[]:.0123456789abcdef\u202e").ofMaxLength(40));
    }

    @Provide
    Arbitrary<List<String>> argvs() {
        return words().list().ofMaxSize(12);
    }

    @Property
    void ifconfigGrammarParsesOrRefusesInOneLine(@ForAll("argvs") List<String> argv) {
        try {
            IfconfigCommand cmd = IfconfigCommand.parse(argv);
            assertThat(InterfaceConfig.isPflowName(cmd.name())).isTrue();
            // What parsed prints back as a normalized vector that parses to the same command.
            assertThat(IfconfigCommand.parse(cmd.toArgv()).toArgv()).isEqualTo(cmd.toArgv());
            if (!cmd.isQuery()) {
                try {
                    cmd.applyTo(java.util.Optional.empty());
                } catch (ConfigException e) {
                    assertOneLine(e.getMessage());
                }
            }
        } catch (ConfigException e) {
            assertOneLine(e.getMessage());
            assertThat(e.getMessage()).startsWith("ifconfig: ");
        }
    }

    @Provide
    Arbitrary<String> requests() {
        Arbitrary<String> op = Arbitraries.of("\"list\"", "\"status\"", "\"apply\"", "\"reboot\"", "5", "null",
                "true", "[]", "{}");
        Arbitrary<String> args = argvs().map(a -> {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < a.size(); i++) {
                sb.append(i == 0 ? "" : ",").append('"')
                        .append(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(a.get(i)))
                        .append('"');
            }
            return sb.append(']').toString();
        });
        Arbitrary<String> wellFormed = Combinators.combine(op, args, Arbitraries.of("", ",\"op\":\"list\"",
                ",\"args\":[]", ",\"x\":1", ",\"args\":\"pflow0\"", ",\"args\":[1,2]"))
                .as((o, a, extra) -> "{\"op\":" + o + ",\"args\":" + a + extra + "}");
        return Arbitraries.oneOf(wellFormed, Arbitraries.strings().ofMaxLength(300),
                wellFormed.map(s -> s.substring(0, s.length() / 2)));
    }

    @Property
    void everyRequestGetsOneResponseAndOnlyRootChanges(@ForAll("requests") String line,
                                                        @ForAll boolean root) throws Exception {
        FakeInterfaceManager manager = new FakeInterfaceManager();
        ControlServer server = new ControlServer(ControlServer.Options.defaults(Path.of("/nonexistent")), manager);
        ControlProtocol.Response r = server.handle(line, root);
        assertThat(r).isNotNull();
        if (!r.ok()) {
            assertOneLine(r.error());
        }
        if (!root) {
            assertThat(manager.applied).isZero();
        }
        // The encoded response is itself one line of strict JSON that decodes to the same.
        String encoded = ControlProtocol.encode(r);
        assertThat(encoded).doesNotContain("\n");
        assertThat(ControlProtocol.decodeResponse(encoded)).isEqualTo(r);
    }

    @Provide
    Arbitrary<String> configLines() {
        Arbitrary<String> ifLine = argvs().map(a -> String.join(" ", a));
        Arbitrary<String> setLine = Arbitraries.of("set hold-timeout 10", "set source pfctl", "set", "set -x",
                "set a b c", "# comment", "", "   ", "pflow0 create", "pflow0", "pflow1 destroy");
        return Arbitraries.oneOf(ifLine, setLine);
    }

    @Property
    void configFileLoadsOrNamesTheLine(@ForAll @Size(max = 8) List<@net.jqwik.api.From("configLines") String> lines) {
        byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        try {
            ConfigFile f = ConfigFile.parse("/etc/pflowd.conf", bytes);
            assertThat(f.digest()).hasSize(64);
            for (InterfaceConfig c : f.interfaces()) {
                // Every interface of a loaded file is one that can be written back and read again as itself.
                ConfigFile again = ConfigFile.parse("x", c.toIfconfigLine().getBytes(StandardCharsets.UTF_8));
                assertThat(again.interfaces()).containsExactly(c);
            }
        } catch (ConfigException e) {
            assertOneLine(e.getMessage());
            assertThat(e.getMessage()).matches("/etc/pflowd\\.conf:[0-9]+: .*");
        }
    }

    @Property(tries = 200)
    void stateFileLoadsOrRefusesInOneLine(@ForAll("stateDocuments") String doc) throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("pflowd-state-prop");
        try {
            java.nio.file.Files.writeString(dir.resolve(StateStore.FILE_NAME), doc);
            try {
                StateStore.State s = new StateStore(dir).load().orElseThrow();
                assertThat(s.format()).isEqualTo(1);
                assertThat(s.interfaces().stream().map(InterfaceConfig::name).distinct().count())
                        .isEqualTo(s.interfaces().size());
            } catch (ControlException e) {
                assertOneLine(e.getMessage());
                assertThat(e.getMessage()).contains("corrupt state file");
            }
        } finally {
            java.nio.file.Files.deleteIfExists(dir.resolve(StateStore.FILE_NAME));
            java.nio.file.Files.delete(dir);
        }
    }

    @Provide
    Arbitrary<String> stateDocuments() {
        Arbitrary<String> iface = Combinators.combine(
                Arbitraries.of("\"pflow0\"", "\"pflow1\"", "\"eth0\"", "0", "null"),
                Arbitraries.of("true", "false", "\"true\"", "1"),
                Arbitraries.of("null", "\"10.0.0.1\"", "\"10.0.0.1:2055\"", "5", "\"x\\ny\""),
                Arbitraries.of("5", "9", "10", "7", "\"10\"", "10.0"),
                Arbitraries.of("1500", "71", "\"1500\"", "1e3"))
                .as((n, up, dst, proto, mtu) -> "{\"name\":" + n + ",\"up\":" + up + ",\"flowsrc\":null,\"flowdst\":"
                        + dst + ",\"pflowproto\":" + proto + ",\"mtu\":" + mtu + ",\"domain\":42}");
        Arbitrary<String> doc = Combinators.combine(Arbitraries.of("1", "2", "\"1\""), iface.list().ofMaxSize(3),
                Arbitraries.of("", ",\"format\":1", ",\"extra\":0"))
                .as((f, ifs, extra) -> "{\"format\":" + f + ",\"configDigest\":null,\"interfaces\":["
                        + String.join(",", ifs) + "]" + extra + "}");
        return Arbitraries.oneOf(doc, doc.map(d -> d.substring(0, d.length() * 2 / 3)),
                Arbitraries.strings().ofMaxLength(200));
    }

    @Property(tries = 200)
    void stringsNeverBreakTheLine(@ForAll @StringLength(max = 500) String hostile) {
        for (List<String> argv : List.of(List.of("pflow0", "flowdst", hostile), List.of("pflow0", "flowsrc", hostile),
                List.of("pflow0", "mtu", hostile), List.of("pflow0", "pflowproto", hostile), List.of(hostile),
                List.of("pflow0", hostile))) {
            try {
                IfconfigCommand.parse(argv);
            } catch (ConfigException e) {
                assertOneLine(e.getMessage());
                assertThat(e.getMessage().length()).isLessThan(300);
            }
        }
    }
}
