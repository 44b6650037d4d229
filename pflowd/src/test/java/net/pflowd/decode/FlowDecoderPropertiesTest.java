package net.pflowd.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.pflowd.testutil.ByteMutations;
import net.pflowd.testutil.Hex;

/**
 * The decoder on golden datagrams with bytes changed, cut or appended, and on random bytes: it decodes or throws
 * {@link DecodeException}, nothing else, and a failed datagram leaves the template cache as it was.
 */
class FlowDecoderPropertiesTest {
    private static final List<byte[]> SEEDS = List.of(Hex.bytes(GoldenVectors.V5), Hex.bytes(GoldenVectors.V9),
            Hex.bytes(GoldenVectors.IPFIX), Hex.bytes(GoldenVectors.IPFIX_V6), Hex.bytes(GoldenVectors.IPFIX_NAT),
            Hex.bytes(GoldenVectors.IPFIX_REDUCED_VARLEN));

    @Provide
    Arbitrary<byte[]> datagrams() {
        return ByteMutations.of(SEEDS, 1500);
    }

    @Property(tries = 2000)
    void decodesOrRefusesAndAFailureChangesNoTemplate(@ForAll("datagrams") byte[] d) throws Exception {
        FlowDecoder decoder = new FlowDecoder(64, 16, 1 << 20);
        InetSocketAddress exporter = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 4739);
        decoder.decode(exporter, ByteBuffer.wrap(Hex.bytes(GoldenVectors.IPFIX)));
        long bytesBefore = decoder.templateBytes();
        int before = decoder.templateCount(exporter, 10, 42);
        try {
            DecodedMessage m = decoder.decode(exporter, ByteBuffer.wrap(d));
            assertThat(m.records().size()).isLessThanOrEqualTo(d.length);
            assertThat(m.unknownTemplates()).allMatch(id -> id >= 256);
        } catch (DecodeException e) {
            assertThat(decoder.templateCount(exporter, 10, 42)).isEqualTo(before);
            assertThat(decoder.templateBytes()).isEqualTo(bytesBefore);
        }
        assertThat(decoder.templateBytes()).isLessThanOrEqualTo(1 << 20);
    }
}
