package net.pflowd.wire;

import net.pflowd.flow.FlowRecord;

/**
 * The four kinds of record the template-based formats (v9, IPFIX) carry, each with its own template,
 * and the unit the export engine keeps one pending datagram for (a datagram carries one data set of
 * one family, as pflow sends them).
 */
public enum RecordFamily {
    IPV4(256),
    IPV6(257),
    NAT_IPV4(258),
    NAT_IPV6(259);

    /** Template id in v9 and IPFIX (the data set/flowset id of its records). */
    public final int templateId;

    private static final RecordFamily[] VALUES = values();

    RecordFamily(int templateId) {
        this.templateId = templateId;
    }

    public boolean isIpv6() {
        return this == IPV6 || this == NAT_IPV6;
    }

    public boolean isNat() {
        return this == NAT_IPV4 || this == NAT_IPV6;
    }

    /** The family a record is encoded as: by address family and {@link FlowRecord#nat}. */
    public static RecordFamily of(FlowRecord r) {
        return VALUES[(r.family == FlowRecord.IPV6 ? 1 : 0) + (r.nat ? 2 : 0)];
    }
}
