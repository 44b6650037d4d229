package net.pflowd.source.conntrack;

/**
 * DESTROY events of connections that ended on their own, as the kernel (Linux 6.18, x86-64) sent them to a
 * listener on NFNLGRP_CONNTRACK_DESTROY, with the time of each connection's last packet from tcpdump on the
 * router's client-side interface.
 *
 * <p>Captured once on a router namespace between a client (10.79.1.1, 10.79.1.2, fd79:1::1) and a server
 * (10.79.2.1, fd79:2::1) that masquerades 10.79.1.2 behind 10.79.2.254, with nf_conntrack_acct, _timestamp and
 * _events on and short timeouts: icmp 3, icmpv6 3, udp 3, udp_timeout_stream 5, tcp_timeout_time_wait 3,
 * tcp_timeout_close 2, generic 4 (see {@link #timeouts()}). Every entry but {@link #UDP4_DELETED} expired: the kernel left
 * CTA_TIMEOUT out (ctnetlink_dump_timeout skips a zero in events) and moved CTA_TIMESTAMP_STOP back to the
 * moment the timeout ran out, although the garbage collector removed the entries 0.5 to 8.8 s later. Attribute
 * 27 is CTA_TIMESTAMP_EVENT (the removal), which pflowd does not read.
 */
final class ExpiredEvents {
    private ExpiredEvents() {
    }

    /** The router's timeouts during the capture. */
    static ProtocolTimeouts timeouts() {
        ProtocolTimeouts t = new ProtocolTimeouts();
        t.icmp = 3;
        t.icmpv6 = 3;
        t.udp = 3;
        t.udpStream = 5;
        t.tcp[7] = 3; // TIME_WAIT
        t.tcp[8] = 2; // CLOSE
        t.generic = 4;
        return t;
    }

    /** TCP 10.79.1.2:50093 > 10.79.2.1:7000 masqueraded to 10.79.2.254, closed with FIN (TIME_WAIT, 3 s); last packet (the final ACK) at 1796061318.729336. */
    static final String TCP4_NAT_TIME_WAIT = ""
            + "fc000000020100000000000000000000" // nlmsghdr: len 252 type 0x0102 flags 0x0 seq 0 pid 0
            + "02000000" // nfgenmsg: family 2 version 0 res_id 0
            + "34000180" // CTA_TUPLE_ORIG len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0102" //     CTA_IP_V4_SRC = 10.79.1.2 (len 8)
            + "080002000a4f0201" //     CTA_IP_V4_DST = 10.79.2.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010006000000" //     CTA_PROTO_NUM = 6 (len 5)
            + "06000200c3ad0000" //     CTA_PROTO_SRC_PORT = 50093 (len 6)
            + "060003001b580000" //     CTA_PROTO_DST_PORT = 7000 (len 6)
            + "34000280" // CTA_TUPLE_REPLY len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0201" //     CTA_IP_V4_SRC = 10.79.2.1 (len 8)
            + "080002000a4f02fe" //     CTA_IP_V4_DST = 10.79.2.254 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010006000000" //     CTA_PROTO_NUM = 6 (len 5)
            + "060002001b580000" //     CTA_PROTO_SRC_PORT = 7000 (len 6)
            + "06000300c3ad0000" //     CTA_PROTO_DST_PORT = 50093 (len 6)
            + "08000c00039bfb02" // CTA_ID = 60553986 (len 8)
            + "080003000000039e" // CTA_STATUS = 926 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000005" //   CTA_COUNTERS_PACKETS = 5 (len 12)
            + "0c0002000000000000000112" //   CTA_COUNTERS_BYTES = 274 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000005" //   CTA_COUNTERS_PACKETS = 5 (len 12)
            + "0c0002000000000000000112" //   CTA_COUNTERS_BYTES = 274 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece440a5b542ec" //   CTA_TIMESTAMP_START = 1796061317723144940 (len 12)
            + "0c00020018ece44194848dfb" //   CTA_TIMESTAMP_STOP = 1796061321729707515 (len 12)
            + "10000480" // CTA_PROTOINFO len 16 NESTED
            + "0c000180" //   CTA_PROTOINFO_TCP len 12 NESTED
            + "0500010007000000" //     CTA_PROTOINFO_TCP_STATE = 7 (len 5)
            + "0c001b0018ece44328a32773" // CTA_TIMESTAMP_EVENT = 1796061328509708147 (len 12)
            ;

