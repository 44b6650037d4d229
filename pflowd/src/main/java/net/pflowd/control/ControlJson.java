package net.pflowd.control;

import net.pflowd.config.ConfigException;
import net.pflowd.config.FlowEndpoint;
import net.pflowd.config.InterfaceConfig;
import net.pflowd.text.OneLine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the control protocol and of the state file's interfaces: one reader and one writer per type, on
 * Jackson's streaming layer (jackson-core) alone. No data binding: its bean introspection, serializers and
 * deserializers were ~590 of the daemon's ~2,860 loaded classes and most of its start, for a handful of records.
 *
 * <h2>What is read, and how strictly</h2>
 * Everything pflowd reads (requests, replies, the state file) is strict; each of these is an error with a
 * one-line message naming the place as a JSON Pointer ({@code /interfaces/0/config/mtu: expected an integer,
 * got a string}), never a guess:
 * <ul>
 * <li>a key given twice in any object (the parser's {@link StreamReadFeature#STRICT_DUPLICATE_DETECTION});</li>
 * <li>a field the type does not have;</li>
 * <li>a value of the wrong type: a number or boolean for a string ({@code "op":5}), a string for an array
 * ({@code "args":"x"}), a string, a fraction ({@code 1.5}, also {@code 1.0} and {@code 1e3}) or a boolean for an
 * integer ({@code "mtu":"1500"}), an integer out of the field's range, anything but {@code true}/{@code false}
 * for a boolean, an unknown {@code view} name (only its lower-case name, never its index);</li>
 * <li>a missing or null integer or boolean (there is no default to guess), a null element of a list, a null
 * counter, a missing or null {@code config} of a status;</li>
 * <li>a value its type refuses ({@link FlowEndpoint#parse}, the invariants of {@link InterfaceConfig});</li>
 * <li>a document that is no object, an empty one, or anything but white space after it.</li>
 * </ul>
 * What may be absent or null: a string (null), a list or the counters (empty).
 *
 * <h2>What is written</h2>
 * Fields in a fixed order, one line without white space; {@code error}, {@code output}, {@code view} and
 * {@code waiting} only when not null; an {@link InterfaceConfig} always whole (null addresses as {@code null}).
 */
final class ControlJson {
    /** Jackson's streaming layer: no reflection; duplicate keys are refused by the parser itself. */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ControlJson() {
    }

    /** Writes one value with a generator. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    /** Reads one value, the parser on its first token. */
    @FunctionalInterface
    interface Reader<T> {
        T read(JsonParser p) throws IOException;
    }

    /** What {@code writer} writes, as one line without a line terminator. */
    static String line(Writer writer) {
        StringWriter w = new StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            writer.write(g);
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter failed", e); // it never does
        }
        return w.toString();
    }

    /**
     * The one document in {@code parser}, read with {@code reader} (which refuses a document of another type,
     * null included): an empty input or anything after the document is an error. Closes the parser.
     */
    static <T> T document(JsonParser parser, Reader<T> reader) throws IOException {
        try (JsonParser p = parser) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw error(p, "no JSON document (empty input)");
            }
            T value = reader.read(p);
            if (p.nextToken() != null) {
                throw error(p, "expected the end of the input after the document, got " + kind(p.currentToken()));
            }
            return value;
        }
    }

    // ---- the types ----

    static void writeRequest(JsonGenerator g, ControlProtocol.Request r) throws IOException {
        g.writeStartObject();
        g.writeStringField("op", r.op());
        g.writeArrayFieldStart("args");
        for (String a : r.args()) {
            g.writeString(a);
        }
        g.writeEndArray();
        if (r.view() != null) {
            g.writeStringField("view", r.view().wireName());
        }
        g.writeEndObject();
    }

    static ControlProtocol.Request readRequest(JsonParser p) throws IOException {
        expectObject(p);
        String op = null;
        List<String> args = null;
        ControlProtocol.View view = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "op" -> op = string(p);
                case "args" -> args = list(p, ControlJson::requiredString);
                case "view" -> view = view(p);
                default -> throw unknownField(p);
            }
        }
        return new ControlProtocol.Request(op, args, view);
    }

    static void writeResponse(JsonGenerator g, ControlProtocol.Response r) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("ok", r.ok());
        if (r.error() != null) {
            g.writeStringField("error", r.error());
        }
        g.writeArrayFieldStart("interfaces");
        for (InterfaceStatus s : r.interfaces()) {
            writeStatus(g, s);
        }
        g.writeEndArray();
        if (r.output() != null) {
            g.writeStringField("output", r.output());
        }
        g.writeEndObject();
    }

    static ControlProtocol.Response readResponse(JsonParser p) throws IOException {
        expectObject(p);
        Boolean ok = null;
        String error = null;
        List<InterfaceStatus> interfaces = null;
        String output = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "ok" -> ok = bool(p);
                case "error" -> error = string(p);
                case "interfaces" -> interfaces = list(p, ControlJson::readStatus);
                case "output" -> output = string(p);
                default -> throw unknownField(p);
            }
        }
        return new ControlProtocol.Response(required(p, ok, "ok"), error, interfaces, output);
    }

    static void writeStatuses(JsonGenerator g, List<InterfaceStatus> statuses) throws IOException {
        g.writeStartArray();
        for (InterfaceStatus s : statuses) {
            writeStatus(g, s);
        }
        g.writeEndArray();
    }

    static List<InterfaceStatus> readStatuses(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw expected(p, "an array");
        }
        return list(p, ControlJson::readStatus);
    }

    static void writeStatus(JsonGenerator g, InterfaceStatus s) throws IOException {
        g.writeStartObject();
        g.writeFieldName("config");
        writeConfig(g, s.config());
        g.writeNumberField("index", s.index());
        g.writeNumberField("flags", s.flags());
        g.writeNumberField("mtu", s.mtu());
        g.writeObjectFieldStart("statistics");
        for (Map.Entry<String, Long> e : s.statistics().entrySet()) {
            g.writeFieldName(e.getKey());
            if (e.getValue() == null) {
                g.writeNull(); // never made by the daemon; written as it is rather than failing a reply
            } else {
                g.writeNumber(e.getValue());
            }
        }
        g.writeEndObject();
        if (s.waiting() != null) {
            g.writeStringField("waiting", s.waiting());
        }
        g.writeEndObject();
    }

    static InterfaceStatus readStatus(JsonParser p) throws IOException {
        expectObject(p);
        InterfaceConfig config = null;
        Integer index = null;
        Integer flags = null;
        Integer mtu = null;
        Map<String, Long> statistics = null;
        String waiting = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "config" -> config = readConfig(p);
                case "index" -> index = int32(p);
                case "flags" -> flags = int32(p);
                case "mtu" -> mtu = int32(p);
                case "statistics" -> statistics = counters(p);
                case "waiting" -> waiting = string(p);
                default -> throw unknownField(p);
            }
        }
        return new InterfaceStatus(required(p, config, "config"), required(p, index, "index"),
                required(p, flags, "flags"), required(p, mtu, "mtu"), statistics, waiting);
    }

    static void writeConfig(JsonGenerator g, InterfaceConfig c) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeBooleanField("up", c.up());
        g.writeStringField("flowsrc", c.flowsrc() == null ? null : c.flowsrc().toString());
        g.writeStringField("flowdst", c.flowdst() == null ? null : c.flowdst().toString());
        g.writeNumberField("pflowproto", c.pflowproto());
        g.writeNumberField("mtu", c.mtu());
        g.writeNumberField("domain", c.domain());
        g.writeEndObject();
    }

    /** An {@link InterfaceConfig}: an object (never null); its addresses in their ifconfig text form. */
    static InterfaceConfig readConfig(JsonParser p) throws IOException {
        expectObject(p);
        String name = null;
        Boolean up = null;
        FlowEndpoint flowsrc = null;
        FlowEndpoint flowdst = null;
        Integer pflowproto = null;
        Integer mtu = null;
        Long domain = null;
        while (nextField(p)) {
            switch (p.currentName()) {
                case "name" -> name = string(p);
                case "up" -> up = bool(p);
                case "flowsrc" -> flowsrc = endpoint(p);
                case "flowdst" -> flowdst = endpoint(p);
                case "pflowproto" -> pflowproto = int32(p);
                case "mtu" -> mtu = int32(p);
                case "domain" -> domain = int64(p);
                default -> throw unknownField(p);
            }
        }
        if (name == null) {
            throw error(p, "missing \"name\"");
        }
        try {
            return new InterfaceConfig(name, required(p, up, "up"), flowsrc, flowdst,
                    required(p, pflowproto, "pflowproto"), required(p, mtu, "mtu"), required(p, domain, "domain"));
        } catch (IllegalArgumentException e) {
            throw error(p, e.getMessage());
        }
    }

    // ---- values ----

    /** A string or null. */
    static String string(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> throw expected(p, "a string");
        };
    }

    /** A string, not null. */
    static String requiredString(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw expected(p, "a string");
        }
        return p.getText();
    }

    static boolean bool(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default -> throw expected(p, "true or false");
        };
    }

    /** An integer within the range of an {@code int}: no fraction, no exponent, no string. */
    static int int32(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw expected(p, "an integer");
        }
        if (p.getNumberType() != JsonParser.NumberType.INT) {
            throw error(p, "integer out of range " + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE);
        }
        return p.getIntValue();
    }

    /** An integer within the range of a {@code long}. */
    static long int64(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw expected(p, "an integer");
        }
        JsonParser.NumberType t = p.getNumberType();
        if (t != JsonParser.NumberType.INT && t != JsonParser.NumberType.LONG) {
            throw error(p, "integer out of range " + Long.MIN_VALUE + ".." + Long.MAX_VALUE);
        }
        return p.getLongValue();
    }

    /** A list, null as empty; no element null ({@code element} refuses it). */
    static <T> List<T> list(JsonParser p, Reader<T> element) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw expected(p, "an array");
        }
        List<T> values = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) { // the parser refuses an unclosed array first; never reached
                throw error(p, "unclosed array");
            }
            values.add(element.read(p)); // each element reader refuses null
        }
        return values;
    }

    /** Counters by name, in their order; null as none; every value an integer. */
    private static Map<String, Long> counters(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expectObject(p);
        Map<String, Long> counters = new LinkedHashMap<>();
        while (nextField(p)) {
            counters.put(p.currentName(), int64(p));
        }
        return counters;
    }

    private static ControlProtocol.View view(JsonParser p) throws IOException {
        String name = string(p);
        if (name == null) {
            return null;
        }
        for (ControlProtocol.View v : ControlProtocol.View.values()) {
            if (v.wireName().equals(name)) {
                return v;
            }
        }
        throw error(p, "unknown view (expected \"text\", \"verbose\" or \"json\")");
    }

    private static FlowEndpoint endpoint(JsonParser p) throws IOException {
        String text = string(p);
        try {
            return text == null ? null : FlowEndpoint.parse(text);
        } catch (ConfigException e) {
            throw error(p, e.getMessage());
        }
    }

    // ---- structure and errors ----

    static void expectObject(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw expected(p, "an object");
        }
    }

    /** Moves to the next field's value; false at the end of the object. */
    static boolean nextField(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_OBJECT) {
            return false;
        }
        if (t != JsonToken.FIELD_NAME) { // the parser refuses anything else inside an object; never reached
            throw expected(p, "a field name");
        }
        p.nextToken();
        return true;
    }

    static <T> T required(JsonParser p, T value, String field) throws JsonParseException {
        if (value == null) {
            throw error(p, "missing \"" + field + "\"");
        }
        return value;
    }

    static JsonParseException unknownField(JsonParser p) {
        return error(p, "unknown field");
    }

    static JsonParseException expected(JsonParser p, String what) {
        return error(p, "expected " + what + ", got " + kind(p.currentToken()));
    }

    /**
     * {@code problem} at the parser's place, as a JSON Pointer: the field or element the parser is on
     * ({@code /interfaces/0/mtu}); on an object or array just begun or just ended, that object or array itself;
     * "the document" for the whole.
     */
    static JsonParseException error(JsonParser p, String problem) {
        JsonStreamContext where = p.getParsingContext();
        JsonToken t = p.currentToken();
        // At a start token the parser is already inside the new container (at an end token, already out of it).
        if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && where.getParent() != null) {
            where = where.getParent();
        }
        // Field names are the peer's (or the file's): escaped, so that the message stays one printable line.
        String pointer = OneLine.value(where.pathAsPointer().toString());
        return new JsonParseException(p, (pointer.isEmpty() ? "the document" : pointer) + ": " + problem);
    }

    private static String kind(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number with a fraction or exponent";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }
}
