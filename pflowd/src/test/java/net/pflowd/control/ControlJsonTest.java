package net.pflowd.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.pflowd.config.ConfigException;
import net.pflowd.config.FlowEndpoint;
import net.pflowd.config.InterfaceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON codec of the control protocol and the state file ({@link ControlJson}): every type written to the exact
 * text the data binding of earlier versions wrote (the golden strings were recorded from that version) and read
 * back as itself; a state file written by that version reads back and is rewritten byte for byte; and each rule
 * of strictness, input by input, with the one-line error it gives.
 */
class ControlJsonTest {
    private static final InterfaceConfig V4 = new InterfaceConfig("pflow0", true, endpoint("10.0.0.1"),
            endpoint("10.0.0.2:2055"), 5, 1500, 42);
    private static final InterfaceConfig V6 = new InterfaceConfig("pflow10", false, endpoint("[2001:db8::1]:4000"),
            endpoint("[2001:db8::2]:4739"), 10, 9216, 4294967295L);
    private static final InterfaceConfig BARE = InterfaceConfig.created("pflow2");
    private static final List<InterfaceStatus> STATUSES = statuses();

    private static final String V4_JSON = j("{'name':'pflow0','up':true,'flowsrc':'10.0.0.1','flowdst':'10.0.0.2:2055',"
            + "'pflowproto':5,'mtu':1500,'domain':42}");
    private static final String V6_JSON = j("{'name':'pflow10','up':false,'flowsrc':'[2001:db8::1]:4000',"
            + "'flowdst':'[2001:db8::2]:4739','pflowproto':10,'mtu':9216,'domain':4294967295}");
    private static final String BARE_JSON = j("{'name':'pflow2','up':true,'flowsrc':null,'flowdst':null,"
            + "'pflowproto':5,'mtu':1500,'domain':42}");
    private static final String STATUSES_JSON = "[{\"config\":" + V4_JSON + j(",'index':7,'flags':65,'mtu':1492,"
            + "'statistics':{'flows':1,'packets':2,'bytes':312,'errors':0,'dropped':9223372036854775807,")
            + "\"z\\\"\\n\":-1}},{\"config\":" + V6_JSON + j(",'index':0,'flags':0,'mtu':9216,'statistics':{},"
            + "'waiting':'flowsrc [2001:db8::1] is no address of this host'},{'config':") + BARE_JSON
            + j(",'index':9,'flags':1,'mtu':1500,'statistics':{}}]");

