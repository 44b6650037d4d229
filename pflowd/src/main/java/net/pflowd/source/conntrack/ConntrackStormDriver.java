package net.pflowd.source.conntrack;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import net.pflowd.flow.Clock;

/**
 * Benchmark driver for bench/conntrack-storm.sh: the conntrack source of one namespace into a counting
 * sink. Prints "ready" once the source runs, then, when {@code expected} connections were exported or
 * nothing arrived for {@code idleSeconds}, one line of results.
 *
 * <p>Usage: {@code ConntrackStormDriver NETNS_PATH EXPECTED [IDLE_SECONDS] [RECEIVE_BUFFER_BYTES]}
 */
public final class ConntrackStormDriver {
    private ConntrackStormDriver() {
    }

    public static void main(String[] args) throws Exception {
        ConntrackSettings s = new ConntrackSettings();
        s.netnsPath = args[0];
        long expected = Long.parseLong(args[1]);
        long idleMillis = (args.length > 2 ? Long.parseLong(args[2]) : 10) * 1000L;
        if (args.length > 3) {
            s.receiveBufferBytes = Integer.parseInt(args[3]);
        }
        AtomicLong records = new AtomicLong(), bytes = new AtomicLong();
        AtomicLong first = new AtomicLong(), last = new AtomicLong();
        ConntrackSource src = new ConntrackSource(s, Clock.SYSTEM);
        src.start(r -> {
            long now = System.nanoTime();
            first.compareAndSet(0, now);
            last.set(now);
            records.incrementAndGet();
            bytes.addAndGet(r.bytes);
        });
        long cpuAtReady = cpuNanos();
        System.out.println("ready");
        System.out.flush();
        long lastChange = System.currentTimeMillis(), seen = 0;
        while (src.counters().get("connections") < expected) {
            Thread.sleep(50);
            long c = src.counters().get("connections");
            if (c != seen) {
                seen = c;
                lastChange = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - lastChange > idleMillis) {
                break;
            }
        }
        src.close();
        long cpu = cpuNanos() - cpuAtReady;
        long connections = src.counters().get("connections");
        double drain = first.get() == 0 ? 0 : (last.get() - first.get()) / 1e9;
        System.out.printf("connections=%d records=%d lost=%d drain_s=%.3f cpu_s=%.3f cpu_s_per_100k_records=%.3f"
                        + " peak_rss_mb=%d counters=%s%n",
                connections, records.get(), Math.max(0, expected - connections), drain, cpu / 1e9,
                records.get() == 0 ? 0 : cpu / 1e9 * 100_000 / records.get(), peakRssKb() / 1024, src.counters());
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long peakRssKb() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
