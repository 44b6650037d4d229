package net.pflowd.ifconfig;

import net.pflowd.control.ControlClient;
import net.pflowd.control.ControlException;
import net.pflowd.control.ControlProtocol;
import net.pflowd.control.ControlSocket;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ifconfig(8) for pflow interfaces: the arguments go to pflowd over its control socket, which parses them with
 * the one grammar (net.pflowd.control.IfconfigCommand) and renders the statuses (StatusFormat).
 *
 * <pre>
 * ifconfig pflow0 create flowsrc 10.0.0.1 flowdst 10.0.0.2:2055 pflowproto 10
 * ifconfig pflow0 [flowsrc A[:P]] [-flowsrc] [flowdst A:P] [-flowdst] [pflowproto 5|9|10] [mtu N] [domain N]
 *                 [up] [down]
 * ifconfig pflow0 destroy
 * ifconfig [-v] [--json] pflow0         status of one interface
 * ifconfig [-v] [--json] [-a | -g pflow | pflow]   all pflow interfaces (also with no argument at all)
 * ifconfig eth0 ...                     anything else: the system's ifconfig
 * </pre>
 *
 * {@code --socket PATH} (else $PFLOWD_SOCKET, else /run/pflowd.sock). {@code -v} adds the domain and counters,
 * {@code --json} prints the statuses as JSON for scripts. Exit status 0, or 1 with a one-line error on stderr
 * (and nothing changed).
 *
 * <p>A short-lived program, so what it loads is its start-up time: Apache Commons CLI for the options (picocli,
 * the daemon's, is compiled for Java 5, a class format class-data sharing cannot archive, and cost this client
 * more than everything else it does), and the control client's streaming path (no Jackson data binding).
 */
public final class IfconfigMain {
    private static final Options OPTIONS = new Options()
            .addOption(Option.builder().longOpt("socket").hasArg().argName("PATH").desc("pflowd control socket")
                    .build())
            .addOption(Option.builder().longOpt("json").desc("print statuses as JSON").build())
            .addOption(Option.builder("a").desc("all pflow interfaces").build())
            .addOption(Option.builder("g").hasArg().argName("GROUP").desc("all interfaces of GROUP (only pflow)")
                    .build())
            .addOption(Option.builder("v").desc("verbose: observation domain and statistics").build())
            .addOption(Option.builder().longOpt("help").desc("this help").build());
    private static final String USAGE = "ifconfig [-av] [--json] [-g GROUP] [--socket PATH] [pflowN [keyword ...]]";

    /** How a non-pflow invocation is handed over; injectable for tests. */
    interface Delegate {
        int run(Path exe, List<String> args) throws IOException, InterruptedException;
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final List<Path> systemCandidates;
    private final Delegate delegate;
    private final CommandLine options;
    private final List<String> args;

    private IfconfigMain(PrintStream out, PrintStream err, Map<String, String> env, List<Path> systemCandidates,
                         Delegate delegate, CommandLine options) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.systemCandidates = systemCandidates;
        this.delegate = delegate;
        this.options = options;
        this.args = options.getArgList();
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err, System.getenv(), SystemIfconfig.CANDIDATES,
                SystemIfconfig::run));
    }

    static int run(String[] argv, PrintStream out, PrintStream err, Map<String, String> env,
                   List<Path> systemCandidates, Delegate delegate) {
        CommandLine cl;
        try {
            // Stop at the first argument that is no option (the interface name): keywords like -flowsrc are
            // arguments, and so is an unknown option before it (e.g. `ifconfig -x`, for the system ifconfig).
            cl = DefaultParser.builder().setAllowPartialMatching(false).build().parse(OPTIONS, argv, true);
        } catch (ParseException e) {
            err.println("ifconfig: " + e.getMessage());
            return 1;
        }
        if (cl.hasOption("help")) {
            PrintWriter w = new PrintWriter(out);
            new HelpFormatter().printHelp(w, 100, USAGE,
                    "Configure pflow(4) interfaces of pflowd; other interfaces go to the system ifconfig.", OPTIONS,
                    2, 2, null);
            w.flush();
            return 0;
        }
        return new IfconfigMain(out, err, env, systemCandidates, delegate, cl).execute(List.of(argv));
    }

    private int execute(List<String> rawArgv) {
        if (!args.isEmpty() && !args.get(0).startsWith("pflow")) {
            return delegate(rawArgv);
        }
        String group = options.getOptionValue("g");
        if (group != null && !group.equals("pflow")) {
            err.println("ifconfig: " + group + ": unknown group (pflowd knows only the pflow group)");
            return 1;
        }
        boolean json = options.hasOption("json");
        ControlProtocol.View view = json ? ControlProtocol.View.JSON
                : options.hasOption("v") ? ControlProtocol.View.VERBOSE : ControlProtocol.View.TEXT;
        ControlClient client = new ControlClient(ControlSocket.resolve(options.getOptionValue("socket"), env));
        try {
            boolean listing = options.hasOption("a") || group != null || args.isEmpty()
                    || args.equals(List.of("pflow"));
            if (listing) {
                if (args.size() > (args.equals(List.of("pflow")) ? 1 : 0)) {
                    err.println("ifconfig: -a and -g take no interface arguments");
                    return 1;
                }
                print(client.render(ControlProtocol.OP_LIST, List.of(), view));
            } else if (args.size() == 1) {
                print(client.render(ControlProtocol.OP_STATUS, args, view));
            } else {
                // A change prints nothing, as OpenBSD's; with --json the status after it.
                String after = client.render(ControlProtocol.OP_APPLY, args, json ? view : null);
                if (json) {
                    print(after);
                }
            }
            return 0;
        } catch (ControlException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private void print(String text) {
        out.print(text);
        out.flush();
    }

    private int delegate(List<String> rawArgv) {
        String name = args.get(0);
        if (env.get(SystemIfconfig.GUARD) != null) {
            err.println("ifconfig: " + name + ": not a pflow interface (and the system ifconfig is this program)");
            return 1;
        }
        Optional<Path> exe = SystemIfconfig.find(SystemIfconfig.candidates(env, systemCandidates));
        if (exe.isEmpty()) {
            err.println("ifconfig: " + name + ": not a pflow interface and no system ifconfig found");
            return 1;
        }
        try {
            return delegate.run(exe.get(), rawArgv);
        } catch (IOException e) {
            err.println("ifconfig: " + exe.get() + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
