package net.pflowd.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The control protocol over a real Unix socket, with the in-memory manager. Runs as root (CI does). */
class ControlServerTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;
    Path socket;
    FakeInterfaceManager manager;
    ControlServer server;

    @BeforeEach
    void start() throws IOException {
        // The unprivileged peer must be able to reach the socket: the directory is traversable, the socket is
        // 0660 with group nogroup.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        socket = dir.resolve("pflowd.sock");
        manager = new FakeInterfaceManager();
        server = new ControlServer(ControlServer.Options.defaults(socket).withGroup(Integer.toString(NOBODY))
                .withTimeoutMillis(3_000), manager);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /** Raw exchange: writes {@code bytes}, half-closes, returns every reply line. */
    private List<String> raw(byte[] bytes, boolean shutdownOutput) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(bytes));
            if (shutdownOutput) {
                ch.shutdownOutput();
            }
            return readAll(Channels.newInputStream(ch));
        }
    }

    private static List<String> readAll(InputStream in) throws IOException {
        String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(s.split("\n")));
        lines.removeIf(String::isEmpty);
        return lines;
    }

    @Test
    void socketFileIs0660WithConfiguredGroup() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-rw----");
        assertThat(Files.getAttribute(socket, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(NOBODY);
    }

    /**
     * The socket is bound under a staging name and renamed into place, so that a client that sees the path can
     * connect (never told "stale socket" by a daemon still starting) and the mode is already 0660. Watched from
     * another thread while servers start, many times; and a killed daemon's staging socket is removed.
     */
    @Test
    void theSocketAppearsListeningWithItsModeAndNoStagingNameIsLeft() throws Exception {
        server.close();
        for (int i = 0; i < 30; i++) {
            Path path = dir.resolve("round" + i + ".sock");
            String[] seen = {null};
            Thread watcher = new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline) {
                    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                        try {
                            String mode = PosixFilePermissions.toString(
                                    Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                            SocketChannel.open(UnixDomainSocketAddress.of(path)).close();
                            seen[0] = mode;
                        } catch (IOException e) {
                            seen[0] = "refused: " + e;
                        }
                        return;
                    }
                    Thread.onSpinWait();
                }
            });
            watcher.start();
            ControlServer s = new ControlServer(ControlServer.Options.defaults(path), manager);
            try {
                s.start();
                watcher.join(15_000);
            } finally {
                s.close();
            }
            assertThat(seen[0]).as("round %d", i).isEqualTo("rw-rw----");
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path path = dir.resolve("killed.sock");
        Path leftover = ControlServer.stagingPath(path, gone.pid());
        try (ServerSocketChannel killed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            killed.bind(UnixDomainSocketAddress.of(leftover));
        }
        assertThat(leftover).exists();
        ControlServer s = new ControlServer(ControlServer.Options.defaults(path), manager);
        try {
            s.start();
            assertThat(leftover).doesNotExist();
            assertThat(path).exists();
        } finally {
            s.close();
        }
    }

    @Test
    void applyStatusListDestroy() throws Exception {
        ControlClient client = new ControlClient(socket);
        assertThat(client.list()).isEmpty();
        List<InterfaceStatus> created = client.apply(List.of("pflow0", "create", "flowsrc", "127.0.0.1",
                "flowdst", "127.0.0.1:9996"));
        assertThat(created).hasSize(1);
        assertThat(created.get(0).config().flowdst()).hasToString("127.0.0.1:9996");
        assertThat(created.get(0).flags()).isEqualTo(0x41);
        client.apply(List.of("pflow1", "pflowproto", "10"));

        InterfaceStatus s = client.status("pflow0");
        assertThat(StatusFormat.format(s, false)).isEqualTo(
                "pflow0: flags=41<UP,RUNNING> mtu 1492\n"
                        + "\tindex 7 priority 0 llprio 3\n"
                        + "\tpflow: sender: 127.0.0.1 receiver: 127.0.0.1:9996 version: 5\n"
                        + "\tgroups: pflow\n");
        assertThat(s.statistics()).containsEntry(InterfaceStatus.BYTES, 312L);
        assertThat(client.list()).extracting(InterfaceStatus::name).containsExactly("pflow0", "pflow1");
        // An apply with only a name is a status query.
        assertThat(client.apply(List.of("pflow1")).get(0).config().pflowproto()).isEqualTo(10);

        assertThat(client.apply(List.of("pflow0", "destroy"))).isEmpty();
        assertThat(client.list()).extracting(InterfaceStatus::name).containsExactly("pflow1");
        assertThatThrownBy(() -> client.status("pflow0")).hasMessage("ifconfig: pflow0: no such interface");
    }

    @Test
    void aRequestWithAViewGetsTheStatusesRenderedAsIfconfigPrintsThem() throws Exception {
        ControlClient client = new ControlClient(socket);
        client.apply(List.of("pflow0", "create", "flowdst", "127.0.0.1:9996", "domain", "9"));
        client.apply(List.of("pflow1", "pflowproto", "10"));
        List<InterfaceStatus> typed = client.list();

        assertThat(client.render(ControlProtocol.OP_STATUS, List.of("pflow0"), ControlProtocol.View.TEXT))
                .isEqualTo(StatusFormat.format(typed.get(0), false)).startsWith("pflow0: flags=41<UP,RUNNING>");
        assertThat(client.render(ControlProtocol.OP_LIST, List.of(), ControlProtocol.View.VERBOSE))
                .isEqualTo(StatusFormat.format(typed.get(0), true) + StatusFormat.format(typed.get(1), true))
                .contains("\tpflow domain: 9\n");
        String json = client.render(ControlProtocol.OP_LIST, List.of(), ControlProtocol.View.JSON);
        assertThat(json).endsWith("]\n");
        List<InterfaceStatus> parsed = ControlProtocol.decodeStatuses(json);
        assertThat(parsed).isEqualTo(typed);
        // A change without a view answers nothing to print; an error is the ControlException, nothing applied.
        assertThat(client.render(ControlProtocol.OP_APPLY, List.of("pflow1", "mtu", "1400"), null)).isEmpty();
        int before = manager.applied;
        assertThatThrownBy(() -> client.render(ControlProtocol.OP_APPLY, List.of("pflow1", "pflowproto", "7"),
                ControlProtocol.View.TEXT)).isInstanceOf(ControlException.class)
                .hasMessage("ifconfig: Invalid pflow protocol: 7");
        assertThat(manager.applied).isEqualTo(before);
        // The wire: the view goes as its lower-case name, the rendering comes back in "output" alone.
        assertThat(raw("{\"op\":\"status\",\"args\":[\"pflow1\"],\"view\":\"text\"}\n"
                .getBytes(StandardCharsets.UTF_8), true)).singleElement().asString()
                .startsWith("{\"ok\":true,\"interfaces\":[],\"output\":\"pflow1: flags=1<UP> mtu ");
        assertThat(raw("{\"op\":\"list\",\"view\":\"html\"}\n".getBytes(StandardCharsets.UTF_8), true))
                .singleElement().asString().startsWith("{\"ok\":false,\"error\":\"ifconfig: malformed control request: ");
    }

    @Test
    void streamingRequestEncodingIsWhatTheServerDecodes() throws Exception {
        ControlProtocol.Request r = new ControlProtocol.Request(ControlProtocol.OP_APPLY,
                List.of("pflow0", "flowdst", "[::1]:2055", "\"quoted\" \\ \u00e9\n"), ControlProtocol.View.VERBOSE);
        String line = ControlProtocol.encodeRequest(r);
        assertThat(line).doesNotContain("\n");
        assertThat(ControlProtocol.decodeRequest(line)).isEqualTo(r);
        ControlProtocol.Request noView = new ControlProtocol.Request(ControlProtocol.OP_LIST, List.of());
        assertThat(ControlProtocol.encodeRequest(noView)).isEqualTo("{\"op\":\"list\",\"args\":[]}");

        assertThat(ControlProtocol.decodeRendered(ControlProtocol.encode(
                ControlProtocol.Response.rendered(List.of(), ControlProtocol.View.TEXT))))
                .isEqualTo(new ControlProtocol.Rendered(true, null, ""));
        assertThat(ControlProtocol.decodeRendered(ControlProtocol.encode(ControlProtocol.Response.failure("ifconfig: x"))))
                .isEqualTo(new ControlProtocol.Rendered(false, "ifconfig: x", null));
        assertThat(ControlProtocol.decodeRendered("{\"ok\":true,\"interfaces\":[{\"a\":[1,{\"b\":2}]}],\"output\":\"x\"}"))
                .isEqualTo(new ControlProtocol.Rendered(true, null, "x"));
        assertThatThrownBy(() -> ControlProtocol.decodeRendered("[1]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ControlProtocol.decodeRendered("{\"ok\":tru")).isInstanceOf(IOException.class);
    }

    @Test
    void grammarErrorsComeBackAndChangeNothing() throws Exception {
        ControlClient client = new ControlClient(socket);
        client.apply(List.of("pflow0", "flowdst", "10.0.0.2:2055"));
        int before = manager.applied;
        assertThatThrownBy(() -> client.apply(List.of("pflow0", "flowdst", "10.0.0.3:2055", "pflowproto", "7")))
                .isInstanceOf(ControlException.class).hasMessage("ifconfig: Invalid pflow protocol: 7");
        assertThatThrownBy(() -> client.apply(List.of("pflow0", "create")))
                .hasMessage("ifconfig: pflow0: SIOCIFCREATE: File exists");
        assertThatThrownBy(() -> client.apply(List.of("eth0", "up"))).hasMessage("ifconfig: eth0: not a pflow interface");
        assertThat(manager.applied).isEqualTo(before);
        assertThat(client.status("pflow0").config().flowdst()).hasToString("10.0.0.2:2055");
    }

    @Test
    void malformedRequestsGetErrorsAndTheConnectionGoesOn() throws Exception {
        List<String> replies = raw(("not json\n"
                + "{\"op\":\"list\"}\n"
                + "{\"op\":\"reboot\"}\n"
                + "{\"args\":[\"pflow0\"]}\n"
                + "{\"op\":\"apply\",\"args\":\"pflow0\"}\n"
                + "{\"op\":\"apply\",\"args\":[\"pflow0\",null]}\n"
                + "{\"op\":\"list\",\"extra\":true}\n"
                + "{\"op\":\"status\",\"args\":[]}\n"
                + "{\"op\":\"status\",\"args\":[\"pflow0\",\"up\"]}\n"
                + "[1,2,3]\n"
                + "{\"op\":\"list\"}").getBytes(StandardCharsets.UTF_8), true);
        assertThat(replies).hasSize(11);
        assertThat(replies.get(0)).startsWith("{\"ok\":false,\"error\":\"ifconfig: malformed control request: ");
        assertThat(replies.get(1)).isEqualTo("{\"ok\":true,\"interfaces\":[]}");
        assertThat(replies.get(2)).isEqualTo("{\"ok\":false,\"error\":\"ifconfig: unknown control operation: reboot\",\"interfaces\":[]}");
        assertThat(replies.get(3)).contains("\"ok\":false").contains("no op");
        for (int i = 4; i <= 6; i++) {
            assertThat(replies.get(i)).as(replies.get(i)).startsWith("{\"ok\":false,\"error\":\"ifconfig: ");
        }
        assertThat(replies.get(7)).contains("ifconfig: missing interface name");
        assertThat(replies.get(8)).contains("ifconfig: status takes only an interface name");
        assertThat(replies.get(9)).contains("ifconfig: malformed control request");
        // The last line had no newline: it still counts, and the daemon is unharmed.
        assertThat(replies.get(10)).isEqualTo("{\"ok\":true,\"interfaces\":[]}");
        assertThat(manager.applied).isZero();
        assertThat(new ControlClient(socket).list()).isEmpty();
    }

    @Test
    void oversizedRequestIsRefusedAndClosed() throws Exception {
        byte[] big = new byte[ControlProtocol.MAX_REQUEST + 1000];
        java.util.Arrays.fill(big, (byte) 'x');
        List<String> replies = raw(big, false);
        assertThat(replies).containsExactly(
                "{\"ok\":false,\"error\":\"ifconfig: control request too large (max 65536 bytes)\",\"interfaces\":[]}");
        assertThat(new ControlClient(socket).list()).isEmpty();
    }

    @Test
    void silentClientTimesOut() throws Exception {
        server.close();
        server = new ControlServer(ControlServer.Options.defaults(socket).withTimeoutMillis(500), manager);
        server.start();
        // Half a request and then nothing: the server answers with a timeout error and closes (EOF for us).
        List<String> replies = raw("{\"op\":".getBytes(StandardCharsets.UTF_8), false);
        assertThat(replies).containsExactly(
                "{\"ok\":false,\"error\":\"ifconfig: control request timed out after 500 ms\",\"interfaces\":[]}");
    }

    /** A server whose peers are, in order of connection, {@code users} (then root): "0" is root. */
    private void restartWithPeers(ControlServer.Options options, String... users) throws IOException {
        server.close();
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        server = new ControlServer(options, manager, ch -> {
            int i = n.getAndIncrement();
            String user = i < users.length ? users[i] : "0";
            return new ControlServer.Peer(user, user.equals("0"));
        });
        server.start();
    }

    /**
     * Sends one list request on {@code ch} and returns the next reply line ("" at EOF). A server that already
     * answered and closed (busy, deadline) makes the write fail: its reply is still there to read.
     */
    private String listOn(SocketChannel ch) throws IOException {
        try {
            ch.write(ByteBuffer.wrap("{\"op\":\"list\"}\n".getBytes(StandardCharsets.UTF_8)));
        } catch (IOException closed) {
            // read what the server said before closing
        }
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (ch.read(one) > 0) {
            one.flip();
            byte b = one.get();
            one.clear();
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Test
    void clientsBeyondTheBoundsAreTurnedAwayButRootIsNot() throws Exception {
        restartWithPeers(ControlServer.Options.defaults(socket).withMaxPerUid(2).withMaxClients(3)
                .withTimeoutMillis(5_000), "1000", "1000", "1000", "1001", "1002");
        List<SocketChannel> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
            }
            assertThat(listOn(open.get(0))).startsWith("{\"ok\":true");
            assertThat(listOn(open.get(1))).startsWith("{\"ok\":true");
            assertThat(listOn(open.get(2))).isEqualTo("{\"ok\":false,\"error\":\"ifconfig: pflowd is busy (2 control"
                    + " connections of user 1000 already open), try again\",\"interfaces\":[]}");
            assertThat(listOn(open.get(3))).startsWith("{\"ok\":true");
            assertThat(listOn(open.get(4))).isEqualTo("{\"ok\":false,\"error\":\"ifconfig: pflowd is busy (3 control"
                    + " clients), try again\",\"interfaces\":[]}");
            // Every bound for others is reached, and root still gets in.
            assertThat(new ControlClient(socket).list()).isEmpty();
        } finally {
            for (SocketChannel ch : open) {
                ch.close();
            }
        }
    }

    @Test
    void idleAndBusyClientsNeverKeepRootWaiting() throws Exception {
        // Every non-root slot taken: half of them idle, half sending requests as fast as they can.
        String[] users = new String[16];
        for (int i = 0; i < users.length; i++) {
            users[i] = Integer.toString(1000 + i / 4);
        }
        restartWithPeers(ControlServer.Options.defaults(socket), users);
        List<SocketChannel> open = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong hogReplies = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> hogs = new ArrayList<>();
        try {
            for (int i = 0; i < users.length; i++) {
                SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                open.add(ch);
                if (i % 2 == 1) {
                    Thread t = new Thread(() -> {
                        try {
                            while (!stop.get() && listOn(ch).startsWith("{\"ok\":true")) {
                                hogReplies.incrementAndGet();
                            }
                        } catch (IOException e) {
                            // closed at the end of the test
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                    hogs.add(t);
                }
            }
            while (hogReplies.get() < 100) {
                Thread.sleep(10);
            }
            for (int round = 0; round < 20; round++) {
                long t0 = System.nanoTime();
                assertThat(new ControlClient(socket).list()).isEmpty();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(millis).as("root's request waited").isLessThan(1000);
            }
        } finally {
            stop.set(true);
            for (SocketChannel ch : open) {
                ch.close();
            }
            for (Thread t : hogs) {
                t.join(2000);
            }
        }
    }

    @Test
    void aConnectionDoesNotLiveForever() throws Exception {
        restartWithPeers(ControlServer.Options.defaults(socket).withConnectionMillis(600).withTimeoutMillis(400),
                "1000");
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            // A valid request within each 400 ms deadline, but the connection may live only 600 ms.
            List<String> replies = new ArrayList<>();
            long t0 = System.nanoTime();
            while (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 3000) {
                String r;
                try {
                    r = listOn(ch);
                } catch (IOException closedByServer) {
                    break;
                }
                if (r.isEmpty()) {
                    break;
                }
                replies.add(r);
                if (r.contains("open longer")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(replies.get(replies.size() - 1)).contains("control connection open longer than 600 ms");
            assertThat(replies.size()).isLessThan(6);
        }
    }

    @Test
    void strictJsonRefusesDuplicateKeysAndWrongTypes() {
        for (String bad : List.of(
                "{\"op\":\"list\",\"op\":\"apply\",\"args\":[\"pflow0\",\"destroy\"]}",
                "{\"op\":\"apply\",\"args\":[\"pflow0\",\"up\"],\"args\":[\"pflow0\",\"down\"]}",
                "{\"op\":5}",
                "{\"op\":true}",
                "{\"op\":\"status\",\"args\":\"pflow0\"}",
                "{\"op\":\"status\",\"args\":[1]}",
                "{\"op\":\"status\",\"args\":[\"pflow0\"]} {}")) {
            ControlProtocol.Response r = server.handle(bad, true);
            assertThat(r.ok()).as(bad).isFalse();
            assertThat(r.error()).as(bad).startsWith("ifconfig: malformed control request: ").doesNotContain("\n");
        }
        assertThat(manager.applied).isZero();
    }

    @Test
    void staleSocketIsReplacedLiveOneRefusedFileRemovedOnClose() throws Exception {
        server.close();
        assertThat(socket).doesNotExist();
        assertThatThrownBy(() -> new ControlClient(socket).list())
                .hasMessage("ifconfig: pflowd is not running (no socket at " + socket + ")");

        // A socket file nobody listens on (a crashed daemon's) is replaced.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        assertThatThrownBy(() -> new ControlClient(socket).list())
                .hasMessage("ifconfig: pflowd is not running (stale socket at " + socket + ")");
        server = new ControlServer(ControlServer.Options.defaults(socket), manager);
        server.start();
        assertThat(new ControlClient(socket).list()).isEmpty();

        // A live one is somebody else's: refused, and left alone.
        ControlServer second = new ControlServer(ControlServer.Options.defaults(socket), manager);
        assertThatThrownBy(second::start).hasMessageContaining("another pflowd is listening");
        assertThat(new ControlClient(socket).list()).isEmpty();

        // A regular file is never deleted.
        Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "keep");
        ControlServer third = new ControlServer(ControlServer.Options.defaults(file), manager);
        assertThatThrownBy(third::start).hasMessageContaining("exists and is not a socket");
        assertThat(Files.readString(file)).isEqualTo("keep");
    }

    /** Runs {@code nc -U} as uid 65534 with the given gid, feeding {@code input}; returns stdout lines. */
    private List<String> asNobody(int gid, String input) throws Exception {
        Process p = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + gid, "--clear-groups",
                "nc", "-N", "-U", socket.toString())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException brokenPipe) {
            // nc exited early (could not connect): its stderr says why
        }
        List<String> out = readAll(p.getInputStream());
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("nc finished").isTrue();
        if (out.isEmpty()) {
            out.add("stderr: " + err.strip());
        }
        return out;
    }

    @Test
    void nonRootPeerMayReadButNotChange() throws Exception {
        new ControlClient(socket).apply(List.of("pflow0", "flowdst", "10.0.0.2:2055"));
        int before = manager.applied;
        List<String> replies = asNobody(NOBODY, "{\"op\":\"list\"}\n"
                + "{\"op\":\"status\",\"args\":[\"pflow0\"]}\n"
                + "{\"op\":\"apply\",\"args\":[\"pflow0\",\"down\"]}\n"
                + "{\"op\":\"apply\",\"args\":[\"pflow1\",\"create\"]}\n");
        assertThat(replies).hasSize(4);
        assertThat(replies.get(0)).startsWith("{\"ok\":true,\"interfaces\":[{\"config\":{\"name\":\"pflow0\"");
        assertThat(replies.get(1)).startsWith("{\"ok\":true,\"interfaces\":[{\"config\":{\"name\":\"pflow0\"");
        assertThat(replies.get(2)).isEqualTo("{\"ok\":false,\"error\":\"ifconfig: pflow0: Operation not permitted"
                + " (only root may change pflow interfaces)\",\"interfaces\":[]}");
        assertThat(replies.get(3)).contains("ifconfig: pflow1: Operation not permitted");
        assertThat(manager.applied).isEqualTo(before);
        assertThat(manager.list()).extracting(InterfaceStatus::isUp).containsExactly(true);
    }

    @Test
    void peerOutsideTheSocketGroupCannotConnect() throws Exception {
        List<String> out = asNobody(NOBODY - 1, "{\"op\":\"list\"}\n");
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).startsWith("stderr: ").contains("Permission denied");
    }

    @Test
    void refusalsAreLoggedAtMostOnceAnInterval() throws Exception {
        restartWithPeers(ControlServer.Options.defaults(socket).withMaxPerUid(1), "1000", "1000", "1000", "1000",
                "1000", "1000");
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(ControlServer.class.getName());
        List<String> warned = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warned.add(new java.util.logging.SimpleFormatter().formatMessage(r));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        List<SocketChannel> open = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                open.add(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
            }
            assertThat(listOn(open.get(0))).startsWith("{\"ok\":true");
            for (int i = 1; i < 6; i++) {
                assertThat(listOn(open.get(i))).contains("pflowd is busy");
            }
        } finally {
            jul.removeHandler(capture);
            for (SocketChannel ch : open) {
                ch.close();
            }
        }
        // A client that opens connection after connection must not flood the log: one warning for five refusals.
        assertThat(warned).hasSize(1);
        assertThat(warned.get(0)).isEqualTo("control socket: refused a connection of user 1000: 1 control"
                + " connections of user 1000 already open");
    }
}
