package net.pflowd.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import net.pflowd.flow.FlowRecord;
import net.pflowd.testutil.Hex;
import org.junit.jupiter.api.Test;

class FlowDecoderTest {
    static final InetSocketAddress EXPORTER = new InetSocketAddress(ip("192.0.2.1"), 5000);
    static final InetSocketAddress OTHER = new InetSocketAddress(ip("192.0.2.2"), 5000);

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private final FlowDecoder decoder = new FlowDecoder();

    private DecodedMessage decode(String... hex) throws DecodeException {
        return decoder.decode(EXPORTER, Hex.buffer(hex));
    }

    // ---- NetFlow v5 ----

    @Test
    void v5GoldenVector() throws Exception {
        DecodedMessage m = decode(GoldenVectors.V5);
        assertThat(m.version()).isEqualTo(5);
        assertThat(m.count()).isEqualTo(2);
        assertThat(m.sequence()).isEqualTo(42);
        assertThat(m.engineType()).isEqualTo(1);
        assertThat(m.engineId()).isEqualTo(2);
        assertThat(m.domain()).isEqualTo(0x0102);
        assertThat(m.sysUptime()).isEqualTo(1_000_000);
        assertThat(m.exportMillis()).isEqualTo(ms("2026-11-22T10:15:30.123Z"));
        assertThat(m.records()).hasSize(2);

        FlowRecord a = m.records().get(0);
        assertThat(a.family).isEqualTo(FlowRecord.IPV4);
        assertThat(a.src()).isEqualTo(ip("10.0.0.1"));
        assertThat(a.dst()).isEqualTo(ip("10.0.0.2"));
        assertThat(a.srcPort).isEqualTo(40000);
        assertThat(a.dstPort).isEqualTo(80);
        assertThat(a.protocol).isEqualTo(6);
        assertThat(a.tos).isEqualTo(0x10);
        assertThat(a.tcpFlags).isEqualTo(0x1b);
        assertThat(a.inputIf).isEqualTo(3);
        assertThat(a.outputIf).isEqualTo(4);
        assertThat(a.packets).isEqualTo(5);
        assertThat(a.bytes).isEqualTo(400);
        assertThat(a.startMillis).isEqualTo(ms("2026-11-22T10:13:50.123Z"));
        assertThat(a.endMillis).isEqualTo(ms("2026-11-22T10:15:29.123Z"));
        assertThat(a.nat).isFalse();

        FlowRecord b = m.records().get(1);
        assertThat(b.src()).isEqualTo(ip("10.0.0.2"));
        assertThat(b.srcPort).isEqualTo(80);
        assertThat(b.dstPort).isEqualTo(40000);
        assertThat(b.bytes).isEqualTo(9000);
        assertThat(b.tcpFlags).isEqualTo(0x12);
        assertThat(b.tos).isZero();
    }

    @Test
    void uptimeDifferenceSurvivesTheThirtyTwoBitWrap() {
        // Exporter uptime wrapped to 16 ms after a flow stamped at 2^32 - 16 ms: the flow is 32 ms old.
        assertThat(FlowDecoder.uptimeToEpoch(1_000_000, 0x10, 0xFFFFFFF0L)).isEqualTo(1_000_000 - 32);
        // Stamped 5 ms after the header's uptime (exporter race): 5 ms after export time, not 49 days before.
        assertThat(FlowDecoder.uptimeToEpoch(1_000_000, 100, 105)).isEqualTo(1_000_005);
    }

    @Test
    void v5CountMustMatchTheDatagram() {
        byte[] full = Hex.bytes(GoldenVectors.V5);
        ByteBuffer shortBy = ByteBuffer.wrap(full, 0, full.length - 1);
        assertThatThrownBy(() -> decoder.decode(EXPORTER, shortBy))
                .isInstanceOf(DecodeException.class)
                .hasMessage("NetFlow v5 at offset 2: count 2 needs 120 bytes, datagram has 119");
        assertThatThrownBy(() -> decode("0005 0001 0000"))
                .hasMessage("NetFlow v5 at offset 0: header needs 24 bytes, datagram has 6");
    }

    // ---- NetFlow v9 ----

