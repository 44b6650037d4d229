package net.pflowd.source.pfctl;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.pflowd.text.OneLine;

/**
 * Parses the state listing of {@code pfctl -s states [-v[v]]} as OpenBSD (4.4 and later), FreeBSD
 * (9 to 15, OPNsense, pfSense) and macOS print it. Pure: text in, {@link PfState}s out.
 *
 * <p>A state is a record of one to five lines; the first starts in column 0, the others with three
 * spaces:
 * <pre>
 * all tcp 192.168.20.98:443 (192.168.1.202:443) &lt;- 178.213.45.35:55192       TIME_WAIT:TIME_WAIT
 *    [3990052285 + 3992912384] wscale 7  [243510668 + 3556835840] wscale 8      (TCP, -v)
 *    age 00:23:35, expires in 00:06:23, 761:779 pkts, 127015:150057 bytes, rule 84   (-v)
 *    id: 7d029a6900000000 creatorid: 58075cf3 reply-to: 192.168.1.1@igc4     (-vv)
 *    origif: igc4                                                            (-vv, FreeBSD 13.1+)
 * </pre>
 * Line 1 is {@code IFNAME PROTO HOST[ (HOST)][ {RT}] ARROW HOST[ (HOST)][ {RT}]} then at least four
 * spaces and the peer state pair. A host is {@code [(RDOMAIN) ]ADDR[:PORT]} for IPv4 and
 * {@code [(RDOMAIN) ]ADDR[[PORT]]} for IPv6. Apple's (and pre-2008 OpenBSD's) legacy form
 * {@code LAN ARROW GWY ARROW EXT} is accepted too.
 *
 * <p>Whatever is not understood is counted and skipped, never fatal: a record whose first line or
 * counters line does not parse is dropped whole (one error for the block); a continuation line with
 * no record before it or of an unknown kind counts one error (in the latter case the record is kept).
 * Known noise (FreeBSD's ALTQ warnings on stderr merged in, {@code STATES:}, grep's {@code --}, blank
 * lines) is skipped silently. Host names (as {@code pfctl -r} prints) are not resolved: such a record
 * is an error, the parser never does I/O.
 *
 * <p>Truncation: when the text does not end with a newline, or the caller says it was cut, the last
 * record may be incomplete (a counter cut in half still parses as a smaller number), so it is dropped
 * and counted, and {@link Result#truncated()} is set.
 */
public final class PfctlParser {
    private PfctlParser() {
    }

    /**
     * @param states    the complete records, in listing order
     * @param errors    lines or blocks skipped because they were not understood
     * @param truncated the listing was cut; its last record was dropped
     * @param samples   the first few offending lines (each escaped and shortened to one line), for the log
     */
    public record Result(List<PfState> states, int errors, boolean truncated, List<String> samples) {
    }

    private static final int MAX_SAMPLES = 3;
    private static final int SAMPLE_CHARS = 200;

    /** Protocol names pfctl prints (from the protocols database of the BSDs) to numbers. */
    private static final Map<String, Integer> PROTOCOLS = Map.ofEntries(
            Map.entry("icmp", 1), Map.entry("igmp", 2), Map.entry("ggp", 3), Map.entry("ipencap", 4),
            Map.entry("ipv4", 4), Map.entry("ip", 0), Map.entry("st2", 5), Map.entry("tcp", 6),
            Map.entry("egp", 8), Map.entry("igp", 9), Map.entry("pup", 12), Map.entry("udp", 17),
            Map.entry("hmp", 20), Map.entry("xns-idp", 22), Map.entry("rdp", 27), Map.entry("iso-tp4", 29),
            Map.entry("dccp", 33), Map.entry("xtp", 36), Map.entry("ddp", 37), Map.entry("idpr-cmtp", 38),
            Map.entry("ipv6", 41), Map.entry("ipv6-route", 43), Map.entry("ipv6-frag", 44),
            Map.entry("idrp", 45), Map.entry("rsvp", 46), Map.entry("gre", 47), Map.entry("esp", 50),
            Map.entry("ah", 51), Map.entry("skip", 57), Map.entry("ipv6-icmp", 58), Map.entry("icmp6", 58),
            Map.entry("ipv6-nonxt", 59), Map.entry("ipv6-opts", 60), Map.entry("rspf", 73),
            Map.entry("vmtp", 81), Map.entry("eigrp", 88), Map.entry("ospf", 89), Map.entry("ax.25", 93),
            Map.entry("ipip", 94), Map.entry("etherip", 97), Map.entry("encap", 98), Map.entry("pim", 103),
            Map.entry("ipcomp", 108), Map.entry("vrrp", 112), Map.entry("carp", 112), Map.entry("l2tp", 115),
            Map.entry("isis", 124), Map.entry("sctp", 132), Map.entry("fc", 133),
            Map.entry("mobility-header", 135), Map.entry("udplite", 136), Map.entry("mpls-in-ip", 137),
            Map.entry("manet", 138), Map.entry("hip", 139), Map.entry("shim6", 140), Map.entry("wesp", 141),
            Map.entry("rohc", 142), Map.entry("pfsync", 240), Map.entry("divert", 258));

