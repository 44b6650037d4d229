package net.pflowd.flow;

/** Wall-clock milliseconds since the Unix epoch; injected everywhere time matters so tests can drive it. */
@FunctionalInterface
public interface Clock {
    long millis();

    Clock SYSTEM = System::currentTimeMillis;
}
