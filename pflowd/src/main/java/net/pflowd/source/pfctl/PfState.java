package net.pflowd.source.pfctl;

import java.net.InetAddress;
import java.util.List;

/**
 * One pf state as {@code pfctl -s states [-v[v]]} prints it, parsed but not interpreted.
 *
 * <p>The hosts are kept in pfctl's printing order: {@code left} is printed first and is the
 * initiator when the arrow is {@code ->} (state created by an outbound packet) and the responder
 * when it is {@code <-} (inbound). {@code leftOrig}/{@code rightOrig} hold the host printed in
 * parentheses after it, present only when a translation changed it: the plain value is the address
 * after translation, the parenthesised one the address before (see {@link PfStateMapper}). Legacy
 * three-host lines ({@code lan -> gwy -> ext}) are stored in the same shape.
 *
 * @param ifname         interface the state is bound to, {@code all} (or {@code ALL}) when floating
 * @param protoName      protocol as printed ({@code tcp}, {@code ipv6-icmp}, {@code 47} ...)
 * @param protocol       IP protocol number
 * @param outbound       true for {@code ->}, false for {@code <-}
 * @param endpoints      line 1 up to the state pair (interface, protocol, hosts, arrow), verbatim
 * @param peerStates     the per-peer state pair, e.g. {@code ESTABLISHED:ESTABLISHED}, {@code 0:0}
 * @param ageSeconds     {@code age}, -1 without {@code -v}
 * @param expiresSeconds {@code expires in}, -1 when absent
 * @param hasCounters    true when line 3 ({@code -v}) was present: the counters below are real
 * @param origPackets    packets initiator to responder (pfctl's first {@code pkts} number)
 * @param replyPackets   packets responder to initiator
 * @param origBytes      bytes initiator to responder; unsigned 64-bit
 * @param replyBytes     bytes responder to initiator; unsigned 64-bit
 * @param anchor         {@code anchor N}, -1 when absent
 * @param rule           {@code rule N}, -1 when absent
 * @param flags          the remaining line-3 items verbatim ({@code pflow}, {@code sloppy}, {@code set-tos 0x10} ...)
 * @param id             {@code id:} (16 hex digits, opaque), null without {@code -vv}
 * @param creatorId      {@code creatorid:} (8 hex digits), null without {@code -vv}
 * @param idExtra        what follows the creator id on line 4 (FreeBSD {@code gateway:}/{@code reply-to:} ...), or ""
 * @param origIf         FreeBSD's {@code origif:}, null when absent
 */
public record PfState(
        String ifname, String protoName, int protocol, boolean outbound,
        Host left, Host leftOrig, Host right, Host rightOrig,
        String endpoints, String peerStates,
        long ageSeconds, long expiresSeconds,
        boolean hasCounters, long origPackets, long replyPackets, long origBytes, long replyBytes,
        int anchor, int rule, List<String> flags,
        String id, String creatorId, String idExtra, String origIf) {

    /** A printed host: numeric address, port (0 when pfctl printed none) and OpenBSD routing domain. */
    public record Host(InetAddress address, int port, int rdomain) {
        @Override
        public String toString() {
            String a = address.getHostAddress();
            return address.getAddress().length == 16 ? a + "[" + port + "]" : a + ":" + port;
        }
    }

    public boolean hasFlag(String flag) {
        return flags.contains(flag);
    }

    /** True when pf marked the state for export by pflow(4) ({@code pflow} on line 3, OpenBSD, FreeBSD 14.1+). */
    public boolean pflow() {
        return hasFlag("pflow");
    }

    /** The host that sent the packet that created the state, as printed outside the parentheses. */
    public Host initiator() {
        return outbound ? left : right;
    }

    public Host responder() {
        return outbound ? right : left;
    }

    /** The initiator as it sent its packet: before any translation. */
    public Host initiatorOrig() {
        Host h = outbound ? leftOrig : rightOrig;
        return h != null ? h : initiator();
    }

    /** The responder as the initiator addressed it: before any translation. */
    public Host responderOrig() {
        Host h = outbound ? rightOrig : leftOrig;
        return h != null ? h : responder();
    }

    /** True when any printed host is in another address family than the others (af-to, NAT64). */
    public boolean mixedFamily() {
        int f = left.address.getAddress().length;
        return right.address.getAddress().length != f
                || (leftOrig != null && leftOrig.address.getAddress().length != f)
                || (rightOrig != null && rightOrig.address.getAddress().length != f);
    }

    /**
     * The identity pfctl gives the state: {@code id/creatorid} with {@code -vv}, otherwise the interface
     * and the printed endpoints (unique per state in one listing, but not across id reuse).
     */
    public String key() {
        return id != null ? id + "/" + creatorId : endpoints;
    }
}