    public static Result parse(CharSequence text) {
        return parse(text, false);
    }

    /**
     * @param cut true when the caller knows the text is not the whole listing (output size cap);
     *            the last record is then dropped even if its last line looks complete
     */
    public static Result parse(CharSequence text, boolean cut) {
        Parse p = new Parse();
        int n = text.length();
        boolean endsCut = cut || (n > 0 && text.charAt(n - 1) != '\n');
        int pos = 0;
        while (pos < n) {
            int eol = indexOf(text, '\n', pos);
            int end = eol < 0 ? n : eol;
            int contentEnd = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
            p.line(text.subSequence(pos, contentEnd).toString());
            pos = eol < 0 ? n : eol + 1;
        }
        if (endsCut) {
            p.dropOpen();
        } else {
            p.finish();
        }
        return new Result(Collections.unmodifiableList(p.states), p.errors, endsCut,
                Collections.unmodifiableList(p.samples));
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from, n = s.length(); i < n; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** The mutable state of one parse. */
    private static final class Parse {
        final List<PfState> states = new ArrayList<>();
        final List<String> samples = new ArrayList<>();
        int errors;
        /** The record being collected, null when none; {@code skipping} while a bad block is skipped. */
        Builder open;
        boolean skipping;

        void line(String line) {
            if (line.startsWith("   ")) {
                continuation(line);
                return;
            }
            finish();
            if (isNoise(line)) {
                return;
            }
            try {
                open = firstLine(line);
            } catch (BadInput | RuntimeException e) {
                error(line, e.getMessage());
                skipping = true;
            }
        }

        void continuation(String line) {
            if (skipping) {
                return;
            }
            if (open == null) {
                error(line, "continuation line without a state");
                return;
            }
            String body = line.substring(3);
            try {
                if (body.startsWith("[")) {
                    // TCP sequence windows: nothing a flow record needs.
                } else if (body.startsWith("age ")) {
                    counters(open, body);
                } else if (body.startsWith("id: ")) {
                    ids(open, body);
                } else if (body.startsWith("origif: ")) {
                    open.origIf = body.substring("origif: ".length()).trim();
                } else {
                    error(line, "unknown continuation line");
                }
            } catch (BadInput | RuntimeException e) {
                // The counters are what the record is for: without them it is dropped.
                error(line, e.getMessage());
                open = null;
                skipping = true;
            }
        }

        void finish() {
            if (open != null) {
                states.add(open.build());
            }
            open = null;
            skipping = false;
        }

        /** Drops the last record of a cut listing (counted once, whether or not it was already bad). */
        void dropOpen() {
            if (open != null) {
                errors++; // a bad last block was counted when it was rejected
            }
            open = null;
            skipping = false;
        }

        void error(String line, String why) {
            errors++;
            if (samples.size() < MAX_SAMPLES) {
                // Logged as they are: a listing's control characters and long words are escaped and cut here.
                samples.add(OneLine.escape(why + ": " + line, SAMPLE_CHARS));
            }
        }
    }

    private static boolean isNoise(String line) {
        String t = line.strip(); // whitespace only: a line of control characters is not noise
        return t.isEmpty() || t.equals("--") || t.equals("STATES:")
                || t.equals("No ALTQ support in kernel") || t.equals("ALTQ related functions disabled");
    }

    /** A rejected line; the message says why. No stack trace: it is flow control for bad input. */
    private static final class BadInput extends Exception {
        BadInput(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Builder {
        String ifname, protoName, endpoints, peerStates;
        int protocol;
        boolean outbound;
        PfState.Host left, leftOrig, right, rightOrig;
        long age = -1, expires = -1;
        boolean hasCounters;
        long origPackets, replyPackets, origBytes, replyBytes;
        int anchor = -1, rule = -1;
        List<String> flags = List.of();
        String id, creatorId, idExtra = "", origIf;

        PfState build() {
            return new PfState(ifname, protoName, protocol, outbound, left, leftOrig, right, rightOrig,
                    endpoints, peerStates, age, expires, hasCounters, origPackets, replyPackets,
                    origBytes, replyBytes, anchor, rule, flags, id, creatorId, idExtra, origIf);
        }
    }

    // ---- line 1 ----

    private static Builder firstLine(String line) throws BadInput {
        // The peer state pair follows the endpoints after 4 (modern: 7) spaces; no host contains two
        // spaces in a row. The pair itself may contain spaces ("<BAD STATE LEVELS 1:2>").
        int gap = line.indexOf("    ");
        if (gap < 0) {
            throw new BadInput("no peer state pair");
        }
        String ep = line.substring(0, gap);
        String pair = line.substring(gap).trim();
        if (pair.isEmpty()) {
            throw new BadInput("no peer state pair");
        }
        Builder b = new Builder();
        b.endpoints = ep;
        b.peerStates = pair;
        int sp1 = ep.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : ep.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0) {
            throw new BadInput("expected interface, protocol and hosts");
        }
        b.ifname = ep.substring(0, sp1);
        b.protoName = ep.substring(sp1 + 1, sp2);
        b.protocol = protocol(b.protoName);

        Cursor c = new Cursor(ep, sp2 + 1);
        List<Group> groups = new ArrayList<>(3);
        String arrow = null;
        groups.add(group(c));
        while (!c.atEnd()) {
            String a;
            if (c.eat(" -> ")) {
                a = "->";
            } else if (c.eat(" <- ")) {
                a = "<-";
            } else {
                throw new BadInput("expected -> or <- at column " + c.pos);
            }
            if (arrow != null && !arrow.equals(a)) {
                throw new BadInput("mixed arrows");
            }
            arrow = a;
            groups.add(group(c));
        }
        if (arrow == null || groups.size() > 3) {
            throw new BadInput("expected two or three hosts joined by -> or <-");
        }
        b.outbound = arrow.equals("->");
        if (groups.size() == 2) {
            b.left = groups.get(0).host;
            b.leftOrig = groups.get(0).orig;
            b.right = groups.get(1).host;
            b.rightOrig = groups.get(1).orig;
        } else {
            // Legacy "lan -> gwy -> ext" (out) / "lan <- gwy <- ext" (in): lan is the stack side, gwy
            // the wire side of the local host, ext the peer. Stored like the modern form, where the
            // plain host is the translated one: wire for outbound, stack for inbound.
            for (Group g : groups) {
                if (g.orig != null) {
                    throw new BadInput("translation in a three-host line");
                }
            }
            PfState.Host lan = groups.get(0).host, gwy = groups.get(1).host;
            b.left = b.outbound ? gwy : lan;
            b.leftOrig = b.outbound ? lan : gwy;
            b.right = groups.get(2).host;
        }
        return b;
    }

    private record Group(PfState.Host host, PfState.Host orig) {
    }

    /** {@code HOST[ (HOST)][ {ROUTE}]}: the route-to address (OpenBSD) is not needed and skipped. */
    private static Group group(Cursor c) throws BadInput {
        PfState.Host h = host(c, ' ');
        PfState.Host orig = null;
        if (c.eat(" (")) {
            orig = host(c, ')');
            if (!c.eat(")")) {
                throw new BadInput("unclosed translation at column " + c.pos);
            }
        }
        if (c.eat(" {")) {
            int close = c.s.indexOf('}', c.pos);
            if (close < 0) {
                throw new BadInput("unclosed route-to address");
            }
            c.pos = close + 1;
        }
        return new Group(h, orig);
    }

    /** {@code [(RDOMAIN) ]ADDRESS[PORT]}, ending at a space, at {@code stop} or at the end. */
    private static PfState.Host host(Cursor c, char stop) throws BadInput {
        int rdomain = 0;
        if (c.atEnd()) {
            throw new BadInput("missing host");
        }
        if (c.peek() == '(') {
            int close = c.s.indexOf(") ", c.pos);
            if (close < 0) {
                throw new BadInput("bad routing domain at column " + c.pos);
            }
            rdomain = (int) number(c.s.substring(c.pos + 1, close), 0xffff, "routing domain");
            c.pos = close + 2;
        }
        int start = c.pos;
        while (!c.atEnd() && c.peek() != ' ' && c.peek() != stop) {
            c.pos++;
        }
        return hostToken(c.s.substring(start, c.pos), rdomain);
    }

    static PfState.Host hostToken(String t, int rdomain) throws BadInput {
        if (t.isEmpty()) {
            throw new BadInput("missing host");
        }
        String addr;
        int port = 0;
        int bracket = t.indexOf('[');
        if (bracket >= 0) {
            // IPv6 prints its port in brackets: 2001:db8::1[443].
            if (!t.endsWith("]")) {
                throw new BadInput("bad IPv6 port in " + t);
            }
            addr = t.substring(0, bracket);
            port = (int) number(t.substring(bracket + 1, t.length() - 1), 0xffff, "port");
            return new PfState.Host(ipv6(addr, t), port, rdomain);
        }
        int colons = 0;
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == ':') {
                colons++;
            }
        }
        if (colons >= 2) {
            return new PfState.Host(ipv6(t, t), 0, rdomain);
        }
        addr = t;
        if (colons == 1) {
            int colon = t.indexOf(':');
            addr = t.substring(0, colon);
            port = (int) number(t.substring(colon + 1), 0xffff, "port");
        }
        byte[] v4 = ipv4(addr);
        if (v4 == null) {
            throw new BadInput("not a numeric address: " + t);
        }
        return new PfState.Host(inet(v4), port, rdomain);
    }