    /** TCP 10.79.1.1:54145 > 10.79.2.1:7000 closed with FIN (TIME_WAIT, 3 s); last packet at 1796061316.721333. */
    static final String TCP4_TIME_WAIT = ""
            + "fc000000020100000000000000000000" // nlmsghdr: len 252 type 0x0102 flags 0x0 seq 0 pid 0
            + "02000000" // nfgenmsg: family 2 version 0 res_id 0
            + "34000180" // CTA_TUPLE_ORIG len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0101" //     CTA_IP_V4_SRC = 10.79.1.1 (len 8)
            + "080002000a4f0201" //     CTA_IP_V4_DST = 10.79.2.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010006000000" //     CTA_PROTO_NUM = 6 (len 5)
            + "06000200d3810000" //     CTA_PROTO_SRC_PORT = 54145 (len 6)
            + "060003001b580000" //     CTA_PROTO_DST_PORT = 7000 (len 6)
            + "34000280" // CTA_TUPLE_REPLY len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0201" //     CTA_IP_V4_SRC = 10.79.2.1 (len 8)
            + "080002000a4f0101" //     CTA_IP_V4_DST = 10.79.1.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010006000000" //     CTA_PROTO_NUM = 6 (len 5)
            + "060002001b580000" //     CTA_PROTO_SRC_PORT = 7000 (len 6)
            + "06000300d3810000" //     CTA_PROTO_DST_PORT = 54145 (len 6)
            + "08000c000adae087" // CTA_ID = 182116487 (len 8)
            + "080003000000038e" // CTA_STATUS = 910 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000005" //   CTA_COUNTERS_PACKETS = 5 (len 12)
            + "0c0002000000000000000111" //   CTA_COUNTERS_BYTES = 273 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000005" //   CTA_COUNTERS_PACKETS = 5 (len 12)
            + "0c0002000000000000000111" //   CTA_COUNTERS_BYTES = 273 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece4402d63a61a" //   CTA_TIMESTAMP_START = 1796061315704530458 (len 12)
            + "0c00020018ece4411cd89a98" //   CTA_TIMESTAMP_STOP = 1796061319721949848 (len 12)
            + "10000480" // CTA_PROTOINFO len 16 NESTED
            + "0c000180" //   CTA_PROTOINFO_TCP len 12 NESTED
            + "0500010007000000" //     CTA_PROTOINFO_TCP_STATE = 7 (len 5)
            + "0c001b0018ece44328a6d7c9" // CTA_TIMESTAMP_EVENT = 1796061328509949897 (len 12)
            ;

    /** UDP 10.79.1.1:50493 > 10.79.2.1:7001, four exchanges 1 s apart (ASSURED: stream timeout, 5 s); last packet at 1796061322.840474. */
    static final String UDP4_STREAM = ""
            + "ec000000020100000000000000000000" // nlmsghdr: len 236 type 0x0102 flags 0x0 seq 0 pid 0
            + "02000000" // nfgenmsg: family 2 version 0 res_id 0
            + "34000180" // CTA_TUPLE_ORIG len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0101" //     CTA_IP_V4_SRC = 10.79.1.1 (len 8)
            + "080002000a4f0201" //     CTA_IP_V4_DST = 10.79.2.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010011000000" //     CTA_PROTO_NUM = 17 (len 5)
            + "06000200c53d0000" //     CTA_PROTO_SRC_PORT = 50493 (len 6)
            + "060003001b590000" //     CTA_PROTO_DST_PORT = 7001 (len 6)
            + "34000280" // CTA_TUPLE_REPLY len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0201" //     CTA_IP_V4_SRC = 10.79.2.1 (len 8)
            + "080002000a4f0101" //     CTA_IP_V4_DST = 10.79.1.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010011000000" //     CTA_PROTO_NUM = 17 (len 5)
            + "060002001b590000" //     CTA_PROTO_SRC_PORT = 7001 (len 6)
            + "06000300c53d0000" //     CTA_PROTO_DST_PORT = 50493 (len 6)
            + "08000c00ebaf960e" // CTA_ID = 3954152974 (len 8)
            + "080003000000038e" // CTA_STATUS = 910 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000004" //   CTA_COUNTERS_PACKETS = 4 (len 12)
            + "0c0002000000000000000110" //   CTA_COUNTERS_BYTES = 272 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000004" //   CTA_COUNTERS_PACKETS = 4 (len 12)
            + "0c00020000000000000001b0" //   CTA_COUNTERS_BYTES = 432 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece4411d71ccdc" //   CTA_TIMESTAMP_START = 1796061319731989724 (len 12)
            + "0c00020018ece44300d96774" //   CTA_TIMESTAMP_STOP = 1796061327842174836 (len 12)
            + "0c001b0018ece44328aa46b1" // CTA_TIMESTAMP_EVENT = 1796061328510174897 (len 12)
            ;

