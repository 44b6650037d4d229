package net.pflowd.netlink;

/**
 * What every netlink protocol's parser reports besides its own messages: the end of a dump, an error or
 * acknowledgement, and a message it could not read. Each protocol's handler extends it with its messages.
 */
public interface ReplyHandler {
    /** NLMSG_DONE ending the dump with sequence number {@code seq}. */
    default void done(int seq) {
    }

    /** NLMSG_ERROR: {@code errno} is positive (0 is an acknowledgement). */
    default void error(int seq, int errno) {
    }

    /** A message that could not be decoded; {@code why} says what was wrong, on one line. */
    void malformed(String why);
}
