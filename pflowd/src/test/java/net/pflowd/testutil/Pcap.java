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

    /** One captured packet: the link type of the file, the original length and the captured bytes. */
    public record Record(int linkType, int originalLength, byte[] data) {
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
        int linkType = b.getInt(20);
        b.position(24);
        List<Record> out = new ArrayList<>();
        while (b.remaining() >= 16) {
            b.getInt(); // ts_sec
            b.getInt(); // ts_usec / ts_nsec
            int incl = b.getInt();
            int orig = b.getInt();
            if (incl < 0 || incl > b.remaining()) {
                throw new IOException(file + ": truncated record " + out.size());
            }
            byte[] data = new byte[incl];
            b.get(data);
            out.add(new Record(linkType, orig, data));
        }
        return out;
    }
}
