package net.pflowd.linux;

/**
 * SOL_SOCKET option names of {@code <asm/socket.h>} ({@code <asm-generic/socket.h>}, which x86-64 and arm64 use
 * as is), for setsockopt(2) and getsockopt(2).
 */
public final class AsmSocket {
    private AsmSocket() {
    }

    // #define SO_TYPE		3
    public static final int SO_TYPE = 3;
    // #define SO_SNDBUF	7
    public static final int SO_SNDBUF = 7;
    // #define SO_RCVBUF	8
    public static final int SO_RCVBUF = 8;
    // #define SO_PEERCRED	17
    public static final int SO_PEERCRED = 17;
    // #define SO_BINDTODEVICE	25
    public static final int SO_BINDTODEVICE = 25;
    // #define SO_SNDBUFFORCE	32
    public static final int SO_SNDBUFFORCE = 32;
    // #define SO_RCVBUFFORCE	33
    public static final int SO_RCVBUFFORCE = 33;
}
