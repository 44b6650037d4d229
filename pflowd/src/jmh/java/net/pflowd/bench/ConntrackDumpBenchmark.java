package net.pflowd.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import net.pflowd.testutil.ManualClock;
import net.pflowd.source.conntrack.ConntrackSettings;
import net.pflowd.source.conntrack.ConntrackTable;
import net.pflowd.source.conntrack.CtEntry;
import net.pflowd.source.conntrack.CtnetlinkParser;
import net.pflowd.source.conntrack.ProtocolTimeouts;
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

/**
 * The user-space side of one active-timeout dump of a busy router's table: {@code rows} dump rows (IPv4 UDP, each
 * its own CTA_ID and port, 16 to a datagram as the kernel packs them) parsed by {@link CtnetlinkParser} into a
 * {@link ConntrackTable} that already knows them and finds nothing new (the steady state between exports). One
 * operation is one whole dump; {@code -prof gc} shows what it allocates. The kernel's side of the dump (its walk
 * of the table and the copies, about as much again: bench/conntrack-table.sh) is not in it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConntrackDumpBenchmark {
    /** A dump row (CT_NEW, NLM_F_MULTI): UDP 10.1.0.2:40000 > 10.2.0.2:53, counters, timestamp; 252 bytes. */
    private static final String ROW = ""
            + "fc000000000102000700000000000000" + "02000000"
            + "34000180" + "14000180" + "080001000a010002" + "080002000a020002"
            + "1c000280" + "0500010011000000" + "060002009c400000" + "0600030000350000"
            + "34000280" + "14000180" + "080001000a020002" + "080002000a020001"
            + "1c000280" + "0500010011000000" + "0600020000350000" + "060003009c400000"
            + "08000c0000000102" // CTA_ID, at byte 124
            + "080003000000009e" + "080007000000006e" + "080008000000002a" + "0600120000030000"
            + "2c000980" + "0c0001000000000000000003" + "0c00020000000000000000b4"
            + "0800030000000009" + "0800400000000009"
            + "1c000a80" + "0c0001000000000000000002" + "0c0002000000000000000200"
            + "10001480" + "0c00010018ea44c1a2a80dc6";
    private static final int ID_AT = 128, SPORT_AT = 60, ROWS_PER_DATAGRAM = 16;

    @Param({"200000"})
    int rows;

    private ByteBuffer[] datagrams;
    private final ManualClock clock = new ManualClock(1_796_061_330_000L);
    private final CtnetlinkParser parser = new CtnetlinkParser();
    private ConntrackTable table;
    private ConntrackTable.Dump dump;
    private final CtnetlinkParser.Handler handler = new CtnetlinkParser.Handler() {
        @Override
        public void entry(CtEntry e) {
            dump.row(e);
        }

        @Override
        public void malformed(String why) {
            throw new IllegalStateException(why);
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        byte[] row = HexFormat.of().parseHex(ROW);
        datagrams = new ByteBuffer[(rows + ROWS_PER_DATAGRAM - 1) / ROWS_PER_DATAGRAM];
        for (int d = 0; d < datagrams.length; d++) {
            int n = Math.min(ROWS_PER_DATAGRAM, rows - d * ROWS_PER_DATAGRAM);
            ByteBuffer b = ByteBuffer.allocateDirect(row.length * n).order(ByteOrder.nativeOrder());
            for (int k = 0; k < n; k++) {
                int i = d * ROWS_PER_DATAGRAM + k, at = k * row.length;
                b.put(row);
                b.order(ByteOrder.BIG_ENDIAN).putInt(at + ID_AT, i + 1).putShort(at + SPORT_AT, (short) (10000 + i % 50000))
                        .order(ByteOrder.nativeOrder());
            }
            datagrams[d] = b;
        }
        ConntrackSettings s = new ConntrackSettings();
        s.activeTimeoutSeconds = 60;
        table = new ConntrackTable(s, new ProtocolTimeouts(), clock, r -> { }, st -> { });
        dumpOnce(); // the table learns the entries (and exports them: their start is long past)
        if (table.size() != rows) {
            throw new IllegalStateException(table.size() + " entries of " + rows);
        }
    }

    @Benchmark
    public int dumpOnce() {
        clock.advance(30_000);
        dump = table.beginDump();
        for (ByteBuffer b : datagrams) {
            parser.parseDatagram(b, 0, b.capacity(), handler);
        }
        dump.complete();
        return table.size();
    }
}
