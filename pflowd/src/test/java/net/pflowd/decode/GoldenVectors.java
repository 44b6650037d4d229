package net.pflowd.decode;

/**
 * Export datagrams written out by hand from the wire layouts: NetFlow v5 (Cisco's v5 header and record
 * tables), v9 (RFC 3954 §5-6) and IPFIX (RFC 7011 §3), using pflowd's own template layouts where the brief
 * fixes them. Times: unix_secs 0x6B02C0C2 = 2026-11-22T10:15:30Z; sysUptime 0x000F4240 = 1,000,000 ms;
 * FIRST 0x000DBBA0 = 900,000 ms (100 s before export), LAST 0x000F3E58 = 999,000 ms (1 s before export);
 * IPFIX flowStartMilliseconds 0x1A202BF6FAB = 2026-11-22T10:13:50.123Z, flowEnd 0x1A202C0F263 = 10:15:29.123Z.
 * Shared with the listener tests.
 */
public final class GoldenVectors {
    private GoldenVectors() {
    }

    /** v5, 2 records, engine 1/2, flow_sequence 42, unix_nsecs 123 ms. */
    public static final String V5 = String.join("\n",
            "0005 0002 000F4240 6B02C0C2 0754D4C0 0000002A 01 02 0000",   // header (24)
            // src       dst       nexthop  in   out  dPkts    dOctets  first    last     sport dport pad flg pr tos srcas dstas masks pad2
            "0A000001 0A000002 00000000 0003 0004 00000005 00000190 000DBBA0 000F3E58 9C40 0050 00 1B 06 10 0000 0000 00 00 0000",
            "0A000002 0A000001 00000000 0004 0003 00000004 00002328 000DBBA0 000F3E58 0050 9C40 00 12 06 00 0000 0000 00 00 0000");

    /** v9 template flowset for template 256 (46-byte records). */
    public static final String V9_TEMPLATE_256 = String.join("\n",
            "0000 0038 0100 000C",                                        // flowset 0, length 56; template 256, 12 fields
            "0008 0004 000C 0004 000A 0004 000E 0004",                    // src, dst, input, output
            "0002 0008 0001 0008 0016 0004 0015 0004",                    // IN_PKTS, IN_BYTES, FIRST_SWITCHED, LAST_SWITCHED
            "0007 0002 000B 0002 0005 0001 0004 0001");                   // sport, dport, tos, proto

    /** v9: template 256 + one data record padded to 52 bytes; package_sequence 7, source id 1. */
    public static final String V9 = String.join("\n",
            "0009 0002 000F4240 6B02C0C2 00000007 00000001",             // header (20)
            V9_TEMPLATE_256,
            "0100 0034",                                                  // data flowset 256, length 52
            "0A000001 0A000002 00000003 00000004 0000000000000005 0000000000000190 000DBBA0 000F3E58 9C40 0050 10 06",
            "0000");                                                      // padding

    /** IPFIX template set 2 with template 256 (54-byte records). */
    public static final String IPFIX_TEMPLATE_256 = String.join("\n",
            "0002 0038 0100 000C",
            "0008 0004 000C 0004 000A 0004 000E 0004",
            "0002 0008 0001 0008 0098 0008 0099 0008",
            "0007 0002 000B 0002 0005 0001 0004 0001");

    /** IPFIX: template 256 + two data records; sequence 60, domain 42. Length 184. */
    public static final String IPFIX = String.join("\n",
            "000A 00B8 6B02C0C2 0000003C 0000002A",                       // header (16)
            IPFIX_TEMPLATE_256,
            "0100 0070",                                                  // data set 256, length 112
            "0A000001 0A000002 00000003 00000004 0000000000000005 0000000000000190",
            "000001A202BF6FAB 000001A202C0F263 9C40 0050 10 06",
            "0A000002 0A000001 00000004 00000003 0000000000000004 0000000000002328",
            "000001A202BF6FAB 000001A202C0F263 0050 9C40 00 06");

