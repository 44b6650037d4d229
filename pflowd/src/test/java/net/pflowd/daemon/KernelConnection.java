package net.pflowd.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code conntrack -L -o extended}: the original and reply tuples and each direction's counters,
 * as the kernel reports them.
 */
record KernelConnection(String proto, int protoNumber, Map<String, String> orig, Map<String, String> reply) {

    static List<KernelConnection> parse(String listing) {
        List<KernelConnection> out = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] t = line.trim().split("\\s+");
            if (t.length < 5 || !t[0].startsWith("ipv")) {
                continue;
            }
            Map<String, String> o = new HashMap<>(), r = new HashMap<>();
            Map<String, String> cur = null;
            for (String tok : t) {
                int eq = tok.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = tok.substring(0, eq), v = tok.substring(eq + 1);
                if (k.equals("src")) {
                    cur = cur == null ? o : r;
                }
                if (cur != null && !cur.containsKey(k)) {
                    cur.put(k, v);
                }
            }
            out.add(new KernelConnection(t[2], Integer.parseInt(t[3]), o, r));
        }
        return out;
    }

    InetAddress origSrc() {
        return address(orig.get("src"));
    }

    InetAddress origDst() {
        return address(orig.get("dst"));
    }

    InetAddress replySrc() {
        return address(reply.get("src"));
    }

    InetAddress replyDst() {
        return address(reply.get("dst"));
    }

    boolean isIpv6() {
        return origSrc().getAddress().length == 16;
    }

    boolean isIcmp() {
        return protoNumber == 1 || protoNumber == 58;
    }

    int origSport() {
        return Integer.parseInt(orig.getOrDefault("sport", "0"));
    }

    int origDport() {
        return Integer.parseInt(orig.getOrDefault("dport", "0"));
    }

    int replySport() {
        return Integer.parseInt(reply.getOrDefault("sport", "0"));
    }

    int replyDport() {
        return Integer.parseInt(reply.getOrDefault("dport", "0"));
    }

    long origPackets() {
        return Long.parseLong(orig.get("packets"));
    }

    long origBytes() {
        return Long.parseLong(orig.get("bytes"));
    }

    long replyPackets() {
        return Long.parseLong(reply.get("packets"));
    }

    long replyBytes() {
        return Long.parseLong(reply.get("bytes"));
    }

    /** Translated: the reply does not come back from where the original went, or not to where it came from. */
    boolean isNat() {
        return !replySrc().equals(origDst()) || !replyDst().equals(origSrc())
                || (!isIcmp() && (replySport() != origDport() || replyDport() != origSport()));
    }

    boolean involvesLoopback() {
        return origSrc().isLoopbackAddress() || origDst().isLoopbackAddress();
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
        return proto + " " + orig + " / " + reply;
    }
}
