package net.pflowd.listen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import net.pflowd.decode.DecodedMessage;

/**
 * Follows the sequence number of each (exporter, version, domain) stream and describes breaks in it.
 * What the next sequence number should be differs per version: v5 flow_sequence counts flows (seq +
 * count), v9 package_sequence counts export packets (seq + 1, RFC 3954 §5.1), IPFIX counts data records
 * (seq + records, RFC 7011 §3.1). When an IPFIX message had data sets of unknown templates its record
 * count is unknown, so the next message only resynchronizes. Streams are bounded, least recent forgotten.
 */
public final class SequenceTracker {
    private static final int MAX_STREAMS = 4096;
    /** Marks a stream whose next sequence number cannot be predicted. */
    private static final long UNKNOWN = -1;

    private static final class Stream {
        final String exporter;
        final int version;
        final long domain;

        Stream(String exporter, int version, long domain) {
            this.exporter = exporter;
            this.version = version;
            this.domain = domain;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stream && ((Stream) o).exporter.equals(exporter)
                    && ((Stream) o).version == version && ((Stream) o).domain == domain;
        }

        @Override
        public int hashCode() {
            return Objects.hash(exporter, version, domain);
        }
    }

    private final Map<Stream, Long> expected = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Stream, Long> eldest) {
            return size() > MAX_STREAMS;
        }
    };
    private long gaps;

    /** Records {@code m}; returns a one-line description of the break before it, or null. */
    public String check(DecodedMessage m) {
        String exporter = FlowJson.exporter(m.exporter());
        Stream s = new Stream(exporter, m.version(), m.domain());
        Long want = expected.get(s);
        long got = m.sequence();
        String report = null;
        if (want != null && want != UNKNOWN && want != got) {
            gaps++;
            long ahead = (got - want) & 0xffffffffL;
            String where = "from " + exporter + " v" + m.version() + " " + domain(m);
            if (ahead < 0x80000000L) {
                report = "sequence gap " + where + ": expected " + want + ", got " + got + " (" + ahead + " missing)";
            } else {
                report = "sequence went back " + where + ": expected " + want + ", got " + got
                        + " (reordered, duplicated or exporter restarted)";
            }
        }
        long next;
        switch (m.version()) {
            case 5: next = got + m.count(); break;
            case 9: next = got + 1; break;
            default: next = m.dataSetsSkipped() > 0 ? UNKNOWN : got + m.count(); break;
        }
        expected.put(s, next == UNKNOWN ? UNKNOWN : next & 0xffffffffL);
        return report;
    }

    public long gaps() {
        return gaps;
    }

    private static String domain(DecodedMessage m) {
        return m.version() == 5 ? "engine " + m.engineType() + "/" + m.engineId() : "domain " + m.domain();
    }
}
