package net.pflowd.daemon;

import net.pflowd.config.InterfaceConfig;
import net.pflowd.export.ExportSettings;
import net.pflowd.wire.ExporterId;

/**
 * The daemon-wide export settings every interface starts from (timers, engine type, the uptime
 * origin), set with pflowd's options (their defaults are {@link net.pflowd.config.Limits}'); each interface adds
 * its own version, MTU, collector family and domain from its {@link InterfaceConfig}.
 */
record DaemonDefaults(long holdTimeoutMillis, long ipfixTemplateTimeoutMillis, long v9TemplateRefreshMillis,
                      int v9TemplateRefreshPackets, int engineType, long uptimeOriginMillis) {

    /** The export settings of interface {@code c}; its MTU is already within its version's minimum. */
    ExportSettings settingsFor(InterfaceConfig c) {
        boolean collectorIpv6 = c.flowdst() != null && c.flowdst().isIPv6();
        return new ExportSettings(c.pflowproto(), c.mtu(), collectorIpv6, holdTimeoutMillis,
                ipfixTemplateTimeoutMillis, v9TemplateRefreshMillis, v9TemplateRefreshPackets,
                new ExporterId(c.domain(), engineType, c.v5EngineId(), uptimeOriginMillis));
    }
}
