package net.pflowd.control;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Newline-delimited messages on a non-blocking stream channel with deadlines and a size bound: how the client
 * ({@link ControlClient}) reads and writes the control socket. The server serves all its connections from one
 * selector thread instead ({@link ControlServer}).
 */
final class LineChannel implements Closeable {
    /** What {@link #readLine} found. */
    enum Status { LINE, EOF, TOO_LONG, TIMEOUT }

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer in = ByteBuffer.allocate(8192);
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private String line;

    LineChannel(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
        in.flip();
    }

    /** The line found by the last {@link #readLine} that returned {@link Status#LINE}. */
    String line() {
        return line;
    }

    /**
     * Reads up to the next newline. A last line without newline before EOF counts as a line. More than
     * {@code maxBytes} before the newline: {@link Status#TOO_LONG} (the rest is not read).
     */
    Status readLine(long timeoutMillis, int maxBytes) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    line = pending.toString(StandardCharsets.UTF_8);
                    pending.reset();
                    return Status.LINE;
                }
                if (pending.size() >= maxBytes) {
                    return Status.TOO_LONG;
                }
                pending.write(b);
            }
            in.clear();
            int n = channel.read(in);
            in.flip();
            if (n < 0) {
                if (pending.size() > 0) {
                    line = pending.toString(StandardCharsets.UTF_8);
                    pending.reset();
                    return Status.LINE;
                }
                return Status.EOF;
            }
            if (n == 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return Status.TIMEOUT;
                }
                key.interestOps(SelectionKey.OP_READ);
                selector.select(left);
                selector.selectedKeys().clear();
                key.interestOps(0);
            }
        }
    }

    /** Writes {@code text} and a newline; false when the peer did not take it within the timeout. */
    boolean writeLine(String text, long timeoutMillis) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                key.interestOps(SelectionKey.OP_WRITE);
                selector.select(left);
                selector.selectedKeys().clear();
                key.interestOps(0);
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
