package net.pflowd.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import net.pflowd.testutil.Hex;

/**
 * Coverage-guided fuzzing of the NetFlow v5/v9/IPFIX decoder that {@code pflowd listen} runs on every datagram
 * (corpus: FlowDecoderFuzzTestInputs/datagram, the golden vectors). A datagram decodes or is refused with a
 * {@link DecodeException}; a refused one leaves the template cache as it was, and the cache never grows past its
 * byte bound, however many templates the same datagram brings from many exporters.
 */
class FlowDecoderFuzzTest {
    private static final long MAX_TEMPLATE_BYTES = 64 * 1024;

    @FuzzTest(maxDuration = "5s")
    void datagram(byte[] d) throws Exception {
        FlowDecoder decoder = new FlowDecoder(64, 16, MAX_TEMPLATE_BYTES);
        InetAddress host = InetAddress.getByName("192.0.2.1");
        decoder.decode(new InetSocketAddress(host, 4739), ByteBuffer.wrap(Hex.bytes(GoldenVectors.IPFIX)));
        for (int port = 4739; port < 4739 + 40; port++) {
            InetSocketAddress exporter = new InetSocketAddress(host, port);
            long bytesBefore = decoder.templateBytes();
            int before = decoder.templateCount(exporter, 10, 42);
            try {
                DecodedMessage m = decoder.decode(exporter, ByteBuffer.wrap(d));
                assertThat(m.records().size()).isLessThanOrEqualTo(d.length);
            } catch (DecodeException e) {
                // Never by way of the decoder's safety net, which would mean a bounds check it lacks.
                assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("internal decoder error");
                assertThat(decoder.templateCount(exporter, 10, 42)).isEqualTo(before);
                assertThat(decoder.templateBytes()).isEqualTo(bytesBefore);
                return;
            }
            assertThat(decoder.templateBytes()).isLessThanOrEqualTo(MAX_TEMPLATE_BYTES);
        }
    }
}
