package net.pflowd.source.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecentKeysTest {
    @Test
    void remembersKeysUntilTheirGenerationIsOldEnoughToForget() {
        RecentKeys r = new RecentKeys(1000);
        assertThat(r.add(42, 1000)).isTrue(); // generation [1000, 2000)
        assertThat(r.add(0, 1001)).isTrue(); // 0 is the empty slot inside; it is still a key
        assertThat(r.add(-7, 2000)).isTrue(); // the next generation
        assertThat(r.add(42, 2500)).isFalse();
        assertThat(r.contains(42)).isTrue();
        assertThat(r.contains(0)).isTrue();
        assertThat(r.contains(-7)).isTrue();
        assertThat(r.contains(43)).isFalse();
        assertThat(r.size()).isEqualTo(3);

        r.forgetBefore(1001); // 0 was added at 1001: its generation stays, and 42 with it
        assertThat(r.contains(42)).isTrue();
        assertThat(r.contains(0)).isTrue();
        r.forgetBefore(1002);
        assertThat(r.contains(42)).isFalse();
        assertThat(r.contains(0)).isFalse();
        assertThat(r.contains(-7)).isTrue();
        r.forgetBefore(2001);
        assertThat(r.contains(-7)).isFalse();
        assertThat(r.size()).isZero();
        assertThat(r.add(42, 3000)).isTrue(); // into the forgotten generation's table, cleared
        assertThat(r.contains(-7)).isFalse();
        assertThat(r.size()).isEqualTo(1);
    }

    /** A storm: far more keys at once than one generation takes, all remembered, then all forgotten together. */
    @Test
    void aStormFillsSeveralGenerations() {
        RecentKeys r = new RecentKeys(60_000);
        int n = 3 * RecentKeys.GENERATION_KEYS + 1234;
        for (int i = 0; i < n; i++) {
            assertThat(r.add(i * 0x10001L, 5_000 + i / 100_000)).isTrue();
        }
        assertThat(r.size()).isEqualTo(n);
        for (int i = 0; i < n; i += 7) {
            assertThat(r.add(i * 0x10001L, 6_000)).isFalse();
        }
        assertThat(r.contains(n * 0x10001L)).isFalse();
        r.forgetBefore(5_001); // the first generations' keys were all added at 5000
        assertThat(r.contains(0)).isFalse();
        assertThat(r.contains((n - 1) * 0x10001L)).isTrue();
        r.forgetBefore(6_001);
        assertThat(r.size()).isZero();
        for (int i = 0; i < n; i++) { // into the reused tables, cleared
            assertThat(r.add(i * 0x10001L, 70_000)).isTrue();
        }
        assertThat(r.size()).isEqualTo(n);
    }

    /**
     * Against a model of what must and must not be remembered, through growth, generations and reuse: a key added
     * at or after the highest cutoff so far is remembered, one added more than a span before it is not, and add is
     * false exactly for a remembered key.
     */
    @Test
    void keepsWhatItMustAndForgetsWhatItMust() {
        Random rnd = new Random(7);
        long span = 20_000;
        RecentKeys r = new RecentKeys(span);
        Map<Long, Long> added = new HashMap<>(); // key -> time it was (last) added
        long now = 0, cutoff = Long.MIN_VALUE;
        for (int op = 0; op < 300_000; op++) {
            now += rnd.nextInt(3);
            // Few distinct high halves and clustered ids, as conntrack keys are: many collisions in the probe runs.
            long key = ((long) rnd.nextInt(4) << 32) | rnd.nextInt(200_000);
            int what = rnd.nextInt(10);
            if (what < 6) {
                boolean remembered = r.contains(key);
                assertThat(r.add(key, now)).isEqualTo(!remembered);
                if (!remembered) {
                    added.put(key, now);
                }
            } else if (what < 9) {
                Long t = added.get(key);
                if (t != null && t >= cutoff) {
                    assertThat(r.contains(key)).as("added at %d, cutoff %d", t, cutoff).isTrue();
                } else if (t == null || t < cutoff - span) {
                    assertThat(r.contains(key)).as("added at %s, cutoff %d", t, cutoff).isFalse();
                }
            } else {
                long asked = now - rnd.nextInt(50_000);
                r.forgetBefore(asked);
                cutoff = Math.max(cutoff, asked); // what a cutoff forgot stays forgotten
                long c = cutoff;
                added.values().removeIf(t -> t < c - span); // forgotten for sure: may be added anew
            }
        }
        for (Map.Entry<Long, Long> e : added.entrySet()) {
            if (e.getValue() >= cutoff) {
                assertThat(r.contains(e.getKey())).isTrue();
            }
        }
    }
}
