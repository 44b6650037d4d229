package net.pflowd.config;

import static net.pflowd.testutil.OneLineAssert.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of the ifconfig grammar (corpus: IfconfigCommandFuzzTestInputs/argv, one argument vector
 * per file, the arguments separated by NUL bytes). Whatever the vector, it parses to a command that prints back
 * as itself, or is refused with one short line starting "ifconfig: "; applying a parsed command to no interface
 * and to a configured one gives a configuration or the same kind of refusal, never another exception.
 */
class IfconfigCommandFuzzTest {
    private static final InterfaceConfig CONFIGURED;

    static {
        try {
            CONFIGURED = new InterfaceConfig("pflow0", true, FlowEndpoint.parse("10.0.0.1"),
                    FlowEndpoint.parse("10.0.0.2:4739"), 10, 1500, 42);
        } catch (ConfigException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void argv(byte[] data) throws ConfigException {
        List<String> argv = Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\0", -1));
        IfconfigCommand cmd;
        try {
            cmd = IfconfigCommand.parse(argv);
        } catch (ConfigException e) {
            assertRefusal(e);
            return;
        }
        assertThat(InterfaceConfig.isPflowName(cmd.name())).isTrue();
        assertThat(IfconfigCommand.parse(cmd.toArgv()).toArgv()).isEqualTo(cmd.toArgv());
        if (cmd.isQuery()) {
            return;
        }
        for (Optional<InterfaceConfig> current : List.of(Optional.<InterfaceConfig>empty(), Optional.of(CONFIGURED))) {
            try {
                Optional<InterfaceConfig> next = cmd.applyTo(current);
                // What a command leaves configured is itself a valid configuration line.
                next.ifPresent(c -> assertThat(c.toIfconfigLine()).doesNotContain("\n"));
            } catch (ConfigException e) {
                assertRefusal(e);
            }
        }
    }

    private static void assertRefusal(ConfigException e) {
        assertOneLine(e.getMessage());
        assertThat(e.getMessage()).startsWith("ifconfig: ");
        // Echoed values are shortened: a refusal stays short whatever the argument's length.
        assertThat(e.getMessage().length()).isLessThan(400);
    }
}
