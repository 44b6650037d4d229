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
    private final String configDigest;
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
        if (after.isEmpty()) {
            if (p != null) {
                fanout.remove(p);
                interfaces.remove(cmd.name());
                p.destroy();
                log.info("{}: destroyed", cmd.name());
                persist();
            }
            return null;
        }
        if (p == null) {
            add(after.get());
            log.info("{}: created: {}", cmd.name(), after.get().toIfconfigLine());
        } else if (!after.get().equals(before.get())) {
            p.apply(after.get());
            log.info("{}: now {}", cmd.name(), after.get().toIfconfigLine());
        }
        persist();
        return interfaces.get(cmd.name()).status(sourceCounterSupplier.get());
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
