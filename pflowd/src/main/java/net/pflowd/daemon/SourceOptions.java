package net.pflowd.daemon;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.function.Supplier;
import net.pflowd.flow.Clock;
import net.pflowd.source.NoSource;
import net.pflowd.source.StateSource;
import picocli.CommandLine.Option;

/** The options of the state-table sources, and the one place a source is built from its name. */
final class SourceOptions {
    StateSource create(String name, Clock clock, Supplier<Set<InetSocketAddress>> collectors) {
        switch (name) {
            case "none":
                return new NoSource();
            default:
                throw new IllegalArgumentException("unknown source '" + name + "' (expected conntrack, pfctl or none)");
        }
    }
}
