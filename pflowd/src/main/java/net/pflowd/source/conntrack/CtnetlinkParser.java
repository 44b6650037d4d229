package net.pflowd.source.conntrack;

import static net.pflowd.linux.NfnetlinkConntrack.*;

import java.nio.ByteBuffer;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowState;
import net.pflowd.linux.Nfnetlink;
import net.pflowd.linux.Socket;
import net.pflowd.netlink.AttributeCursor;
import net.pflowd.netlink.MessageCursor;
import net.pflowd.netlink.ReplyHandler;

/**
 * Decodes ctnetlink datagrams into {@link CtEntry}s. Pure: no I/O, no allocation per message.
 *
 * <p>A datagram holds one or more netlink messages, each {@code struct nlmsghdr} (host byte order) +
 * {@code struct nfgenmsg} + attributes. Attribute headers ({@code struct nlattr}) are host order too, their
 * payloads big-endian; the {@link MessageCursor} and {@link AttributeCursor}s walk them, checking every length
 * against its enclosing one: a message that lies is reported to {@link Handler#malformed} and skipped, and
 * parsing goes on with the next message when the outer length still holds (else with the next datagram).
 */
public final class CtnetlinkParser {
    /** What a datagram contained, message by message. */
    public interface Handler extends ReplyHandler {
        /** A conntrack message (dump row or event); {@code e} is only valid during the call. */
        void entry(CtEntry e);
    }

    private static final int CT_NEW = Nfnetlink.NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW;
    private static final int CT_DELETE = Nfnetlink.NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE;

    private final CtEntry entry = new CtEntry();
    private final MessageCursor messages = new MessageCursor();
    /** One cursor per nesting level: message attributes, a nest (tuple, counters, ...), a nest in a nest. */
    private final AttributeCursor attrs = new AttributeCursor(), nest = new AttributeCursor(),
            inner = new AttributeCursor();
    private String error;

    /** Decodes the {@code len} bytes at the start of {@code buf} (position and limit are left alone). */
    public void parseDatagram(ByteBuffer buf, int len, Handler h) {
        parse(messages.over(buf, len), h);
    }

    /**
     * Decodes the datagram of {@code len} bytes at {@code start} of {@code b}, which must be in host byte order
     * (a batch of received datagrams shares one buffer).
     */
    public void parseDatagram(ByteBuffer b, int start, int len, Handler h) {
        parse(messages.over(b, start, len), h);
    }

    private void parse(MessageCursor m, Handler h) {
        while (m.next()) {
            if (m.control(h)) {
                continue;
            }
            int type = m.type();
            if (type == CT_NEW || type == CT_DELETE) {
                entry.clear();
                entry.msgType = type & 0xff;
                entry.nlFlags = m.flags();
                if (parseConntrack(m, entry)) {
                    h.entry(entry);
                } else {
                    h.malformed(error);
                }
            } else {
                h.malformed("unexpected message type 0x" + Integer.toHexString(type));
            }
        }
        if (m.problem() != null) {
            h.malformed(m.problem());
        } else if (m.trailingBytes() > 0) {
            h.malformed(m.trailingBytes() + " trailing bytes after the last message");
        }
    }

