package net.pflowd.control;

import net.pflowd.config.InterfaceConfig;
import net.pflowd.config.FlowEndpoint;
import net.pflowd.text.OneLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders an {@link InterfaceStatus} exactly as OpenBSD's ifconfig(8) prints a pflow interface:
 *
 * <pre>
 * pflow0: flags=41&lt;UP,RUNNING&gt; mtu 1492
 * \tindex 7 priority 0 llprio 3
 * \tpflow: sender: 127.0.0.1 receiver: 127.0.0.1:9996 version: 5
 * \tgroups: pflow
 * </pre>
 *
 * Flags as printb() prints them: hex value, then the set names in angle brackets ({@code flags=0<>} when none).
 * The pflow line as pflow_status(): {@code sender: A[:P] } only with a flowsrc ({@code [A]} for IPv6), then
 * {@code receiver: A:P } or {@code receiver: INVALID:INVALID } without flowdst, then {@code version: N}.
 * The verbose view adds, after the pflow line, {@code \tpflow stats: flows N packets N bytes N errors N dropped N}
 * followed by any further counter the daemon reports, and a {@code \tpflow domain: N} line. A counter named
 * {@code GROUP.NAME} goes on a line of its own group instead, {@code \tpflow GROUP: NAME N ...} (the export
 * engine's details, the mirror, the state-table source). An interface the daemon keeps but cannot bring up yet
 * shows why on a {@code \tpflow waiting: REASON} line in the verbose view (never RUNNING meanwhile).
 */
public final class StatusFormat {
    /** ifconfig's default priority and llprio (IF_HDRPRIO_DEFAULT) for an interface nobody changed. */
    static final int PRIORITY = 0;
    static final int LLPRIO = 3;

    private StatusFormat() {
    }

    public static String format(InterfaceStatus s, boolean verbose) {
        InterfaceConfig c = s.config();
        StringBuilder sb = new StringBuilder();
        sb.append(c.name()).append(": flags=").append(Integer.toHexString(s.flags())).append('<');
        List<String> names = new ArrayList<>();
        if ((s.flags() & InterfaceStatus.IFF_UP) != 0) {
            names.add("UP");
        }
        if ((s.flags() & InterfaceStatus.IFF_RUNNING) != 0) {
            names.add("RUNNING");
        }
        sb.append(String.join(",", names)).append('>');
        if (s.mtu() != 0) {
            sb.append(" mtu ").append(s.mtu());
        }
        sb.append('\n');
        sb.append('\t');
        if (s.index() != 0) {
            sb.append("index ").append(s.index()).append(' ');
        }
        sb.append("priority ").append(PRIORITY).append(" llprio ").append(LLPRIO).append('\n');
        sb.append("\tpflow: ");
        FlowEndpoint src = c.flowsrc();
        if (src != null) {
            sb.append("sender: ").append(src).append(' ');
        }
        FlowEndpoint dst = c.flowdst();
        if (dst == null) {
            sb.append("receiver: INVALID:INVALID ");
        } else {
            sb.append("receiver: ").append(dst.isIPv6() ? "[" + dst.host() + "]" : dst.host()).append(':')
                    .append(dst.hasPort() ? Integer.toString(dst.port()) : "INVALID").append(' ');
        }
        sb.append("version: ").append(c.pflowproto()).append('\n');
        if (verbose) {
            if (s.waiting() != null) {
                sb.append("\tpflow waiting: ").append(OneLine.of(s.waiting())).append('\n');
            }
            sb.append("\tpflow domain: ").append(c.domain()).append('\n');
            sb.append("\tpflow stats:");
            for (String key : InterfaceStatus.STAT_KEYS) {
                sb.append(' ').append(key).append(' ').append(s.statistic(key));
            }
            Map<String, StringBuilder> groups = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, Long> e : s.statistics().entrySet()) {
                String key = e.getKey();
                if (InterfaceStatus.STAT_KEYS.contains(key)) {
                    continue;
                }
                int dot = key.indexOf('.');
                if (dot < 0) {
                    sb.append(' ').append(key).append(' ').append(e.getValue());
                } else {
                    groups.computeIfAbsent(key.substring(0, dot), g -> new StringBuilder())
                            .append(' ').append(key.substring(dot + 1)).append(' ').append(e.getValue());
                }
            }
            sb.append('\n');
            for (Map.Entry<String, StringBuilder> g : groups.entrySet()) {
                sb.append("\tpflow ").append(g.getKey()).append(':').append(g.getValue()).append('\n');
            }
        }
        sb.append("\tgroups: pflow\n");
        return sb.toString();
    }
}
