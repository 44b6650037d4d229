package net.pflowd.wire;

import java.nio.ByteBuffer;
import net.pflowd.flow.FlowRecord;

/**
 * IPFIX (RFC 7011, information elements RFC 7012) as pflow(4) sends it: a 16-byte message header, one
 * template set (id 2) with the four templates, or one data set (id = template id) of one family.
 *
 * <pre>
 * message header: version 10 (2) | length (2) | export time, s (4) | sequence (4) | observation domain (4)
 * set header:     set id (2) | set length incl. this header (2)
 * template:       template id (2) | field count (2) | { element id (2) | length (2) } ...
 * </pre>
 *
 * <p>The sequence number is the number of data records sent in this stream before the message
 * (templates do not count). Records are written unpadded, as pflow does; data sets carry no padding.
 * Pure: writes into the caller's buffer, allocates nothing per record.
 */
public final class Ipfix {
    public static final int VERSION = 10;
    public static final int HEADER_LENGTH = 16;
    public static final int SET_HEADER_LENGTH = 4;
    public static final int TEMPLATE_SET_ID = 2;

    static final int FLOW_START_MILLISECONDS = 152;
    static final int FLOW_END_MILLISECONDS = 153;

    private static final int[][][] FIELDS = new int[RecordFamily.values().length][][];
    private static final int[] RECORD_LENGTH = new int[RecordFamily.values().length];
    private static final int TEMPLATE_SET_LENGTH;

    static {
        int set = SET_HEADER_LENGTH;
        for (RecordFamily f : RecordFamily.values()) {
            FIELDS[f.ordinal()] = TemplateFields.fields(f, FLOW_START_MILLISECONDS, FLOW_END_MILLISECONDS, 8);
            RECORD_LENGTH[f.ordinal()] = TemplateFields.recordLength(FIELDS[f.ordinal()]);
            set += 4 + 4 * FIELDS[f.ordinal()].length;
        }
        TEMPLATE_SET_LENGTH = set;
    }

    private Ipfix() {
    }

    /** Data record length of a family: 54 IPv4, 78 IPv6, 66 NAT IPv4, 114 NAT IPv6. */
    public static int recordLength(RecordFamily f) {
        return RECORD_LENGTH[f.ordinal()];
    }

    /** Length of the template set with all four templates, set header included. */
    public static int templateSetLength() {
        return TEMPLATE_SET_LENGTH;
    }

    /** Writes the message header at {@code at} (absolute; the position is not moved). */
    public static void putHeader(ByteBuffer b, int at, int messageLength, long exportSecs, long sequence,
            long observationDomain) {
        b.putShort(at, (short) VERSION);
        b.putShort(at + 2, (short) messageLength);
        b.putInt(at + 4, (int) exportSecs);
        b.putInt(at + 8, (int) sequence);
        b.putInt(at + 12, (int) observationDomain);
    }

    /** Writes a set header at {@code at} (absolute). */
    public static void putSetHeader(ByteBuffer b, int at, int setId, int setLength) {
        b.putShort(at, (short) setId);
        b.putShort(at + 2, (short) setLength);
    }

    /** Writes the template set (header and the four templates) at the position, advancing it. */
    public static void putTemplateSet(ByteBuffer b) {
        b.putShort((short) TEMPLATE_SET_ID).putShort((short) TEMPLATE_SET_LENGTH);
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
        b.putShort((short) TEMPLATE_SET_ID).putShort((short) (4 + 4 + 4 * fields.length));
        TemplateFields.putTemplateRecord(b, f.templateId, fields);
    }

    /** Writes one data record of {@code r}'s family ({@link RecordFamily#of}) at the position. */
    public static void putRecord(ByteBuffer b, FlowRecord r) {
        boolean v6 = r.family == FlowRecord.IPV6;
        if (v6) {
            b.putLong(r.srcHi).putLong(r.srcLo).putLong(r.dstHi).putLong(r.dstLo);
        } else {
            b.putInt((int) r.srcLo).putInt((int) r.dstLo);
        }
        b.putInt(r.inputIf).putInt(r.outputIf)
                .putLong(r.packets).putLong(r.bytes)
                .putLong(r.startMillis).putLong(r.endMillis)
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
