package net.pflowd.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One ifconfig(8) invocation on a pflow interface, in OpenBSD's argument grammar:
 *
 * <pre>
 * pflowN [create] [flowsrc A[:P]] [-flowsrc] [flowdst A:P] [-flowdst] [pflowproto 5|9|10]
 *        [mtu N] [domain N] [up] [down]
 * pflowN destroy
 * pflowN                                  (no keyword: a status query)
 * </pre>
 *
 * IPv6 addresses are written {@code [A]:P} ({@code flowsrc} also {@code A} or {@code [A]}). Keywords may come in any
 * order and repeat; they act in order, like OpenBSD's ifconfig running one ioctl per keyword, and the result is
 * validated as a whole (so {@code -flowsrc flowdst [::1]:9995 flowsrc ::1} switches families in one call).
 * Configuring keywords on an interface that does not exist create it first, as OpenBSD's ifconfig does for cloned
 * interfaces; an explicit {@code create} on an existing one fails ({@code SIOCIFCREATE: File exists}).
 * {@code destroy} stands alone. Parsing is pure: numeric addresses only, no name lookups.
 */
public final class IfconfigCommand {

    /** The keywords, in the words ifconfig uses. */
    public enum Verb {
        CREATE("create"), DESTROY("destroy"), UP("up"), DOWN("down"),
        FLOWSRC("flowsrc"), UNSET_FLOWSRC("-flowsrc"), FLOWDST("flowdst"), UNSET_FLOWDST("-flowdst"),
        PFLOWPROTO("pflowproto"), MTU("mtu"), DOMAIN("domain");

        public final String keyword;

        Verb(String keyword) {
            this.keyword = keyword;
        }

        boolean takesArgument() {
            return this == FLOWSRC || this == FLOWDST || this == PFLOWPROTO || this == MTU || this == DOMAIN;
        }

