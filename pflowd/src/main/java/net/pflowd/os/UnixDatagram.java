package net.pflowd.os;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import net.pflowd.linux.LibC;
import net.pflowd.linux.Socket;
import net.pflowd.linux.SocketType;
import net.pflowd.linux.Un;

/**
 * One datagram to a Unix datagram socket, which Java's own Unix sockets (stream only) cannot send: what
 * sd_notify(3) does. A name starting with {@code @} is in the abstract namespace.
 */
public final class UnixDatagram {
    private UnixDatagram() {
    }

    /**
     * Sends {@code message} to {@code socketName} from a socket opened and closed for it.
     *
     * @throws ErrnoException e.g. {@code "/run/systemd/notify: sendto: No such file or directory"}
     * @throws IllegalArgumentException when the name does not fit a {@code sockaddr_un}
     */
    public static void send(String socketName, byte[] message) throws ErrnoException {
        Un.SockaddrUn address = new Un.SockaddrUn(socketName);
        LibC c = LibC.INSTANCE;
        int fd;
        try {
            fd = c.socket(Socket.AF_UNIX, SocketType.SOCK_DGRAM | SocketType.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw ErrnoException.of(socketName, "socket(AF_UNIX)", e);
        }
        try {
            ByteBuffer buf = ByteBuffer.allocateDirect(message.length).put(message).flip();
            c.sendto(fd, buf, message.length, 0, address, address.length());
        } catch (LastErrorException e) {
            throw ErrnoException.of(socketName, "sendto", e);
        } finally {
            FileDescriptors.closeQuietly(fd);
        }
    }
}