    /** IPFIX IPv6: template 257 + one record padded to 84 bytes; sequence 62, domain 42. Length 156. */
    public static final String IPFIX_V6 = String.join("\n",
            "000A 009C 6B02C0C2 0000003E 0000002A",
            "0002 0038 0101 000C",
            "001B 0010 001C 0010 000A 0004 000E 0004",
            "0002 0008 0001 0008 0098 0008 0099 0008",
            "0007 0002 000B 0002 0005 0001 0004 0001",
            "0101 0054",                                                  // data set 257, length 84
            "20010DB8000000000000000000000001 20010DB8000000000000000000000002",
            "00000001 00000002 0000000000000003 000000000000012C",
            "000001A202BF6FAB 000001A202C0F263 C350 01BB 00 11",
            "0000");                                                      // padding

    /**
     * IPFIX NAT: templates 258 (IPv4, 66-byte records) and 259 (IPv6, 114-byte records) in one set, then one
     * record of each, each padded by 2. Sequence 100, domain 7. Length 348.
     */
    public static final String IPFIX_NAT = String.join("\n",
            "000A 015C 6B02C0C2 00000064 00000007",
            "0002 008C",                                                  // template set, length 140
            "0102 0010",                                                  // 258: 16 fields
            "0008 0004 000C 0004 000A 0004 000E 0004 0002 0008 0001 0008 0098 0008 0099 0008",
            "0007 0002 000B 0002 0005 0001 0004 0001 00E1 0004 00E2 0004 00E3 0002 00E4 0002",
            "0103 0010",                                                  // 259: 16 fields
            "001B 0010 001C 0010 000A 0004 000E 0004 0002 0008 0001 0008 0098 0008 0099 0008",
            "0007 0002 000B 0002 0005 0001 0004 0001 0119 0010 011A 0010 00E3 0002 00E4 0002",
            "0102 0048",                                                  // data set 258, length 72
            "0A000001 C6336407 00000001 00000002 0000000000000006 00000000000001F4",
            "000001A202BF6FAB 000001A202C0F263 9C40 0050 00 06",
            "CB007105 C6336407 EE48 0050",                               // post: 203.0.113.5:61000 > 198.51.100.7:80
            "0000",
            "0103 0078",                                                  // data set 259, length 120
            "FD000000000000000000000000000001 20010DB8000000000000000000000007",
            "00000001 00000002 0000000000000002 0000000000000078",
            "000001A202BF6FAB 000001A202C0F263 D431 0035 00 11",
            "20010DB8FFFF00000000000000000005 20010DB8000000000000000000000007 EE49 0035",
            "0000");

    /**
     * IPFIX template 300 with reduced-size integers (ports 2, proto 1, packets 2, octets 4, ingress 1,
     * egress 2), interfaceName (82) variable-length, an enterprise-specific variable-length element
     * (0x8001, enterprise 29305), then flowStart/EndMilliseconds. Record 1 uses the 1-octet length form,
     * record 2 the 255 + 2-octet form; 1 byte of padding. Sequence 5, domain 3. Length 176.
     */
    public static final String IPFIX_REDUCED_VARLEN = String.join("\n",
            "000A 00B0 6B02C0C2 00000005 00000003",
            "0002 0040 012C 000D",                                        // template set, length 64; 300, 13 fields
            "0008 0004 000C 0004 0007 0002 000B 0002 0004 0001 0002 0002 0001 0004",
            "000A 0001 000E 0002 0052 FFFF 8001 FFFF 00007279 0098 0008 0099 0008",
            "012C 0060",                                                  // data set 300, length 96
            "0A000001 0A000002 9C40 0050 06 0005 00000190 03 0004",
            "04 65746830 00",                                             // "eth0"; empty enterprise field
            "000001A202BF6FAB 000001A202C0F263",
            "0A000002 0A000001 0050 9C40 06 0004 00002328 04 0003",
            "02 6C6F FF 0003 AABBCC",                                     // "lo"; 3 bytes in the long form
            "000001A202BF6FAB 000001A202C0F263",
            "00");                                                        // padding
}
