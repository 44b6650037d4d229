package net.pflowd.export;

import java.util.function.Consumer;
import net.pflowd.config.Limits;
import net.pflowd.wire.ExportFormat;
import net.pflowd.wire.ExporterId;
import net.pflowd.wire.RecordFamily;

/**
 * The settings of one pflow interface's export engine. Start from {@link #defaults()} and derive with the
 * {@code with*} methods; every instance is valid, or {@link InvalidExportSettingsException} says why.
 *
 * <p>Bounds ({@link Limits}): version 5, 9 or 10; MTU {@value Limits#MIN_MTU}..{@value Limits#MAX_MTU} and at
 * least {@link ExportFormat#minimumMtu} for the version and collector family (one record of every family must
 * fit); timeouts at least 1 ms; engine type and id 0..255; observation domain unsigned 32-bit. The daemon refuses
 * a user's MTU below the minimum before it gets here ({@link Limits#requireMtuFits}); these checks keep the
 * engine's own invariants.
 *
 * @param version                    5, 9 or 10
 * @param mtu                        the bound every datagram keeps, IP and UDP headers included
 * @param collectorIpv6              whether flowdst is IPv6 (its IP header is 20 bytes longer)
 * @param holdTimeoutMillis          a pending record leaves at the latest after this long (pflow's PFLOW_TIMEOUT)
 * @param ipfixTemplateTimeoutMillis IPFIX template refresh (PFLOW_TMPL_TIMEOUT)
 * @param v9TemplateRefreshMillis    v9 template refresh by time (mpd's ng_netflow)
 * @param v9TemplateRefreshPackets   v9 template refresh by export packets, whichever comes first
 * @param exporter                   the headers' observation domain, v5 engine type and id, and the epoch ms that
 *                                   sysUptime counts from (the daemon's start)
 */
