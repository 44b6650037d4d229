package net.pflowd.ifconfig;

import net.pflowd.control.ControlClient;
import net.pflowd.control.ControlException;
import net.pflowd.control.ControlProtocol;
import net.pflowd.control.ControlSocket;
import net.pflowd.text.OneLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ifconfig(8) for pflow interfaces: the arguments go to pflowd over its control socket, which parses them with
 * the one grammar (net.pflowd.config.IfconfigCommand) and renders the statuses (StatusFormat).
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
 * <p>A short-lived program, so what it loads is its start-up time: the daemon renders the statuses and the
 * control client reads its reply with Jackson's streaming parser (no data binding). The command line is
 * declared with picocli's programmatic model ({@link CommandSpec}) rather than annotations: reading annotations
 * makes the JVM generate a dynamic proxy class per annotation type at every start, which was the largest part
 * of a call's start-up (BENCHMARKS.md, "ifconfig").
 */
public final class IfconfigMain {
    private static final String SOCKET = "--socket";
    private static final String JSON = "--json";
    private static final String ALL = "-a";
    private static final String GROUP = "-g";
    private static final String VERBOSE = "-v";
    private static final String HELP = "--help";

    String socket;
    boolean json;
    boolean all;
    String group;
    boolean verbose;
    List<String> args = new ArrayList<>();

    /** How a non-pflow invocation is handed over; injectable for tests. */
    public interface Delegate {
        int run(Path exe, List<String> args) throws IOException, InterruptedException;
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final List<Path> systemCandidates;
    private final Delegate delegate;

    IfconfigMain(PrintStream out, PrintStream err, Map<String, String> env, List<Path> systemCandidates,
                 Delegate delegate) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.systemCandidates = systemCandidates;
        this.delegate = delegate;
    }

    /**
     * The system's ifconfig, run for real. A class rather than the method reference {@code SystemIfconfig::run}:
     * the first lambda of a JVM bootstraps the method-handle machinery and spins a class the archive cannot hold,
     * about 10 ms of every call (BENCHMARKS.md, "ifconfig").
     */
    private static final class SystemDelegate implements Delegate {
        @Override
        public int run(Path exe, List<String> args) throws IOException, InterruptedException {
            return SystemIfconfig.run(exe, args);
        }
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err, System.getenv(), SystemIfconfig.CANDIDATES,
                new SystemDelegate()));
    }

    public static int run(String[] argv, PrintStream out, PrintStream err, Map<String, String> env,
                   List<Path> systemCandidates, Delegate delegate) {
        IfconfigMain m = new IfconfigMain(out, err, env, systemCandidates, delegate);
        CommandLine cl = new CommandLine(commandSpec());
        // Keywords like -flowsrc are arguments, and nothing after the interface name is an option.
        cl.setUnmatchedOptionsArePositionalParams(true);
        cl.setStopAtPositional(true);
        ParseResult parsed;
        try {
            parsed = cl.parseArgs(argv);
        } catch (CommandLine.ParameterException e) {
            err.println("ifconfig: " + OneLine.of(e.getMessage()));
            return 1;
        }
        if (parsed.isUsageHelpRequested()) {
            cl.usage(out);
            return 0;
        }
        m.socket = parsed.matchedOptionValue(SOCKET, null);
        m.json = parsed.hasMatchedOption(JSON);
        m.all = parsed.hasMatchedOption(ALL);
        m.group = parsed.matchedOptionValue(GROUP, null);
        m.verbose = parsed.hasMatchedOption(VERBOSE);
        m.args = parsed.matchedPositionalValue(0, List.of());
        return m.execute(List.of(argv));
    }

    /** The command line: ifconfig's few options, then the interface name and its keywords as arguments. */
    static CommandSpec commandSpec() {
        CommandSpec spec = CommandSpec.create().name("ifconfig");
        spec.usageMessage().sortOptions(false)
                .description("Configure pflow(4) interfaces of pflowd; other interfaces go to the system ifconfig.");
        spec.addOption(OptionSpec.builder(SOCKET).paramLabel("PATH").type(String.class)
                .description("pflowd control socket").build());
        spec.addOption(OptionSpec.builder(JSON).description("print statuses as JSON").build());
        spec.addOption(OptionSpec.builder(ALL).description("all pflow interfaces").build());
        spec.addOption(OptionSpec.builder(GROUP).paramLabel("GROUP").type(String.class)
                .description("all interfaces of GROUP (only pflow)").build());
        spec.addOption(OptionSpec.builder(VERBOSE).description("verbose: observation domain and statistics").build());
        spec.addOption(OptionSpec.builder(HELP).usageHelp(true).description("this help").build());
        spec.addPositional(PositionalParamSpec.builder().paramLabel("ARG").type(List.class)
                .auxiliaryTypes(String.class).arity("0..*")
                .description("interface name and ifconfig keywords").build());
        return spec;
    }

    private int execute(List<String> rawArgv) {
        if (!args.isEmpty() && !args.get(0).startsWith("pflow")) {
            return delegate(rawArgv);
        }
        if (group != null && !group.equals("pflow")) {
            err.println("ifconfig: " + OneLine.value(group) + ": unknown group (pflowd knows only the pflow group)");
            return 1;
        }
        ControlProtocol.View view = json ? ControlProtocol.View.JSON
                : verbose ? ControlProtocol.View.VERBOSE : ControlProtocol.View.TEXT;
        ControlClient client = new ControlClient(ControlSocket.resolve(socket, env));
        try {
            boolean listing = all || group != null || args.isEmpty() || args.equals(List.of("pflow"));
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
            // The daemon escapes what it echoes; this is the last line of defence for any other message.
            err.println(OneLine.of(e.getMessage()));
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
            err.println("ifconfig: " + OneLine.value(name) + ": not a pflow interface (and the system ifconfig is this program)");
            return 1;
        }
        Optional<Path> exe = SystemIfconfig.find(SystemIfconfig.candidates(env, systemCandidates));
        if (exe.isEmpty()) {
            err.println("ifconfig: " + OneLine.value(name) + ": not a pflow interface and no system ifconfig found");
            return 1;
        }
        try {
            return delegate.run(exe.get(), rawArgv);
        } catch (IOException e) {
            err.println("ifconfig: " + exe.get() + ": " + OneLine.of(String.valueOf(e.getMessage())));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
