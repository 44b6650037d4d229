package net.pflowd.daemon;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import net.pflowd.flow.Clock;
import net.pflowd.source.NoSource;
import net.pflowd.source.StateSource;
import net.pflowd.source.conntrack.ConntrackSettings;
import net.pflowd.source.conntrack.ConntrackSource;
import net.pflowd.source.pfctl.PfctlSource;
import picocli.CommandLine.Option;

/** The options of the state-table sources, and the one place a source is built from its name. */
final class SourceOptions {
    @Option(names = "--ct-mark", paramLabel = "VALUE[/MASK]",
            description = "export only connections whose conntrack mark matches (set by a firewall rule, like pf's pflow keyword)")
    String ctMark;

    @Option(names = "--ct-zone", paramLabel = "N", description = "export only connections of this conntrack zone")
    Integer ctZone;

    @Option(names = "--active-timeout", paramLabel = "SECONDS",
            description = "also export long-lived connections this often, with delta counters (default 0: only when they end)")
    long activeTimeout;

    @Option(names = "--no-nft-table", description = "never install pflowd's own nftables table to make conntrack track")
    boolean noNftTable;

    @Option(names = "--no-sysctl", description = "leave net.netfilter.nf_conntrack_{acct,timestamp,events} as they are")
    boolean noSysctl;

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
            case "conntrack":
                ConntrackSettings ct = new ConntrackSettings();
                if (ctMark != null) {
                    ct.mark(ctMark);
                }
                if (ctZone != null) {
                    if (ctZone < 0 || ctZone > 65535) {
                        throw new IllegalArgumentException("--ct-zone must be between 0 and 65535");
                    }
                    ct.zone = ctZone;
                }
                if (activeTimeout < 0) {
                    throw new IllegalArgumentException("--active-timeout must not be negative");
                }
                ct.activeTimeoutSeconds = activeTimeout;
                ct.installNftTable = !noNftTable;
                ct.configureSysctls = !noSysctl;
                ct.excludeCollectors(collectors);
                return new ConntrackSource(ct, clock);
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
