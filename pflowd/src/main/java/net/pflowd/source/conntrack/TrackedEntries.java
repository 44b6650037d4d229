package net.pflowd.source.conntrack;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import net.pflowd.flow.ExportProgress;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowState;

/**
 * The live entries {@link ConntrackTable} knows from dumps, in primitive arrays instead of an object graph per
 * entry (which cost ~480 bytes of heap: a FlowState, the entry, a HashMap node and a boxed key). A busy router
 * has 262,144 of them (the kernel's default table size) and each dump touches every one.
 *
 * <p>Each entry is 13 {@code long}s (104 bytes) in pages of {@value #PAGE} entries, kept dense: a removed entry's
 * place is taken by the last one. An open-addressing {@code int} index (linear probing, load at most one half,
 * backward-shift deletion) finds an entry by its key: 8 to 16 more bytes per entry. What does not fit the packed
 * form lives beside it, so that every value is kept exactly: IPv6 addresses (and any address that is not a plain
 * IPv4 one) in an arena of 8 longs per entry, and the counters of an entry that passed 2^40 bytes or 2^24 packets
 * in a direction in a map of its own (a few elephants).
 *
 * <p>Entries are addressed by their number, {@code 0 .. size() - 1}, valid until the next {@link #remove}. Not
 * thread-safe.
 */
final class TrackedEntries {
    // The longs of one entry.
    /** {@link ConntrackTable#key}. */
    private static final int KEY = 0;
    /** IPv4: original source << 32 | original destination; else the entry's slot in {@link #addresses}. */
    private static final int ORIG_ADDRESSES = 1;
    /** IPv4: reply source << 32 | reply destination. */
    private static final int REPLY_ADDRESSES = 2;
    /** The four ports, 16 bits each: original source, original destination, reply source, reply destination. */
    private static final int PORTS = 3;
    /** Counters at the last dump and counters exported, bytes << 24 | packets per direction (see WIDE). */
    private static final int LAST_ORIG = 4, LAST_REPLY = 5, EXPORTED_ORIG = 6, EXPORTED_REPLY = 7;
    /** The connection's start (CTA_TIMESTAMP_START), ms. */
    private static final int START = 8;
    /** Its last packet as derived at the last dump, ms. */
    private static final int LAST_PACKET = 9;
    /** Where its next record begins ({@link ExportProgress}), ms; 0 before the first export. */
    private static final int INTERVAL_START = 10;
    /** When it was last exported, or first seen: the active timeout counts from here, ms. */
    private static final int LAST_EXPORT = 11;
    /** Protocol, flags (below) and, in the high 32 bits, the number of the last dump that showed it. */
    private static final int META = 12;
    private static final int STRIDE = 13;

    private static final long IPV6 = 1L << 8, SELECTED = 1L << 9, WIDE_COUNTERS = 1L << 10,
            ARENA_ADDRESSES = 1L << 11, PENDING = 1L << 12, MAY_END_SILENTLY = 1L << 13;

    private static final int PAGE_SHIFT = 10;
    static final int PAGE = 1 << PAGE_SHIFT;
    private static final int COUNTER_BYTES_BITS = 40, COUNTER_PACKETS_BITS = 24;
    private static final long PACKETS_MASK = (1L << COUNTER_PACKETS_BITS) - 1;

    private long[][] pages = new long[0][];
    private int size;

    /** Entry number + 1 by slot; 0 is an empty slot. */
    private int[] index = new int[1024];
    private int mask = index.length - 1;

    /** Addresses that are not plain IPv4, 8 longs per slot: the halves of orig src, orig dst, reply src, reply dst. */
    private long[] addresses = new long[0];
    private int addressSlots;
    private int[] freeAddressSlots = new int[0];
    private int freeAddressCount;

    /** Counters of entries with WIDE_COUNTERS, by key: last orig packets, bytes, reply packets, bytes, then exported. */
    private final Map<Long, long[]> wideCounters = new HashMap<>();

    int size() {
        return size;
    }

    /** The entry of {@code key}, or -1. */
    int find(long key) {
        for (int slot = home(key); ; slot = (slot + 1) & mask) {
            int v = index[slot];
            if (v == 0) {
                return -1;
            }
            if (get(v - 1, KEY) == key) {
                return v - 1;
            }
        }
    }

