package net.pflowd.wire;

/**
 * Who sends, as the headers say it: the IPFIX observation domain (also the v9 source id), the v5 engine type and
 * id, and the moment sysUptime counts from (v5 and v9 times are ms since it).
 */
public record ExporterId(long observationDomain, int engineType, int engineId, long uptimeOriginMillis) {
    /** sysUptime of an epoch-ms time: ms since the origin, clamped at 0, truncated to 32 bits as the formats do. */
    public int uptime(long epochMillis) {
        long d = epochMillis - uptimeOriginMillis;
        return d < 0 ? 0 : (int) d;
    }
}
