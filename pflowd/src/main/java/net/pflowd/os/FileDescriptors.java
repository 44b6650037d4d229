package net.pflowd.os;

import com.sun.jna.LastErrorException;
import net.pflowd.linux.LibC;

/** Closing a raw descriptor on a path where its close(2) error can change nothing (cleanup, a failed open). */
public final class FileDescriptors {
    private FileDescriptors() {
    }

    /** Closes {@code fd} when it is one (&gt;= 0), ignoring errors: the descriptor is gone either way. */
    public static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException ignored) {
            // EBADF on a double close or EINTR: close(2) released the descriptor in both cases on Linux
        }
    }
}
