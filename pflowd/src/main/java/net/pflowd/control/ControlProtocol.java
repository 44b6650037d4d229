package net.pflowd.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

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
 * </pre>
 *
 * {@code args} is the ifconfig argument vector unparsed: the server parses it with {@link IfconfigCommand}, the
 * one grammar. {@code list} and {@code status} are open to every peer that can connect; {@code apply} only to
 * uid 0. A request line is at most {@value #MAX_REQUEST} bytes.
 */
public final class ControlProtocol {
    public static final int MAX_REQUEST = 64 * 1024;
    public static final String OP_LIST = "list";
    public static final String OP_STATUS = "status";
    public static final String OP_APPLY = "apply";

    static final ObjectMapper JSON = strict().build();

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

    private ControlProtocol() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"op", "args"})
    public record Request(@JsonProperty("op") String op, @JsonProperty("args") List<String> args) {
        public Request {
            args = args == null ? List.of() : List.copyOf(args);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"ok", "error", "interfaces"})
    public record Response(
            @JsonProperty("ok") boolean ok,
            @JsonProperty("error") String error,
            @JsonProperty("interfaces") List<InterfaceStatus> interfaces) {
        public Response {
            interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        }

        public static Response success(List<InterfaceStatus> interfaces) {
            return new Response(true, null, interfaces);
        }

        public static Response failure(String error) {
            return new Response(false, error, List.of());
        }
    }

    /** One line of JSON, without the newline. */
    public static String encode(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public static <T> T decode(String line, Class<T> type) throws JsonProcessingException {
        return JSON.readValue(line, type);
    }

    /** The shared mapper, e.g. for {@code ifconfig --json}. */
    public static ObjectMapper json() {
        return JSON;
    }
}
