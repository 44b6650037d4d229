package net.pflowd.daemon;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import net.pflowd.flow.Clock;
import net.pflowd.source.NoSource;
import net.pflowd.source.StateSource;
import net.pflowd.source.pfctl.PfctlSource;
import picocli.CommandLine.Option;

/** The options of the state-table sources, and the one place a source is built from its name. */
final class SourceOptions {
    @Option(names = "--pfctl", paramLabel = "PATH", description = "pfctl to run for --source pfctl (default ${DEFAULT-VALUE})")
    String pfctl = PfctlSource.DEFAULT_PATH;

    @Option(names = "--pfctl-interval", paramLabel = "SECONDS", description = "how often pfctl -s states -vv is polled (default ${DEFAULT-VALUE})")
    double pfctlInterval = 1;

    @Option(names = "--pfctl-all", description = "export every pf state, not only those with the pflow flag")
    boolean pfctlAll;

    StateSource create(String name, Clock clock, Supplier<Set<InetSocketAddress>> collectors) {
        switch (name) {
            case "none":
                return new NoSource();
            case "pfctl":
                if (!(pfctlInterval > 0) || pfctlInterval > 3600) {
                    throw new IllegalArgumentException("--pfctl-interval must be between 0 and 3600 seconds");
                }
                return new PfctlSource(clock, pfctl, PfctlSource.DEFAULT_ARGS,
                        Duration.ofMillis(Math.round(pfctlInterval * 1000)), pfctlAll);
            default:
                throw new IllegalArgumentException("unknown source '" + name + "' (expected conntrack, pfctl or none)");
        }
    }
}
