package net.pflowd.testutil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a classic pcap file (microsecond or nanosecond magic, either byte order). */
public final class Pcap {
    /** LINKTYPE_RAW: each record is a bare IPv4/IPv6 packet (what tcpdump writes for a TUN). */
    public static final int LINKTYPE_RAW = 101;

    private Pcap() {
    }

    /** LINKTYPE_ETHERNET: each record is an Ethernet frame (what tcpdump writes for a veth). */
    public static final int LINKTYPE_ETHERNET = 1;

    /**
     * One captured packet: the link type of the file, the original length, the captured bytes and when the
     * kernel saw it (epoch nanoseconds, CLOCK_REALTIME, microsecond or nanosecond precision as the file has it).
     */
    public record Record(int linkType, int originalLength, byte[] data, long epochNanos) {
    }

    public static List<Record> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() < 24) {
            throw new IOException(file + ": too short for a pcap header (" + b.remaining() + " bytes)");
        }
        int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            throw new IOException(file + ": not a pcap file (magic 0x" + Integer.toHexString(magic) + ")");
        }
        boolean nanos = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
        int linkType = b.getInt(20);
        b.position(24);
        List<Record> out = new ArrayList<>();
        while (b.remaining() >= 16) {
            long seconds = b.getInt() & 0xffffffffL;
            long fraction = b.getInt() & 0xffffffffL; // ts_usec, or ts_nsec with the nanosecond magic
            int incl = b.getInt();
            int orig = b.getInt();
            if (incl < 0 || incl > b.remaining()) {
                throw new IOException(file + ": truncated record " + out.size());
            }
            byte[] data = new byte[incl];
            b.get(data);
            out.add(new Record(linkType, orig, data, seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000)));
        }
        return out;
    }
}
