package net.pflowd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class ConfigExceptionTest {
    @Test
    void aParseErrorCarriesItsReasonAndValueAndIsWordedOnlyWhenAsked() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> IfconfigCommand.parse("pflow0", "mtu", "12x"));
        assertThat(e.reason()).isEqualTo(ConfigException.Reason.NUMBER_INVALID);
        assertThat(e.subject()).isEqualTo("mtu");
        assertThat(e.value()).isEqualTo("12x");
        assertThat(e.errno()).isZero();
        assertThat(e.location()).isNull();
        assertThat(e.detail()).isEqualTo("mtu 12x: invalid");
        assertThat(e.ifconfigLine()).isEqualTo("ifconfig: mtu 12x: invalid");
    }

    @Test
    void theValueIsKeptAsGivenAndEscapedOnlyInTheLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> FlowEndpoint.parse("10.0.0.1:\n1"));
        assertThat(e.reason()).isEqualTo(ConfigException.Reason.BAD_PORT);
        assertThat(e.value()).isEqualTo("10.0.0.1:\n1");
        assertThat(e.ifconfigLine()).isEqualTo("ifconfig: 10.0.0.1:\\n1: invalid port");
    }

    @Test
    void aFileLineKeepsTheReasonAndPutsItsPlaceInFront() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigFile.parse("/etc/pflowd.conf", "pflow0\npflow1 pflowproto 7\n".getBytes()));
        assertThat(e.reason()).isEqualTo(ConfigException.Reason.BAD_PROTOCOL);
        assertThat(e.location()).isEqualTo("/etc/pflowd.conf:2");
        assertThat(e.line()).isEqualTo("/etc/pflowd.conf:2: ifconfig: Invalid pflow protocol: 7");
    }

    @Test
    void aSystemRefusalKeepsItsErrno() {
        ConfigException e = ConfigException.system("pflow0", "pflow0: flowsrc 10.9.9.9: Cannot assign requested address",
                99, null);
        assertThat(e.errno()).isEqualTo(99);
        assertThat(e.subject()).isEqualTo("pflow0");
        assertThat(e.detail()).isEqualTo("pflow0: flowsrc 10.9.9.9: Cannot assign requested address");
        assertThat(e.ifconfigLine()).isEqualTo("ifconfig: pflow0: flowsrc 10.9.9.9: Cannot assign requested address");
    }
}
