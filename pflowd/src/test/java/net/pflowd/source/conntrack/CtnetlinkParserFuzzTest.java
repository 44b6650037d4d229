package net.pflowd.source.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the ctnetlink parser (corpus: CtnetlinkParserFuzzTestInputs/datagram, the kernel's
 * own DESTROY events and dump rows as captured). Each netlink message of a datagram is reported as an entry, an
 * end, an error or malformed on one line, within the datagram's own bytes of a larger buffer, never by throwing.
 */
class CtnetlinkParserFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void datagram(byte[] d) {
        ByteBuffer buf = ByteBuffer.allocate(d.length + 64).order(ByteOrder.nativeOrder());
        Arrays.fill(buf.array(), (byte) 0x5a);
        System.arraycopy(d, 0, buf.array(), 32, d.length);
        int[] reports = {0};
        new CtnetlinkParser().parseDatagram(buf, 32, d.length, new CtnetlinkParser.Handler() {
            @Override
            public void entry(CtEntry e) {
                assertThat(e.state.protocol).isBetween(0, 255);
                assertThat(e.state.origSrcPort).isBetween(0, 0xffff);
                assertThat(e.state.origDstPort).isBetween(0, 0xffff);
                reports[0]++;
            }

            @Override
            public void done(int seq) {
                reports[0]++;
            }

            @Override
            public void error(int seq, int errno) {
                reports[0]++;
            }

            @Override
            public void malformed(String why) {
                assertThat(why).isNotBlank().doesNotContain("\n");
                reports[0]++;
            }
        });
        // Every netlink message is at least a 16-byte header; a shorter tail is one malformed report.
        assertThat(reports[0]).isLessThanOrEqualTo(Math.max(1, (d.length + 15) / 16));
    }
}