    @Test
    void v9GoldenVectorWithPadding() throws Exception {
        DecodedMessage m = decode(GoldenVectors.V9);
        assertThat(m.version()).isEqualTo(9);
        assertThat(m.count()).isEqualTo(2);
        assertThat(m.sequence()).isEqualTo(7);
        assertThat(m.domain()).isEqualTo(1);
        assertThat(m.engineType()).isEqualTo(-1);
        assertThat(m.sysUptime()).isEqualTo(1_000_000);
        assertThat(m.exportMillis()).isEqualTo(ms("2026-11-22T10:15:30Z"));
        assertThat(m.templateRecords()).isEqualTo(1);
        assertThat(m.dataSetsSkipped()).isZero();
        assertThat(m.records()).hasSize(1);
        FlowRecord r = m.records().get(0);
        assertThat(r.src()).isEqualTo(ip("10.0.0.1"));
        assertThat(r.dst()).isEqualTo(ip("10.0.0.2"));
        assertThat(r.inputIf).isEqualTo(3);
        assertThat(r.outputIf).isEqualTo(4);
        assertThat(r.packets).isEqualTo(5);
        assertThat(r.bytes).isEqualTo(400);
        assertThat(r.srcPort).isEqualTo(40000);
        assertThat(r.dstPort).isEqualTo(80);
        assertThat(r.tos).isEqualTo(0x10);
        assertThat(r.protocol).isEqualTo(6);
        assertThat(r.startMillis).isEqualTo(ms("2026-11-22T10:13:50Z"));
        assertThat(r.endMillis).isEqualTo(ms("2026-11-22T10:15:29Z"));
    }

    @Test
    void v9DataBeforeItsTemplateIsSkippedThenDecodedOnceTheTemplateArrives() throws Exception {
        String data = String.join("\n",
                "0100 0034",
                "0A000001 0A000002 00000003 00000004 0000000000000005 0000000000000190 000DBBA0 000F3E58 9C40 0050 10 06",
                "0000");
        DecodedMessage first = decode("0009 0001 000F4240 6B02C0C2 00000008 00000001", data);
        assertThat(first.records()).isEmpty();
        assertThat(first.dataSetsSkipped()).isEqualTo(1);

        decode("0009 0001 000F4240 6B02C0C2 00000009 00000001", GoldenVectors.V9_TEMPLATE_256);
        assertThat(decoder.templateCount(EXPORTER, 9, 1)).isEqualTo(1);

        DecodedMessage third = decode("0009 0001 000F4240 6B02C0C2 0000000A 00000001", data);
        assertThat(third.dataSetsSkipped()).isZero();
        assertThat(third.records()).hasSize(1);
        assertThat(third.records().get(0).bytes).isEqualTo(400);

        // Templates are per exporter and per source id.
        assertThat(decoder.decode(OTHER, Hex.buffer("0009 0001 000F4240 6B02C0C2 0000000A 00000001", data))
                .dataSetsSkipped()).isEqualTo(1);
        assertThat(decode("0009 0001 000F4240 6B02C0C2 0000000A 00000002", data).dataSetsSkipped()).isEqualTo(1);
    }

    @Test
    void v9OptionsTemplateAndItsDataAreSteppedOver() throws Exception {
        DecodedMessage m = decode(
                "0009 0002 000F4240 6B02C0C2 00000001 00000001",
                // options flowset: template 260, scope length 4 (system, 4), option length 8
                // (SAMPLING_INTERVAL 34 len 4, SAMPLING_ALGORITHM 35 len 1); 2 bytes padding
                "0001 0018 0104 0004 0008 0001 0004 0022 0004 0023 0001 0000",
                // options data: one 9-byte record + 3 padding
                "0104 0010 C0000201 00000064 02 000000");
        assertThat(m.templateRecords()).isEqualTo(1);
        assertThat(m.dataSetsSkipped()).isZero();
        assertThat(m.records()).isEmpty();
        assertThat(decoder.templateCount(EXPORTER, 9, 1)).isEqualTo(1);
    }

