package net.pflowd.control;

import net.pflowd.config.InterfaceConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code ifconfig pflowN} shows, as the daemon reports it.
 *
 * @param config     the interface's configuration
 * @param index      the kernel ifindex of the TUN device (0 if none exists)
 * @param flags      interface flags, the bits of net/if.h: {@link #IFF_UP}, {@link #IFF_RUNNING}
 * @param mtu        the MTU pflow uses and shows (derived by the daemon from the requested {@code config.mtu()})
 * @param statistics counters by name; {@link #STAT_KEYS} first in the verbose view, any other a source adds after
 * @param waiting    why a configured interface cannot come up yet (its flowsrc is no address of the host, its
 *                   name is taken), or null; the daemon keeps it and retries
 */
public record InterfaceStatus(
        InterfaceConfig config,
        int index,
        int flags,
        int mtu,
        Map<String, Long> statistics,
        String waiting) {

    public static final int IFF_UP = 0x1;
    public static final int IFF_RUNNING = 0x40;

    public static final String FLOWS = "flows";
    public static final String PACKETS = "packets";
    public static final String BYTES = "bytes";
    public static final String ERRORS = "errors";
    public static final String DROPPED = "dropped";
    /** The counters every implementation should report, in display order. */
    public static final java.util.List<String> STAT_KEYS = java.util.List.of(FLOWS, PACKETS, BYTES, ERRORS, DROPPED);

    public InterfaceStatus {
        Objects.requireNonNull(config, "config");
        statistics = statistics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
    }

    /** An interface that is up or down as configured, with nothing keeping it from coming up. */
    public InterfaceStatus(InterfaceConfig config, int index, int flags, int mtu, Map<String, Long> statistics) {
        this(config, index, flags, mtu, statistics, null);
    }

    /**
     * The flags OpenBSD's pflow shows for a config: UP when administratively up, RUNNING when also a valid
     * receiver is set ({@code running} false lets the daemon clear it, e.g. when its export socket failed).
     */
    public static int flagsFor(InterfaceConfig config, boolean running) {
        int f = config.up() ? IFF_UP : 0;
        if (config.up() && config.flowdst() != null && running) {
            f |= IFF_RUNNING;
        }
        return f;
    }

    public String name() {
        return config.name();
    }

    public boolean isUp() {
        return (flags & IFF_UP) != 0;
    }

    public boolean isRunning() {
        return (flags & IFF_RUNNING) != 0;
    }

    public long statistic(String key) {
        Long v = statistics.get(key);
        return v == null ? 0 : v;
    }
}
