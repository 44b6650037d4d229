package net.pflowd.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import net.pflowd.config.ConfigException;
import net.pflowd.config.ConfigFile;
import net.pflowd.config.Limits;
import net.pflowd.control.ControlException;
import net.pflowd.control.ControlServer;
import net.pflowd.control.ControlSocket;
import net.pflowd.config.FlowEndpoint;
import net.pflowd.control.InterfaceStatus;
import net.pflowd.text.OneLine;
import net.pflowd.control.StateStore;
import net.pflowd.flow.Clock;
import net.pflowd.listen.ListenCommand;
import net.pflowd.source.StateSource;
import net.pflowd.source.conntrack.KernelSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pflowd}: the daemon in the foreground (systemd and containers manage it), or {@code pflowd listen}.
 *
 * <p>Every option can also be set in the configuration file as {@code set NAME VALUE} (the option's
 * long name without the dashes, e.g. {@code set hold-timeout 10}); the command line wins.
 */
@Command(name = "pflowd", mixinStandardHelpOptions = true, version = "pflowd 0.1.0",
        description = "pflow(4) for Linux: exports every connection that ends on this host as NetFlow v5, v9 or IPFIX.",
        subcommands = {ListenCommand.class},
        sortOptions = false)
public final class DaemonCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DaemonCommand.class);

    @Option(names = "--config", paramLabel = "PATH", description = "boot configuration (default ${DEFAULT-VALUE})")
    Path config = ConfigFile.DEFAULT_PATH;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where runtime changes are kept (default ${DEFAULT-VALUE})")
    Path stateDir = StateStore.DEFAULT_DIRECTORY;

    @Option(names = "--socket", paramLabel = "PATH", description = "control socket (default $PFLOWD_SOCKET or /run/pflowd.sock)")
    Path socket;

    @Option(names = "--socket-group", paramLabel = "GROUP", description = "group allowed to connect to the control socket (read-only unless root)")
    String socketGroup;

    @Option(names = "--source", paramLabel = "NAME", description = "state table: conntrack, pfctl or none (default ${DEFAULT-VALUE})")
    String source = "conntrack";

    @Option(names = "--hold-timeout", paramLabel = "SECONDS", description = "send a datagram at the latest this long after its first record (default ${DEFAULT-VALUE}, pflow's PFLOW_TIMEOUT)")
    long holdTimeout = Limits.DEFAULT_HOLD_SECONDS;

    @Option(names = "--template-timeout", paramLabel = "SECONDS", description = "IPFIX template refresh (default ${DEFAULT-VALUE})")
    long templateTimeout = Limits.DEFAULT_TEMPLATE_SECONDS;

    @Option(names = "--v9-template-timeout", paramLabel = "SECONDS", description = "NetFlow v9 template refresh by time (default ${DEFAULT-VALUE})")
    long v9TemplateTimeout = Limits.DEFAULT_V9_TEMPLATE_SECONDS;

    @Option(names = "--v9-template-packets", paramLabel = "N", description = "NetFlow v9 template refresh every N export packets (default ${DEFAULT-VALUE})")
    int v9TemplatePackets = Limits.DEFAULT_V9_TEMPLATE_PACKETS;

    @Option(names = "--engine-type", paramLabel = "N", description = "NetFlow v5 engine_type (default ${DEFAULT-VALUE}); engine_id follows each interface's domain")
    int engineType = Limits.DEFAULT_ENGINE_TYPE;

    @Option(names = "--metrics", paramLabel = "ADDR:PORT", description = "serve Prometheus/OpenMetrics metrics of every interface and the source on http://ADDR:PORT/metrics (off by default; e.g. 127.0.0.1:9134)")
    String metrics;

    @CommandLine.Mixin
    SourceOptions sourceOptions = new SourceOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Starts in an order that makes a refused start change nothing: options and files are read first, then the
     * state directory is locked and the control socket bound (either in use: one line naming it, exit 1), and
     * only then are leftovers removed, interfaces created and the source started.
     */
    @Override
    public Integer call() throws Exception {
        String invalid = invalidOption();
        if (invalid != null) {
            return refuse(invalid);
        }
        Optional<ConfigFile> configFile;
        try {
            configFile = ConfigFile.load(config);
        } catch (ConfigException e) {
            return refuse(e.line());
        }
        java.net.InetSocketAddress metricsAddress = null;
        if (metrics != null) {
            metricsAddress = socketAddress(metrics);
            if (metricsAddress == null) {
                return refuse("--metrics: expected ADDR:PORT (numeric; IPv6 as [ADDR]:PORT), got " + metrics);
            }
        }
        String missing = Privileges.missing();
        if (missing != null) {
            return refuse(missing);
        }
        StateStore store = new StateStore(stateDir);
        StateStore.Lock lock;
        try {
            lock = store.lock();
        } catch (ControlException e) {
            return refuse(e.getMessage());
        }
        try {
            return runLocked(store, configFile, metricsAddress);
        } finally {
            lock.close();
        }
    }

    private Integer runLocked(StateStore store, Optional<ConfigFile> configFile,
            java.net.InetSocketAddress metricsAddress) throws Exception {
        Optional<StateStore.State> state;
        try {
            state = store.load();
        } catch (ControlException e) {
            return refuse(e.getMessage());
        }
        StateStore.Startup startup = StateStore.choose(configFile, state);
        Clock clock = Clock.SYSTEM;
        DaemonDefaults defaults = new DaemonDefaults(holdTimeout * 1000, templateTimeout * 1000,
                v9TemplateTimeout * 1000, v9TemplatePackets, engineType, clock.millis());
        Pflowd pflowd = new Pflowd(defaults, clock, store, startup.configDigest());
        Path socketPath = ControlSocket.resolve(socket == null ? null : socket.toString());
        // Bound now (a socket in use refuses the start before anything is touched), served only once the
        // interfaces are restored: clients wait in the backlog meanwhile.
        ControlServer server = new ControlServer(ControlServer.Options.defaults(socketPath).withGroup(socketGroup), pflowd);
        try {
            server.bind();
        } catch (IOException e) {
            pflowd.close();
            return refuse(e.getMessage());
        }
        int leftovers = store.removeLeftovers();
        if (leftovers > 0) {
            log.info("removed {} temporary file(s) an interrupted save left in {}", leftovers, stateDir);
        }
        StateSource stateSource;
        try {
            stateSource = sourceOptions.create(source, clock, pflowd::collectors);
        } catch (IllegalArgumentException e) {
            pflowd.close();
            server.close();
            return refuse(e.getMessage());
        }
        log.info("{} ({} interface(s))", startup.reason(), startup.interfaces().size());
        LinkWatcher links = null;
        try {
            links = LinkWatcher.start(pflowd::retryWaiting);
        } catch (IOException e) {
            log.warn("cannot watch link and address changes ({}); waiting interfaces are retried every {} s",
                    e.getMessage(), Pflowd.RETRY_SECONDS);
        }
        pflowd.restore(startup.interfaces());
        try {
            pflowd.save();
        } catch (IOException e) {
            log.error("cannot save state to {}: {}; the running configuration is not kept across a restart",
                    store.file(), OneLine.of(String.valueOf(e.getMessage())));
        }
        try {
            server.start();
            stateSource.start(pflowd.sink());
            pflowd.sourceCounters(() -> prefixed(stateSource));
        } catch (Exception e) {
            stateSource.close();
            closeQuietly(links);
            pflowd.close();
            server.close();
            KernelSetup.restoreSysctls(); // a start that is refused leaves the kernel as it found it
            return refuse(String.valueOf(e.getMessage()));
        }
        Metrics.Server metricsServer = null;
        if (metricsAddress != null) {
            try {
                metricsServer = Metrics.serve(metricsAddress, new Metrics(pflowd::list, stateSource));
            } catch (java.io.IOException e) {
                stateSource.close();
                closeQuietly(links);
                pflowd.close();
                server.close();
                KernelSetup.restoreSysctls();
                return refuse("--metrics " + metrics + ": " + e.getMessage());
            }
            log.info("metrics on http://{}/metrics", metrics);
        }
        log.info("pflowd running: source {}, control socket {}", stateSource.name(), socketPath);

        // Signals become events for this thread: TERM/INT stop, HUP reloads /etc/pflowd.conf (systemctl reload).
        BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        for (String name : List.of("TERM", "INT", "HUP")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> signals.add(sig.getName()));
        }
        SystemdNotify systemd = SystemdNotify.fromEnvironment(System.getenv());
        if (systemd.watchdogMillis() > 0) {
            pflowd.afterTick(systemd::watchdog); // the interface timers ran: the daemon is alive
            log.info("systemd watchdog: pinging every second (timeout {} ms)", systemd.watchdogMillis());
        }
        systemd.ready(runningStatus(pflowd, stateSource));
        List<String> bootOptions = configFile.map(ConfigFile::options).orElse(List.of());
        while (!signals.take().matches("TERM|INT")) {
            systemd.reloading();
            reload(pflowd, bootOptions);
            systemd.ready(runningStatus(pflowd, stateSource));
        }

        systemd.stopping();
        log.info("shutting down: delivering what the source received, flushing every interface");
        if (metricsServer != null) {
            metricsServer.close();
        }
        stateSource.close();
        closeQuietly(links);
        pflowd.close();
        server.close();
        KernelSetup.restoreSysctls();
        log.info("pflowd stopped");
        return 0;
    }

    /** SIGHUP: applies the configuration file as {@link Pflowd#reload} says; a bad file changes nothing. */
    private void reload(Pflowd pflowd, List<String> bootOptions) {
        log.info("SIGHUP: reloading {}", config);
        try {
            Optional<ConfigFile> file = ConfigFile.load(config);
            List<String> options = file.map(ConfigFile::options).orElse(List.of());
            if (!options.equals(bootOptions)) {
                log.warn("reload: the set lines of {} changed; daemon options apply at the next start only", config);
            }
            log.info("reload: {}", pflowd.reload(file));
        } catch (ConfigException e) {
            log.error("reload: {}; the running configuration is unchanged", e.line());
        }
    }

    /** A numeric {@code ADDR:PORT} or {@code [V6]:PORT}, or null when it is not one. */
    static java.net.InetSocketAddress socketAddress(String text) {
        try {
            FlowEndpoint endpoint = FlowEndpoint.parse(text);
            return endpoint.hasPort() ? endpoint.toSocketAddress() : null;
        } catch (ConfigException e) {
            return null;
        }
    }

    private static String runningStatus(Pflowd pflowd, StateSource source) {
        List<InterfaceStatus> all = pflowd.list();
        long running = all.stream().filter(InterfaceStatus::isRunning).count();
        return all.size() + " interface(s), " + running + " running; source " + source.name();
    }

    /** The daemon's one-line refusal on stderr; exit status 1. */
    private static int refuse(String why) {
        System.err.println("pflowd: " + OneLine.of(why));
        return 1;
    }

    private static void closeQuietly(LinkWatcher w) {
        if (w != null) {
            w.close();
        }
    }

    /** The source's counters as {@code SOURCE.NAME}, so that ifconfig -v shows them on a line of their own. */
    private static java.util.Map<String, Long> prefixed(StateSource source) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        source.counters().forEach((k, v) -> out.put(source.name() + "." + k.replace(' ', '-'), v));
        return out;
    }

    /** Checked before anything starts: a bad value would otherwise only fail each interface's creation. */
    private String invalidOption() {
        String timer = invalidTimer("--hold-timeout", holdTimeout);
        if (timer == null) {
            timer = invalidTimer("--template-timeout", templateTimeout);
        }
        if (timer == null) {
            timer = invalidTimer("--v9-template-timeout", v9TemplateTimeout);
        }
        if (timer != null) {
            return timer;
        }
        if (v9TemplatePackets < 1) {
            return "--v9-template-packets must be at least 1, got " + v9TemplatePackets;
        }
        if (engineType < 0 || engineType > Limits.MAX_ENGINE) {
            return "--engine-type must be 0.." + Limits.MAX_ENGINE + ", got " + engineType;
        }
        return null;
    }

    private static String invalidTimer(String option, long seconds) {
        if (seconds < Limits.MIN_TIMER_SECONDS || seconds > Limits.MAX_TIMER_SECONDS) {
            return option + " must be " + Limits.MIN_TIMER_SECONDS + ".." + Limits.MAX_TIMER_SECONDS
                    + " seconds, got " + seconds;
        }
        return null;
    }

    /** Runs the command line, with {@code set} lines of the configuration file as options before the arguments. */
    public static int run(String[] args) {
        CommandLine cl = new CommandLine(new DaemonCommand()).setOverwrittenOptionsAllowed(true);
        // One line, not the whole usage text: "pflowd: Invalid value for option '--hold-timeout': ...".
        cl.setParameterExceptionHandler((e, a) -> {
            System.err.println("pflowd: " + OneLine.of(e.getMessage()) + " (see pflowd --help)");
            return CommandLine.ExitCode.USAGE;
        });
        List<String> all = new ArrayList<>();
        Path config = configPathFrom(args);
        if (config != null) {
            try {
                Optional<ConfigFile> file = ConfigFile.load(config);
                if (file.isPresent()) {
                    for (ConfigFile.Setting set : file.get().settings()) {
                        checkSetting(config, set);
                        all.addAll(set.options());
                    }
                }
            } catch (ConfigException e) {
                System.err.println("pflowd: " + OneLine.of(e.line()));
                return 1;
            }
        }
        all.addAll(List.of(args));
        return cl.execute(all.toArray(new String[0]));
    }

    /** A {@code set} line alone, so that its error names the file and line, not only the option. */
    private static void checkSetting(Path config, ConfigFile.Setting set) throws ConfigException {
        try {
            new CommandLine(new DaemonCommand()).parseArgs(set.options().toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw new ConfigException(ConfigException.Reason.BAD_SETTING, set.options().get(0), e.getMessage())
                    .at(config + ":" + set.line());
        }
    }

    /** The --config argument, the default, or null for {@code listen} (which reads no configuration). */
    private static Path configPathFrom(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
            if (args[i].equals("listen")) {
                return null;
            }
        }
        return ConfigFile.DEFAULT_PATH;
    }
}
