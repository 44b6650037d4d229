package net.pflowd.testutil;

/**
 * The server end of the conntrack tests' traffic, a Python script for {@code python3 -c}: TCP on port 7000 reads
 * to EOF and answers half as many bytes; UDP on port 7001 answers each datagram with twice as many bytes. Dual
 * stack (one IPv6 socket each, IPv4-mapped addresses accepted). Runs until killed.
 */
public final class EchoServer {
    public static final String SCRIPT = "import socket,threading\n"
            + "s=socket.socket(socket.AF_INET6,socket.SOCK_STREAM); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
            + "s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,0); s.bind(('::',7000)); s.listen(16)\n"
            + "u=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM); u.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,0)\n"
            + "u.bind(('::',7001))\n"
            + "def udp():\n"
            + "  while True:\n"
            + "    d,a=u.recvfrom(65535); u.sendto(b'R'*(2*len(d)),a)\n"
            + "threading.Thread(target=udp,daemon=True).start()\n"
            + "while True:\n"
            + "  c,_=s.accept(); n=0\n"
            + "  while True:\n"
            + "    d=c.recv(65536)\n"
            + "    if not d: break\n"
            + "    n+=len(d)\n"
            + "  c.sendall(b'A'*(n//2)); c.close()\n";

    private EchoServer() {
    }
}
