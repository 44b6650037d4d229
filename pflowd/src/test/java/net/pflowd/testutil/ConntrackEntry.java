package net.pflowd.testutil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code conntrack -L} (conntrack-tools), in its default output, e.g.
 * <pre>
 * tcp 6 119 TIME_WAIT src=A dst=B sport=40078 dport=5001 packets=14 bytes=100736 src=B dst=A sport=5001
 *     dport=40078 packets=12 bytes=20632 [ASSURED] mark=0 use=1
 * </pre>
 * or with {@code -o extended}, which puts the family and its number first ({@code ipv4 2 tcp 6 119 ...}).
 * The first {@code src=} opens the original direction, the second the reply direction; packets and bytes are
 * the kernel's per-direction counters (present with net.netfilter.nf_conntrack_acct=1).
 */
public record ConntrackEntry(String line, String protocol, int protocolNumber, String state, Direction original,
        Direction reply) {

    /** One direction: its tuple and counters, as conntrack prints them (ports absent for ICMP). */
    public record Direction(Map<String, String> fields) {
        public String src() {
            return fields.get("src");
        }

        public String dst() {
            return fields.get("dst");
        }

        public InetAddress srcAddress() {
            return address(src());
        }

        public InetAddress dstAddress() {
            return address(dst());
        }

        public int sport() {
            return Integer.parseInt(fields.getOrDefault("sport", "0"));
        }

        public int dport() {
            return Integer.parseInt(fields.getOrDefault("dport", "0"));
        }

        public long packets() {
            return Long.parseLong(require("packets"));
        }

        public long bytes() {
            return Long.parseLong(require("bytes"));
        }

        private String require(String key) {
            String v = fields.get(key);
            if (v == null) {
                throw new IllegalStateException("no " + key + "= in " + fields
                        + " (is net.netfilter.nf_conntrack_acct 1?)");
            }
            return v;
        }

        @Override
        public String toString() {
            return src() + (fields.containsKey("sport") ? ":" + sport() : "") + " > " + dst()
                    + (fields.containsKey("dport") ? ":" + dport() : "") + " packets " + fields.get("packets")
                    + " bytes " + fields.get("bytes");
        }
    }

    /** Every entry of a listing; blank lines are passed over, any other line must be an entry. */
    public static List<ConntrackEntry> parse(String output) {
        List<ConntrackEntry> entries = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                entries.add(parseLine(line.strip()));
            }
        }
        return entries;
    }

    public static ConntrackEntry parseLine(String line) {
        String[] words = line.split("\\s+");
        int first = words[0].startsWith("ipv") ? 2 : 0; // -o extended: "ipv4 2" before the protocol
        if (words.length < first + 3) {
            throw new IllegalArgumentException("not a conntrack entry: " + line);
        }
        String state = null;
        List<Map<String, String>> directions = new ArrayList<>();
        for (int i = first + 1; i < words.length; i++) {
            String w = words[i];
            int eq = w.indexOf('=');
            if (eq < 0) {
                if (directions.isEmpty() && w.matches("[A-Z_]+")) {
                    state = w; // TCP state, e.g. ESTABLISHED or TIME_WAIT
                }
                continue;
            }
            String key = w.substring(0, eq);
            if (key.equals("src")) {
                directions.add(new LinkedHashMap<>());
            }
            // mark=, use=, zone= ... come after both tuples and belong to neither
            if (!directions.isEmpty() && directions.size() <= 2 && !directions.get(directions.size() - 1)
                    .containsKey(key)) {
                directions.get(directions.size() - 1).put(key, w.substring(eq + 1));
            }
        }
        if (directions.size() != 2) {
            throw new IllegalArgumentException("conntrack line without two tuples: " + line);
        }
        return new ConntrackEntry(line, words[first], Integer.parseInt(words[first + 1]), state,
                new Direction(directions.get(0)), new Direction(directions.get(1)));
    }

    public boolean isIpv6() {
        return original.srcAddress().getAddress().length == 16;
    }

    public boolean isIcmp() {
        return protocolNumber == 1 || protocolNumber == 58;
    }

    /** Translated: the reply does not come back from where the original went, or not to where it came from. */
    public boolean isNat() {
        return !reply.srcAddress().equals(original.dstAddress()) || !reply.dstAddress().equals(original.srcAddress())
                || (!isIcmp() && (reply.sport() != original.dport() || reply.dport() != original.sport()));
    }

    public boolean involvesLoopback() {
        return original.srcAddress().isLoopbackAddress() || original.dstAddress().isLoopbackAddress();
    }

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    @Override
    public String toString() {
        return line;
    }
}
