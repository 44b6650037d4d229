package net.pflowd.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetlinkTest {
    @Test
    void sockaddrNlIsTwelveBytes() {
        assertThat(new Netlink.SockaddrNl().size()).isEqualTo(12);
    }

    @Test
    void headerLayoutsMatchTheKernel() {
        assertThat(Netlink.NLMSGHDR_SIZE).isEqualTo(Netlink.NLMSG_PID_OFFSET + 4);
        assertThat(Nfnetlink.NFGENMSG_SIZE).isEqualTo(4);
        assertThat(Netlink.NLMSGERR_SIZE).isEqualTo(4 + Netlink.NLMSGHDR_SIZE);
        assertThat(Netlink.NLM_F_DUMP).isEqualTo(0x300);
        assertThat(Netlink.NLA_TYPE_MASK).isEqualTo(0x3fff);
        assertThat(Netlink.align(13)).isEqualTo(16);
        assertThat(Netlink.align(16)).isEqualTo(16);
    }

    @Test
    void nfnetlinkMessageTypeSplitsIntoSubsystemAndOperation() {
        int type = Nfnetlink.NFNL_SUBSYS_CTNETLINK << 8 | NfnetlinkConntrack.IPCTNL_MSG_CT_DELETE;
        assertThat(Nfnetlink.subsysId(type)).isEqualTo(1);
        assertThat(Nfnetlink.msgType(type)).isEqualTo(2);
    }

    @Test
    void natStatusBits() {
        assertThat(NfConntrackCommon.IPS_NAT_MASK).isEqualTo(0x30);
        assertThat(NfConntrackCommon.IPS_DYING).isEqualTo(0x200);
    }
}
