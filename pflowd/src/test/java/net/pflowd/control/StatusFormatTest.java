package net.pflowd.control;

import net.pflowd.config.InterfaceConfig;
import net.pflowd.config.FlowEndpoint;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusFormatTest {

    private static InterfaceStatus status(InterfaceConfig c, int index, boolean running, int mtu) {
        return new InterfaceStatus(c, index, InterfaceStatus.flagsFor(c, running), mtu, Map.of());
    }

    @Test
    void runningV5AsOpenBsdPrintsIt() throws Exception {
        InterfaceConfig c = new InterfaceConfig("pflow0", true, FlowEndpoint.parse("127.0.0.1"),
                FlowEndpoint.parse("127.0.0.1:9996"), 5, 1500, 42);
        assertThat(StatusFormat.format(status(c, 7, true, 1492), false)).isEqualTo(
                "pflow0: flags=41<UP,RUNNING> mtu 1492\n"
                        + "\tindex 7 priority 0 llprio 3\n"
                        + "\tpflow: sender: 127.0.0.1 receiver: 127.0.0.1:9996 version: 5\n"
                        + "\tgroups: pflow\n");
    }

    @Test
    void upWithoutReceiverIsNotRunning() {
        InterfaceConfig c = InterfaceConfig.created("pflow1");
        assertThat(StatusFormat.format(status(c, 8, true, 1492), false)).isEqualTo(
                "pflow1: flags=1<UP> mtu 1492\n"
                        + "\tindex 8 priority 0 llprio 3\n"
                        + "\tpflow: receiver: INVALID:INVALID version: 5\n"
                        + "\tgroups: pflow\n");
    }

    @Test
    void downShowsEmptyFlagBrackets() throws Exception {
        InterfaceConfig c = new InterfaceConfig("pflow2", false, null, FlowEndpoint.parse("10.0.0.2:2055"),
                10, 1500, 42);
        assertThat(StatusFormat.format(status(c, 9, true, 1464), false)).isEqualTo(
                "pflow2: flags=0<> mtu 1464\n"
                        + "\tindex 9 priority 0 llprio 3\n"
                        + "\tpflow: receiver: 10.0.0.2:2055 version: 10\n"
                        + "\tgroups: pflow\n");
    }

    @Test
    void daemonMayWithholdRunning() throws Exception {
        InterfaceConfig c = InterfaceConfig.created("pflow0").withFlowdst(FlowEndpoint.parse("10.0.0.2:2055"));
        assertThat(InterfaceStatus.flagsFor(c, true)).isEqualTo(0x41);
        assertThat(InterfaceStatus.flagsFor(c, false)).isEqualTo(0x1);
        assertThat(StatusFormat.format(status(c, 3, false, 1492), false)).startsWith("pflow0: flags=1<UP> mtu 1492\n");
    }

    @Test
    void ipv6InBracketsWithSenderPort() throws Exception {
        InterfaceConfig c = new InterfaceConfig("pflow3", true, FlowEndpoint.parse("[2001:db8::1]:4000"),
                FlowEndpoint.parse("[2001:db8::2]:4739"), 10, 1500, 42);
        assertThat(StatusFormat.format(status(c, 11, true, 1464), false)).isEqualTo(
                "pflow3: flags=41<UP,RUNNING> mtu 1464\n"
                        + "\tindex 11 priority 0 llprio 3\n"
                        + "\tpflow: sender: [2001:db8::1]:4000 receiver: [2001:db8::2]:4739 version: 10\n"
                        + "\tgroups: pflow\n");
        InterfaceConfig noPort = c.withFlowsrc(FlowEndpoint.parse("2001:db8::1"));
        assertThat(StatusFormat.format(status(noPort, 11, true, 1464), false))
                .contains("\tpflow: sender: [2001:db8::1] receiver: [2001:db8::2]:4739 version: 10\n");
    }

    @Test
    void verboseAddsDomainAndCountersKnownFirst() throws Exception {
        InterfaceConfig c = new InterfaceConfig("pflow0", true, null, FlowEndpoint.parse("10.0.0.2:2055"),
                9, 1500, 7);
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("templates", 4L);
        stats.put(InterfaceStatus.BYTES, 1234L);
        stats.put(InterfaceStatus.FLOWS, 10L);
        stats.put(InterfaceStatus.PACKETS, 2L);
        InterfaceStatus s = new InterfaceStatus(c, 0, InterfaceStatus.flagsFor(c, true), 1492, stats);
        assertThat(StatusFormat.format(s, true)).isEqualTo(
                "pflow0: flags=41<UP,RUNNING> mtu 1492\n"
                        + "\tpriority 0 llprio 3\n"
                        + "\tpflow: receiver: 10.0.0.2:2055 version: 9\n"
                        + "\tpflow domain: 7\n"
                        + "\tpflow stats: flows 10 packets 2 bytes 1234 errors 0 dropped 0 templates 4\n"
                        + "\tgroups: pflow\n");
    }

    @Test
    void groupedCountersGetALineOfTheirGroup() throws Exception {
        InterfaceConfig c = new InterfaceConfig("pflow1", true, null, FlowEndpoint.parse("10.0.0.2:2055"),
                10, 1500, 42);
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put(InterfaceStatus.FLOWS, 3L);
        stats.put("export.templates", 1L);
        stats.put("conntrack.events", 2L);
        stats.put("export.socket-errors", 0L);
        stats.put("conntrack.overruns", 0L);
        InterfaceStatus s = new InterfaceStatus(c, 5, InterfaceStatus.flagsFor(c, true), 1448, stats);
        assertThat(StatusFormat.format(s, true)).isEqualTo(
                "pflow1: flags=41<UP,RUNNING> mtu 1448\n"
                        + "\tindex 5 priority 0 llprio 3\n"
                        + "\tpflow: receiver: 10.0.0.2:2055 version: 10\n"
                        + "\tpflow domain: 42\n"
                        + "\tpflow stats: flows 3 packets 0 bytes 0 errors 0 dropped 0\n"
                        + "\tpflow export: templates 1 socket-errors 0\n"
                        + "\tpflow conntrack: events 2 overruns 0\n"
                        + "\tgroups: pflow\n");
    }
}
