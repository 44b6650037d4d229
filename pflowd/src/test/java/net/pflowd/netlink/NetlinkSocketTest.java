package net.pflowd.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.pflowd.linux.Netlink;
import net.pflowd.linux.Rtnetlink;
import org.junit.jupiter.api.Test;

class NetlinkSocketTest {
    @Test
    void anUnknownProtocolIsAClearError() {
        assertThatThrownBy(() -> NetlinkSocket.open(31, "test socket"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("test socket: socket(AF_NETLINK, 31): ");
    }

    @Test
    void aRequestIsAnsweredAndAnEmptySocketSaysSo() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_ROUTE, "test")) {
            ByteBuffer buf = ByteBuffer.allocateDirect(65536).order(ByteOrder.nativeOrder());
            assertThat(NetlinkSocket.isEmpty(s.receive(buf, true))).isTrue();
            // RTM_GETLINK for ifindex 1 (lo): one RTM_NEWLINK back
            ByteBuffer req = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
            req.putInt(32).putShort((short) Rtnetlink.RTM_GETLINK).putShort((short) Netlink.NLM_F_REQUEST)
                    .putInt(7).putInt(0);
            req.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(1).putInt(0).putInt(0); // struct ifinfomsg
            req.flip();
            s.send(req, "RTM_GETLINK");
            assertThat(s.poll(5000)).isTrue();
            int n = s.receive(buf, false);
            assertThat(n).isGreaterThan(Netlink.NLMSGHDR_SIZE);
            assertThat(buf.getShort(Netlink.NLMSG_TYPE_OFFSET)).isEqualTo((short) Rtnetlink.RTM_NEWLINK);
            assertThat(buf.getInt(Netlink.NLMSG_SEQ_OFFSET)).isEqualTo(7);
        }
    }
}
