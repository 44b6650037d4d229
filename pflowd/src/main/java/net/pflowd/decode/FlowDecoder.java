package net.pflowd.decode;

import static net.pflowd.decode.DecodeException.NONE;
import static net.pflowd.wire.InformationElements.*;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.pflowd.flow.FlowRecord;

/**
 * Decodes one NetFlow v5 (Cisco), v9 (RFC 3954) or IPFIX (RFC 7011) datagram into flow records.
 *
 * <p>Pure: no I/O. v9 and IPFIX templates are remembered per (exporter address, version, source id /
 * observation domain, template id) in a bounded cache (see {@link TemplateCache}); data sets whose template
 * is not known yet are skipped and counted, as a collector that started after the exporter must do.
 * Options templates are parsed for their length so their data records can be stepped over and counted,
 * and nothing else is taken from them.
 *
 * <p>Every length comes from the datagram and is checked against what is left of the enclosing
 * set/message before it is used; every set advances by at least its 4-byte header and every record by at
 * least one octet, so decoding ends. Anything malformed is a {@link DecodeException}; the template cache
 * is then left unchanged. Not thread-safe: one decoder per receiving thread.
 */
public final class FlowDecoder {
    /** Largest field count accepted in one template; real templates carry tens of fields. */
    public static final int MAX_FIELDS = 512;
    public static final int DEFAULT_MAX_TEMPLATES_PER_DOMAIN = 512;
    public static final int DEFAULT_MAX_DOMAINS = 4096;
    /** Estimated heap for all templates together: a template flood costs at most this, never the process. */
    public static final long DEFAULT_MAX_TEMPLATE_BYTES = 32L << 20;

    static final int V5_HEADER = 24;
    static final int V5_RECORD = 48;
    static final int V9_HEADER = 20;
    static final int IPFIX_HEADER = 16;
    static final int SET_HEADER = 4;

    /** Seconds from the NTP era (1900) to the Unix epoch, for dateTimeMicro/Nanoseconds (RFC 7011 §6.1.9). */
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private final TemplateCache cache;

    public FlowDecoder() {
        this(DEFAULT_MAX_TEMPLATES_PER_DOMAIN, DEFAULT_MAX_DOMAINS);
    }

    public FlowDecoder(int maxTemplatesPerDomain, int maxDomains) {
        this(maxTemplatesPerDomain, maxDomains, DEFAULT_MAX_TEMPLATE_BYTES);
    }

    /** @param maxTemplateBytes estimated heap for all templates; least recently used domains are forgotten */
    public FlowDecoder(int maxTemplatesPerDomain, int maxDomains, long maxTemplateBytes) {
        if (maxTemplatesPerDomain < 1 || maxDomains < 1 || maxTemplateBytes < 1) {
            throw new IllegalArgumentException("template cache bounds must be positive");
        }
        this.cache = new TemplateCache(maxTemplatesPerDomain, maxDomains, maxTemplateBytes);
    }

    /** Templates forgotten so far to keep the cache within its bounds. */
    public long evictedTemplates() {
        return cache.evictedTemplates();
    }

    /** Estimated heap the template cache holds now. */
    public long templateBytes() {
        return cache.bytes();
    }

    /** Templates currently known for one exporter domain (for tests and diagnostics). */
    public int templateCount(InetSocketAddress exporter, int version, long domain) {
        return cache.committed(new TemplateCache.Key(exporter.getAddress(), version, domain)).size();
    }

    /**
     * Decodes the bytes from {@code payload}'s position to its limit; the buffer itself is not moved.
     *
     * @param exporter the datagram's source, the first part of the template cache key
     */
    public DecodedMessage decode(InetSocketAddress exporter, ByteBuffer payload) throws DecodeException {
        Objects.requireNonNull(exporter, "exporter");
        ByteBuffer b = payload.slice().order(ByteOrder.BIG_ENDIAN);
        int n = b.remaining();
        if (n < 2) {
            throw new DecodeException(NONE, NONE, NONE, 0, "datagram of " + n + " bytes has no version field");
        }
        int version = u16(b, 0);
        try {
            switch (version) {
                case 5:
                    return decodeV5(exporter, b, n);
                case 9:
                case 10:
                    return new SetDecoder(exporter, b, n, version).decode();
                default:
                    throw new DecodeException(NONE, NONE, NONE, 0, "unsupported version " + version);
            }
        } catch (RuntimeException e) {
            // Every access is bounds-checked above; reaching this is a decoder bug, still not the caller's crash.
            throw new DecodeException(version, NONE, NONE, NONE, "internal decoder error: " + e);
        }
    }

