package net.pflowd.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A numeric address with an optional UDP port (0 = none), as given to {@code flowsrc} / {@code flowdst}.
 *
 * <p>Text forms, as OpenBSD's pflow_addr() splits them: {@code A}, {@code A:P} for IPv4, {@code [A]} and
 * {@code [A]:P} for IPv6 (a bare IPv6 address without brackets is accepted too, without a port). Parsing is pure:
 * only numeric literals, never a name lookup. Scoped IPv6 ({@code %if}) and unspecified addresses are refused.
 */
public final class FlowEndpoint {
    private final InetAddress address;
    private final int port;

    public FlowEndpoint(InetAddress address, int port) {
        this.address = Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (address.isAnyLocalAddress()) {
            throw new IllegalArgumentException("unspecified address: " + address.getHostAddress());
        }
        this.port = port;
    }

    public InetAddress address() {
        return address;
    }

    /** The port, 0 when none was given. */
    public int port() {
        return port;
    }

    public boolean hasPort() {
        return port != 0;
    }

    public boolean isIPv6() {
        return address instanceof Inet6Address;
    }

    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(address, port);
    }

    /**
     * Parses {@code text}.
     *
     * @throws ConfigException {@code BAD_ADDRESS}, {@code BAD_PORT} (outside 1..65535) or {@code
     *     UNSPECIFIED_ADDRESS}, with {@code text} as its value
     */
    public static FlowEndpoint parse(String text) throws ConfigException {
        if (text == null || text.isEmpty()) {
            throw badAddress("");
        }
        String host;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw badAddress(text);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.startsWith(":")) {
                portText = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw badAddress(text);
            }
            if (host.indexOf(':') < 0) {
                throw badAddress(text);
            }
        } else if (text.indexOf(':') != text.lastIndexOf(':')) {
            host = text; // bare IPv6, no port possible
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            portText = colon < 0 ? null : text.substring(colon + 1);
        }
        InetAddress address = parseNumericHost(host, text);
        int port = 0;
        if (portText != null) {
            port = parsePort(portText, text);
        }
        if (address.isAnyLocalAddress()) {
            throw new ConfigException(ConfigException.Reason.UNSPECIFIED_ADDRESS, null, text);
        }
        return new FlowEndpoint(address, port);
    }

    private static ConfigException badAddress(String text) {
        return new ConfigException(ConfigException.Reason.BAD_ADDRESS, null, text);
    }

    private static int parsePort(String portText, String whole) throws ConfigException {
        if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ConfigException(ConfigException.Reason.BAD_PORT, null, whole);
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
            throw new ConfigException(ConfigException.Reason.BAD_PORT, null, whole);
        }
        return port;
    }

    private static InetAddress parseNumericHost(String host, String whole) throws ConfigException {
        try {
            if (host.indexOf(':') >= 0) {
                // Only hex digits, colons and dots: with a colon present the JDK parses a literal and never resolves.
                if (!host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    throw badAddress(whole);
                }
                return InetAddress.getByName(host);
            }
            String[] parts = host.split("\\.", -1);
            if (parts.length != 4) {
                throw badAddress(whole);
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw badAddress(whole);
                }
                int v = Integer.parseInt(p);
                if (v > 255) {
                    throw badAddress(whole);
                }
                bytes[i] = (byte) v;
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw badAddress(whole);
        }
    }

    /** The address alone, numeric; IPv6 compressed as RFC 5952 (what getnameinfo NI_NUMERICHOST prints). */
    public String host() {
        return formatAddress(address);
    }

    /**
     * {@code 10.0.0.1}, {@code 10.0.0.1:2055}, {@code [2001:db8::1]}, {@code [2001:db8::1]:2055}: what {@link #parse}
     * reads, and the endpoint's form in the control protocol and the state file.
     */
    @Override
    public String toString() {
        String h = isIPv6() ? "[" + host() + "]" : host();
        return port == 0 ? h : h + ":" + port;
    }

    /** Numeric text of an address; IPv6 in RFC 5952 canonical form. */
    public static String formatAddress(InetAddress address) {
        return net.pflowd.flow.AddressText.of(address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowEndpoint e && e.address.equals(address) && e.port == port;
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + port;
    }
}
