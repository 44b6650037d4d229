package net.pflowd.testutil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads a classic pcap file (tcpdump -w: microsecond or nanosecond magic, either byte order): its records
 * ({@link #read}), or the UDP datagrams in them ({@link #udpDatagrams}) for the link types the tests capture on:
 * raw IP (pflowN, a TUN: LINKTYPE_RAW 101, or DLT_RAW 12 on some systems) and Ethernet (a veth, eth0: 1).
 */
public final class Pcap {
    /** LINKTYPE_ETHERNET: each record is an Ethernet frame (what tcpdump writes for a veth). */
    public static final int LINKTYPE_ETHERNET = 1;
    /** DLT_RAW as some systems number it. */
    public static final int DLT_RAW = 12;
    /** LINKTYPE_RAW: each record is a bare IPv4/IPv6 packet (what tcpdump writes for a TUN). */
    public static final int LINKTYPE_RAW = 101;

    private Pcap() {
    }

    /**
     * One captured packet: the link type of the file, the original length, the captured bytes and when the
     * kernel saw it (epoch nanoseconds, CLOCK_REALTIME, microsecond or nanosecond precision as the file has it).
     */
    public record Record(int linkType, int originalLength, byte[] data, long epochNanos) {
    }

    /**
     * One captured UDP datagram: addresses, ports and payload. Equal when all of these are; toString abbreviates
     * the payload (length, first bytes, CRC-32) so that a list comparison stays readable.
     */
    public record Datagram(String src, int srcPort, String dst, int dstPort, String payloadHex) {
        public int length() {
            return payloadHex.length() / 2;
        }

        public byte[] payload() {
            return HexFormat.of().parseHex(payloadHex);
        }

        /** The first two bytes: the version of a NetFlow v5 / v9 or IPFIX message. */
        public int exportVersion() {
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

    /**
     * The records of a file that tcpdump may still be writing: a record header not yet written whole at the end
     * is left for the next read.
     */
    public static List<Record> read(Path file) throws IOException {
        try {
            return read(Files.readAllBytes(file), false);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The records of a whole pcap file; a file that is not pcap, or a cut record, is an error, never a skip. */
    public static List<Record> read(byte[] file) {
        return read(file, true);
    }

    private static List<Record> read(byte[] file, boolean whole) {
        ByteBuffer b = ByteBuffer.wrap(file);
        if (b.remaining() < 24) {
            throw new IllegalArgumentException("pcap file of " + file.length + " bytes: no global header");
        }
        int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            throw new IllegalArgumentException(String.format("not a pcap file (magic %08x)", magic));
        }
        boolean nanos = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
        int linkType = b.getInt(20);
        b.position(24);
        List<Record> out = new ArrayList<>();
        while (whole ? b.hasRemaining() : b.remaining() >= 16) {
            int n = out.size() + 1;
            if (b.remaining() < 16) {
                throw new IllegalArgumentException("packet " + n + ": truncated record header");
            }
            long seconds = b.getInt() & 0xffffffffL;
            long fraction = b.getInt() & 0xffffffffL; // ts_usec, or ts_nsec with the nanosecond magic
            int incl = b.getInt();
            int orig = b.getInt();
            if (incl < 0 || incl > b.remaining()) {
                throw new IllegalArgumentException("packet " + n + ": captured " + incl + " of " + orig
                        + " bytes, " + b.remaining() + " left in the file");
            }
            byte[] data = new byte[incl];
            b.get(data);
            out.add(new Record(linkType, orig, data, seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000)));
        }
        return out;
    }

    /**
     * Writes {@code payloads} as a pcap file of raw IPv4 packets (LINKTYPE_RAW), each one UDP datagram from
     * 127.0.0.1:{@code dstPort} to 127.0.0.1:{@code dstPort}, checksums zero (none, for UDP over IPv4): what
     * tshark needs to dissect bytes the tests hold.
     */
    public static void writeUdp(Path file, int dstPort, List<byte[]> payloads) throws IOException {
        int size = 24;
        for (byte[] p : payloads) {
            size += 16 + 28 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535)
                .putInt(LINKTYPE_RAW);
        for (byte[] p : payloads) {
            int length = 28 + p.length;
            b.putInt(0).putInt(0).putInt(length).putInt(length);
            b.put((byte) 0x45).put((byte) 0).putShort((short) length).putInt(0).put((byte) 64).put((byte) 17)
                    .putShort((short) 0).putInt(0x7f000001).putInt(0x7f000001);
            b.putShort((short) dstPort).putShort((short) dstPort).putShort((short) (8 + p.length)).putShort((short) 0);
            b.put(p);
        }
        Files.write(file, b.array());
    }

    /**
     * The UDP datagrams of a pcap file, in order. Every packet must be captured whole (incl_len == orig_len) and
     * be IPv4 or IPv6 + UDP; anything else fails, naming the packet, rather than being skipped.
     */
    public static List<Datagram> udpDatagrams(byte[] file) {
        List<Datagram> out = new ArrayList<>();
        int n = 0;
        for (Record r : read(file)) {
            n++;
            if (r.data().length != r.originalLength()) {
                throw new IllegalArgumentException("packet " + n + ": captured " + r.data().length + " of "
                        + r.originalLength() + " bytes");
            }
            out.add(udp(n, ipPacket(n, r.linkType(), r.data())));
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
