package net.pflowd.listen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
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
 * RFC 5952 short form. Written with Jackson's streaming generator, field by field in that order.
 */
public final class FlowJson {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private FlowJson() {
    }

    /** One line, no pretty printing and no line terminator. */
    public static String line(DecodedMessage m, FlowRecord r) {
        StringWriter w = new StringWriter(384);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            write(g, m, r);
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter failed", e); // it never does
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, DecodedMessage m, FlowRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("exporter", exporter(m.exporter()));
        g.writeNumberField("version", m.version());
        if (m.version() == 5) {
            g.writeNumberField("engine_type", m.engineType());
            g.writeNumberField("engine_id", m.engineId());
        } else {
            g.writeNumberField("domain", m.domain());
        }
        g.writeNumberField("sequence", m.sequence());
        g.writeStringField("src", address(r.src()));
        g.writeStringField("dst", address(r.dst()));
        g.writeNumberField("sport", r.srcPort);
        g.writeNumberField("dport", r.dstPort);
        g.writeNumberField("proto", r.protocol);
        g.writeNumberField("tos", r.tos);
        g.writeNumberField("input", Integer.toUnsignedLong(r.inputIf));
        g.writeNumberField("output", Integer.toUnsignedLong(r.outputIf));
        writeUnsigned(g, "packets", r.packets);
        writeUnsigned(g, "bytes", r.bytes);
        g.writeStringField("start", time(r.startMillis)); // null: the record carried no time
        g.writeStringField("end", time(r.endMillis));
        if (r.nat) {
            g.writeStringField("post_src", address(r.postSrc()));
            g.writeStringField("post_dst", address(r.postDst()));
            g.writeNumberField("post_sport", r.postSrcPort);
            g.writeNumberField("post_dport", r.postDstPort);
        }
        g.writeEndObject();
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

    /** A 64-bit counter as the unsigned number it is (above Long.MAX_VALUE too). */
    private static void writeUnsigned(JsonGenerator g, String name, long v) throws IOException {
        g.writeFieldName(name);
        if (v >= 0) {
            g.writeNumber(v);
        } else {
            g.writeNumber(new BigInteger(Long.toUnsignedString(v)));
        }
    }

    /** IPv4 dotted quad; IPv6 in RFC 5952 form. */
    public static String address(InetAddress a) {
        return net.pflowd.flow.AddressText.of(a);
    }
}
