package net.pflowd.decode;

/**
 * The information element ids the decoder maps onto {@link net.pflowd.flow.FlowRecord}, as numbered by
 * the IANA IPFIX registry (RFC 7012); NetFlow v9 field types 1-127 use the same numbers (RFC 3954 §8).
 * Names are the IPFIX names; the v9 name follows where it differs.
 */
final class Elements {
    private Elements() {
    }

    static final int OCTET_DELTA_COUNT = 1;              // v9 IN_BYTES
    static final int PACKET_DELTA_COUNT = 2;             // v9 IN_PKTS
    static final int PROTOCOL_IDENTIFIER = 4;
    static final int IP_CLASS_OF_SERVICE = 5;            // v9 SRC_TOS
    static final int TCP_CONTROL_BITS = 6;
    static final int SOURCE_TRANSPORT_PORT = 7;
    static final int SOURCE_IPV4_ADDRESS = 8;
    static final int INGRESS_INTERFACE = 10;             // v9 INPUT_SNMP
    static final int DESTINATION_TRANSPORT_PORT = 11;
    static final int DESTINATION_IPV4_ADDRESS = 12;
    static final int EGRESS_INTERFACE = 14;              // v9 OUTPUT_SNMP
    static final int FLOW_END_SYS_UP_TIME = 21;          // v9 LAST_SWITCHED
    static final int FLOW_START_SYS_UP_TIME = 22;        // v9 FIRST_SWITCHED
    static final int POST_OCTET_DELTA_COUNT = 23;        // v9 OUT_BYTES
    static final int POST_PACKET_DELTA_COUNT = 24;       // v9 OUT_PKTS
    static final int SOURCE_IPV6_ADDRESS = 27;
    static final int DESTINATION_IPV6_ADDRESS = 28;
    static final int OCTET_TOTAL_COUNT = 85;
    static final int PACKET_TOTAL_COUNT = 86;
    static final int FLOW_START_SECONDS = 150;
    static final int FLOW_END_SECONDS = 151;
    static final int FLOW_START_MILLISECONDS = 152;
    static final int FLOW_END_MILLISECONDS = 153;
    static final int FLOW_START_MICROSECONDS = 154;
    static final int FLOW_END_MICROSECONDS = 155;
    static final int FLOW_START_NANOSECONDS = 156;
    static final int FLOW_END_NANOSECONDS = 157;
    static final int FLOW_START_DELTA_MICROSECONDS = 158;
    static final int FLOW_END_DELTA_MICROSECONDS = 159;
    static final int SYSTEM_INIT_TIME_MILLISECONDS = 160;
    static final int POST_NAT_SOURCE_IPV4_ADDRESS = 225;
    static final int POST_NAT_DESTINATION_IPV4_ADDRESS = 226;
    static final int POST_NAPT_SOURCE_TRANSPORT_PORT = 227;
    static final int POST_NAPT_DESTINATION_TRANSPORT_PORT = 228;
    static final int POST_NAT_SOURCE_IPV6_ADDRESS = 281;
    static final int POST_NAT_DESTINATION_IPV6_ADDRESS = 282;
}
