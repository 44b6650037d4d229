package net.pflowd.linux;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import java.nio.charset.StandardCharsets;

/** Structures of {@code <sys/un.h>}. */
public final class Un {
    private Un() {
    }

    /** sizeof(sun_path). */
    public static final int SUN_PATH_MAX = 108;
    /** offsetof(struct sockaddr_un, sun_path). */
    public static final int SUN_PATH_OFFSET = 2;

    /**
     * struct sockaddr_un {
     * 	sa_family_t	sun_family;	/* AF_UNIX *&#47;
     * 	char		sun_path[108];
     * };  (110 bytes)
     *
     * <p>A name starting with {@code @} is in the abstract namespace (Linux): its first byte is written as NUL, and
     * only {@link #length()} bytes count (no terminating NUL), as sd_notify(3) and systemd do.
     */
    @FieldOrder({"sun_family", "sun_path"})
    public static class SockaddrUn extends Structure {
        public short sun_family = (short) Socket.AF_UNIX;
        public byte[] sun_path = new byte[SUN_PATH_MAX];
        private int pathBytes;
        private boolean isAbstract;

        public SockaddrUn() {
        }

        /** @throws IllegalArgumentException when the name does not fit sun_path or is empty */
        public SockaddrUn(String name) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            isAbstract = b.length > 0 && b[0] == '@';
            // A path needs its terminating NUL inside sun_path; an abstract name uses every byte.
            if (b.length == 0 || b.length > (isAbstract ? SUN_PATH_MAX : SUN_PATH_MAX - 1)) {
                throw new IllegalArgumentException("unix socket name of " + b.length + " bytes (1.."
                        + (SUN_PATH_MAX - 1) + "): " + name);
            }
            System.arraycopy(b, 0, sun_path, 0, b.length);
            if (isAbstract) {
                sun_path[0] = 0;
            }
            pathBytes = b.length;
        }

        /** The {@code addrlen} argument: the family, the name, and the NUL of a path. */
        public int length() {
            return SUN_PATH_OFFSET + pathBytes + (isAbstract ? 0 : 1);
        }
    }
}
