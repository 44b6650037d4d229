package net.pflowd.export;

/** Why records were not exported. */
public enum DropReason {
    /** export() while the interface is not running (down, no flowsrc/flowdst, closed): as pflow, dropped. */
    NOT_RUNNING,
    /** NetFlow v5 carries IPv4 only. */
    V5_IPV6,
    /** The datagram carrying the records could not be sent (counted per wire record). */
    SEND_ERROR
}
