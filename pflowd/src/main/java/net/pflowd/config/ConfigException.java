package net.pflowd.config;

import java.util.List;
import java.util.Objects;
import net.pflowd.text.OneLine;

/**
 * A configuration refused: an ifconfig argument, a configuration file line, or a change the system would not
 * make. It carries what went wrong as data — a {@link Reason}, the subject it concerns (an interface, a keyword,
 * a file), the values at fault and the errno when the kernel said why — and nothing was changed.
 *
 * <p>Code decides on {@link #reason()} and {@link #errno()}, never on text. The user's one line is made only at
 * the edges (the control server's reply, the ifconfig client, the configuration loader's start-up refusal) with
 * {@link #ifconfigLine()} or {@link #line()}, worded as OpenBSD's ifconfig(8) where it has words ({@code
 * ifconfig: Invalid pflow protocol: 7}). {@link #getMessage()} is the same line for logs and stack traces.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong; each reason has one wording. */
    public enum Reason {
        /** No arguments at all. */
        MISSING_NAME,
        /** An argument vector holding null (a malformed request). */
        NULL_ARGUMENT,
        /** The name is not {@code pflowN}; value: the name. */
        NOT_PFLOW,
        /** value: the word that is no keyword. */
        UNKNOWN_KEYWORD,
        /** subject: the keyword whose argument is missing. */
        MISSING_ARGUMENT,
        /** destroy came with other keywords. */
        DESTROY_COMBINED,
        /** destroy in a configuration file. */
        DESTROY_IN_FILE,
        /** value: an address that is not a numeric literal as flowsrc/flowdst take it. */
        BAD_ADDRESS,
        /** value: an endpoint whose address is 0.0.0.0 or ::. */
        UNSPECIFIED_ADDRESS,
        /** value: an endpoint whose port is not 1..65535. */
        BAD_PORT,
        /** value: a flowdst without a port (OpenBSD's "bad value"). */
        BAD_RECEIVER,
        /** value: the pflowproto argument that is not 5, 9 or 10. */
        BAD_PROTOCOL,
        /** subject: the keyword (mtu, domain); value: its argument, not a number (strtonum's "invalid"). */
        NUMBER_INVALID,
        /** subject: the keyword; value: its argument, below {@link Limits}. */
        NUMBER_TOO_SMALL,
        /** subject: the keyword; value: its argument, above {@link Limits}. */
        NUMBER_TOO_LARGE,
        /** subject: the interface; a query given where a change was expected. */
        NOTHING_TO_CHANGE,
        /** subject: the interface. */
        NO_SUCH_INTERFACE,
        /** subject: the interface, created twice. */
        ALREADY_EXISTS,
        /** subject: the interface; values: flowsrc, flowdst. */
        FAMILY_MISMATCH,
        /**
         * subject: the interface; values: mtu, version, collector family ("IPv4"/"IPv6"), the minimum
         * ({@link Limits#minimumMtu}).
         */
        MTU_TOO_SMALL_FOR_FORMAT,
        /** A {@code set} line that is not {@code set NAME [VALUE]}. */
        SET_SYNTAX,
        /** A {@code set} line the daemon's options refuse; value: the option parser's words. */
        BAD_SETTING,
        /** subject: a file; value: why it cannot be read. */
        UNREADABLE,
        /**
         * subject: the interface (or null); value: the system's one line, naming the interface ({@code pflow0:
         * flowsrc 10.9.9.9: Cannot assign requested address}); {@link #errno()} when the kernel said why.
         */
        SYSTEM,
        /** subject: what was changed ("changed pflow0"); value: why saving it failed. */
        NOT_SAVED,
    }

    private final Reason reason;
    private final String subject;
    private final List<String> values;
    private final int errno;
    /** {@code PATH:LINE} of a configuration file, or null. */
    private final String location;

    private ConfigException(Reason reason, String subject, List<String> values, int errno, String location,
            Throwable cause) {
        super(null, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.subject = subject;
        this.values = List.copyOf(values);
        this.errno = errno;
        this.location = location;
    }

    /** A refusal about {@code subject} (or null) with the values at fault, in the order its reason names them. */
    public ConfigException(Reason reason, String subject, String... values) {
        this(reason, subject, List.of(values), 0, null, null);
    }

    /**
     * What the system refused for interface {@code ifname}: its one line ({@code pflow0: cannot create: ...}) and
     * the errno when the kernel said why (else 0).
     */
    public static ConfigException system(String ifname, String line, int errno, Throwable cause) {
        return new ConfigException(Reason.SYSTEM, ifname, List.of(line), errno, null, cause);
    }

    /** A file that cannot be read. */
    public static ConfigException unreadable(String file, String why, Throwable cause) {
        return new ConfigException(Reason.UNREADABLE, file, List.of(why), 0, null, cause);
    }

    /** The same refusal, found at {@code location} ({@code PATH:LINE}) of a configuration file. */
    public ConfigException at(String location) {
        return new ConfigException(reason, subject, values, errno, location, this);
    }

    public Reason reason() {
        return reason;
    }

    /** The interface, keyword or file it concerns; null when none. */
    public String subject() {
        return subject;
    }

    /** The first value at fault (the argument as given), or null. */
    public String value() {
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every value at fault, in the order {@link Reason} documents. */
    public List<String> values() {
        return values;
    }

    /** The kernel's errno behind a {@link Reason#SYSTEM} refusal; 0 when there is none. */
    public int errno() {
        return errno;
    }

    /** {@code PATH:LINE} when the refusal comes from a configuration file, else null. */
    public String location() {
        return location;
    }

    /** What is wrong, without the program's name: {@code pflow0: no such interface}, {@code Invalid pflow protocol: 7}. */
    public String detail() {
        return switch (reason) {
            case MISSING_NAME -> "missing interface name";
            case NULL_ARGUMENT -> "null argument";
            case NOT_PFLOW -> echo(value()) + ": not a pflow interface";
            case UNKNOWN_KEYWORD -> echo(value()) + ": unknown keyword for pflow interfaces";
            case MISSING_ARGUMENT -> "'" + subject + "' requires argument";
            case DESTROY_COMBINED -> "destroy cannot be combined with other keywords";
            case DESTROY_IN_FILE -> "destroy is not allowed in a configuration file";
            case BAD_ADDRESS -> "error in parsing address string: "
                    + (value() == null || value().isEmpty() ? "(empty)" : echo(value()));
            case UNSPECIFIED_ADDRESS -> echo(value()) + ": unspecified address";
            case BAD_PORT -> echo(value()) + ": invalid port";
            case BAD_RECEIVER -> echo(value()) + " bad value";
            case BAD_PROTOCOL -> "Invalid pflow protocol: " + echo(value());
            case NUMBER_INVALID -> subject + " " + echo(value()) + ": invalid";
            case NUMBER_TOO_SMALL -> subject + " " + echo(value()) + ": too small";
            case NUMBER_TOO_LARGE -> subject + " " + echo(value()) + ": too large";
            case NOTHING_TO_CHANGE -> subject + ": nothing to change";
            case NO_SUCH_INTERFACE -> subject + ": no such interface";
            case ALREADY_EXISTS -> subject + ": SIOCIFCREATE: File exists";
            case FAMILY_MISMATCH -> subject + ": flowsrc " + values.get(0) + " and flowdst " + values.get(1)
                    + " are of different address families";
            case MTU_TOO_SMALL_FOR_FORMAT -> subject + ": mtu " + values.get(0) + " too small for version "
                    + values.get(1) + " to an " + values.get(2) + " collector: at least " + values.get(3)
                    + " (one record of every family)";
            case SET_SYNTAX -> "expected: set NAME [VALUE]";
            case BAD_SETTING -> value();
            case UNREADABLE -> echo(subject) + ": " + value();
            case SYSTEM -> value();
            case NOT_SAVED -> subject + ", but could not save it (lost at restart): " + OneLine.of(value());
        };
    }

    /** Whether the user's line is ifconfig's ({@code ifconfig: ...}); a file's own syntax and reading are not. */
    private boolean isIfconfigWords() {
        return reason != Reason.SET_SYNTAX && reason != Reason.BAD_SETTING && reason != Reason.UNREADABLE;
    }

    /** The line ifconfig prints: {@code ifconfig: pflow0: no such interface}. */
    public String ifconfigLine() {
        return isIfconfigWords() ? "ifconfig: " + detail() : detail();
    }

    /**
     * The whole line, with the configuration file's {@code PATH:LINE} in front when it has one: {@code
     * /etc/pflowd.conf:3: ifconfig: Invalid pflow protocol: 7}.
     */
    public String line() {
        return location == null ? ifconfigLine() : location + ": " + ifconfigLine();
    }

    @Override
    public String getMessage() {
        return line();
    }

    /** A value the user chose, made safe to print (escaped, bounded). */
    private static String echo(String s) {
        return OneLine.value(s);
    }
}
