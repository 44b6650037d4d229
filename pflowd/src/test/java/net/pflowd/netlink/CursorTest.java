package net.pflowd.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The message and attribute walk on hand-laid bytes (x86-64 host order, as the kernel writes them). */
class CursorTest {
    private static ByteBuffer host(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Message type 0x10 with a 4-byte family header, a u32 attribute 1 and a nest 2 holding attribute 3 (2 bytes). */
    private static final String MESSAGE = ""
            + "28000000100002000500000000000000" // nlmsghdr: len 40, type 0x10, flags MULTI, seq 5
            + "02000000" // family header
            + "080001000a000001" // attribute 1: 10.0.0.1
            + "0c000280" // attribute 2, NESTED, len 12
            + "0600030001bb0000"; //   attribute 3: 443, padded
    private static final String DONE = "14000000030002000500000000000000" + "00000000";

    @Test
    void walksMessagesAttributesAndNests() {
        ByteBuffer b = host(MESSAGE + DONE);
        MessageCursor m = new MessageCursor().over(b, 0, b.capacity());
        AttributeCursor a = new AttributeCursor(), nest = new AttributeCursor();
        List<String> seen = new ArrayList<>();
        int[] done = {0};
        ReplyHandler h = new ReplyHandler() {
            @Override
            public void done(int seq) {
                done[0] = seq;
            }

            @Override
            public void malformed(String why) {
                seen.add("malformed " + why);
            }
        };
        while (m.next()) {
            if (m.control(h)) {
                continue;
            }
            assertThat(m.type()).isEqualTo(0x10);
            assertThat(m.seq()).isEqualTo(5);
            assertThat(m.attributes(4, a)).isTrue();
            while (a.next()) {
                if (a.type() == 1) {
                    seen.add("addr " + Long.toHexString(a.be32()));
                } else if (a.type() == 2) {
                    nest.into(a);
                    while (nest.next()) {
                        seen.add("port " + nest.be16() + " of " + nest.payloadLength());
                    }
                    assertThat(nest.malformed()).isFalse();
                }
            }
            assertThat(a.malformed()).isFalse();
        }
        assertThat(m.problem()).isNull();
        assertThat(m.trailingBytes()).isZero();
        assertThat(seen).containsExactly("addr a000001", "port 443 of 2");
        assertThat(done[0]).isEqualTo(5);
    }

    /**
     * The same bytes in a heap buffer (read through its array), a direct buffer (through its accessors) and a
     * heap slice at an array offset, in host and in network order: the same numbers each time.
     */
    @Test
    void heapDirectAndSlicedBuffersReadAlike() {
        byte[] bytes = HexFormat.of().parseHex("00" + MESSAGE.replace("080001000a000001",
                "0c0001000a000001fffefdfc")); // attribute 1 now also carries 4 bytes read as be32 and hostInt
        bytes[0 + 1] = 44; // nlmsg_len: the message grew by 4 bytes
        List<String> readings = new ArrayList<>();
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            ByteBuffer heap = ByteBuffer.wrap(bytes, 1, bytes.length - 1).slice().order(order);
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length - 1).order(order);
            direct.put(0, bytes, 1, bytes.length - 1);
            List<String> forOrder = new ArrayList<>();
            for (ByteBuffer b : List.of(heap, direct)) {
                MessageCursor m = new MessageCursor().over(b, 0, b.capacity());
                AttributeCursor a = new AttributeCursor(), nest = new AttributeCursor();
                StringBuilder r = new StringBuilder();
                while (m.next()) {
                    r.append("len ").append(m.length()).append(" type ").append(m.type()).append(" seq ").append(m.seq());
                    if (m.attributes(4, a)) {
                        while (a.next()) {
                            r.append(" | attr ").append(a.type()).append('/').append(a.length());
                            if (a.type() == 1) {
                                r.append(" be32 ").append(Long.toHexString(a.be32())).append(" u8 ").append(a.u8())
                                        .append(" host ").append(Integer.toHexString(a.hostInt()))
                                        .append(" be64 ").append(Long.toHexString(a.be64(0)));
                            } else {
                                nest.into(a);
                                while (nest.next()) {
                                    r.append(" nested ").append(nest.type()).append(' ').append(nest.be16());
                                }
                            }
                        }
                    }
                }
                r.append(m.problem() == null ? "" : "problem " + m.problem());
                forOrder.add(r.toString());
            }
            assertThat(forOrder.get(0)).as(order.toString()).isEqualTo(forOrder.get(1));
            readings.add(forOrder.get(0));
        }
        // In host order, the message as laid out; in network order its header reads as a length no datagram holds.
        assertThat(readings.get(0)).isEqualTo("len 44 type 16 seq 5 | attr 1/12 be32 a000001 u8 10 host 100000a"
                + " be64 a000001fffefdfc | attr 2/12 nested 3 443");
        assertThat(readings.get(1)).isEqualTo("problem nlmsg_len 738197504 outside the 44 bytes left in the datagram");
    }

    /**
     * Every read at every offset against the buffer's own accessors (host order: the buffer's; network order: a
     * big-endian view), in both orders, heap (sliced, so at an array offset) and direct.
     */
    @Test
    void hostBytesReadsAsTheBufferWould() {
        byte[] bytes = new byte[40];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (0x81 + 37 * i); // high bits set in most bytes: sign extension would show
        }
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            ByteBuffer heap = ByteBuffer.wrap(bytes, 3, 37).slice().order(order);
            ByteBuffer direct = ByteBuffer.allocateDirect(37).order(order);
            direct.put(0, bytes, 3, 37);
            for (ByteBuffer b : List.of(heap, direct)) {
                HostBytes h = new HostBytes();
                h.of(b);
                ByteBuffer network = b.duplicate().order(ByteOrder.BIG_ENDIAN);
                for (int at = 0; at + 8 <= 37; at++) {
                    String where = order + (b.isDirect() ? " direct" : " heap") + " at " + at;
                    assertThat(h.u8(at)).as(where).isEqualTo(b.get(at) & 0xff);
                    assertThat(h.s16(at)).as(where).isEqualTo(b.getShort(at));
                    assertThat(h.s32(at)).as(where).isEqualTo(b.getInt(at));
                    assertThat(h.be16(at)).as(where).isEqualTo(network.getShort(at) & 0xffff);
                    assertThat(h.be32(at)).as(where).isEqualTo(network.getInt(at));
                    assertThat(h.be64(at)).as(where).isEqualTo(network.getLong(at));
                }
            }
        }
    }

    @Test
    void anAttributeLongerThanItsRegionStopsTheWalkAndSaysWhich() {
        ByteBuffer b = host(MESSAGE.replace("0c000280", "10000280")); // the nest claims 16 of the 12 bytes left
        MessageCursor m = new MessageCursor().over(b, 0, b.capacity());
        AttributeCursor a = new AttributeCursor();
        assertThat(m.next()).isTrue();
        m.attributes(4, a);
        assertThat(a.next()).isTrue();
        assertThat(a.next()).isFalse();
        assertThat(a.malformed()).isTrue();
        assertThat(a.type()).isEqualTo(2);
        assertThat(a.length()).isEqualTo(16);
    }

    @Test
    void aMessageLongerThanTheDatagramIsAProblemAndEndsTheWalk() {
        ByteBuffer b = host(MESSAGE.substring(0, 60));
        MessageCursor m = new MessageCursor().over(b, 0, b.capacity());
        assertThat(m.next()).isFalse();
        assertThat(m.problem()).isEqualTo("nlmsg_len 40 outside the 30 bytes left in the datagram");
    }

    @Test
    void aNetworkOrderBufferIsReadThroughAHostOrderView() {
        ByteBuffer b = host(MESSAGE + "0000").order(ByteOrder.BIG_ENDIAN);
        MessageCursor m = new MessageCursor().over(b, b.capacity());
        assertThat(m.next()).isTrue();
        assertThat(m.length()).isEqualTo(40);
        assertThat(m.next()).isFalse();
        assertThat(m.trailingBytes()).isEqualTo(2);
        assertThat(b.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
    }
}
