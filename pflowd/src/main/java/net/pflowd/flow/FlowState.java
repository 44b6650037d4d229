package net.pflowd.flow;

import java.net.InetAddress;
import net.pflowd.linux.In;

/**
 * A connection as a state table knows it (a conntrack entry, a pf state): the original tuple as the
 * originator sent it, the reply tuple as the responder sends it, and the counters of each direction.
 * {@link StateRecords} turns one into the (up to) two one-way records pflow exports.
 *
 * <p>The reply tuple is conntrack's: when the connection is translated it holds the translated
 * addresses (after SNAT its destination is the NAT address, after DNAT its source is the real server),
 * so a reply tuple that is not the mirror image of the original tuple means NAT.
 *
 * <p>For ICMP and ICMPv6 the sources put the message type and code where collectors expect them:
 * source port 0, destination port {@code type << 8 | code}, in each tuple its own (an echo request's
 * reply tuple carries the echo reply type).
 */
public final class FlowState {
    public int family = FlowRecord.IPV4;
    public int protocol;
    public int tos;

    public long origSrcHi, origSrcLo, origDstHi, origDstLo;
    public int origSrcPort, origDstPort;

    public long replySrcHi, replySrcLo, replyDstHi, replyDstLo;
    public int replySrcPort, replyDstPort;

    public long origPackets, origBytes, replyPackets, replyBytes;

    /** Connection start and the best known time of its last packet, ms since the epoch. */
    public long startMillis, endMillis;

    public int inputIf, outputIf;

    public FlowState clear() {
        family = FlowRecord.IPV4;
        protocol = tos = 0;
        origSrcHi = origSrcLo = origDstHi = origDstLo = 0;
        origSrcPort = origDstPort = 0;
        replySrcHi = replySrcLo = replyDstHi = replyDstLo = 0;
        replySrcPort = replyDstPort = 0;
        origPackets = origBytes = replyPackets = replyBytes = 0;
        startMillis = endMillis = 0;
        inputIf = outputIf = 0;
        return this;
    }

    public FlowState copyFrom(FlowState o) {
        family = o.family; protocol = o.protocol; tos = o.tos;
        origSrcHi = o.origSrcHi; origSrcLo = o.origSrcLo; origDstHi = o.origDstHi; origDstLo = o.origDstLo;
        origSrcPort = o.origSrcPort; origDstPort = o.origDstPort;
        replySrcHi = o.replySrcHi; replySrcLo = o.replySrcLo; replyDstHi = o.replyDstHi; replyDstLo = o.replyDstLo;
        replySrcPort = o.replySrcPort; replyDstPort = o.replyDstPort;
        origPackets = o.origPackets; origBytes = o.origBytes;
        replyPackets = o.replyPackets; replyBytes = o.replyBytes;
        startMillis = o.startMillis; endMillis = o.endMillis;
        inputIf = o.inputIf; outputIf = o.outputIf;
        return this;
    }

    public boolean isIcmp() {
        return protocol == In.IPPROTO_ICMP || protocol == In.IPPROTO_ICMPV6;
    }

    /** True when the reply tuple is not the mirror image of the original tuple. */
    public boolean isNat() {
        if (replySrcHi != origDstHi || replySrcLo != origDstLo
                || replyDstHi != origSrcHi || replyDstLo != origSrcLo) {
            return true;
        }
        // ICMP "ports" are type/code, which differ between the directions without any translation.
        return !isIcmp() && (replySrcPort != origDstPort || replyDstPort != origSrcPort);
    }

    // ---- convenience for sources and tests ----

    public FlowState orig(InetAddress src, int srcPort, InetAddress dst, int dstPort) {
        long[] s = FlowRecord.halves(src), d = FlowRecord.halves(dst);
        family = src.getAddress().length == 16 ? FlowRecord.IPV6 : FlowRecord.IPV4;
        origSrcHi = s[0]; origSrcLo = s[1]; origDstHi = d[0]; origDstLo = d[1];
        origSrcPort = srcPort; origDstPort = dstPort;
        return this;
    }

    public FlowState reply(InetAddress src, int srcPort, InetAddress dst, int dstPort) {
        long[] s = FlowRecord.halves(src), d = FlowRecord.halves(dst);
        replySrcHi = s[0]; replySrcLo = s[1]; replyDstHi = d[0]; replyDstLo = d[1];
        replySrcPort = srcPort; replyDstPort = dstPort;
        return this;
    }

    /** Sets the reply tuple to the mirror image of the original: an untranslated connection. */
    public FlowState replyMirrorsOrig() {
        replySrcHi = origDstHi; replySrcLo = origDstLo; replyDstHi = origSrcHi; replyDstLo = origSrcLo;
        replySrcPort = origDstPort; replyDstPort = origSrcPort;
        return this;
    }

    @Override
    public String toString() {
        return "proto " + protocol + " "
                + FlowRecord.address(family, origSrcHi, origSrcLo).getHostAddress() + ":" + origSrcPort + " > "
                + FlowRecord.address(family, origDstHi, origDstLo).getHostAddress() + ":" + origDstPort
                + " reply " + FlowRecord.address(family, replySrcHi, replySrcLo).getHostAddress() + ":" + replySrcPort
                + " > " + FlowRecord.address(family, replyDstHi, replyDstLo).getHostAddress() + ":" + replyDstPort
                + " orig " + origPackets + "/" + origBytes + " reply " + replyPackets + "/" + replyBytes
                + " start " + startMillis + " end " + endMillis;
    }
}
