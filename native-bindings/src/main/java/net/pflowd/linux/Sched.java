package net.pflowd.linux;

/** Namespace flags of {@code <linux/sched.h>}, for setns(2) and unshare(2). */
public final class Sched {
    private Sched() {
    }

    // #define CLONE_NEWNET	0x40000000	/* New network namespace */
    public static final int CLONE_NEWNET = 0x40000000;
}
