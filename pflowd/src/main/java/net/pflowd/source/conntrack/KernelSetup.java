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
import net.pflowd.os.ReadOnlyFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the kernel able to serve the conntrack source, in the network namespace of the calling thread:
 * turns on accounting, timestamps and events, and makes conntrack track when no rule uses it.
 *
 * <p>What it changes it can undo: each sysctl it changed is restored by {@link #restoreSysctls} (at a clean
 * exit), and its nftables table carries the comment {@value #TABLE_MARK} and the pid, so that the table a
 * killed pflowd left behind is recognised at the next start, removed, and never taken for a user's rule.
 */
public final class KernelSetup {
    private static final Logger LOG = LoggerFactory.getLogger(KernelSetup.class);
    private static final List<String> SYSCTLS =
            List.of("nf_conntrack_acct", "nf_conntrack_timestamp", "nf_conntrack_events");

    /** Why the source cannot start when it would need nft to see (or make) conntrack track, and nft is missing. */
    static final String NFT_MISSING =
            "conntrack: nft not found: install nftables, or add a rule that uses ct and start with --no-nft-table";

    /**
     * Start of the comment on pflowd's own nftables table; the pid of the daemon that made it and that
     * process's start time (epoch ms, so that a reused pid is not taken for the maker) follow.
     */
    static final String TABLE_MARK = "made by pflowd pid ";

    /**
     * The sysctls changed, with their old values, each with its file kept open: an open /proc/sys/net file
     * stays bound to the network namespace it was opened in, so the restore writes to the right namespace
     * from whatever thread calls it.
     */
    private static final List<ChangedSysctl> CHANGED = new java.util.ArrayList<>();

    private record ChangedSysctl(String name, String old, java.nio.channels.FileChannel file) {
    }

    private KernelSetup() {
    }

    /**
     * Writes back the old value of every sysctl {@link #sysctls} changed, logging each; a clean exit calls it
     * (after the source is closed). Nothing to do with {@code --no-sysctl}.
     */
    public static void restoreSysctls() {
        synchronized (CHANGED) {
            for (ChangedSysctl c : CHANGED) {
                try (java.nio.channels.FileChannel f = c.file()) {
                    f.write(java.nio.ByteBuffer.wrap((c.old() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                    LOG.info("net.netfilter.{}: restored to {}", c.name(), c.old());
                } catch (IOException e) {
                    LOG.warn("net.netfilter.{}: could not restore {}: {}", c.name(), c.old(), e.getMessage());
                }
            }
            CHANGED.clear();
        }
    }

    /** Sets each sysctl to 1 where it is not, logging each change. */
    static void sysctls() throws IOException {
        boolean changed = false;
        for (String name : SYSCTLS) {
            Path p = Path.of("/proc/sys/net/netfilter", name);
            String old = ProtocolTimeouts.readProc(p);
            if (!old.equals("1")) {
                java.nio.channels.FileChannel file = null;
                try {
                    file = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE);
                    file.write(java.nio.ByteBuffer.wrap("1\n".getBytes(StandardCharsets.US_ASCII)), 0);
                } catch (FileSystemException e) {
                    if (file != null) {
                        file.close();
                    }
                    // Docker mounts /proc/sys read-only even with CAP_NET_ADMIN; these sysctls are per network
                    // namespace and `docker run --sysctl` sets them. Without events nothing would ever be exported.
                    String fix = "start the container with --sysctl net.netfilter." + name + "=1";
                    if (!ReadOnlyFileSystem.holds(p)) {
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
                LOG.info("net.netfilter.{}: {} -> 1 (restored at exit)", name, old);
                synchronized (CHANGED) {
                    CHANGED.add(new ChangedSysctl(name, old, file));
                }
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
        return rulesetUsesConntrack(run(null, "nft", "list", "ruleset"));
    }

    /**
     * The analysis of {@link #rulesetUsesConntrack()} on a listing. A table pflowd made (its comment starts with
     * {@value #TABLE_MARK}) is never a user's rule: a dead daemon's is removed here, a live one's is skipped.
     */
    static boolean rulesetUsesConntrack(String ruleset) throws IOException {
        boolean v4 = false, v6 = false;
        String family = null;
        String table = null;
        boolean uses = false;
        boolean ours = false;
        for (String line : (ruleset + "\ntable end -\n").split("\n")) {
            String l = line.trim();
            if (l.startsWith("table ")) {
                if (family != null && uses && !ours) {
                    v4 |= family.equals("ip") || family.equals("inet");
                    v6 |= family.equals("ip6") || family.equals("inet");
                }
                String[] words = l.split("\\s+");
                family = words[1];
                table = words.length > 2 ? words[2] : "";
                uses = false;
                ours = false;
            } else if (l.startsWith("comment \"" + TABLE_MARK)) {
                ours = true;
                removeIfLeftover(family, table, l);
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

    /** The comment of a table made by this process. */
    static String tableComment() {
        return TABLE_MARK + ProcessHandle.current().pid() + " started " + startMillis(ProcessHandle.current())
                + "; removed when it exits";
    }

    private static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
    }

    /**
     * Removes a table pflowd made whose daemon is gone (killed, crashed): a leftover, not a user's rule. A
     * table whose maker still runs (the pid is alive with the same start time) is left to it.
     */
    private static void removeIfLeftover(String family, String table, String commentLine) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,10})(?: started (-?[0-9]{1,19}))?")
                .matcher(commentLine.substring(("comment \"" + TABLE_MARK).length()));
        long pid = m.lookingAt() ? Long.parseLong(m.group(1)) : -1;
        long started = m.lookingAt() && m.group(2) != null ? Long.parseLong(m.group(2)) : -1;
        boolean alive = pid > 0 && ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> started == -1 || startMillis(p) == started).orElse(false);
        if (alive) {
            return; // a running pflowd's: it removes it itself
        }
        try {
            run(null, "nft", "delete", "table", family, table);
            LOG.info("removed table {} {} left by a pflowd that is gone (pid {})", family, table, pid);
        } catch (IOException e) {
            LOG.warn("could not remove table {} {} left by pflowd pid {}: {}", family, table, pid, e.getMessage());
        }
    }

    /**
     * Installs {@code table inet NAME} whose rules reference conntrack on prerouting and output, so that
     * every packet entering or leaving the host is tracked. It accepts everything.
     */
    static void installTable(String name) throws IOException {
        String script = "table inet " + name + " {\n"
                + "  comment \"" + tableComment() + "\"\n"
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

    /** Whether an executable {@code program} is in one of $PATH's directories (the JDK's default without one). */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        for (String dir : (path != null ? path : "/bin:/usr/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a setup command in the calling thread's namespaces (the child is cloned from this thread). */
    static String run(String stdin, String... cmd) throws IOException {
        // Looked up first, as the JDK will: its error for a missing program carries no errno, only text.
        if (cmd[0].equals("nft") && !onPath("nft")) {
            throw new IOException(NFT_MISSING);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
