package net.pflowd.daemon;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import net.pflowd.control.InterfaceStatus;
import net.pflowd.source.StateSource;

/**
 * The opt-in metrics endpoint ({@code --metrics ADDR:PORT}): every counter {@code ifconfig -v} shows, as
 * Prometheus/OpenMetrics metrics served by the prometheus-metrics library (the format is the library's, chosen by
 * the scraper's Accept header), taken fresh from the daemon at each scrape.
 *
 * <ul>
 * <li>An interface's counters: {@code pflowd_NAME_total{interface="pflowN"}}, NAME the statistic's name with
 * {@code .} and {@code -} as {@code _} ({@code flows}, {@code export.records-sent} becomes
 * {@code pflowd_export_records_sent_total}); {@code pflowd_interface_running{interface}} is 1 while it is
 * RUNNING.</li>
 * <li>The state-table source's counters, once (they are the same on every interface's {@code pflow SOURCE:} line):
 * {@code pflowd_source_NAME_total{source="conntrack"}}, or a gauge {@code pflowd_source_NAME} for what the source
 * declares a level ({@link StateSource#gauges()}, e.g. {@code live-entries}).</li>
 * </ul>
 *
 * <p>The text formats only: Prometheus' own text format or OpenMetrics, as the scraper's Accept header asks. The
 * library's protobuf format is left out of pflowd's jar (its shaded protobuf runtime was 2 MB of the image, and a
 * scraper asks for it only first among text fallbacks); a scraper that lists it first gets text, which is what a
 * Prometheus server falls back to, rather than the library's HTTP 500 for a format it lacks.
 */
final class Metrics implements MultiCollector {
    static final String PREFIX = "pflowd_";

    private final Supplier<List<InterfaceStatus>> interfaces;
    private final StateSource source;

    Metrics(Supplier<List<InterfaceStatus>> interfaces, StateSource source) {
        this.interfaces = interfaces;
        this.source = source;
    }

