package net.pflowd.source.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import net.pflowd.flow.FlowState;
import org.junit.jupiter.api.Test;

class ConntrackSettingsTest {
    @Test
    void markWithAndWithoutMask() {
        ConntrackSettings s = new ConntrackSettings().mark("0x10/0xf0");
        assertThat(s.markValue).isEqualTo(0x10);
        assertThat(s.markMask).isEqualTo(0xf0);
        s.mark("42");
        assertThat(s.markValue).isEqualTo(42);
        assertThat(s.markMask).isEqualTo(-1);
        s.mark("4294967295");
        assertThat(s.markValue).isEqualTo(-1);
    }

    @Test
    void badMarkIsAOneLineError() {
        assertThatThrownBy(() -> new ConntrackSettings().mark("x/1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VALUE[/MASK]");
    }

    @Test
    void collectorTrafficIsExcludedOnEitherSideOfNat() throws Exception {
        InetAddress me = InetAddress.getByName("10.0.0.1"), coll = InetAddress.getByName("10.0.0.2");
        ConntrackSettings s = new ConntrackSettings().excludeCollectors(() -> List.of(new InetSocketAddress(coll, 2055)));
        FlowState export = new FlowState().orig(me, 40000, coll, 2055).replyMirrorsOrig();
        export.protocol = 17;
        assertThat(s.exclude.test(export)).isTrue();
        // DNAT'ed: the original destination is a virtual address, the reply comes from the collector.
        FlowState dnat = new FlowState().orig(me, 40000, InetAddress.getByName("10.9.9.9"), 9995)
                .reply(coll, 2055, me, 40000);
        dnat.protocol = 17;
        assertThat(s.exclude.test(dnat)).isTrue();
        FlowState other = new FlowState().orig(me, 40000, coll, 2056).replyMirrorsOrig();
        other.protocol = 17;
        assertThat(s.exclude.test(other)).isFalse();
        export.protocol = 6;
        assertThat(s.exclude.test(export)).isFalse();
    }

    /** The daemon replaces its snapshot of collectors on every change: each new one is followed, IPv6 too. */
    @Test
    void aNewSnapshotOfCollectorsIsFollowed() throws Exception {
        InetAddress me = InetAddress.getByName("10.0.0.1"), a = InetAddress.getByName("10.0.0.2");
        InetAddress me6 = InetAddress.getByName("2001:db8::1"), b = InetAddress.getByName("2001:db8::2");
        java.util.concurrent.atomic.AtomicReference<java.util.Set<InetSocketAddress>> snapshot =
                new java.util.concurrent.atomic.AtomicReference<>(java.util.Set.of(new InetSocketAddress(a, 2055)));
        ConntrackSettings s = new ConntrackSettings().excludeCollectors(snapshot::get);
        FlowState toA = new FlowState().orig(me, 40000, a, 2055).replyMirrorsOrig();
        FlowState toB = new FlowState().orig(me6, 40000, b, 4739).replyMirrorsOrig();
        toA.protocol = toB.protocol = 17;
        assertThat(s.exclude.test(toA)).isTrue();
        assertThat(s.exclude.test(toB)).isFalse();
        snapshot.set(java.util.Set.of(new InetSocketAddress(b, 4739)));
        assertThat(s.exclude.test(toA)).isFalse();
        assertThat(s.exclude.test(toB)).isTrue();
        snapshot.set(java.util.Set.of());
        assertThat(s.exclude.test(toB)).isFalse();
    }
}
