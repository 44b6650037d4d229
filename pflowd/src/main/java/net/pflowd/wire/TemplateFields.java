package net.pflowd.wire;

import java.nio.ByteBuffer;

/**
 * The field lists of the four templates, shared by v9 and IPFIX: pflow's twelve elements in pflow's
 * order, the NAT templates append the post-NAT addresses and ports. Each entry is {element id, length}.
 * v9 and IPFIX share the element numbers except for the flow times: IPFIX flowStartMilliseconds (152) /
 * flowEndMilliseconds (153), 8 bytes of epoch ms; v9 FIRST_SWITCHED (22) / LAST_SWITCHED (21), 4 bytes
 * of sysUptime ms.
 */
final class TemplateFields {
    private TemplateFields() {
    }

    static final int TIMES_MARKER = -1;

    /** Element lists with {@link #TIMES_MARKER} where the two time fields go (format-specific). */
    private static final int[][] V4 = {
        {8, 4}, {12, 4}, {10, 4}, {14, 4}, {2, 8}, {1, 8}, {TIMES_MARKER, 0}, {7, 2}, {11, 2}, {5, 1}, {4, 1},
    };
    private static final int[][] V6 = {
        {27, 16}, {28, 16}, {10, 4}, {14, 4}, {2, 8}, {1, 8}, {TIMES_MARKER, 0}, {7, 2}, {11, 2}, {5, 1}, {4, 1},
    };
    private static final int[][] NAT_V4 = {{225, 4}, {226, 4}, {227, 2}, {228, 2}};
    private static final int[][] NAT_V6 = {{281, 16}, {282, 16}, {227, 2}, {228, 2}};

    /** {id, length} pairs of a family's template with the given time elements. */
    static int[][] fields(RecordFamily f, int startId, int endId, int timeLength) {
        int[][] base = f.isIpv6() ? V6 : V4;
        int[][] nat = f.isNat() ? (f.isIpv6() ? NAT_V6 : NAT_V4) : new int[0][];
        int[][] out = new int[base.length + 1 + nat.length][];
        int i = 0;
        for (int[] e : base) {
            if (e[0] == TIMES_MARKER) {
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

    /**
     * Writes one template record at the position: template id, field count, then the {id, length} pairs.
     * The layout is the same in a v9 template flowset (RFC 3954 5.2) and an IPFIX template set (RFC 7011 3.4.1).
     */
    static void putTemplateRecord(ByteBuffer b, int templateId, int[][] fields) {
        b.putShort((short) templateId).putShort((short) fields.length);
        for (int[] e : fields) {
            b.putShort((short) e[0]).putShort((short) e[1]);
        }
    }

    static int recordLength(int[][] fields) {
        int n = 0;
        for (int[] e : fields) {
            n += e[1];
        }
        return n;
    }
}
