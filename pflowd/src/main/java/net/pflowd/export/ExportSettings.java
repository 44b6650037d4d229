package net.pflowd.export;

import net.pflowd.wire.ExportFormat;
import net.pflowd.wire.ExporterId;
import net.pflowd.wire.RecordFamily;

/**
 * Immutable settings of one pflow interface's export engine. Start from {@link #defaults()} and derive
 * with the {@code with*} methods; each validates and throws {@link InvalidExportSettingsException}.
 *
 * <p>Bounds: version 5, 9 or 10; MTU {@link ExportFormat#MIN_MTU} (72) .. {@link ExportFormat#MAX_MTU}
 * (9216) and at least {@link ExportFormat#minimumMtu} for the version and collector family (one record
 * of every family must fit); timeouts at least 1 ms; engine type/id 0..255; observation domain unsigned 32-bit.
 */
public final class ExportSettings {
    /** pflow's PFLOW_TIMEOUT: a pending record leaves at the latest after this long. */
    public static final long DEFAULT_HOLD_MILLIS = 30_000;
    /** pflow's PFLOW_TMPL_TIMEOUT. */
    public static final long DEFAULT_IPFIX_TEMPLATE_MILLIS = 30_000;
    /** v9 template refresh, as mpd's ng_netflow: 600 s or 500 packets, whichever first. */
    public static final long DEFAULT_V9_TEMPLATE_MILLIS = 600_000;
    public static final int DEFAULT_V9_TEMPLATE_PACKETS = 500;

    public final int version;
    public final int mtu;
    public final boolean collectorIpv6;
    public final long holdTimeoutMillis;
    public final long ipfixTemplateTimeoutMillis;
    public final long v9TemplateRefreshMillis;
    public final int v9TemplateRefreshPackets;
    public final int engineType;
    public final int engineId;
    public final long observationDomain;
    /** Epoch ms that sysUptime counts from (the daemon's start). */
    public final long uptimeOriginMillis;
    /** The headers' view of the fields above. */
    public final ExporterId exporter;
    private final ExportFormat format;

    private ExportSettings(int version, int mtu, boolean collectorIpv6, long holdTimeoutMillis,
            long ipfixTemplateTimeoutMillis, long v9TemplateRefreshMillis, int v9TemplateRefreshPackets,
            int engineType, int engineId, long observationDomain, long uptimeOriginMillis) {
        ExportFormat format = ExportFormat.of(version);
        if (format == null) {
            throw new InvalidExportSettingsException("unsupported flow protocol version " + version + " (5, 9 or 10)");
        }
        if (mtu < ExportFormat.MIN_MTU || mtu > ExportFormat.MAX_MTU) {
            throw new InvalidExportSettingsException("mtu " + mtu + " out of range " + ExportFormat.MIN_MTU + ".."
                    + ExportFormat.MAX_MTU);
        }
        int min = format.minimumMtu(collectorIpv6);
        if (mtu < min) {
            throw new InvalidExportSettingsException("mtu " + mtu + " too small for version " + version + " to an "
                    + (collectorIpv6 ? "IPv6" : "IPv4") + " collector: at least " + min + " (one record of every family)");
        }
        positive("hold timeout", holdTimeoutMillis);
        positive("IPFIX template timeout", ipfixTemplateTimeoutMillis);
        positive("v9 template refresh time", v9TemplateRefreshMillis);
        positive("v9 template refresh packets", v9TemplateRefreshPackets);
        octet("engine type", engineType);
        octet("engine id", engineId);
        if (observationDomain < 0 || observationDomain > 0xffffffffL) {
            throw new InvalidExportSettingsException("observation domain " + observationDomain + " out of range 0..4294967295");
        }
        this.version = version;
        this.mtu = mtu;
        this.collectorIpv6 = collectorIpv6;
        this.holdTimeoutMillis = holdTimeoutMillis;
        this.ipfixTemplateTimeoutMillis = ipfixTemplateTimeoutMillis;
        this.v9TemplateRefreshMillis = v9TemplateRefreshMillis;
        this.v9TemplateRefreshPackets = v9TemplateRefreshPackets;
        this.engineType = engineType;
        this.engineId = engineId;
        this.observationDomain = observationDomain;
        this.uptimeOriginMillis = uptimeOriginMillis;
        this.exporter = new ExporterId(observationDomain, engineType, engineId, uptimeOriginMillis);
        this.format = format;
    }

    private static void positive(String what, long v) {
        if (v <= 0) {
            throw new InvalidExportSettingsException(what + " must be positive, got " + v);
        }
    }

