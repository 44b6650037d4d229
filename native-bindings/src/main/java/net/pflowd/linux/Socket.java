package net.pflowd.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Constants of {@code <sys/socket.h>} / {@code <bits/socket.h>} / {@code <asm-generic/socket.h>} (x86-64 and arm64 agree). */
public final class Socket {
    private Socket() {
    }

    // Address families (bits/socket.h).
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;

    // Socket types (bits/socket_type.h).
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;

    // Levels.
    public static final int SOL_SOCKET = 1;
    public static final int SOL_PACKET = 263;
    public static final int SOL_NETLINK = 270;

    // SOL_SOCKET options (asm-generic/socket.h).
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_PEERCRED = 17;
    public static final int SO_BINDTODEVICE = 25;

    // send/recv flags.
    public static final int MSG_PEEK = 0x02;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITFORONE = 0x10000;

    // struct iovec { void *iov_base; size_t iov_len; };   (<bits/types/struct_iovec.h>, 16 bytes)
    public static final int IOVEC_SIZE = 16;
    public static final int IOV_BASE_OFFSET = 0;
    public static final int IOV_LEN_OFFSET = 8;

    // struct msghdr { void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov; size_t msg_iovlen;
    //                 void *msg_control; size_t msg_controllen; int msg_flags; };   (<bits/socket.h>, 56 bytes)
    public static final int MSGHDR_SIZE = 56;
    public static final int MSG_NAME_OFFSET = 0;
    public static final int MSG_NAMELEN_OFFSET = 8;
    public static final int MSG_IOV_OFFSET = 16;
    public static final int MSG_IOVLEN_OFFSET = 24;
    public static final int MSG_CONTROL_OFFSET = 32;
    public static final int MSG_CONTROLLEN_OFFSET = 40;
    public static final int MSG_FLAGS_OFFSET = 48;

    // struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; };   (<bits/socket.h>, 64 bytes)
    public static final int MMSGHDR_SIZE = 64;
    public static final int MMSG_LEN_OFFSET = 56;

    /**
     * The vector recvmmsg(2) fills: {@code struct mmsghdr[slots]}, each with one iovec onto its own fixed slot of
     * one direct buffer, so datagram i lands at {@link #offset}(i) of {@link #data()}. Layout only: no socket, no
     * call. Both buffers are held here, so the addresses stay valid as long as this object is reachable: a caller
     * passing {@link #address()} to recvmmsg keeps it so with {@code Reference.reachabilityFence(vector)}.
     */
    public static final class MmsgVector {
        private final int slots;
        private final int slotBytes;
        private final ByteBuffer data;
        private final ByteBuffer headers;
        private final long address;

        public MmsgVector(int slots, int slotBytes) {
            this.slots = slots;
            this.slotBytes = slotBytes;
            data = ByteBuffer.allocateDirect(slots * slotBytes).order(ByteOrder.nativeOrder());
            headers = ByteBuffer.allocateDirect(slots * (MMSGHDR_SIZE + IOVEC_SIZE)).order(ByteOrder.nativeOrder());
            address = LibCDirect.address(headers);
            long dataAddress = LibCDirect.address(data);
            int iovecs = slots * MMSGHDR_SIZE; // the iovecs follow the mmsghdr array
            for (int i = 0; i < slots; i++) {
                int m = i * MMSGHDR_SIZE, v = iovecs + i * IOVEC_SIZE;
                headers.putLong(v + IOV_BASE_OFFSET, dataAddress + (long) i * slotBytes);
                headers.putLong(v + IOV_LEN_OFFSET, slotBytes);
                headers.putLong(m + MSG_IOV_OFFSET, address + v);
                headers.putLong(m + MSG_IOVLEN_OFFSET, 1);
            }
        }

        /** The {@code msgvec} argument of recvmmsg. */
        public long address() {
            return address;
        }

        /** The {@code vlen} argument: never more, or the kernel would write past the vector. */
        public int slots() {
            return slots;
        }

        /** The slots, native order (netlink headers are host order). */
        public ByteBuffer data() {
            return data;
        }

        public int offset(int i) {
            return i * slotBytes;
        }

        /** msg_len: the bytes received into slot i. */
        public int length(int i) {
            return headers.getInt(i * MMSGHDR_SIZE + MMSG_LEN_OFFSET);
        }

        /** Whether datagram i was longer than its slot (MSG_TRUNC in msg_flags): only its start was received. */
        public boolean truncated(int i) {
            return (headers.getInt(i * MMSGHDR_SIZE + MSG_FLAGS_OFFSET) & MSG_TRUNC) != 0;
        }
    }
}
