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
public final class Ipfix implements ExportFormat {
    public static final int VERSION = 10;
    public static final int HEADER_LENGTH = 16;
    public static final int SET_HEADER_LENGTH = 4;
    public static final int TEMPLATE_SET_ID = 2;

    private static final TemplateFields TEMPLATES = new TemplateFields(TEMPLATE_SET_ID,
            InformationElements.FLOW_START_MILLISECONDS, InformationElements.FLOW_END_MILLISECONDS, 8);

    /** The format, for the export engine. */
    public static final Ipfix FORMAT = new Ipfix();

    private Ipfix() {
    }

    /** Data record length of a family: 54 IPv4, 78 IPv6, 66 NAT IPv4, 114 NAT IPv6. */
    public static int recordLength(RecordFamily f) {
        return TEMPLATES.recordLength(f);
    }

    /** Length of the template set with all four templates, set header included. */
    public static int templateSetLength() {
        return TEMPLATES.setLength();
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
        TEMPLATES.putSet(b, null);
    }

    /** Writes one data record of {@code r}'s family ({@link RecordFamily#of}) at the position. */
    public static void putRecord(ByteBuffer b, FlowRecord r) {
        TemplateFields.putBeforeTimes(b, r);
        b.putLong(r.startMillis).putLong(r.endMillis);
        TemplateFields.putAfterTimes(b, r);
    }

    // ---------------------------------------------------------------- the format

    @Override
    public int version() {
        return VERSION;
    }

    @Override
    public RecordFamily datagramFamily(RecordFamily f) {
        return f;
    }

    @Override
    public int dataOffset() {
        return HEADER_LENGTH + SET_HEADER_LENGTH;
    }

    @Override
    public int recordsFitting(int room, RecordFamily f) {
        return Math.min(MAX_FLOWS, (room - HEADER_LENGTH - SET_HEADER_LENGTH) / recordLength(f));
    }

    @Override
    public int minimumPayload() {
        return HEADER_LENGTH + SET_HEADER_LENGTH + recordLength(RecordFamily.NAT_IPV6);
    }

    /** pflow's {@code 16 + 28 + maxcount4 * 54}: 1448 at 1500 (the set header left out, as pflow does). */
    @Override
    public int interfaceMtu(int mtu, boolean collectorIpv6) {
        return HEADER_LENGTH + 28 + recordsPerDatagram(mtu, collectorIpv6, RecordFamily.IPV4)
                * recordLength(RecordFamily.IPV4);
    }

    @Override
    public long recordCount(FlowRecord r) {
        return 1;
    }

    @Override
    public void putRecord(ByteBuffer b, FlowRecord r, long i, long n, ExporterId id) {
        putRecord(b, r);
    }

    @Override
    public int finishData(ByteBuffer b, RecordFamily f, int count, long nowMillis, long sequence, ExporterId id) {
        int length = b.position();
        putSetHeader(b, HEADER_LENGTH, f.templateId, length - HEADER_LENGTH);
        putHeader(b, 0, length, Math.floorDiv(nowMillis, 1000L), sequence, id.observationDomain());
        return length;
    }

    /** The sequence number counts data records; template messages do not move it. */
    @Override
    public boolean sequenceCountsPackets() {
        return false;
    }

    @Override
    public boolean hasTemplates() {
        return true;
    }

    @Override
    public boolean refreshesTemplatesByPackets() {
        return false;
    }

    @Override
    public int templateDatagramLength() {
        return HEADER_LENGTH + TEMPLATES.setLength();
    }

    @Override
    public int putTemplates(ByteBuffer b, RecordFamily only, long nowMillis, long sequence, ExporterId id) {
        b.position(HEADER_LENGTH);
        TEMPLATES.putSet(b, only);
        putHeader(b, 0, b.position(), Math.floorDiv(nowMillis, 1000L), sequence, id.observationDomain());
        return b.position();
    }
}
