package net.pflowd.it;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads the UDP datagrams out of a classic pcap file (tcpdump -w), for the link types the tests capture on:
 * raw IP (pflowN, a TUN: LINKTYPE_RAW 101, or DLT_RAW 12 on some systems) and Ethernet (eth0: 1).
 * Every packet must be captured whole (incl_len == orig_len) and be IPv4 or IPv6 + UDP; anything else fails,
 * naming the packet, rather than being skipped.
 */
final class Pcap {
    static final int LINKTYPE_ETHERNET = 1;
    static final int DLT_RAW = 12;
    static final int LINKTYPE_RAW = 101;

    private Pcap() {
    }

    /**
     * One captured UDP datagram: addresses, ports and payload. Equal when all of these are; toString abbreviates
     * the payload (length, first bytes, CRC-32) so that a list comparison stays readable.
     */
    record Datagram(String src, int srcPort, String dst, int dstPort, String payloadHex) {
        int length() {
            return payloadHex.length() / 2;
        }

        byte[] payload() {
            return HexFormat.of().parseHex(payloadHex);
        }

        /** The first two bytes: the version of a NetFlow v5 / v9 or IPFIX message. */
        int exportVersion() {
            byte[] p = payload();
            return p.length < 2 ? -1 : (p[0] & 0xff) << 8 | (p[1] & 0xff);
        }

        @Override
        public String toString() {
            CRC32 crc = new CRC32();
            crc.update(payload());
            return String.format("%s:%d > %s:%d %d bytes %s… crc32 %08x", src, srcPort, dst, dstPort, length(),
                    payloadHex.substring(0, Math.min(32, payloadHex.length())), crc.getValue());
        }
    }

    static List<Datagram> udpDatagrams(byte[] file) {
        if (file.length < 24) {
            throw new IllegalArgumentException("pcap file of " + file.length + " bytes: no global header");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                throw new IllegalArgumentException(String.format("not a pcap file (magic %08x)", b.getInt(0)));
            }
        }
        int linkType = b.getInt(20);
        List<Datagram> out = new ArrayList<>();
        int pos = 24;
        for (int n = 1; pos < file.length; n++) {
            if (pos + 16 > file.length) {
                throw new IllegalArgumentException("packet " + n + ": truncated record header");
            }
            int inclLen = b.getInt(pos + 8);
            int origLen = b.getInt(pos + 12);
            pos += 16;
            if (inclLen != origLen || pos + inclLen > file.length) {
                throw new IllegalArgumentException("packet " + n + ": captured " + inclLen + " of " + origLen
                        + " bytes");
            }
            byte[] frame = Arrays.copyOfRange(file, pos, pos + inclLen);
            pos += inclLen;
            out.add(udp(n, ipPacket(n, linkType, frame)));
        }
        return out;
    }

    private static ByteBuffer ipPacket(int n, int linkType, byte[] frame) {
        ByteBuffer f = ByteBuffer.wrap(frame);
        switch (linkType) {
            case LINKTYPE_RAW, DLT_RAW:
                return f;
            case LINKTYPE_ETHERNET:
                int etherType = f.getShort(12) & 0xffff;
                if (etherType != 0x0800 && etherType != 0x86dd) {
                    throw new IllegalArgumentException(String.format("packet %d: ethertype %04x, not IP", n, etherType));
                }
                return f.position(14).slice();
            default:
                throw new IllegalArgumentException("unsupported pcap link type " + linkType);
        }
    }

    private static Datagram udp(int n, ByteBuffer ip) {
        int version = (ip.get(0) & 0xff) >> 4;
        int udp;
        byte[] src;
        byte[] dst;
        int protocol;
        if (version == 4) {
            udp = (ip.get(0) & 0x0f) * 4;
            protocol = ip.get(9) & 0xff;
            src = bytes(ip, 12, 4);
            dst = bytes(ip, 16, 4);
        } else if (version == 6) {
            udp = 40;
            protocol = ip.get(6) & 0xff;
            src = bytes(ip, 8, 16);
            dst = bytes(ip, 24, 16);
        } else {
            throw new IllegalArgumentException("packet " + n + ": IP version " + version);
        }
        if (protocol != 17) {
            throw new IllegalArgumentException("packet " + n + ": protocol " + protocol + ", not UDP");
        }
        int udpLength = ip.getShort(udp + 4) & 0xffff;
        if (udpLength < 8 || udp + udpLength > ip.limit()) {
            throw new IllegalArgumentException("packet " + n + ": UDP length " + udpLength + " in a packet of "
                    + ip.limit() + " bytes");
        }
        return new Datagram(address(src), ip.getShort(udp) & 0xffff, address(dst), ip.getShort(udp + 2) & 0xffff,
                HexFormat.of().formatHex(bytes(ip, udp + 8, udpLength - 8)));
    }

    private static byte[] bytes(ByteBuffer b, int offset, int length) {
        byte[] a = new byte[length];
        b.get(offset, a);
        return a;
    }

    private static String address(byte[] a) {
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
