package net.pflowd.decode;

/**
 * Export datagrams captured from a real exporter, beside the hand-written {@link GoldenVectors}: softflowd 1.1.0
 * (Debian 12 package softflowd 1.1.0-1+b1; softflowd is free software under a BSD-style licence, by Damien Miller
 * and its contributors). Only its output is kept here, as data: no code of it.
 *
 * <p>How they were made (2026-11-30, in a network namespace of their own, on loopback): tcpdump captured a short
 * exchange on lo (a TCP connection 127.0.0.1:40492 → :7000 carrying 1000 bytes one way and 500 back, UDP
 * 127.0.0.1:40053 → :7001 100 bytes and 200 back, UDP [::1]:40054 → [::1]:7002 200 bytes answered by an ICMPv6
 * port unreachable, two ICMP echoes to 127.0.0.1 and one to ::1); {@code softflowd -r that.pcap -n
 * 127.0.0.1:2055 -v 5|9|10 -6 -d}, then {@code softflowctl expire-all}, exported each version's flows in one
 * datagram, captured by {@code tcpdump -i lo udp port 2055}; these are the UDP payloads. softflowd reads the file
 * after the fact, so every flow started before the exporter's uptime began: FIRST and LAST are sysUptime values
 * that wrapped below zero (tshark shows them as about 4294959 s), the real-world case of uptime arithmetic modulo
 * 2^32. Its v9 header's record count (10) is smaller than what the datagram holds (templates, an options record
 * and 10 data records), so tshark stops dissecting after the sixth data record; pflowd's decoder reads every
 * set to the datagram's end. Its IPFIX records time flows with FIRST_SWITCHED and LAST_SWITCHED (elements 22
 * and 21, relative to a systemInitTimeMilliseconds that softflowd sends in an options record), and its v9 and
 * IPFIX ICMP records carry the type and code in elements 32, 178 and 179 rather than in the destination port.
 */
final class ExporterCaptures {
    private ExporterCaptures() {
    }

    /** softflowd NetFlow v5: 6 IPv4 records (v5 has no IPv6), 312 bytes. */
    static final String SOFTFLOWD_V5 = String.join("\n",
            "0005 0006 0000 0a34 6b0d dd68 168c 27e0",
            "0000 0000 0000 0000 7f00 0001 7f00 0001",
            "0000 0000 0000 0000 0000 0001 0000 0080",
            "ffff e1ce ffff e1ce 9c75 1b59 0000 1100",
            "0000 0000 0000 0000 7f00 0001 7f00 0001",
            "0000 0000 0000 0000 0000 0001 0000 00e4",
            "ffff e1ce ffff e1ce 1b59 9c75 0000 1100",
            "0000 0000 0000 0000 7f00 0001 7f00 0001",
            "0000 0000 0000 0000 0000 0002 0000 00a8",
            "ffff e36b ffff e435 0000 0800 0000 0100",
            "0000 0000 0000 0000 7f00 0001 7f00 0001",
            "0000 0000 0000 0000 0000 0002 0000 00a8",
            "ffff e36b ffff e436 0000 0000 0000 0100",
            "0000 0000 0000 0000 7f00 0001 7f00 0001",
            "0000 0000 0000 0000 0000 0005 0000 04f4",
            "ffff e1cc ffff e1ce 9e2c 1b58 001b 0600",
            "0000 0000 0000 0000 7f00 0001 7f00 0001",
            "0000 0000 0000 0000 0000 0005 0000 0300",
            "ffff e1cc ffff e1ce 1b58 9e2c 001b 0600",
            "0000 0000 0000 0000");

