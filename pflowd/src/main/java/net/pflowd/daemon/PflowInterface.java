package net.pflowd.daemon;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import net.pflowd.config.ConfigException;
import net.pflowd.config.FlowEndpoint;
import net.pflowd.config.InterfaceConfig;
import net.pflowd.config.Limits;
import net.pflowd.control.InterfaceStatus;
import net.pflowd.export.DropReason;
import net.pflowd.export.ExportCounters;
import net.pflowd.export.ExportEngine;
import net.pflowd.export.ExportSettings;
import net.pflowd.flow.Clock;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowSink;
import net.pflowd.iface.ExportPath;
import net.pflowd.iface.IfaceException;
import net.pflowd.iface.OutputCounters;
import net.pflowd.iface.PacketMirror;
import net.pflowd.iface.TunDevice;

/**
 * One pflowN interface, the softc of if_pflow.c: the TUN device that gives it a name, flags and an
 * MTU, the export engine that packs records, and the export path (UDP socket + mirror) that is its
 * one I/O point. RUNNING means UP with a valid receiver and an open socket, as pflow sets IFF_RUNNING.
 *
 * <p>Not thread-safe for configuration: {@link Pflowd} serialises {@link #apply}; records arrive
 * concurrently through {@link #accept} and are serialised by the engine's lock.
 */
final class PflowInterface implements FlowSink {
    private final TunDevice tun;
    private final PacketMirror mirror;
    private final ExportEngine engine;
    private final DaemonDefaults defaults;
    private InterfaceConfig config;
    private ExportPath path;
    /** What this interface's export paths sent and failed to, counted by them at the send, across every path. */
    private final OutputCounters output = new OutputCounters();

    private PflowInterface(TunDevice tun, PacketMirror mirror, ExportEngine engine, DaemonDefaults defaults) {
        this.tun = tun;
        this.mirror = mirror;
        this.engine = engine;
        this.defaults = defaults;
    }

    /** Creates the TUN device and brings the interface to {@code config}; on failure nothing remains. */
    static PflowInterface create(InterfaceConfig config, DaemonDefaults defaults, Clock clock) throws ConfigException {
        TunDevice tun = null;
        PacketMirror mirror = null;
        try {
            tun = TunDevice.create(config.name());
            mirror = PacketMirror.open(tun);
            ExportEngine engine = new ExportEngine(defaults.settingsFor(InterfaceConfig.created(config.name())), clock,
                    payload -> {
                        throw new IOException(config.name() + ": no receiver");
                    });
            PflowInterface p = new PflowInterface(tun, mirror, engine, defaults);
            p.config = InterfaceConfig.created(config.name()).withUp(false);
            p.apply(config);
            return p;
        } catch (IfaceException e) {
            closeQuietly(mirror, tun);
            throw refused(e);
        } catch (ConfigException | RuntimeException e) {
            closeQuietly(mirror, tun);
            throw e;
        }
    }

    String name() {
        return tun.name();
    }

    InterfaceConfig config() {
        return config;
    }