    /** UDP fd79:1::1:51059 > fd79:2::1:7001, one request and its answer (udp timeout, 3 s); last packet at 1796061323.849535. */
    static final String UDP6_ONE_SHOT = ""
            + "1c010000020100000000000000000000" // nlmsghdr: len 284 type 0x0102 flags 0x0 seq 0 pid 0
            + "0a000000" // nfgenmsg: family 10 version 0 res_id 0
            + "4c000180" // CTA_TUPLE_ORIG len 76 NESTED
            + "2c000180" //   CTA_TUPLE_IP len 44 NESTED
            + "14000300fd790001000000000000000000000001" //     CTA_IP_V6_SRC = fd79:1::1 (len 20)
            + "14000400fd790002000000000000000000000001" //     CTA_IP_V6_DST = fd79:2::1 (len 20)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010011000000" //     CTA_PROTO_NUM = 17 (len 5)
            + "06000200c7730000" //     CTA_PROTO_SRC_PORT = 51059 (len 6)
            + "060003001b590000" //     CTA_PROTO_DST_PORT = 7001 (len 6)
            + "4c000280" // CTA_TUPLE_REPLY len 76 NESTED
            + "2c000180" //   CTA_TUPLE_IP len 44 NESTED
            + "14000300fd790002000000000000000000000001" //     CTA_IP_V6_SRC = fd79:2::1 (len 20)
            + "14000400fd790001000000000000000000000001" //     CTA_IP_V6_DST = fd79:1::1 (len 20)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010011000000" //     CTA_PROTO_NUM = 17 (len 5)
            + "060002001b590000" //     CTA_PROTO_SRC_PORT = 7001 (len 6)
            + "06000300c7730000" //     CTA_PROTO_DST_PORT = 51059 (len 6)
            + "08000c001fd4b15e" // CTA_ID = 534032734 (len 8)
            + "080003000000020a" // CTA_STATUS = 522 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000001" //   CTA_COUNTERS_PACKETS = 1 (len 12)
            + "0c0002000000000000000062" //   CTA_COUNTERS_BYTES = 98 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000001" //   CTA_COUNTERS_PACKETS = 1 (len 12)
            + "0c0002000000000000000094" //   CTA_COUNTERS_BYTES = 148 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece44212dd3f45" //   CTA_TIMESTAMP_START = 1796061323849449285 (len 12)
            + "0c00020018ece442c5c05a42" //   CTA_TIMESTAMP_STOP = 1796061326850677314 (len 12)
            + "0c001b0018ece44328b1f16a" // CTA_TIMESTAMP_EVENT = 1796061328510677354 (len 12)
            ;

