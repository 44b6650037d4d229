package net.pflowd.decode;

/**
 * A datagram that is not a well-formed NetFlow v5, v9 or IPFIX message. The message names what is wrong
 * and where: version, set (flowset) id, template id and byte offset from the start of the datagram, each
 * where known. A decode that throws leaves the template cache as it was.
 */
public final class DecodeException extends Exception {
    /** Context value meaning "not known at the point of failure". */
    public static final int NONE = -1;

    private final int version;
    private final int setId;
    private final int templateId;
    private final int offset;

    public DecodeException(int version, int setId, int templateId, int offset, String what) {
        super(format(version, setId, templateId, offset, what));
        this.version = version;
        this.setId = setId;
        this.templateId = templateId;
        this.offset = offset;
    }

    public int version() { return version; }
    public int setId() { return setId; }
    public int templateId() { return templateId; }
    public int offset() { return offset; }

    private static String format(int version, int setId, int templateId, int offset, String what) {
        StringBuilder sb = new StringBuilder();
        sb.append(version == NONE ? "unknown version" : version == 10 ? "IPFIX" : "NetFlow v" + version);
        if (setId != NONE) {
            sb.append(version == 10 ? " set " : " flowset ").append(setId);
        }
        if (templateId != NONE) {
            sb.append(" template ").append(templateId);
        }
        if (offset != NONE) {
            sb.append(" at offset ").append(offset);
        }
        return sb.append(": ").append(what).toString();
    }
}
