package net.pflowd.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import net.pflowd.testutil.Hex;
import org.junit.jupiter.api.Test;

/** A template flood from many exporters costs at most the byte bound; what is forgotten is counted. */
class TemplateCacheBoundTest {
    @Test
    void templatesAreBoundedByBytesAndEvictionsCounted() throws Exception {
        byte[] ipfix = Hex.bytes(GoldenVectors.IPFIX);
        FlowDecoder probe = new FlowDecoder();
        InetSocketAddress first = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 4739);
        probe.decode(first, ByteBuffer.wrap(ipfix));
        long oneDomain = probe.templateBytes();
        assertThat(oneDomain).isPositive();

        FlowDecoder decoder = new FlowDecoder(512, 4096, oneDomain * 3);
        for (int i = 1; i <= 10; i++) {
            InetSocketAddress exporter = new InetSocketAddress(InetAddress.getByName("192.0.2." + i), 4739);
            decoder.decode(exporter, ByteBuffer.wrap(ipfix));
            assertThat(decoder.templateBytes()).isLessThanOrEqualTo(oneDomain * 3);
        }
        int perDomain = probe.templateCount(first, 10, 42);
        assertThat(perDomain).isPositive();
        assertThat(decoder.evictedTemplates()).isEqualTo(7L * perDomain);
        // The most recent exporters are the ones kept; the oldest is decoded again after its next template.
        InetSocketAddress last = new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 4739);
        assertThat(decoder.templateCount(last, 10, 42)).isEqualTo(perDomain);
        assertThat(decoder.templateCount(first, 10, 42)).isZero();
    }
}