    /** Decodes the current IPCTNL_MSG_CT_* message of {@code m}. */
    private boolean parseConntrack(MessageCursor m, CtEntry e) {
        if (!m.attributes(Nfnetlink.NFGENMSG_SIZE, attrs)) {
            return fail("conntrack message without nfgenmsg");
        }
        int af = m.buffer().get(m.bodyOffset()) & 0xff;
        FlowState s = e.state;
        if (af == Socket.AF_INET) {
            s.family = FlowRecord.IPV4;
        } else if (af == Socket.AF_INET6) {
            s.family = FlowRecord.IPV6;
        } else {
            return fail("nfgen_family " + af + " is neither AF_INET nor AF_INET6");
        }
        boolean orig = false, reply = false;
        AttributeCursor a = attrs;
        while (a.next()) {
            int plen = a.payloadLength();
            switch (a.type()) {
                case CTA_TUPLE_ORIG:
                    if (!tuple(nest.into(a), e, true)) {
                        return false;
                    }
                    orig = true;
                    break;
                case CTA_TUPLE_REPLY:
                    if (!tuple(nest.into(a), e, false)) {
                        return false;
                    }
                    reply = true;
                    break;
                case CTA_STATUS:
                    if (plen < 4) {
                        return fail("CTA_STATUS of " + plen + " bytes");
                    }
                    e.hasStatus = true;
                    e.status = (int) a.be32();
                    break;
                case CTA_TIMEOUT:
                    if (plen < 4) {
                        return fail("CTA_TIMEOUT of " + plen + " bytes");
                    }
                    e.hasTimeout = true;
                    e.timeoutSeconds = a.be32();
                    break;
                case CTA_MARK:
                    if (plen < 4) {
                        return fail("CTA_MARK of " + plen + " bytes");
                    }
                    e.hasMark = true;
                    e.mark = (int) a.be32();
                    break;
                case CTA_ID:
                    if (plen < 4) {
                        return fail("CTA_ID of " + plen + " bytes");
                    }
                    e.hasId = true;
                    e.id = a.be32();
                    break;
                case CTA_ZONE:
                    if (plen < 2) {
                        return fail("CTA_ZONE of " + plen + " bytes");
                    }
                    e.zone = a.be16();
                    break;
                case CTA_COUNTERS_ORIG:
                case CTA_COUNTERS_REPLY:
                    if (!counters(nest.into(a), e, a.type() == CTA_COUNTERS_ORIG)) {
                        return false;
                    }
                    e.hasCounters = true;
                    break;
                case CTA_TIMESTAMP:
                    if (!timestamp(nest.into(a), e)) {
                        return false;
                    }
                    break;
                case CTA_PROTOINFO:
                    if (!protoinfo(nest.into(a), e)) {
                        return false;
                    }
                    break;
                default:
                    break; // helpers, NAT setup, labels, secctx ... are not exported
            }
        }
        if (a.malformed()) {
            return fail("attribute " + a.type() + " length " + a.length() + " outside its message");
        }
        if (!orig || !reply) {
            return fail("conntrack message without " + (orig ? "reply" : "original") + " tuple");
        }
        s.startMillis = e.startNanos / 1_000_000L;
        return true;
    }

    private boolean tuple(AttributeCursor t, CtEntry e, boolean orig) {
        FlowState s = e.state;
        boolean ip = false, proto = false;
        int icmpType = -1, icmpCode = -1;
        while (t.next()) {
            if (t.type() == CTA_TUPLE_IP) {
                AttributeCursor v = inner.into(t);
                while (v.next()) {
                    int type = v.type(), vlen = v.payloadLength();
                    if (type == CTA_IP_V4_SRC || type == CTA_IP_V4_DST) {
                        if (vlen != 4 || s.family != FlowRecord.IPV4) {
                            return fail("IPv4 address attribute of " + vlen + " bytes in family " + s.family);
                        }
                        setAddr(s, orig, type == CTA_IP_V4_SRC, 0, v.be32());
                        ip = true;
                    } else if (type == CTA_IP_V6_SRC || type == CTA_IP_V6_DST) {
                        if (vlen != 16 || s.family != FlowRecord.IPV6) {
                            return fail("IPv6 address attribute of " + vlen + " bytes in family " + s.family);
                        }
                        setAddr(s, orig, type == CTA_IP_V6_SRC, v.be64(0), v.be64(8));
                        ip = true;
                    }
                }
                if (v.malformed()) {
                    return fail("address attribute " + v.type() + " length " + v.length() + " outside CTA_TUPLE_IP");
                }
            } else if (t.type() == CTA_TUPLE_PROTO) {
                AttributeCursor v = inner.into(t);
                while (v.next()) {
                    int type = v.type(), vlen = v.payloadLength();
                    int need = (type == CTA_PROTO_SRC_PORT || type == CTA_PROTO_DST_PORT || type == CTA_PROTO_ICMP_ID
                            || type == CTA_PROTO_ICMPV6_ID) ? 2 : 1;
                    if (type >= CTA_PROTO_NUM && type <= CTA_PROTO_ICMPV6_CODE && vlen < need) {
                        return fail("protocol attribute " + type + " of " + vlen + " bytes");
                    }
                    switch (type) {
                        case CTA_PROTO_NUM:
                            s.protocol = v.u8();
                            proto = true;
                            break;
                        case CTA_PROTO_SRC_PORT:
                        case CTA_PROTO_DST_PORT:
                            setPort(s, orig, type == CTA_PROTO_SRC_PORT, v.be16());
                            break;
                        case CTA_PROTO_ICMP_TYPE:
                        case CTA_PROTO_ICMPV6_TYPE:
                            icmpType = v.u8();
                            break;
                        case CTA_PROTO_ICMP_CODE:
                        case CTA_PROTO_ICMPV6_CODE:
                            icmpCode = v.u8();
                            break;
                        default:
                            break; // the ICMP id identifies the exchange; flow records have no field for it
                    }
                }
                if (v.malformed()) {
                    return fail("protocol attribute " + v.type() + " length " + v.length()
                            + " outside CTA_TUPLE_PROTO");
                }
            }
        }
        if (t.malformed()) {
            return fail("tuple attribute " + t.type() + " length " + t.length() + " outside its tuple");
        }
        if (!ip || !proto) {
            return fail((orig ? "original" : "reply") + " tuple without " + (ip ? "protocol" : "addresses"));
        }
        if (icmpType >= 0) {
            // Collectors expect ICMP type/code in the destination port, source port 0 (pflow does the same).
            setPort(s, orig, true, 0);
            setPort(s, orig, false, icmpType << 8 | Math.max(icmpCode, 0));
        }
        return true;
    }

