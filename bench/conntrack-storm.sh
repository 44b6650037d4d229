#!/usr/bin/env bash
# Conntrack storm: N conntrack entries destroyed at once (conntrack -F), read by pflowd's conntrack source
# (into a counting sink) and, in a second namespace, by ulogd2 (NFCT -> IPFIX -> nfcapd on loopback).
# Reports exported, lost, time to drain, CPU seconds per 100k records, peak RSS.
#   [CT_RCVBUF=bytes] [SKIP_ULOGD=1] bench/conntrack-storm.sh [N]          (default 100000; needs root; everything stays in namespaces it creates)
set -euo pipefail
N=${1:-100000}
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
jar="$top/pflowd/target/pflowd-all.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$top/pflowd/src/main" "$top/native-bindings/src/main" -newer "$jar" -print -quit)" ]; then
  (cd "$top" && mvn -B -q -o -DskipTests -pl pflowd -am package) >&2
fi
tag=$$
ns1=ctstorm-pflowd-$tag
ns2=ctstorm-ulogd-$tag
work=$(mktemp -d /tmp/ctstorm.XXXXXX)
driver_pid=; ulogd_pid=; nfcapd_pid=
cleanup() {
  for p in $driver_pid $ulogd_pid $nfcapd_pid; do kill "$p" 2>/dev/null || true; done
  ip netns del "$ns1" 2>/dev/null || true
  ip netns del "$ns2" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A namespace whose conntrack tracks N unreplied UDP entries 127.0.0.1 -> 127.0.0.{1..5}:10000..59999
# (dropped on input, so no ICMP errors and exactly 1 packet / 29 bytes each).
prepare() {
  ip netns add "$1"
  ip netns exec "$1" sh -c '
    ip link set lo up
    sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1 net.netfilter.nf_conntrack_events=1
    nft add table inet storm
    nft add chain inet storm in "{ type filter hook input priority 0; }"
    nft add rule inet storm in ct state new udp dport 10000-59999 drop'
}
fill() {
  ip netns exec "$1" python3 -c "
import socket,sys
n=int(sys.argv[1]); u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
for i in range(n):
  u.sendto(b'b',('127.0.0.%d'%(1+i//50000),10000+i%50000))
" "$2"
  local c; c=$(ip netns exec "$1" conntrack -C)
  if [ "$c" -lt "$2" ]; then echo "only $c of $2 entries (nf_conntrack_max?)" >&2; exit 1; fi
}
[ "$N" -le 250000 ] || { echo "N up to 250000 (nf_conntrack_max 262144; 50000 ports per 127.0.0.x address)" >&2; exit 2; }

echo "== pflowd conntrack source, N=$N"
prepare "$ns1"
# CT_RCVBUF=bytes overrides the source's receive buffer (e.g. 1048576 to watch overruns being recovered).
java -Xmx512m -cp "$jar" net.pflowd.source.conntrack.ConntrackStormDriver "/run/netns/$ns1" "$N" 15 ${CT_RCVBUF:-} \
  > "$work/driver.out" 2> "$work/driver.err" &
driver_pid=$!
for _ in $(seq 300); do grep -q ready "$work/driver.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/driver.out" || { cat "$work/driver.err" >&2; exit 1; }
fill "$ns1" "$N"
t0=$(date +%s.%N)
ip netns exec "$ns1" conntrack -F 2>/dev/null
wait "$driver_pid"; driver_pid=
t1=$(date +%s.%N)
result=$(grep connections= "$work/driver.out")
echo "pflowd: $result"
echo "pflowd: flush to last record $(echo "$t1 - $t0" | bc) s wall (includes the driver's exit)"

[ -z "${SKIP_ULOGD:-}" ] || exit 0
echo "== ulogd2 (NFCT event mode, reliable, IPFIX -> nfcapd 127.0.0.1:4739), N=$N"
prepare "$ns2"
mkdir -p "$work/nfcap"
ip netns exec "$ns2" nfcapd -w "$work/nfcap" -b 127.0.0.1 -p 4739 -B 33554432 -t 3600 >"$work/nfcapd.log" 2>&1 &
nfcapd_pid=$!
cat > "$work/ulogd.conf" <<CONF
[global]
logfile="$work/ulogd.log"
loglevel=5
plugin="/usr/lib/x86_64-linux-gnu/ulogd/ulogd_inpflow_NFCT.so"
plugin="/usr/lib/x86_64-linux-gnu/ulogd/ulogd_output_IPFIX.so"
stack=ct1:NFCT,ipfix1:IPFIX
[ct1]
event_mask=0x00000004
hash_enable=0
reliable=1
netlink_socket_buffer_size=268435456
netlink_socket_buffer_maxsize=1073741824
[ipfix1]
oid=1
host="127.0.0.1"
port=4739
proto="udp"
CONF
ip netns exec "$ns2" ulogd -c "$work/ulogd.conf" >"$work/ulogd.out" 2>&1 &
ulogd_pid=$!
sleep 1
fill "$ns2" "$N"
cpu0=$(awk '{print $14+$15}' /proc/$ulogd_pid/stat)
t0=$(date +%s.%N)
ip netns exec "$ns2" conntrack -F 2>/dev/null
# Drained when ulogd's CPU time stops moving for 2 s.
prev=-1; stable=0
while [ $stable -lt 20 ]; do
  cur=$(awk '{print $14+$15}' /proc/$ulogd_pid/stat)
  if [ "$cur" = "$prev" ]; then stable=$((stable+1)); else stable=0; last=$(date +%s.%N); fi
  prev=$cur; sleep 0.1
done
cpu1=$(awk '{print $14+$15}' /proc/$ulogd_pid/stat)
rss=$(awk '/VmHWM/{printf "%.1f", $2/1024}' /proc/$ulogd_pid/status)
kill "$ulogd_pid"; wait "$ulogd_pid" 2>/dev/null || true; ulogd_pid=
kill "$nfcapd_pid"; wait "$nfcapd_pid" 2>/dev/null || true; nfcapd_pid=
hz=$(getconf CLK_TCK)
# Storm entries only (ulogd's own export flow is tracked too); ulogd keeps its last, partly filled
# IPFIX message unsent at exit, so up to ~30 records of the tail never reach the collector.
flows=$(nfdump -R "$work/nfcap" -q -o 'fmt:%dp %pkt %byt' 2>/dev/null | awk '$1>=10000 && $1<60000 && $2==1 && $3==29' | wc -l)
cpu=$(echo "scale=3; ($cpu1 - $cpu0) / $hz" | bc)
per=$( [ "$flows" -gt 0 ] && echo "scale=3; $cpu * 100000 / $flows" | bc || echo n/a)
echo "ulogd2: records_at_collector=$flows lost=$((N - flows > 0 ? N - flows : 0)) drain_s=$(echo "$last - $t0" | bc)" \
     "cpu_s=$cpu cpu_s_per_100k_records=$per peak_rss_mb=$rss"
grep -iE 'losing|buffer|reliable' "$work/ulogd.log" | sed 's/^/ulogd2 log: /' | head -5 || true
