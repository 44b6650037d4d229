package net.pflowd.flow;

/**
 * pflow's mapping from a state to flow records: one record per direction that carried traffic.
 *
 * <p>Both records are given from the originator's point of view, as pf exports them: the original
 * direction is orig.src → orig.dst, the reply direction is its mirror image. When the connection was
 * translated, the post-NAT fields carry the addresses and ports as they appear on the translated side
 * (the reply tuple read backwards for the original direction, the reply tuple as it is for the reply
 * direction). v5, which has no such fields, simply ignores them.
 */
public final class StateRecords {
    private StateRecords() {
    }

    /**
     * Emits the records of {@code s} into {@code sink}, reusing {@code scratch}.
     *
     * @return the number of records emitted (0, 1 or 2)
     */
    public static int emit(FlowState s, FlowRecord scratch, FlowSink sink) {
        int n = 0;
        boolean nat = s.isNat();
        if (s.origBytes != 0) {
            fillCommon(s, scratch, nat);
            scratch.srcHi = s.origSrcHi; scratch.srcLo = s.origSrcLo;
            scratch.dstHi = s.origDstHi; scratch.dstLo = s.origDstLo;
            scratch.srcPort = s.origSrcPort; scratch.dstPort = s.origDstPort;
            scratch.packets = s.origPackets; scratch.bytes = s.origBytes;
            scratch.inputIf = s.inputIf; scratch.outputIf = s.outputIf;
            if (nat) {
                scratch.postSrcHi = s.replyDstHi; scratch.postSrcLo = s.replyDstLo;
                scratch.postDstHi = s.replySrcHi; scratch.postDstLo = s.replySrcLo;
                scratch.postSrcPort = s.replyDstPort; scratch.postDstPort = s.replySrcPort;
                if (s.isIcmp()) {
                    scratch.postSrcPort = s.origSrcPort; scratch.postDstPort = s.origDstPort;
                }
            }
            sink.accept(scratch);
            n++;
        }
        if (s.replyBytes != 0) {
            fillCommon(s, scratch, nat);
            scratch.srcHi = s.origDstHi; scratch.srcLo = s.origDstLo;
            scratch.dstHi = s.origSrcHi; scratch.dstLo = s.origSrcLo;
            if (s.isIcmp()) {
                scratch.srcPort = s.replySrcPort; scratch.dstPort = s.replyDstPort;
            } else {
                scratch.srcPort = s.origDstPort; scratch.dstPort = s.origSrcPort;
            }
            scratch.packets = s.replyPackets; scratch.bytes = s.replyBytes;
            scratch.inputIf = s.outputIf; scratch.outputIf = s.inputIf;
            if (nat) {
                scratch.postSrcHi = s.replySrcHi; scratch.postSrcLo = s.replySrcLo;
                scratch.postDstHi = s.replyDstHi; scratch.postDstLo = s.replyDstLo;
                scratch.postSrcPort = s.replySrcPort; scratch.postDstPort = s.replyDstPort;
            }
            sink.accept(scratch);
            n++;
        }
        return n;
    }

    private static void fillCommon(FlowState s, FlowRecord r, boolean nat) {
        r.clear();
        r.family = s.family;
        r.protocol = s.protocol;
        r.tos = s.tos;
        r.startMillis = s.startMillis;
        r.endMillis = s.endMillis;
        r.nat = nat;
    }
}
