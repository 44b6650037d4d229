#!/usr/bin/env bash
# A busy router's conntrack table held by pflowd: N live UDP entries that do not end (timeouts raised in the
# namespace), pflowd (--source conntrack --active-timeout A, bin/pflowd's JVM flags) reading them for D seconds.
# Reports heap per tracked entry (heap used after a full GC, with the entries less before them, and the class
# histogram's top), RSS every 30 s, and the CPU of the reader thread (it does the dumps; no event comes) and of
# the whole process over the run, with the number of dumps it took.
#   [D=600] [A=60] [JAR=path] [PFLOWD_JAVA_OPTS=...] bench/conntrack-table.sh [N]      (root; default N=200000)
# Everything stays in a network namespace it creates. The entries are unreplied UDP datagrams from 127.0.0.1 to
# 127.0.0.{1..6}:10000-59999, dropped on input by an nft rule (the entry is made on output): ~1 s per 50k.
set -euo pipefail
N=${1:-200000}
D=${D:-600}
A=${A:-60}
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
jar=${JAR:-$top/pflowd/target/pflowd-all.jar}
[ -f "$jar" ] || (cd "$top" && mvn -B -q -o -DskipTests -pl pflowd -am package) >&2
[ "$N" -le 300000 ] || { echo "N up to 300000 (6 addresses x 50000 ports)" >&2; exit 2; }
ns=cttable-$$
work=$(mktemp -d /tmp/cttable.XXXXXX)
pid=; sink=
cleanup() {
  for p in $pid $sink; do kill "$p" 2>/dev/null || true; done
  for p in $pid $sink; do wait "$p" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
hz=$(getconf CLK_TCK)
ip netns add "$ns"
ip netns exec "$ns" sh -c '
  ip link set lo up
  sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1 net.netfilter.nf_conntrack_events=1
  sysctl -qw net.netfilter.nf_conntrack_udp_timeout=7200 net.netfilter.nf_conntrack_udp_timeout_stream=7200
  nft add table inet ctdrop
  nft add chain inet ctdrop in "{ type filter hook input priority 0; }"
  nft add rule inet ctdrop in ct state new udp dport 10000-59999 drop'
# A collector that only drains its socket.
ip netns exec "$ns" python3 -c "
import socket
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.setsockopt(socket.SOL_SOCKET,socket.SO_RCVBUF,1<<24)
s.bind(('127.0.0.1',9995))
while True: s.recv(65536)" &
sink=$!
printf 'pflow0 flowdst 127.0.0.1:9995 pflowproto 10\n' >"$work/pflowd.conf"
flags="-XX:+UseSerialGC -Xms8m -Xmx256m -XX:MaxNewSize=8m -Xss256k -XX:MaxMetaspaceSize=48m
  -XX:ReservedCodeCacheSize=24m -XX:TieredStopAtLevel=1 -XX:-UsePerfData"
# shellcheck disable=SC2086
ip netns exec "$ns" java $flags -Dpflowd.log.level=debug ${PFLOWD_JAVA_OPTS:-} -jar "$jar" --config "$work/pflowd.conf" \
  --state-dir "$work/state" --socket "$work/pflowd.sock" --active-timeout "$A" >"$work/pflowd.log" 2>&1 &
pid=$!
python3 "$top/bench/ctl.py" "$work/pflowd.sock" wait-running pflow0 120 >/dev/null
sleep 5
heap_used() { # KiB of heap in use after a full GC
  jcmd "$pid" GC.run >/dev/null
  jcmd "$pid" GC.heap_info | awk '/used/ && /total/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K","",v); s+=v}} END {print s}'
}
reader() { # ticks of the conntrack reader thread, user+system
  for t in /proc/"$pid"/task/*; do
    if [ "$(cat "$t/comm")" = conntrack-event ] || [ "$(cat "$t/comm")" = conntrack-events ]; then
      sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}'; return; fi
  done
}
proc_ticks() { awk '{print $14+$15}' "/proc/$pid/stat"; }
rss() { awk '/VmRSS/{printf "%.1f", $2/1024}' "/proc/$pid/status"; }
h0=$(heap_used)
echo "pflowd $jar, --active-timeout $A, N=$N, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "heap used after full GC, no entries: $h0 KiB; RSS $(rss) MiB"
t0=$(date +%s)
ip netns exec "$ns" python3 -c "
import socket,sys
n=int(sys.argv[1]); u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
for i in range(n):
  u.sendto(b'b',('127.0.0.%d'%(1+i//50000),10000+i%50000))
" "$N"
echo "filled $N entries in $(( $(date +%s) - t0 )) s: conntrack -C $(ip netns exec "$ns" conntrack -C)"
# The table knows the entries after its first dump (at most A/2 s away); then the run is measured.
sleep $(( A / 2 + 5 ))
c0=$(reader); p0=$(proc_ticks); s0=$(date +%s.%N)
grep -o 'conntrack dump ([A-Z]*)' "$work/pflowd.log" > "$work/dumps0" || true
printf '%6s %9s %10s %12s\n' t_s rss_mib reader_s process_s
for ((t = 30; t <= D; t += 30)); do
  sleep 30
  printf '%6d %9s %10.2f %12.2f\n' "$t" "$(rss)" "$(echo "($(reader) - $c0) / $hz" | bc -l)" \
    "$(echo "($(proc_ticks) - $p0) / $hz" | bc -l)"
done
c1=$(reader); p1=$(proc_ticks); s1=$(date +%s.%N)
wall=$(echo "$s1 - $s0" | bc -l)
echo "reader thread: $(echo "($c1 - $c0) / $hz" | bc -l | xargs printf '%.2f') s CPU in $(printf '%.0f' "$wall") s" \
  "= $(echo "100 * ($c1 - $c0) / $hz / $wall" | bc -l | xargs printf '%.2f') % of a core;" \
  "process $(echo "100 * ($p1 - $p0) / $hz / $wall" | bc -l | xargs printf '%.2f') %"
grep -o 'conntrack dump ([A-Z]*)' "$work/pflowd.log" | tail -n +$(( $(wc -l < "$work/dumps0") + 1 )) | sort | uniq -c \
  | awk -v w="$wall" '{printf "dumps during the run: %d %s (one per %.1f s)\n", $1, $4, w / $1}'
h1=$(heap_used)
echo "heap used after full GC, $N entries: $h1 KiB => $(( (h1 - h0) * 1024 / N )) bytes per entry; RSS $(rss) MiB," \
  "peak $(awk '/VmHWM/{printf "%.1f", $2/1024}' "/proc/$pid/status") MiB"
jcmd "$pid" GC.class_histogram | head -12
ip netns exec "$ns" conntrack -C
python3 - "$work/pflowd.sock" <<'PY'
import json,socket,sys
s=socket.socket(socket.AF_UNIX,socket.SOCK_STREAM); s.connect(sys.argv[1])
s.sendall(b'{"op":"status","args":["pflow0"]}\n'); buf=b""
while not buf.endswith(b"\n"):
    d=s.recv(1<<20)
    if not d: break
    buf+=d
st=json.loads(buf)["interfaces"][0].get("statistics",{})
print(" ".join("%s=%s"%kv for kv in st.items()))
PY