    private static int protocol(String name) throws BadInput {
        Integer p = PROTOCOLS.get(name.toLowerCase());
        if (p != null) {
            return p;
        }
        return (int) number(name, 255, "protocol");
    }

    // ---- line 3: age, expires in, counters, rule, flags ----

    private static void counters(Builder b, String body) throws BadInput {
        boolean pkts = false, bytes = false;
        List<String> flags = new ArrayList<>();
        for (String item : body.split(", ")) {
            if (item.startsWith("age ")) {
                b.age = duration(item.substring(4));
            } else if (item.startsWith("expires in ")) {
                b.expires = duration(item.substring(11));
            } else if (item.endsWith(" pkts")) {
                long[] v = pair(item.substring(0, item.length() - 5), "pkts");
                b.origPackets = v[0];
                b.replyPackets = v[1];
                pkts = true;
            } else if (item.endsWith(" bytes")) {
                long[] v = pair(item.substring(0, item.length() - 6), "bytes");
                b.origBytes = v[0];
                b.replyBytes = v[1];
                bytes = true;
            } else if (item.startsWith("anchor ")) {
                b.anchor = (int) number(item.substring(7), Integer.MAX_VALUE, "anchor");
            } else if (item.startsWith("rule ")) {
                b.rule = (int) number(item.substring(5), Integer.MAX_VALUE, "rule");
            } else if (!item.isEmpty()) {
                flags.add(item);
            }
        }
        if (!pkts || !bytes) {
            throw new BadInput("counters line without N:M pkts and N:M bytes");
        }
        b.hasCounters = true;
        b.flags = List.copyOf(flags);
    }

