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
public final class NetflowV9 implements ExportFormat {
    public static final int VERSION = 9;
    public static final int HEADER_LENGTH = 20;
    public static final int FLOWSET_HEADER_LENGTH = 4;
    public static final int TEMPLATE_FLOWSET_ID = 0;

    private static final TemplateFields TEMPLATES = new TemplateFields(TEMPLATE_FLOWSET_ID,
            InformationElements.FLOW_START_SYS_UP_TIME, InformationElements.FLOW_END_SYS_UP_TIME, 4);

    /** The format, for the export engine. */
    public static final NetflowV9 FORMAT = new NetflowV9();

    private NetflowV9() {
    }

    /** Data record length of a family: 46 IPv4, 70 IPv6, 58 NAT IPv4, 106 NAT IPv6. */
    public static int recordLength(RecordFamily f) {
        return TEMPLATES.recordLength(f);
    }

    /** Number of template records in the template flowset (one per family). */
    public static int templateCount() {
        return RecordFamily.values().length;
    }

    public static int templateFlowsetLength() {
        return TEMPLATES.setLength();
    }

    /** Length of a data flowset of {@code n} records: header, records, padding to a multiple of 4. */
    public static int dataFlowsetLength(RecordFamily f, int n) {
        return (FLOWSET_HEADER_LENGTH + n * recordLength(f) + 3) & ~3;
    }

    /**
     * Writes the packet header at {@code at} (absolute). sysUptime is taken at the whole second that
     * unix_secs names, not at {@code nowMillis}: v9 has no nanoseconds field, so collectors (nfdump)
     * compute the exporter's boot time as unix_secs * 1000 - sysUptime and the flows' absolute times from
     * it; an uptime sampled ms after the second would shift every flow time by as much (up to 999 ms).
     */
    public static void putHeader(ByteBuffer b, int at, int count, long nowMillis, long packageSequence,
            ExporterId id) {
        long second = Math.floorDiv(nowMillis, 1000L);
        b.putShort(at, (short) VERSION);
        b.putShort(at + 2, (short) count);
        b.putInt(at + 4, id.uptime(second * 1000L));
        b.putInt(at + 8, (int) second);
        b.putInt(at + 12, (int) packageSequence);
        b.putInt(at + 16, (int) id.observationDomain());
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
        TEMPLATES.putSet(b, null);
    }

    /** Writes one data record of {@code r}'s family at the position. */
    public static void putRecord(ByteBuffer b, FlowRecord r, ExporterId id) {
        TemplateFields.putBeforeTimes(b, r);
        b.putInt(id.uptime(r.startMillis)).putInt(id.uptime(r.endMillis));
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
        return HEADER_LENGTH + FLOWSET_HEADER_LENGTH;
    }

    /** As many as fit (mpd packs to the MTU), the flowset padded to 4. */
    @Override
    public int recordsFitting(int room, RecordFamily f) {
        int n = (room - HEADER_LENGTH - FLOWSET_HEADER_LENGTH) / recordLength(f);
        while (n > 0 && HEADER_LENGTH + dataFlowsetLength(f, n) > room) {
            n--; // padding to 4 did not fit
        }
        return n;
    }

    @Override
    public int minimumPayload() {
        return HEADER_LENGTH + dataFlowsetLength(RecordFamily.NAT_IPV6, 1);
    }

    /** pflow has no v9: the requested MTU. */
    @Override
    public int interfaceMtu(int mtu, boolean collectorIpv6) {
        return mtu;
    }

    @Override
    public long recordCount(FlowRecord r) {
        return 1;
    }

    @Override
    public void putRecord(ByteBuffer b, FlowRecord r, long i, long n, ExporterId id) {
        putRecord(b, r, id);
    }

    @Override
    public int finishData(ByteBuffer b, RecordFamily f, int count, long nowMillis, long sequence, ExporterId id) {
        putPadding(b, HEADER_LENGTH);
        int length = b.position();
        putFlowsetHeader(b, HEADER_LENGTH, f.templateId, length - HEADER_LENGTH);
        putHeader(b, 0, count, nowMillis, sequence, id);
        return length;
    }

    /** package_sequence counts export packets. */
    @Override
    public boolean sequenceCountsPackets() {
        return true;
    }

    @Override
    public boolean hasTemplates() {
        return true;
    }

    @Override
    public boolean refreshesTemplatesByPackets() {
        return true;
    }

    @Override
    public int templateDatagramLength() {
        return HEADER_LENGTH + TEMPLATES.setLength();
    }

    /** count is the number of template records. */
    @Override
    public int putTemplates(ByteBuffer b, RecordFamily only, long nowMillis, long sequence, ExporterId id) {
        b.position(HEADER_LENGTH);
        TEMPLATES.putSet(b, only);
        putHeader(b, 0, only == null ? templateCount() : 1, nowMillis, sequence, id);
        return b.position();
    }
}
