package net.pflowd.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest {

    private static ConfigFile parse(String text) throws ConfigException {
        return ConfigFile.parse("/etc/pflowd.conf", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void linesCommentsAndImpliedCreateUp() throws Exception {
        ConfigFile f = parse("""
                # pflow exporters
                
                pflow1 flowdst [2001:db8::2]:4739 pflowproto 10 domain 7   # IPFIX
                \tpflow0 flowsrc 10.0.0.1 flowdst 10.0.0.2:2055 pflowproto 10
                pflow2 create down
                pflow3
                """);
        assertThat(f.interfaces()).extracting(InterfaceConfig::name)
                .containsExactly("pflow0", "pflow1", "pflow2", "pflow3");
        assertThat(f.interfaces().get(0)).isEqualTo(new InterfaceConfig("pflow0", true,
                FlowEndpoint.parse("10.0.0.1"), FlowEndpoint.parse("10.0.0.2:2055"), 10, 1500, 42));
        assertThat(f.interfaces().get(1).flowdst()).hasToString("[2001:db8::2]:4739");
        assertThat(f.interfaces().get(1).domain()).isEqualTo(7);
        assertThat(f.interfaces().get(2).up()).isFalse();
        assertThat(f.interfaces().get(3)).isEqualTo(InterfaceConfig.created("pflow3"));
    }

    @Test
    void duplicateLinesMergeInOrder() throws Exception {
        ConfigFile f = parse("""
                pflow0 flowdst 10.0.0.2:2055 mtu 1400
                pflow0 pflowproto 9
                pflow0 create flowdst 10.0.0.3:2055
                """);
        assertThat(f.interfaces()).containsExactly(new InterfaceConfig("pflow0", true, null,
                FlowEndpoint.parse("10.0.0.3:2055"), 9, 1400, 42));
    }

    @Test
    void badLineNamesFileAndLine() {
        assertThatThrownBy(() -> parse("""
                # ok
                pflow0 flowdst 10.0.0.2:2055
                pflow1 pflowproto 7
                pflow2 up
                """)).hasMessage("/etc/pflowd.conf:3: ifconfig: Invalid pflow protocol: 7");
        assertThatThrownBy(() -> parse("pflow0 flowdst 10.0.0.2\n"))
                .hasMessage("/etc/pflowd.conf:1: ifconfig: 10.0.0.2 bad value");
        assertThatThrownBy(() -> parse("\n\npflow0 destroy\n"))
                .hasMessage("/etc/pflowd.conf:3: ifconfig: destroy is not allowed in a configuration file");
        assertThatThrownBy(() -> parse("em0 up\n")).hasMessage("/etc/pflowd.conf:1: ifconfig: em0: not a pflow interface");
        assertThatThrownBy(() -> parse("pflow0 flowsrc 10.0.0.1\npflow0 flowdst [::1]:5\n"))
                .hasMessage("/etc/pflowd.conf:2: ifconfig: pflow0: flowsrc 10.0.0.1 and flowdst [::1]:5"
                        + " are of different address families");
    }

    @Test
    void loadFromDiskAndDigest(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("pflowd.conf");
        assertThat(ConfigFile.load(p)).isEmpty();
        Files.writeString(p, "pflow0 flowdst 10.0.0.2:2055\r\npflow0 pflowproto 10\r\n");
        ConfigFile f = ConfigFile.load(p).orElseThrow();
        assertThat(f.interfaces()).hasSize(1);
        assertThat(f.interfaces().get(0).pflowproto()).isEqualTo(10);
        // SHA-256 of the exact bytes, known value for the empty input.
        assertThat(ConfigFile.parse("x", new byte[0]).digest())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(f.digest()).isNotEqualTo(parse("pflow0 flowdst 10.0.0.2:2055\n").digest());
        Files.writeString(p, "pflow0 mtu 10\n");
        assertThatThrownBy(() -> ConfigFile.load(p)).hasMessage(p + ":1: ifconfig: mtu 10: too small");
    }

    @Test
    void toIfconfigLineRoundTrips() throws Exception {
        InterfaceConfig c = new InterfaceConfig("pflow4", false, FlowEndpoint.parse("[::1]:7"),
                FlowEndpoint.parse("[::2]:8"), 9, 1400, 9);
        assertThat(parse(c.toIfconfigLine()).interfaces()).containsExactly(c);
    }

    @Test
    void createAloneIsAnInterfaceLikeTheNameAlone() throws Exception {
        ConfigFile f = ConfigFile.parse("c", "pflow0 create\npflow1\npflow2 create down\n".getBytes(StandardCharsets.UTF_8));
        assertThat(f.interfaces()).containsExactly(InterfaceConfig.created("pflow0"), InterfaceConfig.created("pflow1"),
                InterfaceConfig.created("pflow2").withUp(false));
    }

    @Test
    void setLinesKeepTheirLineNumbers() throws Exception {
        ConfigFile f = ConfigFile.parse("c", "# x\nset hold-timeout 10\n\npflow0\nset no-sysctl\n"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(f.settings()).containsExactly(new ConfigFile.Setting(2, List.of("--hold-timeout", "10")),
                new ConfigFile.Setting(5, List.of("--no-sysctl")));
        assertThat(f.options()).containsExactly("--hold-timeout", "10", "--no-sysctl");
    }
}
