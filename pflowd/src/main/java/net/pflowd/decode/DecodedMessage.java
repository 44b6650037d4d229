package net.pflowd.decode;

import java.net.InetSocketAddress;
import java.util.List;
import net.pflowd.flow.FlowRecord;

/**
 * One decoded export datagram: its header and the flow records it carried.
 *
 * <p>{@code count} is the header's record count for v5 and v9 (v9 counts template, options and data
 * records alike, RFC 3954 §5.1); IPFIX has none, so for version 10 it is the number of data records
 * decoded (flow and options data), which is what the IPFIX sequence number advances by (RFC 7011 §3.1).
 * Sequence and domain are unsigned 32-bit values held in a long.
 */
public final class DecodedMessage {
    private final InetSocketAddress exporter;
    private final int version;
    private final int count;
    private final long sequence;
    private final long domain;
    private final int engineType;
    private final int engineId;
    private final long exportMillis;
    private final long sysUptime;
    private final List<FlowRecord> records;
    private final int templateRecords;
    private final int dataSetsSkipped;
    private final List<Integer> unknownTemplates;

    DecodedMessage(InetSocketAddress exporter, int version, int count, long sequence, long domain,
            int engineType, int engineId, long exportMillis, long sysUptime, List<FlowRecord> records,
            int templateRecords, int dataSetsSkipped) {
        this(exporter, version, count, sequence, domain, engineType, engineId, exportMillis, sysUptime, records,
                templateRecords, dataSetsSkipped, List.of());
    }

    DecodedMessage(InetSocketAddress exporter, int version, int count, long sequence, long domain,
            int engineType, int engineId, long exportMillis, long sysUptime, List<FlowRecord> records,
            int templateRecords, int dataSetsSkipped, List<Integer> unknownTemplates) {
        this.exporter = exporter;
        this.version = version;
        this.count = count;
        this.sequence = sequence;
        this.domain = domain;
        this.engineType = engineType;
        this.engineId = engineId;
        this.exportMillis = exportMillis;
        this.sysUptime = sysUptime;
        this.records = List.copyOf(records);
        this.templateRecords = templateRecords;
        this.dataSetsSkipped = dataSetsSkipped;
        this.unknownTemplates = List.copyOf(unknownTemplates);
    }

    public InetSocketAddress exporter() { return exporter; }

    /** 5, 9 or 10. */
    public int version() { return version; }

    /** v5/v9: the header's count; IPFIX: data records decoded (see class comment). */
    public int count() { return count; }

    /** v5 flow_sequence, v9 package_sequence, IPFIX sequence number. */
    public long sequence() { return sequence; }

    /** v9 source id, IPFIX observation domain id; v5: engine_type &lt;&lt; 8 | engine_id. */
    public long domain() { return domain; }

    /** v5 engine_type, -1 for other versions. */
    public int engineType() { return engineType; }

    /** v5 engine_id, -1 for other versions. */
    public int engineId() { return engineId; }

    /** Export time, Unix epoch milliseconds (v9 and IPFIX carry whole seconds). */
    public long exportMillis() { return exportMillis; }

    /** v5/v9 header sysUptime in milliseconds (unsigned 32-bit); -1 for IPFIX. */
    public long sysUptime() { return sysUptime; }

    /** The flow records, in datagram order; options data records are not included. */
    public List<FlowRecord> records() { return records; }

    /** Template and options template records seen, withdrawals included. */
    public int templateRecords() { return templateRecords; }

    /** Data sets skipped because their template was not (yet) known. */
    public int dataSetsSkipped() { return dataSetsSkipped; }

    /** The template ids of the skipped data sets, ascending, each once. */
    public List<Integer> unknownTemplates() { return unknownTemplates; }

    @Override
    public String toString() {
        return "v" + version + " from " + exporter + " seq " + sequence + " domain " + domain + " count " + count
                + " records " + records.size() + " templates " + templateRecords + " skipped " + dataSetsSkipped;
    }
}
