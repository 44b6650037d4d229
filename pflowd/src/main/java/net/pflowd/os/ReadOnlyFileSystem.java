package net.pflowd.os;

import com.sun.jna.LastErrorException;
import java.nio.file.Path;
import net.pflowd.linux.Errno;
import net.pflowd.linux.LibC;
import net.pflowd.linux.Unistd;

/**
 * Whether a file lives on a file system mounted read-only, as Docker and most container runtimes mount
 * /proc/sys even with CAP_NET_ADMIN. Asked of the kernel (access(2) with W_OK fails with EROFS there, even for
 * root), so that a failed write is classified by errno, never by the text of the JDK's exception.
 */
public final class ReadOnlyFileSystem {
    private ReadOnlyFileSystem() {
    }

    /** True when writing {@code file} is refused with EROFS. */
    public static boolean holds(Path file) {
        try {
            LibC.INSTANCE.access(file.toString(), Unistd.W_OK);
            return false;
        } catch (LastErrorException e) {
            return e.getErrorCode() == Errno.EROFS;
        }
    }
}
