package net.pflowd.iface;

/**
 * What one pflowN's I/O point did, as struct ifnet keeps if_opackets and if_oerrors: counted by the
 * {@link ExportPath} at the send itself, and by every path that replaces it when flowsrc or flowdst changes, so
 * that an interface's counters never go back. Written by one sending thread at a time (the export engine's),
 * read from any thread.
 */
public final class OutputCounters {
    volatile long sentDatagrams;
    volatile long sentBytes;
    volatile long failedSends;
    volatile long reportedErrors;
    volatile long mirroredPackets;
    volatile long mirrorErrors;

    /** Datagrams the kernel accepted for flowdst. */
    public long sentDatagrams() {
        return sentDatagrams;
    }

    /** UDP payload bytes of {@link #sentDatagrams()}. */
    public long sentBytes() {
        return sentBytes;
    }

    /** Datagrams that did not go out: the send failed, and the engine counts them lost. */
    public long failedSends() {
        return failedSends;
    }

    /**
     * ICMP errors (collector port unreachable: ECONNREFUSED) the socket reported about earlier datagrams, each
     * received while sending a later one, which then went out on a second try.
     */
    public long reportedErrors() {
        return reportedErrors;
    }

    /** Errors the kernel reported on the export socket, like if_oerrors: failed sends and reported errors. */
    public long outputErrors() {
        return failedSends + reportedErrors;
    }

    /** Packets transmitted on pflowN. */
    public long mirroredPackets() {
        return mirroredPackets;
    }

    /** Sent datagrams whose copy could not be transmitted on pflowN (down, queue full, MTU too small ...). */
    public long mirrorErrors() {
        return mirrorErrors;
    }
}