    @Test
    void v9FieldsFromForeignTemplatesAndTotalCounters() throws Exception {
        // Template 400: proto, dst v4, src v4, OUT_BYTES(23) 4, OUT_PKTS(24) 4, dport, sport, FIRST/LAST, 2-byte egress.
        DecodedMessage m = decode(
                "0009 0002 00000010 6B02C0C2 00000001 00000005",
                "0000 0030 0190 000A 0004 0001 000C 0004 0008 0004 0017 0004 0018 0004",
                "000B 0002 0007 0002 0016 0004 0015 0004 000E 0002",
                "0190 0024 11 08080808 C0A80001 00000200 00000002 0035 D431 FFFFFFF0 00000008 0007 00");
        FlowRecord r = m.records().get(0);
        assertThat(r.protocol).isEqualTo(17);
        assertThat(r.src()).isEqualTo(ip("192.168.0.1"));
        assertThat(r.dst()).isEqualTo(ip("8.8.8.8"));
        assertThat(r.bytes).isEqualTo(512);     // post counts are the fallback when no delta count is present
        assertThat(r.packets).isEqualTo(2);
        assertThat(r.srcPort).isEqualTo(54321);
        assertThat(r.dstPort).isEqualTo(53);
        assertThat(r.outputIf).isEqualTo(7);
        long export = ms("2026-11-22T10:15:30Z");
        assertThat(r.startMillis).isEqualTo(export - 32);  // uptime 16 ms, first at 2^32 - 16
        assertThat(r.endMillis).isEqualTo(export - 8);
    }

    // ---- IPFIX ----

    @Test
    void ipfixGoldenVector() throws Exception {
        DecodedMessage m = decode(GoldenVectors.IPFIX);
        assertThat(m.version()).isEqualTo(10);
        assertThat(m.sequence()).isEqualTo(60);
        assertThat(m.domain()).isEqualTo(42);
        assertThat(m.count()).isEqualTo(2);
        assertThat(m.sysUptime()).isEqualTo(-1);
        assertThat(m.exportMillis()).isEqualTo(ms("2026-11-22T10:15:30Z"));
        assertThat(m.templateRecords()).isEqualTo(1);
        assertThat(m.records()).hasSize(2);
        FlowRecord a = m.records().get(0);
        assertThat(a.src()).isEqualTo(ip("10.0.0.1"));
        assertThat(a.dst()).isEqualTo(ip("10.0.0.2"));
        assertThat(a.inputIf).isEqualTo(3);
        assertThat(a.outputIf).isEqualTo(4);
        assertThat(a.packets).isEqualTo(5);
        assertThat(a.bytes).isEqualTo(400);
        assertThat(a.startMillis).isEqualTo(ms("2026-11-22T10:13:50.123Z"));
        assertThat(a.endMillis).isEqualTo(ms("2026-11-22T10:15:29.123Z"));
        assertThat(a.srcPort).isEqualTo(40000);
        assertThat(a.dstPort).isEqualTo(80);
        assertThat(a.tos).isEqualTo(0x10);
        assertThat(a.protocol).isEqualTo(6);
        FlowRecord b = m.records().get(1);
        assertThat(b.src()).isEqualTo(ip("10.0.0.2"));
        assertThat(b.inputIf).isEqualTo(4);
        assertThat(b.packets).isEqualTo(4);
        assertThat(b.bytes).isEqualTo(9000);
        assertThat(b.srcPort).isEqualTo(80);
        assertThat(b.tos).isZero();
    }

    @Test
    void ipfixIpv6GoldenVector() throws Exception {
        DecodedMessage m = decode(GoldenVectors.IPFIX_V6);
        assertThat(m.records()).hasSize(1);
        FlowRecord r = m.records().get(0);
        assertThat(r.family).isEqualTo(FlowRecord.IPV6);
        assertThat(r.src()).isEqualTo(ip("2001:db8::1"));
        assertThat(r.dst()).isEqualTo(ip("2001:db8::2"));
        assertThat(r.srcPort).isEqualTo(50000);
        assertThat(r.dstPort).isEqualTo(443);
        assertThat(r.protocol).isEqualTo(17);
        assertThat(r.packets).isEqualTo(3);
        assertThat(r.bytes).isEqualTo(300);
        assertThat(r.inputIf).isEqualTo(1);
        assertThat(r.outputIf).isEqualTo(2);
        assertThat(r.nat).isFalse();
    }

