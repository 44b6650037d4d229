package net.pflowd.control;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
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
 * reads only {@code ok}, {@code error} and {@code output} of the reply ({@link #decodeRendered}), and decodes no
 * status.
 *
 * <p>The JSON itself, and how strictly it is read, is {@link ControlJson}'s: Jackson's streaming layer, no data
 * binding.
 */
public final class ControlProtocol {
    public static final int MAX_REQUEST = 64 * 1024;
    public static final String OP_LIST = "list";
    public static final String OP_STATUS = "status";
    public static final String OP_APPLY = "apply";

    private ControlProtocol() {
    }

    /** How the server renders the interfaces of a reply for ifconfig. */
    public enum View {
        /** OpenBSD's status lines ({@link StatusFormat}). */
        TEXT,
        /** The same with {@code -v}: domain and counters. */
        VERBOSE,
        /** {@code ifconfig --json}: the statuses as one JSON array. */
        JSON;

        /** Exactly what ifconfig prints for {@code statuses}. */
        public String render(List<InterfaceStatus> statuses) {
            if (this == JSON) {
                return encodeStatuses(statuses) + "\n";
            }
            StringBuilder sb = new StringBuilder();
            for (InterfaceStatus s : statuses) {
                sb.append(StatusFormat.format(s, this == VERBOSE));
            }
            return sb.toString();
        }

        /** Its name in a request: {@code text}, {@code verbose}, {@code json}. */
        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code view} null: the reply carries the typed {@code interfaces}; else their rendering in {@code output}. */
    public record Request(String op, List<String> args, View view) {
        public Request {
            args = args == null ? List.of() : List.copyOf(args);
        }

        public Request(String op, List<String> args) {
            this(op, args, null);
        }
    }

    /** {@code error} when not ok; {@code output} instead of {@code interfaces} when the request had a view. */
    public record Response(boolean ok, String error, List<InterfaceStatus> interfaces, String output) {
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

    /** A reply as one line of JSON, without the newline. */
    public static String encode(Response response) {
        return ControlJson.line(g -> ControlJson.writeResponse(g, response));
    }

    /** A request as one line of JSON, without the newline (what {@link #decodeRequest} reads back). */
    public static String encodeRequest(Request request) {
        return ControlJson.line(g -> ControlJson.writeRequest(g, request));
    }

    /** Statuses as one JSON array, one line: {@code ifconfig --json} (what {@link #decodeStatuses} reads back). */
    public static String encodeStatuses(List<InterfaceStatus> statuses) {
        return ControlJson.line(g -> ControlJson.writeStatuses(g, statuses));
    }

    /**
     * A request line, strictly ({@link ControlJson}); its {@code op} may be null (absent), the server's to refuse.
     *
     * @throws JsonProcessingException one line saying what is wrong and where
     */
    public static Request decodeRequest(String line) throws JsonProcessingException {
        return decode(line, ControlJson::readRequest);
    }

    /** A reply line, strictly ({@link ControlJson}). */
    public static Response decodeResponse(String line) throws JsonProcessingException {
        return decode(line, ControlJson::readResponse);
    }

    /** The output of {@code ifconfig --json} ({@link View#JSON}), strictly. */
    public static List<InterfaceStatus> decodeStatuses(String json) throws JsonProcessingException {
        return decode(json, ControlJson::readStatuses);
    }

    private static <T> T decode(String text, ControlJson.Reader<T> reader) throws JsonProcessingException {
        try {
            return ControlJson.document(ControlJson.FACTORY.createParser(text), reader);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a String failed", e); // a StringReader does not fail
        }
    }

    /**
     * The ok, error and output fields of a reply line; any other field (typed interfaces) is skipped unread.
     */
    public static Rendered decodeRendered(String line) throws IOException {
        boolean ok = false;
        String error = null;
        String output = null;
        try (JsonParser p = ControlJson.FACTORY.createParser(line)) {
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
}
