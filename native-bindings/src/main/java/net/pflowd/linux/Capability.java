package net.pflowd.linux;

/**
 * Capability numbers of {@code <linux/capability.h>}: bit N of the sets in proc(5)'s {@code CapEff:} line.
 */
public final class Capability {
    private Capability() {
    }

    // #define CAP_NET_ADMIN        12   (interfaces, sysctls, netlink subscriptions)
    public static final int CAP_NET_ADMIN = 12;
    // #define CAP_NET_RAW          13   (RAW and PACKET sockets)
    public static final int CAP_NET_RAW = 13;
}