    /**
     * Brings the interface to {@code next}. Pending records are flushed through the old path before
     * anything changes, as pflow does on every SIOCSETPFLOW; a socket that cannot be opened (flowsrc
     * not local, family mismatch) fails the whole change and leaves the interface as it was.
     */
    void apply(InterfaceConfig next) throws ConfigException {
        Objects.requireNonNull(next, "next");
        Limits.requireMtuFits(next);
        ExportSettings nextSettings = defaults.settingsFor(next);
        boolean newPath = path == null || !Objects.equals(next.flowsrc(), config.flowsrc())
                || !Objects.equals(next.flowdst(), config.flowdst());
        ExportPath opened = null;
        if (newPath && next.flowdst() != null) {
            try {
                opened = ExportPath.open(tun.name(), address(next.flowsrc()), next.flowdst().toSocketAddress(), mirror,
                        output);
            } catch (IfaceException e) {
                throw refused(e);
            }
        }
        ExportPath old = path;
        ExportPath current = newPath ? opened : path;
        boolean wasRunning = engine.isRunning();
        boolean runNext = next.up() && next.flowdst() != null && current != null;
        try {
            if (!runNext) {
                engine.setRunning(false); // flushes through the old path; nothing is sent to a path going away
            }
            engine.reconfigure(nextSettings, current == null ? this::noReceiver : current);
            // The kernel's MTU is the requested one: every datagram stays under it (set header and real IP
            // header counted), while pflow's shown MTU, which leaves out the set header, can be smaller than
            // a full IPFIX datagram. The mirror needs the real bound, or full datagrams fail with EMSGSIZE.
            tun.setMtu(next.mtu());
            tun.setUp(next.up());
        } catch (IfaceException | RuntimeException e) {
            // Back to the old socket and settings: the change is refused as a whole.
            engine.reconfigure(defaults.settingsFor(config), old == null ? this::noReceiver : old);
            engine.setRunning(wasRunning);
            if (opened != null) {
                opened.close();
            }
            throw e instanceof IfaceException ie ? refused(ie)
                    : ConfigException.system(null, String.valueOf(e.getMessage()), 0, e);
        }
        path = current;
        config = next;
        engine.setRunning(runNext);
        if (newPath && old != null) {
            old.close();
        }
    }

    /** What the system refused, with its errno, for the control server to word. */
    private static ConfigException refused(IfaceException e) {
        return ConfigException.system(e.ifname(), e.getMessage(), e.errno(), e);
    }

    private void noReceiver(java.nio.ByteBuffer payload) throws IOException {
        throw new IOException(tun.name() + ": no receiver");
    }

    private static java.net.InetSocketAddress address(FlowEndpoint e) {
        return e == null ? null : e.toSocketAddress();
    }

    boolean isRunning() {
        return config.up() && config.flowdst() != null && path != null;
    }

    @Override
    public void accept(FlowRecord record) {
        engine.export(record);
    }

    /** Runs the engine's timers: the 30 s hold flush and the template refresh. */
    void tick() {
        engine.tick();
    }

    InterfaceStatus status(Map<String, Long> sourceCounters) {
        ExportCounters c = engine.counters();
        Map<String, Long> stats = new LinkedHashMap<>();
        // flows as pflow counts them: records taken into a datagram (sent or still pending); records-sent those
        // in datagrams the kernel accepted. errors: datagrams known lost, i.e. failed sends plus the ICMP
        // errors (collector port closed, unreachable) the socket reported about earlier datagrams.
        stats.put(InterfaceStatus.FLOWS, c.flows);
        stats.put(InterfaceStatus.PACKETS, c.datagrams);
        stats.put(InterfaceStatus.BYTES, c.bytes);
        // The engine sees every failed send (the path's and a missing receiver's); only the path sees the reports,
        // which cost the engine nothing since the send that received one was repeated and went out.
        stats.put(InterfaceStatus.ERRORS, c.sendErrors + output.reportedErrors());
        stats.put(InterfaceStatus.DROPPED, c.droppedTotal());
        stats.put("export.records-sent", c.records);
        stats.put("export.templates", c.templateDatagrams);
        for (Map.Entry<DropReason, Long> d : c.droppedByReason().entrySet()) {
            stats.put("export.dropped-" + d.getKey().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), d.getValue());
        }
        stats.put("export.socket-errors", output.outputErrors());
        stats.put("mirror.packets", mirror.sentPackets());
        stats.put("mirror.errors", output.mirrorErrors());
        stats.putAll(sourceCounters);
        return new InterfaceStatus(config, tun.ifindex(), InterfaceStatus.flagsFor(config, isRunning()),
                engine.interfaceMtu(), stats);
    }

    /** Flushes what is pending, then removes the interface. */
    void destroy() {
        engine.close();
        if (path != null) {
            path.close();
        }
        closeQuietly(mirror, tun);
    }

    private static void closeQuietly(PacketMirror mirror, TunDevice tun) {
        if (mirror != null) {
            mirror.close();
        }
        if (tun != null) {
            tun.close();
        }
    }
}
