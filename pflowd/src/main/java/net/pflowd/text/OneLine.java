package net.pflowd.text;

/**
 * Makes text safe to print as one line of a terminal or a log: control characters (C0, DEL, C1) and the Unicode
 * format characters that reorder or hide text (bidirectional overrides, zero-width) are escaped as {@code \n},
 * {@code \r}, {@code \t}, {@code \e}, {@code \xHH} or {@code \\u{HHHH}}, and the result is shortened with
 * {@code ...}. Used wherever a value a user or a peer chose is echoed: errors of ifconfig and pflowd, the
 * daemon's refusals and its log.
 */
public final class OneLine {
    /** Longest echo of one value (an argument, an address, a path). */
    public static final int VALUE_CHARS = 64;
    /** Longest whole message. */
    public static final int MESSAGE_CHARS = 1000;

    private OneLine() {
    }

    /** One echoed value: escaped, at most {@value #VALUE_CHARS} characters of it. */
    public static String value(String s) {
        return escape(s, VALUE_CHARS);
    }

    /** A whole message: escaped, at most {@value #MESSAGE_CHARS} characters of it. */
    public static String of(String s) {
        return escape(s, MESSAGE_CHARS);
    }

    /** Escapes {@code s} and keeps at most {@code max} of its characters (escapes count as one). */
    public static String escape(String s, int max) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 8);
        int kept = 0;
        int i = 0;
        while (i < s.length()) {
            if (kept >= max) {
                sb.append("...");
                break;
            }
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            kept++;
            switch (cp) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x1b -> sb.append("\\e");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if ((cp >= 0x80 && cp < 0xa0) || isFormat(cp)) {
                        sb.append(String.format("\\u{%04x}", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Invisible or reordering: bidi controls, zero-width characters, line/paragraph separators, lone surrogates. */
    private static boolean isFormat(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE || type == Character.UNASSIGNED || type == Character.PRIVATE_USE;
    }
}
