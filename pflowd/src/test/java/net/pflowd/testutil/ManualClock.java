package net.pflowd.testutil;

import net.pflowd.flow.Clock;

/** A clock the test sets and advances by hand. */
public final class ManualClock implements Clock {
    private volatile long now;

    public ManualClock(long now) {
        this.now = now;
    }

    @Override
    public long millis() {
        return now;
    }

    public void advance(long ms) {
        now += ms;
    }
}
