package net.pflowd.control;

import static net.pflowd.testutil.OneLineAssert.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import net.pflowd.config.IfconfigCommand;

/**
 * Coverage-guided fuzzing of the control protocol (corpus: ControlServerFuzzTestInputs/request: a first byte
 * whose low bit says whether the peer is root, then one request line). Every line gets one response that encodes
 * as one line of JSON; a refusal is one line and changes nothing, a peer other than root changes nothing, and no
 * request reaches the catch-all for unexpected exceptions.
 */
class ControlServerFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void request(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        boolean root = (data[0] & 1) == 1;
        String line = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
        FakeInterfaceManager manager = new FakeInterfaceManager();
        manager.apply(IfconfigCommand.parse("pflow0", "flowsrc", "10.0.0.1", "flowdst", "10.0.0.2:2055"));
        List<InterfaceStatus> before = manager.list();
        int appliedBefore = manager.applied;
        ControlServer server = new ControlServer(ControlServer.Options.defaults(Path.of("/nonexistent")), manager);

        ControlProtocol.Response r = server.handle(line, root);

        assertThat(r).isNotNull();
        if (!r.ok()) {
            assertOneLine(r.error());
            assertThat(r.error()).startsWith("ifconfig: ").doesNotContain("internal error");
            assertThat(manager.applied).isEqualTo(appliedBefore);
            assertThat(manager.list()).isEqualTo(before);
        }
        if (!root) {
            assertThat(manager.applied).isEqualTo(appliedBefore);
            assertThat(manager.list()).isEqualTo(before);
        }
        String encoded = ControlProtocol.encode(r);
        assertThat(encoded).doesNotContain("\n");
        assertThat(ControlProtocol.decodeResponse(encoded)).isEqualTo(r);
    }
}