public record ExportSettings(int version, int mtu, boolean collectorIpv6, long holdTimeoutMillis,
        long ipfixTemplateTimeoutMillis, long v9TemplateRefreshMillis, int v9TemplateRefreshPackets,
        ExporterId exporter) {

    public ExportSettings {
        ExportFormat format = ExportFormat.of(version);
        if (format == null) {
            throw new InvalidExportSettingsException("unsupported flow protocol version " + version + " (5, 9 or 10)");
        }
        if (mtu < Limits.MIN_MTU || mtu > Limits.MAX_MTU) {
            throw new InvalidExportSettingsException("mtu " + mtu + " out of range " + Limits.MIN_MTU + ".."
                    + Limits.MAX_MTU);
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
        if (exporter == null) {
            throw new InvalidExportSettingsException("no exporter id");
        }
        octet("engine type", exporter.engineType());
        octet("engine id", exporter.engineId());
        if (exporter.observationDomain() < 0 || exporter.observationDomain() > Limits.MAX_DOMAIN) {
            throw new InvalidExportSettingsException("observation domain " + exporter.observationDomain()
                    + " out of range 0.." + Limits.MAX_DOMAIN);
        }
    }

    private static void positive(String what, long v) {
        if (v <= 0) {
            throw new InvalidExportSettingsException(what + " must be positive, got " + v);
        }
    }

    private static void octet(String what, int v) {
        if (v < 0 || v > Limits.MAX_ENGINE) {
            throw new InvalidExportSettingsException(what + " " + v + " out of range 0.." + Limits.MAX_ENGINE);
        }
    }

    /**
     * {@link Limits}' defaults: NetFlow v5, MTU 1500, an IPv4 collector, pflow's timers, engine 42/42 (the engine
     * id is the domain's low 8 bits), domain 42, uptime origin 0.
     */
    public static ExportSettings defaults() {
        return new ExportSettings(Limits.DEFAULT_VERSION, Limits.DEFAULT_MTU, false,
                Limits.DEFAULT_HOLD_SECONDS * 1000, Limits.DEFAULT_TEMPLATE_SECONDS * 1000,
                Limits.DEFAULT_V9_TEMPLATE_SECONDS * 1000, Limits.DEFAULT_V9_TEMPLATE_PACKETS,
                new ExporterId(Limits.DEFAULT_DOMAIN, Limits.DEFAULT_ENGINE_TYPE, (int) (Limits.DEFAULT_DOMAIN & 0xff), 0));
    }

    public ExportSettings withVersion(int v) {
        return with(b -> b.version = v);
    }

    public ExportSettings withMtu(int m) {
        return with(b -> b.mtu = m);
    }

    public ExportSettings withCollectorIpv6(boolean v6) {
        return with(b -> b.collectorIpv6 = v6);
    }

    public ExportSettings withHoldTimeoutMillis(long t) {
        return with(b -> b.holdTimeoutMillis = t);
    }

    public ExportSettings withIpfixTemplateTimeoutMillis(long t) {
        return with(b -> b.ipfixTemplateTimeoutMillis = t);
    }

    public ExportSettings withV9TemplateRefresh(long millis, int packets) {
        return with(b -> {
            b.v9TemplateRefreshMillis = millis;
            b.v9TemplateRefreshPackets = packets;
        });
    }

    public ExportSettings withEngine(int type, int id) {
        return with(b -> {
            b.engineType = type;
            b.engineId = id;
        });
    }

    public ExportSettings withObservationDomain(long d) {
        return with(b -> b.observationDomain = d);
    }

    public ExportSettings withUptimeOriginMillis(long o) {
        return with(b -> b.uptimeOriginMillis = o);
    }

    /** A copy with {@code change} applied to its components, validated as a whole. */
    private ExportSettings with(Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return c.settings();
    }

    /** The components, mutable for one derivation: the one place that lists them all besides the header. */
    private static final class Components {
        int version;
        int mtu;
        boolean collectorIpv6;
        long holdTimeoutMillis;
        long ipfixTemplateTimeoutMillis;
        long v9TemplateRefreshMillis;
        int v9TemplateRefreshPackets;
        long observationDomain;
        int engineType;
        int engineId;
        long uptimeOriginMillis;

        Components(ExportSettings s) {
            version = s.version;
            mtu = s.mtu;
            collectorIpv6 = s.collectorIpv6;
            holdTimeoutMillis = s.holdTimeoutMillis;
            ipfixTemplateTimeoutMillis = s.ipfixTemplateTimeoutMillis;
            v9TemplateRefreshMillis = s.v9TemplateRefreshMillis;
            v9TemplateRefreshPackets = s.v9TemplateRefreshPackets;
            observationDomain = s.exporter.observationDomain();
            engineType = s.exporter.engineType();
            engineId = s.exporter.engineId();
            uptimeOriginMillis = s.exporter.uptimeOriginMillis();
        }

        ExportSettings settings() {
            return new ExportSettings(version, mtu, collectorIpv6, holdTimeoutMillis, ipfixTemplateTimeoutMillis,
                    v9TemplateRefreshMillis, v9TemplateRefreshPackets,
                    new ExporterId(observationDomain, engineType, engineId, uptimeOriginMillis));
        }
    }

    /** The format of {@link #version}. */
    public ExportFormat format() {
        return ExportFormat.of(version);
    }

    /** Records of a family per datagram under these settings. */
    public int recordsPerDatagram(RecordFamily f) {
        return format().recordsPerDatagram(mtu, collectorIpv6, f);
    }

    /** The MTU pflowN shows (see {@link ExportFormat#interfaceMtu}). */
    public int interfaceMtu() {
        return format().interfaceMtu(mtu, collectorIpv6);
    }

    /** How often templates are sent again: the IPFIX template timeout, or v9's refresh time. */
    public long templateRefreshMillis() {
        return format().refreshesTemplatesByPackets() ? v9TemplateRefreshMillis : ipfixTemplateTimeoutMillis;
    }

    @Override
    public String toString() {
        return "version " + version + " mtu " + mtu + (collectorIpv6 ? " (IPv6 collector)" : "") + " hold "
                + holdTimeoutMillis + " ms engine " + exporter.engineType() + "/" + exporter.engineId() + " domain "
                + exporter.observationDomain();
    }
}
