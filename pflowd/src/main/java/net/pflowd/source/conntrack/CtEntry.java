package net.pflowd.source.conntrack;

import net.pflowd.flow.FlowState;

/**
 * One conntrack entry as a ctnetlink message describes it: the connection ({@link #state}: tuples,
 * counters, start) plus what conntrack adds around it. Mutable and reused by the parser; a {@code has*}
 * flag tells whether the message carried the attribute.
 */
public final class CtEntry {
    /** Tuples and counters; {@code startMillis} from CTA_TIMESTAMP_START, {@code endMillis} left 0. */
    public final FlowState state = new FlowState();

    /** IPCTNL_MSG_CT_NEW (a new or updated entry, or a dump row) or IPCTNL_MSG_CT_DELETE (destroyed). */
    public int msgType;
    /** nlmsg_flags of the carrying message (NLM_F_CREATE on NEW events of a fresh entry). */
    public int nlFlags;

    /** CTA_ID: the entry's identifier, unique among the live entries (unsigned 32 bits). */
    public boolean hasId;
    public long id;
    public boolean hasMark;
    public int mark;
    /** CTA_ZONE; zone 0 when absent. */
    public int zone;
    public boolean hasStatus;
    public int status;
    /** CTA_TIMEOUT: seconds left before the entry expires (present in dumps and NEW/UPDATE events). */
    public boolean hasTimeout;
    public long timeoutSeconds;
    /** CTA_COUNTERS_ORIG / _REPLY present (nf_conntrack_acct was on when the entry was created). */
    public boolean hasCounters;
    /** CTA_TIMESTAMP_START / _STOP in nanoseconds since the epoch; 0 when absent. */
    public long startNanos, stopNanos;
    /** TCP state (enum tcp_conntrack) from CTA_PROTOINFO_TCP_STATE; -1 when absent. */
    public int tcpState;

    public CtEntry clear() {
        state.clear();
        msgType = nlFlags = 0;
        hasId = hasMark = hasStatus = hasTimeout = hasCounters = false;
        id = 0;
        mark = zone = status = 0;
        timeoutSeconds = 0;
        startNanos = stopNanos = 0;
        tcpState = -1;
        return this;
    }

    @Override
    public String toString() {
        return "ct id " + id + " type " + msgType + " mark " + mark + " zone " + zone + " status 0x"
                + Integer.toHexString(status) + " timeout " + timeoutSeconds + " tcpState " + tcpState
                + " start " + startNanos + " stop " + stopNanos + " " + state;
    }
}
