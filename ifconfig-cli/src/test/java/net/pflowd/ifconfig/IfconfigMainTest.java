package net.pflowd.ifconfig;

import net.pflowd.config.ConfigException;
import net.pflowd.control.ControlServer;
import net.pflowd.config.IfconfigCommand;
import net.pflowd.config.InterfaceConfig;
import net.pflowd.control.InterfaceManager;
import net.pflowd.control.InterfaceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI against a real control socket served with an in-memory manager. */
class IfconfigMainTest {

    /** Minimal daemon stand-in: the grammar's applyTo, ifindex from 7, mtu 1492 for 1500. */
    static final class MemoryManager implements InterfaceManager {
        final TreeMap<Integer, InterfaceConfig> interfaces = new TreeMap<>();
        final TreeMap<String, Integer> indexes = new TreeMap<>();
        int next = 7;

        private static int unit(String n) {
            return Integer.parseInt(n.substring(5));
        }

        private InterfaceStatus statusOf(InterfaceConfig c) {
            return new InterfaceStatus(c, indexes.get(c.name()), InterfaceStatus.flagsFor(c, true), c.mtu() - 8,
                    Map.of(InterfaceStatus.FLOWS, 5L, InterfaceStatus.PACKETS, 1L, InterfaceStatus.BYTES, 264L));
        }

        @Override
        public synchronized List<InterfaceStatus> list() {
            List<InterfaceStatus> r = new ArrayList<>();
            interfaces.values().forEach(c -> r.add(statusOf(c)));
            return r;
        }

        @Override
        public synchronized InterfaceStatus status(String name) throws ConfigException {
            InterfaceConfig c = interfaces.get(unit(name));
            if (c == null) {
                throw new ConfigException(ConfigException.Reason.NO_SUCH_INTERFACE, name);
            }
            return statusOf(c);
        }

        @Override
        public synchronized InterfaceStatus apply(IfconfigCommand cmd) throws ConfigException {
            Optional<InterfaceConfig> n = cmd.applyTo(Optional.ofNullable(interfaces.get(unit(cmd.name()))));
            if (n.isEmpty()) {
                interfaces.remove(unit(cmd.name()));
                return null;
            }
            interfaces.put(unit(cmd.name()), n.get());
            indexes.computeIfAbsent(cmd.name(), k -> next++);
            return statusOf(n.get());
        }
    }

    @TempDir
    Path dir;
    Path socket;
    MemoryManager manager;
    ControlServer server;
    final List<List<String>> delegated = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("ctl.sock");
        manager = new MemoryManager();
        server = new ControlServer(ControlServer.Options.defaults(socket), manager);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    record Result(int status, String out, String err) {
    }

