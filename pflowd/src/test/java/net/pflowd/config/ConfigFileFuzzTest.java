package net.pflowd.config;

import static net.pflowd.testutil.OneLineAssert.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the configuration file reader (corpus: ConfigFileFuzzTestInputs/file, one file per
 * input). A file loads, and then every interface in it writes back as a line that reads as itself, or it is
 * refused with one line naming the file and line; never another exception.
 */
class ConfigFileFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void file(byte[] data) throws ConfigException {
        ConfigFile f;
        try {
            f = ConfigFile.parse("/etc/pflowd.conf", data);
        } catch (ConfigException e) {
            assertOneLine(e.getMessage());
            assertThat(e.getMessage()).matches("/etc/pflowd\\.conf:[0-9]+: .*");
            return;
        }
        assertThat(f.digest()).matches("[0-9a-f]{64}");
        assertThat(f.interfaces().stream().map(InterfaceConfig::name).distinct().count())
                .isEqualTo(f.interfaces().size());
        for (InterfaceConfig c : f.interfaces()) {
            ConfigFile again = ConfigFile.parse("x", c.toIfconfigLine().getBytes(StandardCharsets.UTF_8));
            assertThat(again.interfaces()).containsExactly(c);
        }
    }
}
