package net.pflowd.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    /** RFC 1071, 3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement. */
    @Test
    void theRfcExample() {
        ByteBuffer b = ByteBuffer.wrap(HexFormat.of().parseHex("0001f203f4f5f6f7"));
        assertThat(InternetChecksum.of(b, 0, 8)).isEqualTo(0x220d);
    }

    /** Every length and start, heap and direct, against the sum of 16-bit words one by one (RFC 1071, 4.1). */
    @Test
    void agreesWithTheWordByWordSum() {
        Random rnd = new Random(1071);
        byte[] bytes = new byte[1500];
        rnd.nextBytes(bytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).clear();
        for (ByteBuffer b : List.of(ByteBuffer.wrap(bytes), direct)) {
            for (int from = 0; from < 9; from++) {
                for (int to = from; to < 200; to++) {
                    assertThat(InternetChecksum.of(b, from, to)).as("%d..%d", from, to).isEqualTo(reference(bytes, from, to));
                }
            }
            assertThat(InternetChecksum.of(b, 0, bytes.length)).isEqualTo(reference(bytes, 0, bytes.length));
        }
    }

    private static int reference(byte[] b, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i += 2) {
            sum += (b[i] & 0xff) << 8 | (i + 1 < to ? b[i + 1] & 0xff : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
