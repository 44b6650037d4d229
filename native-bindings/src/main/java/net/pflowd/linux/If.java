package net.pflowd.linux;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import com.sun.jna.Union;
import java.nio.charset.StandardCharsets;

/**
 * {@code <linux/if.h>} / {@code <net/if.h>}: interface flags ({@code ifr_flags}), {@code IFNAMSIZ} and
 * {@code struct ifreq} (40 bytes on x86-64 and arm64: a 16-byte name and a 24-byte union aligned to 8).
 */
public final class If {
    private If() {
    }

    /** Name buffer size including the terminating NUL: names are at most 15 bytes. */
    public static final int IFNAMSIZ = 16;

    // enum net_device_flags (the low 16 bits travel in ifr_flags).
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_DEBUG = 0x4;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_POINTOPOINT = 0x10;
    public static final int IFF_NOTRAILERS = 0x20;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_NOARP = 0x80;
    public static final int IFF_PROMISC = 0x100;
    public static final int IFF_ALLMULTI = 0x200;
    public static final int IFF_MASTER = 0x400;
    public static final int IFF_SLAVE = 0x800;
    public static final int IFF_MULTICAST = 0x1000;
    public static final int IFF_PORTSEL = 0x2000;
    public static final int IFF_AUTOMEDIA = 0x4000;
    public static final int IFF_DYNAMIC = 0x8000;
    public static final int IFF_LOWER_UP = 0x10000;
    public static final int IFF_DORMANT = 0x20000;
    public static final int IFF_ECHO = 0x40000;

    /**
     * <pre>
     * struct ifmap {
     *     unsigned long mem_start;
     *     unsigned long mem_end;
     *     unsigned short base_addr;
     *     unsigned char irq;
     *     unsigned char dma;
     *     unsigned char port;
     * };   // 24 bytes on LP64
     * </pre>
     */
    @FieldOrder({"mem_start", "mem_end", "base_addr", "irq", "dma", "port"})
    public static class IfMap extends Structure {
        public long mem_start;
        public long mem_end;
        public short base_addr;
        public byte irq;
        public byte dma;
        public byte port;
    }

    /**
     * The {@code ifr_ifru} union. {@code ifr_ifindex} and {@code ifr_mtu} are both the int {@code ifru_ivalue}.
     * <pre>
     * union {
     *     struct sockaddr ifru_addr;      // 16 bytes (also dstaddr, broadaddr, netmask, hwaddr)
     *     short           ifru_flags;
     *     int             ifru_ivalue;    // ifru_mtu, ifr_ifindex
     *     struct ifmap    ifru_map;
     *     char            ifru_slave[IFNAMSIZ];
     *     char            ifru_newname[IFNAMSIZ];
     *     void           *ifru_data;
     * } ifr_ifru;
     * </pre>
     */
    public static class Ifru extends Union {
        public byte[] ifru_addr = new byte[16];
        public short ifru_flags;
        public int ifru_ivalue;
        public IfMap ifru_map = new IfMap();
        public byte[] ifru_newname = new byte[IFNAMSIZ];
        public Pointer ifru_data;
    }

    /**
     * <pre>
     * struct ifreq {
     *     char ifr_name[IFNAMSIZ];
     *     union { ... } ifr_ifru;
     * };
     * </pre>
     * Pass to {@link LibC#ioctl(int, long, Structure)}; JNA writes it before the call and reads it back after.
     */
    @FieldOrder({"ifr_name", "ifr_ifru"})
    public static class IfReq extends Structure {
        public byte[] ifr_name = new byte[IFNAMSIZ];
        public Ifru ifr_ifru = new Ifru();

        public IfReq() {
        }

        /** A request for interface {@code name}; the union is zero. */
        public IfReq(String name) {
            setName(name);
        }

        /** Sets the NUL-terminated name; IllegalArgumentException if it does not fit in IFNAMSIZ - 1 bytes. */
        public void setName(String name) {
            byte[] b = name.getBytes(StandardCharsets.US_ASCII);
            if (b.length == 0 || b.length >= IFNAMSIZ) {
                throw new IllegalArgumentException("interface name must be 1.." + (IFNAMSIZ - 1) + " bytes: " + name);
            }
            java.util.Arrays.fill(ifr_name, (byte) 0);
            System.arraycopy(b, 0, ifr_name, 0, b.length);
        }

        public String name() {
            int n = 0;
            while (n < ifr_name.length && ifr_name[n] != 0) {
                n++;
            }
            return new String(ifr_name, 0, n, StandardCharsets.US_ASCII);
        }

        /** ifr_flags, as an unsigned 16-bit value. */
        public int flags() {
            return ifr_ifru.ifru_flags & 0xffff;
        }

        /** Sets ifr_flags (low 16 bits) and makes it the union member written to native memory. */
        public void setFlags(int flags) {
            ifr_ifru.ifru_flags = (short) flags;
            ifr_ifru.setType("ifru_flags");
        }

        /** ifr_ivalue: the value of ifr_mtu and ifr_ifindex. */
        public int ivalue() {
            return ifr_ifru.ifru_ivalue;
        }

        /** Sets ifr_ivalue (ifr_mtu, ifr_ifindex) and makes it the union member written to native memory. */
        public void setIvalue(int value) {
            ifr_ifru.ifru_ivalue = value;
            ifr_ifru.setType("ifru_ivalue");
        }
    }
}