    /** Adds an entry for {@code key} (not present), all else zero; returns its number. */
    int add(long key) {
        if ((size + 1) * 2 > index.length) {
            reindex(index.length * 2);
        }
        int e = size;
        if ((e >>> PAGE_SHIFT) == pages.length) {
            long[][] p = Arrays.copyOf(pages, pages.length + 1);
            p[pages.length] = new long[PAGE * STRIDE];
            pages = p;
        } else {
            Arrays.fill(pages[e >>> PAGE_SHIFT], (e & (PAGE - 1)) * STRIDE, ((e & (PAGE - 1)) + 1) * STRIDE, 0L);
        }
        size++;
        set(e, KEY, key);
        int slot = home(key);
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = e + 1;
        return e;
    }

    /** Removes entry {@code e}; the last entry takes its number. */
    void remove(int e) {
        long key = get(e, KEY);
        long meta = get(e, META);
        if ((meta & ARENA_ADDRESSES) != 0) {
            freeAddressSlot((int) get(e, ORIG_ADDRESSES));
        }
        if ((meta & WIDE_COUNTERS) != 0) {
            wideCounters.remove(key);
        }
        unindex(key);
        int last = size - 1;
        if (e != last) {
            int to = slotOf(get(last, KEY));
            index[to] = e + 1;
            System.arraycopy(pages[last >>> PAGE_SHIFT], (last & (PAGE - 1)) * STRIDE,
                    pages[e >>> PAGE_SHIFT], (e & (PAGE - 1)) * STRIDE, STRIDE);
        }
        size--;
        // Keep one empty page at most, so that a table shrinking after a flood gives its memory back.
        int needed = (size + PAGE - 1) >>> PAGE_SHIFT;
        if (pages.length > needed + 1) {
            pages = Arrays.copyOf(pages, needed + 1);
        }
    }

    long key(int e) {
        return get(e, KEY);
    }

    // ---------------------------------------------------------------- the connection as the last dump showed it

    /** Keeps {@code s}'s tuples, protocol, family, start and counters as the entry's last dumped state. */
    void storeState(int e, FlowState s) {
        long meta = get(e, META) & ~(0xffL | IPV6);
        meta |= (s.protocol & 0xff) | (s.family == FlowRecord.IPV6 ? IPV6 : 0);
        boolean plainV4 = s.family == FlowRecord.IPV4 && (s.origSrcHi | s.origDstHi | s.replySrcHi | s.replyDstHi) == 0
                && ((s.origSrcLo | s.origDstLo | s.replySrcLo | s.replyDstLo) >>> 32) == 0;
        if (plainV4) {
            if ((meta & ARENA_ADDRESSES) != 0) {
                freeAddressSlot((int) get(e, ORIG_ADDRESSES));
                meta &= ~ARENA_ADDRESSES;
            }
            set(e, ORIG_ADDRESSES, s.origSrcLo << 32 | s.origDstLo);
            set(e, REPLY_ADDRESSES, s.replySrcLo << 32 | s.replyDstLo);
        } else {
            int slot;
            if ((meta & ARENA_ADDRESSES) != 0) {
                slot = (int) get(e, ORIG_ADDRESSES);
            } else {
                slot = newAddressSlot();
                meta |= ARENA_ADDRESSES;
                set(e, ORIG_ADDRESSES, slot);
            }
            int a = slot * 8;
            addresses[a] = s.origSrcHi; addresses[a + 1] = s.origSrcLo;
            addresses[a + 2] = s.origDstHi; addresses[a + 3] = s.origDstLo;
            addresses[a + 4] = s.replySrcHi; addresses[a + 5] = s.replySrcLo;
            addresses[a + 6] = s.replyDstHi; addresses[a + 7] = s.replyDstLo;
        }
        // Ports are 16 bits on the wire (ICMP type << 8 | code too).
        set(e, PORTS, (long) (s.origSrcPort & 0xffff) << 48 | (long) (s.origDstPort & 0xffff) << 32
                | (long) (s.replySrcPort & 0xffff) << 16 | (s.replyDstPort & 0xffff));
        set(e, START, s.startMillis);
        set(e, META, meta);
        setCounters(e, 0, LAST_ORIG, s.origPackets, s.origBytes, s.replyPackets, s.replyBytes);
    }

