package net.pflowd.control;

import static net.pflowd.testutil.OneLineAssert.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.pflowd.config.InterfaceConfig;

/**
 * Coverage-guided fuzzing of the state file reader (corpus: StateStoreFuzzTestInputs/stateFile, one
 * interfaces.json per input). The file loads as a state of known format with distinct pflow names that saves and
 * loads as itself, or it is refused with one line saying the state file is corrupt; reading never changes the
 * file.
 */
class StateStoreFuzzTest {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("pflowd-state-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void stateFile(byte[] data) throws Exception {
        StateStore store = new StateStore(DIR);
        Files.write(store.file(), data);
        try {
            StateStore.State s = store.load().orElseThrow();
            assertThat(s.format()).isEqualTo(1);
            assertThat(s.interfaces()).allMatch(c -> InterfaceConfig.isPflowName(c.name()));
            assertThat(s.interfaces().stream().map(InterfaceConfig::name).distinct().count())
                    .isEqualTo(s.interfaces().size());
            store.save(s.interfaces(), s.configDigest());
            assertThat(store.load().orElseThrow().interfaces()).containsExactlyInAnyOrderElementsOf(s.interfaces());
        } catch (ControlException e) {
            assertOneLine(e.getMessage());
            assertThat(e.getMessage()).contains("corrupt state file");
            assertThat(Files.readAllBytes(store.file())).isEqualTo(data);
        } finally {
            Files.deleteIfExists(store.file());
        }
    }
}