    /** TCP 10.79.1.1:54883 > 10.79.2.1:7000 reset by the server (CLOSE, 2 s); last packet (the RST) at 1796061317.722821. */
    static final String TCP4_RESET = ""
            + "fc000000020100000000000000000000" // nlmsghdr: len 252 type 0x0102 flags 0x0 seq 0 pid 0
            + "02000000" // nfgenmsg: family 2 version 0 res_id 0
            + "34000180" // CTA_TUPLE_ORIG len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0101" //     CTA_IP_V4_SRC = 10.79.1.1 (len 8)
            + "080002000a4f0201" //     CTA_IP_V4_DST = 10.79.2.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010006000000" //     CTA_PROTO_NUM = 6 (len 5)
            + "06000200d6630000" //     CTA_PROTO_SRC_PORT = 54883 (len 6)
            + "060003001b580000" //     CTA_PROTO_DST_PORT = 7000 (len 6)
            + "34000280" // CTA_TUPLE_REPLY len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0201" //     CTA_IP_V4_SRC = 10.79.2.1 (len 8)
            + "080002000a4f0101" //     CTA_IP_V4_DST = 10.79.1.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010006000000" //     CTA_PROTO_NUM = 6 (len 5)
            + "060002001b580000" //     CTA_PROTO_SRC_PORT = 7000 (len 6)
            + "06000300d6630000" //     CTA_PROTO_DST_PORT = 54883 (len 6)
            + "08000c00b766e9c9" // CTA_ID = 3076975049 (len 8)
            + "080003000000038e" // CTA_STATUS = 910 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000003" //   CTA_COUNTERS_PACKETS = 3 (len 12)
            + "0c00020000000000000000a7" //   CTA_COUNTERS_BYTES = 167 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000003" //   CTA_COUNTERS_PACKETS = 3 (len 12)
            + "0c00020000000000000000a4" //   CTA_COUNTERS_BYTES = 164 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece4406a01c0ac" //   CTA_TIMESTAMP_START = 1796061316721524908 (len 12)
            + "0c00020018ece4411ce40292" //   CTA_TIMESTAMP_STOP = 1796061319722697362 (len 12)
            + "10000480" // CTA_PROTOINFO len 16 NESTED
            + "0c000180" //   CTA_PROTOINFO_TCP len 12 NESTED
            + "0500010008000000" //     CTA_PROTOINFO_TCP_STATE = 8 (len 5)
            + "0c001b0018ece44328b23fba" // CTA_TIMESTAMP_EVENT = 1796061328510697402 (len 12)
            ;

    /** UDP 10.79.1.1:35697 > 10.79.2.1:7001, one request and its answer (3 s); last packet at 1796061319.731614. */
    static final String UDP4_ONE_SHOT = ""
            + "ec000000020100000000000000000000" // nlmsghdr: len 236 type 0x0102 flags 0x0 seq 0 pid 0
            + "02000000" // nfgenmsg: family 2 version 0 res_id 0
            + "34000180" // CTA_TUPLE_ORIG len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0101" //     CTA_IP_V4_SRC = 10.79.1.1 (len 8)
            + "080002000a4f0201" //     CTA_IP_V4_DST = 10.79.2.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010011000000" //     CTA_PROTO_NUM = 17 (len 5)
            + "060002008b710000" //     CTA_PROTO_SRC_PORT = 35697 (len 6)
            + "060003001b590000" //     CTA_PROTO_DST_PORT = 7001 (len 6)
            + "34000280" // CTA_TUPLE_REPLY len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0201" //     CTA_IP_V4_SRC = 10.79.2.1 (len 8)
            + "080002000a4f0101" //     CTA_IP_V4_DST = 10.79.1.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010011000000" //     CTA_PROTO_NUM = 17 (len 5)
            + "060002001b590000" //     CTA_PROTO_SRC_PORT = 7001 (len 6)
            + "060003008b710000" //     CTA_PROTO_DST_PORT = 35697 (len 6)
            + "08000c00a7b435c3" // CTA_ID = 2813605315 (len 8)
            + "080003000000038a" // CTA_STATUS = 906 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000001" //   CTA_COUNTERS_PACKETS = 1 (len 12)
            + "0c0002000000000000000044" //   CTA_COUNTERS_BYTES = 68 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000001" //   CTA_COUNTERS_PACKETS = 1 (len 12)
            + "0c000200000000000000006c" //   CTA_COUNTERS_BYTES = 108 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece4411d675f7a" //   CTA_TIMESTAMP_START = 1796061319731306362 (len 12)
            + "0c00020018ece441d06be8ff" //   CTA_TIMESTAMP_STOP = 1796061322734725375 (len 12)
            + "0c001b0018ece44328b2ad1e" // CTA_TIMESTAMP_EVENT = 1796061328510725406 (len 12)
            ;