    /**
     * Fills {@code s} with the entry's last dumped state. What conntrack rows never carry is left as the parser
     * leaves it: tos, end and interfaces 0.
     */
    FlowState loadState(int e, FlowState s) {
        s.clear();
        long meta = get(e, META);
        s.protocol = (int) (meta & 0xff);
        s.family = (meta & IPV6) != 0 ? FlowRecord.IPV6 : FlowRecord.IPV4;
        if ((meta & ARENA_ADDRESSES) != 0) {
            int a = (int) get(e, ORIG_ADDRESSES) * 8;
            s.origSrcHi = addresses[a]; s.origSrcLo = addresses[a + 1];
            s.origDstHi = addresses[a + 2]; s.origDstLo = addresses[a + 3];
            s.replySrcHi = addresses[a + 4]; s.replySrcLo = addresses[a + 5];
            s.replyDstHi = addresses[a + 6]; s.replyDstLo = addresses[a + 7];
        } else {
            long o = get(e, ORIG_ADDRESSES), r = get(e, REPLY_ADDRESSES);
            s.origSrcLo = o >>> 32; s.origDstLo = o & 0xffffffffL;
            s.replySrcLo = r >>> 32; s.replyDstLo = r & 0xffffffffL;
        }
        long ports = get(e, PORTS);
        s.origSrcPort = (int) (ports >>> 48) & 0xffff;
        s.origDstPort = (int) (ports >>> 32) & 0xffff;
        s.replySrcPort = (int) (ports >>> 16) & 0xffff;
        s.replyDstPort = (int) ports & 0xffff;
        s.startMillis = get(e, START);
        if ((meta & WIDE_COUNTERS) != 0) {
            long[] w = wideCounters.get(get(e, KEY));
            s.origPackets = w[0]; s.origBytes = w[1]; s.replyPackets = w[2]; s.replyBytes = w[3];
        } else {
            long o = get(e, LAST_ORIG), r = get(e, LAST_REPLY);
            s.origPackets = o & PACKETS_MASK; s.origBytes = o >>> COUNTER_PACKETS_BITS;
            s.replyPackets = r & PACKETS_MASK; s.replyBytes = r >>> COUNTER_PACKETS_BITS;
        }
        return s;
    }

    // ---------------------------------------------------------------- what was exported of it

    ExportProgress loadProgress(int e, ExportProgress p) {
        long interval = get(e, INTERVAL_START);
        if ((get(e, META) & WIDE_COUNTERS) != 0) {
            long[] w = wideCounters.get(get(e, KEY));
            return p.restore(w[4], w[5], w[6], w[7], interval);
        }
        long o = get(e, EXPORTED_ORIG), r = get(e, EXPORTED_REPLY);
        return p.restore(o & PACKETS_MASK, o >>> COUNTER_PACKETS_BITS, r & PACKETS_MASK, r >>> COUNTER_PACKETS_BITS,
                interval);
    }

    void storeProgress(int e, ExportProgress p) {
        set(e, INTERVAL_START, p.intervalStartMillis());
        setCounters(e, 4, EXPORTED_ORIG, p.exportedOrigPackets(), p.exportedOrigBytes(), p.exportedReplyPackets(),
                p.exportedReplyBytes());
    }

    /** Four counters at {@code field} (packed) or at {@code wideAt} of the entry's wide counters. */
    private void setCounters(int e, int wideAt, int field, long origPackets, long origBytes, long replyPackets,
            long replyBytes) {
        long meta = get(e, META);
        if ((meta & WIDE_COUNTERS) == 0 && fits(origPackets, origBytes) && fits(replyPackets, replyBytes)) {
            set(e, field, origBytes << COUNTER_PACKETS_BITS | origPackets);
            set(e, field + 1, replyBytes << COUNTER_PACKETS_BITS | replyPackets);
            return;
        }
        long key = get(e, KEY);
        long[] w = wideCounters.get(key);
        if (w == null) { // from now on this entry's counters live in the map: move the packed ones there
            w = new long[8];
            for (int i = 0; i < 4; i++) {
                long v = get(e, LAST_ORIG + i);
                w[i * 2] = v & PACKETS_MASK;
                w[i * 2 + 1] = v >>> COUNTER_PACKETS_BITS;
            }
            wideCounters.put(key, w);
            set(e, META, meta | WIDE_COUNTERS);
        }
        w[wideAt] = origPackets; w[wideAt + 1] = origBytes; w[wideAt + 2] = replyPackets; w[wideAt + 3] = replyBytes;
    }

