package net.pflowd.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ListenCommandTest {
    @Test
    void bindAddressForms() throws Exception {
        assertThat(ListenCommand.parseBind("9995")).isEqualTo(new InetSocketAddress(9995));
        assertThat(ListenCommand.parseBind("9995").getAddress().isAnyLocalAddress()).isTrue();
        assertThat(ListenCommand.parseBind("127.0.0.1:9995"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9995));
        assertThat(ListenCommand.parseBind("[::1]:4739"))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 4739));
        assertThat(ListenCommand.parseBind("0")).isEqualTo(new InetSocketAddress(0));
    }

    @Test
    void badBindAddressesAreRefused() {
        assertThatThrownBy(() -> ListenCommand.parseBind("::1:9995")).hasMessageContaining("[IPV6]:PORT");
        assertThatThrownBy(() -> ListenCommand.parseBind("localhost:9995")).hasMessageContaining("[IPV6]:PORT");
        assertThatThrownBy(() -> ListenCommand.parseBind("70000")).hasMessage("port 70000 is out of range");
        assertThatThrownBy(() -> ListenCommand.parseBind("[zz::1]:1")).hasMessageContaining("[IPV6]:PORT");
        assertThatThrownBy(() -> ListenCommand.parseBind("[1:2:3]:1")).hasMessageContaining("bad address");
    }
}
