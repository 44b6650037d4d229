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
