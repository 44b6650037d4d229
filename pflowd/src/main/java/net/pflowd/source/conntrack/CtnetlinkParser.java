package net.pflowd.source.conntrack;

import static net.pflowd.linux.NfnetlinkConntrack.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowState;
import net.pflowd.linux.Netlink;
import net.pflowd.linux.Nfnetlink;
import net.pflowd.linux.Socket;

/**
 * Decodes ctnetlink datagrams into {@link CtEntry}s. Pure: no I/O, no allocation per message.
 *
 * <p>A datagram holds one or more netlink messages, each {@code struct nlmsghdr} (host byte order) +
 * {@code struct nfgenmsg} + attributes. Attribute headers ({@code struct nlattr}) are host order too, their
 * payloads big-endian; NLA_F_NESTED / NLA_F_NET_BYTEORDER are masked off the type. Every length is checked
 * against its enclosing one: a message that lies is reported to {@link Handler#malformed} and skipped, and
 * parsing goes on with the next message when the outer length still holds (else with the next datagram).
 */
public final class CtnetlinkParser {
    /** What a datagram contained, message by message. */
    public interface Handler {
        /** A conntrack message (dump row or event); {@code e} is only valid during the call. */
        void entry(CtEntry e);

        /** NLMSG_DONE ending the dump with sequence number {@code seq}. */
        default void done(int seq) {
        }

        /** NLMSG_ERROR: {@code errno} is positive (0 is an acknowledgement). */
        default void error(int seq, int errno) {
        }

        /** A message that could not be decoded; {@code why} says what was wrong. */
        void malformed(String why);
    }

    private static final ByteOrder HOST = ByteOrder.nativeOrder();
    private static final int CT_NEW = Nfnetlink.NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW;
    private static final int CT_DELETE = Nfnetlink.NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE;

    private final CtEntry entry = new CtEntry();
    private String error;

    /** Decodes the {@code len} bytes at the start of {@code buf} (position and limit are left alone). */
    public void parseDatagram(ByteBuffer buf, int len, Handler h) {
        ByteBuffer b = buf.order() == HOST ? buf : buf.duplicate().order(HOST);
        parseDatagram(b, 0, Math.min(len, b.capacity()), h);
    }

