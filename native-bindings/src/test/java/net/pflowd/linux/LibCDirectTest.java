package net.pflowd.linux;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import com.sun.jna.ptr.IntByReference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The direct-mapped calls against a real UDP socket on loopback, and the hand-written struct offsets in
 * {@link Socket} against JNA's own C layout of the same declarations.
 */
class LibCDirectTest {
    /** A structure whose field offsets the test may ask for. */
    public abstract static class Layout extends Structure {
        int offset(String field) {
            return fieldOffset(field);
        }
    }

    @FieldOrder({"iov_base", "iov_len"})
    public static class IoVec extends Layout {
        public Pointer iov_base;
        public long iov_len;
    }

    @FieldOrder({"msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control", "msg_controllen", "msg_flags"})
    public static class MsgHdr extends Layout {
        public Pointer msg_name;
        public int msg_namelen;
        public Pointer msg_iov;
        public long msg_iovlen;
        public Pointer msg_control;
        public long msg_controllen;
        public int msg_flags;
    }

    @FieldOrder({"msg_hdr", "msg_len"})
    public static class MMsgHdr extends Layout {
        public MsgHdr msg_hdr;
        public int msg_len;
    }

    @Test
    void iovecMsghdrAndMmsghdrOffsetsAreTheCLayout() {
        IoVec iov = new IoVec();
        assertThat(iov.size()).isEqualTo(Uio.IOVEC_SIZE);
        assertThat(iov.offset("iov_len")).isEqualTo(Uio.IOV_LEN_OFFSET);
        MsgHdr h = new MsgHdr();
        assertThat(h.size()).isEqualTo(Socket.MSGHDR_SIZE);
        assertThat(h.offset("msg_namelen")).isEqualTo(Socket.MSG_NAMELEN_OFFSET);
        assertThat(h.offset("msg_iov")).isEqualTo(Socket.MSG_IOV_OFFSET);
        assertThat(h.offset("msg_iovlen")).isEqualTo(Socket.MSG_IOVLEN_OFFSET);
        assertThat(h.offset("msg_control")).isEqualTo(Socket.MSG_CONTROL_OFFSET);
        assertThat(h.offset("msg_controllen")).isEqualTo(Socket.MSG_CONTROLLEN_OFFSET);
        assertThat(h.offset("msg_flags")).isEqualTo(Socket.MSG_FLAGS_OFFSET);
        MMsgHdr m = new MMsgHdr();
        assertThat(m.size()).isEqualTo(Socket.MMSGHDR_SIZE);
        assertThat(m.offset("msg_len")).isEqualTo(Socket.MMSG_LEN_OFFSET);
    }

    @Test
    void sockaddrInIsSixteenBytesInNetworkOrder() {
        In.SockaddrIn sa = new In.SockaddrIn(In.INADDR_LOOPBACK, 2055);
        assertThat(sa.size()).isEqualTo(16);
        sa.write();
        assertThat(sa.getPointer().getByteArray(0, 8)).containsExactly(2, 0, 0x08, 0x07, 127, 0, 0, 1);
        assertThat(sa.port()).isEqualTo(2055);
        assertThat(sa.address()).isEqualTo(In.INADDR_LOOPBACK);
    }

    @Test
    void sockaddrIn6IsTwentyEightBytesInNetworkOrder() {
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        In6.SockaddrIn6 sa = new In6.SockaddrIn6(loopback, 2055, 3);
        assertThat(sa.size()).isEqualTo(28);
        sa.write();
        byte[] raw = sa.getPointer().getByteArray(0, 28);
        assertThat(raw[0] | raw[1] << 8).isEqualTo(Socket.AF_INET6);
        assertThat(new byte[] {raw[2], raw[3]}).containsExactly(0x08, 0x07);
        assertThat(raw[23]).isEqualTo((byte) 1);
        assertThat(sa.port()).isEqualTo(2055);
        assertThat(sa.getPointer().getInt(24)).isEqualTo(3);
    }

    @Test
    void recvmmsgReceivesSeveralDatagramsInOneCallFlagsTruncationAndAnEmptySocketReportsEagain() throws Exception {
        int fd = LibC.INSTANCE.socket(Socket.AF_INET, SocketType.SOCK_DGRAM | SocketType.SOCK_CLOEXEC, 0);
        try {
            In.SockaddrIn sa = new In.SockaddrIn(In.INADDR_LOOPBACK, 0);
            LibC.INSTANCE.bind(fd, sa, sa.size());
            IntByReference len = new IntByReference(sa.size());
            LibC.INSTANCE.getsockname(fd, sa, len);
            int port = sa.port();

            String longer = "x".repeat(100); // longer than a slot: truncated, and flagged so
            try (DatagramChannel tx = DatagramChannel.open()) {
                for (String s : new String[] {"one", "three", "fifteen", longer}) {
                    tx.send(ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)),
                            new InetSocketAddress("127.0.0.1", port));
                }
            }

            int slots = 5, slot = 64;
            Socket.MmsgVector v = new Socket.MmsgVector(slots, slot);
            int n = LibCDirect.recvmmsg(fd, v.address(), v.slots(), Socket.MSG_DONTWAIT, 0);
            assertThat(n).isEqualTo(4);
            String[] got = new String[n];
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[v.length(i)];
                v.data().get(v.offset(i), b);
                got[i] = new String(b, StandardCharsets.US_ASCII);
            }
            assertThat(got).containsExactly("one", "three", "fifteen", longer.substring(0, slot));
            assertThat(new boolean[] {v.truncated(0), v.truncated(1), v.truncated(2), v.truncated(3)})
                    .containsExactly(false, false, false, true);

            ByteBuffer data = v.data();
            assertThat(LibCDirect.recvmmsg(fd, v.address(), v.slots(), Socket.MSG_DONTWAIT, 0)).isEqualTo(-1);
            assertThat(Native.getLastError()).isEqualTo(Errno.EAGAIN);
            assertThat(LibCDirect.recv(-1, LibCDirect.address(data), slot, Socket.MSG_DONTWAIT)).isEqualTo(-1);
            assertThat(Native.getLastError()).isEqualTo(Errno.EBADF);
            assertThat(LibCDirect.recv(fd, LibCDirect.address(data), slot, Socket.MSG_DONTWAIT)).isEqualTo(-1);
            assertThat(Native.getLastError()).isEqualTo(Errno.EAGAIN);
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }
}
