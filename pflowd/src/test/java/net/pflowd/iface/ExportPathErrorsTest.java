package net.pflowd.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import net.pflowd.linux.Errno;
import org.junit.jupiter.api.Test;

/** Unprivileged: argument checks (refused before any socket exists), the kernel's errno kept, address text. */
class ExportPathErrorsTest {

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void flowsrcOfTheOtherFamilyIsRefusedWithEafnosupport() throws Exception {
        assertThatThrownBy(() -> ExportPath.open("pflow0", at("::1", 0), at("127.0.0.1", 2055), null))
                .isInstanceOf(IfaceException.class)
                .hasMessage("pflow0: flowsrc ::1: " + IfaceException.strerror(Errno.EAFNOSUPPORT))
                .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.EAFNOSUPPORT);
        assertThatThrownBy(() -> ExportPath.open("pflow1", at("127.0.0.1", 7000), at("::1", 2055), null))
                .isInstanceOf(IfaceException.class)
                .hasMessage("pflow1: flowsrc 127.0.0.1:7000: " + IfaceException.strerror(Errno.EAFNOSUPPORT));
    }

    @Test
    void unusableFlowdstIsRefused() throws Exception {
        assertThatThrownBy(() -> ExportPath.open("pflow0", null, at("127.0.0.1", 0), null))
                .isInstanceOf(IfaceException.class)
                .hasMessage("pflow0: flowdst 127.0.0.1: " + IfaceException.strerror(Errno.EINVAL));
        assertThatThrownBy(() -> ExportPath.open("pflow0", null, at("0.0.0.0", 2055), null))
                .isInstanceOf(IfaceException.class)
                .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.EINVAL);
        assertThatThrownBy(() -> ExportPath.open("pflow0", null,
                InetSocketAddress.createUnresolved("collector.invalid", 2055), null))
                .isInstanceOf(IfaceException.class)
                .hasMessage("pflow0: flowdst collector.invalid/<unresolved>:2055: unresolved address");
        assertThatThrownBy(() -> ExportPath.open("pflow0", null, null, null)).isInstanceOf(IfaceException.class);
    }

    @Test
    void theKernelsErrnoIsKeptWithItsText() throws Exception {
        // 192.0.2.77 (TEST-NET-1) is no address of this host: bind(2) says EADDRNOTAVAIL.
        assertThatThrownBy(() -> ExportPath.open("pflow3", at("192.0.2.77", 0), at("127.0.0.1", 2055), null))
                .isInstanceOf(IfaceException.class)
                .hasMessage("pflow3: flowsrc 192.0.2.77: " + IfaceException.strerror(Errno.EADDRNOTAVAIL))
                .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.EADDRNOTAVAIL);
        try (DatagramSocket taken = new DatagramSocket(at("127.0.0.1", 0))) {
            InetSocketAddress busy = at("127.0.0.1", taken.getLocalPort());
            assertThatThrownBy(() -> ExportPath.open("pflow3", busy, at("127.0.0.1", 2055), null))
                    .isInstanceOf(IfaceException.class)
                    .hasMessage("pflow3: flowsrc 127.0.0.1:" + busy.getPort() + ": "
                            + IfaceException.strerror(Errno.EADDRINUSE))
                    .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.EADDRINUSE);
        }
    }

    @Test
    void addressesAreWrittenAsIfconfigShowsThem() throws Exception {
        assertThat(ExportPath.format(at("10.0.0.2", 2055))).isEqualTo("10.0.0.2:2055");
        assertThat(ExportPath.format(at("10.9.9.9", 0))).isEqualTo("10.9.9.9");
        assertThat(ExportPath.format(at("::1", 2055))).isEqualTo("[::1]:2055");
        assertThat(ExportPath.format(at("fd00:0078:0:0:0:0:0:0002", 0))).isEqualTo("fd00:78::2");
        assertThat(ExportPath.format(at("2001:db8:0:1:0:0:0:1", 9995))).isEqualTo("[2001:db8:0:1::1]:9995");
        assertThat(ExportPath.format(at("::", 0))).isEqualTo("::");
        assertThat(ExportPath.format(at("1:0:2:0:0:0:0:0", 0))).isEqualTo("1:0:2::");
        // RFC 5952: a single zero group stays; of two equal runs the first is shortened.
        assertThat(ExportPath.format(at("1:0:2:3:4:5:6:7", 0))).isEqualTo("1:0:2:3:4:5:6:7");
        assertThat(ExportPath.format(at("1:0:0:2:0:0:3:4", 0))).isEqualTo("1::2:0:0:3:4");
    }
}
