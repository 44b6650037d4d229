package net.pflowd.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.pflowd.linux.Errno;
import org.junit.jupiter.api.Test;

/** The native UDP socket against the kernel on loopback: data arrives, and each failure carries its errno. */
class UdpSocketTest {

    @Test
    void aConnectedSocketSendsHeapAndDirectBuffersAndKnowsItsLocalAddress() throws Exception {
        for (String host : new String[] {"127.0.0.1", "::1"}) {
            InetAddress lo = InetAddress.getByName(host);
            try (DatagramSocket collector = new DatagramSocket(new InetSocketAddress(lo, 0));
                    UdpSocket s = UdpSocket.open(host.contains(":"), "test")) {
                collector.setSoTimeout(5000);
                s.bind(new InetSocketAddress(lo, 0));
                s.connect(new InetSocketAddress(lo, collector.getLocalPort()));
                InetSocketAddress local = s.localAddress();
                assertThat(local.getAddress()).isEqualTo(lo);
                assertThat(local.getPort()).isPositive();

                ByteBuffer heap = ByteBuffer.wrap("xxheap".getBytes(StandardCharsets.US_ASCII));
                heap.position(2);
                assertThat(s.send(heap)).isEqualTo(4);
                assertThat(heap.position()).isEqualTo(2);
                ByteBuffer direct = ByteBuffer.allocateDirect(16).put("yydirect".getBytes(StandardCharsets.US_ASCII));
                direct.flip().position(2);
                assertThat(s.send(direct)).isEqualTo(6);

                for (String expected : new String[] {"heap", "direct"}) {
                    DatagramPacket p = new DatagramPacket(new byte[64], 64);
                    collector.receive(p);
                    assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII)).isEqualTo(expected);
                    assertThat(p.getPort()).isEqualTo(local.getPort());
                }
            }
        }
    }

    @Test
    void failuresCarryTheKernelsErrno() throws Exception {
        try (UdpSocket s = UdpSocket.open(false, "export")) {
            assertThatThrownBy(() -> s.bind(new InetSocketAddress(InetAddress.getByName("192.0.2.77"), 0)))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("export: bind: " + ErrnoException.strerror(Errno.EADDRNOTAVAIL))
                    .extracting(e -> ((ErrnoException) e).errno()).isEqualTo(Errno.EADDRNOTAVAIL);
        }
        // A port nobody listens on: the ICMP port unreachable of the first datagram comes back from the next send.
        int closedPort;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closedPort = probe.getLocalPort();
        }
        try (UdpSocket s = UdpSocket.open(false, "export")) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort));
            ByteBuffer one = ByteBuffer.wrap(new byte[] {1});
            assertThat(s.send(one)).isEqualTo(1);
            int second = 0;
            for (int i = 0; i < 50 && second >= 0; i++) {
                second = s.send(one);
                Thread.sleep(10);
            }
            assertThat(second).isEqualTo(-Errno.ECONNREFUSED);
        }
    }
}
