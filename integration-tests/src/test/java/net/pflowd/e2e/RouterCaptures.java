package net.pflowd.e2e;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.pflowd.testutil.Pcap;

/**
 * The ground truth of a router: what tcpdump saw on its client-side and its server-side interface, turned into
 * connections and, per direction, the packets conntrack counts.
 *
 * <p>A forwarded packet crosses both interfaces; each direction is counted once, where it entered the router:
 * the original direction on the client side, the reply direction on the server side (where conntrack's
 * PREROUTING hook counts it, right after the capture tap). A connection the router itself opens towards the
 * server is counted where it leaves (original) and enters (reply) the server side. Whether a captured packet
 * entered or left an interface is told by its Ethernet source address: the router's own for what left.
 *
 * <p>NAT: the masquerade rewrites the source of the original direction leaving the server side. A connection's
 * client-side tuple is linked to its server-side tuple by identity, or else by its first packet, which crosses
 * both interfaces with the same destination, IPv4 identification and length within microseconds. The
 * server-side tuple is the translation the records' post-NAT fields must show.
 */
final class RouterCaptures {
    /** Two packets this close on both interfaces with the same identification are one packet forwarded. */
    private static final long FORWARDING_NANOS = 100_000_000L;

    /**
     * A packet's addresses and ports as on the wire. ICMP echo: the request's identifier is its source port, the
     * reply's its destination port, so that a reply's tuple reversed is its request's.
     */
    record Tuple(int family, int proto, InetAddress src, InetAddress dst, int sport, int dport) {
        Tuple reversed() {
            return new Tuple(family, proto, dst, src, dport, sport);
        }

        boolean isIcmp() {
            return proto == 1 || proto == 58;
        }

        @Override
        public String toString() {
            String p = switch (proto) {
                case 1 -> "icmp";
                case 6 -> "tcp";
                case 17 -> "udp";
                case 58 -> "icmpv6";
                default -> "proto " + proto;
            };
            return p + " " + src.getHostAddress() + (isIcmp() ? " id " + (sport | dport) : ":" + sport) + " > "
                    + dst.getHostAddress() + (isIcmp() ? "" : ":" + dport);
        }
    }

    /** One captured IP packet: when, its tuple, its IP length (what conntrack adds to bytes) and IPv4 id. */
    record Packet(long epochNanos, Tuple tuple, int ipLength, int ipId) {
        long epochMillis() {
            return Math.floorDiv(epochNanos, 1_000_000L);
        }
    }

    /** One conntrack entry as the wire shows it. */
    static final class Connection {
        /** The original direction as it entered the router (or left it, for a connection the router opened). */
        final Tuple original;
        /** The original direction as it left on the server side: differs from {@link #original} when NAT'd. */
        final Tuple translated;
        /** Opened by the router itself: its original direction has no input interface. */
        final boolean fromRouter;
        /** Original-direction packets where they entered the router (left it when {@link #fromRouter}). */
        final List<Packet> originalPackets;
        /** Reply-direction packets where they entered the router (the server side). */
        final List<Packet> replyPackets;

        Connection(Tuple original, Tuple translated, boolean fromRouter, List<Packet> originalPackets,
                List<Packet> replyPackets) {
            this.original = original;
            this.translated = translated;
            this.fromRouter = fromRouter;
            this.originalPackets = originalPackets;
            this.replyPackets = replyPackets;
        }

        boolean isNat() {
            return translated != null && !translated.equals(original);
        }

        @Override
        public String toString() {
            return original + (isNat() ? " (as " + translated + ")" : "") + (fromRouter ? " from the router" : "");
        }
    }

    final List<Connection> connections = new ArrayList<>();
    /** Packets that fit no connection and that conntrack would track: each one is a failure of the oracle. */
    final List<String> unexplained = new ArrayList<>();
    /** Packets conntrack never tracks (ARP, neighbour discovery, MLD), counted for the report. */
    int ignored;

