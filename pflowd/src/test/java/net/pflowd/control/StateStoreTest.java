package net.pflowd.control;

import net.pflowd.config.ConfigException;

import net.pflowd.config.InterfaceConfig;
import net.pflowd.config.FlowEndpoint;
import net.pflowd.config.ConfigFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateStoreTest {

    private static List<InterfaceConfig> sample() throws ConfigException {
        return List.of(
                new InterfaceConfig("pflow10", false, FlowEndpoint.parse("[2001:db8::1]:4000"),
                        FlowEndpoint.parse("[2001:db8::2]:4739"), 10, 9216, 4294967295L),
                new InterfaceConfig("pflow0", true, FlowEndpoint.parse("10.0.0.1"),
                        FlowEndpoint.parse("10.0.0.2:2055"), 5, 1500, 42),
                InterfaceConfig.created("pflow2"));
    }

    @Test
    void roundTripSortedByUnit(@TempDir Path dir) throws Exception {
        StateStore store = new StateStore(dir.resolve("state"));
        assertThat(store.load()).isEmpty();
        store.save(sample(), "abc");
        StateStore.State s = store.load().orElseThrow();
        assertThat(s.configDigest()).isEqualTo("abc");
        assertThat(s.interfaces()).extracting(InterfaceConfig::name).containsExactly("pflow0", "pflow2", "pflow10");
        assertThat(s.interfaces()).containsExactlyInAnyOrderElementsOf(sample());
        String json = Files.readString(store.file());
        assertThat(json).contains("\"flowdst\" : \"[2001:db8::2]:4739\"").contains("\"domain\" : 4294967295");
        // An empty list is a state too: "all destroyed" must survive a restart.
        store.save(List.of(), null);
        assertThat(store.load().orElseThrow().interfaces()).isEmpty();
    }

    @Test
    void saveReplacesAtomicallyAndLeavesNoTempFiles(@TempDir Path dir) throws Exception {
        StateStore store = new StateStore(dir);
        store.save(sample(), null);
        Object inodeBefore = Files.readAttributes(store.file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        store.save(sample().subList(0, 1), null);
        Object inodeAfter = Files.readAttributes(store.file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        // A rename puts a new inode in place; an in-place rewrite would keep the old one (and could tear).
        assertThat(inodeAfter).isNotEqualTo(inodeBefore);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(StateStore.FILE_NAME);
        }
        assertThat(store.load().orElseThrow().interfaces()).hasSize(1);
    }

    @Test
    void failedSaveKeepsOldState(@TempDir Path dir) throws Exception {
        StateStore store = new StateStore(dir);
        store.save(sample(), "old");
        // The state file's place is taken by a non-empty directory: the rename fails, the old content stays.
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve(StateStore.FILE_NAME).resolve("x"));
        StateStore other = new StateStore(blocked);
        assertThatThrownBy(() -> other.save(sample(), "new")).isInstanceOf(java.io.IOException.class);
        try (Stream<Path> files = Files.list(blocked)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(StateStore.FILE_NAME);
        }
        assertThat(store.load().orElseThrow().configDigest()).isEqualTo("old");
    }

    @Test
    void corruptStateIsAnErrorNotAnEmptyStart(@TempDir Path dir) throws Exception {
        StateStore store = new StateStore(dir);
        for (String bad : List.of(
                "{\"format\":1,\"interfaces\":[",
                "",
                "null",
                "{\"format\":2,\"interfaces\":[]}",
                "{\"format\":1,\"interfaces\":[{\"name\":\"eth0\",\"up\":true,\"flowsrc\":null,\"flowdst\":null,"
                        + "\"pflowproto\":5,\"mtu\":1500,\"domain\":42}]}",
                "{\"format\":1,\"interfaces\":[{\"name\":\"pflow0\",\"up\":true,\"flowsrc\":\"bogus\",\"flowdst\":null,"
                        + "\"pflowproto\":5,\"mtu\":1500,\"domain\":42}]}",
                "{\"format\":1,\"interfaces\":[{\"name\":\"pflow0\",\"up\":true,\"flowsrc\":null,\"flowdst\":null,"
                        + "\"pflowproto\":5,\"mtu\":1500,\"domain\":42},{\"name\":\"pflow0\",\"up\":true,\"flowsrc\":null,"
                        + "\"flowdst\":null,\"pflowproto\":5,\"mtu\":1500,\"domain\":42}]}",
                "{\"format\":1,\"interfaces\":[],\"extra\":1}")) {
            Files.write(store.file(), bad.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(store::load).as(bad).isInstanceOf(ControlException.class)
                    .hasMessageStartingWith(store.file() + ": corrupt state file: ")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void startupChoosesTheNewestIntent() throws Exception {
        ConfigFile conf = ConfigFile.parse("c", "pflow0 flowdst 10.0.0.2:2055\n".getBytes(StandardCharsets.UTF_8));
        ConfigFile edited = ConfigFile.parse("c", "pflow0 flowdst 10.0.0.9:2055\n".getBytes(StandardCharsets.UTF_8));
        List<InterfaceConfig> runtime = List.of(conf.interfaces().get(0).withPflowproto(10),
                InterfaceConfig.created("pflow1"));
        StateStore.State saved = new StateStore.State(StateStore.FORMAT, conf.digest(), runtime);

        StateStore.Startup first = StateStore.choose(Optional.of(conf), Optional.empty());
        assertThat(first.interfaces()).isEqualTo(conf.interfaces());
        assertThat(first.configDigest()).isEqualTo(conf.digest());

        StateStore.Startup restart = StateStore.choose(Optional.of(conf), Optional.of(saved));
        assertThat(restart.interfaces()).isEqualTo(runtime);

        StateStore.Startup afterEdit = StateStore.choose(Optional.of(edited), Optional.of(saved));
        assertThat(afterEdit.interfaces()).isEqualTo(edited.interfaces());
        assertThat(afterEdit.configDigest()).isEqualTo(edited.digest());

        StateStore.State noConf = new StateStore.State(StateStore.FORMAT, null, runtime);
        assertThat(StateStore.choose(Optional.empty(), Optional.of(noConf)).interfaces()).isEqualTo(runtime);
        assertThat(StateStore.choose(Optional.empty(), Optional.of(saved)).interfaces()).isEmpty();
        assertThat(StateStore.choose(Optional.empty(), Optional.empty()).interfaces()).isEmpty();
    }

    @Test
    void theDirectoryIsHeldByOneDaemonAtATime(@TempDir Path dir) throws Exception {
        Path stateDir = dir.resolve("state");
        StateStore store = new StateStore(stateDir);
        try (StateStore.Lock held = store.lock()) {
            assertThat(Files.readString(stateDir.resolve(StateStore.LOCK_NAME)).strip())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThatThrownBy(() -> new StateStore(stateDir).lock())
                    .isInstanceOf(ControlException.class)
                    .hasMessage(stateDir + ": state directory in use by another pflowd (pid "
                            + ProcessHandle.current().pid() + ")");
        }
        // Released: the next daemon gets it.
        new StateStore(stateDir).lock().close();
    }

    @Test
    void leftoverTemporaryFilesAreRemovedAndNothingElse(@TempDir Path dir) throws Exception {
        StateStore store = new StateStore(dir);
        store.save(List.of(InterfaceConfig.created("pflow0")), null);
        Files.writeString(dir.resolve(".interfaces.json.12345.tmp"), "{\"format\":1,");
        Files.writeString(dir.resolve(".interfaces.json.999.tmp"), "");
        Files.writeString(dir.resolve("notes.tmp"), "keep");
        assertThat(store.removeLeftovers()).isEqualTo(2);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("interfaces.json",
                    "notes.tmp");
        }
        assertThat(store.load().orElseThrow().interfaces()).extracting(InterfaceConfig::name).containsExactly("pflow0");
    }

    @Test
    void duplicateKeysAndWrongTypesAreCorruption(@TempDir Path dir) throws Exception {
        for (String doc : List.of(
                "{\"format\":1,\"configDigest\":null,\"interfaces\":[],\"interfaces\":[]}",
                "{\"format\":1,\"configDigest\":null,\"interfaces\":[{\"name\":\"pflow0\",\"name\":\"pflow1\","
                        + "\"up\":true,\"flowsrc\":null,\"flowdst\":null,\"pflowproto\":5,\"mtu\":1500,\"domain\":42}]}",
                "{\"format\":\"1\",\"configDigest\":null,\"interfaces\":[]}",
                "{\"format\":1,\"configDigest\":null,\"interfaces\":[{\"name\":\"pflow0\",\"up\":\"true\","
                        + "\"flowsrc\":null,\"flowdst\":null,\"pflowproto\":5,\"mtu\":1500,\"domain\":42}]}",
                "{\"format\":1,\"configDigest\":null,\"interfaces\":[{\"name\":\"pflow0\",\"up\":true,"
                        + "\"flowsrc\":null,\"flowdst\":null,\"pflowproto\":5,\"mtu\":1500.5,\"domain\":42}]}")) {
            Files.writeString(dir.resolve(StateStore.FILE_NAME), doc);
            assertThatThrownBy(() -> new StateStore(dir).load()).as(doc).isInstanceOf(ControlException.class)
                    .hasMessageContaining("corrupt state file").hasMessageNotContaining("\n");
        }
    }
}
