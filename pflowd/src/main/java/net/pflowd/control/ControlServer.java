package net.pflowd.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
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
 * <li>Bounded: at most {@link Options#maxClients} clients at once (others get an error reply), a request line of at
 * most {@link ControlProtocol#MAX_REQUEST} bytes (else an error reply and close), {@link Options#timeoutMillis}
 * to send each request. A malformed request gets an error reply; nothing a client sends can stop the daemon.</li>
 * <li>At start a stale socket file (nobody listening) is replaced; a live one means another daemon: refused.
 * {@link #close} removes the file if it is still the one bound here.</li>
 * </ul>
 */
public final class ControlServer implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

    /**
     * @param socket        socket path, see {@link ControlSocket#resolve}
     * @param group         group owning the socket file (name or gid), or null to keep the daemon's group
     * @param maxClients    concurrent clients served
     * @param timeoutMillis time a client has to send each request line
     */
    public record Options(Path socket, String group, int maxClients, long timeoutMillis) {
        public Options {
            Objects.requireNonNull(socket, "socket");
            if (maxClients < 1) {
                throw new IllegalArgumentException("maxClients < 1");
            }
            if (timeoutMillis < 1) {
                throw new IllegalArgumentException("timeoutMillis < 1");
            }
        }

        /** 4 clients, 5 s, daemon's group. */
        public static Options defaults(Path socket) {
            return new Options(socket, null, 4, 5_000);
        }

        public Options withGroup(String g) {
            return new Options(socket, g, maxClients, timeoutMillis);
        }

        public Options withTimeoutMillis(long t) {
            return new Options(socket, group, maxClients, t);
        }

        public Options withMaxClients(int n) {
            return new Options(socket, group, n, timeoutMillis);
        }
    }

    private final Options options;
    private final InterfaceManager manager;
    private final UserPrincipal root;
    private final AtomicInteger clientIds = new AtomicInteger();
    private ServerSocketChannel server;
    private Object boundFileKey;
    private Thread acceptor;
    private ThreadPoolExecutor workers;

    public ControlServer(Options options, InterfaceManager manager) throws IOException {
        this.options = Objects.requireNonNull(options, "options");
        this.manager = Objects.requireNonNull(manager, "manager");
        // A numeric name that is no user name is taken as the uid: this is uid 0 whatever it is called.
        this.root = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("0");
    }

    public Path socketPath() {
        return options.socket();
    }

    /** Binds the socket, sets its mode and group, and starts accepting. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        Path path = options.socket();
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            // e.g. /run/pflowd/ outside systemd (which makes it as the unit's RuntimeDirectory)
            Files.createDirectories(parent);
        }
        removeStale(path);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path), 16);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
            if (options.group() != null) {
                GroupPrincipal g = FileSystems.getDefault().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(options.group());
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(g);
            }
            boundFileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw new IOException(path + ": cannot set up control socket: " + e.getMessage(), e);
        }
        server = ch;
        workers = new ThreadPoolExecutor(options.maxClients(), options.maxClients(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "pflowd-control-client");
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
        acceptor = new Thread(this::acceptLoop, "pflowd-control");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("control socket {} ready", path);
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

    private void acceptLoop() {
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("control socket accept: {}", e.toString());
                if (!server.isOpen()) {
                    return;
                }
                continue;
            }
            try {
                workers.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                refuseBusy(client);
            }
        }
    }

    private void refuseBusy(SocketChannel client) {
        try (LineChannel lc = new LineChannel(client)) {
            lc.writeLine(ControlProtocol.encode(ControlProtocol.Response.failure(
                    "ifconfig: pflowd is busy (" + options.maxClients() + " control clients), try again")), 100);
        } catch (IOException | RuntimeException e) {
            log.debug("control client refused: {}", e.toString());
        }
    }

    private void serve(SocketChannel channel) {
        int id = clientIds.incrementAndGet();
        try (LineChannel lc = new LineChannel(channel)) {
            boolean mayChange = isRoot(channel);
            while (true) {
                LineChannel.Status st = lc.readLine(options.timeoutMillis(), ControlProtocol.MAX_REQUEST);
                switch (st) {
                    case EOF:
                        return;
                    case TIMEOUT:
                        lc.writeLine(ControlProtocol.encode(ControlProtocol.Response.failure(
                                "ifconfig: control request timed out after " + options.timeoutMillis() + " ms")),
                                options.timeoutMillis());
                        return;
                    case TOO_LONG:
                        lc.writeLine(ControlProtocol.encode(ControlProtocol.Response.failure(
                                "ifconfig: control request too large (max " + ControlProtocol.MAX_REQUEST
                                        + " bytes)")), options.timeoutMillis());
                        return;
                    case LINE:
                        ControlProtocol.Response r = handle(lc.line(), mayChange);
                        if (!lc.writeLine(ControlProtocol.encode(r), options.timeoutMillis())) {
                            log.warn("control client {} did not read its reply; dropped", id);
                            return;
                        }
                        break;
                    default:
                        throw new AssertionError(st);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("control client {}: {}", id, e.toString());
        }
    }

    private boolean isRoot(SocketChannel channel) {
        try {
            UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return peer != null && root.equals(peer.user());
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("control socket: no peer credentials ({}); read-only access", e.toString());
            return false;
        }
    }

    /** One request to one response; never throws. Package-private for tests. */
    ControlProtocol.Response handle(String line, boolean mayChange) {
        ControlProtocol.Request req;
        try {
            req = ControlProtocol.decode(line, ControlProtocol.Request.class);
        } catch (JsonProcessingException e) {
            return ControlProtocol.Response.failure("ifconfig: malformed control request: "
                    + IfconfigCommand.printable(String.valueOf(e.getOriginalMessage())));
        }
        if (req == null || req.op() == null) {
            return ControlProtocol.Response.failure("ifconfig: malformed control request: no op");
        }
        try {
            ControlProtocol.Response r = answer(req, mayChange);
            return req.view() != null && r.ok() ? ControlProtocol.Response.rendered(r.interfaces(), req.view()) : r;
        } catch (ControlException e) {
            return ControlProtocol.Response.failure(e.getMessage());
        } catch (RuntimeException e) {
            log.error("control request failed: {}", line.length() > 200 ? line.substring(0, 200) : line, e);
            return ControlProtocol.Response.failure("ifconfig: internal error in pflowd: " + e);
        }
    }

    private ControlProtocol.Response answer(ControlProtocol.Request req, boolean mayChange) throws ControlException {
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
                        + IfconfigCommand.printable(req.op()));
        }
    }

    /** Stops accepting, lets running clients finish within their timeout, removes the socket file. */
    @Override
    public synchronized void close() throws IOException {
        if (server == null) {
            return;
        }
        server.close();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
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
