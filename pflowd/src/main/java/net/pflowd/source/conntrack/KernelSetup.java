package net.pflowd.source.conntrack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the kernel able to serve the conntrack source, in the network namespace of the calling thread:
 * turns on accounting, timestamps and events, and makes conntrack track when no rule uses it.
 */
final class KernelSetup {
    private static final Logger LOG = LoggerFactory.getLogger(KernelSetup.class);
    private static final List<String> SYSCTLS =
            List.of("nf_conntrack_acct", "nf_conntrack_timestamp", "nf_conntrack_events");

    /** Why the source cannot start when it would need nft to see (or make) conntrack track, and nft is missing. */
    static final String NFT_MISSING =
            "conntrack: nft not found: install nftables, or add a rule that uses ct and start with --no-nft-table";

    private KernelSetup() {
    }

    /** Sets each sysctl to 1 where it is not, logging each change. */
    static void sysctls() throws IOException {
        boolean changed = false;
        for (String name : SYSCTLS) {
            Path p = Path.of("/proc/sys/net/netfilter", name);
            String old = ProtocolTimeouts.readProc(p);
            if (!old.equals("1")) {
                try {
                    Files.writeString(p, "1\n");
                } catch (FileSystemException e) {
                    // Docker mounts /proc/sys read-only even with CAP_NET_ADMIN; these sysctls are per network
                    // namespace and `docker run --sysctl` sets them. Without events nothing would ever be exported.
                    String fix = "start the container with --sysctl net.netfilter." + name + "=1";
                    if (e.getReason() == null || !e.getReason().contains("Read-only file system")) {
                        throw e;
                    }
                    if (name.equals("nf_conntrack_events")) {
                        if (old.equals("0")) {
                            throw new IOException("net.netfilter.nf_conntrack_events is 0 and /proc/sys is"
                                    + " read-only: " + fix);
                        }
                        continue; // 2: events for subscribed listeners, which the source is
                    }
                    LOG.warn("net.netfilter.{} is {} and /proc/sys is read-only: records will lack {}; {}", name,
                            old, name.endsWith("acct") ? "packet and byte counts" : "start times", fix);
                    continue;
                }
                LOG.info("net.netfilter.{}: {} -> 1", name, old);
                changed = true;
            }
        }
        if (changed) {
            LOG.info("conntrack accounting/timestamps apply only to connections created from now on;"
                    + " connections already tracked are exported without counters or start time");
        }
    }

    /**
     * True when rules already make conntrack track both IPv4 and IPv6: an nftables table whose rules use
     * conntrack (a {@code ct } expression or NAT) covers its family ({@code inet} both), iptables rules
     * using conntrack or NAT cover theirs. Conntrack registers its hooks per family, on first use.
     */
    static boolean rulesetUsesConntrack() throws IOException {
        boolean v4 = false, v6 = false;
        String family = null;
        boolean uses = false;
        for (String line : (run(null, "nft", "list", "ruleset") + "\ntable end -\n").split("\n")) {
            String l = line.trim();
            if (l.startsWith("table ")) {
                if (family != null && uses) {
                    v4 |= family.equals("ip") || family.equals("inet");
                    v6 |= family.equals("ip6") || family.equals("inet");
                }
                family = l.split("\\s+")[1];
                uses = false;
            } else if (l.contains("ct ") || l.contains("masquerade") || l.contains("snat ") || l.contains("dnat ")) {
                uses = true;
            }
        }
        v4 |= iptablesUsesConntrack("iptables-save");
        v6 |= iptablesUsesConntrack("ip6tables-save");
        return v4 && v6;
    }

    private static boolean iptablesUsesConntrack(String save) {
        try {
            String rules = run(null, save);
            return rules.contains("-m conntrack") || rules.contains("-m state") || rules.contains("-j MASQUERADE")
                    || rules.contains("-j SNAT") || rules.contains("-j DNAT");
        } catch (IOException e) {
            return false; // no iptables: nft is the whole truth
        }
    }

    /**
     * Installs {@code table inet NAME} whose rules reference conntrack on prerouting and output, so that
     * every packet entering or leaving the host is tracked. It accepts everything.
     */
    static void installTable(String name) throws IOException {
        String script = "table inet " + name + " {\n"
                + "  chain prerouting { type filter hook prerouting priority -150; policy accept; ct state new counter; }\n"
                + "  chain output { type filter hook output priority -150; policy accept; ct state new counter; }\n"
                + "}\n";
        run(script, "nft", "-f", "-");
        LOG.info("no nftables/iptables rule makes conntrack track both IPv4 and IPv6: installed table inet {} to make it track", name);
    }

    static void removeTable(String name) {
        try {
            run(null, "nft", "delete", "table", "inet", name);
            LOG.info("removed table inet {}", name);
        } catch (IOException e) {
            LOG.warn("could not remove table inet {}: {}", name, e.getMessage());
        }
    }

    /** Runs a setup command in the calling thread's namespaces (the child is cloned from this thread). */
    static String run(String stdin, String... cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            // The JDK reports a missing program as "Cannot run program "nft": error=2, No such file or directory".
            if (cmd[0].equals("nft") && String.valueOf(e.getMessage()).contains("error=2,")) {
                throw new IOException(NFT_MISSING, e);
            }
            throw e;
        }
        try (OutputStream o = p.getOutputStream()) {
            if (stdin != null) {
                o.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", cmd) + ": interrupted");
        }
        String text = out.toString(StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": " + text.trim());
        }
        return text;
    }
}
