package net.pflowd.config;

import net.pflowd.wire.ExportFormat;

/**
 * Every bound and default of pflowd's settings in one table: what an interface accepts (the ifconfig keywords)
 * and what the daemon's options start from. The MTU bounds are the formats' own ({@link ExportFormat}): the
 * grammar, the interface model and the export settings all read them here.
 *
 * <table>
 * <caption>Bounds and defaults</caption>
 * <tr><th>setting</th><th>bounds</th><th>default</th></tr>
 * <tr><td>{@code pflowproto}</td><td>5, 9, 10</td><td>{@value #DEFAULT_VERSION} (OpenBSD's)</td></tr>
 * <tr><td>{@code mtu}</td><td>{@value #MIN_MTU}..{@value #MAX_MTU}, and {@link #minimumMtu} for the version and
 * the collector's family</td><td>{@value #DEFAULT_MTU}</td></tr>
 * <tr><td>{@code domain}</td><td>0..{@value #MAX_DOMAIN}</td><td>{@value #DEFAULT_DOMAIN}</td></tr>
 * <tr><td>{@code --hold-timeout}</td><td>{@value #MIN_TIMER_SECONDS}..{@value #MAX_TIMER_SECONDS} s</td>
 * <td>{@value #DEFAULT_HOLD_SECONDS} s (PFLOW_TIMEOUT)</td></tr>
 * <tr><td>{@code --template-timeout}</td><td>{@value #MIN_TIMER_SECONDS}..{@value #MAX_TIMER_SECONDS} s</td>
 * <td>{@value #DEFAULT_TEMPLATE_SECONDS} s (PFLOW_TMPL_TIMEOUT)</td></tr>
 * <tr><td>{@code --v9-template-timeout}, {@code --v9-template-packets}</td><td>{@value #MIN_TIMER_SECONDS}..{@value
 * #MAX_TIMER_SECONDS} s, at least 1 packet</td><td>{@value #DEFAULT_V9_TEMPLATE_SECONDS} s, {@value
 * #DEFAULT_V9_TEMPLATE_PACKETS} packets (mpd's ng_netflow)</td></tr>
 * <tr><td>{@code --engine-type}</td><td>0..{@value #MAX_ENGINE}</td><td>{@value #DEFAULT_ENGINE_TYPE}</td></tr>
 * </table>
 *
 * <p>Only constants are read by the model and the grammar (the ifconfig client's jar holds them without the
 * formats); {@link #minimumMtu} is the daemon's, which has the formats.
 */
public final class Limits {
    /** NetFlow v5, OpenBSD's default. */
    public static final int DEFAULT_VERSION = 5;

    /** PFLOW_MINMTU: one v5 header and one v5 record. The real floor is {@link #minimumMtu}. */
    public static final int MIN_MTU = ExportFormat.MIN_MTU;
    /** A jumbo frame. */
    public static final int MAX_MTU = ExportFormat.MAX_MTU;
    public static final int DEFAULT_MTU = 1500;

    /** The observation domain is an unsigned 32-bit number in every version that carries it whole. */
    public static final long MAX_DOMAIN = 0xffff_ffffL;
    public static final long DEFAULT_DOMAIN = 42;

    /** The daemon's timers (hold, template refresh): one second to one day. */
    public static final long MIN_TIMER_SECONDS = 1;
    public static final long MAX_TIMER_SECONDS = 86_400;
    public static final long DEFAULT_HOLD_SECONDS = 30;
    public static final long DEFAULT_TEMPLATE_SECONDS = 30;
    public static final long DEFAULT_V9_TEMPLATE_SECONDS = 600;
    public static final int DEFAULT_V9_TEMPLATE_PACKETS = 500;
    /** NetFlow v5 engine_type and engine_id are octets. */
    public static final int MAX_ENGINE = 255;
    public static final int DEFAULT_ENGINE_TYPE = 42;

    private Limits() {
    }

    /**
     * The smallest MTU at which one record of every family fits a datagram of {@code version} to a collector of
     * the given family (the format's {@link ExportFormat#minimumMtu}).
     *
     * @throws IllegalArgumentException for a version that is not 5, 9 or 10
     */
    public static int minimumMtu(int version, boolean collectorIpv6) {
        ExportFormat f = ExportFormat.of(version);
        if (f == null) {
            throw new IllegalArgumentException("unsupported flow protocol version " + version + " (5, 9 or 10)");
        }
        return f.minimumMtu(collectorIpv6);
    }

    /**
     * Refuses an interface whose MTU cannot carry one record of every family in its version to its collector
     * (the family of flowdst; IPv4 while there is none). The one check of the version-dependent minimum.
     */
    public static void requireMtuFits(InterfaceConfig c) throws ConfigException {
        boolean v6 = c.flowdst() != null && c.flowdst().isIPv6();
        int min = minimumMtu(c.pflowproto(), v6);
        if (c.mtu() < min) {
            throw new ConfigException(ConfigException.Reason.MTU_TOO_SMALL_FOR_FORMAT, c.name(),
                    Integer.toString(c.mtu()), Integer.toString(c.pflowproto()), v6 ? "IPv6" : "IPv4",
                    Integer.toString(min));
        }
    }
}
