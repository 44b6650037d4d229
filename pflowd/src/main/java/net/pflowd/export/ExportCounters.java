package net.pflowd.export;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of an engine's counters.
 *
 * <p>{@code flows}: records accepted by export() and encoded. {@code records}: data records in datagrams
 * sent without error (a v5 split record counts once per wire record). {@code datagrams}/{@code bytes}:
 * datagrams sent without error and their payload bytes, templates included; {@code templateDatagrams}
 * is the template share. {@code sendErrors}: datagrams whose send failed. Drops: {@link DropReason#NOT_RUNNING}
 * and {@link DropReason#V5_IPV6} count flow records, {@link DropReason#SEND_ERROR} wire records.
 */
public final class ExportCounters {
    public final long flows;
    public final long records;
    public final long datagrams;
    public final long templateDatagrams;
    public final long bytes;
    public final long sendErrors;
    private final long[] dropped;

    ExportCounters(long flows, long records, long datagrams, long templateDatagrams, long bytes, long sendErrors,
            long[] dropped) {
        this.flows = flows;
        this.records = records;
        this.datagrams = datagrams;
        this.templateDatagrams = templateDatagrams;
        this.bytes = bytes;
        this.sendErrors = sendErrors;
        this.dropped = dropped.clone();
    }

    public long dropped(DropReason reason) {
        return dropped[reason.ordinal()];
    }

    public long droppedTotal() {
        long n = 0;
        for (long d : dropped) {
            n += d;
        }
        return n;
    }

    public Map<DropReason, Long> droppedByReason() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            m.put(r, dropped[r.ordinal()]);
        }
        return m;
    }

    @Override
    public String toString() {
        return "flows " + flows + " records " + records + " datagrams " + datagrams + " (templates "
                + templateDatagrams + ") bytes " + bytes + " send errors " + sendErrors + " dropped " + droppedByReason();
    }
}
