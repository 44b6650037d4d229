package net.pflowd.linux;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import com.sun.jna.ptr.IntByReference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    /** struct sockaddr_in (16 bytes); port and address in network order. */
    @FieldOrder({"sin_family", "sin_port", "sin_addr", "sin_zero"})
    public static class SockaddrIn extends Structure {
        public short sin_family;
        public short sin_port;
        public int sin_addr;
        public byte[] sin_zero = new byte[8];
    }

    @Test
    void iovecMsghdrAndMmsghdrOffsetsAreTheCLayout() {
        IoVec iov = new IoVec();
        assertThat(iov.size()).isEqualTo(Socket.IOVEC_SIZE);
        assertThat(iov.offset("iov_len")).isEqualTo(Socket.IOV_LEN_OFFSET);
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
    void recvmmsgReceivesSeveralDatagramsInOneCallAndAnEmptySocketReportsEagain() throws Exception {
        int fd = LibC.INSTANCE.socket(Socket.AF_INET, Socket.SOCK_DGRAM | Socket.SOCK_CLOEXEC, 0);
        try {
            SockaddrIn sa = new SockaddrIn();
            sa.sin_family = Socket.AF_INET;
            sa.sin_addr = Integer.reverseBytes(0x7f000001); // 127.0.0.1, network order on a little-endian host
            LibC.INSTANCE.bind(fd, sa, sa.size());
            IntByReference len = new IntByReference(sa.size());
            LibC.INSTANCE.getsockname(fd, sa, len);
            int port = Short.reverseBytes(sa.sin_port) & 0xffff;

            try (DatagramChannel tx = DatagramChannel.open()) {
                for (String s : new String[] {"one", "three", "fifteen"}) {
                    tx.send(ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)),
                            new InetSocketAddress("127.0.0.1", port));
                }
            }

            int slots = 4, slot = 64;
            ByteBuffer data = ByteBuffer.allocateDirect(slots * slot);
            ByteBuffer iovs = ByteBuffer.allocateDirect(slots * Socket.IOVEC_SIZE).order(ByteOrder.nativeOrder());
            ByteBuffer msgs = ByteBuffer.allocateDirect(slots * Socket.MMSGHDR_SIZE).order(ByteOrder.nativeOrder());
            long dataAt = LibCDirect.address(data), iovAt = LibCDirect.address(iovs);
            for (int i = 0; i < slots; i++) {
                iovs.putLong(i * Socket.IOVEC_SIZE + Socket.IOV_BASE_OFFSET, dataAt + (long) i * slot);
                iovs.putLong(i * Socket.IOVEC_SIZE + Socket.IOV_LEN_OFFSET, slot);
                msgs.putLong(i * Socket.MMSGHDR_SIZE + Socket.MSG_IOV_OFFSET, iovAt + (long) i * Socket.IOVEC_SIZE);
                msgs.putLong(i * Socket.MMSGHDR_SIZE + Socket.MSG_IOVLEN_OFFSET, 1);
            }
            int n = LibCDirect.recvmmsg(fd, LibCDirect.address(msgs), slots, Socket.MSG_DONTWAIT, 0);
            assertThat(n).isEqualTo(3);
            String[] got = new String[n];
            for (int i = 0; i < n; i++) {
                int l = msgs.getInt(i * Socket.MMSGHDR_SIZE + Socket.MMSG_LEN_OFFSET);
                byte[] b = new byte[l];
                data.get(i * slot, b);
                got[i] = new String(b, StandardCharsets.US_ASCII);
            }
            assertThat(got).containsExactly("one", "three", "fifteen");

            assertThat(LibCDirect.recvmmsg(fd, LibCDirect.address(msgs), slots, Socket.MSG_DONTWAIT, 0)).isEqualTo(-1);
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
