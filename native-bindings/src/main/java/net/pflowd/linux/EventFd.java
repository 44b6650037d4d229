package net.pflowd.linux;

/** Flags of {@code <sys/eventfd.h>} for eventfd(2) (the values of O_CLOEXEC and O_NONBLOCK). */
public final class EventFd {
    private EventFd() {
    }

    public static final int EFD_CLOEXEC = 02000000;
    public static final int EFD_NONBLOCK = 04000;
    /** An eventfd is read and written 8 bytes (a uint64_t counter) at a time. */
    public static final int COUNTER_SIZE = 8;
}