    @Test
    void ipfixNatGoldenVectorIpv4AndIpv6() throws Exception {
        DecodedMessage m = decode(GoldenVectors.IPFIX_NAT);
        assertThat(m.templateRecords()).isEqualTo(2);
        assertThat(m.count()).isEqualTo(2);
        assertThat(m.records()).hasSize(2);
        FlowRecord v4 = m.records().get(0);
        assertThat(v4.nat).isTrue();
        assertThat(v4.family).isEqualTo(FlowRecord.IPV4);
        assertThat(v4.src()).isEqualTo(ip("10.0.0.1"));
        assertThat(v4.dst()).isEqualTo(ip("198.51.100.7"));
        assertThat(v4.postSrc()).isEqualTo(ip("203.0.113.5"));
        assertThat(v4.postDst()).isEqualTo(ip("198.51.100.7"));
        assertThat(v4.postSrcPort).isEqualTo(61000);
        assertThat(v4.postDstPort).isEqualTo(80);
        assertThat(v4.packets).isEqualTo(6);
        assertThat(v4.bytes).isEqualTo(500);
        FlowRecord v6 = m.records().get(1);
        assertThat(v6.nat).isTrue();
        assertThat(v6.family).isEqualTo(FlowRecord.IPV6);
        assertThat(v6.src()).isEqualTo(ip("fd00::1"));
        assertThat(v6.dst()).isEqualTo(ip("2001:db8::7"));
        assertThat(v6.srcPort).isEqualTo(54321);
        assertThat(v6.dstPort).isEqualTo(53);
        assertThat(v6.postSrc()).isEqualTo(ip("2001:db8:ffff::5"));
        assertThat(v6.postDst()).isEqualTo(ip("2001:db8::7"));
        assertThat(v6.postSrcPort).isEqualTo(61001);
        assertThat(v6.postDstPort).isEqualTo(53);
        assertThat(v6.bytes).isEqualTo(120);
    }

    @Test
    void ipfixReducedSizeAndVariableLengthFields() throws Exception {
        DecodedMessage m = decode(GoldenVectors.IPFIX_REDUCED_VARLEN);
        assertThat(m.records()).hasSize(2);
        assertThat(m.count()).isEqualTo(2);
        FlowRecord a = m.records().get(0);
        assertThat(a.src()).isEqualTo(ip("10.0.0.1"));
        assertThat(a.srcPort).isEqualTo(40000);
        assertThat(a.dstPort).isEqualTo(80);
        assertThat(a.protocol).isEqualTo(6);
        assertThat(a.packets).isEqualTo(5);
        assertThat(a.bytes).isEqualTo(400);
        assertThat(a.inputIf).isEqualTo(3);
        assertThat(a.outputIf).isEqualTo(4);
        assertThat(a.startMillis).isEqualTo(ms("2026-11-22T10:13:50.123Z"));
        assertThat(a.endMillis).isEqualTo(ms("2026-11-22T10:15:29.123Z"));
        FlowRecord b = m.records().get(1);
        assertThat(b.src()).isEqualTo(ip("10.0.0.2"));
        assertThat(b.packets).isEqualTo(4);
        assertThat(b.bytes).isEqualTo(9000);
        assertThat(b.inputIf).isEqualTo(4);
        assertThat(b.outputIf).isEqualTo(3);
        // Only lands right if both variable-length forms were stepped over correctly.
        assertThat(b.startMillis).isEqualTo(ms("2026-11-22T10:13:50.123Z"));
        assertThat(b.endMillis).isEqualTo(ms("2026-11-22T10:15:29.123Z"));
    }

    @Test
    void ipfixOtherTimeEncodings() throws Exception {
        // Template 301: flowStartSeconds(150) 4, flowEndMicroseconds(155) 8 (NTP), flowStartSysUpTime(22) 4,
        // systemInitTimeMilliseconds(160) 8. Sys-uptime start with init time overrides the seconds start.
        // NTP seconds for 2026-11-22T10:15:30Z: 1795342530 + 2208988800 = 4004331330 = 0xEEAD3F42;
        // fraction 0x80000000 = 0.5 s.
        DecodedMessage m = decode(
                "000A 0044 6B02C0C2 00000001 00000001",
                "0002 0018 012D 0004 0096 0004 009B 0008 0016 0004 00A0 0008",
                "012D 001C 6B02C0C2 EEAD3F4280000000 000003E8 000001A202BF6FAB");
        FlowRecord r = m.records().get(0);
        assertThat(r.endMillis).isEqualTo(ms("2026-11-22T10:15:30.500Z"));
        assertThat(r.startMillis).isEqualTo(ms("2026-11-22T10:13:51.123Z")); // init + 1000 ms
    }

