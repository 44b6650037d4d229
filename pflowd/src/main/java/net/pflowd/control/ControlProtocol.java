package net.pflowd.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

/**
 * The control protocol: over a Unix stream socket, the client writes one JSON object per line (a
 * {@link Request}), the server answers each with one JSON line (a {@link Response}). Examples:
 *
 * <pre>
 * {"op":"list"}
 * {"op":"status","args":["pflow0"]}
 * {"op":"apply","args":["pflow0","create","flowdst","10.0.0.2:2055"]}
 * {"ok":true,"interfaces":[{"config":{...},"index":7,"flags":65,"mtu":1492,"statistics":{...}}]}
 * {"ok":false,"error":"ifconfig: Invalid pflow protocol: 7"}
 * {"op":"status","args":["pflow0"],"view":"text"}
 * {"ok":true,"interfaces":[],"output":"pflow0: flags=41&lt;UP,RUNNING&gt; mtu 1492\n\tindex 7 ..."}
 * </pre>
 *
 * {@code args} is the ifconfig argument vector unparsed: the server parses it with {@link IfconfigCommand}, the
 * one grammar. {@code list} and {@code status} are open to every peer that can connect; {@code apply} only to
 * uid 0. A request line is at most {@value #MAX_REQUEST} bytes.
 *
 * <p>A request with a {@link View} is answered with the interfaces already rendered, as {@code ifconfig} prints
 * them, in {@code output} instead of {@code interfaces}. That is what the ifconfig client asks for: it then
 * writes its request and reads the reply with Jackson's streaming parser alone ({@link #encodeRequest},
 * {@link #decodeRendered}), never building an {@link ObjectMapper}, whose start-up (bean introspection of the
 * status records) was the largest part of a short-lived client's time.
 */
public final class ControlProtocol {
    public static final int MAX_REQUEST = 64 * 1024;
    public static final String OP_LIST = "list";
    public static final String OP_STATUS = "status";
    public static final String OP_APPLY = "apply";

    /** Jackson's streaming layer: cheap to create, no reflection. */
    private static final JsonFactory STREAMING = new JsonFactory();

    private ControlProtocol() {
    }

    /** The data binding, built on first use: only the daemon and typed clients need it. */
    private static final class Mapper {
        static final ObjectMapper JSON = strict().build();
    }

    /**
     * Strict JSON for everything pflowd reads (requests, replies, the state file): a key given twice, a field of
     * the wrong type ({@code "op":5}, {@code "args":"x"}, {@code "mtu":"1500"}, {@code 1.5} for an integer), an
     * unknown field, a missing primitive or anything after the document is an error, never a guess.
     */
    static JsonMapper.Builder strict() {
        return JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail));
    }

    /** How the server renders the interfaces of a reply for ifconfig. */
    public enum View {
        /** OpenBSD's status lines ({@link StatusFormat}). */
        @JsonProperty("text") TEXT,
        /** The same with {@code -v}: domain and counters. */
        @JsonProperty("verbose") VERBOSE,
        /** {@code ifconfig --json}: the statuses as one JSON array. */
        @JsonProperty("json") JSON;

        /** Exactly what ifconfig prints for {@code statuses}. */
        public String render(List<InterfaceStatus> statuses) {
            if (this == JSON) {
                return encode(statuses) + "\n";
            }
            StringBuilder sb = new StringBuilder();
            for (InterfaceStatus s : statuses) {
                sb.append(StatusFormat.format(s, this == VERBOSE));
            }
            return sb.toString();
        }

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code view} null: the reply carries the typed {@code interfaces}; else their rendering in {@code output}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"op", "args", "view"})
    public record Request(@JsonProperty("op") String op, @JsonProperty("args") List<String> args,
                          @JsonProperty("view") View view) {
        public Request {
            args = args == null ? List.of() : List.copyOf(args);
        }

        public Request(String op, List<String> args) {
            this(op, args, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"ok", "error", "interfaces", "output"})
    public record Response(
            @JsonProperty("ok") boolean ok,
            @JsonProperty("error") String error,
            @JsonProperty("interfaces") List<InterfaceStatus> interfaces,
            @JsonProperty("output") String output) {
        public Response {
            interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        }

        public static Response success(List<InterfaceStatus> interfaces) {
            return new Response(true, null, interfaces, null);
        }

        /** {@code interfaces} as {@code view} shows them (no typed interfaces then). */
        public static Response rendered(List<InterfaceStatus> interfaces, View view) {
            return new Response(true, null, List.of(), view.render(interfaces));
        }

        public static Response failure(String error) {
            return new Response(false, error, List.of(), null);
        }
    }

    /** What ifconfig needs of a reply to a request with a {@link View}: the text to print, or the error. */
    public record Rendered(boolean ok, String error, String output) {
    }

    /** One line of JSON, without the newline. */
    public static String encode(Object message) {
        try {
            return Mapper.JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public static <T> T decode(String line, Class<T> type) throws JsonProcessingException {
        return Mapper.JSON.readValue(line, type);
    }

    /** A request as one line of JSON, with the streaming generator (what {@link #decode} reads back). */
    public static String encodeRequest(Request request) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = STREAMING.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("op", request.op());
            g.writeArrayFieldStart("args");
            for (String a : request.args()) {
                g.writeString(a);
            }
            g.writeEndArray();
            if (request.view() != null) {
                g.writeStringField("view", request.view().wireName());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a request", e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /**
     * The ok, error and output fields of a reply line, with the streaming parser; any other field (typed
     * interfaces) is skipped.
     */
    public static Rendered decodeRendered(String line) throws IOException {
        boolean ok = false;
        String error = null;
        String output = null;
        try (JsonParser p = STREAMING.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "ok" -> ok = value == JsonToken.VALUE_TRUE;
                    case "error" -> error = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    case "output" -> output = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
        }
        return new Rendered(ok, error, output);
    }

    /** The shared mapper, for typed clients and tests. */
    public static ObjectMapper json() {
        return Mapper.JSON;
    }
}
