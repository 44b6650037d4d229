package net.pflowd.collectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One flow record as a collector decoded it, normalised so that nfdump's JSON and tshark's fields compare
 * alike with what was sent. A field the decoder did not report is null. ICMP type/code, which nfdump
 * reports as icmp_type/icmp_code, go back into the destination port as type << 8 | code, as sent.
 */
public final class DecodedRecord {
    /** Where it came from, for messages: "nfdump record 12", "tshark packet 3 record 7". */
    public final String where;
    public InetAddress src, dst;
    public Integer srcPort, dstPort, protocol, tos;
    public Long packets, bytes;
    /** Flow start/end, epoch ms. */
    public Long start, end;
    public Integer inputIf, outputIf;
    public InetAddress postSrc, postDst;
    public Integer postSrcPort, postDstPort;

    private DecodedRecord(String where) {
        this.where = where;
    }

    /** The 5-tuple the interop test matches records by. */
    public String key() {
        return key(src, dst, srcPort, dstPort, protocol);
    }

    public static String key(InetAddress src, InetAddress dst, Integer sport, Integer dport, Integer proto) {
        return (src == null ? "?" : src.getHostAddress()) + ":" + sport + " > " + (dst == null ? "?" : dst.getHostAddress())
                + ":" + dport + " proto " + proto;
    }

    @Override
    public String toString() {
        return where + " [" + key() + " tos " + tos + " pkts " + packets + " bytes " + bytes + " start " + start + " end "
                + end + (postSrc != null || postSrcPort != null
                        ? " post " + (postSrc == null ? "?" : postSrc.getHostAddress()) + ":" + postSrcPort + " > "
                                + (postDst == null ? "?" : postDst.getHostAddress()) + ":" + postDstPort
                        : "") + "]";
    }

    // ---- nfdump -o json (1.7.1) ----

    private static final DateTimeFormatter NFDUMP_TIME = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    /** From one object of {@code nfdump -o json}, run with TZ=UTC (nfdump prints local time without a zone). */
    public static DecodedRecord fromNfdump(JsonNode j, int index) {
        DecodedRecord d = new DecodedRecord("nfdump record " + index);
        d.src = address(text(j, "src4_addr", "src6_addr"));
        d.dst = address(text(j, "dst4_addr", "dst6_addr"));
        d.protocol = integer(j, "proto");
        if (j.has("icmp_type")) {
            d.srcPort = 0;
            d.dstPort = integer(j, "icmp_type") << 8 | integer(j, "icmp_code");
        } else {
            d.srcPort = integer(j, "src_port");
            d.dstPort = integer(j, "dst_port");
        }
        d.tos = integer(j, "src_tos");
        d.packets = j.has("in_packets") ? j.get("in_packets").asLong() : null;
        d.bytes = j.has("in_bytes") ? j.get("in_bytes").asLong() : null;
        d.start = nfdumpTime(j, "first");
        d.end = nfdumpTime(j, "last");
        d.inputIf = integer(j, "input_snmp");
        d.outputIf = integer(j, "output_snmp");
        // post-NAT: src4_xlt_ip/dst4_xlt_ip, src6_xlt_ip/dst6_xlt_ip; the ports come as strings
        d.postSrc = address(text(j, "src4_xlt_ip", "src6_xlt_ip"));
        d.postDst = address(text(j, "dst4_xlt_ip", "dst6_xlt_ip"));
        d.postSrcPort = integer(j, "src_xlt_port");
        d.postDstPort = integer(j, "dst_xlt_port");
        return d;
    }