    /** UDP 10.79.1.2:51400 > 10.79.2.1:7001 masqueraded to 10.79.2.254 (3 s); last packet at 1796061323.849107. */
    static final String UDP4_NAT_ONE_SHOT = ""
            + "ec000000020100000000000000000000" // nlmsghdr: len 236 type 0x0102 flags 0x0 seq 0 pid 0
            + "02000000" // nfgenmsg: family 2 version 0 res_id 0
            + "34000180" // CTA_TUPLE_ORIG len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0102" //     CTA_IP_V4_SRC = 10.79.1.2 (len 8)
            + "080002000a4f0201" //     CTA_IP_V4_DST = 10.79.2.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010011000000" //     CTA_PROTO_NUM = 17 (len 5)
            + "06000200c8c80000" //     CTA_PROTO_SRC_PORT = 51400 (len 6)
            + "060003001b590000" //     CTA_PROTO_DST_PORT = 7001 (len 6)
            + "34000280" // CTA_TUPLE_REPLY len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0201" //     CTA_IP_V4_SRC = 10.79.2.1 (len 8)
            + "080002000a4f02fe" //     CTA_IP_V4_DST = 10.79.2.254 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010011000000" //     CTA_PROTO_NUM = 17 (len 5)
            + "060002001b590000" //     CTA_PROTO_SRC_PORT = 7001 (len 6)
            + "06000300c8c80000" //     CTA_PROTO_DST_PORT = 51400 (len 6)
            + "08000c00d8d94796" // CTA_ID = 3638118294 (len 8)
            + "080003000000039a" // CTA_STATUS = 922 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000001" //   CTA_COUNTERS_PACKETS = 1 (len 12)
            + "0c000200000000000000003a" //   CTA_COUNTERS_BYTES = 58 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000001" //   CTA_COUNTERS_PACKETS = 1 (len 12)
            + "0c0002000000000000000058" //   CTA_COUNTERS_BYTES = 88 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece44212ccf229" //   CTA_TIMESTAMP_START = 1796061323848380969 (len 12)
            + "0c00020018ece442c5c2003c" //   CTA_TIMESTAMP_STOP = 1796061326850785340 (len 12)
            + "0c001b0018ece44328b39778" // CTA_TIMESTAMP_EVENT = 1796061328510785400 (len 12)
            ;

    /** TCP fd79:1::1:45381 > fd79:2::1:7000 closed with FIN (TIME_WAIT, 3 s); last packet at 1796061319.731102. */
    static final String TCP6_TIME_WAIT = ""
            + "2c010000020100000000000000000000" // nlmsghdr: len 300 type 0x0102 flags 0x0 seq 0 pid 0
            + "0a000000" // nfgenmsg: family 10 version 0 res_id 0
            + "4c000180" // CTA_TUPLE_ORIG len 76 NESTED
            + "2c000180" //   CTA_TUPLE_IP len 44 NESTED
            + "14000300fd790001000000000000000000000001" //     CTA_IP_V6_SRC = fd79:1::1 (len 20)
            + "14000400fd790002000000000000000000000001" //     CTA_IP_V6_DST = fd79:2::1 (len 20)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010006000000" //     CTA_PROTO_NUM = 6 (len 5)
            + "06000200b1450000" //     CTA_PROTO_SRC_PORT = 45381 (len 6)
            + "060003001b580000" //     CTA_PROTO_DST_PORT = 7000 (len 6)
            + "4c000280" // CTA_TUPLE_REPLY len 76 NESTED
            + "2c000180" //   CTA_TUPLE_IP len 44 NESTED
            + "14000300fd790002000000000000000000000001" //     CTA_IP_V6_SRC = fd79:2::1 (len 20)
            + "14000400fd790001000000000000000000000001" //     CTA_IP_V6_DST = fd79:1::1 (len 20)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010006000000" //     CTA_PROTO_NUM = 6 (len 5)
            + "060002001b580000" //     CTA_PROTO_SRC_PORT = 7000 (len 6)
            + "06000300b1450000" //     CTA_PROTO_DST_PORT = 45381 (len 6)
            + "08000c0033624f71" // CTA_ID = 862080881 (len 8)
            + "080003000000020e" // CTA_STATUS = 526 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000005" //   CTA_COUNTERS_PACKETS = 5 (len 12)
            + "0c0002000000000000000176" //   CTA_COUNTERS_BYTES = 374 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000005" //   CTA_COUNTERS_PACKETS = 5 (len 12)
            + "0c0002000000000000000176" //   CTA_COUNTERS_BYTES = 374 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece440e1b169b4" //   CTA_TIMESTAMP_START = 1796061318729525684 (len 12)
            + "0c00020018ece441d0300fef" //   CTA_TIMESTAMP_STOP = 1796061322730803183 (len 12)
            + "10000480" // CTA_PROTOINFO len 16 NESTED
            + "0c000180" //   CTA_PROTOINFO_TCP len 12 NESTED
            + "0500010007000000" //     CTA_PROTOINFO_TCP_STATE = 7 (len 5)
            + "0c001b0018ece44328b3dd17" // CTA_TIMESTAMP_EVENT = 1796061328510803223 (len 12)
            ;

