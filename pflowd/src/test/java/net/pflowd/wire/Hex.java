package net.pflowd.wire;

import java.nio.ByteBuffer;

/** Readable hex for golden vectors: whitespace ignored, "0005 0002 ..." style. */
public final class Hex {
    private Hex() {
    }

    public static byte[] parse(String hex) {
        String s = hex.replaceAll("\\s+", "");
        if ((s.length() & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + s.length());
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** Hex of bytes [from, to) of b, grouped in 16-bit words like the vectors. */
    public static String format(ByteBuffer b, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (i > from && ((i - from) & 1) == 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", b.get(i) & 0xff));
        }
        return sb.toString();
    }

    public static String format(byte[] b) {
        return format(ByteBuffer.wrap(b), 0, b.length);
    }

    /** Normalises a vector to the {@link #format} grouping so assertion failures diff readably. */
    public static String normalise(String hex) {
        return format(parse(hex));
    }

    /** The bytes written so far: [0, position). */
    public static String written(ByteBuffer b) {
        return format(b, 0, b.position());
    }
}