    private static Long nfdumpTime(JsonNode j, String name) {
        if (!j.has(name)) {
            return null;
        }
        return LocalDateTime.parse(j.get(name).asText(), NFDUMP_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static String text(JsonNode j, String... names) {
        for (String n : names) {
            if (j.has(n)) {
                return j.get(n).asText();
            }
        }
        return null;
    }

    private static Integer integer(JsonNode j, String name) {
        if (!j.has(name)) {
            return null;
        }
        JsonNode n = j.get(name);
        return n.isNumber() ? n.asInt() : Integer.valueOf(n.asText().trim());
    }

    // ---- tshark -T fields with the cflow dissector (4.0) ----

    /** The per-record fields the test asks tshark for. */
    public static final List<String> TSHARK_RECORD_FIELDS = List.of("cflow.srcaddr", "cflow.srcaddrv6", "cflow.dstaddr",
            "cflow.dstaddrv6", "cflow.srcport", "cflow.dstport", "cflow.protocol", "cflow.tos", "cflow.packets",
            "cflow.octets", "cflow.timestart", "cflow.timeend", "cflow.abstimestart", "cflow.abstimeend", "cflow.inputint",
            "cflow.outputint", "cflow.post_natsource_ipv4_address", "cflow.post_natdestination_ipv4_address",
            "cflow.post_nat_source_ipv6_address", "cflow.post_nat_destination_ipv6_address",
            "cflow.post_naptsource_transport_port", "cflow.post_naptdestination_transport_port");

    private static final DateTimeFormatter TSHARK_TIME =
            DateTimeFormatter.ofPattern("MMM d, yyyy HH:mm:ss.SSSSSSSSS", Locale.US);

    /**
     * The data records of one decoded packet. A packet carries records of one family, so every per-record
     * field occurs once per record or not at all; cflow.protocol (in every template) gives the count.
     * {@code uptimeOrigin}: the exporter's sysUptime origin, to turn v5/v9 relative times into epoch ms.
     *
     * @throws AssertionError when a field occurs a number of times that is neither 0 nor the record count
     */
    public static List<DecodedRecord> fromTshark(Map<String, List<String>> packet, int packetIndex, long uptimeOrigin) {
        int n = packet.get("cflow.protocol").size();
        for (String f : TSHARK_RECORD_FIELDS) {
            int k = packet.get(f).size();
            if (k != 0 && k != n) {
                throw new AssertionError("tshark packet " + packetIndex + ": " + f + " occurs " + k + " times for " + n
                        + " records: " + packet);
            }
        }
        List<DecodedRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DecodedRecord d = new DecodedRecord("tshark packet " + packetIndex + " record " + i);
            d.src = address(first(packet, i, "cflow.srcaddr", "cflow.srcaddrv6"));
            d.dst = address(first(packet, i, "cflow.dstaddr", "cflow.dstaddrv6"));
            d.srcPort = intField(packet, i, "cflow.srcport");
            d.dstPort = intField(packet, i, "cflow.dstport");
            d.protocol = intField(packet, i, "cflow.protocol");
            d.tos = intField(packet, i, "cflow.tos");
            d.packets = longField(packet, i, "cflow.packets");
            d.bytes = longField(packet, i, "cflow.octets");
            String abs = first(packet, i, "cflow.abstimestart");
            if (abs != null) {
                d.start = tsharkAbsolute(abs);
                d.end = tsharkAbsolute(first(packet, i, "cflow.abstimeend"));
            } else {
                d.start = tsharkRelative(first(packet, i, "cflow.timestart"), uptimeOrigin);
                d.end = tsharkRelative(first(packet, i, "cflow.timeend"), uptimeOrigin);
            }
            d.inputIf = intField(packet, i, "cflow.inputint");
            d.outputIf = intField(packet, i, "cflow.outputint");
            d.postSrc = address(first(packet, i, "cflow.post_natsource_ipv4_address", "cflow.post_nat_source_ipv6_address"));
            d.postDst = address(
                    first(packet, i, "cflow.post_natdestination_ipv4_address", "cflow.post_nat_destination_ipv6_address"));
            d.postSrcPort = intField(packet, i, "cflow.post_naptsource_transport_port");
            d.postDstPort = intField(packet, i, "cflow.post_naptdestination_transport_port");
            out.add(d);
        }
        return out;
    }

    /** "Jan 15, 2024 10:00:00.123000000 UTC" (tshark run with TZ=UTC). */
    private static Long tsharkAbsolute(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim().replaceAll("\\s+", " ");
        if (!t.endsWith(" UTC")) {
            throw new AssertionError("tshark time not in UTC: " + s);
        }
        t = t.substring(0, t.length() - 4);
        return LocalDateTime.parse(t, TSHARK_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** "3604.398000000": seconds of sysUptime. */
    private static Long tsharkRelative(String s, long uptimeOrigin) {
        if (s == null) {
            return null;
        }
        return uptimeOrigin + new java.math.BigDecimal(s.trim()).movePointRight(3).longValueExact();
    }

    private static String first(Map<String, List<String>> p, int i, String... names) {
        for (String n : names) {
            List<String> v = p.get(n);
            if (v != null && !v.isEmpty()) {
                return v.get(i);
            }
        }
        return null;
    }

    private static Integer intField(Map<String, List<String>> p, int i, String name) {
        String s = first(p, i, name);
        if (s == null) {
            return null;
        }
        s = s.trim();
        return s.startsWith("0x") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
    }

    private static Long longField(Map<String, List<String>> p, int i, String name) {
        String s = first(p, i, name);
        return s == null ? null : Long.parseUnsignedLong(s.trim());
    }

    private static InetAddress address(String literal) {
        if (literal == null || literal.isEmpty()) {
            return null;
        }
        return InteropFlows.ip(Objects.requireNonNull(literal));
    }
}
