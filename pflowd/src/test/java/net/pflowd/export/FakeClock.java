package net.pflowd.export;

import net.pflowd.flow.Clock;

final class FakeClock implements Clock {
    long now;

    FakeClock(long now) {
        this.now = now;
    }

    @Override
    public long millis() {
        return now;
    }

    void advance(long ms) {
        now += ms;
    }
}
