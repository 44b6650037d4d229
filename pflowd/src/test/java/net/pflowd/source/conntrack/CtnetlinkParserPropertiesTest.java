package net.pflowd.source.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.pflowd.testutil.ByteMutations;

/**
 * The ctnetlink parser on the kernel's own DESTROY events and dump rows (the captured vectors of {@link
 * ExpiredEvents} and {@link CtnetlinkParserTest}) with bytes changed, cut or appended, and on random bytes:
 * whatever it gets, it reports each message as an entry, an end, an error or malformed (on one line), never throws,
 * and reports no more messages than the datagram's bytes can hold; the captured bytes themselves parse whole.
 */
class CtnetlinkParserPropertiesTest {
    private static final List<byte[]> SEEDS = List.of(hex(ExpiredEvents.TCP4_TIME_WAIT),
            hex(ExpiredEvents.TCP4_NAT_TIME_WAIT), hex(ExpiredEvents.UDP4_STREAM), hex(ExpiredEvents.UDP6_ONE_SHOT),
            hex(ExpiredEvents.ICMP6_ECHO), hex(ExpiredEvents.UDP4_DELETED), hex(ExpiredEvents.GENERIC253),
            hex(CtnetlinkParserTest.SNAT_DUMP_ROW), hex(CtnetlinkParserTest.DONE));

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Provide
    Arbitrary<byte[]> datagrams() {
        return ByteMutations.of(SEEDS, 2048);
    }

    @Property(tries = 3000)
    void everyMessageIsAnEntryAnEndAnErrorOrMalformedAndNothingThrows(@ForAll("datagrams") byte[] d) {
        // The datagram sits inside a larger buffer, as in a batch: the parser must stay within its own bytes.
        ByteBuffer buf = ByteBuffer.allocate(d.length + 64).order(ByteOrder.nativeOrder());
        Arrays.fill(buf.array(), (byte) 0x5a);
        System.arraycopy(d, 0, buf.array(), 32, d.length);
        List<String> seen = new ArrayList<>();
        new CtnetlinkParser().parseDatagram(buf, 32, d.length, new CtnetlinkParser.Handler() {
            @Override
            public void entry(CtEntry e) {
                assertThat(e.state.protocol).isBetween(0, 255);
                assertThat(e.state.origSrcPort).isBetween(0, 0xffff);
                assertThat(e.state.origDstPort).isBetween(0, 0xffff);
                seen.add("entry");
            }

            @Override
            public void done(int seq) {
                seen.add("done");
            }

            @Override
            public void error(int seq, int errno) {
                seen.add("error");
            }

            @Override
            public void malformed(String why) {
                assertThat(why).isNotBlank().doesNotContain("\n");
                seen.add("malformed");
            }
        });
        // Every netlink message is at least a 16-byte header (a shorter tail is one malformed report).
        assertThat(seen.size()).isLessThanOrEqualTo(Math.max(1, (d.length + 15) / 16));
    }

    @Property(tries = 200)
    void theCapturedEventsThemselvesParseToOneEntryEach(@ForAll("seeds") byte[] d) {
        int[] entries = {0};
        new CtnetlinkParser().parseDatagram(ByteBuffer.wrap(d), d.length, new CtnetlinkParser.Handler() {
            @Override
            public void entry(CtEntry e) {
                entries[0]++;
                assertThat(e.hasId).isTrue();
                assertThat(e.state.origBytes).isPositive();
            }

            @Override
            public void malformed(String why) {
                throw new AssertionError(why);
            }
        });
        assertThat(entries[0]).isEqualTo(1);
    }

    @Provide
    Arbitrary<byte[]> seeds() {
        return Arbitraries.of(SEEDS.subList(0, SEEDS.size() - 1));
    }
}