    /** ping -c 3 -i 0.5 10.79.1.1 > 10.79.2.1 (icmp timeout, 3 s); last packet (the third reply) at 1796061325.007938. */
    static final String ICMP4_ECHO = ""
            + "fc000000020100000000000000000000" // nlmsghdr: len 252 type 0x0102 flags 0x0 seq 0 pid 0
            + "02000000" // nfgenmsg: family 2 version 0 res_id 0
            + "3c000180" // CTA_TUPLE_ORIG len 60 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0101" //     CTA_IP_V4_SRC = 10.79.1.1 (len 8)
            + "080002000a4f0201" //     CTA_IP_V4_DST = 10.79.2.1 (len 8)
            + "24000280" //   CTA_TUPLE_PROTO len 36 NESTED
            + "0500010001000000" //     CTA_PROTO_NUM = 1 (len 5)
            + "0600040042bd0000" //     CTA_PROTO_ICMP_ID = 17085 (len 6)
            + "0500050008000000" //     CTA_PROTO_ICMP_TYPE = 8 (len 5)
            + "0500060000000000" //     CTA_PROTO_ICMP_CODE = 0 (len 5)
            + "3c000280" // CTA_TUPLE_REPLY len 60 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0201" //     CTA_IP_V4_SRC = 10.79.2.1 (len 8)
            + "080002000a4f0101" //     CTA_IP_V4_DST = 10.79.1.1 (len 8)
            + "24000280" //   CTA_TUPLE_PROTO len 36 NESTED
            + "0500010001000000" //     CTA_PROTO_NUM = 1 (len 5)
            + "0600040042bd0000" //     CTA_PROTO_ICMP_ID = 17085 (len 6)
            + "0500050000000000" //     CTA_PROTO_ICMP_TYPE = 0 (len 5)
            + "0500060000000000" //     CTA_PROTO_ICMP_CODE = 0 (len 5)
            + "08000c00f6d42d14" // CTA_ID = 4141100308 (len 8)
            + "080003000000038a" // CTA_STATUS = 906 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000003" //   CTA_COUNTERS_PACKETS = 3 (len 12)
            + "0c00020000000000000000fc" //   CTA_COUNTERS_BYTES = 252 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000003" //   CTA_COUNTERS_PACKETS = 3 (len 12)
            + "0c00020000000000000000fc" //   CTA_COUNTERS_BYTES = 252 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece4421b05710c" //   CTA_TIMESTAMP_START = 1796061323986301196 (len 12)
            + "0c00020018ece4430aea8d35" //   CTA_TIMESTAMP_STOP = 1796061328011070773 (len 12)
            + "0c001b0018ece44328b7f25d" // CTA_TIMESTAMP_EVENT = 1796061328511070813 (len 12)
            ;