    /** Serves the metrics on {@code address} (path /metrics) until closed. */
    static Server serve(InetSocketAddress address, Metrics metrics) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(metrics);
        MetricsHandler scrape = new MetricsHandler(registry);
        HttpServer http = HttpServer.create(address, 8);
        http.createContext("/metrics", exchange -> scrape.handle(new TextOnly(exchange)));
        // One thread: a scrape takes a snapshot of counters, and nothing else is served here.
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pflowd-metrics");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.start();
        return new Server(http, executor);
    }

    /** The running endpoint. */
    static final class Server implements AutoCloseable {
        private final HttpServer http;
        private final ExecutorService executor;

        private Server(HttpServer http, ExecutorService executor) {
            this.http = http;
            this.executor = executor;
        }

        /** The bound port (the one asked for, or the kernel's choice for 0). */
        int port() {
            return http.getAddress().getPort();
        }

        @Override
        public void close() {
            http.stop(0);
            executor.shutdownNow();
        }
    }

    /**
     * A scrape as the library sees it, with the protobuf format taken out of the Accept header (see the class
     * comment): what remains chooses between the text formats as before, and an Accept of protobuf alone gets
     * Prometheus' text format, the default.
     */
    static final class TextOnly extends HttpExchange {
        private final HttpExchange exchange;
        private final Headers requestHeaders;

        TextOnly(HttpExchange exchange) {
            this.exchange = exchange;
            this.requestHeaders = new Headers();
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Accept")) {
                    requestHeaders.put(name, values);
                    return;
                }
                List<String> kept = values.stream().map(TextOnly::withoutProtobuf).filter(v -> !v.isBlank()).toList();
                if (!kept.isEmpty()) {
                    requestHeaders.put(name, kept);
                }
            });
        }

        /** {@code application/vnd.google.protobuf;...;q=0.7,text/plain;version=0.0.4} → {@code text/plain;version=0.0.4}. */
        static String withoutProtobuf(String accept) {
            StringBuilder kept = new StringBuilder();
            for (String range : accept.split(",")) {
                if (!range.strip().toLowerCase(Locale.ROOT).startsWith("application/vnd.google.protobuf")) {
                    kept.append(kept.length() == 0 ? "" : ",").append(range);
                }
            }
            return kept.toString();
        }

        @Override
        public Headers getRequestHeaders() {
            return requestHeaders;
        }

        @Override
        public Headers getResponseHeaders() {
            return exchange.getResponseHeaders();
        }

        @Override
        public URI getRequestURI() {
            return exchange.getRequestURI();
        }

        @Override
        public String getRequestMethod() {
            return exchange.getRequestMethod();
        }

        @Override
        public HttpContext getHttpContext() {
            return exchange.getHttpContext();
        }

        @Override
        public void close() {
            exchange.close();
        }

        @Override
        public InputStream getRequestBody() {
            return exchange.getRequestBody();
        }

        @Override
        public OutputStream getResponseBody() {
            return exchange.getResponseBody();
        }

        @Override
        public void sendResponseHeaders(int code, long length) throws IOException {
            exchange.sendResponseHeaders(code, length);
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return exchange.getRemoteAddress();
        }

        @Override
        public int getResponseCode() {
            return exchange.getResponseCode();
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return exchange.getLocalAddress();
        }

        @Override
        public String getProtocol() {
            return exchange.getProtocol();
        }

        @Override
        public Object getAttribute(String name) {
            return exchange.getAttribute(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            exchange.setAttribute(name, value);
        }

        @Override
        public void setStreams(InputStream in, OutputStream out) {
            exchange.setStreams(in, out);
        }

        @Override
        public HttpPrincipal getPrincipal() {
            return exchange.getPrincipal();
        }
    }

    @Override
    public MetricSnapshots collect() {
        String sourcePrefix = source.name() + ".";
        Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();
        GaugeSnapshot.Builder running = GaugeSnapshot.builder().name(PREFIX + "interface_running")
                .help("1 while the pflow interface is RUNNING (up, with a valid flowdst)");
        for (InterfaceStatus s : interfaces.get()) {
            Labels labels = Labels.of("interface", s.name());
            running.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                    .value(s.isRunning() ? 1 : 0).build());
            for (Map.Entry<String, Long> e : s.statistics().entrySet()) {
                if (e.getKey().startsWith(sourcePrefix)) {
                    continue; // the source's, exported once below
                }
                counters.computeIfAbsent(e.getKey(), k -> CounterSnapshot.builder().name(PREFIX + metricName(k))
                                .help("ifconfig -v: " + statisticLabel(k)))
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels)
                                .value(e.getValue()).build());
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(running.build());
        counters.values().forEach(b -> out.add(b.build()));
        Labels sourceLabels = Labels.of("source", source.name());
        Set<String> gauges = source.gauges();
        for (Map.Entry<String, Long> e : source.counters().entrySet()) {
            String name = PREFIX + "source_" + metricName(e.getKey());
            String help = "ifconfig -v: pflow " + source.name() + ": " + e.getKey();
            if (gauges.contains(e.getKey())) {
                out.add(GaugeSnapshot.builder().name(name).help(help).dataPoint(GaugeSnapshot.GaugeDataPointSnapshot
                        .builder().labels(sourceLabels).value(e.getValue()).build()).build());
            } else {
                out.add(CounterSnapshot.builder().name(name).help(help).dataPoint(CounterSnapshot
                        .CounterDataPointSnapshot.builder().labels(sourceLabels).value(e.getValue()).build()).build());
            }
        }
        return new MetricSnapshots(out);
    }

    /** {@code export.records-sent} → {@code export_records_sent}; {@code poll failures} → {@code poll_failures}. */
    static String metricName(String statistic) {
        return statistic.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    /** Where ifconfig -v shows it: {@code pflow stats: flows}, {@code pflow export: records-sent}. */
    private static String statisticLabel(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? "pflow stats: " + key : "pflow " + key.substring(0, dot) + ": " + key.substring(dot + 1);
    }
}
