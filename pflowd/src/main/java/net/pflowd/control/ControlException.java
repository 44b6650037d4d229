package net.pflowd.control;

/**
 * A refused control operation. The message is one complete line as the user sees it, worded like OpenBSD's
 * ifconfig(8) where it has words (e.g. {@code ifconfig: Invalid pflow protocol: 7}); nothing was changed.
 */
public class ControlException extends Exception {
    public ControlException(String message) {
        super(message);
    }

    public ControlException(String message, Throwable cause) {
        super(message, cause);
    }
}
