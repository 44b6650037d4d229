package net.pflowd.control;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

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
     * Parses {@code text}; errors are complete ifconfig lines.
     *
     * @throws ControlException on a malformed address or a port outside 1..65535
     */
    @JsonCreator
    public static FlowEndpoint parse(String text) throws ControlException {
        if (text == null || text.isEmpty()) {
            throw new ControlException("ifconfig: error in parsing address string: (empty)");
        }
        String host;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new ControlException("ifconfig: error in parsing address string: " + OneLine.value(text));
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.startsWith(":")) {
                portText = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw new ControlException("ifconfig: error in parsing address string: " + OneLine.value(text));
            }
            if (host.indexOf(':') < 0) {
                throw new ControlException("ifconfig: error in parsing address string: " + OneLine.value(text));
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
            throw new ControlException("ifconfig: " + OneLine.value(text) + ": unspecified address");
        }
        return new FlowEndpoint(address, port);
    }

    private static int parsePort(String portText, String whole) throws ControlException {
        if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ControlException("ifconfig: " + OneLine.value(whole) + ": invalid port");
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
            throw new ControlException("ifconfig: " + OneLine.value(whole) + ": invalid port");
        }
        return port;
    }

    private static InetAddress parseNumericHost(String host, String whole) throws ControlException {
        try {
            if (host.indexOf(':') >= 0) {
                // Only hex digits, colons and dots: with a colon present the JDK parses a literal and never resolves.
                if (!host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    throw new ControlException("ifconfig: error in parsing address string: " + OneLine.value(whole));
                }
                return InetAddress.getByName(host);
            }
            String[] parts = host.split("\\.", -1);
            if (parts.length != 4) {
                throw new ControlException("ifconfig: error in parsing address string: " + OneLine.value(whole));
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new ControlException("ifconfig: error in parsing address string: " + OneLine.value(whole));
                }
                int v = Integer.parseInt(p);
                if (v > 255) {
                    throw new ControlException("ifconfig: error in parsing address string: " + OneLine.value(whole));
                }
                bytes[i] = (byte) v;
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new ControlException("ifconfig: error in parsing address string: " + OneLine.value(whole), e);
        }
    }

    /** The address alone, numeric; IPv6 compressed as RFC 5952 (what getnameinfo NI_NUMERICHOST prints). */
    public String host() {
        return formatAddress(address);
    }

    /** {@code 10.0.0.1}, {@code 10.0.0.1:2055}, {@code [2001:db8::1]}, {@code [2001:db8::1]:2055}. */
    @JsonValue
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
