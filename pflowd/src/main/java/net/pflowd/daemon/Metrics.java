package net.pflowd.daemon;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
    static HTTPServer serve(InetSocketAddress address, Metrics metrics) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(metrics);
        return HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort()).registry(registry)
                .buildAndStart();
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