    /** softflowd NetFlow v9: templates 1024/1025 (IPv4, IPv6) and 2048/2049 (ICMP), an options template and record, 10 data records; 880 bytes. */
    static final String SOFTFLOWD_V9 = String.join("\n",
            "0009 000a 0000 09fa 6b0d dd6e 0000 0001",
            "0000 0000 0000 0048 0400 0010 0008 0004",
            "000c 0004 0016 0004 0015 0004 0001 0004",
            "0002 0004 000a 0004 000e 0004 003d 0001",
            "0088 0001 0007 0002 000b 0002 0004 0001",
            "0006 0001 003c 0001 0005 0001 0000 0040",
            "0401 000e 0008 0004 000c 0004 0016 0004",
            "0015 0004 0001 0004 0002 0004 000a 0004",
            "000e 0004 003d 0001 0088 0001 0020 0002",
            "0004 0001 003c 0001 0005 0001 0000 0048",
            "0800 0010 001b 0010 001c 0010 0016 0004",
            "0015 0004 0001 0004 0002 0004 000a 0004",
            "000e 0004 003d 0001 0088 0001 0007 0002",
            "000b 0002 0004 0001 0006 0001 003c 0001",
            "0005 0001 0000 0040 0801 000e 001b 0010",
            "001c 0010 0016 0004 0015 0004 0001 0004",
            "0002 0004 000a 0004 000e 0004 003d 0001",
            "0088 0001 008b 0002 0004 0001 003c 0001",
            "0005 0001 0001 001a 0100 0004 000c 0002",
            "0004 0022 0004 0023 0001 0052 0010 0100",
            "001d 0000 0000 0000 0001 0169 6e2e 7063",
            "6170 0000 0000 0000 0000 0004 0000 597f",
            "0000 017f 0000 01ff ffca 74ff ffca 7400",
            "0000 8000 0000 0100 0000 0000 0000 0000",
            "019c 751b 5911 0004 007f 0000 017f 0000",
            "01ff ffca 74ff ffca 7400 0000 e400 0000",
            "0100 0000 0000 0000 0000 011b 599c 7511",
            "0004 0000 0800 0048 0000 0000 0000 0000",
            "0000 0000 0000 0001 0000 0000 0000 0000",
            "0000 0000 0000 0001 ffff ca74 ffff ca74",
            "0000 00f8 0000 0001 0000 0000 0000 0000",
            "0001 9c76 1b5a 1100 0600 0000 0801 0044",
            "0000 0000 0000 0000 0000 0000 0000 0001",
            "0000 0000 0000 0000 0000 0000 0000 0001",
            "ffff ca75 ffff ca75 0000 0128 0000 0001",
            "0000 0000 0000 0000 0001 0104 3a06 0000",
            "0401 0054 7f00 0001 7f00 0001 ffff cc11",
            "ffff ccdc 0000 00a8 0000 0002 0000 0000",
            "0000 0000 0001 0800 0104 007f 0000 017f",
            "0000 01ff ffcc 11ff ffcc dc00 0000 a800",
            "0000 0200 0000 0000 0000 0000 0100 0001",
            "0400 0000 0801 0084 0000 0000 0000 0000",
            "0000 0000 0000 0001 0000 0000 0000 0000",
            "0000 0000 0000 0001 ffff cd0a ffff cd0a",
            "0000 0068 0000 0001 0000 0000 0000 0000",
            "0001 8000 3a06 0000 0000 0000 0000 0000",
            "0000 0000 0000 0100 0000 0000 0000 0000",
            "0000 0000 0000 01ff ffcd 0aff ffcd 0a00",
            "0000 6800 0000 0100 0000 0000 0000 0000",
            "0181 003a 0600 0000 0400 0058 7f00 0001",
            "7f00 0001 ffff ca72 ffff ca74 0000 04f4",
            "0000 0005 0000 0000 0000 0000 0001 9e2c",
            "1b58 061b 0400 7f00 0001 7f00 0001 ffff",
            "ca72 ffff ca74 0000 0300 0000 0005 0000",
            "0000 0000 0000 0001 1b58 9e2c 061b 0400");