    private Result run(List<Path> candidates, Map<String, String> env, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int st = IfconfigMain.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, candidates, (exe, args) -> {
                    List<String> call = new ArrayList<>();
                    call.add(exe.toString());
                    call.addAll(args);
                    delegated.add(call);
                    return 3;
                });
        return new Result(st, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result run(String... argv) {
        return run(List.of(), Map.of("PFLOWD_SOCKET", socket.toString()), argv);
    }

    @Test
    void createShowDestroy() {
        Result r = run("pflow0", "create", "flowsrc", "127.0.0.1", "flowdst", "127.0.0.1:9996");
        assertThat(r).isEqualTo(new Result(0, "", ""));
        assertThat(run("pflow0")).isEqualTo(new Result(0,
                "pflow0: flags=41<UP,RUNNING> mtu 1492\n"
                        + "\tindex 7 priority 0 llprio 3\n"
                        + "\tpflow: sender: 127.0.0.1 receiver: 127.0.0.1:9996 version: 5\n"
                        + "\tgroups: pflow\n", ""));
        assertThat(run("pflow0", "-flowsrc", "down", "pflowproto", "10").status()).isZero();
        assertThat(run("pflow0").out()).startsWith("pflow0: flags=0<> mtu 1492\n")
                .contains("\tpflow: receiver: 127.0.0.1:9996 version: 10\n");
        assertThat(run("pflow0", "destroy")).isEqualTo(new Result(0, "", ""));
        assertThat(run("pflow0")).isEqualTo(new Result(1, "", "ifconfig: pflow0: no such interface\n"));
    }

    @Test
    void allAndGroupListEveryPflowInterface() {
        run("pflow1", "create");
        run("pflow0", "flowdst", "[::1]:4739");
        String both = "pflow0: flags=41<UP,RUNNING> mtu 1492\n"
                + "\tindex 8 priority 0 llprio 3\n"
                + "\tpflow: receiver: [::1]:4739 version: 5\n"
                + "\tgroups: pflow\n"
                + "pflow1: flags=1<UP> mtu 1492\n"
                + "\tindex 7 priority 0 llprio 3\n"
                + "\tpflow: receiver: INVALID:INVALID version: 5\n"
                + "\tgroups: pflow\n";
        assertThat(run("-a")).isEqualTo(new Result(0, both, ""));
        assertThat(run("-g", "pflow")).isEqualTo(new Result(0, both, ""));
        assertThat(run()).isEqualTo(new Result(0, both, ""));
        assertThat(run("pflow")).isEqualTo(new Result(0, both, ""));
        assertThat(run("-g", "carp")).isEqualTo(new Result(1, "",
                "ifconfig: carp: unknown group (pflowd knows only the pflow group)\n"));
    }

    @Test
    void verboseAndJson() throws Exception {
        run("pflow0", "flowdst", "10.0.0.2:2055", "domain", "9");
        assertThat(run("-v", "pflow0").out()).contains(
                "\tpflow: receiver: 10.0.0.2:2055 version: 5\n"
                        + "\tpflow domain: 9\n"
                        + "\tpflow stats: flows 5 packets 1 bytes 264 errors 0 dropped 0\n"
                        + "\tgroups: pflow\n");
        Result j = run("--json", "pflow0");
        assertThat(j.status()).isZero();
        assertThat(j.out()).startsWith("[{\"config\":{\"name\":\"pflow0\",\"up\":true,\"flowsrc\":null,"
                + "\"flowdst\":\"10.0.0.2:2055\",\"pflowproto\":5,\"mtu\":1500,\"domain\":9},\"index\":7,"
                + "\"flags\":65,\"mtu\":1492,\"statistics\":{").endsWith("}]\n");
        assertThat(run("--json", "pflow0", "mtu", "1400").out()).contains("\"mtu\":1392");
    }

    @Test
    void errorsAreOneLineExitOneAndChangeNothing() {
        run("pflow0", "flowdst", "10.0.0.2:2055");
        assertThat(run("pflow0", "pflowproto", "7", "flowdst", "10.0.0.9:1"))
                .isEqualTo(new Result(1, "", "ifconfig: Invalid pflow protocol: 7\n"));
        assertThat(run("pflow0", "flowdst", "10.0.0.3"))
                .isEqualTo(new Result(1, "", "ifconfig: 10.0.0.3 bad value\n"));
        assertThat(run("pflow0", "bogus")).isEqualTo(new Result(1, "",
                "ifconfig: bogus: unknown keyword for pflow interfaces\n"));
        assertThat(run("pflow01", "up")).isEqualTo(new Result(1, "", "ifconfig: pflow01: not a pflow interface\n"));
        assertThat(manager.interfaces.get(0).flowdst()).hasToString("10.0.0.2:2055");
        assertThat(manager.interfaces.get(0).pflowproto()).isEqualTo(5);
    }

    @Test
    void socketOptionBeatsEnvironmentAndMissingDaemonIsClear() {
        Path nowhere = dir.resolve("none.sock");
        assertThat(run("--socket", nowhere.toString(), "-a")).isEqualTo(new Result(1, "",
                "ifconfig: pflowd is not running (no socket at " + nowhere + ")\n"));
        assertThat(run(List.of(), Map.of("PFLOWD_SOCKET", nowhere.toString()), "--socket", socket.toString(), "-a")
                .status()).isZero();
    }

    @Test
    void otherInterfacesGoToTheSystemIfconfigNeverToItself() throws Exception {
        Path launcher = dir.resolve("launcher");
        Files.writeString(launcher, "#!/usr/bin/env bash\nexec java -jar \"$top/ifconfig-cli/target/ifconfig-all.jar\" \"$@\"\n");
        Path system = dir.resolve("system-ifconfig");
        Files.writeString(system, "#!/bin/sh\necho system \"$@\"\n");
        for (Path p : List.of(launcher, system)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path missing = dir.resolve("missing");
        Map<String, String> env = Map.of("PFLOWD_SOCKET", socket.toString());

        Result r = run(List.of(missing, launcher, system), env, "eth0", "mtu", "1400");
        assertThat(r.status()).isEqualTo(3);
        assertThat(delegated).containsExactly(List.of(system.toString(), "eth0", "mtu", "1400"));

        assertThat(run(List.of(missing, launcher), env, "eth0")).isEqualTo(new Result(1, "",
                "ifconfig: eth0: not a pflow interface and no system ifconfig found\n"));
        assertThat(run(List.of(system), Map.of(SystemIfconfig.GUARD, "1"), "lo").status()).isEqualTo(1);
        assertThat(delegated).hasSize(1);
        assertThat(SystemIfconfig.isThisProgram(Path.of("../bin/ifconfig"))).isTrue();
    }

    @Test
    void realDelegationRunsTheSystemProgram() throws Exception {
        Path marker = dir.resolve("ran");
        Path system = dir.resolve("sys");
        Files.writeString(system, "#!/bin/sh\necho \"$@ $" + SystemIfconfig.GUARD + "\" > '" + marker + "'\nexit 4\n");
        Files.setPosixFilePermissions(system, PosixFilePermissions.fromString("rwx------"));
        assertThat(SystemIfconfig.run(system, List.of("eth0", "up"))).isEqualTo(4);
        assertThat(Files.readString(marker)).isEqualTo("eth0 up 1\n");
    }
}