    /**
     * @param clientSide capture of the router's client-side interface (both directions)
     * @param clientSideMac that interface's Ethernet address
     * @param serverSide capture of the router's server-side interface (both directions)
     * @param serverSideMac that interface's Ethernet address
     */
    RouterCaptures(List<Pcap.Record> clientSide, byte[] clientSideMac, List<Pcap.Record> serverSide,
            byte[] serverSideMac) {
        Map<Tuple, List<Packet>> clientIn = new LinkedHashMap<>(), clientOut = new LinkedHashMap<>();
        Map<Tuple, List<Packet>> serverIn = new LinkedHashMap<>(), serverOut = new LinkedHashMap<>();
        split(clientSide, clientSideMac, "client side", clientIn, clientOut);
        split(serverSide, serverSideMac, "server side", serverIn, serverOut);

        Set<Tuple> linked = new HashSet<>();
        for (Map.Entry<Tuple, List<Packet>> e : clientIn.entrySet()) {
            Tuple t = e.getKey();
            Tuple out = serverOut.containsKey(t) ? t : translationOf(t, e.getValue().get(0), serverOut, clientIn);
            if (out != null) {
                linked.add(out);
                // Each forwarded packet crossed both interfaces: a capture that lost one shows here.
                int through = serverOut.get(out).size(), back = clientOut.getOrDefault(t.reversed(), List.of()).size(),
                        replies = serverIn.getOrDefault(out.reversed(), List.of()).size();
                if (through != e.getValue().size() || back != replies) {
                    unexplained.add(t + ": " + e.getValue().size() + " packets in on the client side, " + through
                            + " out on the server side; " + replies + " in on the server side, " + back
                            + " out on the client side");
                }
            }
            List<Packet> reply = out == null ? List.of() : serverIn.getOrDefault(out.reversed(), List.of());
            connections.add(new Connection(t, out, false, e.getValue(), reply));
        }
        for (Map.Entry<Tuple, List<Packet>> e : serverOut.entrySet()) {
            if (!linked.contains(e.getKey())) { // left on the server side without having entered on the client side
                linked.add(e.getKey());
                connections.add(new Connection(e.getKey(), e.getKey(), true, e.getValue(),
                        serverIn.getOrDefault(e.getKey().reversed(), List.of())));
            }
        }
        for (Map.Entry<Tuple, List<Packet>> e : serverIn.entrySet()) {
            if (!linked.contains(e.getKey().reversed())) {
                unexplained.add("server side: " + e.getValue().size() + " packets " + e.getKey()
                        + " answer no connection");
            }
        }
        for (Map.Entry<Tuple, List<Packet>> e : clientOut.entrySet()) {
            Tuple request = e.getKey().reversed();
            if (!clientIn.containsKey(request)) {
                unexplained.add("client side: " + e.getValue().size() + " packets " + e.getKey()
                        + " left towards the client without a connection from it");
            }
        }
    }

