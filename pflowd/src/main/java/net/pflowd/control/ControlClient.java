package net.pflowd.control;

import net.pflowd.text.OneLine;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The client side of the control socket: one request, one reply per call. {@link #render} is ifconfig's (text
 * rendered by the daemon, no status decoded); {@link #list}, {@link #status}, {@link #apply} give typed statuses.
 */
public final class ControlClient {
    /** How long to wait for pflowd's reply. */
    public static final long REPLY_TIMEOUT_MILLIS = 30_000;
    /** Replies carry every interface's status; far above what any real reply needs. */
    static final int MAX_REPLY = 16 * 1024 * 1024;

    private final Path socket;

    public ControlClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    public List<InterfaceStatus> list() throws ControlException {
        return call(new ControlProtocol.Request(ControlProtocol.OP_LIST, List.of()));
    }

    public InterfaceStatus status(String name) throws ControlException {
        List<InterfaceStatus> r = call(new ControlProtocol.Request(ControlProtocol.OP_STATUS, List.of(name)));
        if (r.size() != 1) {
            throw new ControlException("ifconfig: pflowd sent " + r.size() + " interfaces for " + name);
        }
        return r.get(0);
    }

    /** Sends an ifconfig argument vector; returns the interface's status after it (empty after destroy). */
    public List<InterfaceStatus> apply(List<String> argv) throws ControlException {
        return call(new ControlProtocol.Request(ControlProtocol.OP_APPLY, argv));
    }

    /** Sends {@code request}; the reply's interfaces, or its error as a {@link ControlException}. */
    public List<InterfaceStatus> call(ControlProtocol.Request request) throws ControlException {
        ControlProtocol.Response r = send(request);
        if (!r.ok()) {
            throw new ControlException(r.error() != null ? r.error() : "ifconfig: pflowd refused the request");
        }
        return r.interfaces();
    }

    /**
     * Sends an {@code op} with {@code args} and returns the reply's interfaces as {@code view} renders them, the
     * text ifconfig prints ("" when {@code view} is null: a change, which prints nothing). Only the reply's ok,
     * error and output are read: the ifconfig client's path.
     */
    public String render(String op, List<String> args, ControlProtocol.View view) throws ControlException {
        String reply = exchange(ControlProtocol.encodeRequest(new ControlProtocol.Request(op, args, view)));
        ControlProtocol.Rendered r;
        try {
            r = ControlProtocol.decodeRendered(reply);
        } catch (IOException e) {
            throw new ControlException("ifconfig: unreadable reply from pflowd: "
                    + OneLine.value(String.valueOf(e.getMessage())), e);
        }
        if (!r.ok()) {
            throw new ControlException(r.error() != null ? r.error() : "ifconfig: pflowd refused the request");
        }
        return r.output() != null ? r.output() : "";
    }

    /** The raw exchange, decoded. */
    public ControlProtocol.Response send(ControlProtocol.Request request) throws ControlException {
        String reply = exchange(ControlProtocol.encodeRequest(request));
        try {
            return ControlProtocol.decodeResponse(reply);
        } catch (JsonProcessingException e) {
            throw new ControlException("ifconfig: unreadable reply from pflowd: "
                    + OneLine.value(String.valueOf(e.getOriginalMessage())), e);
        }
    }

    /** One request line out, one reply line back. */
    private String exchange(String line) throws ControlException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new ControlException("ifconfig: cannot create a Unix socket: " + e.getMessage(), e);
        }
        try (LineChannel lc = connect(ch)) {
            IOException writeFailure = null;
            try {
                if (!lc.writeLine(line, REPLY_TIMEOUT_MILLIS)) {
                    throw new ControlException("ifconfig: pflowd did not take the request (" + socket + ")");
                }
            } catch (IOException e) {
                // The daemon may have answered and closed before reading (e.g. busy): its reply is still queued.
                writeFailure = e;
            }
            LineChannel.Status st = lc.readLine(REPLY_TIMEOUT_MILLIS, MAX_REPLY);
            if (writeFailure != null && st != LineChannel.Status.LINE) {
                throw writeFailure;
            }
            switch (st) {
                case LINE:
                    return lc.line();
                case EOF:
                    throw new ControlException("ifconfig: pflowd closed the connection without a reply");
                case TIMEOUT:
                    throw new ControlException("ifconfig: no reply from pflowd within "
                            + REPLY_TIMEOUT_MILLIS / 1000 + " s");
                case TOO_LONG:
                    throw new ControlException("ifconfig: reply from pflowd too large");
                default:
                    throw new AssertionError(st);
            }
        } catch (IOException e) {
            throw new ControlException("ifconfig: " + socket + ": " + e.getMessage(), e);
        }
    }

    private LineChannel connect(SocketChannel ch) throws ControlException, IOException {
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (SocketException e) {
            ch.close();
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                throw new ControlException("ifconfig: pflowd is not running (no socket at " + socket + ")", e);
            }
            // The JDK throws ConnectException for ECONNREFUSED alone (of what connect(2) on a Unix socket
            // returns): a socket file nobody listens on, a crashed daemon's. Anything else (EACCES: "Permission
            // denied") is shown with the kernel's words.
            if (e instanceof ConnectException) {
                throw new ControlException("ifconfig: pflowd is not running (stale socket at " + socket + ")", e);
            }
            throw new ControlException("ifconfig: " + socket + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new LineChannel(ch);
    }
}