    /** softflowd IPFIX: the same templates and options, 10 data records; 896 bytes. */
    static final String SOFTFLOWD_IPFIX = String.join("\n",
            "000a 0380 6b0d dd74 0000 000a 0000 0000",
            "0002 0048 0400 0010 0008 0004 000c 0004",
            "0016 0004 0015 0004 0001 0004 0002 0004",
            "000a 0004 000e 0004 003d 0001 0088 0001",
            "0007 0002 000b 0002 0004 0001 0006 0001",
            "003c 0001 0005 0001 0002 0040 0401 000e",
            "0008 0004 000c 0004 0016 0004 0015 0004",
            "0001 0004 0002 0004 000a 0004 000e 0004",
            "003d 0001 0088 0001 0020 0002 0004 0001",
            "003c 0001 0005 0001 0002 0048 0800 0010",
            "001b 0010 001c 0010 0016 0004 0015 0004",
            "0001 0004 0002 0004 000a 0004 000e 0004",
            "003d 0001 0088 0001 0007 0002 000b 0002",
            "0004 0001 0006 0001 003c 0001 0005 0001",
            "0002 0040 0801 000e 001b 0010 001c 0010",
            "0016 0004 0015 0004 0001 0004 0002 0004",
            "000a 0004 000e 0004 003d 0001 0088 0001",
            "008b 0002 0004 0001 003c 0001 0005 0001",
            "0003 0022 0100 0006 0001 008f 0004 00a0",
            "0008 0131 0004 0132 0004 0130 0002 0052",
            "0010 0100 002a 0000 4bd7 0000 01a2 2e29",
            "0602 0000 0001 0000 0000 0001 696e 2e70",
            "6361 7000 0000 0000 0000 0000 0400 0058",
            "7f00 0001 7f00 0001 ffff b151 ffff b151",
            "0000 0080 0000 0001 0000 0000 0000 0000",
            "0001 9c75 1b59 1100 0400 7f00 0001 7f00",
            "0001 ffff b151 ffff b151 0000 00e4 0000",
            "0001 0000 0000 0000 0000 0001 1b59 9c75",
            "1100 0400 0800 0048 0000 0000 0000 0000",
            "0000 0000 0000 0001 0000 0000 0000 0000",
            "0000 0000 0000 0001 ffff b151 ffff b151",
            "0000 00f8 0000 0001 0000 0000 0000 0000",
            "0001 9c76 1b5a 1100 0600 0000 0801 0044",
            "0000 0000 0000 0000 0000 0000 0000 0001",
            "0000 0000 0000 0000 0000 0000 0000 0001",
            "ffff b151 ffff b151 0000 0128 0000 0001",
            "0000 0000 0000 0000 0001 0104 3a06 0000",
            "0401 0054 7f00 0001 7f00 0001 ffff b2ee",
            "ffff b3b9 0000 00a8 0000 0002 0000 0000",
            "0000 0000 0001 0800 0104 007f 0000 017f",
            "0000 01ff ffb2 eeff ffb3 b900 0000 a800",
            "0000 0200 0000 0000 0000 0000 0100 0001",
            "0400 0000 0801 0084 0000 0000 0000 0000",
            "0000 0000 0000 0001 0000 0000 0000 0000",
            "0000 0000 0000 0001 ffff b3e7 ffff b3e7",
            "0000 0068 0000 0001 0000 0000 0000 0000",
            "0001 8000 3a06 0000 0000 0000 0000 0000",
            "0000 0000 0000 0100 0000 0000 0000 0000",
            "0000 0000 0000 01ff ffb3 e7ff ffb3 e700",
            "0000 6800 0000 0100 0000 0000 0000 0000",
            "0181 003a 0600 0000 0400 0058 7f00 0001",
            "7f00 0001 ffff b14f ffff b151 0000 04f4",
            "0000 0005 0000 0000 0000 0000 0001 9e2c",
            "1b58 061b 0400 7f00 0001 7f00 0001 ffff",
            "b14f ffff b151 0000 0300 0000 0005 0000",
            "0000 0000 0000 0001 1b58 9e2c 061b 0400");

}