    /** UDP 10.79.1.1:40000 > 10.79.2.1:7009, one unanswered datagram, removed by conntrack -D 0.5 s later with 2 s left (CTA_TIMEOUT present); its only packet at 1796061328.013813. */
    static final String UDP4_DELETED = ""
            + "f40000000201000000000000eba7e8ce" // nlmsghdr: len 244 type 0x0102 flags 0x0 seq 0 pid 3471353835
            + "02000000" // nfgenmsg: family 2 version 0 res_id 0
            + "34000180" // CTA_TUPLE_ORIG len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0101" //     CTA_IP_V4_SRC = 10.79.1.1 (len 8)
            + "080002000a4f0201" //     CTA_IP_V4_DST = 10.79.2.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010011000000" //     CTA_PROTO_NUM = 17 (len 5)
            + "060002009c400000" //     CTA_PROTO_SRC_PORT = 40000 (len 6)
            + "060003001b610000" //     CTA_PROTO_DST_PORT = 7009 (len 6)
            + "34000280" // CTA_TUPLE_REPLY len 52 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0201" //     CTA_IP_V4_SRC = 10.79.2.1 (len 8)
            + "080002000a4f0101" //     CTA_IP_V4_DST = 10.79.1.1 (len 8)
            + "1c000280" //   CTA_TUPLE_PROTO len 28 NESTED
            + "0500010011000000" //     CTA_PROTO_NUM = 17 (len 5)
            + "060002001b610000" //     CTA_PROTO_SRC_PORT = 7009 (len 6)
            + "060003009c400000" //     CTA_PROTO_DST_PORT = 40000 (len 6)
            + "08000c0003861579" // CTA_ID = 59118969 (len 8)
            + "0800030000000388" // CTA_STATUS = 904 (len 8)
            + "0800070000000002" // CTA_TIMEOUT = 2 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000001" //   CTA_COUNTERS_PACKETS = 1 (len 12)
            + "0c0002000000000000000026" //   CTA_COUNTERS_BYTES = 38 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000000" //   CTA_COUNTERS_PACKETS = 0 (len 12)
            + "0c0002000000000000000000" //   CTA_COUNTERS_BYTES = 0 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece4430b15f7d7" //   CTA_TIMESTAMP_START = 1796061328013916119 (len 12)
            + "0c00020018ece443295d2c65" //   CTA_TIMESTAMP_STOP = 1796061328521899109 (len 12)
            + "0c001b0018ece443295d2db0" // CTA_TIMESTAMP_EVENT = 1796061328521899440 (len 12)
            ;

    /** ping -6 -c 2 -i 0.5 fd79:1::1 > fd79:2::1 (icmpv6 timeout, 3 s); last packet (the second reply) at 1796061325.579977. */
    static final String ICMP6_ECHO = ""
            + "2c010000020100000000000000000000" // nlmsghdr: len 300 type 0x0102 flags 0x0 seq 0 pid 0
            + "0a000000" // nfgenmsg: family 10 version 0 res_id 0
            + "54000180" // CTA_TUPLE_ORIG len 84 NESTED
            + "2c000180" //   CTA_TUPLE_IP len 44 NESTED
            + "14000300fd790001000000000000000000000001" //     CTA_IP_V6_SRC = fd79:1::1 (len 20)
            + "14000400fd790002000000000000000000000001" //     CTA_IP_V6_DST = fd79:2::1 (len 20)
            + "24000280" //   CTA_TUPLE_PROTO len 36 NESTED
            + "050001003a000000" //     CTA_PROTO_NUM = 58 (len 5)
            + "0600070042db0000" //     CTA_PROTO_ICMPV6_ID = 17115 (len 6)
            + "0500080080000000" //     CTA_PROTO_ICMPV6_TYPE = 128 (len 5)
            + "0500090000000000" //     CTA_PROTO_ICMPV6_CODE = 0 (len 5)
            + "54000280" // CTA_TUPLE_REPLY len 84 NESTED
            + "2c000180" //   CTA_TUPLE_IP len 44 NESTED
            + "14000300fd790002000000000000000000000001" //     CTA_IP_V6_SRC = fd79:2::1 (len 20)
            + "14000400fd790001000000000000000000000001" //     CTA_IP_V6_DST = fd79:1::1 (len 20)
            + "24000280" //   CTA_TUPLE_PROTO len 36 NESTED
            + "050001003a000000" //     CTA_PROTO_NUM = 58 (len 5)
            + "0600070042db0000" //     CTA_PROTO_ICMPV6_ID = 17115 (len 6)
            + "0500080081000000" //     CTA_PROTO_ICMPV6_TYPE = 129 (len 5)
            + "0500090000000000" //     CTA_PROTO_ICMPV6_CODE = 0 (len 5)
            + "08000c005e73fe80" // CTA_ID = 1584660096 (len 8)
            + "080003000000020a" // CTA_STATUS = 522 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000002" //   CTA_COUNTERS_PACKETS = 2 (len 12)
            + "0c00020000000000000000d0" //   CTA_COUNTERS_BYTES = 208 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000002" //   CTA_COUNTERS_PACKETS = 2 (len 12)
            + "0c00020000000000000000d0" //   CTA_COUNTERS_BYTES = 208 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece4425a602d00" //   CTA_TIMESTAMP_START = 1796061325049212160 (len 12)
            + "0c00020018ece4432ce91191" //   CTA_TIMESTAMP_STOP = 1796061328581398929 (len 12)
            + "0c001b0018ece443aa148944" // CTA_TIMESTAMP_EVENT = 1796061330681399620 (len 12)
            ;

