package net.pflowd.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Layouts checked against gcc's sizeof/offsetof on x86-64 (struct ifreq 40, sockaddr_ll 20). */
class IfStructsTest {
    @Test
    void ifreqIsFortyBytesWithTheUnionAtSixteen() {
        If.IfReq req = new If.IfReq("pflow0");
        assertThat(req.size()).isEqualTo(40);
        req.setIvalue(0x01020304);
        req.write();
        assertThat(req.getPointer().getInt(16)).isEqualTo(0x01020304);
        assertThat(new If.IfMap().size()).isEqualTo(24);
        assertThat(new If.Ifru().size()).isEqualTo(24);
    }

    @Test
    void ifreqWritesNameFlagsAndIvalueWhereTheKernelReadsThem() {
        If.IfReq req = new If.IfReq("pflow12");
        req.setFlags(IfTun.IFF_TUN | IfTun.IFF_NO_PI | IfTun.IFF_TUN_EXCL);
        req.write();
        assertThat(req.getPointer().getByteArray(0, 8)).containsExactly('p', 'f', 'l', 'o', 'w', '1', '2', 0);
        assertThat(req.getPointer().getShort(16)).isEqualTo((short) 0x9001);
        assertThat(req.flags()).isEqualTo(0x9001);

        If.IfReq mtu = new If.IfReq("pflow0");
        mtu.setIvalue(1400);
        mtu.write();
        assertThat(mtu.getPointer().getInt(16)).isEqualTo(1400);

        // What the kernel writes back is what the accessors return.
        mtu.getPointer().setInt(16, 9000);
        mtu.read();
        assertThat(mtu.ivalue()).isEqualTo(9000);
        mtu.getPointer().setShort(16, (short) (If.IFF_UP | If.IFF_RUNNING));
        mtu.read();
        assertThat(mtu.flags()).isEqualTo(If.IFF_UP | If.IFF_RUNNING);
        assertThat(mtu.name()).isEqualTo("pflow0");
    }

    @Test
    void ifreqRejectsNamesThatDoNotFit() {
        assertThatThrownBy(() -> new If.IfReq("pflow0123456789a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new If.IfReq("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new If.IfReq("pflow012345678a").name()).isEqualTo("pflow012345678a");
    }

    @Test
    void sockaddrLlIsTwentyBytesWithProtocolInNetworkOrder() {
        IfPacket.SockaddrLl sll = new IfPacket.SockaddrLl(IfEther.ETH_P_IPV6, 7);
        assertThat(sll.size()).isEqualTo(20);
        sll.sll_addr[0] = (byte) 0xaa;
        sll.write();
        assertThat(sll.getPointer().getByte(12)).isEqualTo((byte) 0xaa);
        assertThat(sll.getPointer().getByteArray(0, 8))
                .containsExactly(Socket.AF_PACKET, 0, 0x86, 0xdd, 7, 0, 0, 0);
        assertThat(sll.protocol()).isEqualTo(0x86DD);
    }

    @Test
    void tunIoctlNumbersMatchTheHeaderEncoding() {
        // _IOW('T', 202, int) = dir(1) << 30 | size(4) << 16 | 'T' << 8 | 202
        assertThat(IfTun.TUNSETIFF).isEqualTo((1L << 30) | (4L << 16) | ('T' << 8) | 202);
        assertThat(IfTun.TUNGETIFF).isEqualTo((2L << 30) | (4L << 16) | ('T' << 8) | 210);
    }
}
