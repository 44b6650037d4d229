package net.pflowd.listen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import net.pflowd.decode.DecodedMessage;
import net.pflowd.decode.FlowDecoder;
import net.pflowd.decode.GoldenVectors;
import net.pflowd.testutil.Hex;
import org.junit.jupiter.api.Test;

class FlowJsonTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private DecodedMessage decode(InetSocketAddress from, String hex) throws Exception {
        return new FlowDecoder().decode(from, Hex.buffer(hex));
    }

    @Test
    void v5RecordHasEngineFieldsInsteadOfDomain() throws Exception {
        DecodedMessage m = decode(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000), GoldenVectors.V5);
        String line = FlowJson.line(m, m.records().get(0));
        assertThat(line).doesNotContain("\n");
        JsonNode j = mapper.readTree(line);
        assertThat(j.get("exporter").asText()).isEqualTo("127.0.0.1:5000");
        assertThat(j.get("version").asInt()).isEqualTo(5);
        assertThat(j.get("engine_type").asInt()).isEqualTo(1);
        assertThat(j.get("engine_id").asInt()).isEqualTo(2);
        assertThat(j.has("domain")).isFalse();
        assertThat(j.get("sequence").asLong()).isEqualTo(42);
        assertThat(j.get("src").asText()).isEqualTo("10.0.0.1");
        assertThat(j.get("dst").asText()).isEqualTo("10.0.0.2");
        assertThat(j.get("sport").asInt()).isEqualTo(40000);
        assertThat(j.get("dport").asInt()).isEqualTo(80);
        assertThat(j.get("proto").asInt()).isEqualTo(6);
        assertThat(j.get("tos").asInt()).isEqualTo(16);
        assertThat(j.get("input").asInt()).isEqualTo(3);
        assertThat(j.get("output").asInt()).isEqualTo(4);
        assertThat(j.get("packets").asLong()).isEqualTo(5);
        assertThat(j.get("bytes").asLong()).isEqualTo(400);
        assertThat(j.get("start").asText()).isEqualTo("2026-11-22T10:13:50.123Z");
        assertThat(j.get("end").asText()).isEqualTo("2026-11-22T10:15:29.123Z");
        assertThat(j.has("post_src")).isFalse();
    }

    @Test
    void natRecordsCarryPostFieldsAndIpv6IsShortForm() throws Exception {
        DecodedMessage m = decode(new InetSocketAddress(InetAddress.getByName("::1"), 4739), GoldenVectors.IPFIX_NAT);
        JsonNode v4 = mapper.readTree(FlowJson.line(m, m.records().get(0)));
        assertThat(v4.get("exporter").asText()).isEqualTo("[::1]:4739");
        assertThat(v4.get("domain").asLong()).isEqualTo(7);
        assertThat(v4.get("post_src").asText()).isEqualTo("203.0.113.5");
        assertThat(v4.get("post_dst").asText()).isEqualTo("198.51.100.7");
        assertThat(v4.get("post_sport").asInt()).isEqualTo(61000);
        assertThat(v4.get("post_dport").asInt()).isEqualTo(80);
        JsonNode v6 = mapper.readTree(FlowJson.line(m, m.records().get(1)));
        assertThat(v6.get("src").asText()).isEqualTo("fd00::1");
        assertThat(v6.get("dst").asText()).isEqualTo("2001:db8::7");
        assertThat(v6.get("post_src").asText()).isEqualTo("2001:db8:ffff::5");
        assertThat(v6.get("post_sport").asInt()).isEqualTo(61001);
    }

    @Test
    void ipv6ShortFormFollowsRfc5952() throws Exception {
        assertThat(FlowJson.address(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(FlowJson.address(InetAddress.getByName("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(FlowJson.address(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(FlowJson.address(InetAddress.getByName("fe80::"))).isEqualTo("fe80::");
        assertThat(FlowJson.address(InetAddress.getByName("0:0:1:0:0:0:0:2"))).isEqualTo("0:0:1::2");
    }

    @Test
    void unsignedCountersAboveLongMaxStayPositive() throws Exception {
        // IPFIX template 256 record with packets = 2^64 - 1; no start/end times present -> null.
        DecodedMessage m = decode(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1),
                "000A 0030 6B02C0C2 00000001 00000001 0002 0010 0100 0002 0002 0008 0004 0001"
                        + " 0100 0010 FFFFFFFFFFFFFFFF 11 000000");
        JsonNode j = mapper.readTree(FlowJson.line(m, m.records().get(0)));
        assertThat(j.get("packets").bigIntegerValue().toString()).isEqualTo("18446744073709551615");
        assertThat(j.get("proto").asInt()).isEqualTo(17);
        assertThat(j.get("start").isNull()).isTrue();
    }

    /** The exact lines, fields in the contract's order (recorded from the version that wrote them with a tree). */
    @Test
    void linesAreExactlyAsBefore() throws Exception {
        DecodedMessage v5 = decode(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000), GoldenVectors.V5);
        assertThat(FlowJson.line(v5, v5.records().get(0))).isEqualTo(
                "{\"exporter\":\"127.0.0.1:5000\",\"version\":5,\"engine_type\":1,\"engine_id\":2,"
                        + "\"sequence\":42,\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"sport\":40000,\"dport\":80,"
                        + "\"proto\":6,\"tos\":16,\"input\":3,\"output\":4,\"packets\":5,\"bytes\":400,"
                        + "\"start\":\"2026-11-22T10:13:50.123Z\",\"end\":\"2026-11-22T10:15:29.123Z\"}");
        DecodedMessage nat = decode(new InetSocketAddress(InetAddress.getByName("::1"), 4739), GoldenVectors.IPFIX_NAT);
        assertThat(FlowJson.line(nat, nat.records().get(0))).isEqualTo(
                "{\"exporter\":\"[::1]:4739\",\"version\":10,\"domain\":7,\"sequence\":100,"
                        + "\"src\":\"10.0.0.1\",\"dst\":\"198.51.100.7\",\"sport\":40000,\"dport\":80,\"proto\":6,"
                        + "\"tos\":0,\"input\":1,\"output\":2,\"packets\":6,\"bytes\":500,"
                        + "\"start\":\"2026-11-22T10:13:50.123Z\",\"end\":\"2026-11-22T10:15:29.123Z\","
                        + "\"post_src\":\"203.0.113.5\",\"post_dst\":\"198.51.100.7\",\"post_sport\":61000,"
                        + "\"post_dport\":80}");
        assertThat(FlowJson.line(nat, nat.records().get(1))).isEqualTo(
                "{\"exporter\":\"[::1]:4739\",\"version\":10,\"domain\":7,\"sequence\":100,\"src\":\"fd00::1\","
                        + "\"dst\":\"2001:db8::7\",\"sport\":54321,\"dport\":53,\"proto\":17,\"tos\":0,\"input\":1,"
                        + "\"output\":2,\"packets\":2,\"bytes\":120,\"start\":\"2026-11-22T10:13:50.123Z\","
                        + "\"end\":\"2026-11-22T10:15:29.123Z\",\"post_src\":\"2001:db8:ffff::5\","
                        + "\"post_dst\":\"2001:db8::7\",\"post_sport\":61001,\"post_dport\":53}");
        DecodedMessage big = decode(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1),
                "000A 0030 6B02C0C2 00000001 00000001 0002 0010 0100 0002 0002 0008 0004 0001"
                        + " 0100 0010 FFFFFFFFFFFFFFFF 11 000000");
        assertThat(FlowJson.line(big, big.records().get(0))).isEqualTo(
                "{\"exporter\":\"127.0.0.1:1\",\"version\":10,\"domain\":1,\"sequence\":1,\"src\":\"0.0.0.0\","
                        + "\"dst\":\"0.0.0.0\",\"sport\":0,\"dport\":0,\"proto\":17,\"tos\":0,\"input\":0,\"output\":0,"
                        + "\"packets\":18446744073709551615,\"bytes\":0,\"start\":null,\"end\":null}");
    }
}