    /**
     * IP protocol 253 (experimental; no tracker of its own, so conntrack's generic timeout, 4 s), three datagrams
     * 10.79.1.1 > 10.79.2.1 0.5 s apart, answered by ICMP protocol-unreachable (a separate, related entry); last
     * packet at 1796062157.156468.
     */
    static final String GENERIC253 = ""
            + "cc000000020100000000000000000000" // nlmsghdr: len 204 type 0x0102 flags 0x0 seq 0 pid 0
            + "02000000" // nfgenmsg: family 2 version 0 res_id 0
            + "24000180" // CTA_TUPLE_ORIG len 36 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0101" //     CTA_IP_V4_SRC = 10.79.1.1 (len 8)
            + "080002000a4f0201" //     CTA_IP_V4_DST = 10.79.2.1 (len 8)
            + "0c000280" //   CTA_TUPLE_PROTO len 12 NESTED
            + "05000100fd000000" //     CTA_PROTO_NUM = 253 (len 5)
            + "24000280" // CTA_TUPLE_REPLY len 36 NESTED
            + "14000180" //   CTA_TUPLE_IP len 20 NESTED
            + "080001000a4f0201" //     CTA_IP_V4_SRC = 10.79.2.1 (len 8)
            + "080002000a4f0101" //     CTA_IP_V4_DST = 10.79.1.1 (len 8)
            + "0c000280" //   CTA_TUPLE_PROTO len 12 NESTED
            + "05000100fd000000" //     CTA_PROTO_NUM = 253 (len 5)
            + "08000c00a49a85a5" // CTA_ID = 2761590181 (len 8)
            + "0800030000000388" // CTA_STATUS = 904 (len 8)
            + "1c000980" // CTA_COUNTERS_ORIG len 28 NESTED
            + "0c0001000000000000000003" //   CTA_COUNTERS_PACKETS = 3 (len 12)
            + "0c0002000000000000000078" //   CTA_COUNTERS_BYTES = 120 (len 12)
            + "1c000a80" // CTA_COUNTERS_REPLY len 28 NESTED
            + "0c0001000000000000000000" //   CTA_COUNTERS_PACKETS = 0 (len 12)
            + "0c0002000000000000000000" //   CTA_COUNTERS_BYTES = 0 (len 12)
            + "1c001480" // CTA_TIMESTAMP len 28 NESTED
            + "0c00010018ece503db8a3aee" //   CTA_TIMESTAMP_START = 1796062156144917230 (len 12)
            + "0c00020018ece505066be2c7" //   CTA_TIMESTAMP_STOP = 1796062161159316167 (len 12)
            + "0c001b0018ece505269ba4a2" // CTA_TIMESTAMP_EVENT = 1796062161699316898 (len 12)
            ;
}