    /** The one server-side tuple whose first packet is {@code first} forwarded (and translated); null if none. */
    private Tuple translationOf(Tuple t, Packet first, Map<Tuple, List<Packet>> serverOut,
            Map<Tuple, List<Packet>> clientIn) {
        List<Tuple> found = new ArrayList<>();
        for (Map.Entry<Tuple, List<Packet>> e : serverOut.entrySet()) {
            Tuple s = e.getKey();
            Packet p = e.getValue().get(0);
            if (!clientIn.containsKey(s) && s.family == t.family && s.proto == t.proto && s.dst.equals(t.dst)
                    && (t.isIcmp() || s.dport == t.dport) && p.ipId == first.ipId && p.ipLength == first.ipLength
                    && Math.abs(p.epochNanos - first.epochNanos) < FORWARDING_NANOS) {
                found.add(s);
            }
        }
        if (found.size() > 1) {
            unexplained.add(t + ": its first packet left the server side as any of " + found);
            return null;
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private void split(List<Pcap.Record> capture, byte[] ownMac, String side, Map<Tuple, List<Packet>> in,
            Map<Tuple, List<Packet>> out) {
        int index = 0;
        for (Pcap.Record r : capture) {
            index++;
            if (r.linkType() != Pcap.LINKTYPE_ETHERNET) {
                throw new IllegalArgumentException(side + ": link type " + r.linkType() + ", expected Ethernet");
            }
            byte[] f = r.data();
            boolean egress = Arrays.equals(f, 6, 12, ownMac, 0, 6);
            int etherType = ((f[12] & 0xff) << 8) | (f[13] & 0xff);
            Packet p;
            try {
                p = switch (etherType) {
                    case 0x0800 -> ipv4(ByteBuffer.wrap(f, 14, f.length - 14).slice(), r.epochNanos());
                    case 0x86dd -> ipv6(ByteBuffer.wrap(f, 14, f.length - 14).slice(), r.epochNanos());
                    default -> null; // ARP
                };
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            if (p == null) {
                ignored++;
                continue;
            }
            if (p.tuple.proto != 6 && p.tuple.proto != 17 && !p.tuple.isIcmp()) {
                unexplained.add(side + " packet " + index + ": " + p.tuple);
                continue;
            }
            (egress ? out : in).computeIfAbsent(p.tuple, k -> new ArrayList<>()).add(p);
        }
    }

    /** IPv4: TCP, UDP and ICMP echo; null for multicast; an unexpected ICMP type becomes its own tuple. */
    private static Packet ipv4(ByteBuffer b, long nanos) throws UnknownHostException {
        int ihl = (b.get(0) & 0x0f) * 4;
        int length = b.getShort(2) & 0xffff;
        int id = b.getShort(4) & 0xffff;
        if ((b.getShort(6) & 0x1fff) != 0) {
            throw new IllegalStateException("IPv4 fragment in the capture: the oracle does not reassemble");
        }
        int proto = b.get(9) & 0xff;
        byte[] a = new byte[4];
        b.get(12, a);
        InetAddress src = InetAddress.getByAddress(a);
        b.get(16, a);
        InetAddress dst = InetAddress.getByAddress(a);
        if (dst.isMulticastAddress()) {
            return null;
        }
        return new Packet(nanos, l4(4, proto, src, dst, b, ihl, 8, 0), length, id);
    }

    /** IPv6 without extension headers; null for neighbour discovery, MLD and other multicast. */
    private static Packet ipv6(ByteBuffer b, long nanos) throws UnknownHostException {
        int length = 40 + (b.getShort(4) & 0xffff);
        int next = b.get(6) & 0xff;
        byte[] a = new byte[16];
        b.get(8, a);
        InetAddress src = InetAddress.getByAddress(a);
        b.get(24, a);
        InetAddress dst = InetAddress.getByAddress(a);
        if (dst.isMulticastAddress() || next == 0 /* hop-by-hop: MLD */) {
            return null;
        }
        if (next == 58) {
            int type = b.get(40) & 0xff;
            if (type != 128 && type != 129) {
                return null; // neighbour discovery and the like, which conntrack does not track
            }
        }
        return new Packet(nanos, l4(6, next, src, dst, b, 40, 128, 129), length, 0);
    }

    private static Tuple l4(int family, int proto, InetAddress src, InetAddress dst, ByteBuffer b, int at,
            int echoRequest, int echoReply) {
        if (proto == 6 || proto == 17) {
            return new Tuple(family, proto, src, dst, b.getShort(at) & 0xffff, b.getShort(at + 2) & 0xffff);
        }
        if (proto == 1 || proto == 58) {
            int type = b.get(at) & 0xff;
            int id = b.getShort(at + 4) & 0xffff;
            if (type == echoRequest) {
                return new Tuple(family, proto, src, dst, id, 0);
            }
            if (type == echoReply) {
                return new Tuple(family, proto, src, dst, 0, id);
            }
            return new Tuple(family, 256 + type, src, dst, 0, 0); // no echo: reported as unexplained
        }
        return new Tuple(family, proto, src, dst, 0, 0);
    }
}
