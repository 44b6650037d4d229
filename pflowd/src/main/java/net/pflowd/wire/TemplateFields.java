package net.pflowd.wire;

import static net.pflowd.wire.InformationElements.*;

import java.nio.ByteBuffer;
import net.pflowd.flow.FlowRecord;

/**
 * The four templates shared by v9 and IPFIX, and their set: pflow's twelve elements in pflow's order, the NAT
 * templates append the post-NAT addresses and ports. Each field is {element id, length}. v9 and IPFIX share
 * the element numbers except for the flow times (IPFIX flowStartMilliseconds / flowEndMilliseconds, 8 bytes of
 * epoch ms; v9 FIRST_SWITCHED / LAST_SWITCHED, 4 bytes of sysUptime ms), so each format builds its table with
 * its own time elements ({@link #TemplateFields(int, int, int, int)}). A template record has the same layout in
 * a v9 template flowset (RFC 3954 5.2) and an IPFIX template set (RFC 7011 3.4.1); only the set id differs.
 */
final class TemplateFields {
    private static final int TIMES = -1; // where the two time fields go

    private static final int[][] V4 = {
        {SOURCE_IPV4_ADDRESS, 4}, {DESTINATION_IPV4_ADDRESS, 4}, {INGRESS_INTERFACE, 4}, {EGRESS_INTERFACE, 4},
        {PACKET_DELTA_COUNT, 8}, {OCTET_DELTA_COUNT, 8}, {TIMES, 0}, {SOURCE_TRANSPORT_PORT, 2},
        {DESTINATION_TRANSPORT_PORT, 2}, {IP_CLASS_OF_SERVICE, 1}, {PROTOCOL_IDENTIFIER, 1},
    };
    private static final int[][] V6 = {
        {SOURCE_IPV6_ADDRESS, 16}, {DESTINATION_IPV6_ADDRESS, 16}, {INGRESS_INTERFACE, 4}, {EGRESS_INTERFACE, 4},
        {PACKET_DELTA_COUNT, 8}, {OCTET_DELTA_COUNT, 8}, {TIMES, 0}, {SOURCE_TRANSPORT_PORT, 2},
        {DESTINATION_TRANSPORT_PORT, 2}, {IP_CLASS_OF_SERVICE, 1}, {PROTOCOL_IDENTIFIER, 1},
    };
    private static final int[][] NAT_V4 = {
        {POST_NAT_SOURCE_IPV4_ADDRESS, 4}, {POST_NAT_DESTINATION_IPV4_ADDRESS, 4},
        {POST_NAPT_SOURCE_TRANSPORT_PORT, 2}, {POST_NAPT_DESTINATION_TRANSPORT_PORT, 2},
    };
    private static final int[][] NAT_V6 = {
        {POST_NAT_SOURCE_IPV6_ADDRESS, 16}, {POST_NAT_DESTINATION_IPV6_ADDRESS, 16},
        {POST_NAPT_SOURCE_TRANSPORT_PORT, 2}, {POST_NAPT_DESTINATION_TRANSPORT_PORT, 2},
    };

    private final int setId;
    private final int[][][] fields = new int[RecordFamily.values().length][][];
    private final int[] recordLength = new int[RecordFamily.values().length];
    private final int setLength;

    /** The four templates with the given time elements, in sets of id {@code setId}. */
    TemplateFields(int setId, int startId, int endId, int timeLength) {
        this.setId = setId;
        int set = 4;
        for (RecordFamily f : RecordFamily.values()) {
            int[][] t = fields(f, startId, endId, timeLength);
            fields[f.ordinal()] = t;
            for (int[] e : t) {
                recordLength[f.ordinal()] += e[1];
            }
            set += templateLength(t);
        }
        setLength = set; // every template is a multiple of 4 long: no padding
    }

    private static int[][] fields(RecordFamily f, int startId, int endId, int timeLength) {
        int[][] base = f.isIpv6() ? V6 : V4;
        int[][] nat = f.isNat() ? (f.isIpv6() ? NAT_V6 : NAT_V4) : new int[0][];
        int[][] out = new int[base.length + 1 + nat.length][];
        int i = 0;
        for (int[] e : base) {
            if (e[0] == TIMES) {
                out[i++] = new int[] {startId, timeLength};
                out[i++] = new int[] {endId, timeLength};
            } else {
                out[i++] = e;
            }
        }
        for (int[] e : nat) {
            out[i++] = e;
        }
        return out;
    }

    private static int templateLength(int[][] fields) {
        return 4 + 4 * fields.length;
    }

    /** Data record length of a family. */
    int recordLength(RecordFamily f) {
        return recordLength[f.ordinal()];
    }

    /** Length of the set with all four templates, set header included. */
    int setLength() {
        return setLength;
    }

    /** Writes a template set with all four templates, or only {@code only}'s when not null, at the position. */
    void putSet(ByteBuffer b, RecordFamily only) {
        if (only == null) {
            b.putShort((short) setId).putShort((short) setLength);
            for (RecordFamily f : RecordFamily.values()) {
                putTemplate(b, f);
            }
        } else {
            b.putShort((short) setId).putShort((short) (4 + templateLength(fields[only.ordinal()])));
            putTemplate(b, only);
        }
    }

    /** One template record: template id, field count, then the {id, length} pairs. */
    private void putTemplate(ByteBuffer b, RecordFamily f) {
        int[][] t = fields[f.ordinal()];
        b.putShort((short) f.templateId).putShort((short) t.length);
        for (int[] e : t) {
            b.putShort((short) e[0]).putShort((short) e[1]);
        }
    }

    /** A data record's fields before the flow times, as the templates order them: addresses, interfaces, counters. */
    static void putBeforeTimes(ByteBuffer b, FlowRecord r) {
        if (r.family == FlowRecord.IPV6) {
            b.putLong(r.srcHi).putLong(r.srcLo).putLong(r.dstHi).putLong(r.dstLo);
        } else {
            b.putInt((int) r.srcLo).putInt((int) r.dstLo);
        }
        b.putInt(r.inputIf).putInt(r.outputIf).putLong(r.packets).putLong(r.bytes);
    }

    /** The fields after the flow times: ports, class of service, protocol, and the NAT templates' post-NAT fields. */
    static void putAfterTimes(ByteBuffer b, FlowRecord r) {
        b.putShort((short) r.srcPort).putShort((short) r.dstPort).put((byte) r.tos).put((byte) r.protocol);
        if (r.nat) {
            if (r.family == FlowRecord.IPV6) {
                b.putLong(r.postSrcHi).putLong(r.postSrcLo).putLong(r.postDstHi).putLong(r.postDstLo);
            } else {
                b.putInt((int) r.postSrcLo).putInt((int) r.postDstLo);
            }
            b.putShort((short) r.postSrcPort).putShort((short) r.postDstPort);
        }
    }
}
