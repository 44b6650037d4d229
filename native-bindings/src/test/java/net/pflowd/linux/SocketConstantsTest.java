package net.pflowd.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The constants split out of {@code <sys/socket.h>} ({@link SocketType}, {@link AsmSocket}) and those of
 * {@link Unistd}, checked by what the running kernel does with them rather than by repeating the numbers.
 */
class SocketConstantsTest {
    private static final LibC C = LibC.INSTANCE;

    @Test
    void socketTypesAreWhatTheKernelReportsAsSoType() {
        for (int type : new int[] {SocketType.SOCK_STREAM, SocketType.SOCK_DGRAM}) {
            int fd = C.socket(Socket.AF_INET, type | SocketType.SOCK_CLOEXEC, 0);
            try {
                assertThat(intOption(fd, AsmSocket.SO_TYPE)).isEqualTo(type);
            } finally {
                C.close(fd);
            }
        }
    }

    @Test
    void sockNonblockMakesAnEmptyReceiveFailWithEagainAtOnce() {
        int fd = C.socket(Socket.AF_INET, SocketType.SOCK_DGRAM | SocketType.SOCK_NONBLOCK | SocketType.SOCK_CLOEXEC,
                0);
        try {
            ByteBuffer buf = ByteBuffer.allocateDirect(16);
            assertThatThrownBy(() -> C.recv(fd, buf, 16, 0)).isInstanceOfSatisfying(LastErrorException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(Errno.EAGAIN));
        } finally {
            C.close(fd);
        }
    }

    @Test
    void bufferOptionsAreTheBuffersTheKernelDoubles() {
        int fd = C.socket(Socket.AF_INET, SocketType.SOCK_DGRAM | SocketType.SOCK_CLOEXEC, 0);
        try {
            // socket(7): the kernel doubles the value set, for its bookkeeping, and getsockopt returns the double.
            C.setsockopt(fd, Socket.SOL_SOCKET, AsmSocket.SO_RCVBUF, new IntByReference(9000), 4);
            C.setsockopt(fd, Socket.SOL_SOCKET, AsmSocket.SO_SNDBUF, new IntByReference(7000), 4);
            assertThat(intOption(fd, AsmSocket.SO_RCVBUF)).isEqualTo(18000);
            assertThat(intOption(fd, AsmSocket.SO_SNDBUF)).isEqualTo(14000);
        } finally {
            C.close(fd);
        }
    }

    @Test
    void accessTellsAMissingFileByErrno(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThat(C.access(file.toString(), Unistd.F_OK)).isZero();
        assertThat(C.access(file.toString(), Unistd.R_OK | Unistd.W_OK)).isZero();
        assertThatThrownBy(() -> C.access(dir.resolve("missing").toString(), Unistd.F_OK))
                .isInstanceOfSatisfying(LastErrorException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(Errno.ENOENT));
    }

    private static int intOption(int fd, int option) {
        IntByReference value = new IntByReference(), length = new IntByReference(4);
        C.getsockopt(fd, Socket.SOL_SOCKET, option, value, length);
        return value.getValue();
    }
}
