package net.pflowd.linux;

/** Mode bits of access(2), {@code <unistd.h>}. */
public final class Unistd {
    private Unistd() {
    }

    // #define	R_OK	4		/* Test for read permission.  */
    public static final int R_OK = 4;
    // #define	W_OK	2		/* Test for write permission.  */
    public static final int W_OK = 2;
    // #define	F_OK	0		/* Test for existence.  */
    public static final int F_OK = 0;
}
