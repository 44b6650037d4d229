package net.pflowd.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.UnsupportedAddressTypeException;
import net.pflowd.linux.Errno;
import org.junit.jupiter.api.Test;

/** Unprivileged: argument checks (refused before any socket exists), errno recovery, address text. */
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
    void errnoIsRecoveredFromTheJdkExceptions() {
        assertThat(ExportPath.errnoOf(new PortUnreachableException())).isEqualTo(Errno.ECONNREFUSED);
        assertThat(ExportPath.errnoOf(new UnsupportedAddressTypeException())).isEqualTo(Errno.EAFNOSUPPORT);
        int[] errnos = {Errno.EADDRNOTAVAIL, Errno.EADDRINUSE, Errno.ENETUNREACH, Errno.EHOSTUNREACH,
            Errno.EMSGSIZE, Errno.EACCES, Errno.EPERM};
        for (int errno : errnos) {
            String text = IfaceException.strerror(errno);
            assertThat(ExportPath.errnoOf(new SocketException(text))).as(text).isEqualTo(errno);
        }
        assertThat(ExportPath.errnoOf(new BindException(IfaceException.strerror(Errno.EADDRNOTAVAIL))))
                .isEqualTo(Errno.EADDRNOTAVAIL);
        assertThat(ExportPath.errnoOf(new IOException("something else"))).isZero();
        assertThat(ExportPath.errnoOf(new IOException())).isZero();

        IfaceException t = ExportPath.typed("pflow3", "send to 10.0.0.2:2055", new PortUnreachableException());
        assertThat(t).hasMessage("pflow3: send to 10.0.0.2:2055: " + IfaceException.strerror(Errno.ECONNREFUSED));
        assertThat(t.errno()).isEqualTo(Errno.ECONNREFUSED);
        IfaceException u = ExportPath.typed("pflow3", "send", new IOException("odd"));
        assertThat(u).hasMessage("pflow3: send: odd");
        assertThat(u.errno()).isZero();
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
