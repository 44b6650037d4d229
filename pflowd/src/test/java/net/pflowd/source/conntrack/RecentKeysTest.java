package net.pflowd.source.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentKeysTest {
    @Test
    void remembersKeysUntilTheyAreOldEnoughToForget() {
        RecentKeys r = new RecentKeys();
        assertThat(r.add(42, 1000)).isTrue();
        assertThat(r.add(0, 1001)).isTrue(); // 0 is the empty slot inside; it is still a key
        assertThat(r.add(-7, 2000)).isTrue();
        assertThat(r.add(42, 2500)).isFalse();
        assertThat(r.contains(42)).isTrue();
        assertThat(r.contains(0)).isTrue();
        assertThat(r.contains(-7)).isTrue();
        assertThat(r.contains(43)).isFalse();
        assertThat(r.size()).isEqualTo(3);

        r.forgetBefore(1001);
        assertThat(r.contains(42)).isFalse();
        assertThat(r.contains(0)).isTrue();
        r.forgetBefore(2001);
        assertThat(r.contains(0)).isFalse();
        assertThat(r.contains(-7)).isFalse();
        assertThat(r.size()).isZero();
        assertThat(r.add(42, 3000)).isTrue();
    }

    /** Against a HashSet + queue model through growth, wrap-around and deletions inside probe runs. */
    @Test
    void agreesWithAReferenceModelOverManyOperations() {
        Random rnd = new Random(7);
        RecentKeys r = new RecentKeys();
        Set<Long> model = new HashSet<>();
        ArrayDeque<long[]> order = new ArrayDeque<>();
        long now = 0;
        for (int op = 0; op < 300_000; op++) {
            now += rnd.nextInt(3);
            // Few distinct high halves and clustered ids, as conntrack keys are: many collisions in the probe runs.
            long key = ((long) rnd.nextInt(4) << 32) | rnd.nextInt(200_000);
            int what = rnd.nextInt(10);
            if (what < 6) {
                boolean added = r.add(key, now);
                assertThat(added).isEqualTo(model.add(key));
                if (added) {
                    order.add(new long[] {key, now});
                }
            } else if (what < 9) {
                assertThat(r.contains(key)).isEqualTo(model.contains(key));
            } else {
                long cutoff = now - rnd.nextInt(50_000);
                r.forgetBefore(cutoff);
                while (!order.isEmpty() && order.peek()[1] < cutoff) {
                    model.remove(order.poll()[0]);
                }
            }
            assertThat(r.size()).isEqualTo(model.size());
        }
        for (long k : model) {
            assertThat(r.contains(k)).isTrue();
        }
    }
}
