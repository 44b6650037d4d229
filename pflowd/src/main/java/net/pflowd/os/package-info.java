/**
 * The thin OS layer beside the bindings: what every caller of a system call needs and would otherwise write
 * again. {@link net.pflowd.os.ErrnoException} is the one errno exception type ({@code "<subject>: <call>:
 * <strerror>"}, the errno kept for decisions); {@link net.pflowd.os.NetworkNamespace} enters a network namespace
 * for good or for one piece of work; {@link net.pflowd.os.UnixDatagram} sends what Java's Unix sockets cannot;
 * {@link net.pflowd.os.ReadOnlyFileSystem} tells EROFS; {@link net.pflowd.os.FileDescriptors} closes a raw
 * descriptor on cleanup paths. Only this package, {@code netlink}, {@code iface} and {@code source} touch JNA
 * (ArchitectureTest). Netlink sockets and their message cursor live in {@code net.pflowd.netlink}.
 */
package net.pflowd.os;
