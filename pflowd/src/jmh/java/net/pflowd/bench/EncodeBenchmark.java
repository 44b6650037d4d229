package net.pflowd.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import net.pflowd.export.ExportEngine;
import net.pflowd.export.ExportSettings;
import net.pflowd.flow.FlowRecord;
import net.pflowd.wire.ExporterId;
import net.pflowd.wire.Ipfix;
import net.pflowd.wire.NetflowV5;
import net.pflowd.wire.NetflowV9;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Records encoded per second, one thread. The encoder benchmarks fill one datagram's worth of records
 * (the number pflow puts in a 1500-byte datagram) per invocation into a reused buffer; the engine
 * benchmarks go through {@link ExportEngine#export} (lock, header, flush into a sink that discards).
 * Results are per record ({@link OperationsPerInvocation}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class EncodeBenchmark {
    private static final ExporterId EXPORTER = new ExporterId(42, 42, 42, 1_699_999_000_000L);

    private final ByteBuffer buf = ByteBuffer.allocate(1500);
    private final FlowRecord v4 = new FlowRecord();
    private final FlowRecord v6 = new FlowRecord();
    private ExportEngine ipfixEngine;
    private ExportEngine v5Engine;
    private long sent;

    @Setup
    public void setup() throws UnknownHostException {
        fill(v4).src(InetAddress.getByName("10.0.0.1")).dst(InetAddress.getByName("10.0.0.2"));
        fill(v6).src(InetAddress.getByName("2001:db8::1")).dst(InetAddress.getByName("2001:db8::2"));
        ipfixEngine = new ExportEngine(ExportSettings.defaults().withVersion(10), System::currentTimeMillis,
                p -> sent += p.remaining());
        ipfixEngine.setRunning(true);
        v5Engine = new ExportEngine(ExportSettings.defaults(), System::currentTimeMillis, p -> sent += p.remaining());
        v5Engine.setRunning(true);
    }

    private static FlowRecord fill(FlowRecord r) {
        r.srcPort = 12345;
        r.dstPort = 443;
        r.protocol = 6;
        r.packets = 1234;
        r.bytes = 567_890;
        r.startMillis = 1_700_000_000_000L;
        r.endMillis = 1_700_000_060_000L;
        r.inputIf = 2;
        r.outputIf = 3;
        return r;
    }

    @Benchmark
    @OperationsPerInvocation(26)
    public ByteBuffer ipfixIpv4() {
        ByteBuffer b = buf;
        b.position(Ipfix.HEADER_LENGTH + Ipfix.SET_HEADER_LENGTH);
        for (int i = 0; i < 26; i++) {
            v4.srcPort = i;
            Ipfix.putRecord(b, v4);
        }
        return b;
    }

    @Benchmark
    @OperationsPerInvocation(18)
    public ByteBuffer ipfixIpv6() {
        ByteBuffer b = buf;
        b.position(Ipfix.HEADER_LENGTH + Ipfix.SET_HEADER_LENGTH);
        for (int i = 0; i < 18; i++) {
            v6.srcPort = i;
            Ipfix.putRecord(b, v6);
        }
        return b;
    }

    @Benchmark
    @OperationsPerInvocation(31)
    public ByteBuffer v9Ipv4() {
        ByteBuffer b = buf;
        b.position(NetflowV9.HEADER_LENGTH + NetflowV9.FLOWSET_HEADER_LENGTH);
        for (int i = 0; i < 31; i++) {
            v4.srcPort = i;
            NetflowV9.putRecord(b, v4, EXPORTER);
        }
        return b;
    }

    @Benchmark
    @OperationsPerInvocation(30)
    public ByteBuffer v5() {
        ByteBuffer b = buf;
        b.position(NetflowV5.HEADER_LENGTH);
        for (int i = 0; i < 30; i++) {
            v4.srcPort = i;
            NetflowV5.putRecord(b, v4, EXPORTER, v4.packets, v4.bytes);
        }
        return b;
    }

    @Benchmark
    @OperationsPerInvocation(26)
    public long engineIpfixIpv4() {
        for (int i = 0; i < 26; i++) {
            v4.srcPort = i;
            ipfixEngine.export(v4);
        }
        return sent;
    }

    @Benchmark
    @OperationsPerInvocation(30)
    public long engineV5() {
        for (int i = 0; i < 30; i++) {
            v4.srcPort = i;
            v5Engine.export(v4);
        }
        return sent;
    }
}
