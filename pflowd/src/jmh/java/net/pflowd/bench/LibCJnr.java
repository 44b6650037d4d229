package net.pflowd.bench;

import jnr.ffi.LibraryLoader;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The receive calls of {@link net.pflowd.linux.LibCDirect} through jnr-ffi, for {@link RecvBindingBenchmark} only.
 * Buffers are passed as plain addresses ({@code @intptr_t long}) rather than {@code jnr.ffi.Pointer}: the
 * caller already holds each direct buffer's address, so a {@code long} goes into the call as is, while a
 * Pointer is one more object per buffer that the generated stub has to ask for its address on every call.
 * A failed call returns -1; errno is saved (jnr-ffi's default) and read with {@code Runtime.getLastError()}.
 */
public interface LibCJnr {
    LibCJnr INSTANCE = LibraryLoader.create(LibCJnr.class).load("c");

    // ssize_t recv(int sockfd, void *buf, size_t len, int flags);
    @ssize_t long recv(int sockfd, @intptr_t long buf, @size_t long len, int flags);

    // int recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout);
    int recvmmsg(int sockfd, @intptr_t long msgvec, int vlen, int flags, @intptr_t long timeout);
}
