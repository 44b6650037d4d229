package net.pflowd.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.pflowd.decode.DecodeException;
import net.pflowd.decode.DecodedMessage;
import net.pflowd.decode.FlowDecoder;
import net.pflowd.export.ExportEngine;
import net.pflowd.export.ExportSettings;
import net.pflowd.flow.FlowRecord;
import net.pflowd.listen.FlowJson;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The listener's receive path without the socket: {@code decode} is {@link FlowDecoder#decode} of one
 * full datagram (templates already cached, as in steady state); {@code decodeAndPrint} adds the JSON line
 * {@code pflowd listen} prints per record. Scores are datagrams per second: multiply by the records per
 * datagram (v5 30, v9 31, IPFIX 26 at MTU 1500) for records per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DecodeBenchmark {
    private static final InetSocketAddress EXPORTER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    @Param({"5", "9", "10"})
    int version;

    private FlowDecoder decoder;
    private ByteBuffer dataDatagram;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        long now = 1_795_000_000_000L;
        ExportEngine engine = new ExportEngine(ExportSettings.defaults().withVersion(version).withUptimeOriginMillis(now - 60_000),
                () -> now, p -> {
                    byte[] b = new byte[p.remaining()];
                    p.duplicate().get(b);
                    sent.add(b);
                });
        engine.setRunning(true);
        FlowRecord r = new FlowRecord().src(InetAddress.getByName("10.0.0.1")).dst(InetAddress.getByName("10.0.0.2"));
        r.protocol = 6;
        r.packets = 10;
        r.bytes = 1500;
        r.startMillis = now - 5000;
        r.endMillis = now - 100;
        for (int i = 0; i < 200; i++) {
            r.srcPort = 1024 + i;
            engine.export(r);
        }
        engine.close();
        decoder = new FlowDecoder();
        for (byte[] d : sent) {
            decoder.decode(EXPORTER, ByteBuffer.wrap(d)); // caches the templates
        }
        dataDatagram = ByteBuffer.wrap(sent.get(sent.size() - 2)); // a full data datagram
    }

    @Benchmark
    public DecodedMessage decode() throws DecodeException {
        return decoder.decode(EXPORTER, dataDatagram);
    }

    @Benchmark
    public void decodeAndPrint(Blackhole bh) throws DecodeException {
        DecodedMessage m = decoder.decode(EXPORTER, dataDatagram);
        for (FlowRecord r : m.records()) {
            bh.consume(FlowJson.line(m, r));
        }
    }
}
