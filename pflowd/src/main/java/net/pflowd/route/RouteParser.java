package net.pflowd.route;

import static net.pflowd.linux.Rtnetlink.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.pflowd.flow.FlowRecord;
import net.pflowd.linux.Netlink;
import net.pflowd.linux.Socket;

/**
 * Decodes rtnetlink datagrams (route dumps and notifications) into {@link RouteEntry}s. Pure: no I/O, no
 * allocation per message.
 *
 * <p>A datagram holds one or more netlink messages. A route message is {@code struct nlmsghdr} + {@code struct
 * rtmsg} + attributes ({@code struct rtattr}, the same layout as {@code struct nlattr}); headers are host byte
 * order, addresses network order. Every length is checked against its enclosing one: a message that lies is
 * reported to {@link Handler#malformed} and the rest of the datagram skipped.
 */
public final class RouteParser {
    /** What a datagram contained, message by message. */
    public interface Handler {
        /** An RTM_NEWROUTE or RTM_DELROUTE; {@code r} is only valid during the call. */
        void route(RouteEntry r);

        /** NLMSG_DONE ending the dump with sequence number {@code seq}. */
        default void done(int seq) {
        }

        /** NLMSG_ERROR: {@code errno} is positive (0 is an acknowledgement). */
        default void error(int seq, int errno) {
        }

        /** Any other message (address, link notifications): its nlmsg_type. */
        default void other(int type) {
        }

        /** A message that could not be decoded; {@code why} says what was wrong. */
        void malformed(String why);
    }

    private static final ByteOrder HOST = ByteOrder.nativeOrder();

    private final RouteEntry entry = new RouteEntry();

    /** Decodes the {@code len} bytes at the start of {@code buf} (position and limit are left alone). */
    public void parseDatagram(ByteBuffer buf, int len, Handler h) {
        ByteBuffer b = buf.order() == HOST ? buf : buf.duplicate().order(HOST);
        parseDatagram(b, 0, Math.min(len, b.capacity()), h);
    }

    /** Decodes the datagram of {@code len} bytes at {@code start} of {@code b}, which must be in host byte order. */
    public void parseDatagram(ByteBuffer b, int start, int len, Handler h) {
        int off = start, end = start + len;
        while (end - off >= Netlink.NLMSGHDR_SIZE) {
            int msgLen = b.getInt(off + Netlink.NLMSG_LEN_OFFSET);
            int type = b.getShort(off + Netlink.NLMSG_TYPE_OFFSET) & 0xffff;
            int flags = b.getShort(off + Netlink.NLMSG_FLAGS_OFFSET) & 0xffff;
            int seq = b.getInt(off + Netlink.NLMSG_SEQ_OFFSET);
            if (msgLen < Netlink.NLMSGHDR_SIZE || msgLen > end - off) {
                h.malformed("nlmsg_len " + Integer.toUnsignedString(msgLen) + " outside the "
                        + (end - off) + " bytes left in the datagram");
                return;
            }
            if (type == Netlink.NLMSG_DONE) {
                h.done(seq);
            } else if (type == Netlink.NLMSG_ERROR) {
                if (msgLen < Netlink.NLMSGHDR_SIZE + 4) {
                    h.malformed("NLMSG_ERROR of " + msgLen + " bytes");
                } else {
                    h.error(seq, -b.getInt(off + Netlink.NLMSGHDR_SIZE));
                }
            } else if (type == RTM_NEWROUTE || type == RTM_DELROUTE) {
                String why = parseRoute(b, off, msgLen, type);
                entry.nlFlags = flags;
                entry.seq = seq;
                if (why == null) {
                    h.route(entry);
                } else {
                    h.malformed(why);
                }
            } else if (type != Netlink.NLMSG_NOOP) {
                h.other(type);
            }
            off += Netlink.align(msgLen);
        }
    }

