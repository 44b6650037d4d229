package net.pflowd.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PollTest {
    @Test
    void pollfdIsEightBytes() {
        Poll.PollFd p = new Poll.PollFd(0x01020304, Poll.POLLIN);
        assertThat(p.size()).isEqualTo(Poll.POLLFD_SIZE);
        p.revents = Poll.POLLHUP;
        p.write();
        assertThat(p.getPointer().getInt(Poll.POLLFD_FD_OFFSET)).isEqualTo(0x01020304);
        assertThat(p.getPointer().getShort(Poll.POLLFD_EVENTS_OFFSET)).isEqualTo(Poll.POLLIN);
        assertThat(p.getPointer().getShort(Poll.POLLFD_REVENTS_OFFSET)).isEqualTo(Poll.POLLHUP);
    }

    @Test
    void libcLoadsAndReportsEffectiveUid() {
        assertThat(LibC.INSTANCE.geteuid()).isGreaterThanOrEqualTo(0);
    }
}
