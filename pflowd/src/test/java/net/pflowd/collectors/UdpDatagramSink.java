package net.pflowd.collectors;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import net.pflowd.export.DatagramSink;

/** Sends every datagram the engine emits to one collector over a connected UDP socket. */
public final class UdpDatagramSink implements DatagramSink, AutoCloseable {
    private final DatagramChannel channel;
    private int sent;

    public UdpDatagramSink(InetSocketAddress collector) throws IOException {
        channel = DatagramChannel.open();
        channel.connect(collector);
    }

    @Override
    public void send(ByteBuffer payload) throws IOException {
        int length = payload.remaining();
        int n = channel.write(payload);
        if (n != length) {
            throw new IOException("short UDP write: " + n + " of " + length + " bytes");
        }
        sent++;
    }

    /** Datagrams written so far. */
    public int sent() {
        return sent;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
