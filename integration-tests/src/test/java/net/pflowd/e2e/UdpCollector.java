package net.pflowd.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import net.pflowd.testutil.NetNs;

/**
 * A plain UDP receiver that keeps every datagram with its sender, in arrival order: the collector of the
 * end-to-end tests, bound in a test namespace (or in the caller's, {@code ns} null).
 */
final class UdpCollector implements AutoCloseable {
    /** One received datagram. */
    record Datagram(byte[] payload, InetSocketAddress sender) {
    }

    private final DatagramChannel channel;
    private final List<Datagram> received = new ArrayList<>();
    private final Thread reader;

    private UdpCollector(DatagramChannel channel) {
        this.channel = channel;
        this.reader = new Thread(this::readLoop, "udp-collector");
        reader.setDaemon(true);
        reader.start();
    }

    static UdpCollector bind(NetNs ns, InetSocketAddress address) throws Exception {
        java.util.concurrent.Callable<DatagramChannel> open = () -> {
            DatagramChannel ch = DatagramChannel.open(address.getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.bind(address);
            return ch;
        };
        return new UdpCollector(ns == null ? open.call() : ns.call(open));
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    int port() throws IOException {
        return address().getPort();
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (true) {
            buf.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue; // an ICMP error queued on the socket; keep receiving
            }
            buf.flip();
            byte[] b = new byte[buf.remaining()];
            buf.get(b);
            synchronized (this) {
                received.add(new Datagram(b, from));
            }
        }
    }

    synchronized List<Datagram> received() {
        return List.copyOf(received);
    }

    synchronized int count() {
        return received.size();
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
