package net.pflowd.linux;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import java.nio.ByteOrder;

/** Structures of {@code <linux/in6.h>}. */
public final class In6 {
    private In6() {
    }

    /**
     * struct sockaddr_in6 {
     * 	unsigned short int	sin6_family;    /* AF_INET6 *&#47;
     * 	__be16			sin6_port;      /* Transport layer port # *&#47;
     * 	__be32			sin6_flowinfo;  /* IPv6 flow information *&#47;
     * 	struct in6_addr		sin6_addr;      /* IPv6 address *&#47;
     * 	__u32			sin6_scope_id;  /* scope id (new in RFC2553) *&#47;
     * };  (28 bytes)
     */
    @FieldOrder({"sin6_family", "sin6_port", "sin6_flowinfo", "sin6_addr", "sin6_scope_id"})
    public static class SockaddrIn6 extends Structure {
        public short sin6_family = (short) Socket.AF_INET6;
        public short sin6_port;
        public int sin6_flowinfo;
        public byte[] sin6_addr = new byte[16];
        public int sin6_scope_id;

        public SockaddrIn6() {
        }

        /** The 16 address bytes (network order, as written), the port in host order, the scope id (0: none). */
        public SockaddrIn6(byte[] address, int port, int scopeId) {
            System.arraycopy(address, 0, sin6_addr, 0, 16);
            sin6_port = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Short.reverseBytes((short) port) : (short) port;
            sin6_scope_id = scopeId;
        }

        /** The port in host order. */
        public int port() {
            return (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Short.reverseBytes(sin6_port) : sin6_port) & 0xffff;
        }
    }
}
