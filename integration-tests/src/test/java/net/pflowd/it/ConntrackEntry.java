package net.pflowd.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code conntrack -L} (conntrack-tools' default output), e.g.
 * <pre>
 * tcp 6 119 TIME_WAIT src=A dst=B sport=40078 dport=5001 packets=14 bytes=100736 src=B dst=A sport=5001
 *     dport=40078 packets=12 bytes=20632 [ASSURED] mark=0 use=1
 * </pre>
 * The first {@code src=} opens the original direction, the second the reply direction; packets and bytes are
 * the kernel's per-direction counters (present with net.netfilter.nf_conntrack_acct=1).
 */
record ConntrackEntry(String line, String protocol, String state, Direction original, Direction reply) {

    /** One direction: its tuple and counters, as conntrack prints them (ports absent for ICMP). */
    record Direction(Map<String, String> fields) {
        String src() {
            return fields.get("src");
        }

        String dst() {
            return fields.get("dst");
        }

        int sport() {
            return Integer.parseInt(fields.getOrDefault("sport", "0"));
        }

        int dport() {
            return Integer.parseInt(fields.getOrDefault("dport", "0"));
        }

        long packets() {
            return Long.parseLong(require("packets"));
        }

        long bytes() {
            return Long.parseLong(require("bytes"));
        }

        private String require(String key) {
            String v = fields.get(key);
            if (v == null) {
                throw new IllegalStateException("no " + key + "= in " + fields
                        + " (is net.netfilter.nf_conntrack_acct 1 in the container?)");
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

    static List<ConntrackEntry> parse(String output) {
        List<ConntrackEntry> entries = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                entries.add(parseLine(line.strip()));
            }
        }
        return entries;
    }

    static ConntrackEntry parseLine(String line) {
        String[] words = line.split("\\s+");
        String state = null;
        List<Map<String, String>> directions = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
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
        return new ConntrackEntry(line, words[0], state, new Direction(directions.get(0)),
                new Direction(directions.get(1)));
    }

    @Override
    public String toString() {
        return line;
    }
}
