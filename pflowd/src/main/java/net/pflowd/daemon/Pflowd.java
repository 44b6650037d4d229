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
import net.pflowd.control.ControlException;
import net.pflowd.control.IfconfigCommand;
import net.pflowd.control.InterfaceConfig;
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
 */
final class Pflowd implements InterfaceManager, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pflowd.class);

    private final DaemonDefaults defaults;
    private final Clock clock;
    private final StateStore store;
    /** The digest of the configuration file the interfaces derive from (changes on a reload that applies it). */
    private String configDigest;
    private final FlowFanout fanout = new FlowFanout();
    private final Map<String, PflowInterface> interfaces =
            new TreeMap<>(Comparator.comparingInt(n -> Integer.parseInt(n.substring("pflow".length()))));
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
    /** Run after every completed tick: the systemd watchdog's proof that the timers still run. */
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

    /** Brings up the interfaces of the startup configuration; one that fails is logged and skipped. */
    synchronized void restore(List<InterfaceConfig> configs) {
        for (InterfaceConfig c : configs) {
            try {
                add(c);
                log.info("{}: restored: {}", c.name(), c.toIfconfigLine());
            } catch (ControlException e) {
                log.error("{}: cannot restore: {}", c.name(), e.getMessage());
            }
        }
        persist();
    }

    private void add(InterfaceConfig c) throws ControlException {
        PflowInterface p = PflowInterface.create(c, defaults, clock);
        interfaces.put(c.name(), p);
        fanout.add(p);
    }

    @Override
    public synchronized List<InterfaceStatus> list() {
        Map<String, Long> src = sourceCounterSupplier.get();
        List<InterfaceStatus> out = new ArrayList<>();
        for (PflowInterface p : interfaces.values()) {
            out.add(p.status(src));
        }
        return out;
    }

    @Override
    public synchronized InterfaceStatus status(String name) throws ControlException {
        return lookup(name).status(sourceCounterSupplier.get());
    }

    private PflowInterface lookup(String name) throws ControlException {
        PflowInterface p = interfaces.get(name);
        if (p == null) {
            throw new ControlException("ifconfig: " + name + ": no such interface");
        }
        return p;
    }

    @Override
    public synchronized InterfaceStatus apply(IfconfigCommand cmd) throws ControlException {
        PflowInterface p = interfaces.get(cmd.name());
        Optional<InterfaceConfig> before = Optional.ofNullable(p).map(PflowInterface::config);
        Optional<InterfaceConfig> after = cmd.applyTo(before);
        change(cmd.name(), after);
        persist();
        return after.isEmpty() ? null : interfaces.get(cmd.name()).status(sourceCounterSupplier.get());
    }

    /**
     * Makes interface {@code name} what {@code after} says (empty: destroyed): the one path of ifconfig and of a
     * reload. Every change flushes the interface's pending records first (PflowInterface.apply, destroy).
     *
     * @return whether anything changed
     */
    private boolean change(String name, Optional<InterfaceConfig> after) throws ControlException {
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
     * edited, added or removed one wins: interfaces it does not name are destroyed, the others created or changed
     * to match it. Pending records are flushed, never lost. An interface that cannot be set up is logged and
     * skipped, as at start.
     *
     * @return one line for the log and systemd's status
     */
    synchronized String reload(Optional<net.pflowd.control.ConfigFile> file) {
        String digest = file.map(net.pflowd.control.ConfigFile::digest).orElse(null);
        if (java.util.Objects.equals(digest, configDigest)) {
            return "configuration file unchanged: keeping the running interfaces";
        }
        Map<String, InterfaceConfig> wanted = new TreeMap<>();
        file.ifPresent(f -> f.interfaces().forEach(c -> wanted.put(c.name(), c)));
        int changed = 0;
        int failed = 0;
        for (String name : new ArrayList<>(interfaces.keySet())) {
            if (!wanted.containsKey(name)) {
                try {
                    changed += change(name, Optional.empty()) ? 1 : 0;
                } catch (ControlException e) {
                    failed++;
                    log.error("{}: cannot destroy: {}", name, e.getMessage());
                }
            }
        }
        for (InterfaceConfig c : wanted.values()) {
            try {
                changed += change(c.name(), Optional.of(c)) ? 1 : 0;
            } catch (ControlException e) {
                failed++;
                log.error("{}: cannot apply: {}", c.name(), e.getMessage());
            }
        }
        configDigest = digest;
        persist();
        return (file.isPresent() ? "configuration file changed: applied it" : "configuration file removed")
                + " (" + changed + " interface(s) changed" + (failed > 0 ? ", " + failed + " failed" : "") + ", "
                + interfaces.size() + " interface(s) now)";
    }

    /**
     * Saves the configuration of every interface. A failed write is logged and the change stays in
     * effect: the running system is right, only a restart would come up with the previous state.
     */
    private void persist() {
        List<InterfaceConfig> configs = new ArrayList<>();
        java.util.Set<java.net.InetSocketAddress> dsts = new java.util.HashSet<>();
        for (PflowInterface p : interfaces.values()) {
            configs.add(p.config());
            if (p.config().flowdst() != null) {
                dsts.add(p.config().flowdst().toSocketAddress());
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
        try {
            store.save(configs, configDigest);
        } catch (IOException e) {
            log.error("cannot save state to {}: {}", store.file(), e.getMessage());
        }
    }

    private void tick() {
        List<PflowInterface> now;
        synchronized (this) {
            now = new ArrayList<>(interfaces.values());
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
    }
}
