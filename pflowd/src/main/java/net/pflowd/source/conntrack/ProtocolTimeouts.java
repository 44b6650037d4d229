package net.pflowd.source.conntrack;

import java.io.IOException;
import java.nio.file.Path;
import net.pflowd.linux.In;
import net.pflowd.linux.NfConntrackCommon;

/**
 * The timeout conntrack gives an entry after each packet, by protocol and state, from the
 * net.netfilter.nf_conntrack_*_timeout sysctls (read in the source's namespace), and from it the time of an
 * entry's last packet, which no ctnetlink message carries.
 *
 * <p>What the derivation relies on (net/netfilter, Linux 5.x to 6.18):
 * <ul>
 * <li>Every packet sets the entry's timer to the full timeout of the state it leaves the entry in
 *     ({@code nf_ct_refresh_acct}), so {@code full - remaining} is the time since the last packet.
 * <li>{@code ctnetlink_dump_timeout} reports the seconds left rounded down ({@code nf_ct_expires(ct) / HZ}) and,
 *     in a DESTROY event, leaves a zero out ({@code skip_zero}): an event without CTA_TIMEOUT is an entry that
 *     expired (or was deleted with less than a second left).
 * <li>{@code nf_ct_delete} sets CTA_TIMESTAMP_STOP to the time of deletion, moved back to the moment the timeout
 *     ran out when the entry had expired before the garbage collector found it: for an expired entry the stop
 *     time is exactly one full timeout after its last packet, however late the collector came.
 * </ul>
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
    /**
     * The shorter timeout tcp_packet() gives instead of a longer state timeout while data is unacknowledged or
     * after too many retransmissions (tcp_timeout_unacknowledged, tcp_timeout_max_retrans; 300 s by default).
     */
    long tcpUnacknowledged = 300, tcpMaxRetrans = 300;
    long udp = 30, udpStream = 120, icmp = 30, icmpv6 = 30, gre = 30, greStream = 180, generic = 600;

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
        t.tcpUnacknowledged = sysctl("nf_conntrack_tcp_timeout_unacknowledged", t.tcpUnacknowledged);
        t.tcpMaxRetrans = sysctl("nf_conntrack_tcp_timeout_max_retrans", t.tcpMaxRetrans);
        t.udp = sysctl("nf_conntrack_udp_timeout", t.udp);
        t.udpStream = sysctl("nf_conntrack_udp_timeout_stream", t.udpStream);
        t.icmp = sysctl("nf_conntrack_icmp_timeout", t.icmp);
        t.icmpv6 = sysctl("nf_conntrack_icmpv6_timeout", t.icmpv6);
        t.gre = sysctl("nf_conntrack_gre_timeout", t.gre);
        t.greStream = sysctl("nf_conntrack_gre_timeout_stream", t.greStream);
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

    /**
     * The timeout the entry's last packet set, in seconds; -1 when it cannot be known (TCP without a state,
     * SCTP and DCCP, whose state pflowd does not read).
     */
    public long fullSeconds(CtEntry e) {
        boolean assured = (e.status & NfConntrackCommon.IPS_ASSURED) != 0;
        switch (e.state.protocol) {
            case In.IPPROTO_TCP:
                return e.tcpState >= 0 && e.tcpState < tcp.length ? tcp[e.tcpState] : -1;
            case In.IPPROTO_UDP:
            case In.IPPROTO_UDPLITE:
                // udp_packet(): a reply seen and the entry older than 2 s gives the stream timeout and sets
                // ASSURED at once, so ASSURED tells which timeout the last packet set.
                return assured ? udpStream : udp;
            case In.IPPROTO_ICMP:
                return icmp;
            case In.IPPROTO_ICMPV6:
                return icmpv6;
            case In.IPPROTO_GRE:
                return assured ? greStream : gre; // gre_packet(): the first reply sets both
            case In.IPPROTO_SCTP:
            case In.IPPROTO_DCCP:
                return -1;
            default:
                return generic;
        }
    }

    /**
     * The time of the entry's last packet, ms since the epoch.
     *
     * @param e           the entry as an event or a dump row described it
     * @param atMillis    when the entry was seen: the stop timestamp of a DESTROY event (its receive time
     *                    without timestamps), the receive time of a dump row
     * @param destroyed   a DESTROY event, where a missing CTA_TIMEOUT means no time was left
     * @param notBefore   the earliest the result may be (the connection's start, or the start of the interval
     *                    a record covers); 0 for none
     */
    public long lastPacketMillis(CtEntry e, long atMillis, boolean destroyed, long notBefore) {
        long full = fullSeconds(e);
        long end = atMillis;
        if (full >= 0 && (e.hasTimeout || destroyed)) {
            long remaining = e.hasTimeout ? e.timeoutSeconds : 0;
            end = lastPacketMillis(atMillis, full, remaining, e.hasTimeout);
            if (e.state.protocol == In.IPPROTO_TCP && (remaining > full || end < notBefore)) {
                // tcp_packet() gave the shorter timeout instead of the state's (unacknowledged data, too many
                // retransmissions, a zero window): the state's long timeout puts the packet before the
                // connection began, or cannot have left this much.
                long shorter = Math.min(tcpUnacknowledged, tcpMaxRetrans);
                if (shorter < full && remaining <= shorter) {
                    end = lastPacketMillis(atMillis, shorter, remaining, e.hasTimeout);
                }
            }
        }
        return Math.max(Math.min(end, atMillis), notBefore);
    }

    /**
     * The last packet came {@code full - remaining} seconds before {@code atMillis}. A reported remainder is
     * rounded down by the kernel, so the packet lies in the second after {@code atMillis - (full - remaining)}:
     * its middle is taken, half a second at most from the truth. An absent remainder is exact (stop moved to
     * the expiry). A remainder longer than the full timeout (a custom timeout policy) gives the seen time.
     */
    static long lastPacketMillis(long atMillis, long fullSeconds, long remainingSeconds, boolean roundedDown) {
        if (remainingSeconds > fullSeconds) {
            return atMillis;
        }
        long end = atMillis - (fullSeconds - remainingSeconds) * 1000L;
        return roundedDown ? Math.min(end + 500, atMillis) : end;
    }
}
