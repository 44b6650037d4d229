package net.pflowd.listen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpDropsTest {
    @Test
    void dropsOfTheSocketsOnOnePort() {
        List<String> table = List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                "  123: 0100007F:270B 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4711 2 0000000000000000 17",
                "  124: 00000000:270B 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4712 2 0000000000000000 3",
                "  125: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4713 2 0000000000000000 99");
        assertThat(UdpDrops.dropsIn(table, 9995)).isEqualTo(20);
        assertThat(UdpDrops.dropsIn(table, 53)).isEqualTo(99);
        assertThat(UdpDrops.dropsIn(table, 1)).isZero();
    }

    @Test
    void aBoundSocketIsFoundInTheKernelsTable() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertThat(UdpDrops.forLocalPort(s.getLocalPort())).isZero();
        }
    }
}
