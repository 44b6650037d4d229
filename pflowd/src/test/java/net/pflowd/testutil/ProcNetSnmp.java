package net.pflowd.testutil;

/** Reads counters out of the text of /proc/net/snmp (header line + value line per protocol) and /proc/net/snmp6. */
public final class ProcNetSnmp {
    private ProcNetSnmp() {
    }

    /** The counter {@code name} of the {@code prefix} ("Ip:", "Udp:", ...) lines of /proc/net/snmp. */
    public static long field(String text, String prefix, String name) {
        String[] header = null;
        for (String line : text.split("\n")) {
            if (!line.startsWith(prefix)) {
                continue;
            }
            String[] cols = line.trim().split("\\s+");
            if (header == null) {
                header = cols;
            } else {
                for (int i = 1; i < header.length; i++) {
                    if (header[i].equals(name)) {
                        return Long.parseLong(cols[i]);
                    }
                }
            }
        }
        throw new AssertionError("no " + prefix + name + " in /proc/net/snmp");
    }

    /** The counter {@code name} of /proc/net/snmp6 (one "name value" pair a line). */
    public static long field6(String text, String name) {
        for (String line : text.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 2 && cols[0].equals(name)) {
                return Long.parseLong(cols[1]);
            }
        }
        throw new AssertionError("no " + name + " in /proc/net/snmp6");
    }
}