    private static void setAddr(FlowState s, boolean orig, boolean src, long hi, long lo) {
        if (orig) {
            if (src) {
                s.origSrcHi = hi; s.origSrcLo = lo;
            } else {
                s.origDstHi = hi; s.origDstLo = lo;
            }
        } else if (src) {
            s.replySrcHi = hi; s.replySrcLo = lo;
        } else {
            s.replyDstHi = hi; s.replyDstLo = lo;
        }
    }

    private static void setPort(FlowState s, boolean orig, boolean src, int port) {
        if (orig) {
            if (src) {
                s.origSrcPort = port;
            } else {
                s.origDstPort = port;
            }
        } else if (src) {
            s.replySrcPort = port;
        } else {
            s.replyDstPort = port;
        }
    }

    private boolean counters(AttributeCursor c, CtEntry e, boolean orig) {
        long packets = 0, bytes = 0;
        boolean wide = false; // a 64-bit counter wins over the obsolete 32-bit one, in whatever order
        while (c.next()) {
            int type = c.type(), vlen = c.payloadLength();
            if (type == CTA_COUNTERS_PACKETS || type == CTA_COUNTERS_BYTES) {
                if (vlen < 8) {
                    return fail("64-bit counter of " + vlen + " bytes");
                }
                long value = c.be64(0);
                if (!wide) {
                    packets = bytes = 0;
                    wide = true;
                }
                if (type == CTA_COUNTERS_PACKETS) {
                    packets = value;
                } else {
                    bytes = value;
                }
            } else if (!wide && (type == CTA_COUNTERS32_PACKETS || type == CTA_COUNTERS32_BYTES)) {
                if (vlen < 4) {
                    return fail("32-bit counter of " + vlen + " bytes");
                }
                long value = c.be32();
                if (type == CTA_COUNTERS32_PACKETS) {
                    packets = value;
                } else {
                    bytes = value;
                }
            }
        }
        if (c.malformed()) {
            return fail("counter attribute " + c.type() + " length " + c.length() + " outside its nest");
        }
        if (orig) {
            e.state.origPackets = packets; e.state.origBytes = bytes;
        } else {
            e.state.replyPackets = packets; e.state.replyBytes = bytes;
        }
        return true;
    }

    private boolean timestamp(AttributeCursor t, CtEntry e) {
        while (t.next()) {
            if (t.type() == CTA_TIMESTAMP_START || t.type() == CTA_TIMESTAMP_STOP) {
                if (t.payloadLength() < 8) {
                    return fail("timestamp of " + t.payloadLength() + " bytes");
                }
                if (t.type() == CTA_TIMESTAMP_START) {
                    e.startNanos = t.be64(0);
                } else {
                    e.stopNanos = t.be64(0);
                }
            }
        }
        if (t.malformed()) {
            return fail("timestamp attribute " + t.type() + " length " + t.length() + " outside its nest");
        }
        return true;
    }

    private boolean protoinfo(AttributeCursor p, CtEntry e) {
        while (p.next()) {
            if (p.type() == CTA_PROTOINFO_TCP) {
                AttributeCursor tcp = inner.into(p);
                while (tcp.next()) {
                    if (tcp.type() == CTA_PROTOINFO_TCP_STATE && tcp.payloadLength() > 0) {
                        e.tcpState = tcp.u8();
                    }
                }
                if (tcp.malformed()) {
                    return fail("TCP protoinfo attribute " + tcp.type() + " length " + tcp.length()
                            + " outside its nest");
                }
            }
        }
        if (p.malformed()) {
            return fail("protoinfo attribute " + p.type() + " length " + p.length() + " outside its nest");
        }
        return true;
    }

    private boolean fail(String why) {
        error = why;
        return false;
    }
}
