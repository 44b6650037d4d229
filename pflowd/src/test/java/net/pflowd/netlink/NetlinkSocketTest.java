package net.pflowd.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.pflowd.linux.Errno;
import net.pflowd.linux.Netlink;
import net.pflowd.linux.Rtnetlink;
import net.pflowd.os.ErrnoException;
import org.junit.jupiter.api.Test;

class NetlinkSocketTest {
    @Test
    void anUnknownProtocolIsAClearError() {
        assertThatThrownBy(() -> NetlinkSocket.open(31, "test socket"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("test socket: socket(AF_NETLINK, 31): ");
    }

    @Test
    void aRefusedCallKeepsItsErrno() throws Exception {
        // NETLINK_ROUTE's groups end at RTNLGRP_MAX (well below 1000): joining a group past them is EINVAL.
        try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_ROUTE, "test")) {
            assertThatThrownBy(() -> s.joinGroup(1000))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                        assertThat(e.subject()).isEqualTo("test");
                        assertThat(e.call()).isEqualTo("NETLINK_ADD_MEMBERSHIP 1000");
                    })
                    .hasMessage("test: NETLINK_ADD_MEMBERSHIP 1000: " + ErrnoException.strerror(Errno.EINVAL));
            assertThat(s.failure("recv", -Errno.ENOBUFS)).hasMessage("test: recv: No buffer space available")
                    .extracting(ErrnoException::errno).isEqualTo(Errno.ENOBUFS);
        }
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
