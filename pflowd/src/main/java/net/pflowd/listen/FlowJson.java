package net.pflowd.listen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.pflowd.decode.DecodedMessage;
import net.pflowd.flow.FlowRecord;

/**
 * The one JSON object {@code pflowd listen} prints per flow record. Field names are the output's contract:
 * exporter, version, domain (v5: engine_type and engine_id), sequence, src, dst, sport, dport, proto, tos,
 * input, output (interface indexes, 0 when unknown), packets, bytes, start, end, and for translated flows
 * post_src, post_dst, post_sport, post_dport.
 * Times are ISO-8601 UTC with milliseconds, null when the record carried none; IPv6 addresses in the
 * RFC 5952 short form.
 */
public final class FlowJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private FlowJson() {
    }

    public static ObjectNode toJson(DecodedMessage m, FlowRecord r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("exporter", exporter(m.exporter()));
        o.put("version", m.version());
        if (m.version() == 5) {
            o.put("engine_type", m.engineType());
            o.put("engine_id", m.engineId());
        } else {
            o.put("domain", m.domain());
        }
        o.put("sequence", m.sequence());
        o.put("src", address(r.src()));
        o.put("dst", address(r.dst()));
        o.put("sport", r.srcPort);
        o.put("dport", r.dstPort);
        o.put("proto", r.protocol);
        o.put("tos", r.tos);
        o.put("input", Integer.toUnsignedLong(r.inputIf));
        o.put("output", Integer.toUnsignedLong(r.outputIf));
        putUnsigned(o, "packets", r.packets);
        putUnsigned(o, "bytes", r.bytes);
        o.put("start", time(r.startMillis));
        o.put("end", time(r.endMillis));
        if (r.nat) {
            o.put("post_src", address(r.postSrc()));
            o.put("post_dst", address(r.postDst()));
            o.put("post_sport", r.postSrcPort);
            o.put("post_dport", r.postDstPort);
        }
        return o;
    }

    /** One line, no pretty printing and no line terminator. */
    public static String line(DecodedMessage m, FlowRecord r) {
        try {
            return MAPPER.writeValueAsString(toJson(m, r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values failed to serialize", e);
        }
    }

    /** "ip:port", IPv6 as "[addr]:port". */
    public static String exporter(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        String s = address(ip);
        return (ip instanceof Inet6Address ? "[" + s + "]" : s) + ":" + a.getPort();
    }

    static String time(long millis) {
        return millis == 0 ? null : ISO_MILLIS.format(Instant.ofEpochMilli(millis));
    }

    private static void putUnsigned(ObjectNode o, String name, long v) {
        if (v >= 0) {
            o.put(name, v);
        } else {
            o.put(name, new BigInteger(Long.toUnsignedString(v)));
        }
    }

    /** IPv4 dotted quad; IPv6 in RFC 5952 form. */
    public static String address(InetAddress a) {
        return net.pflowd.flow.AddressText.of(a);
    }
}
