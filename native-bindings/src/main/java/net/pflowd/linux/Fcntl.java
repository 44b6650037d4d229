package net.pflowd.linux;

/** Open flags of {@code <asm-generic/fcntl.h>} (x86-64 and arm64 agree). */
public final class Fcntl {
    private Fcntl() {
    }

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 02;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
}
