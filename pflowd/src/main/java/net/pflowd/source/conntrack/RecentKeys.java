package net.pflowd.source.conntrack;

import java.util.Arrays;

/**
 * A set of {@code long} keys, each remembered for a while after it was added. The conntrack reader adds every
 * finished connection (100k+ in a storm, kept for minutes) and asks about each event and dump row.
 *
 * <p>Keys are kept in generations, each a hash table of the keys added during {@code spanMillis}, or of
 * {@value #GENERATION_KEYS} of them when keys come faster (a storm); keys are forgotten a whole generation at a
 * time, when even its newest key is older than the cutoff. So a key is kept at least until the cutoff passes the
 * time it was added and at most {@code spanMillis} longer; nothing is removed key by key, and no per-key time or
 * insertion order is stored: 8 to 16 bytes per key in primitive arrays (linear probing, load at most one half),
 * where a FIFO of keys and times beside the table took 32 to 48. A table grows to 1 MiB at most: a storm of
 * hundreds of thousands of connections opens more generations instead of rehashing into ever larger fresh memory,
 * which was a fifth of a storm's reader time. Forgotten generations' tables are cleared and reused.
 *
 * <p>Key 0 is the empty slot of a table, so a real key 0 is kept aside per generation. Not thread-safe.
 */
final class RecentKeys {
    private static final int INITIAL_SLOTS = 1024;
    /** Keys a generation takes at most: its table then has 2^17 slots, 1 MiB. */
    static final int GENERATION_KEYS = 1 << 16;

    /** The keys added during one span of time. */
    private static final class Generation {
        long[] slots = new long[INITIAL_SLOTS];
        int mask = INITIAL_SLOTS - 1;
        int size;
        boolean hasZero;
        long firstMillis, newestMillis;

        int count() {
            return size + (hasZero ? 1 : 0);
        }

        boolean contains(long key) {
            if (key == 0) {
                return hasZero;
            }
            for (int i = index(key, mask); ; i = (i + 1) & mask) {
                long k = slots[i];
                if (k == key) {
                    return true;
                }
                if (k == 0) {
                    return false;
                }
            }
        }

        /** Adds {@code key} unless it is here: false then, and nothing changed. One probe run either way. */
        boolean add(long key, long millis) {
            if (key == 0) {
                if (hasZero) {
                    return false;
                }
                hasZero = true;
            } else {
                if ((size + 1) * 2 > slots.length) {
                    rehash(slots.length * 2);
                }
                int i = index(key, mask);
                for (long k; (k = slots[i]) != 0; i = (i + 1) & mask) {
                    if (k == key) {
                        return false;
                    }
                }
                slots[i] = key;
                size++;
            }
            newestMillis = Math.max(newestMillis, millis);
            return true;
        }

        void reset(long millis) {
            Arrays.fill(slots, 0);
            size = 0;
            hasZero = false;
            firstMillis = newestMillis = millis;
        }

        private void rehash(int capacity) {
            long[] old = slots;
            slots = new long[capacity];
            mask = capacity - 1;
            for (long k : old) {
                if (k != 0) {
                    int i = index(k, mask);
                    while (slots[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    slots[i] = k;
                }
            }
        }
    }

    private final long spanMillis;
    /**
     * Oldest first, the last one takes new keys: a few at a time (the retention over the span, plus one), in an
     * array walked by index, since an iterator would be an allocation per event for a JIT without escape
     * analysis (C1).
     */
    private Generation[] generations = new Generation[4];
    private int count;
    /** Forgotten generations, kept for reuse: up to 8 (8 MiB of tables). */
    private final Generation[] spares = new Generation[8];
    private int spareCount;

    /** Keys added within {@code spanMillis} of each other share a generation. */
    RecentKeys(long spanMillis) {
        if (spanMillis <= 0) {
            throw new IllegalArgumentException("span " + spanMillis);
        }
        this.spanMillis = spanMillis;
    }

    /** How many keys are remembered. */
    int size() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            n += generations[i].count();
        }
        return n;
    }

    boolean contains(long key) {
        for (int i = count - 1; i >= 0; i--) { // newest first: a duplicate is most likely recent
            if (generations[i].contains(key)) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code key} at {@code millis}; false (and nothing changed) when it is already remembered. */
    boolean add(long key, long millis) {
        for (int i = count - 2; i >= 0; i--) { // the older generations; the current one is asked as it adds
            if (generations[i].contains(key)) {
                return false;
            }
        }
        Generation current = count > 0 ? generations[count - 1] : null;
        if (current != null && (millis - current.firstMillis >= spanMillis || current.count() >= GENERATION_KEYS)) {
            if (current.contains(key)) {
                return false;
            }
            current = null; // its span is over, or it is full: the key goes to a new generation
        }
        if (current == null) {
            current = spareCount > 0 ? spares[--spareCount] : new Generation();
            spares[spareCount] = null;
            current.reset(millis);
            if (count == generations.length) {
                generations = Arrays.copyOf(generations, count * 2);
            }
            generations[count++] = current;
        }
        return current.add(key, millis);
    }

    /**
     * Forgets the generations whose every key was added before {@code cutoffMillis}: every key added at or after
     * it is still remembered, and none added before {@code cutoffMillis - spanMillis} is.
     */
    void forgetBefore(long cutoffMillis) {
        int forgotten = 0;
        while (forgotten < count && generations[forgotten].newestMillis < cutoffMillis) {
            Generation old = generations[forgotten++];
            if (spareCount < spares.length) { // more than a few: left to the garbage collector
                spares[spareCount++] = old;
            }
        }
        if (forgotten > 0) {
            System.arraycopy(generations, forgotten, generations, 0, count - forgotten);
            Arrays.fill(generations, count - forgotten, count, null);
            count -= forgotten;
        }
    }

    private static int index(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
