package net.pflowd.source.conntrack;

/**
 * A set of {@code long} keys, each remembered with the time it was added, forgotten oldest first. The
 * conntrack reader adds every finished connection (100k+ in a storm, kept for minutes) and asks about each
 * event and dump row: open addressing over primitive arrays, with a FIFO of insertion order for expiry,
 * instead of a boxed LinkedHashMap that cost the reader a sixth of its time.
 *
 * <p>Linear probing with backward-shift deletion, load at most one half; key 0 is the empty slot, so a real
 * key 0 is kept aside. Not thread-safe.
 */
final class RecentKeys {
    private long[] slots = new long[1024];
    private int mask = slots.length - 1;
    private int size;
    private boolean hasZero;

    /** Keys and times in insertion order: a ring from head, {@code size + (hasZero ? 1 : 0)} long. */
    private long[] fifoKeys = new long[512];
    private long[] fifoTimes = new long[512];
    private int head, count;

    int size() {
        return count;
    }

    boolean contains(long key) {
        if (key == 0) {
            return hasZero;
        }
        for (int i = index(key); ; i = (i + 1) & mask) {
            long k = slots[i];
            if (k == key) {
                return true;
            }
            if (k == 0) {
                return false;
            }
        }
    }

    /** Adds {@code key} at {@code millis}; false (and nothing changed) when it is already there. */
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
            int i = index(key);
            for (long k; (k = slots[i]) != 0; i = (i + 1) & mask) {
                if (k == key) {
                    return false;
                }
            }
            slots[i] = key;
            size++;
        }
        if (count == fifoKeys.length) {
            growFifo();
        }
        int tail = (head + count) % fifoKeys.length;
        fifoKeys[tail] = key;
        fifoTimes[tail] = millis;
        count++;
        return true;
    }

    /** Forgets every key added before {@code cutoffMillis} (times are assumed not to go backwards much). */
    void forgetBefore(long cutoffMillis) {
        while (count > 0 && fifoTimes[head] < cutoffMillis) {
            remove(fifoKeys[head]);
            head = (head + 1) % fifoKeys.length;
            count--;
        }
    }

    private void remove(long key) {
        if (key == 0) {
            hasZero = false;
            return;
        }
        int i = index(key);
        while (slots[i] != key) {
            if (slots[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        // Backward shift: move later members of the probe run into the hole when their home allows it.
        int hole = i;
        for (int j = (hole + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
            int home = index(slots[j]);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = 0;
        size--;
    }

    private int index(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void rehash(int capacity) {
        long[] old = slots;
        slots = new long[capacity];
        mask = capacity - 1;
        for (long k : old) {
            if (k != 0) {
                int i = index(k);
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = k;
            }
        }
    }

    private void growFifo() {
        int n = fifoKeys.length;
        long[] keys = new long[n * 2], times = new long[n * 2];
        for (int i = 0; i < count; i++) {
            keys[i] = fifoKeys[(head + i) % n];
            times[i] = fifoTimes[(head + i) % n];
        }
        fifoKeys = keys;
        fifoTimes = times;
        head = 0;
    }
}
