package net.pflowd.source.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import net.pflowd.linux.NfConntrackCommon;
import org.junit.jupiter.api.Test;

class ProtocolTimeoutsTest {
    @Test
    void expiredEntryEndedOneFullTimeoutBeforeItsRemoval() {
        // UDP entry removed at t=100 s by expiry (0 s left); its last packet set the 30 s timer.
        assertThat(ProtocolTimeouts.lastPacketMillis(10_000, 100_000, 30, 0)).isEqualTo(70_000);
    }

    @Test
    void flushedEntryEndedFullMinusRemainingBeforeItsRemoval() {
        // Flushed at t=100 s with 29 s left of 30: last packet 1 s before.
        assertThat(ProtocolTimeouts.lastPacketMillis(10_000, 100_000, 30, 29)).isEqualTo(99_000);
    }

    @Test
    void neverBeforeStartNorAfterStop() {
        assertThat(ProtocolTimeouts.lastPacketMillis(90_000, 100_000, 30, 0)).isEqualTo(90_000);
        assertThat(ProtocolTimeouts.lastPacketMillis(10_000, 100_000, 30, 45)).isEqualTo(100_000);
    }

    @Test
    void unknownFullTimeoutFallsBackToTheRemovalTime() {
        assertThat(ProtocolTimeouts.lastPacketMillis(10_000, 100_000, -1, 0)).isEqualTo(100_000);
        assertThat(ProtocolTimeouts.lastPacketMillis(10_000, 100_000, 30, -1)).isEqualTo(100_000);
    }

    @Test
    void fullTimeoutFollowsProtocolAndState() {
        ProtocolTimeouts t = new ProtocolTimeouts();
        CtEntry e = new CtEntry().clear();
        e.state.protocol = 17;
        assertThat(t.fullSeconds(e)).isEqualTo(30);
        e.status = NfConntrackCommon.IPS_ASSURED;
        assertThat(t.fullSeconds(e)).isEqualTo(120);
        e.state.protocol = 6;
        assertThat(t.fullSeconds(e)).isEqualTo(-1);
        e.tcpState = 7; // TIME_WAIT
        assertThat(t.fullSeconds(e)).isEqualTo(120);
        e.tcpState = 3; // ESTABLISHED
        assertThat(t.fullSeconds(e)).isEqualTo(432000);
        e.state.protocol = 1;
        assertThat(t.fullSeconds(e)).isEqualTo(30);
        e.state.protocol = 47;
        assertThat(t.fullSeconds(e)).isEqualTo(600);
    }
}