    /** {@code H+:MM:SS}: hours are not wrapped at 24 and may have three or more digits. */
    private static long duration(String s) throws BadInput {
        String[] f = s.split(":");
        if (f.length != 3) {
            throw new BadInput("bad duration " + s);
        }
        long h = number(f[0], 1L << 40, "hours");
        long m = number(f[1], 59, "minutes");
        long sec = number(f[2], 59, "seconds");
        return h * 3600 + m * 60 + sec;
    }

    /** {@code N:M}, unsigned 64-bit each. */
    private static long[] pair(String s, String what) throws BadInput {
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new BadInput("bad " + what + " counters " + s);
        }
        return new long[] {u64(s.substring(0, colon), what), u64(s.substring(colon + 1), what)};
    }

    private static long u64(String s, String what) throws BadInput {
        if (!digits(s) || s.length() > 20) {
            throw new BadInput("bad " + what + " counter " + s);
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new BadInput("bad " + what + " counter " + s);
        }
    }

    // ---- line 4: id and creator id ----

    private static void ids(Builder b, String body) throws BadInput {
        String[] t = body.trim().split(" +", 5);
        if (t.length < 4 || !t[0].equals("id:") || !t[2].equals("creatorid:") || !hex(t[1]) || !hex(t[3])) {
            throw new BadInput("bad id line");
        }
        b.id = t[1];
        b.creatorId = t[3];
        b.idExtra = t.length == 5 ? t[4] : "";
    }

    // ---- numbers and addresses ----

    private static long number(String s, long max, String what) throws BadInput {
        if (!digits(s) || s.length() > 15) {
            throw new BadInput("bad " + what + " " + s);
        }
        long v = Long.parseLong(s);
        if (v > max) {
            throw new BadInput(what + " out of range: " + s);
        }
        return v;
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(String s) {
        if (s.isEmpty() || s.length() > 16) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Dotted quad to 4 bytes, null when it is not one (no DNS, no shorthand forms). */
    static byte[] ipv4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!digits(p[i]) || p[i].length() > 3) {
                return null;
            }
            int v = Integer.parseInt(p[i]);
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    /** inet_ntop-style IPv6 text (with "::" and an optional dotted-quad tail) to an address; no DNS. */
    static InetAddress ipv6(String s, String token) throws BadInput {
        byte[] b = ipv6Bytes(s);
        if (b == null) {
            throw new BadInput("not a numeric address: " + token);
        }
        return inet(b);
    }

    static byte[] ipv6Bytes(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return null;
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        byte[] out = new byte[16];
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = groups(head, dbl < 0);
        int[] t = dbl >= 0 ? groups(tail, true) : new int[0];
        if (h == null || t == null) {
            return null;
        }
        int words = (h.length + t.length);
        if (dbl < 0 ? words != 8 : words > 7) {
            return null;
        }
        for (int i = 0; i < h.length; i++) {
            out[2 * i] = (byte) (h[i] >> 8);
            out[2 * i + 1] = (byte) h[i];
        }
        for (int i = 0; i < t.length; i++) {
            int w = 8 - t.length + i;
            out[2 * w] = (byte) (t[i] >> 8);
            out[2 * w + 1] = (byte) t[i];
        }
        return out;
    }

    /** Colon-separated 16-bit words; the last may be a dotted quad (two words) when {@code last}. */
    private static int[] groups(String s, boolean last) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] p = s.split(":", -1);
        List<Integer> w = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            String g = p[i];
            if (last && i == p.length - 1 && g.indexOf('.') >= 0) {
                byte[] v4 = ipv4(g);
                if (v4 == null) {
                    return null;
                }
                w.add((v4[0] & 0xff) << 8 | (v4[1] & 0xff));
                w.add((v4[2] & 0xff) << 8 | (v4[3] & 0xff));
                continue;
            }
            if (g.isEmpty() || g.length() > 4) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < g.length(); k++) {
                int d = Character.digit(g.charAt(k), 16);
                if (d < 0) {
                    return null;
                }
                v = v << 4 | d;
            }
            w.add(v);
        }
        return w.stream().mapToInt(Integer::intValue).toArray();
    }

    private static InetAddress inet(byte[] b) {
        try {
            // Inet6Address explicitly: getByAddress would turn ::ffff:a.b.c.d into an IPv4 address.
            return b.length == 16 ? Inet6Address.getByAddress(null, b, (NetworkInterface) null)
                    : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError("fixed-length address rejected", e);
        }
    }

    /** Position in the endpoints text of line 1. */
    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        boolean eat(String t) {
            if (s.startsWith(t, pos)) {
                pos += t.length();
                return true;
            }
            return false;
        }
    }
}
