package net.pflowd.netlink;

import java.nio.ByteBuffer;
import net.pflowd.linux.Netlink;

/**
 * Walks netlink attributes ({@code struct nlattr}, and rtnetlink's {@code struct rtattr} of the same layout) in
 * place: those of a message, or those nested in an attribute. Each attribute's length is checked against the
 * bytes left in its enclosing region; NLA_F_NESTED and NLA_F_NET_BYTEORDER are masked off the type. Reused,
 * allocates nothing: a parser keeps one cursor per nesting level and {@link #into} the next one.
 *
 * <p>Headers are in host byte order; payloads are read big-endian (network order: addresses, ports, ctnetlink's
 * numbers) or host order (rtnetlink's numbers) as the protocol defines them.
 *
 * <pre>
 * while (attrs.next()) { switch (attrs.type()) { ... attrs.be32() ... inner.into(attrs) ... } }
 * if (attrs.malformed()) ... attrs.type(), attrs.length() ...
 * </pre>
 */
public final class AttributeCursor {
    private final HostBytes b = new HostBytes();
    private int next, end;
    private int type, length, payload;
    private boolean malformed;

    /** Starts at the attributes between {@code start} and {@code end} of {@code b} (host byte order). */
    public AttributeCursor over(ByteBuffer b, int start, int end) {
        this.b.of(b);
        return at(start, end);
    }

    /** Starts at the attributes between {@code start} and {@code end} of a message cursor's buffer. */
    AttributeCursor over(HostBytes bytes, int start, int end) {
        b.of(bytes);
        return at(start, end);
    }

    /** Starts at the attributes nested in {@code outer}'s current attribute. */
    public AttributeCursor into(AttributeCursor outer) {
        b.of(outer.b);
        return at(outer.payload, outer.payload + outer.payloadLength());
    }

    private AttributeCursor at(int start, int end) {
        this.next = start;
        this.end = end;
        type = length = payload = 0;
        malformed = false;
        return this;
    }

    /**
     * Moves to the next attribute. False at the end, or when an attribute's length is shorter than its header or
     * longer than what is left: then {@link #malformed()} is true and {@link #type()} and {@link #length()} are
     * the lying attribute's.
     */
    public boolean next() {
        if (end - next < Netlink.NLATTR_SIZE) {
            return false;
        }
        length = b.s16(next) & 0xffff;
        type = b.s16(next + 2) & Netlink.NLA_TYPE_MASK;
        if (length < Netlink.NLATTR_SIZE || length > end - next) {
            malformed = true;
            next = end;
            return false;
        }
        payload = next + Netlink.NLATTR_SIZE;
        next += Netlink.align(length);
        return true;
    }

    /** True when the walk stopped at an attribute whose length lies. */
    public boolean malformed() {
        return malformed;
    }

    /** The attribute type, flags masked off. */
    public int type() {
        return type;
    }

    /** nla_len: the attribute's length, header included. */
    public int length() {
        return length;
    }

    /** Where the payload begins in {@link #buffer()}. */
    public int payloadOffset() {
        return payload;
    }

    public int payloadLength() {
        return length - Netlink.NLATTR_SIZE;
    }

    public ByteBuffer buffer() {
        return b.buffer();
    }

    /** The payload's first byte, unsigned. */
    public int u8() {
        return b.u8(payload);
    }

    /** The payload's first two bytes, big-endian, unsigned. */
    public int be16() {
        return b.be16(payload);
    }

    /** The payload's first four bytes, big-endian, unsigned. */
    public long be32() {
        return b.be32(payload) & 0xffffffffL;
    }

    /** Eight bytes at {@code at} into the payload, big-endian. */
    public long be64(int at) {
        return b.be64(payload + at);
    }

    /** The payload's first four bytes in host order. */
    public int hostInt() {
        return b.s32(payload);
    }
}
