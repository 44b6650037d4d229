package net.pflowd.control;

import net.pflowd.config.ConfigException;
import net.pflowd.config.IfconfigCommand;
import net.pflowd.text.OneLine;

import com.fasterxml.jackson.core.JsonProcessingException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's control socket: a Unix stream socket speaking {@link ControlProtocol}.
 *
 * <ul>
 * <li>The socket file gets mode 0660 (never world accessible) and, when {@link Options#group} is set, that group
 * (name or number); otherwise the daemon's group, i.e. root's when started as root.</li>
 * <li>Authorization by peer credentials (SO_PEERCRED): uid 0 may {@code apply}; anybody who can connect may
 * {@code list} and {@code status}.</li>
 * <li>Root is always served. One thread serves every connection through a selector: an open connection,
 * idle or not, holds no thread, and each round serves at most one request per connection, root's first, so
 * no number of other clients can make root's request wait behind more than one request each.
 * Connections are bounded per uid ({@link Options#maxPerUid}) and in total for uids other than 0
 * ({@link Options#maxClients}); root has its own bound ({@link Options#maxRootClients}). A connection beyond a
 * bound gets a one-line "busy" reply and is closed, logged at most once per {@value #REFUSAL_LOG_MILLIS} ms.</li>
 * <li>Deadlines are per connection: each request line must be complete within {@link Options#timeoutMillis} of
 * the connection or of the previous reply, each reply must be taken by the client within the same time, and
 * no connection lives longer than {@link Options#connectionMillis}. A request line is at most
 * {@link ControlProtocol#MAX_REQUEST} bytes (else an error reply and close). A malformed request gets an error
 * reply; nothing a client sends can stop the daemon.</li>
 * <li>{@link #bind} (or {@link #start}) replaces a stale socket file (nobody listening); a live one means another
 * daemon: refused. {@link #close} removes the file if it is still the one bound here.</li>
 * </ul>
 */
public final class ControlServer implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    static final long REFUSAL_LOG_MILLIS = 10_000;

    /**
     * @param socket           socket path, see {@link ControlSocket#resolve}
     * @param group            group owning the socket file (name or gid), or null to keep the daemon's group
     * @param maxClients       connections open at once from uids other than 0, together
     * @param timeoutMillis    time a client has to send each request line, and to take each reply
     * @param maxPerUid        connections open at once from one uid other than 0
     * @param maxRootClients   connections open at once from uid 0
     * @param connectionMillis longest life of one connection
     */
    public record Options(Path socket, String group, int maxClients, long timeoutMillis, int maxPerUid,
                          int maxRootClients, long connectionMillis) {
        public Options {
            Objects.requireNonNull(socket, "socket");
            if (maxClients < 1 || maxPerUid < 1 || maxRootClients < 1) {
                throw new IllegalArgumentException("connection bounds must be at least 1");
            }
            if (timeoutMillis < 1 || connectionMillis < 1) {
                throw new IllegalArgumentException("deadlines must be at least 1 ms");
            }
        }

        /** 16 connections of other uids, 4 per uid, 16 of root; 5 s per request, 60 s per connection. */
        public static Options defaults(Path socket) {
            return new Options(socket, null, 16, 5_000, 4, 16, 60_000);
        }

        public Options withGroup(String g) {
            return new Options(socket, g, maxClients, timeoutMillis, maxPerUid, maxRootClients, connectionMillis);
        }

        public Options withTimeoutMillis(long t) {
            return new Options(socket, group, maxClients, t, maxPerUid, maxRootClients, connectionMillis);
        }

        public Options withMaxClients(int n) {
            return new Options(socket, group, n, timeoutMillis, maxPerUid, maxRootClients, connectionMillis);
        }

        public Options withMaxPerUid(int n) {
            return new Options(socket, group, maxClients, timeoutMillis, n, maxRootClients, connectionMillis);
        }

        public Options withMaxRootClients(int n) {
            return new Options(socket, group, maxClients, timeoutMillis, maxPerUid, n, connectionMillis);
        }

        public Options withConnectionMillis(long t) {
            return new Options(socket, group, maxClients, timeoutMillis, maxPerUid, maxRootClients, t);
        }
    }

    /** Who is connected: the user (name, or uid when it has none) and whether it is uid 0. */
    record Peer(String user, boolean root) {
    }

    /** Finds the peer of a connection. */
    interface PeerLookup {
        Peer of(SocketChannel channel);
    }

    /** uid 0, whatever it is called: a numeric name that is no user name is taken as the uid. */
    private static final UserPrincipal ROOT = rootPrincipal();

    private static UserPrincipal rootPrincipal() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("0");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private final Options options;
    private final InterfaceManager manager;
    private final PeerLookup peers;
    private final AtomicInteger clientIds = new AtomicInteger();
    private final Map<String, Integer> connectionsByUser = new HashMap<>();
    private final List<Connection> connections = new ArrayList<>();
    private int otherConnections;
    private long lastRefusalLog = Long.MIN_VALUE / 2;
    private long refusalsSinceLog;
    private ServerSocketChannel server;
    private Selector selector;
    private Object boundFileKey;
    private Thread loop;
    private volatile boolean closing;

    public ControlServer(Options options, InterfaceManager manager) {
        this(options, manager, ControlServer::credentials);
    }

    /** With the peer taken from {@code peers} instead of SO_PEERCRED (tests). */
    ControlServer(Options options, InterfaceManager manager, PeerLookup peers) {
        this.options = Objects.requireNonNull(options, "options");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    public Path socketPath() {
        return options.socket();
    }

    /**
     * Binds the socket and sets its mode and group, without serving yet: connections wait in the backlog until
     * {@link #start}. A live socket at the path (another daemon) is refused with an {@link IOException}.
     */
    public synchronized void bind() throws IOException {
        if (server != null) {
            return;
        }
        Path path = options.socket();
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            // e.g. /run/pflowd/ outside systemd (which makes it as the unit's RuntimeDirectory)
            Files.createDirectories(parent);
        }
        removeStale(path);
        removeStagingLeftovers(path);
        // Bound under a staging name, given its mode and group there, then renamed into place: from the moment
        // the path exists it is listening and has its final permissions (no window in which a client is refused
        // and told the socket is stale, nor one in which it is open to others).
        Path staging = stagingPath(path, ProcessHandle.current().pid());
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        boolean placed = false;
        try {
            Files.deleteIfExists(staging); // a killed daemon's of the same pid (a container's daemon is often pid 1)
            ch.bind(UnixDomainSocketAddress.of(staging), 64);
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-rw----"));
            if (options.group() != null) {
                GroupPrincipal g = FileSystems.getDefault().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(options.group());
                Files.getFileAttributeView(staging, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setGroup(g);
            }
            Files.move(staging, path, StandardCopyOption.ATOMIC_MOVE);
            placed = true;
            boundFileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            ch.configureBlocking(false);
            selector = Selector.open();
            ch.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (selector != null) {
                selector.close();
                selector = null;
            }
            Files.deleteIfExists(staging);
            if (placed) {
                Files.deleteIfExists(path);
            }
            throw new IOException(path + ": cannot set up control socket: " + e.getMessage(), e);
        }
        server = ch;
    }

    /** Binds if not yet done, and starts serving. */
    public synchronized void start() throws IOException {
        if (loop != null) {
            throw new IllegalStateException("already started");
        }
        bind();
        loop = new Thread(this::serveLoop, "pflowd-control");
        loop.setDaemon(true);
        loop.start();
        log.info("control socket {} ready", options.socket());
    }

    /** Where the daemon of {@code pid} binds before renaming the socket to {@code path}: ".NAME.PID" beside it. */
    static Path stagingPath(Path path, long pid) {
        return path.resolveSibling("." + path.getFileName() + "." + pid);
    }

    /** Staging sockets of daemons killed between bind and rename: sockets named ".NAME.PID" of no live process. */
    private static void removeStagingLeftovers(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        String prefix = "." + path.getFileName() + ".";
        DirectoryStream.Filter<Path> named = p -> p.getFileName().toString().startsWith(prefix);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, named)) {
            for (Path p : entries) {
                String pid = p.getFileName().toString().substring(prefix.length());
                boolean digits = !pid.isEmpty() && pid.chars().allMatch(Character::isDigit) && pid.length() < 19;
                if (digits && ProcessHandle.of(Long.parseLong(pid)).isEmpty()
                        && Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                    log.info("removing {} left by a pflowd that is gone", p);
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void removeStale(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isOther()) {
            throw new IOException(path + ": exists and is not a socket; not replacing it");
        }
        SocketChannel probe;
        try {
            probe = SocketChannel.open(UnixDomainSocketAddress.of(path));
        } catch (SocketException refused) {
            log.info("replacing stale control socket {}", path);
            Files.deleteIfExists(path);
            return;
        }
        probe.close();
        throw new IOException(path + ": another pflowd is listening on this socket");
    }

    /** One connection's state: what was read of its requests, the reply being written, its deadlines. */
    private final class Connection {
        final int id = clientIds.incrementAndGet();
        final SocketChannel channel;
        final SelectionKey key;
        final Peer peer;
        final long openedNanos = System.nanoTime();
        /** Bytes read and not yet taken as a request line. */
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        final ArrayDeque<String> requests = new ArrayDeque<>();
        ByteBuffer reply;
        /** When the next request line must be complete, or the reply taken. */
        long deadlineNanos;
        boolean eof;
        boolean closeAfterReply;

        Connection(SocketChannel channel, SelectionKey key, Peer peer) {
            this.channel = channel;
            this.key = key;
            this.peer = peer;
            this.deadlineNanos = openedNanos + TimeUnit.MILLISECONDS.toNanos(options.timeoutMillis());
        }

        boolean isRoot() {
            return peer.root();
        }
    }

    private void serveLoop() {
        ByteBuffer readBuffer = ByteBuffer.allocate(8192);
        while (!closing) {
            try {
                selector.select(nextWakeMillis());
                for (SelectionKey k : selector.selectedKeys()) {
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        acceptAll();
                    } else if (k.attachment() instanceof Connection c) {
                        if (k.isReadable()) {
                            read(c, readBuffer);
                        }
                        if (k.isValid() && k.isWritable()) {
                            flush(c);
                        }
                    }
                }
                selector.selectedKeys().clear();
                serveRequests();
                expire();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closing) {
                    return;
                }
                log.warn("control socket: {}", e.toString());
            }
        }
    }

    private long nextWakeMillis() {
        long now = System.nanoTime();
        long next = now + TimeUnit.SECONDS.toNanos(1);
        for (Connection c : connections) {
            next = Math.min(next, Math.min(c.deadlineNanos, c.openedNanos
                    + TimeUnit.MILLISECONDS.toNanos(options.connectionMillis())));
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - now) + 1);
    }

    private void acceptAll() throws IOException {
        while (true) {
            SocketChannel ch = server.accept();
            if (ch == null) {
                return;
            }
            Peer peer = peers.of(ch);
            String busy = admit(peer);
            if (busy != null) {
                refuse(ch, peer, busy);
                continue;
            }
            try {
                ch.configureBlocking(false);
                SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
                Connection c = new Connection(ch, key, peer);
                key.attach(c);
                connections.add(c);
                connectionsByUser.merge(peer.user(), 1, Integer::sum);
                if (!peer.root()) {
                    otherConnections++;
                }
            } catch (IOException e) {
                ch.close();
            }
        }
    }

    /** Null when a connection of {@code peer} may be served now, else the busy reply's reason. */
    private String admit(Peer peer) {
        int ofUser = connectionsByUser.getOrDefault(peer.user(), 0);
        if (peer.root()) {
            return ofUser >= options.maxRootClients()
                    ? options.maxRootClients() + " control connections of root already open" : null;
        }
        if (ofUser >= options.maxPerUid()) {
            return options.maxPerUid() + " control connections of user " + peer.user() + " already open";
        }
        if (otherConnections >= options.maxClients()) {
            return options.maxClients() + " control clients";
        }
        return null;
    }

    private void refuse(SocketChannel ch, Peer peer, String why) {
        try (ch) {
            ch.configureBlocking(false);
            // A fresh socket's send buffer takes this line whole; a client that does not read loses nothing else.
            ch.write(ByteBuffer.wrap((ControlProtocol.encode(ControlProtocol.Response.failure(
                    "ifconfig: pflowd is busy (" + why + "), try again")) + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            log.debug("control client refused: {}", e.toString());
        }
        long now = System.currentTimeMillis();
        if (now - lastRefusalLog >= REFUSAL_LOG_MILLIS) {
            log.warn("control socket: refused a connection of user {}: {}{}", peer.user(), why, refusalsSinceLog == 0 ? ""
                    : " (" + refusalsSinceLog + " more refused since the last such message)");
            lastRefusalLog = now;
            refusalsSinceLog = 0;
        } else {
            refusalsSinceLog++;
        }
    }

    private void read(Connection c, ByteBuffer buf) throws IOException {
        buf.clear();
        int n;
        try {
            n = c.channel.read(buf);
        } catch (IOException e) {
            drop(c);
            return;
        }
        if (n < 0) {
            c.eof = true;
            if (c.pending.size() > 0) {
                c.requests.add(c.pending.toString(StandardCharsets.UTF_8));
                c.pending.reset();
            }
            c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_READ);
            if (c.requests.isEmpty() && c.reply == null) {
                drop(c);
            }
            return;
        }
        byte[] a = buf.array();
        for (int i = 0; i < n; i++) {
            if (a[i] == '\n') {
                c.requests.add(c.pending.toString(StandardCharsets.UTF_8));
                c.pending.reset();
            } else if (c.pending.size() >= ControlProtocol.MAX_REQUEST) {
                c.requests.clear();
                c.pending.reset();
                replyAndClose(c, "ifconfig: control request too large (max " + ControlProtocol.MAX_REQUEST
                        + " bytes)");
                return;
            } else {
                c.pending.write(a[i]);
            }
        }
        if (!c.requests.isEmpty()) {
            // One request at a time per connection: read on once its reply is out.
            c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    /** At most one request per connection per round, root's first. */
    private void serveRequests() {
        List<Connection> ready = new ArrayList<>();
        for (Connection c : connections) {
            if (c.reply == null && !c.requests.isEmpty() && !c.closeAfterReply) {
                ready.add(c);
            }
        }
        ready.sort(Comparator.comparing(c -> !c.isRoot()));
        for (Connection c : ready) {
            String line = c.requests.poll();
            ControlProtocol.Response r = handle(line, c.isRoot());
            if (c.eof && c.requests.isEmpty()) {
                c.closeAfterReply = true;
            }
            send(c, ControlProtocol.encode(r));
        }
    }

    private void replyAndClose(Connection c, String error) {
        c.closeAfterReply = true;
        c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_READ);
        send(c, ControlProtocol.encode(ControlProtocol.Response.failure(error)));
    }

    private void send(Connection c, String text) {
        c.reply = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        c.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.timeoutMillis());
        flush(c);
    }

    private void flush(Connection c) {
        if (c.reply == null) {
            return;
        }
        try {
            c.channel.write(c.reply);
        } catch (IOException e) {
            drop(c);
            return;
        }
        if (c.reply.hasRemaining()) {
            c.key.interestOps(c.key.interestOps() | SelectionKey.OP_WRITE);
            return;
        }
        c.reply = null;
        if (c.closeAfterReply || (c.eof && c.requests.isEmpty())) {
            drop(c);
            return;
        }
        c.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.timeoutMillis());
        c.key.interestOps(c.requests.isEmpty() ? SelectionKey.OP_READ : 0);
    }

    /** Enforces the per-connection deadlines. */
    private void expire() {
        long now = System.nanoTime();
        for (Connection c : new ArrayList<>(connections)) {
            if (!c.channel.isOpen()) {
                continue;
            }
            boolean tooOld = now - c.openedNanos >= TimeUnit.MILLISECONDS.toNanos(options.connectionMillis());
            if (c.reply != null) {
                if (now >= c.deadlineNanos) {
                    log.debug("control client {} did not read its reply; dropped", c.id);
                    drop(c);
                }
            } else if (tooOld && c.requests.isEmpty()) {
                replyAndClose(c, "ifconfig: control connection open longer than " + options.connectionMillis()
                        + " ms, closed");
            } else if (now >= c.deadlineNanos && c.requests.isEmpty()) {
                replyAndClose(c, "ifconfig: control request timed out after " + options.timeoutMillis() + " ms");
            }
        }
    }

    private void drop(Connection c) {
        if (!connections.remove(c)) {
            return;
        }
        c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException e) {
            log.debug("control client {}: {}", c.id, e.toString());
        }
        connectionsByUser.computeIfPresent(c.peer.user(), (k, v) -> v > 1 ? v - 1 : null);
        if (!c.isRoot()) {
            otherConnections--;
        }
    }

    /** The peer by SO_PEERCRED; an unknown peer is read-only, counted as one unknown user. */
    private static Peer credentials(SocketChannel channel) {
        try {
            UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (peer == null) {
                return new Peer("unknown", false);
            }
            return new Peer(peer.user().getName(), ROOT.equals(peer.user()));
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("control socket: no peer credentials ({}); read-only access", e.toString());
            return new Peer("unknown", false);
        }
    }

    /** One request to one response; never throws. Package-private for tests. */
    ControlProtocol.Response handle(String line, boolean mayChange) {
        ControlProtocol.Request req;
        try {
            req = ControlProtocol.decodeRequest(line);
        } catch (JsonProcessingException e) {
            return ControlProtocol.Response.failure("ifconfig: malformed control request: "
                    + OneLine.value(String.valueOf(e.getOriginalMessage())));
        }
        if (req.op() == null) {
            return ControlProtocol.Response.failure("ifconfig: malformed control request: no op");
        }
        try {
            ControlProtocol.Response r = answer(req, mayChange);
            // ifconfig asks for the statuses rendered: it then decodes no status of its own.
            return req.view() != null && r.ok() ? ControlProtocol.Response.rendered(r.interfaces(), req.view()) : r;
        } catch (ConfigException e) {
            // The one place a refusal becomes the line ifconfig prints.
            return ControlProtocol.Response.failure(OneLine.of(e.line()));
        } catch (RuntimeException e) {
            log.error("control request failed: {}", OneLine.escape(line, 200), e);
            return ControlProtocol.Response.failure("ifconfig: internal error in pflowd: " + OneLine.of(e.toString()));
        }
    }

    private ControlProtocol.Response answer(ControlProtocol.Request req, boolean mayChange) throws ConfigException {
        switch (req.op()) {
            case ControlProtocol.OP_LIST:
                return ControlProtocol.Response.success(manager.list());
            case ControlProtocol.OP_STATUS: {
                IfconfigCommand cmd = IfconfigCommand.parse(req.args());
                if (!cmd.isQuery()) {
                    return ControlProtocol.Response.failure("ifconfig: status takes only an interface name");
                }
                return ControlProtocol.Response.success(List.of(manager.status(cmd.name())));
            }
            case ControlProtocol.OP_APPLY: {
                IfconfigCommand cmd = IfconfigCommand.parse(req.args());
                if (cmd.isQuery()) {
                    return ControlProtocol.Response.success(List.of(manager.status(cmd.name())));
                }
                if (!mayChange) {
                    return ControlProtocol.Response.failure("ifconfig: " + cmd.name()
                            + ": Operation not permitted (only root may change pflow interfaces)");
                }
                InterfaceStatus after = manager.apply(cmd);
                log.info("ifconfig {}", cmd);
                return ControlProtocol.Response.success(after == null ? List.of() : List.of(after));
            }
            default:
                return ControlProtocol.Response.failure("ifconfig: unknown control operation: "
                        + OneLine.value(req.op()));
        }
    }

    /** Stops serving, closes every connection, removes the socket file. */
    @Override
    public synchronized void close() throws IOException {
        if (server == null) {
            return;
        }
        closing = true;
        if (selector != null) {
            selector.wakeup();
        }
        if (loop != null) {
            try {
                loop.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Connection c : new ArrayList<>(connections)) {
            drop(c);
        }
        selector.close();
        server.close();
        Path path = options.socket();
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(key, boundFileKey)) {
                Files.deleteIfExists(path);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // removed by someone else: nothing to do
        }
        server = null;
    }
}