    @Test
    void ipfixTemplateWithdrawal() throws Exception {
        decode(GoldenVectors.IPFIX);
        assertThat(decoder.templateCount(EXPORTER, 10, 42)).isEqualTo(1);
        DecodedMessage w = decode("000A 0018 6B02C0C2 0000003E 0000002A", "0002 0008 0100 0000");
        assertThat(w.templateRecords()).isEqualTo(1);
        assertThat(decoder.templateCount(EXPORTER, 10, 42)).isZero();

        decode(GoldenVectors.IPFIX);
        decode(GoldenVectors.IPFIX_NAT.replace("00000007", "0000002A"));
        assertThat(decoder.templateCount(EXPORTER, 10, 42)).isEqualTo(3);
        decode("000A 0018 6B02C0C2 00000040 0000002A", "0002 0008 0002 0000"); // all data templates
        assertThat(decoder.templateCount(EXPORTER, 10, 42)).isZero();
    }

    @Test
    void ipfixOptionsTemplateAndDataAreCountedNotDecoded() throws Exception {
        // Options template 320: 2 fields, 1 scope (observationDomainId 149, 4), exportedMessageTotalCount 41, 8.
        DecodedMessage m = decode(
                "000A 0034 6B02C0C2 00000001 00000001",
                "0003 0014 0140 0002 0001 0095 0004 0029 0008 0000",
                "0140 0010 00000001 0000000000000064");
        assertThat(m.templateRecords()).isEqualTo(1);
        assertThat(m.records()).isEmpty();
        assertThat(m.count()).isEqualTo(1);
        assertThat(m.dataSetsSkipped()).isZero();
    }

    @Test
    void ipfixLengthShorterThanDatagramIgnoresTheTrailingBytes() throws Exception {
        DecodedMessage m = decode(GoldenVectors.IPFIX, "DEADBEEF");
        assertThat(m.records()).hasSize(2);
    }

    // ---- malformed input ----

    @Test
    void malformedInputNamesWhatIsWrong() {
        assertError("01", "unknown version at offset 0: datagram of 1 bytes has no version field");
        assertError("0007 0000", "unknown version at offset 0: unsupported version 7");
        assertError("000A 0010 6B02C0C2 00000001", "IPFIX at offset 0: header needs 16 bytes, datagram has 12");
        assertError("000A 0040 6B02C0C2 00000001 00000001",
                "IPFIX at offset 2: message length 64 exceeds the datagram (16 bytes)");
        assertError("000A 000C 6B02C0C2 00000001 00000001",
                "IPFIX at offset 2: message length 12 is shorter than the header");
        assertError("000A 0014 6B02C0C2 00000001 00000001 0100 0000",
                "IPFIX set 256 at offset 18: set length 0 is shorter than its header");
        assertError("000A 0014 6B02C0C2 00000001 00000001 0100 0008",
                "IPFIX set 256 at offset 18: set length 8 runs past the end of the message (4 bytes left)");
        assertError("000A 0013 6B02C0C2 00000001 00000001 0100 00",
                "IPFIX at offset 16: 3 trailing bytes are shorter than a set header");
        assertError("0009 0001 000F4240 6B02C0C2 00000001 00000001 0000 0008 0100 0000",
                "NetFlow v9 flowset 0 template 256 at offset 26: template has no fields");
        assertError("000A 0018 6B02C0C2 00000001 00000001 0002 0008 0100 0201",
                "IPFIX set 2 template 256 at offset 22: field count 513 exceeds 512");
        assertError("000A 001C 6B02C0C2 00000001 00000001 0002 000C 0100 0002 0008 0004",
                "IPFIX set 2 template 256 at offset 22: field count 2 needs more than the 4 bytes left in the set");
        assertError("000A 001C 6B02C0C2 00000001 00000001 0002 000C 00FF 0001 0008 0004",
                "IPFIX set 2 template 255 at offset 20: template id 255 is reserved (data templates start at 256)");
        assertError("000A 001C 6B02C0C2 00000001 00000001 0002 000C 0100 0001 8008 0004",
                "IPFIX set 2 template 256 at offset 28: enterprise number of field 0 runs past the end of the set");
        // Template of one 8-byte field, then a data set holding 6 bytes: no record fits.
        assertError("000A 0026 6B02C0C2 00000001 00000001 0002 000C 0100 0001 0001 0008 0100 000A 000000000000",
                "IPFIX set 256 template 256 at offset 32: record needs at least 8 bytes, set has 6");
        // Variable-length field whose length runs past the set.
        assertError("000A 0020 6B02C0C2 00000001 00000001 0002 000C 0100 0001 0052 FFFF 0100 0004",
                null);
        assertError("000A 0023 6B02C0C2 00000001 00000001 0002 000C 0100 0001 0052 FFFF 0100 0007 09 6566",
                "IPFIX set 256 template 256 at offset 33: field 0 of 9 bytes runs past the end of the set");
        assertError("000A 0024 6B02C0C2 00000001 00000001 0002 000C 0100 0001 0052 FFFF 0100 0008 FF 00 65 66",
                "IPFIX set 256 template 256 at offset 35: field 0 of 101 bytes runs past the end of the set");
        assertError("000A 0022 6B02C0C2 00000001 00000001 0002 000C 0100 0001 0052 FFFF 0100 0006 FF 00",
                "IPFIX set 256 template 256 at offset 33: variable-length field 0 runs past the end of the set");
    }

