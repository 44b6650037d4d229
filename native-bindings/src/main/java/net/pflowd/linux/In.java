package net.pflowd.linux;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import java.nio.ByteOrder;

/** Constants and structures of {@code <netinet/in.h>}. */
public final class In {
    private In() {
    }

    // IP protocol numbers, enum { IPPROTO_IP = 0, ... } in <netinet/in.h> (linux/in.h; IPPROTO_ICMPV6 from linux/in6.h).
    // IPPROTO_ICMP = 1,		/* Internet Control Message Protocol	*/
    public static final int IPPROTO_ICMP = 1;
    // IPPROTO_TCP = 6,		/* Transmission Control Protocol	*/
    public static final int IPPROTO_TCP = 6;
    // IPPROTO_UDP = 17,		/* User Datagram Protocol		*/
    public static final int IPPROTO_UDP = 17;
    // IPPROTO_DCCP = 33,		/* Datagram Congestion Control Protocol */
    public static final int IPPROTO_DCCP = 33;
    // IPPROTO_GRE = 47,		/* Cisco GRE tunnels (rfc 1701,1702)	*/
    public static final int IPPROTO_GRE = 47;
    // #define IPPROTO_ICMPV6		58	/* ICMPv6			*/
    public static final int IPPROTO_ICMPV6 = 58;
    // IPPROTO_SCTP = 132,		/* Stream Control Transport Protocol	*/
    public static final int IPPROTO_SCTP = 132;
    // IPPROTO_UDPLITE = 136,	/* UDP-Lite (RFC 3828)			*/
    public static final int IPPROTO_UDPLITE = 136;

    /** 127.0.0.1, host order. */
    public static final int INADDR_LOOPBACK = 0x7f000001;

    /**
     * struct sockaddr_in {
     * 	sa_family_t	sin_family;	/* AF_INET *&#47;
     * 	in_port_t	sin_port;	/* network order *&#47;
     * 	struct in_addr	sin_addr;	/* network order *&#47;
     * 	unsigned char	sin_zero[8];
     * };  (16 bytes)
     */
    @FieldOrder({"sin_family", "sin_port", "sin_addr", "sin_zero"})
    public static class SockaddrIn extends Structure {
        public short sin_family = (short) Socket.AF_INET;
        public short sin_port;
        public int sin_addr;
        public byte[] sin_zero = new byte[8];

        public SockaddrIn() {
        }

        /** The address and port given in host order, stored in network order. */
        public SockaddrIn(int address, int port) {
            boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
            sin_addr = little ? Integer.reverseBytes(address) : address;
            sin_port = little ? Short.reverseBytes((short) port) : (short) port;
        }

        /** The port in host order. */
        public int port() {
            return (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Short.reverseBytes(sin_port) : sin_port) & 0xffff;
        }

        /** The address in host order. */
        public int address() {
            return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(sin_addr) : sin_addr;
        }
    }
}
