package net.pflowd.route;

import static net.pflowd.linux.Rtnetlink.*;

import java.nio.ByteBuffer;
import net.pflowd.flow.FlowRecord;
import net.pflowd.linux.Socket;
import net.pflowd.netlink.AttributeCursor;
import net.pflowd.netlink.MessageCursor;
import net.pflowd.netlink.ReplyHandler;

/**
 * Decodes rtnetlink datagrams (route dumps and notifications) into {@link RouteEntry}s. Pure: no I/O, no
 * allocation per message.
 *
 * <p>A datagram holds one or more netlink messages. A route message is {@code struct nlmsghdr} + {@code struct
 * rtmsg} + attributes ({@code struct rtattr}, the same layout as {@code struct nlattr}); headers are host byte
 * order, addresses network order. The {@link MessageCursor} and {@link AttributeCursor} walk them, checking every
 * length against its enclosing one: a message that lies is reported to {@link Handler#malformed} and the rest of
 * the datagram skipped.
 */
public final class RouteParser {
    /** What a datagram contained, message by message. */
    public interface Handler extends ReplyHandler {
        /** An RTM_NEWROUTE or RTM_DELROUTE; {@code r} is only valid during the call. */
        void route(RouteEntry r);

        /** Any other message (address, link notifications): its nlmsg_type. */
        default void other(int type) {
        }
    }

    private final RouteEntry entry = new RouteEntry();
    private final MessageCursor messages = new MessageCursor();
    private final AttributeCursor attrs = new AttributeCursor();

    /** Decodes the {@code len} bytes at the start of {@code buf} (position and limit are left alone). */
    public void parseDatagram(ByteBuffer buf, int len, Handler h) {
        parse(messages.over(buf, len), h);
    }

    /** Decodes the datagram of {@code len} bytes at {@code start} of {@code b}, which must be in host byte order. */
    public void parseDatagram(ByteBuffer b, int start, int len, Handler h) {
        parse(messages.over(b, start, len), h);
    }

    private void parse(MessageCursor m, Handler h) {
        while (m.next()) {
            if (m.control(h)) {
                continue;
            }
            int type = m.type();
            if (type == RTM_NEWROUTE || type == RTM_DELROUTE) {
                String why = parseRoute(m, type);
                entry.nlFlags = m.flags();
                entry.seq = m.seq();
                if (why == null) {
                    h.route(entry);
                } else {
                    h.malformed(why);
                }
            } else {
                h.other(type);
            }
        }
        if (m.problem() != null) {
            h.malformed(m.problem());
        }
    }

    /** Fills {@link #entry} from the current message of {@code m}; returns null, or what was wrong. */
    private String parseRoute(MessageCursor m, int type) {
        RouteEntry r = entry;
        r.clear();
        r.msgType = type;
        if (!m.attributes(RTMSG_SIZE, attrs)) {
            return "route message of " + m.length() + " bytes, shorter than its headers";
        }
        ByteBuffer b = m.buffer();
        int body = m.bodyOffset();
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
        AttributeCursor a = attrs;
        while (a.next()) {
            int p = a.payloadOffset(), payload = a.payloadLength();
            switch (a.type()) {
                case RTA_DST:
                    if (r.family == FlowRecord.IPV4 && payload == 4) {
                        r.dstLo = a.be32();
                    } else if (r.family == FlowRecord.IPV6 && payload == 16) {
                        r.dstHi = a.be64(0);
                        r.dstLo = a.be64(8);
                    } else if (r.family != 0) {
                        return "RTA_DST of " + payload + " bytes in address family " + af;
                    }
                    break;
                case RTA_OIF:
                    if (payload != 4) {
                        return "RTA_OIF of " + payload + " bytes";
                    }
                    r.oif = a.hostInt();
                    break;
                case RTA_PRIORITY:
                    if (payload != 4) {
                        return "RTA_PRIORITY of " + payload + " bytes";
                    }
                    r.priority = a.hostInt() & 0xffffffffL;
                    break;
                case RTA_TABLE:
                    if (payload != 4) {
                        return "RTA_TABLE of " + payload + " bytes";
                    }
                    r.table = a.hostInt();
                    break;
                case RTA_NH_ID:
                    if (payload != 4) {
                        return "RTA_NH_ID of " + payload + " bytes";
                    }
                    r.nexthopId = a.hostInt();
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
        }
        if (a.malformed()) {
            return "route attribute " + a.type() + " of length " + a.length() + " outside its message";
        }
        return null;
    }
}
