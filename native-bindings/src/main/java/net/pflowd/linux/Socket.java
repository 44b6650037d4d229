package net.pflowd.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Address families, socket levels, message flags and the message headers of {@code <sys/socket.h>} (with the
 * {@code <bits/socket.h>} it includes; the kernel's {@code <linux/socket.h>}). x86-64 and arm64 agree. Socket
 * types are in {@link SocketType} ({@code <bits/socket_type.h>}), SOL_SOCKET options in {@link AsmSocket}
 * ({@code <asm/socket.h>}), {@code struct iovec} in {@link Uio} ({@code <sys/uio.h>}).
 */
public final class Socket {
    private Socket() {
    }

    // Address families: #define AF_UNIX PF_UNIX, with #define PF_UNIX 1 etc.
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;

    // Levels: #define SOL_SOCKET 1 (asm-generic/socket.h, repeated by bits/socket.h), #define SOL_PACKET 263,
    // #define SOL_NETLINK 270.
    public static final int SOL_SOCKET = 1;
    public static final int SOL_PACKET = 263;
    public static final int SOL_NETLINK = 270;

    // send/recv flags, enum { MSG_PEEK = 0x02, ... }.
    public static final int MSG_PEEK = 0x02;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITFORONE = 0x10000;

    // struct msghdr { void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov; size_t msg_iovlen;
    //                 void *msg_control; size_t msg_controllen; int msg_flags; };   (56 bytes)
    public static final int MSGHDR_SIZE = 56;
    public static final int MSG_NAME_OFFSET = 0;
    public static final int MSG_NAMELEN_OFFSET = 8;
    public static final int MSG_IOV_OFFSET = 16;
    public static final int MSG_IOVLEN_OFFSET = 24;
    public static final int MSG_CONTROL_OFFSET = 32;
    public static final int MSG_CONTROLLEN_OFFSET = 40;
    public static final int MSG_FLAGS_OFFSET = 48;

    // struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; };   (64 bytes)
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
            headers = ByteBuffer.allocateDirect(slots * (MMSGHDR_SIZE + Uio.IOVEC_SIZE))
                    .order(ByteOrder.nativeOrder());
            address = LibCDirect.address(headers);
            long dataAddress = LibCDirect.address(data);
            int iovecs = slots * MMSGHDR_SIZE; // the iovecs follow the mmsghdr array
            for (int i = 0; i < slots; i++) {
                int m = i * MMSGHDR_SIZE, v = iovecs + i * Uio.IOVEC_SIZE;
                headers.putLong(v + Uio.IOV_BASE_OFFSET, dataAddress + (long) i * slotBytes);
                headers.putLong(v + Uio.IOV_LEN_OFFSET, slotBytes);
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