        static Verb of(String word) {
            for (Verb v : values()) {
                if (v.keyword.equals(word)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** One keyword with its parsed argument ({@code endpoint} for flowsrc/flowdst, {@code number} otherwise). */
    public record Action(Verb verb, FlowEndpoint endpoint, long number) {
        @Override
        public String toString() {
            if (!verb.takesArgument()) {
                return verb.keyword;
            }
            return verb.keyword + " " + (endpoint != null ? endpoint.toString() : Long.toString(number));
        }
    }

    private final String name;
    private final List<Action> actions;

    private IfconfigCommand(String name, List<Action> actions) {
        this.name = name;
        this.actions = List.copyOf(actions);
    }

    /**
     * Parses an argument vector whose first element is the interface name.
     *
     * @throws ConfigException what is wrong with the first bad argument
     */
    public static IfconfigCommand parse(List<String> argv) throws ConfigException {
        if (argv == null || argv.isEmpty()) {
            throw new ConfigException(ConfigException.Reason.MISSING_NAME, null);
        }
        for (String a : argv) {
            if (a == null) {
                throw new ConfigException(ConfigException.Reason.NULL_ARGUMENT, null);
            }
        }
        String name = argv.get(0);
        if (!InterfaceConfig.isPflowName(name)) {
            throw new ConfigException(ConfigException.Reason.NOT_PFLOW, null, name);
        }
        List<Action> actions = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String word = argv.get(i);
            Verb verb = Verb.of(word);
            if (verb == null) {
                throw new ConfigException(ConfigException.Reason.UNKNOWN_KEYWORD, null, word);
            }
            if (!verb.takesArgument()) {
                actions.add(new Action(verb, null, 0));
                continue;
            }
            if (i + 1 >= argv.size()) {
                throw new ConfigException(ConfigException.Reason.MISSING_ARGUMENT, verb.keyword);
            }
            String arg = argv.get(++i);
            actions.add(parseArgument(verb, arg));
        }
        boolean destroy = actions.stream().anyMatch(a -> a.verb() == Verb.DESTROY);
        if (destroy && actions.size() > 1) {
            throw new ConfigException(ConfigException.Reason.DESTROY_COMBINED, name);
        }
        return new IfconfigCommand(name, actions);
    }

    /** Parses {@code args} as given on a command line or a config file line (already split on blanks). */
    public static IfconfigCommand parse(String... argv) throws ConfigException {
        return parse(List.of(argv));
    }

    private static Action parseArgument(Verb verb, String arg) throws ConfigException {
        switch (verb) {
            case FLOWSRC:
                return new Action(verb, FlowEndpoint.parse(arg), 0);
            case FLOWDST: {
                FlowEndpoint e = FlowEndpoint.parse(arg);
                if (!e.hasPort()) {
                    // OpenBSD's words for a receiver it cannot use.
                    throw new ConfigException(ConfigException.Reason.BAD_RECEIVER, verb.keyword, arg);
                }
                return new Action(verb, e, 0);
            }
            case PFLOWPROTO: {
                // As setpflowproto(): the argument must be one of the protocol names exactly.
                if (!arg.equals("5") && !arg.equals("9") && !arg.equals("10")) {
                    throw new ConfigException(ConfigException.Reason.BAD_PROTOCOL, verb.keyword, arg);
                }
                return new Action(verb, null, Integer.parseInt(arg));
            }
            case MTU:
                return new Action(verb, null,
                        strtonum("mtu", arg, Limits.MIN_MTU, Limits.MAX_MTU));
            case DOMAIN:
                return new Action(verb, null, strtonum("domain", arg, 0, Limits.MAX_DOMAIN));
            default:
                throw new AssertionError(verb);
        }
    }

    /** strtonum(3) with its error words: "invalid", "too small", "too large". */
    private static long strtonum(String keyword, String arg, long min, long max) throws ConfigException {
        String digits = arg.startsWith("-") ? arg.substring(1) : arg;
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ConfigException(ConfigException.Reason.NUMBER_INVALID, keyword, arg);
        }
        long v = Long.parseLong(arg);
        if (v < min) {
            throw new ConfigException(ConfigException.Reason.NUMBER_TOO_SMALL, keyword, arg);
        }
        if (v > max) {
            throw new ConfigException(ConfigException.Reason.NUMBER_TOO_LARGE, keyword, arg);
        }
        return v;
    }

    public String name() {
        return name;
    }

    public List<Action> actions() {
        return actions;
    }

    /** No keyword at all: {@code ifconfig pflow0} shows the interface. */
    public boolean isQuery() {
        return actions.isEmpty();
    }

    public boolean isDestroy() {
        return actions.size() == 1 && actions.get(0).verb() == Verb.DESTROY;
    }

    /** The same command without {@code create} keywords (a config file line, where create is implied). */
    public IfconfigCommand withoutCreate() {
        return new IfconfigCommand(name, actions.stream().filter(a -> a.verb() != Verb.CREATE).toList());
    }

    /**
     * The configuration after this command, given the current one (empty when the interface does not exist).
     * Empty result: the interface is destroyed. Pure; the daemon's {@link net.pflowd.control.InterfaceManager#apply} uses it so that
     * every implementation means the same thing by each keyword.
     *
     * @throws ConfigException when the command is a query, names a missing interface for destroy, creates an
     *                          existing one, or leads to an inconsistent configuration
     */
    public Optional<InterfaceConfig> applyTo(Optional<InterfaceConfig> current) throws ConfigException {
        if (isQuery()) {
            throw new ConfigException(ConfigException.Reason.NOTHING_TO_CHANGE, name);
        }
        if (isDestroy()) {
            if (current.isEmpty()) {
                throw new ConfigException(ConfigException.Reason.NO_SUCH_INTERFACE, name);
            }
            return Optional.empty();
        }
        boolean exists = current.isPresent();
        InterfaceConfig c = current.orElseGet(() -> InterfaceConfig.created(name));
        FlowEndpoint src = c.flowsrc();
        FlowEndpoint dst = c.flowdst();
        boolean up = c.up();
        int proto = c.pflowproto();
        int mtu = c.mtu();
        long domain = c.domain();
        for (Action a : actions) {
            switch (a.verb()) {
                case CREATE:
                    if (exists) {
                        throw new ConfigException(ConfigException.Reason.ALREADY_EXISTS, name);
                    }
                    exists = true;
                    break;
                case UP: up = true; break;
                case DOWN: up = false; break;
                case FLOWSRC: src = a.endpoint(); break;
                case UNSET_FLOWSRC: src = null; break;
                case FLOWDST: dst = a.endpoint(); break;
                case UNSET_FLOWDST: dst = null; break;
                case PFLOWPROTO: proto = (int) a.number(); break;
                case MTU: mtu = (int) a.number(); break;
                case DOMAIN: domain = a.number(); break;
                default: throw new AssertionError(a.verb());
            }
        }
        if (src != null && dst != null && src.isIPv6() != dst.isIPv6()) {
            throw new ConfigException(ConfigException.Reason.FAMILY_MISMATCH, name, src.toString(), dst.toString());
        }
        return Optional.of(new InterfaceConfig(name, up, src, dst, proto, mtu, domain));
    }

    /** The argument vector, normalized (addresses in canonical form). */
    public List<String> toArgv() {
        List<String> argv = new ArrayList<>();
        argv.add(name);
        for (Action a : actions) {
            argv.add(a.verb().keyword);
            if (a.verb().takesArgument()) {
                argv.add(a.endpoint() != null ? a.endpoint().toString() : Long.toString(a.number()));
            }
        }
        return argv;
    }

    @Override
    public String toString() {
        return String.join(" ", toArgv());
    }
}
