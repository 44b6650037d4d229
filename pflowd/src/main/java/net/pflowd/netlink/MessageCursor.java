package net.pflowd.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.pflowd.linux.Netlink;

/**
 * Walks the netlink messages of one datagram in place: {@code struct nlmsghdr} after {@code struct nlmsghdr},
 * each length checked against the bytes left. Reused, allocates nothing; the one message walk of every netlink
 * parser (ctnetlink, rtnetlink). Headers are in host byte order: the buffer must be too ({@link #over(ByteBuffer,
 * int)} makes sure of it).
 *
 * <pre>
 * messages.over(buf, len);
 * while (messages.next()) {
 *     if (!messages.control(handler)) { ... messages.type(), messages.attributes(familyHeader, attrs) ... }
 * }
 * if (messages.problem() != null) handler.malformed(messages.problem());
 * </pre>
 */
public final class MessageCursor {
    private static final ByteOrder HOST = ByteOrder.nativeOrder();

    private final HostBytes b = new HostBytes();
    private int next, end;
    private int offset, length, type, flags, seq;
    private String problem;

    /**
     * Starts at the first of the {@code len} bytes at the start of {@code buf} (its position and limit are left
     * alone; a buffer in network order is read through a host-order view).
     */
    public MessageCursor over(ByteBuffer buf, int len) {
        ByteBuffer h = buf.order() == HOST ? buf : buf.duplicate().order(HOST);
        return over(h, 0, Math.min(len, h.capacity()));
    }

    /** Starts at {@code start} of {@code b}, host byte order, a datagram of {@code len} bytes (a batch shares one buffer). */
    public MessageCursor over(ByteBuffer b, int start, int len) {
        this.b.of(b);
        next = start;
        end = start + len;
        problem = null;
        offset = length = type = flags = seq = 0;
        return this;
    }

    /**
     * Moves to the next message. False at the end of the datagram, or when a header claims more bytes than are
     * left: {@link #problem()} says so and the rest of the datagram cannot be read.
     */
    public boolean next() {
        if (end - next < Netlink.NLMSGHDR_SIZE) {
            return false;
        }
        int len = b.s32(next + Netlink.NLMSG_LEN_OFFSET);
        if (len < Netlink.NLMSGHDR_SIZE || len > end - next) {
            problem = "nlmsg_len " + Integer.toUnsignedString(len) + " outside the " + (end - next)
                    + " bytes left in the datagram";
            next = end;
            return false;
        }
        offset = next;
        length = len;
        type = b.s16(next + Netlink.NLMSG_TYPE_OFFSET) & 0xffff;
        flags = b.s16(next + Netlink.NLMSG_FLAGS_OFFSET) & 0xffff;
        seq = b.s32(next + Netlink.NLMSG_SEQ_OFFSET);
        next += Netlink.align(len);
        return true;
    }

    /**
     * Handles the message types every protocol shares: NLMSG_DONE, NLMSG_ERROR (a short one is malformed) and
     * NLMSG_NOOP. True when the current message was one of them.
     */
    public boolean control(ReplyHandler h) {
        switch (type) {
            case Netlink.NLMSG_DONE:
                h.done(seq);
                return true;
            case Netlink.NLMSG_ERROR:
                if (length < Netlink.NLMSGHDR_SIZE + 4) {
                    h.malformed("NLMSG_ERROR of " + length + " bytes");
                } else {
                    h.error(seq, -b.s32(offset + Netlink.NLMSGHDR_SIZE));
                }
                return true;
            case Netlink.NLMSG_NOOP:
                return true;
            default:
                return false;
        }
    }

    /** Why the walk stopped early, or null when it reached the end of the datagram. */
    public String problem() {
        return problem;
    }

    /** Bytes after the last message too few to hold a header (0 after a {@link #problem()}). */
    public int trailingBytes() {
        return problem == null && next < end ? end - next : 0;
    }

    /**
     * Sets {@code attrs} on the attributes of the current message, which follow its family header of {@code
     * familyHeaderBytes} ({@code struct nfgenmsg}, {@code struct rtmsg}, ...); false when the message is too
     * short to hold that header.
     */
    public boolean attributes(int familyHeaderBytes, AttributeCursor attrs) {
        if (bodyLength() < familyHeaderBytes) {
            return false;
        }
        attrs.over(b, Math.min(bodyOffset() + Netlink.align(familyHeaderBytes), offset + length), offset + length);
        return true;
    }

    /** The buffer the messages are in (host byte order). */
    public ByteBuffer buffer() {
        return b.buffer();
    }

    public int type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    public int seq() {
        return seq;
    }

    /** nlmsg_len: the message's length, header included. */
    public int length() {
        return length;
    }

    /** Where the family header (what follows {@code struct nlmsghdr}) begins in {@link #buffer()}. */
    public int bodyOffset() {
        return offset + Netlink.NLMSGHDR_SIZE;
    }

    public int bodyLength() {
        return length - Netlink.NLMSGHDR_SIZE;
    }
}
