package net.pflowd.linux;

/**
 * {@code <linux/sockios.h>}: the interface ioctls issued on any socket (pflowd uses an AF_INET datagram socket);
 * each takes a {@link If.IfReq}. The request acts on the network namespace the socket was created in.
 */
public final class Sockios {
    private Sockios() {
    }

    public static final long SIOCGIFNAME = 0x8910;
    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCSIFFLAGS = 0x8914;
    public static final long SIOCGIFADDR = 0x8915;
    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCSIFMTU = 0x8922;
    public static final long SIOCSIFNAME = 0x8923;
    public static final long SIOCGIFINDEX = 0x8933;
    public static final long SIOCGIFTXQLEN = 0x8942;
    public static final long SIOCSIFTXQLEN = 0x8943;
}
