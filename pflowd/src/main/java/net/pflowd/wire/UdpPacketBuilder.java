package net.pflowd.wire;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import net.pflowd.linux.In;

/**
 * Builds the complete IP + UDP packet of an exported datagram, for the copy written to pflowN so that
 * {@code tcpdump -i pflowN} shows exactly what went to the collector.
 *
 * <p>IPv4: IHL 5, TOS 0, DF, TTL 64, protocol 17, an identification counter (one per builder), header
 * checksum. IPv6: traffic class 0, flow label 0, next header 17, hop limit 64. The UDP checksum covers
 * the pseudo-header (RFC 768 / RFC 8200 8.1); a computed 0 is sent as 0xffff (mandatory for IPv6).
 *
 * <p>Not thread-safe (the identification counter): use one per interface under its lock.
 */
public final class UdpPacketBuilder {
    public static final int IPV4_HEADER_LENGTH = 20;
    public static final int IPV6_HEADER_LENGTH = 40;
    public static final int UDP_HEADER_LENGTH = 8;
    private static final int TTL = 64;

    private final boolean ipv6;
    private final byte[] src;
    private final byte[] dst;
    private final int srcPort;
    private final int dstPort;
    private int identification;

    /**
     * @throws IllegalArgumentException when the addresses are of different families or unresolved
     */
    public UdpPacketBuilder(InetSocketAddress source, InetSocketAddress destination, int firstIdentification) {
        if (source.getAddress() == null || destination.getAddress() == null) {
            throw new IllegalArgumentException("unresolved address: " + source + " > " + destination);
        }
        this.src = source.getAddress().getAddress();
        this.dst = destination.getAddress().getAddress();
        if (src.length != dst.length) {
            throw new IllegalArgumentException("address families differ: " + source + " > " + destination);
        }
        this.ipv6 = destination.getAddress() instanceof Inet6Address;
        this.srcPort = source.getPort();
        this.dstPort = destination.getPort();
        this.identification = firstIdentification & 0xffff;
    }

    public UdpPacketBuilder(InetSocketAddress source, InetSocketAddress destination) {
        this(source, destination, 0);
    }

    /** IP + UDP header length: 28 for IPv4, 48 for IPv6. */
    public int headerLength() {
        return ipUdpLength(ipv6);
    }

    /** IP + UDP header length towards a destination of the given family: 28 (IPv4) or 48 (IPv6). */
    public static int ipUdpLength(boolean ipv6) {
        return (ipv6 ? IPV6_HEADER_LENGTH : IPV4_HEADER_LENGTH) + UDP_HEADER_LENGTH;
    }

    /** The identification the next IPv4 packet will carry. */
    public int nextIdentification() {
        return identification;
    }

    /**
     * Writes the packet carrying {@code payload}'s remaining bytes at {@code out}'s position, advancing
     * it by {@link #headerLength()} + payload length. {@code payload}'s position is not changed.
     *
     * @return the packet length
     * @throws java.nio.BufferOverflowException when {@code out} has too little room (nothing usable written)
     * @throws IllegalArgumentException when the payload does not fit one IP packet
     */
    public int build(ByteBuffer payload, ByteBuffer out) {
        int payloadLength = payload.remaining();
        int udpLength = UDP_HEADER_LENGTH + payloadLength;
        int total = headerLength() + payloadLength;
        if (udpLength > 0xffff || (!ipv6 && total > 0xffff)) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes does not fit one UDP packet");
        }
        if (out.remaining() < total) {
            throw new java.nio.BufferOverflowException();
        }
        int ip = out.position();
        int udp;
        if (ipv6) {
            out.putInt(6 << 28).putShort((short) udpLength).put((byte) In.IPPROTO_UDP).put((byte) TTL)
                    .put(src).put(dst);
            udp = ip + IPV6_HEADER_LENGTH;
        } else {
            out.put((byte) 0x45).put((byte) 0).putShort((short) total)
                    .putShort((short) identification).putShort((short) 0x4000) // DF, offset 0
                    .put((byte) TTL).put((byte) In.IPPROTO_UDP).putShort((short) 0)
                    .put(src).put(dst);
            identification = (identification + 1) & 0xffff;
            udp = ip + IPV4_HEADER_LENGTH;
            out.putShort(ip + 10, (short) InternetChecksum.of(out, ip, udp));
        }
        out.putShort((short) srcPort).putShort((short) dstPort).putShort((short) udpLength).putShort((short) 0);
        int data = out.position();
        out.put(payload.duplicate());

        // Pseudo-header: addresses, protocol, UDP length (the IPv6 form sums to the same words).
        long sum = 0;
        sum = addBytes(sum, src);
        sum = addBytes(sum, dst);
        sum += In.IPPROTO_UDP + udpLength;
        sum = InternetChecksum.add(sum, out, udp, data + payloadLength);
        int c = InternetChecksum.finish(sum);
        out.putShort(udp + 6, (short) (c == 0 ? 0xffff : c));
        return total;
    }

    private static long addBytes(long sum, byte[] a) {
        for (int i = 0; i < a.length; i += 2) {
            sum += ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
        }
        return sum;
    }
}
