package net.pflowd.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What persists of one pflow interface: exactly what {@code ifconfig} can set.
 *
 * <ul>
 * <li>{@code name}: {@code pflow} + unit number without leading zeros ({@code pflow0}, {@code pflow12}).</li>
 * <li>{@code up}: administrative state; a new interface starts up, as OpenBSD's pflow_clone_create() sets IFF_UP.</li>
 * <li>{@code flowsrc}: sender address (and optional port) of the export datagrams, or null (any, kernel chooses).</li>
 * <li>{@code flowdst}: collector address and port (port never 0), or null; the interface runs only with one.</li>
 * <li>{@code pflowproto}: 5 (NetFlow v5, the default as in OpenBSD), 9 (NetFlow v9) or 10 (IPFIX).</li>
 * <li>{@code mtu}: the requested MTU, within {@link Limits} ({@value Limits#MIN_MTU}..{@value Limits#MAX_MTU},
 * default {@value Limits#DEFAULT_MTU}); the daemon shows the MTU it derives from it (whole records per datagram, as
 * pflow_setmtu()), and refuses one below the version's minimum ({@link Limits#requireMtuFits}).</li>
 * <li>{@code domain}: set with the ifconfig keyword {@code domain N}, 0..4294967295, default
 * {@value Limits#DEFAULT_DOMAIN}.
 * One number identifies the exporter in every version: it is the IPFIX Observation Domain ID (RFC 7011), the
 * NetFlow v9 Source ID (RFC 3954) and, in its low 8 bits, the NetFlow v5 engine_id. It is not refused above 255
 * while version 5 is set, so switching versions never makes a stored config invalid.</li>
 * </ul>
 */
public record InterfaceConfig(
        String name,
        boolean up,
        FlowEndpoint flowsrc,
        FlowEndpoint flowdst,
        int pflowproto,
        int mtu,
        long domain) {

    private static final Pattern NAME = Pattern.compile("pflow(0|[1-9][0-9]{0,8})");

    /**
     * The model's invariants; a violation is a programming error (the grammar and the state file reader refuse
     * bad input first, with a {@link ConfigException}).
     */
    public InterfaceConfig {
        Objects.requireNonNull(name, "name");
        if (!isPflowName(name)) {
            throw new IllegalArgumentException("not a pflow interface name: " + name);
        }
        if (!isValidProto(pflowproto)) {
            throw new IllegalArgumentException("invalid pflow protocol: " + pflowproto);
        }
        if (mtu < Limits.MIN_MTU || mtu > Limits.MAX_MTU) {
            throw new IllegalArgumentException("mtu out of range " + Limits.MIN_MTU + ".." + Limits.MAX_MTU + ": " + mtu);
        }
        if (domain < 0 || domain > Limits.MAX_DOMAIN) {
            throw new IllegalArgumentException("domain out of range 0.." + Limits.MAX_DOMAIN + ": " + domain);
        }
        if (flowdst != null && !flowdst.hasPort()) {
            throw new IllegalArgumentException("flowdst without port: " + flowdst);
        }
        if (flowsrc != null && flowdst != null && flowsrc.isIPv6() != flowdst.isIPv6()) {
            throw new IllegalArgumentException("flowsrc and flowdst address families differ");
        }
    }

    /** A freshly created interface: up, no addresses, version 5, mtu 1500, domain 42. */
    public static InterfaceConfig created(String name) {
        return new InterfaceConfig(name, true, null, null, Limits.DEFAULT_VERSION, Limits.DEFAULT_MTU,
                Limits.DEFAULT_DOMAIN);
    }

    public static boolean isPflowName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static boolean isValidProto(int v) {
        return v == 5 || v == 9 || v == 10;
    }

    /** The unit number of the name, e.g. 12 for pflow12 (ordering for listings). */
    public int unit() {
        return Integer.parseInt(name.substring("pflow".length()));
    }

    /** NetFlow v5 engine_id: the low 8 bits of the domain. */
    public int v5EngineId() {
        return (int) (domain & 0xff);
    }

    public InterfaceConfig withUp(boolean v) {
        return new InterfaceConfig(name, v, flowsrc, flowdst, pflowproto, mtu, domain);
    }

    public InterfaceConfig withFlowsrc(FlowEndpoint v) {
        return new InterfaceConfig(name, up, v, flowdst, pflowproto, mtu, domain);
    }

    public InterfaceConfig withFlowdst(FlowEndpoint v) {
        return new InterfaceConfig(name, up, flowsrc, v, pflowproto, mtu, domain);
    }

    public InterfaceConfig withPflowproto(int v) {
        return new InterfaceConfig(name, up, flowsrc, flowdst, v, mtu, domain);
    }

    public InterfaceConfig withMtu(int v) {
        return new InterfaceConfig(name, up, flowsrc, flowdst, pflowproto, v, domain);
    }

    public InterfaceConfig withDomain(long v) {
        return new InterfaceConfig(name, up, flowsrc, flowdst, pflowproto, mtu, v);
    }

    /** The ifconfig arguments that recreate this config from nothing, e.g. for a config file line. */
    public String toIfconfigLine() {
        StringBuilder sb = new StringBuilder(name);
        if (flowsrc != null) {
            sb.append(" flowsrc ").append(flowsrc);
        }
        if (flowdst != null) {
            sb.append(" flowdst ").append(flowdst);
        }
        sb.append(" pflowproto ").append(pflowproto);
        if (mtu != Limits.DEFAULT_MTU) {
            sb.append(" mtu ").append(mtu);
        }
        if (domain != Limits.DEFAULT_DOMAIN) {
            sb.append(" domain ").append(domain);
        }
        sb.append(up ? " up" : " down");
        return sb.toString();
    }
}
