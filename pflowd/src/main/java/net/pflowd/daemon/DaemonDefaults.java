package net.pflowd.daemon;

import net.pflowd.config.InterfaceConfig;
import net.pflowd.export.ExportSettings;

/**
 * The daemon-wide export settings every interface starts from (timers, engine type, the uptime
 * origin), set with pflowd's options; each interface adds its own version, MTU, collector family and
 * domain from its {@link InterfaceConfig}.
 */
record DaemonDefaults(long holdTimeoutMillis, long ipfixTemplateTimeoutMillis, long v9TemplateRefreshMillis,
                      int v9TemplateRefreshPackets, int engineType, long uptimeOriginMillis) {

    ExportSettings settingsFor(InterfaceConfig c) {
        return ExportSettings.defaults()
                .withVersion(c.pflowproto())
                // The family before the MTU: the MTU is checked against the minimum of the collector's family.
                .withCollectorIpv6(c.flowdst() != null && c.flowdst().isIPv6())
                .withMtu(c.mtu())
                .withHoldTimeoutMillis(holdTimeoutMillis)
                .withIpfixTemplateTimeoutMillis(ipfixTemplateTimeoutMillis)
                .withV9TemplateRefresh(v9TemplateRefreshMillis, v9TemplateRefreshPackets)
                .withEngine(engineType, c.v5EngineId())
                .withObservationDomain(c.domain())
                .withUptimeOriginMillis(uptimeOriginMillis);
    }
}
