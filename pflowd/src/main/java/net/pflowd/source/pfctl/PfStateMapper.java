package net.pflowd.source.pfctl;

import java.util.function.ToIntFunction;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowState;
import net.pflowd.linux.In;
import net.pflowd.linux.LibC;

/**
 * Turns a parsed pf state into a {@link FlowState}: original tuple as the initiator sent it, reply
 * tuple as the responder sends it (translated addresses, conntrack's convention), counters per
 * direction.
 *
 * <h2>How pfctl prints a state, and what that means</h2>
 * A pf state has two keys: the <em>wire</em> key (addresses as on the network interface) and the
 * <em>stack</em> key (addresses as the local stack / the inside sees them); they differ only when a
 * translation rule matched. In each key {@code addr[1]} is the local-side host and {@code addr[0]}
 * the far-side host (pf stores the packet's source at index 0 for inbound packets, 1 for outbound).
 * {@code print_state()} prints {@code addr[1]}, the arrow, then {@code addr[0]}, each from the key
 * the creating packet had <em>after</em> translation, followed by {@code " (x)"} with the other key's
 * value when they differ:
 * <ul>
 * <li>{@code ->} (created by an outbound packet, which travels stack to wire): plain = wire key,
 *     parenthesised = stack key. Left = initiator, right = responder.</li>
 * <li>{@code <-} (created by an inbound packet, wire to stack): plain = stack key, parenthesised =
 *     wire key. Left = responder, right = initiator.</li>
 * </ul>
 * In both cases the parenthesised host is the host as the creating packet carried it before
 * translation, the plain host the one after. Hence one rule for both arrows:
 * <pre>
 *   orig  = initiator(before) -&gt; responder(before)      as the initiator sent it
 *   reply = responder(after)  -&gt; initiator(after)       as the responder sends its answers
 * </pre>
 * where (before) is the parenthesised host if printed and the plain one otherwise, and (after) is
 * always the plain one. Examples (the first two are real captures, see the test fixtures):
 * <pre>
 * nat-to   all icmp 10.0.2.15:25608 (10.30.50.3:3782) -&gt; 144.76.222.201:25608
 *          orig  10.30.50.3      -&gt; 144.76.222.201         (internal client pings the server)
 *          reply 144.76.222.201  -&gt; 10.0.2.15              (server answers the NAT address): SNAT
 * rdr-to   all tcp 192.168.20.98:443 (192.168.1.202:443) &lt;- 178.213.45.35:55192
 *          orig  178.213.45.35:55192 -&gt; 192.168.1.202:443  (client connects to the public address)
 *          reply 192.168.20.98:443   -&gt; 178.213.45.35:55192 (the real server answers): DNAT
 * none     all tcp 10.30.50.1:18550 -&gt; 10.30.50.3:22
 *          orig  10.30.50.1:18550 -&gt; 10.30.50.3:22, reply its mirror image: {@link FlowState#isNat()} false
 * </pre>
 * The legacy three-host form ({@code lan -> gwy -> ext}, {@code lan <- gwy <- ext}; macOS) is stored
 * by the parser in the same plain/parenthesised shape, so the same rule applies.
 *
 * <h2>Counters</h2>
 * pfctl's {@code P0:P1 pkts, B0:B1 bytes} are indexed by direction relative to the creating packet:
 * index 0 is initiator to responder, whatever the arrow. They map to {@code orig*} and {@code reply*}.
 *
 * <h2>ICMP</h2>
 * The "ports" pfctl prints for ICMP are the query id (FreeBSD, macOS: on both sides) or the id and a
 * virtual type (OpenBSD), never a reliable type/code. pf keeps state only for ICMP queries, and all
 * but a negligible share of those are echo: the original direction is given as echo request (ICMP
 * 8/0, ICMPv6 128/0) and the reply as echo reply (0/0, 129/0), as {@code type << 8 | code} in the
 * destination port with source port 0 in each tuple (the {@link FlowState} convention). An ICMP state
 * is NAT when its addresses were translated; a rewritten query id alone does not count.
 *
 * <h2>Interfaces</h2>
 * pfctl prints a name, not an index: the interface a state is bound to, {@code all} for a floating state (the
 * default), and with {@code -vv} on FreeBSD 13.1+ the interface the state was created on ({@code origif:}).
 * {@link #fillInterfaces} takes the bound name, else origif, and looks it up on this host: an index only
 * where such an interface exists here (pfctl run locally, or a listing from a host with the same names), 0
 * otherwise. The state's creating packet crossed that interface: inbound ({@code <-}) it is where the
 * initiator's packets enter, {@code inputIf}; outbound ({@code ->}) where they leave, {@code outputIf}. The
 * other side is not in the listing and stays 0.
 *
 * <h2>Not representable</h2>
 * af-to (NAT64/NAT46) states print hosts of both address families; a {@link FlowRecord} has one
 * family for its pre- and post-NAT fields, so {@link #fill} rejects them. pfctl shows no TOS: it stays 0, as do
 * the TCP flags.
 */
