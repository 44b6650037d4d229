package net.pflowd.control;

/**
 * What the ifconfig client (and the daemon's start-up, for its state file) shows as one line: the client's own
 * failures to reach pflowd ({@code ifconfig: pflowd is not running (no socket at /run/pflowd.sock)}), the refusal
 * pflowd sent back, already rendered from its {@link net.pflowd.config.ConfigException}, or a state file that
 * cannot be read. The message is the line; nothing was changed. No code decides on it: it is only printed.
 */
public class ControlException extends Exception {
    public ControlException(String message) {
        super(message);
    }

    public ControlException(String message, Throwable cause) {
        super(message, cause);
    }
}
