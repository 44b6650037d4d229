package net.pflowd.wire;

/**
 * The information elements pflowd writes and reads, as numbered by the IANA IPFIX registry (RFC 7012);
 * NetFlow v9 field types 1-127 use the same numbers (RFC 3954 §8). Names are the IPFIX names; the v9 name
 * follows where it differs. The templates ({@link TemplateFields}) and the decoder both take them from here.
 */
public final class InformationElements {
    private InformationElements() {
    }

    public static final int OCTET_DELTA_COUNT = 1;              // v9 IN_BYTES
    public static final int PACKET_DELTA_COUNT = 2;             // v9 IN_PKTS
    public static final int PROTOCOL_IDENTIFIER = 4;
    public static final int IP_CLASS_OF_SERVICE = 5;            // v9 SRC_TOS
    public static final int TCP_CONTROL_BITS = 6;
    public static final int SOURCE_TRANSPORT_PORT = 7;
    public static final int SOURCE_IPV4_ADDRESS = 8;
    public static final int INGRESS_INTERFACE = 10;             // v9 INPUT_SNMP
    public static final int DESTINATION_TRANSPORT_PORT = 11;
    public static final int DESTINATION_IPV4_ADDRESS = 12;
    public static final int EGRESS_INTERFACE = 14;              // v9 OUTPUT_SNMP
    public static final int FLOW_END_SYS_UP_TIME = 21;          // v9 LAST_SWITCHED
    public static final int FLOW_START_SYS_UP_TIME = 22;        // v9 FIRST_SWITCHED
    public static final int POST_OCTET_DELTA_COUNT = 23;        // v9 OUT_BYTES
    public static final int POST_PACKET_DELTA_COUNT = 24;       // v9 OUT_PKTS
    public static final int SOURCE_IPV6_ADDRESS = 27;
    public static final int DESTINATION_IPV6_ADDRESS = 28;
    public static final int OCTET_TOTAL_COUNT = 85;
    public static final int PACKET_TOTAL_COUNT = 86;
    public static final int FLOW_START_SECONDS = 150;
    public static final int FLOW_END_SECONDS = 151;
    public static final int FLOW_START_MILLISECONDS = 152;
    public static final int FLOW_END_MILLISECONDS = 153;
    public static final int FLOW_START_MICROSECONDS = 154;
    public static final int FLOW_END_MICROSECONDS = 155;
    public static final int FLOW_START_NANOSECONDS = 156;
    public static final int FLOW_END_NANOSECONDS = 157;
    public static final int FLOW_START_DELTA_MICROSECONDS = 158;
    public static final int FLOW_END_DELTA_MICROSECONDS = 159;
    public static final int SYSTEM_INIT_TIME_MILLISECONDS = 160;
    public static final int POST_NAT_SOURCE_IPV4_ADDRESS = 225;
    public static final int POST_NAT_DESTINATION_IPV4_ADDRESS = 226;
    public static final int POST_NAPT_SOURCE_TRANSPORT_PORT = 227;
    public static final int POST_NAPT_DESTINATION_TRANSPORT_PORT = 228;
    public static final int POST_NAT_SOURCE_IPV6_ADDRESS = 281;
    public static final int POST_NAT_DESTINATION_IPV6_ADDRESS = 282;
}
