package net.pflowd.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

/** Unprivileged, on loopback: an interface's counters are kept by its export paths at the send, across paths. */
class OutputCountersTest {

    @Test
    void theCountersOfAnInterfaceOutliveItsExportPaths() throws Exception {
        OutputCounters counters = new OutputCounters();
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramChannel collector = DatagramChannel.open(StandardProtocolFamily.INET)) {
            collector.bind(new InetSocketAddress(lo, 0));
            InetSocketAddress at = (InetSocketAddress) collector.getLocalAddress();
            try (ExportPath first = ExportPath.open("pflow0", null, at, null, counters)) {
                first.send(ByteBuffer.wrap(new byte[100]));
                first.send(ByteBuffer.wrap(new byte[50]));
            }
            // flowdst changed: a new path, the same interface counters.
            try (ExportPath second = ExportPath.open("pflow0", null, at, null, counters)) {
                second.send(ByteBuffer.wrap(new byte[10]));
                assertThat(second.sentDatagrams()).isEqualTo(3);
            }
            ByteBuffer in = ByteBuffer.allocate(200);
            int received = 0;
            while (collector.receive(in.clear()) != null) {
                received++;
                if (received == 3) {
                    break;
                }
            }
            assertThat(received).isEqualTo(3);
        }
        assertThat(counters.sentDatagrams()).isEqualTo(3);
        assertThat(counters.sentBytes()).isEqualTo(160);
        assertThat(counters.outputErrors()).isZero();
        assertThat(counters.failedSends()).isZero();
        assertThat(counters.reportedErrors()).isZero();
        // A path opened without the interface's counters counts for itself.
        try (DatagramChannel other = DatagramChannel.open(StandardProtocolFamily.INET)) {
            other.bind(new InetSocketAddress(lo, 0));
            try (ExportPath alone = ExportPath.open("pflow1", null, (InetSocketAddress) other.getLocalAddress(),
                    null)) {
                alone.send(ByteBuffer.wrap(new byte[20]));
                assertThat(alone.sentDatagrams()).isEqualTo(1);
            }
        }
        assertThat(counters.sentDatagrams()).isEqualTo(3);
    }

    @Test
    void aReportedErrorIsCountedOnceBesideTheSendThatWentOut() throws Exception {
        OutputCounters counters = new OutputCounters();
        InetSocketAddress closed;
        try (DatagramChannel gone = DatagramChannel.open(StandardProtocolFamily.INET)) {
            gone.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            closed = (InetSocketAddress) gone.getLocalAddress();
        }
        try (ExportPath path = ExportPath.open("pflow0", null, closed, null, counters)) {
            path.send(ByteBuffer.wrap(new byte[10]));
            long deadline = System.nanoTime() + 5_000_000_000L;
            // Loopback's port unreachable arrives at once; the next send receives it and is sent again.
            while (counters.reportedErrors() == 0 && System.nanoTime() < deadline) {
                path.send(ByteBuffer.wrap(new byte[10]));
            }
        }
        assertThat(counters.reportedErrors()).isPositive();
        assertThat(counters.failedSends()).isZero();
        assertThat(counters.outputErrors()).isEqualTo(counters.reportedErrors());
        assertThat(counters.sentDatagrams()).isGreaterThanOrEqualTo(2);
    }
}
