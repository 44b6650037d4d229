package net.pflowd.decode;

/**
 * A (data or options) template as received: field element ids and lengths in record order.
 * Enterprise-specific fields keep id -1 so they are never mistaken for an IANA element.
 */
final class Template {
    /** IPFIX length value announcing a variable-length field (RFC 7011 §7). */
    static final int VARIABLE = 65535;

    final int id;
    final boolean options;
    final boolean ipfix;
    final int[] elementIds;
    final int[] lengths;
    /** True when at least one field is variable-length (IPFIX only). */
    final boolean variable;
    /** Smallest possible record: fixed lengths plus one length octet per variable-length field. */
    final int minRecordLength;

    Template(int id, boolean options, int[] elementIds, int[] lengths, boolean ipfix) {
        this.id = id;
        this.options = options;
        this.ipfix = ipfix;
        this.elementIds = elementIds;
        this.lengths = lengths;
        boolean var = false;
        int min = 0;
        for (int l : lengths) {
            if (ipfix && l == VARIABLE) {
                var = true;
                min += 1;
            } else {
                min += l;
            }
        }
        this.variable = var;
        this.minRecordLength = min;
    }

    boolean isVariable(int field) {
        return ipfix && lengths[field] == VARIABLE;
    }
}