    private static boolean fits(long packets, long bytes) {
        return (packets >>> COUNTER_PACKETS_BITS) == 0 && (bytes >>> COUNTER_BYTES_BITS) == 0;
    }

    /** Entries whose counters live in the map (for tests). */
    int wideEntries() {
        return wideCounters.size();
    }

    // ---------------------------------------------------------------- times and flags

    long lastPacketMillis(int e) {
        return get(e, LAST_PACKET);
    }

    void lastPacketMillis(int e, long millis) {
        set(e, LAST_PACKET, millis);
    }

    long lastExportMillis(int e) {
        return get(e, LAST_EXPORT);
    }

    void lastExportMillis(int e, long millis) {
        set(e, LAST_EXPORT, millis);
    }

    boolean selected(int e) {
        return flag(e, SELECTED);
    }

    void selected(int e, boolean on) {
        flag(e, SELECTED, on);
    }

    /** Missing from a complete dump, waiting for its event or its grace (its deadline is in the table's map). */
    boolean pending(int e) {
        return flag(e, PENDING);
    }

    void pending(int e, boolean on) {
        flag(e, PENDING, on);
    }

    /** Created before events were on: its end may come without an event, so only a dump can tell. */
    boolean mayEndSilently(int e) {
        return flag(e, MAY_END_SILENTLY);
    }

    void mayEndSilently(int e, boolean on) {
        flag(e, MAY_END_SILENTLY, on);
    }

    /** The number of the last dump that showed the entry. */
    int seenIn(int e) {
        return (int) (get(e, META) >>> 32);
    }

    void seenIn(int e, int dump) {
        set(e, META, (get(e, META) & 0xffffffffL) | (long) dump << 32);
    }

    private boolean flag(int e, long bit) {
        return (get(e, META) & bit) != 0;
    }

    private void flag(int e, long bit, boolean on) {
        long meta = get(e, META);
        set(e, META, on ? meta | bit : meta & ~bit);
    }

    // ---------------------------------------------------------------- storage

    private long get(int e, int field) {
        return pages[e >>> PAGE_SHIFT][(e & (PAGE - 1)) * STRIDE + field];
    }

    private void set(int e, int field, long v) {
        pages[e >>> PAGE_SHIFT][(e & (PAGE - 1)) * STRIDE + field] = v;
    }

    private int home(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The index slot holding {@code key}'s entry (present). */
    private int slotOf(long key) {
        int slot = home(key);
        while (get(index[slot] - 1, KEY) != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void unindex(long key) {
        int hole = slotOf(key);
        // Backward shift: move later members of the probe run into the hole when their home allows it.
        for (int j = (hole + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int h = home(get(index[j] - 1, KEY));
            if (((j - h) & mask) >= ((j - hole) & mask)) {
                index[hole] = index[j];
                hole = j;
            }
        }
        index[hole] = 0;
    }

    private void reindex(int capacity) {
        index = new int[capacity];
        mask = capacity - 1;
        for (int e = 0; e < size; e++) {
            int slot = home(get(e, KEY));
            while (index[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            index[slot] = e + 1;
        }
    }

    private int newAddressSlot() {
        if (freeAddressCount > 0) {
            return freeAddressSlots[--freeAddressCount];
        }
        if ((addressSlots + 1) * 8 > addresses.length) {
            addresses = Arrays.copyOf(addresses, Math.max(64, addresses.length * 2));
        }
        return addressSlots++;
    }

    private void freeAddressSlot(int slot) {
        if (freeAddressCount == freeAddressSlots.length) {
            freeAddressSlots = Arrays.copyOf(freeAddressSlots, Math.max(16, freeAddressCount * 2));
        }
        freeAddressSlots[freeAddressCount++] = slot;
    }
}
