package net.pflowd.decode;

import java.nio.ByteBuffer;

/** Golden vectors are written as hex groups separated by spaces; a '#' starts a comment to end of line. */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String... lines) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            int hash = line.indexOf('#');
            sb.append(hash < 0 ? line : line.substring(0, hash));
        }
        String s = sb.toString().replaceAll("\\s+", "");
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + s.length());
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    public static ByteBuffer buffer(String... lines) {
        return ByteBuffer.wrap(bytes(lines));
    }
}
