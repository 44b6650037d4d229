package net.pflowd.export;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.pflowd.flow.FlowRecord;

/**
 * A tiny test-local reader of the fixed layouts the engine sends (not the project's decoder): header
 * fields, the one set/flowset, and the records of the four known templates.
 */
final class Datagram {
    int version, length, count;
    long sysUptime, secs, nsecs, sequence, domain;
    int engineType, engineId;
    /** Set / flowset id (IPFIX 2 = templates, v9 0 = templates), -1 for v5. */
    int setId = -1;
    int setLength;
    /** Template ids announced in a template set. */
    final List<Integer> templateIds = new ArrayList<>();
    final List<FlowRecord> records = new ArrayList<>();
    /** v5/v9 record times as sysUptime ms. */
    final List<long[]> uptimes = new ArrayList<>();

    static Datagram parse(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        Datagram d = new Datagram();
        d.length = bytes.length;
        d.version = b.getShort() & 0xffff;
        switch (d.version) {
            case 5: {
                d.count = b.getShort() & 0xffff;
                d.sysUptime = b.getInt() & 0xffffffffL;
                d.secs = b.getInt() & 0xffffffffL;
                d.nsecs = b.getInt() & 0xffffffffL;
                d.sequence = b.getInt() & 0xffffffffL;
                d.engineType = b.get() & 0xff;
                d.engineId = b.get() & 0xff;
                b.getShort();
                for (int i = 0; i < d.count; i++) {
                    FlowRecord r = new FlowRecord();
                    r.srcLo = b.getInt() & 0xffffffffL;
                    r.dstLo = b.getInt() & 0xffffffffL;
                    b.getInt();
                    r.inputIf = b.getShort() & 0xffff;
                    r.outputIf = b.getShort() & 0xffff;
                    r.packets = b.getInt() & 0xffffffffL;
                    r.bytes = b.getInt() & 0xffffffffL;
                    d.uptimes.add(new long[] {b.getInt() & 0xffffffffL, b.getInt() & 0xffffffffL});
                    r.srcPort = b.getShort() & 0xffff;
                    r.dstPort = b.getShort() & 0xffff;
                    b.get();
                    r.tcpFlags = b.get() & 0xff;
                    r.protocol = b.get() & 0xff;
                    r.tos = b.get() & 0xff;
                    b.getLong();
                    d.records.add(r);
                }
                break;
            }
            case 10: {
                d.length = b.getShort() & 0xffff;
                d.secs = b.getInt() & 0xffffffffL;
                d.sequence = b.getInt() & 0xffffffffL;
                d.domain = b.getInt() & 0xffffffffL;
                readSets(d, b, true);
                break;
            }
            case 9: {
                d.count = b.getShort() & 0xffff;
                d.sysUptime = b.getInt() & 0xffffffffL;
                d.secs = b.getInt() & 0xffffffffL;
                d.sequence = b.getInt() & 0xffffffffL;
                d.domain = b.getInt() & 0xffffffffL;
                readSets(d, b, false);
                break;
            }
            default:
                throw new AssertionError("version " + d.version);
        }
        if (b.hasRemaining()) {
            throw new AssertionError(b.remaining() + " bytes after the last record");
        }
        return d;
    }

    private static void readSets(Datagram d, ByteBuffer b, boolean ipfix) {
        d.setId = b.getShort() & 0xffff;
        d.setLength = b.getShort() & 0xffff;
        int end = b.position() - 4 + d.setLength;
        if (d.setId == (ipfix ? 2 : 0)) {
            while (b.position() < end) {
                d.templateIds.add(b.getShort() & 0xffff);
                int n = b.getShort() & 0xffff;
                b.position(b.position() + 4 * n);
            }
            return;
        }
        int recLen = (ipfix ? new int[] {54, 78, 66, 114} : new int[] {46, 70, 58, 106})[d.setId - 256];
        while (end - b.position() >= recLen) {
            FlowRecord r = new FlowRecord();
            boolean v6 = d.setId == 257 || d.setId == 259;
            r.family = v6 ? FlowRecord.IPV6 : FlowRecord.IPV4;
            if (v6) {
                r.srcHi = b.getLong(); r.srcLo = b.getLong(); r.dstHi = b.getLong(); r.dstLo = b.getLong();
            } else {
                r.srcLo = b.getInt() & 0xffffffffL; r.dstLo = b.getInt() & 0xffffffffL;
            }
            r.inputIf = b.getInt();
            r.outputIf = b.getInt();
            r.packets = b.getLong();
            r.bytes = b.getLong();
            if (ipfix) {
                r.startMillis = b.getLong();
                r.endMillis = b.getLong();
            } else {
                d.uptimes.add(new long[] {b.getInt() & 0xffffffffL, b.getInt() & 0xffffffffL});
            }
            r.srcPort = b.getShort() & 0xffff;
            r.dstPort = b.getShort() & 0xffff;
            r.tos = b.get() & 0xff;
            r.protocol = b.get() & 0xff;
            if (d.setId >= 258) {
                r.nat = true;
                if (v6) {
                    r.postSrcHi = b.getLong(); r.postSrcLo = b.getLong(); r.postDstHi = b.getLong(); r.postDstLo = b.getLong();
                } else {
                    r.postSrcLo = b.getInt() & 0xffffffffL; r.postDstLo = b.getInt() & 0xffffffffL;
                }
                r.postSrcPort = b.getShort() & 0xffff;
                r.postDstPort = b.getShort() & 0xffff;
            }
            d.records.add(r);
        }
        while (b.position() < end) {
            if (b.get() != 0) {
                throw new AssertionError("non-zero padding");
            }
        }
    }

    boolean isTemplate() {
        return (version == 10 && setId == 2) || (version == 9 && setId == 0);
    }
}
