package net.pflowd.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.pflowd.config.ConfigException;
import net.pflowd.config.IfconfigCommand;
import net.pflowd.config.InterfaceConfig;
import net.pflowd.config.Limits;
import net.pflowd.control.InterfaceManager;
import net.pflowd.control.InterfaceStatus;
import net.pflowd.control.StateStore;
import net.pflowd.flow.Clock;
import net.pflowd.flow.FlowSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pflow interfaces of this daemon, as the kernel keeps them on OpenBSD: created, changed and
 * destroyed through the control socket, fed by one state-table source through a fan-out, their timers
 * run once a second, and their configuration persisted after every change.
 *
 * <p>Configuration is never lost: an interface of the startup configuration that cannot come up (its flowsrc is
 * not yet an address of the host, its name is taken by another interface) is kept as <em>waiting</em>, shown
 * (not RUNNING, the reason in {@code ifconfig -v}), saved, and retried whenever links or addresses change
 * ({@link #retryWaiting}, called by the {@link LinkWatcher}) and every {@value #RETRY_SECONDS} s, until it comes
 * up or a user destroys it. Changes to a waiting interface are kept the same way. Only a new interface created
 * at run time is refused outright when it cannot come up, as ifconfig refuses it.
 */
final class Pflowd implements InterfaceManager, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pflowd.class);

    private final DaemonDefaults defaults;
    private final Clock clock;
    private final StateStore store;
    private String configDigest;
    private final FlowFanout fanout = new FlowFanout();
    private final Map<String, PflowInterface> interfaces =
            new TreeMap<>(Comparator.comparingInt(n -> Integer.parseInt(n.substring("pflow".length()))));
    /** Interfaces kept while they cannot come up, with the reason, by name. */
    private final Map<String, Waiting> waiting =
            new TreeMap<>(Comparator.comparingInt(n -> Integer.parseInt(n.substring("pflow".length()))));
    static final int RETRY_SECONDS = 10;
    private long ticks;

    /** A configured interface that could not come up yet. */
    record Waiting(InterfaceConfig config, String reason) {
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pflowd-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile java.util.Set<java.net.InetSocketAddress> collectors = java.util.Set.of();
    /**
     * Collectors no interface sends to any more, with when they were left: the kernel keeps the conntrack
     * entry of the old export flow until it times out (UDP: 30 s, 120 s once replied), and its end must not
     * become a record either.
     */
    private final Map<java.net.InetSocketAddress, Long> retiredCollectors = new java.util.HashMap<>();
    static final long RETIRED_COLLECTOR_MILLIS = 600_000;
    private volatile java.util.function.Supplier<Map<String, Long>> sourceCounterSupplier = Map::of;
    private volatile Runnable afterTick = () -> { };

    Pflowd(DaemonDefaults defaults, Clock clock, StateStore store, String configDigest) {
        this.defaults = defaults;
        this.clock = clock;
        this.store = store;
        this.configDigest = configDigest;
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** The sink the state-table source feeds. */
    FlowSink sink() {
        return fanout;
    }

    /**
     * Every interface's collector, and those left in the last 10 minutes, so the source never exports
     * pflowd's own export datagrams. A snapshot
     * replaced on every change: sources read it per connection without taking the registry's lock.
     */
    java.util.Set<java.net.InetSocketAddress> collectors() {
        return collectors;
    }

    /** The source's counters, shown with every interface's statistics. */
    void sourceCounters(java.util.function.Supplier<Map<String, Long>> counters) {
        this.sourceCounterSupplier = counters;
    }

    /** {@code action} runs after each tick of the interface timers, once a second while they work. */
    void afterTick(Runnable action) {
        this.afterTick = action;
    }

    /**
     * Brings up the interfaces of the startup configuration; one that cannot come up is kept waiting and
     * retried, never dropped. The caller saves the result ({@link #save}).
     */
    synchronized void restore(List<InterfaceConfig> configs) {
        for (InterfaceConfig c : configs) {
            try {
                add(c);
                log.info("{}: restored: {}", c.name(), c.toIfconfigLine());
            } catch (ConfigException e) {
                String reason = reason(e);
                waiting.put(c.name(), new Waiting(c, reason));
                log.warn("{}: cannot come up yet: {}; kept, retried when links or addresses change and every {} s",
                        c.name(), reason, RETRY_SECONDS);
            }
        }
        updateCollectors();
    }

    /** Saves the configuration of every interface, up or waiting (at start: the state now follows the file). */
    synchronized void save() throws IOException {
        store.save(configs(), configDigest);
    }

    private void add(InterfaceConfig c) throws ConfigException {
        PflowInterface p = PflowInterface.create(c, defaults, clock);
        interfaces.put(c.name(), p);
        fanout.add(p);
    }

    /** Why an interface waits, as {@code ifconfig -v} shows it: the refusal without ifconfig's name. */
    private static String reason(ConfigException e) {
        return e.detail();
    }

    /**
     * Tries again to bring up every waiting interface. Cheap checks come first (is the name free, is flowsrc an
     * address of this host), so that a retry that cannot succeed creates nothing, and so causes no link change
     * that would call it again.
     */
    synchronized void retryWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        boolean changed = false;
        for (Waiting w : new ArrayList<>(waiting.values())) {
            String blocker = Readiness.blocker(w.config());
            if (blocker == null) {
                try {
                    add(w.config());
                    waiting.remove(w.config().name());
                    log.info("{}: up now: {}", w.config().name(), w.config().toIfconfigLine());
                    changed = true;
                    continue;
                } catch (ConfigException e) {
                    blocker = reason(e);
                }
            }
            if (!blocker.equals(w.reason())) {
                waiting.put(w.config().name(), new Waiting(w.config(), blocker));
                log.info("{}: still waiting: {}", w.config().name(), blocker);
            }
        }
        if (changed) {
            updateCollectors();
        }
    }

    @Override
    public synchronized List<InterfaceStatus> list() {
        Map<String, Long> src = sourceCounterSupplier.get();
        List<InterfaceStatus> out = new ArrayList<>();
        for (PflowInterface p : interfaces.values()) {
            out.add(p.status(src));
        }
        for (Waiting w : waiting.values()) {
            out.add(statusOf(w));
        }
        out.sort(Comparator.comparingInt(st -> st.config().unit()));
        return out;
    }

    @Override
    public synchronized InterfaceStatus status(String name) throws ConfigException {
        Waiting w = waiting.get(name);
        if (w != null) {
            return statusOf(w);
        }
        return lookup(name).status(sourceCounterSupplier.get());
    }

    /** A waiting interface: UP if configured so, never RUNNING, no kernel index, the reason it waits. */
    private InterfaceStatus statusOf(Waiting w) {
        int mtu;
        try {
            mtu = defaults.settingsFor(w.config()).interfaceMtu();
        } catch (RuntimeException e) {
            mtu = 0;
        }
        return new InterfaceStatus(w.config(), 0, InterfaceStatus.flagsFor(w.config(), false), mtu, Map.of(),
                w.reason());
    }

    private PflowInterface lookup(String name) throws ConfigException {
        PflowInterface p = interfaces.get(name);
        if (p == null) {
            throw new ConfigException(ConfigException.Reason.NO_SUCH_INTERFACE, name);
        }
        return p;
    }

    @Override
    public synchronized InterfaceStatus apply(IfconfigCommand cmd) throws ConfigException {
        Waiting w = waiting.get(cmd.name());
        if (w != null) {
            return applyToWaiting(cmd, w);
        }
        PflowInterface p = interfaces.get(cmd.name());
        Optional<InterfaceConfig> after = cmd.applyTo(Optional.ofNullable(p).map(PflowInterface::config));
        change(cmd.name(), after);
        if (after.isEmpty()) {
            if (p != null) {
                persist("destroyed " + cmd.name());
            }
            return null;
        }
        persist("changed " + cmd.name());
        return interfaces.get(cmd.name()).status(sourceCounterSupplier.get());
    }

    /**
     * Makes running interface {@code name} what {@code after} says (empty: destroyed): the one path of ifconfig
     * and of a reload. Every change flushes the interface's pending records first (PflowInterface.apply, destroy).
     *
     * @return whether anything changed
     */
    private boolean change(String name, Optional<InterfaceConfig> after) throws ConfigException {
        PflowInterface p = interfaces.get(name);
        if (after.isEmpty()) {
            if (p == null) {
                return false;
            }
            fanout.remove(p);
            interfaces.remove(name);
            p.destroy();
            log.info("{}: destroyed", name);
            return true;
        }
        if (p == null) {
            add(after.get());
            log.info("{}: created: {}", name, after.get().toIfconfigLine());
            return true;
        }
        if (!after.get().equals(p.config())) {
            p.apply(after.get());
            log.info("{}: now {}", name, after.get().toIfconfigLine());
            return true;
        }
        return false;
    }

    /**
     * {@code systemctl reload}: gives the interfaces a restart would give (see {@link StateStore#choose}), without
     * the restart. An unchanged configuration file keeps the running interfaces with their ifconfig changes; an
     * edited, added or removed one wins: interfaces it does not name are destroyed (waiting ones forgotten), the
     * others created or changed to match it. Pending records are flushed, never lost. An interface that cannot
     * come up is kept waiting, as at start.
     *
     * @return one line for the log and systemd's status
     */
    synchronized String reload(Optional<net.pflowd.config.ConfigFile> file) {
        String digest = file.map(net.pflowd.config.ConfigFile::digest).orElse(null);
        if (java.util.Objects.equals(digest, configDigest)) {
            return "configuration file unchanged: keeping the running interfaces";
        }
        Map<String, InterfaceConfig> wanted = new TreeMap<>();
        file.ifPresent(f -> f.interfaces().forEach(c -> wanted.put(c.name(), c)));
        int changed = 0;
        int waitingNow = 0;
        waiting.keySet().removeIf(name -> !wanted.containsKey(name));
        for (String name : new ArrayList<>(interfaces.keySet())) {
            if (!wanted.containsKey(name)) {
                try {
                    changed += change(name, Optional.empty()) ? 1 : 0;
                } catch (ConfigException e) {
                    log.error("{}: cannot destroy: {}", name, e.getMessage());
                }
            }
        }
        for (InterfaceConfig c : wanted.values()) {
            Waiting w = waiting.get(c.name());
            if (w != null) {
                waiting.put(c.name(), new Waiting(c, w.reason()));
                continue;
            }
            try {
                changed += change(c.name(), Optional.of(c)) ? 1 : 0;
            } catch (ConfigException e) {
                String reason = reason(e);
                waiting.put(c.name(), new Waiting(c, reason));
                log.warn("{}: cannot come up yet: {}; kept, retried", c.name(), reason);
            }
        }
        retryWaiting();
        waitingNow = waiting.size();
        configDigest = digest;
        try {
            persist("reloaded the configuration file");
        } catch (ConfigException e) {
            log.error("{}", e.getMessage());
        }
        return (file.isPresent() ? "configuration file changed: applied it" : "configuration file removed")
                + " (" + changed + " interface(s) changed, " + interfaces.size() + " interface(s) now"
                + (waitingNow > 0 ? ", " + waitingNow + " waiting" : "") + ")";
    }

    /**
     * A change to a waiting interface: a valid configuration is kept whether or not it can come up now (it is
     * tried at once); destroy forgets it. Invalid settings are refused as for any interface.
     */
    private InterfaceStatus applyToWaiting(IfconfigCommand cmd, Waiting w) throws ConfigException {
        Optional<InterfaceConfig> after = cmd.applyTo(Optional.of(w.config()));
        if (after.isEmpty()) {
            waiting.remove(cmd.name());
            log.info("{}: destroyed (it was waiting: {})", cmd.name(), w.reason());
            persist("destroyed " + cmd.name());
            return null;
        }
        Limits.requireMtuFits(after.get());
        waiting.put(cmd.name(), new Waiting(after.get(), w.reason()));
        log.info("{}: now {} (waiting)", cmd.name(), after.get().toIfconfigLine());
        retryWaiting();
        persist("changed " + cmd.name());
        return status(cmd.name());
    }

    /** Every configured interface, up or waiting, by unit. */
    private List<InterfaceConfig> configs() {
        List<InterfaceConfig> configs = new ArrayList<>();
        for (PflowInterface p : interfaces.values()) {
            configs.add(p.config());
        }
        for (Waiting w : waiting.values()) {
            configs.add(w.config());
        }
        configs.sort(Comparator.comparingInt(InterfaceConfig::unit));
        return configs;
    }

    /**
     * Saves the configuration of every interface. The change is in effect either way, but a failed write is
     * an error for the client: it is told that a restart would come up without it (and the log says so too).
     */
    private void persist(String what) throws ConfigException {
        updateCollectors();
        try {
            store.save(configs(), configDigest);
        } catch (IOException e) {
            String why = store.file() + ": " + e.getMessage();
            log.error("cannot save state ({}): {}", what, why);
            throw new ConfigException(ConfigException.Reason.NOT_SAVED, what, why);
        }
    }

    /** The collectors the source must never export (see {@link #collectors()}). */
    private void updateCollectors() {
        java.util.Set<java.net.InetSocketAddress> dsts = new java.util.HashSet<>();
        for (InterfaceConfig c : configs()) {
            if (c.flowdst() != null) {
                dsts.add(c.flowdst().toSocketAddress());
            }
        }
        long now = clock.millis();
        for (java.net.InetSocketAddress old : collectors) {
            if (!dsts.contains(old)) {
                retiredCollectors.putIfAbsent(old, now);
            }
        }
        retiredCollectors.keySet().removeAll(dsts);
        retiredCollectors.values().removeIf(left -> now - left > RETIRED_COLLECTOR_MILLIS);
        java.util.Set<java.net.InetSocketAddress> excluded = new java.util.HashSet<>(dsts);
        excluded.addAll(retiredCollectors.keySet());
        collectors = java.util.Set.copyOf(excluded);
    }

    private void tick() {
        List<PflowInterface> now;
        synchronized (this) {
            now = new ArrayList<>(interfaces.values());
            if (++ticks % RETRY_SECONDS == 0) {
                try {
                    retryWaiting();
                } catch (RuntimeException e) {
                    log.error("retrying waiting interfaces: {}", e.toString());
                }
            }
        }
        for (PflowInterface p : now) {
            try {
                p.tick();
            } catch (RuntimeException e) {
                log.error("{}: timer: {}", p.name(), e.toString());
            }
        }
        try {
            afterTick.run();
        } catch (RuntimeException e) {
            log.error("after timer: {}", e.toString()); // never let it cancel the timer
        }
    }

    /** Flushes every interface and removes the TUN devices; the saved state keeps them for the next start. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
        for (PflowInterface p : interfaces.values()) {
            fanout.remove(p);
            p.destroy();
        }
        interfaces.clear();
        waiting.clear();
    }
}
