package net.pflowd.daemon;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.pflowd.config.FlowEndpoint;
import net.pflowd.config.InterfaceConfig;
import net.pflowd.export.InvalidExportSettingsException;
import net.pflowd.wire.ExportFormat;
import org.junit.jupiter.api.Test;

class DaemonDefaultsTest {
    private final DaemonDefaults defaults = new DaemonDefaults(30_000, 30_000, 600_000, 500, 42, 0);

    @Test
    void anMtuTooSmallForAnIpv6CollectorNamesTheIpv6Minimum() throws Exception {
        InterfaceConfig v6 = InterfaceConfig.created("pflow0").withPflowproto(10)
                .withFlowdst(FlowEndpoint.parse("[2001:db8::2]:4739")).withMtu(100);
        int min6 = ExportFormat.of(10).minimumMtu(true);
        assertThatThrownBy(() -> defaults.settingsFor(v6)).isInstanceOf(InvalidExportSettingsException.class)
                .hasMessage("mtu 100 too small for version 10 to an IPv6 collector: at least " + min6
                        + " (one record of every family)");
        InterfaceConfig v4 = v6.withFlowdst(FlowEndpoint.parse("10.0.0.2:4739"));
        assertThatThrownBy(() -> defaults.settingsFor(v4)).hasMessageContaining("to an IPv4 collector: at least "
                + ExportFormat.of(10).minimumMtu(false));
    }
}
