package net.pflowd.collectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.pflowd.export.ExportCounters;
import net.pflowd.export.ExportEngine;
import net.pflowd.export.ExportSettings;
import net.pflowd.flow.FlowRecord;
import net.pflowd.testutil.ManualClock;

/**
 * One export of a list of flows by an {@link ExportEngine} in one version to a real nfcapd over loopback
 * UDP, captured on {@code lo} meanwhile; holds what the engine counted, what nfdump read back and what
 * tshark decoded from the capture.
 *
 * <p>Pacing, with a {@link ManualClock}: the engine is set running at {@link InteropFlows#EXPORT_START}
 * (templates leave), the first half of the flows is exported, the clock passes the hold timeout and
 * {@link ExportEngine#tick} sends the partly filled datagrams, the second half follows 1.5 s later, and
 * {@link ExportEngine#close} flushes the rest. So datagrams leave both full and by timeout.
 */
public final class ExportRun {
    public final int version;
    public final ExportSettings settings;
    public final ExportCounters counters;
    /** Every UDP payload the engine handed to the sink, in order (copies). */
    public final List<byte[]> payloads;
    /** nfdump -o json, one object per stored record. */
    public final List<JsonNode> nfdump;
    public final long nfdumpSequenceFailures;
    public final String nfcapdLog;
    /** tshark's decode of the capture, one map per packet (see {@link Tshark#stopAndDecode}). */
    public final List<Map<String, List<String>>> tshark;

    private ExportRun(int version, ExportSettings settings, ExportCounters counters, List<byte[]> payloads,
            List<JsonNode> nfdump, long nfdumpSequenceFailures, String nfcapdLog, List<Map<String, List<String>>> tshark) {
        this.version = version;
        this.settings = settings;
        this.counters = counters;
        this.payloads = payloads;
        this.nfdump = nfdump;
        this.nfdumpSequenceFailures = nfdumpSequenceFailures;
        this.nfcapdLog = nfcapdLog;
        this.tshark = tshark;
    }

    public static ExportRun run(int version, InetAddress collector, List<FlowRecord> flows, List<String> tsharkFields)
            throws Exception {
        try (Nfcapd nfcapd = Nfcapd.start(collector);
                Tshark capture = Tshark.capture("lo", nfcapd.address().getPort(), List.of())) {
            ExportSettings settings = ExportSettings.defaults()
                    .withVersion(version)
                    .withCollectorIpv6(collector.getAddress().length == 16)
                    .withUptimeOriginMillis(InteropFlows.UPTIME_ORIGIN);
            ManualClock clock = new ManualClock(InteropFlows.EXPORT_START);
            List<byte[]> payloads = new ArrayList<>();
            ExportCounters counters;
            try (UdpDatagramSink udp = new UdpDatagramSink(new InetSocketAddress(collector, nfcapd.address().getPort()))) {
                ExportEngine engine = new ExportEngine(settings, clock, payload -> {
                    byte[] copy = new byte[payload.remaining()];
                    payload.duplicate().get(copy);
                    payloads.add(copy);
                    udp.send(payload);
                });
                engine.setRunning(true);
                int half = flows.size() / 2;
                for (FlowRecord r : flows.subList(0, half)) {
                    clock.advance(3);
                    engine.export(r);
                }
                clock.advance(settings.holdTimeoutMillis());
                engine.tick();
                clock.advance(1_500);
                for (FlowRecord r : flows.subList(half, flows.size())) {
                    clock.advance(3);
                    engine.export(r);
                }
                clock.advance(1_000);
                engine.close();
                counters = engine.counters();
            }
            capture.awaitPackets(payloads.size(), Duration.ofSeconds(10));
            List<Map<String, List<String>>> decoded = capture.stopAndDecode(tsharkFields);
            nfcapd.stop();
            return new ExportRun(version, settings, counters, payloads, nfcapd.flows(), nfcapd.sequenceFailures(),
                    nfcapd.log(), decoded);
        }
    }

    /** Wraps payload {@code i} for reading. */
    public ByteBuffer payload(int i) {
        return ByteBuffer.wrap(payloads.get(i)).asReadOnlyBuffer();
    }
}
