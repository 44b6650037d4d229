package net.pflowd.linux;

/**
 * Socket types and their flags, {@code enum __socket_type} of {@code <bits/socket_type.h>} (included by
 * {@code <sys/socket.h>}; the kernel's {@code enum sock_type} in {@code <linux/net.h>}). x86-64 and arm64 agree.
 */
public final class SocketType {
    private SocketType() {
    }

    // SOCK_STREAM = 1,		/* Sequenced, reliable, connection-based byte streams.  */
    public static final int SOCK_STREAM = 1;
    // SOCK_DGRAM = 2,		/* Connectionless, unreliable datagrams of fixed maximum length.  */
    public static final int SOCK_DGRAM = 2;
    // SOCK_RAW = 3,			/* Raw protocol interface.  */
    public static final int SOCK_RAW = 3;
    // SOCK_NONBLOCK = 00004000	/* Atomically mark descriptor(s) as non-blocking.  */
    public static final int SOCK_NONBLOCK = 04000;
    // SOCK_CLOEXEC = 02000000,	/* Atomically set close-on-exec flag for the new descriptor(s).  */
    public static final int SOCK_CLOEXEC = 02000000;
}
