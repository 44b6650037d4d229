package net.pflowd.source.pfctl;

import static net.pflowd.source.pfctl.PfctlParserTest.fixture;
import static net.pflowd.source.pfctl.PfctlParserTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.pflowd.flow.FlowRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PfctlSource against a stand-in pfctl: a shell script that replays {@code out.N} at its N-th run
 * ({@code out.last} after), writes {@code err.N} to stderr, sources {@code run.N} (to fail or hang)
 * and records its argument vector in {@code args.N}.
 */
class PfctlSourceTest {
    @TempDir
    Path dir;
    Path pfctl;
    final AtomicLong now = new AtomicLong(100_000);
    final List<FlowRecord> got = Collections.synchronizedList(new ArrayList<>());
    final List<PfctlSource> sources = new ArrayList<>();

    static final String STAND_IN = String.join("\n",
            "#!/bin/sh",
            "d=$(dirname \"$0\")",
            "n=$(cat \"$d/count\" 2>/dev/null || echo 0)",
            "echo $((n + 1)) > \"$d/count\"",
            ": > \"$d/args.$n\"",
            "for a in \"$@\"; do printf '%s\\n' \"$a\" >> \"$d/args.$n\"; done",
            "if [ -f \"$d/out.$n\" ]; then cat \"$d/out.$n\"; elif [ -f \"$d/out.last\" ]; then cat \"$d/out.last\"; fi",
            "if [ -f \"$d/err.$n\" ]; then cat \"$d/err.$n\" >&2; fi",
            "if [ -f \"$d/run.$n\" ]; then . \"$d/run.$n\"; fi",
            "exit 0",
            "");

