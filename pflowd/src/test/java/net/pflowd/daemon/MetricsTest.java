package net.pflowd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.pflowd.config.FlowEndpoint;
import net.pflowd.config.InterfaceConfig;
import net.pflowd.control.InterfaceStatus;
import net.pflowd.flow.FlowSink;
import net.pflowd.source.StateSource;
import org.junit.jupiter.api.Test;

/** The metrics endpoint over HTTP on loopback: every statistic of every interface, and the source's, read at scrape. */
class MetricsTest {
    private static final class FakeSource implements StateSource {
        final AtomicLong events = new AtomicLong();

        @Override
        public String name() {
            return "conntrack";
        }

        @Override
        public void start(FlowSink sink) {
        }

        @Override
        public Map<String, Long> counters() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("events", events.get());
            m.put("live-entries", 3L);
            return m;
        }

        @Override
        public Set<String> gauges() {
            return Set.of("live-entries");
        }

        @Override
        public void close() {
        }
    }

    private static InterfaceStatus status(String name, boolean up, long flows) throws Exception {
        InterfaceConfig c = InterfaceConfig.created(name).withFlowdst(FlowEndpoint.parse("127.0.0.1:2055")).withUp(up);
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put(InterfaceStatus.FLOWS, flows);
        stats.put("export.records-sent", flows - 1);
        stats.put("mirror.packets", 4L);
        stats.put("conntrack.events", 99L); // the source's, as ifconfig -v shows it on every interface
        return new InterfaceStatus(c, 7, InterfaceStatus.flagsFor(c, true), 1492, stats);
    }

    @Test
    void servesEveryCounterFreshAtEachScrape() throws Exception {
        FakeSource source = new FakeSource();
        AtomicLong flows = new AtomicLong(5);
        Metrics metrics = new Metrics(() -> {
            try {
                return List.of(status("pflow0", true, flows.get()), status("pflow1", false, 2));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, source);
        try (Metrics.Server server = Metrics.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics)) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
            String text = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(text).contains(
                    "# TYPE pflowd_flows_total counter\n",
                    "pflowd_flows_total{interface=\"pflow0\"} 5.0\n",
                    "pflowd_flows_total{interface=\"pflow1\"} 2.0\n",
                    "pflowd_export_records_sent_total{interface=\"pflow0\"} 4.0\n",
                    "pflowd_mirror_packets_total{interface=\"pflow1\"} 4.0\n",
                    "pflowd_interface_running{interface=\"pflow0\"} 1.0\n",
                    "pflowd_interface_running{interface=\"pflow1\"} 0.0\n",
                    "# TYPE pflowd_source_live_entries gauge\n",
                    "pflowd_source_live_entries{source=\"conntrack\"} 3.0\n",
                    "pflowd_source_events_total{source=\"conntrack\"} 0.0\n");
            assertThat(text).as("the source's counters once, not per interface").doesNotContain("pflowd_conntrack_");

            flows.set(6);
            source.events.set(12);
            String openMetrics = http.send(HttpRequest.newBuilder(uri)
                    .header("Accept", "application/openmetrics-text; version=1.0.0").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(openMetrics).contains("pflowd_flows_total{interface=\"pflow0\"} 6.0\n",
                    "pflowd_source_events_total{source=\"conntrack\"} 12.0\n").endsWith("# EOF\n");
        }
    }

    /**
     * Prometheus with native histograms asks for protobuf first: without the protobuf format in the jar it gets the
     * text format it lists next (the library alone answered HTTP 500), and so does a scraper asking for protobuf only.
     */
    @Test
    void aScraperPreferringProtobufGetsText() throws Exception {
        Metrics metrics = new Metrics(() -> {
            try {
                return List.of(status("pflow0", true, 5));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, new FakeSource());
        try (Metrics.Server server = Metrics.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics)) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
            String protobufFirst = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                    + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.1";
            for (String accept : List.of(protobufFirst,
                    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Accept", accept).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(accept).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).as(accept).hasValueSatisfying(
                        t -> assertThat(t).startsWith("text/plain"));
                assertThat(r.body()).as(accept).contains("pflowd_flows_total{interface=\"pflow0\"} 5.0\n");
            }
            String openMetricsFirst = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                    + "encoding=delimited;q=0.8,application/openmetrics-text;version=1.0.0;q=0.5";
            HttpResponse<String> om = http.send(HttpRequest.newBuilder(uri).header("Accept", openMetricsFirst).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(om.statusCode()).isEqualTo(200);
            assertThat(om.body()).endsWith("# EOF\n");
        }
    }

    @Test
    void withoutProtobufKeepsTheOtherRanges() {
        assertThat(Metrics.TextOnly.withoutProtobuf(
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
                        + "text/plain;version=0.0.4;q=0.3")).isEqualTo("text/plain;version=0.0.4;q=0.3");
        assertThat(Metrics.TextOnly.withoutProtobuf("application/openmetrics-text; version=1.0.0"))
                .isEqualTo("application/openmetrics-text; version=1.0.0");
        assertThat(Metrics.TextOnly.withoutProtobuf("application/vnd.google.protobuf")).isEmpty();
    }

    @Test
    void metricNames() {
        assertThat(Metrics.metricName("export.records-sent")).isEqualTo("export_records_sent");
        assertThat(Metrics.metricName("poll failures")).isEqualTo("poll_failures");
        assertThat(Metrics.metricName("flows")).isEqualTo("flows");
    }
}
