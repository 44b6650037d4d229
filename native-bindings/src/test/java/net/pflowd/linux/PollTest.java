package net.pflowd.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PollTest {
    @Test
    void pollfdIsEightBytes() {
        assertThat(new Poll.PollFd().size()).isEqualTo(8);
    }

    @Test
    void libcLoadsAndReportsEffectiveUid() {
        assertThat(LibC.INSTANCE.geteuid()).isGreaterThanOrEqualTo(0);
    }
}