    // ---- NetFlow v5: fixed 24-byte header and 48-byte records ----

    private static DecodedMessage decodeV5(InetSocketAddress exporter, ByteBuffer b, int n) throws DecodeException {
        if (n < V5_HEADER) {
            throw new DecodeException(5, NONE, NONE, 0, "header needs " + V5_HEADER + " bytes, datagram has " + n);
        }
        int count = u16(b, 2);
        long sysUptime = u32(b, 4);
        long secs = u32(b, 8);
        long nsecs = u32(b, 12);
        long sequence = u32(b, 16);
        int engineType = u8(b, 20);
        int engineId = u8(b, 21);
        int need = V5_HEADER + count * V5_RECORD;
        if (n != need) {
            throw new DecodeException(5, NONE, NONE, 2,
                    "count " + count + " needs " + need + " bytes, datagram has " + n);
        }
        long exportMillis = secs * 1000 + nsecs / 1_000_000;
        List<FlowRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int o = V5_HEADER + i * V5_RECORD;
            FlowRecord r = new FlowRecord();
            r.family = FlowRecord.IPV4;
            r.srcLo = u32(b, o);
            r.dstLo = u32(b, o + 4);
            // o + 8: nexthop
            r.inputIf = u16(b, o + 12);
            r.outputIf = u16(b, o + 14);
            r.packets = u32(b, o + 16);
            r.bytes = u32(b, o + 20);
            r.startMillis = uptimeToEpoch(exportMillis, sysUptime, u32(b, o + 24));
            r.endMillis = uptimeToEpoch(exportMillis, sysUptime, u32(b, o + 28));
            r.srcPort = u16(b, o + 32);
            r.dstPort = u16(b, o + 34);
            // o + 36: pad1
            r.tcpFlags = u8(b, o + 37);
            r.protocol = u8(b, o + 38);
            r.tos = u8(b, o + 39);
            // o + 40..47: src_as, dst_as, src_mask, dst_mask, pad2
            records.add(r);
        }
        return new DecodedMessage(exporter, 5, count, sequence, (engineType << 8) | engineId, engineType, engineId,
                exportMillis, sysUptime, records, 0, 0);
    }

    /**
     * Converts a sysUptime-relative time to epoch milliseconds: the exporter's uptime at export is
     * {@code sysUptime}, so the event happened {@code sysUptime - at} ms before the export time. The
     * difference is taken modulo 2^32 as a signed value, which stays right across the 49.7-day uptime
     * wrap and for events stamped marginally after the header.
     */
    static long uptimeToEpoch(long exportMillis, long sysUptime, long at) {
        return exportMillis - (int) (sysUptime - at);
    }

    // ---- NetFlow v9 and IPFIX: header, then sets of templates or records ----

    private final class SetDecoder {
        final InetSocketAddress exporter;
        final ByteBuffer b;
        final int version;
        final boolean ipfix;
        int end;
        long sequence;
        long domain;
        long exportMillis;
        long sysUptime = -1;
        int headerCount;
        int templateRecords;
        int dataSetsSkipped;
        final java.util.Set<Integer> unknownTemplates = new java.util.TreeSet<>();
        int dataRecords;
        final List<FlowRecord> records = new ArrayList<>();
        TemplateCache.Staging staging;
        final RecordScratch scratch = new RecordScratch();

        SetDecoder(InetSocketAddress exporter, ByteBuffer b, int n, int version) {
            this.exporter = exporter;
            this.b = b;
            this.end = n;
            this.version = version;
            this.ipfix = version == 10;
        }

        DecodeException error(int setId, int templateId, int offset, String what) {
            return new DecodeException(version, setId, templateId, offset, what);
        }

        DecodedMessage decode() throws DecodeException {
            int off;
            if (ipfix) {
                if (end < IPFIX_HEADER) {
                    throw error(NONE, NONE, 0, "header needs " + IPFIX_HEADER + " bytes, datagram has " + end);
                }
                int length = u16(b, 2);
                if (length < IPFIX_HEADER) {
                    throw error(NONE, NONE, 2, "message length " + length + " is shorter than the header");
                }
                if (length > end) {
                    throw error(NONE, NONE, 2, "message length " + length + " exceeds the datagram (" + end + " bytes)");
                }
                end = length; // anything after the message is not part of it
                exportMillis = u32(b, 4) * 1000;
                sequence = u32(b, 8);
                domain = u32(b, 12);
                off = IPFIX_HEADER;
            } else {
                if (end < V9_HEADER) {
                    throw error(NONE, NONE, 0, "header needs " + V9_HEADER + " bytes, datagram has " + end);
                }
                headerCount = u16(b, 2);
                sysUptime = u32(b, 4);
                exportMillis = u32(b, 8) * 1000;
                sequence = u32(b, 12);
                domain = u32(b, 16);
                off = V9_HEADER;
            }
            TemplateCache.Key key = new TemplateCache.Key(exporter.getAddress(), version, domain);
            staging = new TemplateCache.Staging(cache.committed(key));

            while (off < end) {
                if (end - off < SET_HEADER) {
                    throw error(NONE, NONE, off, (end - off) + " trailing bytes are shorter than a set header");
                }
                int setId = u16(b, off);
                int length = u16(b, off + 2);
                if (length < SET_HEADER) {
                    throw error(setId, NONE, off + 2, "set length " + length + " is shorter than its header");
                }
                if (length > end - off) {
                    throw error(setId, NONE, off + 2, "set length " + length + " runs past the end of the "
                            + (ipfix ? "message" : "datagram") + " (" + (end - off) + " bytes left)");
                }
                int body = off + SET_HEADER;
                int setEnd = off + length;
                if (setId == (ipfix ? 2 : 0)) {
                    templateSet(setId, body, setEnd, false);
                } else if (setId == (ipfix ? 3 : 1)) {
                    if (ipfix) {
                        templateSet(setId, body, setEnd, true);
                    } else {
                        v9OptionsTemplateSet(setId, body, setEnd);
                    }
                } else if (setId >= 256) {
                    dataSet(setId, body, setEnd);
                }
                // Set ids 0-255 other than the above are reserved: stepped over.
                off = setEnd;
            }

            if (!staging.isEmpty()) {
                Map<Integer, Template> next = staging.result(cache.maxTemplates());
                if (next == null) {
                    throw error(NONE, NONE, NONE, "more than " + cache.maxTemplates()
                            + " templates for domain " + domain + " of " + exporter.getHostString());
                }
                cache.commit(key, next);
            }
            int count = ipfix ? dataRecords : headerCount;
            return new DecodedMessage(exporter, version, count, sequence, domain, -1, -1, exportMillis, sysUptime,
                    records, templateRecords, dataSetsSkipped, List.copyOf(unknownTemplates));
        }

        /** v9 flowset 0 or IPFIX set 2 (data templates) / IPFIX set 3 (options templates). */
        void templateSet(int setId, int p, int setEnd, boolean options) throws DecodeException {
            // Records are at least 4 bytes (an IPFIX withdrawal); less is padding.
            while (setEnd - p >= 4) {
                int tid = u16(b, p);
                int fieldCount = u16(b, p + 2);
                if (fieldCount == 0) {
                    if (!ipfix) {
                        throw error(setId, tid, p + 2, "template has no fields");
                    }
                    // RFC 7011 §8.1: withdrawal; the set id as template id withdraws all of that kind.
                    if (tid == setId) {
                        staging.withdrawAll(options);
                    } else if (tid >= 256) {
                        staging.withdraw(tid);
                    } else {
                        throw error(setId, tid, p, "withdrawal of reserved template id " + tid);
                    }
                    templateRecords++;
                    p += 4;
                    continue;
                }
                if (tid < 256) {
                    throw error(setId, tid, p, "template id " + tid + " is reserved (data templates start at 256)");
                }
                if (fieldCount > MAX_FIELDS) {
                    throw error(setId, tid, p + 2, "field count " + fieldCount + " exceeds " + MAX_FIELDS);
                }
                int q = p + 4;
                if (options) {
                    if (setEnd - q < 2) {
                        throw error(setId, tid, q, "options template record runs past the end of the set");
                    }
                    int scope = u16(b, q);
                    if (scope == 0 || scope > fieldCount) {
                        throw error(setId, tid, q, "scope field count " + scope + " not in 1.." + fieldCount);
                    }
                    q += 2;
                }
                if ((long) fieldCount * 4 > setEnd - q) {
                    throw error(setId, tid, p + 2,
                            "field count " + fieldCount + " needs more than the " + (setEnd - q) + " bytes left in the set");
                }
                p = fields(setId, tid, q, setEnd, fieldCount, options);
                templateRecords++;
            }
        }

        /** v9 flowset 1: template id, scope length, option length (bytes), then type/length pairs. */
        void v9OptionsTemplateSet(int setId, int p, int setEnd) throws DecodeException {
            // A record is at least 6 + 4 bytes; shorter leftovers are padding (RFC 3954 §6.1).
            while (setEnd - p >= 10) {
                int tid = u16(b, p);
                int scopeLength = u16(b, p + 2);
                int optionLength = u16(b, p + 4);
                if (tid < 256) {
                    throw error(setId, tid, p, "options template id " + tid + " is reserved");
                }
                if (scopeLength % 4 != 0 || optionLength % 4 != 0) {
                    throw error(setId, tid, p + 2, "scope length " + scopeLength + " / option length "
                            + optionLength + " not a multiple of 4");
                }
                int fieldCount = (scopeLength + optionLength) / 4;
                if (fieldCount == 0) {
                    throw error(setId, tid, p + 2, "options template has no fields");
                }
                if (fieldCount > MAX_FIELDS) {
                    throw error(setId, tid, p + 2, "field count " + fieldCount + " exceeds " + MAX_FIELDS);
                }
                if (scopeLength + optionLength > setEnd - (p + 6)) {
                    throw error(setId, tid, p + 2, "options template of " + (scopeLength + optionLength)
                            + " field bytes runs past the end of the flowset");
                }
                p = fields(setId, tid, p + 6, setEnd, fieldCount, true);
                templateRecords++;
            }
        }

        /** Reads {@code fieldCount} field specifiers from {@code q}; stages the template; returns the next offset. */
        int fields(int setId, int tid, int q, int setEnd, int fieldCount, boolean options) throws DecodeException {
            int[] ids = new int[fieldCount];   // fieldCount <= MAX_FIELDS
            int[] lengths = new int[fieldCount];
            for (int i = 0; i < fieldCount; i++) {
                if (setEnd - q < 4) {
                    throw error(setId, tid, q, "field " + i + " runs past the end of the set");
                }
                int raw = u16(b, q);
                int length = u16(b, q + 2);
                q += 4;
                int id = raw;
                if (ipfix && (raw & 0x8000) != 0) {
                    // Enterprise bit: a 4-byte enterprise number follows; its elements are not ours to map.
                    if (setEnd - q < 4) {
                        throw error(setId, tid, q, "enterprise number of field " + i + " runs past the end of the set");
                    }
                    q += 4;
                    id = -1;
                }
                if (!ipfix && length == 0) {
                    throw error(setId, tid, q - 2, "field " + i + " (type " + raw + ") has length 0");
                }
                ids[i] = id;
                lengths[i] = length;
            }
            Template t = new Template(tid, options, ids, lengths, ipfix);
            if (t.minRecordLength == 0) {
                throw error(setId, tid, q, "records of this template would be empty");
            }
            staging.put(t);
            return q;
        }

        void dataSet(int setId, int p, int setEnd) throws DecodeException {
            Template t = staging.lookup(setId);
            if (t == null) {
                dataSetsSkipped++;
                unknownTemplates.add(setId);
                return;
            }
            int body = p;
            int n = 0;
            while (setEnd - p >= t.minRecordLength) {
                if (t.options) {
                    p = record(t, setId, p, setEnd, null);
                } else {
                    FlowRecord r = new FlowRecord();
                    p = record(t, setId, p, setEnd, r);
                    records.add(r);
                }
                n++;
            }
            dataRecords += n;
            // What is left is padding, which is shorter than a record and (for v9) than 4 bytes.
            if (n == 0 && setEnd - body >= 4) {
                throw error(setId, setId, body, "record needs at least " + t.minRecordLength
                        + " bytes, set has " + (setEnd - body));
            }
        }

        /** Decodes (or, for r == null, steps over) one record; returns the offset after it. */
        int record(Template t, int setId, int p, int setEnd, FlowRecord r) throws DecodeException {
            if (r != null) {
                r.clear();
                scratch.clear();
            }
            for (int i = 0; i < t.lengths.length; i++) {
                int length = t.lengths[i];
                if (t.isVariable(i)) {
                    // RFC 7011 §7: one length octet, or 255 and a 2-byte length.
                    if (setEnd - p < 1) {
                        throw error(setId, t.id, p, "variable-length field " + i + " runs past the end of the set");
                    }
                    length = u8(b, p++);
                    if (length == 255) {
                        if (setEnd - p < 2) {
                            throw error(setId, t.id, p, "variable-length field " + i + " runs past the end of the set");
                        }
                        length = u16(b, p);
                        p += 2;
                    }
                }
                if (length > setEnd - p) {
                    throw error(setId, t.id, p, "field " + i + " of " + length + " bytes runs past the end of the set");
                }
                if (r != null && t.elementIds[i] >= 0) {
                    apply(t.elementIds[i], p, length, r);
                }
                p += length;
            }
            if (r != null) {
                finish(r);
            }
            return p;
        }

        void apply(int id, int p, int length, FlowRecord r) {
            switch (id) {
                case SOURCE_IPV4_ADDRESS:
                    if (length == 4) {
                        r.family = FlowRecord.IPV4;
                        r.srcHi = 0;
                        r.srcLo = u32(b, p);
                    }
                    return;
                case DESTINATION_IPV4_ADDRESS:
                    if (length == 4) {
                        r.dstHi = 0;
                        r.dstLo = u32(b, p);
                    }
                    return;
                case SOURCE_IPV6_ADDRESS:
                    if (length == 16) {
                        r.family = FlowRecord.IPV6;
                        r.srcHi = b.getLong(p);
                        r.srcLo = b.getLong(p + 8);
                    }
                    return;
                case DESTINATION_IPV6_ADDRESS:
                    if (length == 16) {
                        r.family = FlowRecord.IPV6;
                        r.dstHi = b.getLong(p);
                        r.dstLo = b.getLong(p + 8);
                    }
                    return;
                case POST_NAT_SOURCE_IPV4_ADDRESS:
                    if (length == 4) {
                        r.nat = true;
                        r.postSrcHi = 0;
                        r.postSrcLo = u32(b, p);
                    }
                    return;
                case POST_NAT_DESTINATION_IPV4_ADDRESS:
                    if (length == 4) {
                        r.nat = true;
                        r.postDstHi = 0;
                        r.postDstLo = u32(b, p);
                    }
                    return;
                case POST_NAT_SOURCE_IPV6_ADDRESS:
                    if (length == 16) {
                        r.nat = true;
                        r.postSrcHi = b.getLong(p);
                        r.postSrcLo = b.getLong(p + 8);
                    }
                    return;
                case POST_NAT_DESTINATION_IPV6_ADDRESS:
                    if (length == 16) {
                        r.nat = true;
                        r.postDstHi = b.getLong(p);
                        r.postDstLo = b.getLong(p + 8);
                    }
                    return;
                default:
                    break;
            }
            // The rest are unsigned integers, which an exporter may send in fewer octets (RFC 7011 §6.2).
            if (length < 1 || length > 8) {
                return;
            }
            long v = unsigned(p, length);
            switch (id) {
                case SOURCE_TRANSPORT_PORT: r.srcPort = (int) (v & 0xffff); break;
                case DESTINATION_TRANSPORT_PORT: r.dstPort = (int) (v & 0xffff); break;
                case POST_NAPT_SOURCE_TRANSPORT_PORT: r.nat = true; r.postSrcPort = (int) (v & 0xffff); break;
                case POST_NAPT_DESTINATION_TRANSPORT_PORT: r.nat = true; r.postDstPort = (int) (v & 0xffff); break;
                case PROTOCOL_IDENTIFIER: r.protocol = (int) (v & 0xff); break;
                case IP_CLASS_OF_SERVICE: r.tos = (int) (v & 0xff); break;
                case TCP_CONTROL_BITS: r.tcpFlags = (int) (v & 0xffff); break;
                case INGRESS_INTERFACE: r.inputIf = (int) v; break;
                case EGRESS_INTERFACE: r.outputIf = (int) v; break;
                case OCTET_DELTA_COUNT: scratch.octets[0] = v; scratch.haveOctets |= 1; break;
                case OCTET_TOTAL_COUNT: scratch.octets[1] = v; scratch.haveOctets |= 2; break;
                case POST_OCTET_DELTA_COUNT: scratch.octets[2] = v; scratch.haveOctets |= 4; break;
                case PACKET_DELTA_COUNT: scratch.packets[0] = v; scratch.havePackets |= 1; break;
                case PACKET_TOTAL_COUNT: scratch.packets[1] = v; scratch.havePackets |= 2; break;
                case POST_PACKET_DELTA_COUNT: scratch.packets[2] = v; scratch.havePackets |= 4; break;
                case FLOW_START_MILLISECONDS: r.startMillis = v; break;
                case FLOW_END_MILLISECONDS: r.endMillis = v; break;
                case FLOW_START_SECONDS: r.startMillis = v * 1000; break;
                case FLOW_END_SECONDS: r.endMillis = v * 1000; break;
                case FLOW_START_MICROSECONDS:
                case FLOW_START_NANOSECONDS:
                    if (length == 8) {
                        r.startMillis = ntpToMillis(v);
                    }
                    break;
                case FLOW_END_MICROSECONDS:
                case FLOW_END_NANOSECONDS:
                    if (length == 8) {
                        r.endMillis = ntpToMillis(v);
                    }
                    break;
                case FLOW_START_DELTA_MICROSECONDS: r.startMillis = exportMillis - (v & 0xffffffffL) / 1000; break;
                case FLOW_END_DELTA_MICROSECONDS: r.endMillis = exportMillis - (v & 0xffffffffL) / 1000; break;
                case FLOW_START_SYS_UP_TIME: scratch.firstUptime = v & 0xffffffffL; scratch.haveUptime |= 1; break;
                case FLOW_END_SYS_UP_TIME: scratch.lastUptime = v & 0xffffffffL; scratch.haveUptime |= 2; break;
                case SYSTEM_INIT_TIME_MILLISECONDS: scratch.initMillis = v; scratch.haveInit = true; break;
                default: break;
            }
        }

        long unsigned(int p, int length) {
            long v = 0;
            for (int i = 0; i < length; i++) {
                v = (v << 8) | u8(b, p + i);
            }
            return v;
        }

        /** Resolves the choices that need the whole record: which counter, and uptime-relative times. */
        void finish(FlowRecord r) {
            // Delta counts are what a one-way record means; totals, then post (egress) counts as fallbacks.
            int o = Integer.numberOfTrailingZeros(scratch.haveOctets);
            if (o < 3) {
                r.bytes = scratch.octets[o];
            }
            int k = Integer.numberOfTrailingZeros(scratch.havePackets);
            if (k < 3) {
                r.packets = scratch.packets[k];
            }
            if (scratch.haveUptime != 0) {
                if (!ipfix) {
                    if ((scratch.haveUptime & 1) != 0) {
                        r.startMillis = uptimeToEpoch(exportMillis, sysUptime, scratch.firstUptime);
                    }
                    if ((scratch.haveUptime & 2) != 0) {
                        r.endMillis = uptimeToEpoch(exportMillis, sysUptime, scratch.lastUptime);
                    }
                } else if (scratch.haveInit) {
                    // IPFIX sysUpTime elements count from systemInitTimeMilliseconds (no header uptime).
                    if ((scratch.haveUptime & 1) != 0) {
                        r.startMillis = scratch.initMillis + scratch.firstUptime;
                    }
                    if ((scratch.haveUptime & 2) != 0) {
                        r.endMillis = scratch.initMillis + scratch.lastUptime;
                    }
                }
            }
        }
    }

    /** Per-record values whose meaning depends on the other fields of the record. */
    private static final class RecordScratch {
        final long[] octets = new long[3];
        final long[] packets = new long[3];
        int haveOctets;
        int havePackets;
        int haveUptime;
        long firstUptime;
        long lastUptime;
        boolean haveInit;
        long initMillis;

        void clear() {
            haveOctets = havePackets = haveUptime = 0;
            haveInit = false;
        }
    }

    /** NTP 64-bit timestamp (seconds since 1900 . 2^-32 fractions) to Unix milliseconds. */
    static long ntpToMillis(long ntp) {
        long secs = (ntp >>> 32) - NTP_UNIX_OFFSET;
        long frac = ntp & 0xffffffffL;
        return secs * 1000 + ((frac * 1000) >>> 32);
    }

    private static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    private static int u16(ByteBuffer b, int i) {
        return b.getShort(i) & 0xffff;
    }

    private static long u32(ByteBuffer b, int i) {
        return b.getInt(i) & 0xffffffffL;
    }
}
