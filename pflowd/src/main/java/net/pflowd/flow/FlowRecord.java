package net.pflowd.flow;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * One one-way flow record, the unit every export format carries: the traffic of one direction of one
 * connection, as pflow(4) sends two of them per pf state.
 *
 * <p>Mutable and primitive on purpose: the export path fills one instance per record and encodes it
 * straight into a datagram, so nothing is allocated per record. Addresses are held as big-endian 64-bit
 * halves: an IPv4 address is the low 32 bits of {@code *Lo} with {@code *Hi} zero; an IPv6 address is
 * {@code Hi} (bytes 0..7) and {@code Lo} (bytes 8..15).
 */
public final class FlowRecord {
    public static final int IPV4 = 4;
    public static final int IPV6 = 6;

    /** {@link #IPV4} or {@link #IPV6}; the post-NAT addresses have the same family. */
    public int family = IPV4;
    public long srcHi, srcLo, dstHi, dstLo;
    public int srcPort, dstPort;
    /** IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...). */
    public int protocol;
    /** IPv4 TOS / IPv6 traffic class octet. */
    public int tos;
    /** Cumulative OR of TCP flags; 0 where unknown (pflow always sends 0). */
    public int tcpFlags;
    /** Packets and octets of this direction; unsigned 64-bit. */
    public long packets, bytes;
    /** First and last packet of the flow, milliseconds since the Unix epoch. */
    public long startMillis, endMillis;
    /** Input and output interface index (SNMP ifIndex); 0 where unknown. */
    public int inputIf, outputIf;

    /** True when the connection was translated: the post-NAT fields below are then meaningful. */
    public boolean nat;
    public long postSrcHi, postSrcLo, postDstHi, postDstLo;
    public int postSrcPort, postDstPort;

    public FlowRecord clear() {
        family = IPV4;
        srcHi = srcLo = dstHi = dstLo = 0;
        srcPort = dstPort = protocol = tos = tcpFlags = 0;
        packets = bytes = startMillis = endMillis = 0;
        inputIf = outputIf = 0;
        nat = false;
        postSrcHi = postSrcLo = postDstHi = postDstLo = 0;
        postSrcPort = postDstPort = 0;
        return this;
    }

    public FlowRecord copyFrom(FlowRecord o) {
        family = o.family;
        srcHi = o.srcHi; srcLo = o.srcLo; dstHi = o.dstHi; dstLo = o.dstLo;
        srcPort = o.srcPort; dstPort = o.dstPort;
        protocol = o.protocol; tos = o.tos; tcpFlags = o.tcpFlags;
        packets = o.packets; bytes = o.bytes;
        startMillis = o.startMillis; endMillis = o.endMillis;
        inputIf = o.inputIf; outputIf = o.outputIf;
        nat = o.nat;
        postSrcHi = o.postSrcHi; postSrcLo = o.postSrcLo; postDstHi = o.postDstHi; postDstLo = o.postDstLo;
        postSrcPort = o.postSrcPort; postDstPort = o.postDstPort;
        return this;
    }

    public FlowRecord copy() {
        return new FlowRecord().copyFrom(this);
    }

    public boolean isIpv6() {
        return family == IPV6;
    }

    // ---- convenience for sources, decoders and tests (not used on the encode hot path) ----

    public FlowRecord src(InetAddress a) {
        long[] hl = halves(a);
        family = a instanceof Inet6Address ? IPV6 : IPV4;
        srcHi = hl[0]; srcLo = hl[1];
        return this;
    }

    public FlowRecord dst(InetAddress a) {
        long[] hl = halves(a);
        dstHi = hl[0]; dstLo = hl[1];
        return this;
    }

    public FlowRecord postSrc(InetAddress a) {
        long[] hl = halves(a);
        postSrcHi = hl[0]; postSrcLo = hl[1];
        return this;
    }

    public FlowRecord postDst(InetAddress a) {
        long[] hl = halves(a);
        postDstHi = hl[0]; postDstLo = hl[1];
        return this;
    }

    public InetAddress src() { return address(family, srcHi, srcLo); }
    public InetAddress dst() { return address(family, dstHi, dstLo); }
    public InetAddress postSrc() { return address(family, postSrcHi, postSrcLo); }
    public InetAddress postDst() { return address(family, postDstHi, postDstLo); }

    /** Splits an address into the {hi, lo} halves this class stores. */
    public static long[] halves(InetAddress a) {
        byte[] b = a.getAddress();
        ByteBuffer bb = ByteBuffer.wrap(b);
        if (b.length == 4) {
            return new long[] {0, bb.getInt() & 0xffffffffL};
        }
        return new long[] {bb.getLong(), bb.getLong()};
    }

    /** Rebuilds an address from the halves this class stores. */
    public static InetAddress address(int family, long hi, long lo) {
        try {
            if (family == IPV6) {
                return Inet6Address.getByAddress(
                        ByteBuffer.allocate(16).putLong(hi).putLong(lo).array());
            }
            return Inet4Address.getByAddress(ByteBuffer.allocate(4).putInt((int) lo).array());
        } catch (UnknownHostException e) {
            throw new AssertionError("fixed-length address rejected", e);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(src().getHostAddress()).append(':').append(srcPort)
                .append(" > ").append(dst().getHostAddress()).append(':').append(dstPort)
                .append(" proto ").append(protocol).append(" tos ").append(tos)
                .append(" pkts ").append(Long.toUnsignedString(packets))
                .append(" bytes ").append(Long.toUnsignedString(bytes))
                .append(" start ").append(startMillis).append(" end ").append(endMillis);
        if (nat) {
            sb.append(" nat ").append(postSrc().getHostAddress()).append(':').append(postSrcPort)
                    .append(" > ").append(postDst().getHostAddress()).append(':').append(postDstPort);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowRecord)) {
            return false;
        }
        FlowRecord r = (FlowRecord) o;
        return family == r.family && srcHi == r.srcHi && srcLo == r.srcLo && dstHi == r.dstHi
                && dstLo == r.dstLo && srcPort == r.srcPort && dstPort == r.dstPort
                && protocol == r.protocol && tos == r.tos && tcpFlags == r.tcpFlags
                && packets == r.packets && bytes == r.bytes && startMillis == r.startMillis
                && endMillis == r.endMillis && inputIf == r.inputIf && outputIf == r.outputIf
                && nat == r.nat && postSrcHi == r.postSrcHi && postSrcLo == r.postSrcLo
                && postDstHi == r.postDstHi && postDstLo == r.postDstLo
                && postSrcPort == r.postSrcPort && postDstPort == r.postDstPort;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(family, srcLo, dstLo, srcPort, dstPort, protocol, packets, bytes, startMillis);
    }
}
