package net.pflowd.source.conntrack;

import java.io.IOException;
import java.nio.file.Path;
import net.pflowd.linux.NfConntrackCommon;

/**
 * The full timeout conntrack gives an entry after each packet, by protocol and state, from the
 * net.netfilter.nf_conntrack_*_timeout sysctls (read in the source's namespace). Every packet resets an
 * entry's timer to this value, so {@code full - remaining} is the time since its last packet.
 */
public final class ProtocolTimeouts {
    /*
     * enum tcp_conntrack (linux/netfilter/nf_conntrack_tcp.h) { TCP_CONNTRACK_NONE, SYN_SENT, SYN_RECV,
     *   ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE, LISTEN (= SYN_SENT2), ... };
     * the sysctl name of each state's timeout, by state number; null where there is none.
     */
    private static final String[] TCP_STATE_SYSCTL = {
        null, "tcp_timeout_syn_sent", "tcp_timeout_syn_recv", "tcp_timeout_established",
        "tcp_timeout_fin_wait", "tcp_timeout_close_wait", "tcp_timeout_last_ack",
        "tcp_timeout_time_wait", "tcp_timeout_close", "tcp_timeout_syn_sent",
    };

    final long[] tcp = new long[TCP_STATE_SYSCTL.length];
    long udp = 30, udpStream = 120, icmp = 30, icmpv6 = 30, generic = 600;

    /** Kernel defaults, for tests and when /proc/sys cannot be read. */
    public ProtocolTimeouts() {
        long[] defaults = {-1, 120, 60, 432000, 120, 60, 30, 120, 10, 120};
        System.arraycopy(defaults, 0, tcp, 0, tcp.length);
    }

    /** Reads the sysctls of the calling thread's network namespace; missing ones keep their default. */
    public static ProtocolTimeouts read() {
        ProtocolTimeouts t = new ProtocolTimeouts();
        for (int i = 0; i < TCP_STATE_SYSCTL.length; i++) {
            if (TCP_STATE_SYSCTL[i] != null) {
                t.tcp[i] = sysctl("nf_conntrack_" + TCP_STATE_SYSCTL[i], t.tcp[i]);
            }
        }
        t.udp = sysctl("nf_conntrack_udp_timeout", t.udp);
        t.udpStream = sysctl("nf_conntrack_udp_timeout_stream", t.udpStream);
        t.icmp = sysctl("nf_conntrack_icmp_timeout", t.icmp);
        t.icmpv6 = sysctl("nf_conntrack_icmpv6_timeout", t.icmpv6);
        t.generic = sysctl("nf_conntrack_generic_timeout", t.generic);
        return t;
    }

    private static long sysctl(String name, long dflt) {
        try {
            return Long.parseLong(readProc(Path.of("/proc/sys/net/netfilter", name)));
        } catch (IOException | NumberFormatException e) {
            return dflt;
        }
    }

    /**
     * Reads a /proc file. Not Files.readString: /proc files report size 0 and sysctl handlers answer a
     * read positioned past 0 with nothing, so a reader that probes with one byte first sees "1" for 120.
     */
    static String readProc(Path p) throws IOException {
        try (java.io.FileInputStream in = new java.io.FileInputStream(p.toFile())) {
            byte[] b = new byte[4096];
            int n = in.read(b);
            return n <= 0 ? "" : new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII).trim();
        }
    }

    /** The timeout the entry's last packet set, in seconds; -1 when it cannot be known (e.g. TCP without state). */
    public long fullSeconds(CtEntry e) {
        switch (e.state.protocol) {
            case 6:
                return e.tcpState >= 0 && e.tcpState < tcp.length ? tcp[e.tcpState] : -1;
            case 17:
            case 136: // UDP-Lite follows UDP
                return (e.status & NfConntrackCommon.IPS_ASSURED) != 0 ? udpStream : udp;
            case 1:
                return icmp;
            case 58:
                return icmpv6;
            default:
                return generic;
        }
    }

    /**
     * Best estimate of the last packet's time. The kernel reports when the entry was removed ({@code
     * stopMillis}) and how many seconds it still had ({@code remainingSeconds}, 0 when it expired); its
     * last packet reset the timer to {@code fullSeconds}, so that packet came {@code full - remaining}
     * seconds before the removal. Without a known full timeout, or when the result is not plausible
     * (a custom timeout policy longer than the sysctl), the removal time is used. Never before the start,
     * never after the removal; second granularity, as the kernel's timeout.
     */
    public static long lastPacketMillis(long startMillis, long stopMillis, long fullSeconds, long remainingSeconds) {
        long end = stopMillis;
        if (fullSeconds >= 0 && remainingSeconds >= 0 && remainingSeconds <= fullSeconds) {
            end = stopMillis - (fullSeconds - remainingSeconds) * 1000L;
        }
        if (end > stopMillis) {
            end = stopMillis;
        }
        if (end < startMillis) {
            end = startMillis;
        }
        return end;
    }
}
