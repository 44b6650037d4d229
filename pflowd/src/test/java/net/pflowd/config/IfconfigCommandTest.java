package net.pflowd.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IfconfigCommandTest {

    private static InterfaceConfig applyNew(String... argv) throws ConfigException {
        return IfconfigCommand.parse(argv).applyTo(Optional.empty()).orElseThrow();
    }

    private static void assertError(String expected, String... argv) {
        assertThatThrownBy(() -> IfconfigCommand.parse(argv).applyTo(Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessage(expected);
    }

    @Test
    void createWithEveryKeyword() throws Exception {
        InterfaceConfig c = applyNew("pflow0", "create", "flowsrc", "10.0.0.1", "flowdst", "10.0.0.2:2055",
                "pflowproto", "10", "mtu", "9000", "domain", "4294967295", "up");
        assertThat(c.name()).isEqualTo("pflow0");
        assertThat(c.up()).isTrue();
        assertThat(c.flowsrc()).hasToString("10.0.0.1");
        assertThat(c.flowsrc().hasPort()).isFalse();
        assertThat(c.flowdst()).hasToString("10.0.0.2:2055");
        assertThat(c.flowdst().port()).isEqualTo(2055);
        assertThat(c.pflowproto()).isEqualTo(10);
        assertThat(c.mtu()).isEqualTo(9000);
        assertThat(c.domain()).isEqualTo(4294967295L);
        assertThat(c.v5EngineId()).isEqualTo(255);
    }

    @Test
    void defaultsAsOpenBsdCreatesThem() throws Exception {
        InterfaceConfig c = applyNew("pflow3", "create");
        assertThat(c).isEqualTo(new InterfaceConfig("pflow3", true, null, null, 5, 1500, 42));
    }

    @Test
    void keywordsActInOrderOnExistingInterface() throws Exception {
        InterfaceConfig c = applyNew("pflow1", "flowdst", "10.0.0.2:2055", "flowsrc", "10.0.0.1:4000");
        InterfaceConfig d = IfconfigCommand.parse("pflow1", "down", "-flowsrc", "pflowproto", "9", "domain", "7",
                "flowdst", "192.0.2.9:9995", "up", "down").applyTo(Optional.of(c)).orElseThrow();
        assertThat(d).isEqualTo(new InterfaceConfig("pflow1", false, null,
                FlowEndpoint.parse("192.0.2.9:9995"), 9, 1500, 7));
        InterfaceConfig e = IfconfigCommand.parse("pflow1", "-flowdst", "up").applyTo(Optional.of(d)).orElseThrow();
        assertThat(e.flowdst()).isNull();
        assertThat(e.up()).isTrue();
    }

    @Test
    void ipv6Forms() throws Exception {
        InterfaceConfig c = applyNew("pflow0", "flowsrc", "2001:db8::1", "flowdst", "[2001:DB8:0:0:0:0:0:2]:4739");
        assertThat(c.flowsrc()).hasToString("[2001:db8::1]");
        assertThat(c.flowdst()).hasToString("[2001:db8::2]:4739");
        assertThat(applyNew("pflow0", "flowsrc", "[::1]", "flowdst", "[::1]:1").flowsrc().isIPv6()).isTrue();
        assertThat(applyNew("pflow0", "flowsrc", "[fe80::1:0:0:1]:9", "flowdst", "[::2]:1").flowsrc())
                .hasToString("[fe80::1:0:0:1]:9");
    }

    @Test
    void switchingFamiliesInOneCommand() throws Exception {
        InterfaceConfig v4 = applyNew("pflow0", "flowsrc", "10.0.0.1", "flowdst", "10.0.0.2:2055");
        assertThatThrownBy(() -> IfconfigCommand.parse("pflow0", "flowdst", "[::1]:2055").applyTo(Optional.of(v4)))
                .hasMessage("ifconfig: pflow0: flowsrc 10.0.0.1 and flowdst [::1]:2055 are of different address families");
        InterfaceConfig v6 = IfconfigCommand.parse("pflow0", "-flowsrc", "flowdst", "[::1]:2055", "flowsrc", "::1")
                .applyTo(Optional.of(v4)).orElseThrow();
        assertThat(v6.flowdst().isIPv6()).isTrue();
    }

    @Test
    void queryAndDestroy() throws Exception {
        assertThat(IfconfigCommand.parse("pflow0").isQuery()).isTrue();
        IfconfigCommand destroy = IfconfigCommand.parse("pflow0", "destroy");
        assertThat(destroy.isDestroy()).isTrue();
        assertThat(destroy.applyTo(Optional.of(InterfaceConfig.created("pflow0")))).isEmpty();
        assertError("ifconfig: pflow0: no such interface", "pflow0", "destroy");
        assertError("ifconfig: destroy cannot be combined with other keywords", "pflow0", "destroy", "up");
        assertError("ifconfig: pflow0: nothing to change", "pflow0");
    }

    @Test
    void createOnExistingFailsLikeSiocifcreate() {
        assertThatThrownBy(() -> IfconfigCommand.parse("pflow0", "create")
                .applyTo(Optional.of(InterfaceConfig.created("pflow0"))))
                .hasMessage("ifconfig: pflow0: SIOCIFCREATE: File exists");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ifconfig: Invalid pflow protocol: 7|pflow0 pflowproto 7",
            "ifconfig: Invalid pflow protocol: 05|pflow0 pflowproto 05",
            "ifconfig: 10.0.0.2 bad value|pflow0 flowdst 10.0.0.2",
            "ifconfig: [2001:db8::2] bad value|pflow0 flowdst [2001:db8::2]",
            "ifconfig: 2001:db8::2 bad value|pflow0 flowdst 2001:db8::2",
            "ifconfig: 10.0.0.2:0: invalid port|pflow0 flowdst 10.0.0.2:0",
            "ifconfig: 10.0.0.2:65536: invalid port|pflow0 flowdst 10.0.0.2:65536",
            "ifconfig: 10.0.0.2:: invalid port|pflow0 flowdst 10.0.0.2:",
            "ifconfig: 10.0.0.2:http: invalid port|pflow0 flowdst 10.0.0.2:http",
            "ifconfig: 10.0.0.1:0: invalid port|pflow0 flowsrc 10.0.0.1:0",
            "ifconfig: error in parsing address string: 10.0.0.300|pflow0 flowsrc 10.0.0.300",
            "ifconfig: error in parsing address string: collector.example:2055|pflow0 flowdst collector.example:2055",
            "ifconfig: error in parsing address string: 10.0.0|pflow0 flowsrc 10.0.0",
            "ifconfig: error in parsing address string: [10.0.0.1]:5|pflow0 flowdst [10.0.0.1]:5",
            "ifconfig: error in parsing address string: [::1|pflow0 flowdst [::1",
            "ifconfig: error in parsing address string: [fe80::1%eth0]:5|pflow0 flowdst [fe80::1%eth0]:5",
            "ifconfig: error in parsing address string: 1:2:3:4:5:6:7:8:9|pflow0 flowsrc 1:2:3:4:5:6:7:8:9",
            "ifconfig: 0.0.0.0:2055: unspecified address|pflow0 flowdst 0.0.0.0:2055",
            "ifconfig: [::]:2055: unspecified address|pflow0 flowdst [::]:2055",
            "ifconfig: mtu 71: too small|pflow0 mtu 71",
            "ifconfig: mtu 9217: too large|pflow0 mtu 9217",
            "ifconfig: mtu -1: too small|pflow0 mtu -1",
            "ifconfig: mtu 1500x: invalid|pflow0 mtu 1500x",
            "ifconfig: domain 4294967296: too large|pflow0 domain 4294967296",
            "ifconfig: domain x: invalid|pflow0 domain x",
            "ifconfig: 'flowdst' requires argument|pflow0 flowdst",
            "ifconfig: 'pflowproto' requires argument|pflow0 up pflowproto",
            "ifconfig: flowsource: unknown keyword for pflow interfaces|pflow0 flowsource 10.0.0.1",
            "ifconfig: inet: unknown keyword for pflow interfaces|pflow0 inet 10.0.0.1",
            "ifconfig: eth0: not a pflow interface|eth0 up",
            "ifconfig: pflow: not a pflow interface|pflow up",
            "ifconfig: pflow01: not a pflow interface|pflow01 up",
            "ifconfig: pflow-1: not a pflow interface|pflow-1",
            "ifconfig: pflow1234567890: not a pflow interface|pflow1234567890",
    })
    void errorsWithTheirExactMessages(String expected, String line) {
        assertError(expected, line.split(" "));
    }

    @Test
    void emptyAndHostileArguments() {
        assertThatThrownBy(() -> IfconfigCommand.parse(List.of())).hasMessage("ifconfig: missing interface name");
        String longWord = "x".repeat(1000);
        assertThatThrownBy(() -> IfconfigCommand.parse("pflow0", longWord))
                .hasMessage("ifconfig: " + "x".repeat(64) + "...: unknown keyword for pflow interfaces");
        assertThatThrownBy(() -> IfconfigCommand.parse("pflow0", "up\ndown"))
                .hasMessage("ifconfig: up\\ndown: unknown keyword for pflow interfaces");
        // Addresses are echoed escaped and shortened too: one line, whatever the caller put in.
        assertThatThrownBy(() -> IfconfigCommand.parse("pflow0", "flowdst", "10.0.0.1\nifconfig: fake:2055"))
                .hasMessage("ifconfig: error in parsing address string: 10.0.0.1\\nifconfig: fake:2055");
        assertThatThrownBy(() -> IfconfigCommand.parse("pflow0", "flowsrc", "\u001b[2J10.0.0.1"))
                .hasMessage("ifconfig: error in parsing address string: \\e[2J10.0.0.1");
        assertThatThrownBy(() -> IfconfigCommand.parse("pflow0", "flowdst", "1".repeat(5000) + ":1"))
                .hasMessage("ifconfig: error in parsing address string: " + "1".repeat(64) + "...");
    }

    @Test
    void argvRoundTrip() throws Exception {
        IfconfigCommand c = IfconfigCommand.parse("pflow2", "create", "flowsrc", "[2001:db8:0::1]:5", "-flowsrc",
                "flowdst", "10.1.2.3:4", "-flowdst", "pflowproto", "9", "mtu", "1400", "domain", "0", "up", "down");
        assertThat(c.toArgv()).containsExactly("pflow2", "create", "flowsrc", "[2001:db8::1]:5", "-flowsrc",
                "flowdst", "10.1.2.3:4", "-flowdst", "pflowproto", "9", "mtu", "1400", "domain", "0", "up", "down");
        assertThat(IfconfigCommand.parse(c.toArgv()).toArgv()).isEqualTo(c.toArgv());
    }

    @Test
    void rfc5952Formatting() throws Exception {
        assertThat(FlowEndpoint.parse("[2001:db8:0:0:1:0:0:1]:1").host()).isEqualTo("2001:db8::1:0:0:1");
        assertThat(FlowEndpoint.parse("[2001:db8:0:1:1:1:1:1]").host()).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(FlowEndpoint.parse("[0:0:0:0:0:0:0:1]").host()).isEqualTo("::1");
        assertThat(FlowEndpoint.parse("[1:0:0:0:0:0:0:0]").host()).isEqualTo("1::");
        assertThat(FlowEndpoint.parse("[2001:DB8::AbCd]").host()).isEqualTo("2001:db8::abcd");
    }
}
