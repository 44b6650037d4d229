package net.pflowd.linux;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code <poll.h>}: event bits and {@code struct pollfd} (8 bytes). */
public final class Poll {
    private Poll() {
    }

    public static final short POLLIN = 0x001;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final short POLLNVAL = 0x020;

    /** struct pollfd's size and field offsets, for callers that lay it out in a direct buffer themselves. */
    public static final int POLLFD_SIZE = 8;
    public static final int POLLFD_FD_OFFSET = 0;
    public static final int POLLFD_EVENTS_OFFSET = 4;
    public static final int POLLFD_REVENTS_OFFSET = 6;

    /** struct pollfd { int fd; short events; short revents; }; */
    @FieldOrder({"fd", "events", "revents"})
    public static class PollFd extends Structure {
        public int fd;
        public short events;
        public short revents;

        public PollFd() {
        }

        public PollFd(int fd, short events) {
            this.fd = fd;
            this.events = events;
        }
    }
}
