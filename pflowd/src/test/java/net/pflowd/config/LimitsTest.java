package net.pflowd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.pflowd.export.ExportSettings;
import net.pflowd.wire.ExportFormat;
import org.junit.jupiter.api.Test;

class LimitsTest {
    @Test
    void theMtuMinimumIsTheFormatsAndRefusesWithItsReason() throws Exception {
        InterfaceConfig v6 = InterfaceConfig.created("pflow0").withPflowproto(10)
                .withFlowdst(FlowEndpoint.parse("[2001:db8::2]:4739")).withMtu(100);
        assertThat(Limits.minimumMtu(10, true)).isEqualTo(ExportFormat.of(10).minimumMtu(true)).isEqualTo(182);
        assertThatThrownBy(() -> Limits.requireMtuFits(v6)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.reason()).isEqualTo(ConfigException.Reason.MTU_TOO_SMALL_FOR_FORMAT);
            assertThat(e.subject()).isEqualTo("pflow0");
            assertThat(e.values()).containsExactly("100", "10", "IPv6", "182");
            assertThat(e.ifconfigLine()).isEqualTo("ifconfig: pflow0: mtu 100 too small for version 10 to an IPv6"
                    + " collector: at least 182 (one record of every family)");
        });
        // Without a collector the IPv4 minimum applies; at the minimum it fits.
        Limits.requireMtuFits(v6.withFlowdst(null).withMtu(162));
        assertThatThrownBy(() -> Limits.requireMtuFits(v6.withFlowdst(null).withMtu(161)))
                .hasMessageContaining("to an IPv4 collector: at least 162");
        assertThatThrownBy(() -> Limits.minimumMtu(7, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theExportDefaultsAreTheTables() {
        ExportSettings d = ExportSettings.defaults();
        assertThat(d.version()).isEqualTo(Limits.DEFAULT_VERSION);
        assertThat(d.mtu()).isEqualTo(Limits.DEFAULT_MTU);
        assertThat(d.holdTimeoutMillis()).isEqualTo(Limits.DEFAULT_HOLD_SECONDS * 1000);
        assertThat(d.templateRefreshMillis()).isEqualTo(Limits.DEFAULT_TEMPLATE_SECONDS * 1000);
        assertThat(d.withVersion(9).templateRefreshMillis()).isEqualTo(Limits.DEFAULT_V9_TEMPLATE_SECONDS * 1000);
        assertThat(d.v9TemplateRefreshPackets()).isEqualTo(Limits.DEFAULT_V9_TEMPLATE_PACKETS);
        assertThat(d.exporter().engineType()).isEqualTo(Limits.DEFAULT_ENGINE_TYPE);
        assertThat(d.exporter().observationDomain()).isEqualTo(Limits.DEFAULT_DOMAIN);
        InterfaceConfig created = InterfaceConfig.created("pflow0");
        assertThat(created.mtu()).isEqualTo(d.mtu());
        assertThat(created.pflowproto()).isEqualTo(d.version());
        assertThat(created.domain()).isEqualTo(d.exporter().observationDomain());
    }
}
