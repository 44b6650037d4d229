package net.pflowd.linux;

/**
 * {@code <linux/if_tun.h>}: the /dev/net/tun ioctls and the TUNSETIFF flags carried in {@code ifr_flags}.
 * The ioctl numbers are {@code _IOW/_IOR('T', n, int)} as encoded on x86-64 and arm64 (asm-generic/ioctl.h).
 */
public final class IfTun {
    private IfTun() {
    }

    /** The clone device; opening it yields an unattached TUN/TAP queue. */
    public static final String DEV_NET_TUN = "/dev/net/tun";

    // #define TUNSETIFF     _IOW('T', 202, int)
    public static final long TUNSETIFF = 0x400454caL;
    // #define TUNSETPERSIST _IOW('T', 203, int)
    public static final long TUNSETPERSIST = 0x400454cbL;
    // #define TUNGETFEATURES _IOR('T', 207, unsigned int)
    public static final long TUNGETFEATURES = 0x800454cfL;
    // #define TUNGETIFF      _IOR('T', 210, unsigned int)
    public static final long TUNGETIFF = 0x800454d2L;
    // #define TUNSETCARRIER _IOW('T', 226, int)
    public static final long TUNSETCARRIER = 0x400454e2L;

    // TUNSETIFF ifr_flags.
    public static final short IFF_TUN = 0x0001;
    public static final short IFF_TAP = 0x0002;
    public static final short IFF_NAPI = 0x0010;
    public static final short IFF_NO_CARRIER = 0x0040;
    public static final short IFF_MULTI_QUEUE = 0x0100;
    public static final short IFF_PERSIST = 0x0800;
    public static final short IFF_NO_PI = 0x1000;
    public static final short IFF_ONE_QUEUE = 0x2000;
    public static final short IFF_VNET_HDR = 0x4000;
    /** Fail with EBUSY instead of attaching when an interface of that name already exists. */
    public static final short IFF_TUN_EXCL = (short) 0x8000;
}