public final class PfStateMapper {
    private PfStateMapper() {
    }

    public static final int ICMP_ECHO_REQUEST = 8;
    public static final int ICMP_ECHO_REPLY = 0;
    public static final int ICMP6_ECHO_REQUEST = 128;
    public static final int ICMP6_ECHO_REPLY = 129;

    /** This host's index of an interface name: if_nametoindex(3), 0 when there is no such interface. */
    public static int localInterfaceIndex(String name) {
        return LibC.INSTANCE.if_nametoindex(name);
    }

    /**
     * The interface the listing names for {@code st}: the one it is bound to, else FreeBSD's {@code origif};
     * null for a floating state without origif.
     */
    static String interfaceName(PfState st) {
        if (!st.ifname().equalsIgnoreCase("all")) {
            return st.ifname();
        }
        return st.origIf();
    }

    /**
     * Sets {@code out.inputIf} (inbound state) or {@code out.outputIf} (outbound) to {@code ifindex} of the
     * interface the listing names, the other to 0; both 0 when it names none (see the class comment).
     */
    public static void fillInterfaces(PfState st, ToIntFunction<String> ifindex, FlowState out) {
        String name = interfaceName(st);
        int index = name == null || name.isEmpty() ? 0 : Math.max(0, ifindex.applyAsInt(name));
        out.inputIf = st.outbound() ? 0 : index;
        out.outputIf = st.outbound() ? index : 0;
    }

    /**
     * Fills {@code out} from {@code st} with the given times.
     *
     * @return false (and {@code out} unspecified) when the state mixes address families (af-to)
     */
    public static boolean fill(PfState st, long startMillis, long endMillis, FlowState out) {
        if (st.mixedFamily()) {
            return false;
        }
        out.clear();
        out.protocol = st.protocol();
        PfState.Host iBefore = st.initiatorOrig(), rBefore = st.responderOrig();
        PfState.Host iAfter = st.initiator(), rAfter = st.responder();
        out.orig(iBefore.address(), iBefore.port(), rBefore.address(), rBefore.port());
        out.reply(rAfter.address(), rAfter.port(), iAfter.address(), iAfter.port());
        if (out.isIcmp()) {
            boolean v6 = out.protocol == In.IPPROTO_ICMPV6;
            out.origSrcPort = 0;
            out.origDstPort = (v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO_REQUEST) << 8;
            out.replySrcPort = 0;
            out.replyDstPort = (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHO_REPLY) << 8;
        }
        out.origPackets = st.origPackets();
        out.origBytes = st.origBytes();
        out.replyPackets = st.replyPackets();
        out.replyBytes = st.replyBytes();
        out.startMillis = startMillis;
        out.endMillis = endMillis;
        return true;
    }
}
