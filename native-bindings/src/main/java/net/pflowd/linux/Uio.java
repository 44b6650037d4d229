package net.pflowd.linux;

/** {@code struct iovec} of {@code <sys/uio.h>} ({@code <bits/types/struct_iovec.h>}), as native offsets. */
public final class Uio {
    private Uio() {
    }

    // struct iovec { void *iov_base; size_t iov_len; };   (16 bytes on 64-bit)
    public static final int IOVEC_SIZE = 16;
    public static final int IOV_BASE_OFFSET = 0;
    public static final int IOV_LEN_OFFSET = 8;
}