    /** Fills {@link #entry}; returns null, or what was wrong. */
    private String parseRoute(ByteBuffer b, int off, int msgLen, int type) {
        int body = off + Netlink.NLMSGHDR_SIZE, end = off + msgLen;
        if (end - body < RTMSG_SIZE) {
            return "route message of " + msgLen + " bytes, shorter than its headers";
        }
        RouteEntry r = entry;
        r.clear();
        r.msgType = type;
        int af = b.get(body + RTM_FAMILY_OFFSET) & 0xff;
        r.family = af == Socket.AF_INET ? FlowRecord.IPV4 : af == Socket.AF_INET6 ? FlowRecord.IPV6 : 0;
        r.dstLen = b.get(body + RTM_DST_LEN_OFFSET) & 0xff;
        r.srcLen = b.get(body + RTM_SRC_LEN_OFFSET) & 0xff;
        r.tos = b.get(body + RTM_TOS_OFFSET) & 0xff;
        r.table = b.get(body + RTM_TABLE_OFFSET) & 0xff;
        r.type = b.get(body + RTM_TYPE_OFFSET) & 0xff;
        r.flags = b.getInt(body + RTM_FLAGS_OFFSET);
        int maxLen = r.family == FlowRecord.IPV4 ? 32 : r.family == FlowRecord.IPV6 ? 128 : 255;
        if (r.dstLen > maxLen) {
            return "route with prefix length " + r.dstLen + " in address family " + af;
        }
        int a = body + Netlink.align(RTMSG_SIZE);
        while (end - a >= Netlink.NLATTR_SIZE) {
            int attrLen = b.getShort(a) & 0xffff;
            int attrType = b.getShort(a + 2) & Netlink.NLA_TYPE_MASK;
            if (attrLen < Netlink.NLATTR_SIZE || attrLen > end - a) {
                return "route attribute " + attrType + " of length " + attrLen + " outside its message";
            }
            int p = a + Netlink.NLATTR_SIZE, payload = attrLen - Netlink.NLATTR_SIZE;
            switch (attrType) {
                case RTA_DST:
                    if (r.family == FlowRecord.IPV4 && payload == 4) {
                        r.dstLo = be32(b, p) & 0xffffffffL;
                    } else if (r.family == FlowRecord.IPV6 && payload == 16) {
                        r.dstHi = be64(b, p);
                        r.dstLo = be64(b, p + 8);
                    } else if (r.family != 0) {
                        return "RTA_DST of " + payload + " bytes in address family " + af;
                    }
                    break;
                case RTA_OIF:
                    if (payload != 4) {
                        return "RTA_OIF of " + payload + " bytes";
                    }
                    r.oif = b.getInt(p);
                    break;
                case RTA_PRIORITY:
                    if (payload != 4) {
                        return "RTA_PRIORITY of " + payload + " bytes";
                    }
                    r.priority = b.getInt(p) & 0xffffffffL;
                    break;
                case RTA_TABLE:
                    if (payload != 4) {
                        return "RTA_TABLE of " + payload + " bytes";
                    }
                    r.table = b.getInt(p);
                    break;
                case RTA_NH_ID:
                    if (payload != 4) {
                        return "RTA_NH_ID of " + payload + " bytes";
                    }
                    r.nexthopId = b.getInt(p);
                    break;
                case RTA_MULTIPATH:
                    // An array of struct rtnexthop, each followed by its own attributes. A multipath route's
                    // interface is ambiguous by nature (the kernel hashes each flow onto one nexthop): we report
                    // the first nexthop that is not dead, or the first when all are.
                    int first = 0, alive = 0;
                    for (int q = p, left = payload; left >= RTNEXTHOP_SIZE; ) {
                        int nhLen = b.getShort(q + RTNH_LEN_OFFSET) & 0xffff;
                        if (nhLen < RTNEXTHOP_SIZE || nhLen > left) {
                            return "rtnexthop of length " + nhLen + " in an RTA_MULTIPATH of " + payload + " bytes";
                        }
                        int ifindex = b.getInt(q + RTNH_IFINDEX_OFFSET);
                        if (first == 0) {
                            first = ifindex;
                        }
                        if (alive == 0 && (b.get(q + RTNH_FLAGS_OFFSET) & RTNH_F_DEAD) == 0) {
                            alive = ifindex;
                        }
                        int step = rtnhAlign(nhLen);
                        q += step;
                        left -= step;
                    }
                    if (r.oif == 0) {
                        r.oif = alive != 0 ? alive : first;
                    }
                    break;
                default:
                    break;
            }
            a += Netlink.align(attrLen);
        }
        return null;
    }

    private static int be32(ByteBuffer b, int off) {
        int v = b.getInt(off);
        return HOST == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    private static long be64(ByteBuffer b, int off) {
        long v = b.getLong(off);
        return HOST == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }
}