    /** JSON written with single quotes, for legibility: every ' becomes ". */
    private static String j(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static FlowEndpoint endpoint(String text) {
        try {
            return FlowEndpoint.parse(text);
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    private static List<InterfaceStatus> statuses() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("flows", 1L);
        counters.put("packets", 2L);
        counters.put("bytes", 312L);
        counters.put("errors", 0L);
        counters.put("dropped", Long.MAX_VALUE);
        counters.put("z\"\n", -1L);
        return List.of(new InterfaceStatus(V4, 7, 65, 1492, counters),
                new InterfaceStatus(V6, 0, 0, 9216, Map.of(), "flowsrc [2001:db8::1] is no address of this host"),
                new InterfaceStatus(BARE, 9, 1, 1500, null));
    }

    // ---- golden: written exactly as before, read back as itself ----

    @Test
    void requests() throws Exception {
        ControlProtocol.Request apply = new ControlProtocol.Request("apply",
                List.of("pflow0", "flowdst", "[::1]:2055", "\"q\" \\ \u00e9\n"), ControlProtocol.View.VERBOSE);
        String applyJson = "{\"op\":\"apply\",\"args\":[\"pflow0\",\"flowdst\",\"[::1]:2055\",\"\\\"q\\\" \\\\ \u00e9\\n\"],"
                + "\"view\":\"verbose\"}";
        ControlProtocol.Request list = new ControlProtocol.Request("list", List.of());
        for (var golden : List.of(Map.entry(apply, applyJson), Map.entry(list, j("{'op':'list','args':[]}")),
                Map.entry(new ControlProtocol.Request("status", List.of("pflow1"), ControlProtocol.View.JSON),
                        j("{'op':'status','args':['pflow1'],'view':'json'}")))) {
            assertThat(ControlProtocol.encodeRequest(golden.getKey())).isEqualTo(golden.getValue());
            assertThat(ControlProtocol.decodeRequest(golden.getValue())).isEqualTo(golden.getKey());
        }
    }

    @Test
    void responses() throws Exception {
        String text = "pflow0: flags=41<UP,RUNNING> mtu 1492\\n\\tindex 7 priority 0 llprio 3\\n\\tpflow: sender: "
                + "10.0.0.1 receiver: 10.0.0.2:2055 version: 5\\n\\tgroups: pflow\\npflow10: flags=0<> mtu 9216\\n"
                + "\\tpriority 0 llprio 3\\n\\tpflow: sender: [2001:db8::1]:4000 receiver: [2001:db8::2]:4739 "
                + "version: 10\\n\\tgroups: pflow\\npflow2: flags=1<UP> mtu 1500\\n\\tindex 9 priority 0 llprio 3\\n"
                + "\\tpflow: receiver: INVALID:INVALID version: 5\\n\\tgroups: pflow\\n";
        String statusesAsString = STATUSES_JSON.replace("\\", "\\\\").replace("\"", "\\\"") + "\\n";
        for (var golden : List.of(
                Map.entry(ControlProtocol.Response.success(STATUSES), "{\"ok\":true,\"interfaces\":" + STATUSES_JSON + "}"),
                Map.entry(ControlProtocol.Response.success(List.of()), j("{'ok':true,'interfaces':[]}")),
                Map.entry(ControlProtocol.Response.failure("ifconfig: \"x\"\n\u00e9"),
                        "{\"ok\":false,\"error\":\"ifconfig: \\\"x\\\"\\n\u00e9\",\"interfaces\":[]}"),
                Map.entry(ControlProtocol.Response.rendered(STATUSES, ControlProtocol.View.TEXT),
                        "{\"ok\":true,\"interfaces\":[],\"output\":\"" + text + "\"}"),
                Map.entry(ControlProtocol.Response.rendered(STATUSES, ControlProtocol.View.JSON),
                        "{\"ok\":true,\"interfaces\":[],\"output\":\"" + statusesAsString + "\"}"),
                Map.entry(new ControlProtocol.Response(true, "e", STATUSES, "o"),
                        "{\"ok\":true,\"error\":\"e\",\"interfaces\":" + STATUSES_JSON + ",\"output\":\"o\"}"))) {
            assertThat(ControlProtocol.encode(golden.getKey())).isEqualTo(golden.getValue());
            assertThat(ControlProtocol.decodeResponse(golden.getValue())).isEqualTo(golden.getKey());
        }
    }

    @Test
    void statusesAsIfconfigJsonPrintsThem() throws Exception {
        assertThat(ControlProtocol.View.JSON.render(STATUSES)).isEqualTo(STATUSES_JSON + "\n");
        assertThat(ControlProtocol.decodeStatuses(STATUSES_JSON + "\n")).isEqualTo(STATUSES);
        assertThat(ControlProtocol.decodeStatuses("[]")).isEmpty();
    }

    /** interfaces-written-by-databind.json: what StateStore.save wrote with Jackson's data binding (before 0.2). */
    @Test
    void aStateFileOfTheDataBindingReadsBackAndIsRewrittenByteForByte(@TempDir Path dir) throws Exception {
        byte[] before;
        try (InputStream in = getClass().getResourceAsStream("interfaces-written-by-databind.json")) {
            before = in.readAllBytes();
        }
        StateStore store = new StateStore(dir);
        Files.write(store.file(), before);
        StateStore.State state = store.load().orElseThrow();
        assertThat(state).isEqualTo(new StateStore.State(1, "d1g3st", List.of(V4, BARE, V6)));
        store.save(List.of(V6, V4, BARE), "d1g3st");
        assertThat(Files.readAllBytes(store.file())).isEqualTo(before);

        store.save(List.of(), null);
        assertThat(Files.readString(store.file())).isEqualTo(
                "{\n  \"format\" : 1,\n  \"configDigest\" : null,\n  \"interfaces\" : [ ]\n}");
        assertThat(store.load().orElseThrow()).isEqualTo(new StateStore.State(1, null, List.of()));
    }

    // ---- what may be absent or null ----

    static Stream<Arguments> accepted() {
        String status = "{\"config\":" + BARE_JSON + ",\"index\":9,\"flags\":1,\"mtu\":1500";
        InterfaceStatus bare = new InterfaceStatus(BARE, 9, 1, 1500, Map.of());
        return Stream.of(
                Arguments.of(j("{'op':'list'}"), new ControlProtocol.Request("list", List.of(), null)),
                Arguments.of(j("{'op':null,'args':null,'view':null}"), new ControlProtocol.Request(null, List.of(), null)),
                Arguments.of(j("{}"), new ControlProtocol.Request(null, List.of(), null)),
                Arguments.of(j(" {'op':'list'} \n\t"), new ControlProtocol.Request("list", List.of(), null)),
                Arguments.of(j("{'view':'text','args':['a'],'op':'status'}"),
                        new ControlProtocol.Request("status", List.of("a"), ControlProtocol.View.TEXT)),
                Arguments.of(j("{'ok':true}"), ControlProtocol.Response.success(List.of())),
                Arguments.of(j("{'ok':false,'error':null,'interfaces':null,'output':null}"),
                        new ControlProtocol.Response(false, null, List.of(), null)),
                Arguments.of(j("{'ok':true,'interfaces':[") + status + "}]}", ControlProtocol.Response.success(List.of(bare))),
                Arguments.of(j("{'ok':true,'interfaces':[") + status + j(",'statistics':null,'waiting':null}]}"),
                        ControlProtocol.Response.success(List.of(bare))),
                // An absent address is none, as null is.
                Arguments.of(j("{'ok':true,'interfaces':[{'config':{'name':'pflow2','up':true,'pflowproto':5,"
                        + "'mtu':1500,'domain':42},'index':9,'flags':1,'mtu':1500}]}"),
                        ControlProtocol.Response.success(List.of(bare))));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("accepted")
    void acceptedAsDocumented(String line, Object expected) throws Exception {
        Object decoded = expected instanceof ControlProtocol.Request
                ? ControlProtocol.decodeRequest(line) : ControlProtocol.decodeResponse(line);
        assertThat(decoded).isEqualTo(expected);
    }

    // ---- strictness: input line → error ----

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // a key given twice (the parser's own message)
                Arguments.of("{'op':'list','op':'list'}", "Duplicate field 'op'"),
                Arguments.of("{'op':'list','args':[],'args':[]}", "Duplicate field 'args'"),
                // a field the request does not have
                Arguments.of("{'op':'list','extra':1}", "/extra: unknown field"),
                Arguments.of("{'op':'list','extra':null}", "/extra: unknown field"),
                Arguments.of("{'Op':'list'}", "/Op: unknown field"),
                // wrong types
                Arguments.of("{'op':5}", "/op: expected a string, got an integer"),
                Arguments.of("{'op':1.5}", "/op: expected a string, got a number with a fraction or exponent"),
                Arguments.of("{'op':true}", "/op: expected a string, got a boolean"),
                Arguments.of("{'op':['list']}", "/op: expected a string, got an array"),
                Arguments.of("{'op':{}}", "/op: expected a string, got an object"),
                Arguments.of("{'op':'list','args':'x'}", "/args: expected an array, got a string"),
                Arguments.of("{'op':'list','args':5}", "/args: expected an array, got an integer"),
                Arguments.of("{'op':'list','args':{}}", "/args: expected an array, got an object"),
                Arguments.of("{'op':'list','args':['a',1]}", "/args/1: expected a string, got an integer"),
                Arguments.of("{'op':'list','args':[true]}", "/args/0: expected a string, got a boolean"),
                Arguments.of("{'op':'list','args':[[]]}", "/args/0: expected a string, got an array"),
                // null where a value is required
                Arguments.of("{'op':'apply','args':['pflow0',null]}", "/args/1: expected a string, got null"),
                // the view: its lower-case name only (not its index, not its constant's name)
                Arguments.of("{'op':'list','view':'html'}", "/view: unknown view (expected \"text\", \"verbose\" or \"json\")"),
                Arguments.of("{'op':'list','view':'TEXT'}", "/view: unknown view (expected \"text\", \"verbose\" or \"json\")"),
                Arguments.of("{'op':'list','view':''}", "/view: unknown view (expected \"text\", \"verbose\" or \"json\")"),
                Arguments.of("{'op':'list','view':0}", "/view: expected a string, got an integer"),
                Arguments.of("{'op':'list','view':['text']}", "/view: expected a string, got an array"),
                // the document itself
                Arguments.of("", "the document: no JSON document (empty input)"),
                Arguments.of("   ", "the document: no JSON document (empty input)"),
                Arguments.of("null", "the document: expected an object, got null"),
                Arguments.of("[1,2,3]", "the document: expected an object, got an array"),
                Arguments.of("'list'", "the document: expected an object, got a string"),
                Arguments.of("5", "the document: expected an object, got an integer"),
                // anything after the document
                Arguments.of("{'op':'list'}{}", "the document: expected the end of the input after the document, got an object"),
                Arguments.of("{'op':'list'} 5", "the document: expected the end of the input after the document, got an integer"),
                Arguments.of("{'op':'list'} null", "the document: expected the end of the input after the document, got null"),
                Arguments.of("{'op':'list'} x", "Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or "
                        + "token 'null', 'true' or 'false')"),
                // not JSON (the parser's own messages)
                Arguments.of("{'op':'list',}", "Unexpected character ('}' (code 125)): was expecting double-quote to start "
                        + "field name"),
                Arguments.of("{'op':'list','args':[01]}", "Invalid numeric value: Leading zeroes not allowed"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("badRequests")
    void badRequest(String singleQuoted, String error) {
        String line = j(singleQuoted);
        assertThatThrownBy(() -> ControlProtocol.decodeRequest(line)).isInstanceOf(JsonProcessingException.class)
                .extracting(e -> ((JsonProcessingException) e).getOriginalMessage()).isEqualTo(error);
    }

    static Stream<Arguments> badResponses() {
        String config = "{'name':'pflow0','up':true,'flowsrc':null,'flowdst':'10.0.0.2:2055','pflowproto':5,"
                + "'mtu':1500,'domain':42}";
        String status = "{'config':" + config + ",'index':7,'flags':65,'mtu':1492";
        String inStatus = "{'ok':true,'interfaces':[" + status;
        String withConfig = "{'ok':true,'interfaces':[{'index':1,'flags':0,'mtu':1500,'config':{";
        String full = "'name':'pflow0','up':true,'flowsrc':null,'flowdst':null,'pflowproto':5,'mtu':1500,'domain':42";
        return Stream.of(
                Arguments.of("{'ok':true,'ok':true}", "Duplicate field 'ok'"),
                Arguments.of(inStatus + ",'mtu':1}]}", "Duplicate field 'mtu'"),
                Arguments.of(inStatus + ",'statistics':{'flows':1,'flows':2}}]}", "Duplicate field 'flows'"),
                Arguments.of("{'ok':true,'x':1}", "/x: unknown field"),
                Arguments.of(inStatus + ",'name':'pflow0'}]}", "/interfaces/0/name: unknown field"),
                Arguments.of(inStatus + ",'up':true}]}", "/interfaces/0/up: unknown field"),
                Arguments.of(withConfig + full + ",'Name':'x'}}]}", "/interfaces/0/config/Name: unknown field"),
                // a missing or null boolean or integer: no default is guessed
                Arguments.of("{}", "the document: missing \"ok\""),
                Arguments.of("{'interfaces':[]}", "the document: missing \"ok\""),
                Arguments.of("{'ok':null}", "/ok: expected true or false, got null"),
                Arguments.of("{'ok':true,'interfaces':[{'config':" + config + ",'flags':65,'mtu':1492}]}",
                        "/interfaces/0: missing \"index\""),
                Arguments.of(inStatus.replace(",'mtu':1492", "") + "}]}", "/interfaces/0: missing \"mtu\""),
                Arguments.of(inStatus.replace("'index':7", "'index':null") + "}]}",
                        "/interfaces/0/index: expected an integer, got null"),
                Arguments.of(withConfig + full.replace(",'mtu':1500", "") + "}}]}", "/interfaces/0/config: missing \"mtu\""),
                Arguments.of(withConfig + full.replace("'up':true,", "") + "}}]}", "/interfaces/0/config: missing \"up\""),
                Arguments.of(withConfig + full.replace(",'domain':42", "") + "}}]}", "/interfaces/0/config: missing \"domain\""),
                Arguments.of(withConfig + full.replace("'name':'pflow0',", "") + "}}]}",
                        "/interfaces/0/config: missing \"name\""),
                Arguments.of("{'ok':true,'interfaces':[{'index':7,'flags':65,'mtu':1492}]}", "/interfaces/0: missing \"config\""),
                Arguments.of("{'ok':true,'interfaces':[{'config':null,'index':7}]}",
                        "/interfaces/0/config: expected an object, got null"),
                Arguments.of("{'ok':true,'interfaces':[null]}", "/interfaces/0: expected an object, got null"),
                Arguments.of(inStatus + ",'statistics':{'flows':null}}]}",
                        "/interfaces/0/statistics/flows: expected an integer, got null"),
                // wrong types
                Arguments.of("{'ok':'true'}", "/ok: expected true or false, got a string"),
                Arguments.of("{'ok':1}", "/ok: expected true or false, got an integer"),
                Arguments.of("{'ok':false,'error':5}", "/error: expected a string, got an integer"),
                Arguments.of("{'ok':true,'output':['x']}", "/output: expected a string, got an array"),
                Arguments.of("{'ok':true,'interfaces':{}}", "/interfaces: expected an array, got an object"),
                Arguments.of("{'ok':true,'interfaces':['x']}", "/interfaces/0: expected an object, got a string"),
                Arguments.of(inStatus.replace("'index':7", "'index':'7'") + "}]}",
                        "/interfaces/0/index: expected an integer, got a string"),
                Arguments.of(inStatus.replace("'index':7", "'index':1.5") + "}]}",
                        "/interfaces/0/index: expected an integer, got a number with a fraction or exponent"),
                Arguments.of(inStatus.replace("'index':7", "'index':7.0") + "}]}",
                        "/interfaces/0/index: expected an integer, got a number with a fraction or exponent"),
                Arguments.of(inStatus.replace("'index':7", "'index':1e2") + "}]}",
                        "/interfaces/0/index: expected an integer, got a number with a fraction or exponent"),
                Arguments.of(inStatus.replace("'index':7", "'index':true") + "}]}",
                        "/interfaces/0/index: expected an integer, got a boolean"),
                Arguments.of(inStatus.replace("'index':7", "'index':2147483648") + "}]}",
                        "/interfaces/0/index: integer out of range -2147483648..2147483647"),
                Arguments.of(inStatus + ",'statistics':[]}]}", "/interfaces/0/statistics: expected an object, got an array"),
                Arguments.of(inStatus + ",'statistics':{'flows':'1'}}]}",
                        "/interfaces/0/statistics/flows: expected an integer, got a string"),
                Arguments.of(inStatus + ",'statistics':{'flows':9223372036854775808}}]}",
                        "/interfaces/0/statistics/flows: integer out of range -9223372036854775808..9223372036854775807"),
                Arguments.of(inStatus + ",'waiting':5}]}", "/interfaces/0/waiting: expected a string, got an integer"),
                Arguments.of(withConfig + full.replace("'mtu':1500", "'mtu':'1500'") + "}}]}",
                        "/interfaces/0/config/mtu: expected an integer, got a string"),
                Arguments.of(withConfig + full.replace("'mtu':1500", "'mtu':1500.0") + "}}]}",
                        "/interfaces/0/config/mtu: expected an integer, got a number with a fraction or exponent"),
                Arguments.of(withConfig + full.replace("'up':true", "'up':'true'") + "}}]}",
                        "/interfaces/0/config/up: expected true or false, got a string"),
                Arguments.of(withConfig + full.replace("'up':true", "'up':1") + "}}]}",
                        "/interfaces/0/config/up: expected true or false, got an integer"),
                Arguments.of(withConfig + full.replace("'name':'pflow0'", "'name':5") + "}}]}",
                        "/interfaces/0/config/name: expected a string, got an integer"),
                Arguments.of(withConfig + full.replace("'flowsrc':null", "'flowsrc':5") + "}}]}",
                        "/interfaces/0/config/flowsrc: expected a string, got an integer"),
                Arguments.of(withConfig + full.replace("'domain':42", "'domain':99999999999999999999") + "}}]}",
                        "/interfaces/0/config/domain: integer out of range -9223372036854775808..9223372036854775807"),
                // values their types refuse
                Arguments.of(withConfig + full.replace("'flowsrc':null", "'flowsrc':'bogus'") + "}}]}",
                        "/interfaces/0/config/flowsrc: ifconfig: error in parsing address string: bogus"),
                Arguments.of(withConfig + full.replace("'flowdst':null", "'flowdst':'10.0.0.2'") + "}}]}",
                        "/interfaces/0/config: flowdst without port: 10.0.0.2"),
                Arguments.of(withConfig + full.replace("'name':'pflow0'", "'name':'eth0'") + "}}]}",
                        "/interfaces/0/config: not a pflow interface name: eth0"),
                Arguments.of(withConfig + full.replace("'pflowproto':5", "'pflowproto':7") + "}}]}",
                        "/interfaces/0/config: invalid pflow protocol: 7"),
                Arguments.of(withConfig + full.replace("'domain':42", "'domain':4294967296") + "}}]}",
                        "/interfaces/0/config: domain out of range 0..4294967295: 4294967296"),
                // the document
                Arguments.of("null", "the document: expected an object, got null"),
                Arguments.of("[]", "the document: expected an object, got an array"),
                Arguments.of("{'ok':true}[]", "the document: expected the end of the input after the document, got an array"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("badResponses")
    void badResponse(String singleQuoted, String error) {
        String line = j(singleQuoted);
        assertThatThrownBy(() -> ControlProtocol.decodeResponse(line)).isInstanceOf(JsonProcessingException.class)
                .extracting(e -> ((JsonProcessingException) e).getOriginalMessage()).isEqualTo(error);
    }

    static Stream<Arguments> badStateFiles() {
        String iface = "{'name':'pflow0','up':true,'flowsrc':null,'flowdst':null,'pflowproto':5,'mtu':1500,'domain':42}";
        return Stream.of(
                Arguments.of("{'format':1,'interfaces':[],'format':1}", "Duplicate field 'format'"),
                Arguments.of("{'format':1,'interfaces':[],'extra':0}", "/extra: unknown field"),
                Arguments.of("{'interfaces':[]}", "the document: missing \"format\""),
                Arguments.of("{'format':null}", "/format: expected an integer, got null"),
                Arguments.of("{'format':'1'}", "/format: expected an integer, got a string"),
                Arguments.of("{'format':1.0}", "/format: expected an integer, got a number with a fraction or exponent"),
                Arguments.of("{'format':2,'interfaces':[]}", "unknown format 2 (expected 1)"),
                Arguments.of("{'format':1,'configDigest':5}", "/configDigest: expected a string, got an integer"),
                Arguments.of("{'format':1,'interfaces':{}}", "/interfaces: expected an array, got an object"),
                Arguments.of("{'format':1,'interfaces':[null]}", "/interfaces/0: expected an object, got null"),
                Arguments.of("{'format':1,'interfaces':[" + iface.replace("'mtu':1500", "'mtu':'1500'") + "]}",
                        "/interfaces/0/mtu: expected an integer, got a string"),
                Arguments.of("{'format':1,'interfaces':[" + iface.replace(",'domain':42", "") + "]}",
                        "/interfaces/0: missing \"domain\""),
                Arguments.of("{'format':1,'interfaces':[" + iface + "," + iface + "]}", "duplicate interface pflow0"),
                Arguments.of("", "the document: no JSON document (empty input)"),
                Arguments.of("null", "the document: expected an object, got null"),
                Arguments.of("{'format':1,'interfaces':[]} {}",
                        "the document: expected the end of the input after the document, got an object"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("badStateFiles")
    void badStateFile(String singleQuoted, String error, @TempDir Path dir) throws IOException {
        StateStore store = new StateStore(dir);
        Files.writeString(store.file(), j(singleQuoted), StandardCharsets.UTF_8);
        assertThatThrownBy(store::load).isInstanceOf(ControlException.class)
                .hasMessage(store.file() + ": corrupt state file: " + error
                        + " (fix or remove it; without it pflowd.conf is applied)");
    }

    /** The server answers a malformed request with the codec's message, on one line, prefixed for ifconfig. */
    @Test
    void theServerAnswersTheCodecsMessage() {
        ControlServer server = new ControlServer(ControlServer.Options.defaults(Path.of("/nonexistent")),
                new FakeInterfaceManager());
        assertThat(ControlProtocol.encode(server.handle(j("{'op':'apply','args':['pflow0','mtu',1500]}"), true)))
                .isEqualTo(j("{'ok':false,'error':'ifconfig: malformed control request: /args/2: expected a string, "
                        + "got an integer','interfaces':[]}"));
        assertThat(server.handle("{\"op\":\"list\"}\u0000", true).error())
                .startsWith("ifconfig: malformed control request: ").doesNotContain("\n");
    }
}