    private static void octet(String what, int v) {
        if (v < 0 || v > 255) {
            throw new InvalidExportSettingsException(what + " " + v + " out of range 0..255");
        }
    }

    /** NetFlow v5 (pflow's default), MTU 1500, IPv4 collector, pflow's timers, engine 42/42, domain 42, origin 0. */
    public static ExportSettings defaults() {
        return new ExportSettings(5, 1500, false, DEFAULT_HOLD_MILLIS, DEFAULT_IPFIX_TEMPLATE_MILLIS,
                DEFAULT_V9_TEMPLATE_MILLIS, DEFAULT_V9_TEMPLATE_PACKETS, 42, 42, 42, 0);
    }

    public ExportSettings withVersion(int v) {
        return new ExportSettings(v, mtu, collectorIpv6, holdTimeoutMillis, ipfixTemplateTimeoutMillis,
                v9TemplateRefreshMillis, v9TemplateRefreshPackets, engineType, engineId, observationDomain, uptimeOriginMillis);
    }

    public ExportSettings withMtu(int m) {
        return new ExportSettings(version, m, collectorIpv6, holdTimeoutMillis, ipfixTemplateTimeoutMillis,
                v9TemplateRefreshMillis, v9TemplateRefreshPackets, engineType, engineId, observationDomain, uptimeOriginMillis);
    }

    public ExportSettings withCollectorIpv6(boolean v6) {
        return new ExportSettings(version, mtu, v6, holdTimeoutMillis, ipfixTemplateTimeoutMillis,
                v9TemplateRefreshMillis, v9TemplateRefreshPackets, engineType, engineId, observationDomain, uptimeOriginMillis);
    }

    public ExportSettings withHoldTimeoutMillis(long t) {
        return new ExportSettings(version, mtu, collectorIpv6, t, ipfixTemplateTimeoutMillis,
                v9TemplateRefreshMillis, v9TemplateRefreshPackets, engineType, engineId, observationDomain, uptimeOriginMillis);
    }

    public ExportSettings withIpfixTemplateTimeoutMillis(long t) {
        return new ExportSettings(version, mtu, collectorIpv6, holdTimeoutMillis, t,
                v9TemplateRefreshMillis, v9TemplateRefreshPackets, engineType, engineId, observationDomain, uptimeOriginMillis);
    }

    public ExportSettings withV9TemplateRefresh(long millis, int packets) {
        return new ExportSettings(version, mtu, collectorIpv6, holdTimeoutMillis, ipfixTemplateTimeoutMillis,
                millis, packets, engineType, engineId, observationDomain, uptimeOriginMillis);
    }

    public ExportSettings withEngine(int type, int id) {
        return new ExportSettings(version, mtu, collectorIpv6, holdTimeoutMillis, ipfixTemplateTimeoutMillis,
                v9TemplateRefreshMillis, v9TemplateRefreshPackets, type, id, observationDomain, uptimeOriginMillis);
    }

    public ExportSettings withObservationDomain(long d) {
        return new ExportSettings(version, mtu, collectorIpv6, holdTimeoutMillis, ipfixTemplateTimeoutMillis,
                v9TemplateRefreshMillis, v9TemplateRefreshPackets, engineType, engineId, d, uptimeOriginMillis);
    }

    public ExportSettings withUptimeOriginMillis(long o) {
        return new ExportSettings(version, mtu, collectorIpv6, holdTimeoutMillis, ipfixTemplateTimeoutMillis,
                v9TemplateRefreshMillis, v9TemplateRefreshPackets, engineType, engineId, observationDomain, o);
    }

    /** The format of {@link #version}. */
    public ExportFormat format() {
        return format;
    }

    /** Records of a family per datagram under these settings. */
    public int recordsPerDatagram(RecordFamily f) {
        return format.recordsPerDatagram(mtu, collectorIpv6, f);
    }

    /** The MTU pflowN shows (see {@link ExportFormat#interfaceMtu}). */
    public int interfaceMtu() {
        return format.interfaceMtu(mtu, collectorIpv6);
    }

    /** How often templates are sent again: the IPFIX template timeout, or v9's refresh time. */
    public long templateRefreshMillis() {
        return format.refreshesTemplatesByPackets() ? v9TemplateRefreshMillis : ipfixTemplateTimeoutMillis;
    }

    @Override
    public String toString() {
        return "version " + version + " mtu " + mtu + (collectorIpv6 ? " (IPv6 collector)" : "") + " hold "
                + holdTimeoutMillis + " ms engine " + engineType + "/" + engineId + " domain " + observationDomain;
    }
}
