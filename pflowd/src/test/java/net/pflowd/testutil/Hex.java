package net.pflowd.testutil;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Readable hex for golden vectors and assertions, over {@link HexFormat}: vectors are hex groups separated by
 * white space ("0005 0002 ..."), and a '#' starts a comment to the end of its line; formatted hex is grouped in
 * 16-bit words like the vectors, so that a failed comparison diffs readably.
 */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {
    }

    /** The bytes of {@code lines}: comments and white space dropped, then an even number of hex digits. */
    public static byte[] bytes(String... lines) {
        StringBuilder digits = new StringBuilder();
        for (String line : lines) {
            for (String part : line.split("\n", -1)) {
                int hash = part.indexOf('#');
                digits.append(hash < 0 ? part : part.substring(0, hash));
            }
        }
        String s = digits.toString().replaceAll("\\s+", "");
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + s.length());
        }
        return HEX.parseHex(s);
    }

    public static ByteBuffer buffer(String... lines) {
        return ByteBuffer.wrap(bytes(lines));
    }

    /** Hex of bytes [from, to) of b, grouped in 16-bit words like the vectors. */
    public static String format(ByteBuffer b, int from, int to) {
        byte[] a = new byte[to - from];
        b.get(from, a);
        return HEX.formatHex(a).replaceAll("(.{4})(?=.)", "$1 ");
    }

    public static String format(byte[] b) {
        return format(ByteBuffer.wrap(b), 0, b.length);
    }

    /** Normalises a vector to the {@link #format} grouping. */
    public static String normalise(String hex) {
        return format(bytes(hex));
    }

    /** The bytes written so far: [0, position). */
    public static String written(ByteBuffer b) {
        return format(b, 0, b.position());
    }
}
