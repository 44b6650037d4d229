package net.pflowd.control;

import net.pflowd.config.ConfigException;

import net.pflowd.config.InterfaceConfig;
import net.pflowd.config.IfconfigCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** In-memory InterfaceManager: what the daemon does, minus TUN devices and exporters. Test only. */
final class FakeInterfaceManager implements InterfaceManager {
    private final TreeMap<Integer, InterfaceConfig> interfaces = new TreeMap<>();
    private final Map<String, Integer> indexes = new TreeMap<>();
    private int nextIndex = 7;
    int applied;

    @Override
    public synchronized List<InterfaceStatus> list() {
        List<InterfaceStatus> out = new ArrayList<>();
        for (InterfaceConfig c : interfaces.values()) {
            out.add(statusOf(c));
        }
        return out;
    }

    @Override
    public synchronized InterfaceStatus status(String name) throws ConfigException {
        InterfaceConfig c = InterfaceConfig.isPflowName(name) ? interfaces.get(unit(name)) : null;
        if (c == null) {
            throw new ConfigException(ConfigException.Reason.NO_SUCH_INTERFACE, name);
        }
        return statusOf(c);
    }

    @Override
    public synchronized InterfaceStatus apply(IfconfigCommand cmd) throws ConfigException {
        Optional<InterfaceConfig> next = cmd.applyTo(Optional.ofNullable(interfaces.get(unit(cmd.name()))));
        applied++;
        if (next.isEmpty()) {
            interfaces.remove(unit(cmd.name()));
            indexes.remove(cmd.name());
            return null;
        }
        interfaces.put(unit(cmd.name()), next.get());
        indexes.computeIfAbsent(cmd.name(), n -> nextIndex++);
        return statusOf(next.get());
    }

    private InterfaceStatus statusOf(InterfaceConfig c) {
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put(InterfaceStatus.FLOWS, 3L);
        stats.put(InterfaceStatus.PACKETS, 2L);
        stats.put(InterfaceStatus.BYTES, 312L);
        stats.put(InterfaceStatus.ERRORS, 0L);
        stats.put(InterfaceStatus.DROPPED, 0L);
        // pflow_setmtu(): whole v5 records after the 24-byte header, within mtu - 28 (IP + UDP).
        int mtu = 24 + (c.mtu() - 28 - 24) / 48 * 48 + 28;
        return new InterfaceStatus(c, indexes.getOrDefault(c.name(), 0), InterfaceStatus.flagsFor(c, true), mtu, stats);
    }

    private static int unit(String name) {
        return Integer.parseInt(name.substring("pflow".length()));
    }
}