    @Test
    void emptyVariableLengthSetIsAllowed() throws Exception {
        // A data set with only its header carries no record (and no padding): nothing to decode, no error.
        DecodedMessage m = decode("000A 0020 6B02C0C2 00000001 00000001 0002 000C 0100 0001 0052 FFFF 0100 0004");
        assertThat(m.records()).isEmpty();
    }

    @Test
    void failedDatagramLeavesTheTemplateCacheUnchanged() {
        // A valid template set followed by a broken set: the template must not be learned.
        String broken = GoldenVectors.IPFIX_TEMPLATE_256 + " 0100 0002";
        assertThatThrownBy(() -> decode("000A 004C 6B02C0C2 00000001 0000002A", broken))
                .isInstanceOf(DecodeException.class);
        assertThat(decoder.templateCount(EXPORTER, 10, 42)).isZero();
    }

    @Test
    void templateCacheIsBounded() throws Exception {
        FlowDecoder small = new FlowDecoder(2, 2);
        for (int id = 256; id < 258; id++) {
            small.decode(EXPORTER, Hex.buffer(String.format("000A 001C 6B02C0C2 00000001 00000001 0002 000C %04X 0001 0004 0001", id)));
        }
        assertThat(small.templateCount(EXPORTER, 10, 1)).isEqualTo(2);
        assertThatThrownBy(() -> small.decode(EXPORTER,
                Hex.buffer("000A 001C 6B02C0C2 00000001 00000001 0002 000C 0102 0001 0004 0001")))
                .hasMessageContaining("more than 2 templates for domain 1");
        // Redefining a known id does not grow the cache.
        small.decode(EXPORTER, Hex.buffer("000A 001C 6B02C0C2 00000001 00000001 0002 000C 0100 0001 0005 0001"));
        // Domains: the least recently used is forgotten.
        small.decode(EXPORTER, Hex.buffer("000A 001C 6B02C0C2 00000001 00000002 0002 000C 0100 0001 0004 0001"));
        small.decode(EXPORTER, Hex.buffer("000A 001C 6B02C0C2 00000001 00000003 0002 000C 0100 0001 0004 0001"));
        assertThat(small.templateCount(EXPORTER, 10, 1)).isZero();
        assertThat(small.templateCount(EXPORTER, 10, 3)).isEqualTo(1);
    }

    private void assertError(String hex, String message) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> decode(hex));
        if (message == null) {
            assertThat(t).isNull();
            return;
        }
        assertThat(t).isInstanceOf(DecodeException.class).hasMessage(message);
    }
}
