package net.pflowd.wire;

import java.nio.ByteBuffer;
import net.pflowd.flow.FlowRecord;

/**
 * NetFlow v9 (RFC 3954) with the same four templates as IPFIX (pflow itself has no v9; the layout
 * follows the RFC, element order follows pflow's IPFIX templates).
 *
 * <pre>
 * packet header: version 9 (2) | count (2) | sysUptime, ms (4) | unix_secs (4) | package_sequence (4) | source_id (4)
 * flowset:       flowset id (2) | length incl. header and padding (2) | ... | padding to 4
 * template:      template id (2) | field count (2) | { type (2) | length (2) } ...   (flowset id 0)
 * </pre>
 *
 * <p>count is the number of template and data records in the packet; package_sequence the number of
 * export packets sent before this one. Flow times are FIRST_SWITCHED (22) / LAST_SWITCHED (21): 4 bytes
 * of sysUptime ms, i.e. ms since the exporter's uptime origin, clamped at 0, wrapping at 2^32 as the
 * format does.
 */
public final class NetflowV9 {
    public static final int VERSION = 9;
    public static final int HEADER_LENGTH = 20;
    public static final int FLOWSET_HEADER_LENGTH = 4;
    public static final int TEMPLATE_FLOWSET_ID = 0;

    static final int FIRST_SWITCHED = 22;
    static final int LAST_SWITCHED = 21;

    private static final int[][][] FIELDS = new int[RecordFamily.values().length][][];
    private static final int[] RECORD_LENGTH = new int[RecordFamily.values().length];
    private static final int TEMPLATE_FLOWSET_LENGTH;

    static {
        int set = FLOWSET_HEADER_LENGTH;
        for (RecordFamily f : RecordFamily.values()) {
            FIELDS[f.ordinal()] = TemplateFields.fields(f, FIRST_SWITCHED, LAST_SWITCHED, 4);
            RECORD_LENGTH[f.ordinal()] = TemplateFields.recordLength(FIELDS[f.ordinal()]);
            set += 4 + 4 * FIELDS[f.ordinal()].length;
        }
        TEMPLATE_FLOWSET_LENGTH = set; // every template is a multiple of 4 long: no padding
    }

    private NetflowV9() {
    }

    /** Data record length of a family: 46 IPv4, 70 IPv6, 58 NAT IPv4, 106 NAT IPv6. */
    public static int recordLength(RecordFamily f) {
        return RECORD_LENGTH[f.ordinal()];
    }

    /** Number of template records in the template flowset (one per family). */
    public static int templateCount() {
        return RecordFamily.values().length;
    }

    public static int templateFlowsetLength() {
        return TEMPLATE_FLOWSET_LENGTH;
    }

    /** Length of a data flowset of {@code n} records: header, records, padding to a multiple of 4. */
    public static int dataFlowsetLength(RecordFamily f, int n) {
        return (FLOWSET_HEADER_LENGTH + n * RECORD_LENGTH[f.ordinal()] + 3) & ~3;
    }

    /** sysUptime of an epoch-ms time: ms since {@code uptimeOrigin}, clamped at 0, truncated to 32 bits. */
    public static int uptime(long epochMillis, long uptimeOrigin) {
        long d = epochMillis - uptimeOrigin;
        return d < 0 ? 0 : (int) d;
    }

    /**
     * Writes the packet header at {@code at} (absolute). sysUptime is taken at the whole second that
     * unix_secs names, not at {@code nowMillis}: v9 has no nanoseconds field, so collectors (nfdump)
     * compute the exporter's boot time as unix_secs * 1000 - sysUptime and the flows' absolute times from
     * it; an uptime sampled ms after the second would shift every flow time by as much (up to 999 ms).
     */
    public static void putHeader(ByteBuffer b, int at, int count, long nowMillis, long uptimeOrigin,
            long packageSequence, long sourceId) {
        long second = Math.floorDiv(nowMillis, 1000L);
        b.putShort(at, (short) VERSION);
        b.putShort(at + 2, (short) count);
        b.putInt(at + 4, uptime(second * 1000L, uptimeOrigin));
        b.putInt(at + 8, (int) second);
        b.putInt(at + 12, (int) packageSequence);
        b.putInt(at + 16, (int) sourceId);
    }

    /** Writes a flowset header at {@code at} (absolute). */
    public static void putFlowsetHeader(ByteBuffer b, int at, int flowsetId, int length) {
        b.putShort(at, (short) flowsetId);
        b.putShort(at + 2, (short) length);
    }

    /** Writes zero padding from the position up to a multiple of 4 counted from {@code flowsetStart}. */
    public static void putPadding(ByteBuffer b, int flowsetStart) {
        while (((b.position() - flowsetStart) & 3) != 0) {
            b.put((byte) 0);
        }
    }

    /** Writes the template flowset (all four templates) at the position, advancing it. */
    public static void putTemplateFlowset(ByteBuffer b) {
        b.putShort((short) TEMPLATE_FLOWSET_ID).putShort((short) TEMPLATE_FLOWSET_LENGTH);
        for (RecordFamily f : RecordFamily.values()) {
            TemplateFields.putTemplateRecord(b, f.templateId, FIELDS[f.ordinal()]);
        }
    }

    /**
     * Writes a template set holding only {@code f}'s template at the position (used when the four do not
     * fit one datagram under a small MTU).
     */
    public static void putTemplate(ByteBuffer b, RecordFamily f) {
        int[][] fields = FIELDS[f.ordinal()];
        b.putShort((short) TEMPLATE_FLOWSET_ID).putShort((short) (4 + 4 + 4 * fields.length));
        TemplateFields.putTemplateRecord(b, f.templateId, fields);
    }

    /** Writes one data record of {@code r}'s family at the position. */
    public static void putRecord(ByteBuffer b, FlowRecord r, long uptimeOrigin) {
        boolean v6 = r.family == FlowRecord.IPV6;
        if (v6) {
            b.putLong(r.srcHi).putLong(r.srcLo).putLong(r.dstHi).putLong(r.dstLo);
        } else {
            b.putInt((int) r.srcLo).putInt((int) r.dstLo);
        }
        b.putInt(r.inputIf).putInt(r.outputIf)
                .putLong(r.packets).putLong(r.bytes)
                .putInt(uptime(r.startMillis, uptimeOrigin)).putInt(uptime(r.endMillis, uptimeOrigin))
                .putShort((short) r.srcPort).putShort((short) r.dstPort)
                .put((byte) r.tos).put((byte) r.protocol);
        if (r.nat) {
            if (v6) {
                b.putLong(r.postSrcHi).putLong(r.postSrcLo).putLong(r.postDstHi).putLong(r.postDstLo);
            } else {
                b.putInt((int) r.postSrcLo).putInt((int) r.postDstLo);
            }
            b.putShort((short) r.postSrcPort).putShort((short) r.postDstPort);
        }
    }
}
