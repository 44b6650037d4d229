package net.pflowd.source.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import net.pflowd.testutil.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What pflowd changes in the kernel it marks and undoes: its nftables table, the conntrack sysctls. */
class KernelSetupTest {
    private NetNs ns;

    @BeforeEach
    void namespace() {
        ns = NetNs.create("kernel-setup");
    }

    @AfterEach
    void cleanup() {
        ns.close();
    }

    private static String table(String name, String comment) {
        return "table inet " + name + " {\n"
                + (comment == null ? "" : "  comment \"" + comment + "\"\n")
                + "  chain prerouting { type filter hook prerouting priority -150; policy accept; ct state new counter; }\n"
                + "}\n";
    }

    private boolean usesConntrack() throws Exception {
        Boolean uses = ns.call(KernelSetup::rulesetUsesConntrack);
        return uses;
    }

    private void nft(String script) throws Exception {
        Path f = Files.createTempFile("pflowd-nft", ".nft");
        try {
            Files.writeString(f, script);
            ns.execOk("nft", "-f", f.toString());
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void aDeadDaemonsTableIsRemovedAndNeverTakenForAUsersRule() throws Exception {
        // Left by a pflowd killed with SIGKILL: its pid is gone.
        nft(table("pflowd", KernelSetup.TABLE_MARK + "999999999 started 1; removed when it exits"));
        assertThat(usesConntrack()).isFalse();
        assertThat(ns.execOk("nft", "list", "tables")).doesNotContain("pflowd");
    }

    @Test
    void aRunningDaemonsTableIsLeftAloneButIsNoUsersRuleEither() throws Exception {
        long initStart = ProcessHandle.of(1).orElseThrow().info().startInstant().orElseThrow().toEpochMilli();
        nft(table("other", KernelSetup.TABLE_MARK + "1 started " + initStart + "; removed when it exits"));
        assertThat(usesConntrack()).isFalse();
        assertThat(ns.execOk("nft", "list", "tables")).contains("table inet other");
        // The same pid with another start time is a reused pid: the maker is gone.
        ns.execOk("nft", "delete", "table", "inet", "other");
        nft(table("other", KernelSetup.TABLE_MARK + "1 started " + (initStart + 1) + "; removed when it exits"));
        assertThat(usesConntrack()).isFalse();
        assertThat(ns.execOk("nft", "list", "tables")).doesNotContain("other");
    }

    @Test
    void aUsersTableCountsAndIsKept() throws Exception {
        nft(table("fw", null));
        assertThat(usesConntrack()).isTrue();
        assertThat(ns.execOk("nft", "list", "tables")).contains("table inet fw");
    }

    @Test
    void pflowdsTableCarriesItsMark() throws Exception {
        ns.call(() -> {
            KernelSetup.installTable("pflowd");
            return null;
        });
        assertThat(ns.execOk("nft", "list", "table", "inet", "pflowd"))
                .contains("comment \"" + KernelSetup.tableComment() + "\"");
        // Its own table, found again by the same daemon, is neither a leftover nor a user's rule.
        assertThat(usesConntrack()).isFalse();
        assertThat(ns.execOk("nft", "list", "tables")).contains("table inet pflowd");
        ns.call(() -> {
            KernelSetup.removeTable("pflowd");
            return null;
        });
    }

    @Test
    void changedSysctlsAreRestoredInTheirNamespace() throws Exception {
        String rootAcct = Files.readString(Path.of("/proc/sys/net/netfilter/nf_conntrack_acct")).strip();
        ns.execOk("sysctl", "-qw", "net.netfilter.nf_conntrack_acct=0", "net.netfilter.nf_conntrack_timestamp=0");
        ns.call(() -> {
            KernelSetup.sysctls();
            return null;
        });
        assertThat(ns.execOk("sysctl", "-n", "net.netfilter.nf_conntrack_acct").strip()).isEqualTo("1");
        assertThat(ns.execOk("sysctl", "-n", "net.netfilter.nf_conntrack_timestamp").strip()).isEqualTo("1");
        KernelSetup.restoreSysctls(); // from this thread, in the root namespace
        assertThat(ns.execOk("sysctl", "-n", "net.netfilter.nf_conntrack_acct").strip()).isEqualTo("0");
        assertThat(ns.execOk("sysctl", "-n", "net.netfilter.nf_conntrack_timestamp").strip()).isEqualTo("0");
        assertThat(Files.readString(Path.of("/proc/sys/net/netfilter/nf_conntrack_acct")).strip()).isEqualTo(rootAcct);
    }
}