    /**
     * Decodes the datagram of {@code len} bytes at {@code start} of {@code b}, which must be in host byte order
     * (a batch of received datagrams shares one buffer).
     */
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
            } else if (type == CT_NEW || type == CT_DELETE) {
                entry.clear();
                entry.msgType = type & 0xff;
                entry.nlFlags = flags;
                if (parseConntrack(b, off, msgLen, entry)) {
                    h.entry(entry);
                } else {
                    h.malformed(error);
                }
            } else if (type != Netlink.NLMSG_NOOP) {
                h.malformed("unexpected message type 0x" + Integer.toHexString(type));
            }
            off += Netlink.align(msgLen);
        }
        if (off < end) {
            h.malformed((end - off) + " trailing bytes after the last message");
        }
    }

    /** Decodes one IPCTNL_MSG_CT_* message at {@code off} of {@code msgLen} bytes (header included). */
    boolean parseConntrack(ByteBuffer b, int off, int msgLen, CtEntry e) {
        int body = off + Netlink.NLMSGHDR_SIZE;
        int end = off + msgLen;
        if (end - body < Nfnetlink.NFGENMSG_SIZE) {
            return fail("conntrack message without nfgenmsg");
        }
        int af = b.get(body) & 0xff;
        FlowState s = e.state;
        if (af == Socket.AF_INET) {
            s.family = FlowRecord.IPV4;
        } else if (af == Socket.AF_INET6) {
            s.family = FlowRecord.IPV6;
        } else {
            return fail("nfgen_family " + af + " is neither AF_INET nor AF_INET6");
        }
        boolean orig = false, reply = false;
        int a = body + Nfnetlink.NFGENMSG_SIZE;
        while (end - a >= Netlink.NLATTR_SIZE) {
            int alen = b.getShort(a) & 0xffff;
            int atype = b.getShort(a + 2) & Netlink.NLA_TYPE_MASK;
            if (alen < Netlink.NLATTR_SIZE || alen > end - a) {
                return fail("attribute " + atype + " length " + alen + " outside its message");
            }
            int p = a + Netlink.NLATTR_SIZE, plen = alen - Netlink.NLATTR_SIZE;
            switch (atype) {
                case CTA_TUPLE_ORIG:
                    if (!tuple(b, p, plen, e, true)) {
                        return false;
                    }
                    orig = true;
                    break;
                case CTA_TUPLE_REPLY:
                    if (!tuple(b, p, plen, e, false)) {
                        return false;
                    }
                    reply = true;
                    break;
                case CTA_STATUS:
                    if (plen < 4) {
                        return fail("CTA_STATUS of " + plen + " bytes");
                    }
                    e.hasStatus = true;
                    e.status = (int) be32(b, p);
                    break;
                case CTA_TIMEOUT:
                    if (plen < 4) {
                        return fail("CTA_TIMEOUT of " + plen + " bytes");
                    }
                    e.hasTimeout = true;
                    e.timeoutSeconds = be32(b, p);
                    break;
                case CTA_MARK:
                    if (plen < 4) {
                        return fail("CTA_MARK of " + plen + " bytes");
                    }
                    e.hasMark = true;
                    e.mark = (int) be32(b, p);
                    break;
                case CTA_ID:
                    if (plen < 4) {
                        return fail("CTA_ID of " + plen + " bytes");
                    }
                    e.hasId = true;
                    e.id = be32(b, p);
                    break;
                case CTA_ZONE:
                    if (plen < 2) {
                        return fail("CTA_ZONE of " + plen + " bytes");
                    }
                    e.zone = be16(b, p);
                    break;
                case CTA_COUNTERS_ORIG:
                case CTA_COUNTERS_REPLY:
                    if (!counters(b, p, plen, e, atype == CTA_COUNTERS_ORIG)) {
                        return false;
                    }
                    e.hasCounters = true;
                    break;
                case CTA_TIMESTAMP:
                    if (!timestamp(b, p, plen, e)) {
                        return false;
                    }
                    break;
                case CTA_PROTOINFO:
                    if (!protoinfo(b, p, plen, e)) {
                        return false;
                    }
                    break;
                default:
                    break; // helpers, NAT setup, labels, secctx ... are not exported
            }
            a += Netlink.align(alen);
        }
        if (!orig || !reply) {
            return fail("conntrack message without " + (orig ? "reply" : "original") + " tuple");
        }
        s.startMillis = e.startNanos / 1_000_000L;
        return true;
    }

    private boolean tuple(ByteBuffer b, int off, int len, CtEntry e, boolean orig) {
        FlowState s = e.state;
        int end = off + len;
        boolean ip = false, proto = false;
        int icmpType = -1, icmpCode = -1;
        while (end - off >= Netlink.NLATTR_SIZE) {
            int alen = b.getShort(off) & 0xffff;
            int atype = b.getShort(off + 2) & Netlink.NLA_TYPE_MASK;
            if (alen < Netlink.NLATTR_SIZE || alen > end - off) {
                return fail("tuple attribute " + atype + " length " + alen + " outside its tuple");
            }
            int p = off + Netlink.NLATTR_SIZE, pend = off + alen;
            if (atype == CTA_TUPLE_IP) {
                while (pend - p >= Netlink.NLATTR_SIZE) {
                    int l = b.getShort(p) & 0xffff;
                    int t = b.getShort(p + 2) & Netlink.NLA_TYPE_MASK;
                    if (l < Netlink.NLATTR_SIZE || l > pend - p) {
                        return fail("address attribute " + t + " length " + l + " outside CTA_TUPLE_IP");
                    }
                    int v = p + Netlink.NLATTR_SIZE, vlen = l - Netlink.NLATTR_SIZE;
                    if (t == CTA_IP_V4_SRC || t == CTA_IP_V4_DST) {
                        if (vlen != 4 || s.family != FlowRecord.IPV4) {
                            return fail("IPv4 address attribute of " + vlen + " bytes in family " + s.family);
                        }
                        long lo = be32(b, v);
                        setAddr(s, orig, t == CTA_IP_V4_SRC, 0, lo);
                        ip = true;
                    } else if (t == CTA_IP_V6_SRC || t == CTA_IP_V6_DST) {
                        if (vlen != 16 || s.family != FlowRecord.IPV6) {
                            return fail("IPv6 address attribute of " + vlen + " bytes in family " + s.family);
                        }
                        setAddr(s, orig, t == CTA_IP_V6_SRC, be64(b, v), be64(b, v + 8));
                        ip = true;
                    }
                    p += Netlink.align(l);
                }
            } else if (atype == CTA_TUPLE_PROTO) {
                while (pend - p >= Netlink.NLATTR_SIZE) {
                    int l = b.getShort(p) & 0xffff;
                    int t = b.getShort(p + 2) & Netlink.NLA_TYPE_MASK;
                    if (l < Netlink.NLATTR_SIZE || l > pend - p) {
                        return fail("protocol attribute " + t + " length " + l + " outside CTA_TUPLE_PROTO");
                    }
                    int v = p + Netlink.NLATTR_SIZE, vlen = l - Netlink.NLATTR_SIZE;
                    int need = (t == CTA_PROTO_SRC_PORT || t == CTA_PROTO_DST_PORT || t == CTA_PROTO_ICMP_ID
                            || t == CTA_PROTO_ICMPV6_ID) ? 2 : 1;
                    if (t >= CTA_PROTO_NUM && t <= CTA_PROTO_ICMPV6_CODE && vlen < need) {
                        return fail("protocol attribute " + t + " of " + vlen + " bytes");
                    }
                    switch (t) {
                        case CTA_PROTO_NUM:
                            s.protocol = b.get(v) & 0xff;
                            proto = true;
                            break;
                        case CTA_PROTO_SRC_PORT:
                        case CTA_PROTO_DST_PORT:
                            setPort(s, orig, t == CTA_PROTO_SRC_PORT, be16(b, v));
                            break;
                        case CTA_PROTO_ICMP_TYPE:
                        case CTA_PROTO_ICMPV6_TYPE:
                            icmpType = b.get(v) & 0xff;
                            break;
                        case CTA_PROTO_ICMP_CODE:
                        case CTA_PROTO_ICMPV6_CODE:
                            icmpCode = b.get(v) & 0xff;
                            break;
                        default:
                            break; // the ICMP id identifies the exchange; flow records have no field for it
                    }
                    p += Netlink.align(l);
                }
            }
            off += Netlink.align(alen);
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

    private boolean counters(ByteBuffer b, int off, int len, CtEntry e, boolean orig) {
        int end = off + len;
        long packets = 0, bytes = 0;
        boolean wide = false; // a 64-bit counter wins over the obsolete 32-bit one, in whatever order
        while (end - off >= Netlink.NLATTR_SIZE) {
            int alen = b.getShort(off) & 0xffff;
            int atype = b.getShort(off + 2) & Netlink.NLA_TYPE_MASK;
            if (alen < Netlink.NLATTR_SIZE || alen > end - off) {
                return fail("counter attribute " + atype + " length " + alen + " outside its nest");
            }
            int v = off + Netlink.NLATTR_SIZE, vlen = alen - Netlink.NLATTR_SIZE;
            if (atype == CTA_COUNTERS_PACKETS || atype == CTA_COUNTERS_BYTES) {
                if (vlen < 8) {
                    return fail("64-bit counter of " + vlen + " bytes");
                }
                long value = be64(b, v);
                if (!wide) {
                    packets = bytes = 0;
                    wide = true;
                }
                if (atype == CTA_COUNTERS_PACKETS) {
                    packets = value;
                } else {
                    bytes = value;
                }
            } else if (!wide && (atype == CTA_COUNTERS32_PACKETS || atype == CTA_COUNTERS32_BYTES)) {
                if (vlen < 4) {
                    return fail("32-bit counter of " + vlen + " bytes");
                }
                long value = be32(b, v);
                if (atype == CTA_COUNTERS32_PACKETS) {
                    packets = value;
                } else {
                    bytes = value;
                }
            }
            off += Netlink.align(alen);
        }
        if (orig) {
            e.state.origPackets = packets; e.state.origBytes = bytes;
        } else {
            e.state.replyPackets = packets; e.state.replyBytes = bytes;
        }
        return true;
    }

    private boolean timestamp(ByteBuffer b, int off, int len, CtEntry e) {
        int end = off + len;
        while (end - off >= Netlink.NLATTR_SIZE) {
            int alen = b.getShort(off) & 0xffff;
            int atype = b.getShort(off + 2) & Netlink.NLA_TYPE_MASK;
            if (alen < Netlink.NLATTR_SIZE || alen > end - off) {
                return fail("timestamp attribute " + atype + " length " + alen + " outside its nest");
            }
            if (atype == CTA_TIMESTAMP_START || atype == CTA_TIMESTAMP_STOP) {
                if (alen - Netlink.NLATTR_SIZE < 8) {
                    return fail("timestamp of " + (alen - Netlink.NLATTR_SIZE) + " bytes");
                }
                long ns = be64(b, off + Netlink.NLATTR_SIZE);
                if (atype == CTA_TIMESTAMP_START) {
                    e.startNanos = ns;
                } else {
                    e.stopNanos = ns;
                }
            }
            off += Netlink.align(alen);
        }
        return true;
    }

    private boolean protoinfo(ByteBuffer b, int off, int len, CtEntry e) {
        int end = off + len;
        while (end - off >= Netlink.NLATTR_SIZE) {
            int alen = b.getShort(off) & 0xffff;
            int atype = b.getShort(off + 2) & Netlink.NLA_TYPE_MASK;
            if (alen < Netlink.NLATTR_SIZE || alen > end - off) {
                return fail("protoinfo attribute " + atype + " length " + alen + " outside its nest");
            }
            if (atype == CTA_PROTOINFO_TCP) {
                int p = off + Netlink.NLATTR_SIZE, pend = off + alen;
                while (pend - p >= Netlink.NLATTR_SIZE) {
                    int l = b.getShort(p) & 0xffff;
                    int t = b.getShort(p + 2) & Netlink.NLA_TYPE_MASK;
                    if (l < Netlink.NLATTR_SIZE || l > pend - p) {
                        return fail("TCP protoinfo attribute " + t + " length " + l + " outside its nest");
                    }
                    if (t == CTA_PROTOINFO_TCP_STATE && l > Netlink.NLATTR_SIZE) {
                        e.tcpState = b.get(p + Netlink.NLATTR_SIZE) & 0xff;
                    }
                    p += Netlink.align(l);
                }
            }
            off += Netlink.align(alen);
        }
        return true;
    }

    private static long be64(ByteBuffer b, int off) {
        long v = b.getLong(off);
        return HOST == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    private static int be16(ByteBuffer b, int off) {
        short v = b.getShort(off);
        return (HOST == ByteOrder.BIG_ENDIAN ? v : Short.reverseBytes(v)) & 0xffff;
    }

    private static long be32(ByteBuffer b, int off) {
        int v = b.getInt(off);
        return (HOST == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v)) & 0xffffffffL;
    }

    private boolean fail(String why) {
        error = why;
        return false;
    }
}
