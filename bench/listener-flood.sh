#!/usr/bin/env bash
# The listener under a flood: `bin/pflowd listen` (bin/pflowd's JVM flags, its 256 MB heap limit) on a UDP port in a
# network namespace of its own, and a Python sender flooding it for D seconds with NetFlow v5 datagrams of 30
# records, as fast as it can (more than the listener decodes: the rest is dropped by the socket, which the
# listener reports as sequence gaps). Reports the listener's peak RSS (VmHWM) and its CPU seconds over the flood.
#   [D=30] bench/listener-flood.sh        (root; everything stays in the namespace it creates)
set -euo pipefail
D=${D:-30}
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
ns=lflood-$$
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
"$top/bin/pflowd" --version >/dev/null # builds the jar if needed, outside the measurement
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" "$top/bin/pflowd" listen 127.0.0.1:9999 >/dev/null 2>&1 &
pid=$!
sleep 3 # the JVM up and bound
ticks() { awk '{print $14+$15}' "/proc/$pid/stat"; }
c0=$(ticks)
ip netns exec "$ns" python3 - "$D" <<'PY'
import socket, struct, sys, time
d = float(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
records = b"".join(struct.pack("!4s4s4sHHIIIIHHBBBBHHBBH", socket.inet_aton("10.0.%d.%d" % (i // 250, i % 250 + 1)),
                               socket.inet_aton("192.0.2.1"), b"\0\0\0\0", 1, 2, 3, 1500, 1000, 2000,
                               40000 + i, 443, 0, 0x18, 6, 0, 0, 0, 24, 24, 0) for i in range(30))
seq, sent, end = 0, 0, time.time() + d
while time.time() < end:
    for _ in range(1000):
        now = time.time()
        hdr = struct.pack("!HHIIIIBBH", 5, 30, 123456, int(now), 0, seq, 0, 0, 0)
        s.sendto(hdr + records, ("127.0.0.1", 9999))
        seq += 30
        sent += 1
print("sent %d datagrams (%d records) in %.0f s" % (sent, seq, d))
PY
c1=$(ticks)
echo "listener: $(grep -E 'VmHWM|VmRSS' "/proc/$pid/status" | tr -s ' \t' ' ' | tr '\n' ' ')CPU $(echo "scale=2; ($c1 - $c0) / $(getconf CLK_TCK)" | bc) s"