    @BeforeEach
    void standIn() throws IOException {
        pfctl = dir.resolve("pfctl");
        Files.writeString(pfctl, STAND_IN);
        Files.setPosixFilePermissions(pfctl, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void closeAll() {
        sources.forEach(PfctlSource::close);
    }

    void out(int n, String text) throws IOException {
        Files.writeString(dir.resolve("out." + n), text, StandardCharsets.ISO_8859_1);
    }

    void run(int n, String shell) throws IOException {
        Files.writeString(dir.resolve("run." + n), shell + "\n");
    }

    PfctlSource source(boolean exportAll) {
        return source(exportAll, Duration.ofSeconds(10), PfctlSource.DEFAULT_MAX_OUTPUT);
    }

    PfctlSource source(boolean exportAll, Duration timeout, int maxOutput) {
        PfctlSource s = new PfctlSource(now::get, pfctl.toString(), PfctlSource.DEFAULT_ARGS, Duration.ZERO,
                exportAll, timeout, maxOutput);
        sources.add(s);
        s.start(r -> got.add(r.copy()));
        return s;
    }

    FlowRecord from(String src) throws Exception {
        InetAddress a = ip(src);
        List<FlowRecord> m = got.stream().filter(r -> r.src().equals(a)).toList();
        assertThat(m).as("records from " + src + " in " + got).hasSize(1);
        return m.get(0);
    }

    // Constructed OpenBSD -vv listings: A is an outbound nat-to TCP state, B an unflagged UDP state,
    // C an ICMP echo state, D an inbound IPv6 TCP state.
    static String a(String age, String pkts, String bytes) {
        return "all tcp 203.0.113.5:51000 (192.168.1.10:43210) -> 198.51.100.7:443       ESTABLISHED:ESTABLISHED\n"
                + "   [1000 + 64240] wscale 7  [2000 + 65535] wscale 8\n"
                + "   age " + age + ", expires in 23:59:59, " + pkts + " pkts, " + bytes + " bytes, rule 1, pflow\n"
                + "   id: 00000000000000a1 creatorid: 0a0b0c0d\n";
    }

    static final String B = "all udp 192.168.1.10:5353 -> 192.168.1.1:53       MULTIPLE:SINGLE\n"
            + "   age 00:00:02, expires in 00:00:58, 1:1 pkts, 60:120 bytes, rule 1\n"
            + "   id: 00000000000000b2 creatorid: 0a0b0c0d\n";

    static final String C = "all icmp 192.168.1.10:4711 -> 192.168.1.1:8       0:0\n"
            + "   age 00:00:03, expires in 00:00:07, 3:3 pkts, 252:252 bytes, rule 1, pflow\n"
            + "   id: 00000000000000c3 creatorid: 0a0b0c0d\n";

    static String d(String pkts, String bytes) {
        return "all tcp 2001:db8::1[443] <- 2001:db8::2[50000]       ESTABLISHED:ESTABLISHED\n"
                + "   age 00:00:00, expires in 00:00:30, " + pkts + " pkts, " + bytes + " bytes, rule 2, pflow\n"
                + "   id: 00000000000000d4 creatorid: 0a0b0c0d\n";
    }

    void replayScenario() throws IOException {
        out(0, a("00:00:10", "5:4", "400:3000") + B + C);
        out(1, a("00:00:11", "10:8", "800:6000") + B + C + d("1:0", "80:0"));
        out(2, a("00:00:12", "10:8", "800:6000") + B + d("3:2", "240:160"));
        out(3, "");
    }

    void poll(PfctlSource s, long at) {
        now.set(at);
        assertThat(s.pollOnce()).isTrue();
    }

    @Test
    void statesAppearGrowAndVanish() throws Exception {
        replayScenario();
        PfctlSource s = source(false);
        poll(s, 100_000);
        poll(s, 101_000);
        assertThat(got).isEmpty();
        poll(s, 102_000);
        // C vanished: exported from its last counters, start = first poll - age, end = first poll
        assertThat(got).hasSize(2);
        FlowRecord c = got.get(0);
        assertThat(c.protocol).isEqualTo(1);
        assertThat(c.src()).isEqualTo(ip("192.168.1.10"));
        assertThat(c.dst()).isEqualTo(ip("192.168.1.1"));
        assertThat(c.dstPort).isEqualTo(8 << 8);
        assertThat(c.packets).isEqualTo(3);
        assertThat(c.bytes).isEqualTo(252);
        assertThat(c.startMillis).isEqualTo(97_000);
        assertThat(c.endMillis).isEqualTo(100_000);
        assertThat(got.get(1).dstPort).isZero(); // echo reply
        got.clear();

        poll(s, 103_000);
        assertThat(got).hasSize(4); // A and D; B has no pflow flag
        FlowRecord aOut = from("192.168.1.10");
        assertThat(aOut.dst()).isEqualTo(ip("198.51.100.7"));
        assertThat(aOut.srcPort).isEqualTo(43210);
        assertThat(aOut.packets).isEqualTo(10);
        assertThat(aOut.bytes).isEqualTo(800);
        assertThat(aOut.startMillis).isEqualTo(90_000);
        assertThat(aOut.endMillis).isEqualTo(101_000); // the last poll at which it grew
        assertThat(aOut.nat).isTrue();
        assertThat(aOut.postSrc()).isEqualTo(ip("203.0.113.5"));
        assertThat(aOut.postSrcPort).isEqualTo(51000);
        FlowRecord aBack = from("198.51.100.7");
        assertThat(aBack.packets).isEqualTo(8);
        assertThat(aBack.bytes).isEqualTo(6000);
        assertThat(aBack.dstPort).isEqualTo(43210);

        FlowRecord dIn = from("2001:db8::2");
        assertThat(dIn.family).isEqualTo(FlowRecord.IPV6);
        assertThat(dIn.dst()).isEqualTo(ip("2001:db8::1"));
        assertThat(dIn.srcPort).isEqualTo(50000);
        assertThat(dIn.bytes).isEqualTo(240);
        assertThat(dIn.startMillis).isEqualTo(101_000);
        assertThat(dIn.endMillis).isEqualTo(102_000);
        assertThat(dIn.nat).isFalse();
        assertThat(from("2001:db8::1").bytes).isEqualTo(160);

        assertThat(s.counters()).containsEntry("polls", 4L).containsEntry("poll failures", 0L)
                .containsEntry("states seen", 4L).containsEntry("states exported", 3L)
                .containsEntry("records exported", 6L).containsEntry("parse errors", 0L)
                .containsEntry("states tracked", 0L);
        assertThat(Files.readAllLines(dir.resolve("args.0"))).containsExactly("-s", "states", "-vv");
    }

    @Test
    void exportAllIncludesUnflaggedStates() throws Exception {
        replayScenario();
        PfctlSource s = source(true);
        for (int i = 0; i < 4; i++) {
            poll(s, 100_000 + 1000L * i);
        }
        assertThat(got).hasSize(8);
        FlowRecord b = got.stream().filter(r -> r.protocol == 17 && r.dstPort == 53).findFirst().orElseThrow();
        assertThat(b.src()).isEqualTo(ip("192.168.1.10"));
        assertThat(b.bytes).isEqualTo(60);
        assertThat(b.startMillis).isEqualTo(98_000);
        assertThat(b.endMillis).isEqualTo(100_000);
        assertThat(s.counters()).containsEntry("states exported", 4L).containsEntry("records exported", 8L);
    }

    @Test
    void realListingReplayedThenGone() throws Exception {
        out(0, fixture("opnsense-26.1-freebsd-14.3-vv-rdr-replyto.txt"));
        out(1, "");
        PfctlSource s = source(true);
        poll(s, 5_000_000);
        poll(s, 5_001_000);
        assertThat(s.counters()).containsEntry("states exported", 3L).containsEntry("records exported", 6L)
                .containsEntry("parse errors", 0L);
        List<FlowRecord> rdr = got.stream().filter(r -> r.dst().equals(ipUnchecked("192.168.1.202"))).toList();
        assertThat(rdr).hasSize(1);
        assertThat(rdr.get(0).src()).isEqualTo(ip("178.213.45.35"));
        assertThat(rdr.get(0).packets).isEqualTo(761);
        assertThat(rdr.get(0).bytes).isEqualTo(127015);
        assertThat(rdr.get(0).nat).isTrue();
        assertThat(rdr.get(0).postDst()).isEqualTo(ip("192.168.20.98"));
        assertThat(rdr.get(0).startMillis).isEqualTo(5_000_000 - 1415_000L);
        assertThat(rdr.get(0).endMillis).isEqualTo(5_000_000);
        long total = got.stream().mapToLong(r -> r.bytes).sum();
        assertThat(total).isEqualTo(127015 + 150057 + 127015 + 150057 + 135354 + 145841);
    }

    static InetAddress ipUnchecked(String s) {
        try {
            return ip(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void argumentsAreAVectorNeverAShell() throws Exception {
        Path marker = dir.resolve("pwned");
        List<String> args = List.of("-s", "states", "x; touch " + marker, "$(touch " + marker + ")", "a  b");
        PfctlSource s = new PfctlSource(now::get, pfctl.toString(), args, Duration.ZERO, false);
        sources.add(s);
        s.start(r -> got.add(r.copy()));
        assertThat(s.pollOnce()).isTrue();
        assertThat(Files.readAllLines(dir.resolve("args.0"))).containsExactlyElementsOf(args);
        assertThat(marker).doesNotExist();
        assertThat(s.command()).containsExactly(pfctl.toString(), "-s", "states", "x; touch " + marker,
                "$(touch " + marker + ")", "a  b");
    }

    @Test
    void failingPfctlIsRetriedAndRemovesNothing() throws Exception {
        out(0, a("00:00:10", "5:4", "400:3000"));
        Files.writeString(dir.resolve("err.1"), "pfctl: /dev/pf: Permission denied\n");
        run(1, "exit 1");
        out(1, "");
        out(2, a("00:00:12", "6:4", "500:3000"));
        out(3, "");
        PfctlSource s = source(false);
        poll(s, 100_000);
        now.set(101_000);
        assertThat(s.pollOnce()).isFalse(); // exit 1 with empty output: not "all states gone"
        assertThat(got).isEmpty();
        poll(s, 102_000);
        poll(s, 103_000);
        assertThat(got).hasSize(2);
        assertThat(from("192.168.1.10").bytes).isEqualTo(500);
        assertThat(from("192.168.1.10").endMillis).isEqualTo(102_000);
        assertThat(s.counters()).containsEntry("polls", 4L).containsEntry("poll failures", 1L)
                .containsEntry("states exported", 1L);
    }

    @Test
    void hangingPfctlIsKilledWithItsChildren() throws Exception {
        run(0, "sleep 60 & echo $! > \"$d/child.pid\"; echo $$ > \"$d/sh.pid\"; wait");
        PfctlSource s = source(false, Duration.ofMillis(300), PfctlSource.DEFAULT_MAX_OUTPUT);
        assertThat(s.pollOnce()).isFalse();
        assertThat(s.counters()).containsEntry("poll failures", 1L);
        assertDead(Long.parseLong(Files.readString(dir.resolve("sh.pid")).trim()));
        assertDead(Long.parseLong(Files.readString(dir.resolve("child.pid")).trim()));
        // the next run works again
        out(1, a("00:00:01", "1:1", "60:60"));
        assertThat(s.pollOnce()).isTrue();
        assertThat(s.counters()).containsEntry("states seen", 1L);
    }

    static void assertDead(long pid) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
    }

    @Test
    void missingOrNonExecutableBinaryIsAFailedPollNotAnException() throws Exception {
        PfctlSource s = new PfctlSource(now::get, dir.resolve("no-such-pfctl").toString(), PfctlSource.DEFAULT_ARGS,
                Duration.ZERO, false);
        sources.add(s);
        s.start(r -> got.add(r.copy()));
        assertThat(s.pollOnce()).isFalse();
        assertThat(s.pollOnce()).isFalse();
        assertThat(s.counters()).containsEntry("polls", 2L).containsEntry("poll failures", 2L);

        Path plain = dir.resolve("not-executable");
        Files.writeString(plain, "#!/bin/sh\n");
        PfctlSource t = new PfctlSource(now::get, plain.toString(), List.of(), Duration.ZERO, false);
        sources.add(t);
        t.start(r -> got.add(r.copy()));
        assertThat(t.pollOnce()).isFalse();
        assertThat(t.counters()).containsEntry("poll failures", 1L);
    }

    @Test
    void garbageIsCountedAndSkipped() throws Exception {
        byte[] junk = new byte[100_000];
        new Random(7).nextBytes(junk);
        Files.write(dir.resolve("out.0"), junk);
        out(1, "No ALTQ support in kernel\nthis is not pf\n" + C + "\u0000\u0001\n");
        out(2, "");
        PfctlSource s = source(false);
        // Nothing but junk, exit status 0: not a listing, a failed poll (never an empty table).
        now.set(100_000);
        assertThat(s.pollOnce()).isFalse();
        assertThat(s.counters()).containsEntry("poll failures", 1L);
        poll(s, 101_000);
        assertThat(s.counters().get("parse errors")).isEqualTo(2L);
        poll(s, 102_000);
        assertThat(got).hasSize(2); // C, the one real state among the junk
        assertThat(s.counters()).containsEntry("states seen", 1L);
    }

    @Test
    void outputThatIsNoListingEndsNothing() throws Exception {
        out(0, a("00:00:10", "5:4", "400:3000") + C);
        out(1, "pfctl: /dev/pf: Permission denied\nusage: pfctl [-deghNnPqrvz] ...\n"); // exit status 0
        out(2, a("00:00:12", "5:4", "400:3000") + C);
        out(3, "");
        PfctlSource s = source(false);
        poll(s, 100_000);
        now.set(101_000);
        assertThat(s.pollOnce()).as("a listing that is no listing is a failed poll").isFalse();
        assertThat(got).as("no state ended by it").isEmpty();
        assertThat(s.counters()).containsEntry("poll failures", 1L).containsEntry("states tracked", 2L);
        poll(s, 102_000);
        assertThat(got).isEmpty();
        poll(s, 103_000);
        assertThat(got).hasSize(4); // A and C, each once, each direction
        assertThat(s.counters()).containsEntry("states exported", 2L).containsEntry("states seen", 2L);
    }

    @Test
    void aStateIsExportedAtMostOnce() throws Exception {
        // C is missing from one complete listing (so it is taken as ended and exported), then listed again.
        out(0, a("00:00:10", "5:4", "400:3000") + C);
        out(1, a("00:00:11", "5:4", "400:3000"));
        out(2, a("00:00:12", "5:4", "400:3000") + C);
        out(3, "");
        PfctlSource s = source(false);
        poll(s, 100_000);
        poll(s, 101_000);
        assertThat(got).hasSize(2);
        poll(s, 102_000);
        poll(s, 103_000);
        assertThat(got).as("C not exported a second time; A once").hasSize(4);
        assertThat(got.stream().filter(r -> r.src().getHostAddress().equals("192.168.1.10")
                && r.protocol == 1)).hasSize(1);
        assertThat(s.counters()).containsEntry("states exported", 2L).containsEntry("states relisted", 1L);
    }

    @Test
    void aChildHoldingStdoutLeaksNoThreadAndNoProcess() throws Exception {
        out(0, C);
        Path marker = dir.resolve("holder.pid");
        // A background process that keeps stdout open long after pfctl exited.
        Files.writeString(dir.resolve("out.last"), C);
        for (int i = 0; i < 3; i++) {
            run(i, "(exec sleep 300) & echo $! >> " + marker);
        }
        PfctlSource s = source(false);
        for (int i = 0; i < 3; i++) {
            now.set(100_000 + i * 1000L);
            s.pollOnce();
        }
        long readers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pfctl-std") && t.isAlive()).count();
        assertThat(readers).as("reader threads left behind").isZero();
        for (String pid : Files.readAllLines(marker)) {
            ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ph -> {
                try {
                    ph.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    ph.destroyForcibly();
                    throw new AssertionError("holder " + pid + " still alive", e);
                }
            });
        }
        assertThat(got).as("no state ended by the failed polls").isEmpty();
    }

    @Test
    void theSameWarningIsNotSaidAtEveryPoll() throws Exception {
        // A warning on stderr every other run, and a failure every other poll: each said once, not per poll.
        for (int i = 0; i < 8; i++) {
            out(i, C);
            if (i % 2 == 0) {
                Files.writeString(dir.resolve("err." + i), "No ALTQ support in kernel\n");
            }
        }
        for (int i = 8; i < 16; i++) {
            out(i, C);
            if (i % 2 == 0) {
                run(i, "exit 3");
            }
        }
        // What the source logs, from the logging backend itself (java.util.logging under slf4j).
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(PfctlSource.class.getName());
        List<String> said = Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                said.add(new java.util.logging.SimpleFormatter().formatMessage(r));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        try {
            PfctlSource s = source(false);
            for (int i = 0; i < 16; i++) {
                now.set(100_000 + i * 1000L);
                s.pollOnce();
            }
        } finally {
            jul.removeHandler(capture);
        }
        String log = String.join("\n", said);
        assertThat(log.split("No ALTQ support in kernel", -1)).as(log).hasSize(2);
        assertThat(log.split("exited with status 3", -1)).as(log).hasSize(2);
        assertThat(got).as("C never ended").isEmpty();
    }

    @Test
    void oversizedOutputIsBoundedAndRemovesNothing() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            big.append("all udp 10.1.").append(i / 250).append('.').append(i % 250).append(":1000 -> 10.2.0.1:53")
                    .append("       SINGLE:NO_TRAFFIC\n")
                    .append("   age 00:00:01, expires in 00:00:30, 1:0 pkts, 60:0 bytes, rule 3, pflow\n")
                    .append(String.format("   id: %016x creatorid: 0a0b0c0d%n", 0x1000 + i));
        }
        assertThat(big.length()).isGreaterThan(200_000);
        out(0, a("00:00:10", "5:4", "400:3000"));
        out(1, big.toString()); // A is not in it, but the listing is cut: A may be past the cut
        run(2, "head -c 30000000 /dev/zero");
        out(2, "");
        out(3, a("00:00:13", "5:4", "400:3000"));
        out(4, "");
        PfctlSource s = source(false, Duration.ofSeconds(20), 64 * 1024);
        poll(s, 100_000);
        poll(s, 101_000);
        assertThat(got).isEmpty();
        assertThat(s.counters().get("truncated polls")).isEqualTo(1L);
        long seen = s.counters().get("states seen");
        assertThat(seen).isGreaterThan(100).isLessThan(3001); // only the part within 64 KiB
        poll(s, 102_000); // 30 MB of NULs: read and counted, not kept
        assertThat(s.counters().get("truncated polls")).isEqualTo(2L);
        assertThat(got).isEmpty();
        poll(s, 103_000); // a whole listing again: the big ones are gone, A is still there
        assertThat(got).hasSize((int) (seen - 1)); // each big state has one record (no reply bytes)
        got.clear();
        poll(s, 104_000);
        assertThat(got).hasSize(2);
        assertThat(from("192.168.1.10").bytes).isEqualTo(400);
    }

    @Test
    void sinkFailureDoesNotStopThePoller() throws Exception {
        out(0, a("00:00:10", "5:4", "400:3000") + C);
        out(1, "");
        PfctlSource s = new PfctlSource(now::get, pfctl.toString(), PfctlSource.DEFAULT_ARGS, Duration.ZERO, false);
        sources.add(s);
        AtomicLong calls = new AtomicLong();
        s.start(r -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("sink down");
            }
            got.add(r.copy());
        });
        poll(s, 100_000);
        poll(s, 101_000);
        assertThat(calls.get()).isGreaterThanOrEqualTo(3); // the other state still went out
        assertThat(got).isNotEmpty();
    }

    @Test
    void pollerThreadDeliversAndCloseStopsIt() throws Exception {
        out(0, a("00:00:10", "5:4", "400:3000"));
        out(1, a("00:00:11", "6:5", "500:3100"));
        Files.writeString(dir.resolve("out.last"), "");
        CountDownLatch two = new CountDownLatch(2);
        PfctlSource s = new PfctlSource(now::get, pfctl.toString(), PfctlSource.DEFAULT_ARGS,
                Duration.ofMillis(20), false);
        sources.add(s);
        s.start(r -> {
            got.add(r.copy());
            two.countDown();
        });
        assertThat(two.await(60, TimeUnit.SECONDS)).isTrue();
        s.close();
        assertThat(from("192.168.1.10").bytes).isEqualTo(500);
        assertThat(pollerThreads()).isZero();
        long polls = s.counters().get("polls");
        assertThat(s.pollOnce()).isFalse(); // closed: no more polls
        assertThat(s.counters().get("polls")).isEqualTo(polls);
    }

    @Test
    void closeKillsARunningPfctlAndKeepsOpenStates() throws Exception {
        out(0, a("00:00:10", "5:4", "400:3000"));
        run(1, "sleep 60 & echo $! > \"$d/child.pid\"; wait");
        PfctlSource s = new PfctlSource(now::get, pfctl.toString(), PfctlSource.DEFAULT_ARGS,
                Duration.ofMillis(10), false, Duration.ofSeconds(120), PfctlSource.DEFAULT_MAX_OUTPUT);
        sources.add(s);
        s.start(r -> got.add(r.copy()));
        Path child = dir.resolve("child.pid");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(child) && Files.size(child) > 0) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(child).exists();
        s.close(); // returns although pfctl would run 60 s more
        assertDead(Long.parseLong(Files.readString(child).trim()));
        assertThat(pollerThreads()).isZero();
        assertThat(got).isEmpty(); // A is still listed by pf: not exported on close
        assertThat(s.counters()).containsEntry("states tracked", 1L);
    }

    static long pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("pfctl-poller") && t.isAlive()).count();
    }
}
