package net.pflowd.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.pflowd.testutil.Hex;
import org.junit.jupiter.api.Test;

/**
 * Mutated and random datagrams must only ever decode or throw {@link DecodeException}; and never by way of
 * the decoder's internal safety net, which would mean an unchecked bounds check.
 */
class FlowDecoderFuzzTest {
    private static final int CASES = 20_000;

    private static final List<byte[]> SEEDS = List.of(
            Hex.bytes(GoldenVectors.V5),
            Hex.bytes(GoldenVectors.V9),
            Hex.bytes(GoldenVectors.IPFIX),
            Hex.bytes(GoldenVectors.IPFIX_V6),
            Hex.bytes(GoldenVectors.IPFIX_NAT),
            Hex.bytes(GoldenVectors.IPFIX_REDUCED_VARLEN));

    @Test
    void mutatedDatagramsOnlyDecodeOrThrowDecodeException() throws Exception {
        Random rnd = new Random(0x9F10DL);
        FlowDecoder decoder = new FlowDecoder(64, 16);
        InetSocketAddress[] exporters = {
            new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 5000),
            new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 5000),
        };
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] d = mutate(rnd, SEEDS.get(rnd.nextInt(SEEDS.size())));
            InetSocketAddress exporter = exporters[rnd.nextInt(exporters.length)];
            // Templates learned from good seeds make later mutated data sets meet real templates.
            if (rnd.nextInt(8) == 0) {
                decodeOrFail(decoder, exporter, SEEDS.get(rnd.nextInt(SEEDS.size())), -1);
            }
            if (decodeOrFail(decoder, exporter, d, i)) {
                decoded++;
            } else {
                rejected++;
            }
        }
        // Both outcomes must actually occur, or the mutations are not exercising anything.
        assertThat(decoded).isGreaterThan(CASES / 50);
        assertThat(rejected).isGreaterThan(CASES / 50);
    }

    private static boolean decodeOrFail(FlowDecoder decoder, InetSocketAddress exporter, byte[] d, int i) {
        try {
            DecodedMessage m = decoder.decode(exporter, ByteBuffer.wrap(d));
            assertThat(m.records().size()).isLessThanOrEqualTo(d.length);
            return true;
        } catch (DecodeException e) {
            if (e.getMessage().contains("internal decoder error")) {
                fail("case " + i + " hit the safety net: " + e.getMessage() + "\n" + hex(d));
            }
            return false;
        } catch (RuntimeException e) {
            throw new AssertionError("case " + i + " threw " + e + "\n" + hex(d), e);
        }
    }

    private static byte[] mutate(Random rnd, byte[] seed) {
        byte[] d = seed.clone();
        int kind = rnd.nextInt(7);
        switch (kind) {
            case 0: // flip a few random bytes
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    d[rnd.nextInt(d.length)] = (byte) rnd.nextInt(256);
                }
                return d;
            case 1: // truncate
                return Arrays.copyOf(d, rnd.nextInt(d.length + 1));
            case 2: // extend with random bytes
                d = Arrays.copyOf(d, d.length + 1 + rnd.nextInt(64));
                for (int k = seed.length; k < d.length; k++) {
                    d[k] = (byte) rnd.nextInt(256);
                }
                return d;
            case 3: { // set a 16-bit word to an edge value (lengths, counts, ids)
                int[] edges = {0, 1, 2, 3, 4, 255, 256, 0x7fff, 0x8000, 0xfffe, 0xffff};
                int at = rnd.nextInt(Math.max(1, d.length - 1));
                int v = edges[rnd.nextInt(edges.length)];
                if (at + 1 < d.length) {
                    d[at] = (byte) (v >> 8);
                    d[at + 1] = (byte) v;
                }
                return d;
            }
            case 4: { // random body behind a real header
                int keep = Math.min(d.length, 24);
                byte[] r = new byte[keep + rnd.nextInt(200)];
                System.arraycopy(d, 0, r, 0, keep);
                for (int k = keep; k < r.length; k++) {
                    r[k] = (byte) rnd.nextInt(256);
                }
                return r;
            }
            case 5: // entirely random with a plausible version
                byte[] r = new byte[rnd.nextInt(300)];
                rnd.nextBytes(r);
                if (r.length >= 2) {
                    int[] versions = {5, 9, 10};
                    r[0] = 0;
                    r[1] = (byte) versions[rnd.nextInt(3)];
                }
                return r;
            default: // splice two seeds
                byte[] other = SEEDS.get(rnd.nextInt(SEEDS.size()));
                int cut = rnd.nextInt(d.length);
                int from = rnd.nextInt(other.length);
                byte[] s = Arrays.copyOf(d, cut + other.length - from);
                System.arraycopy(other, from, s, cut, other.length - from);
                return s;
        }
    }

    private static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder();
        for (byte b : d) {
            sb.append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }
}
