package net.pflowd.source.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import net.pflowd.linux.NfConntrackCommon;
import org.junit.jupiter.api.Test;

class ProtocolTimeoutsTest {
    private final ProtocolTimeouts defaults = new ProtocolTimeouts();

    private static CtEntry udp(boolean assured) {
        CtEntry e = new CtEntry().clear();
        e.state.protocol = 17;
        e.status = assured ? NfConntrackCommon.IPS_ASSURED : 0;
        return e;
    }

    private static CtEntry tcp(int state, Long remaining) {
        CtEntry e = new CtEntry().clear();
        e.state.protocol = 6;
        e.tcpState = state;
        e.hasTimeout = remaining != null;
        e.timeoutSeconds = remaining != null ? remaining : 0;
        return e;
    }

    @Test
    void expiredEventEndedExactlyOneFullTimeoutBeforeItsStop() {
        // No CTA_TIMEOUT in a DESTROY event: expired; the kernel moved its stop to the expiry, 30 s after the packet.
        assertThat(defaults.lastPacketMillis(udp(false), 100_000, true, 10_000)).isEqualTo(70_000);
        assertThat(defaults.lastPacketMillis(udp(true), 200_000, true, 10_000)).isEqualTo(80_000);
        assertThat(defaults.lastPacketMillis(tcp(7, null), 200_000, true, 10_000)).isEqualTo(80_000); // TIME_WAIT
    }

    @Test
    void deletedEntryEndedFullMinusRemainingBeforeItsStopMiddleOfTheRoundedSecond() {
        // Flushed at t=100 s with 29 s (rounded down) left of 30: the packet came 1 to 2 s before; the middle is taken.
        CtEntry e = udp(false);
        e.hasTimeout = true;
        e.timeoutSeconds = 29;
        assertThat(defaults.lastPacketMillis(e, 100_000, true, 10_000)).isEqualTo(99_500);
        // A packet within the last second (30 s of 30 left): never after the stop.
        e.timeoutSeconds = 30;
        assertThat(defaults.lastPacketMillis(e, 100_000, true, 10_000)).isEqualTo(100_000);
    }

    @Test
    void dumpRowWithoutTimeoutIsNotTakenAsExpired() {
        assertThat(defaults.lastPacketMillis(udp(false), 100_000, false, 10_000)).isEqualTo(100_000);
    }

    @Test
    void neverBeforeTheIntervalStartNorAfterTheSeenTime() {
        assertThat(defaults.lastPacketMillis(udp(false), 100_000, true, 90_000)).isEqualTo(90_000);
        CtEntry e = udp(false);
        e.hasTimeout = true;
        e.timeoutSeconds = 45; // more than the sysctl: a custom timeout policy
        assertThat(defaults.lastPacketMillis(e, 100_000, true, 10_000)).isEqualTo(100_000);
    }

    @Test
    void unknownFullTimeoutFallsBackToTheSeenTime() {
        CtEntry e = tcp(-1, null);
        assertThat(defaults.lastPacketMillis(e, 100_000, true, 10_000)).isEqualTo(100_000);
        e.state.protocol = 132; // SCTP: state not read
        assertThat(defaults.lastPacketMillis(e, 100_000, true, 10_000)).isEqualTo(100_000);
    }

    @Test
    void establishedTcpWithUnacknowledgedDataHadTheShorterTimeout() {
        // ESTABLISHED, 250 s left: with 432000 s the packet would be five days back, before the connection began;
        // tcp_packet() gave 300 s (data unacknowledged), so it was 50 s (.5) ago.
        long now = 1_000_000_000L;
        assertThat(defaults.lastPacketMillis(tcp(3, 250L), now, false, now - 3_600_000))
                .isEqualTo(now - 49_500);
        // With 431990 s left the state's own timeout holds: 10 s (.5) ago.
        assertThat(defaults.lastPacketMillis(tcp(3, 431_990L), now, false, now - 3_600_000))
                .isEqualTo(now - 9_500);
    }

    @Test
    void fullTimeoutFollowsProtocolAndState() {
        ProtocolTimeouts t = new ProtocolTimeouts();
        CtEntry e = udp(false);
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
        e.state.protocol = 47; // GRE: replied (assured) or not
        assertThat(t.fullSeconds(e)).isEqualTo(180);
        e.status = 0;
        assertThat(t.fullSeconds(e)).isEqualTo(30);
        e.state.protocol = 253; // no tracker of its own: generic
        assertThat(t.fullSeconds(e)).isEqualTo(600);
    }
}
