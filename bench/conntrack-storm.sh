#!/usr/bin/env bash
# Conntrack storm: N replied UDP conntrack entries destroyed at once (conntrack -F), exported as IPFIX to an
# nfcapd on loopback by the whole pflowd daemon (--source conntrack, pflow0) and, in a second namespace, by
# ulogd2 (NFCT -> IPFIX). Reports records at the collector, lost, time to drain, records/s, CPU seconds per
# 100k records of the exporter process (from just before the flush to the end of the drain), peak RSS.
#   [ROUNDS=n] [THREADS=1] [SKIP_ULOGD=1] [SKIP_PFLOWD=1] [UNREPLIED=1] [PFLOWD_JAVA_OPTS=...] [PERF=DIR] bench/conntrack-storm.sh [N]
# UNREPLIED=1: the one-record-per-entry storm instead: N unreplied UDP entries (one packet each, no answer), so
# pflowd exports one record per entry (the reply direction carried nothing), as ulogd2 always does.
# NMT=1: the JVM's native memory summary (jcmd) and RSS after the last round (with -XX:NativeMemoryTracking=summary).
# PERF=DIR: `perf record -g` of the pflowd process over each round's flush and drain, DIR/round-R.data
# (linux-perf; read with `perf report -i DIR/round-R.data --no-children --sort dso,sym`).
# (default 100000; needs root; everything stays in namespaces it creates.)
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
pflowd_pid=; ulogd_pid=; nfcapd_pid=
cleanup() {
  for p in $pflowd_pid $ulogd_pid $nfcapd_pid; do kill "$p" 2>/dev/null || true; done
  for p in $pflowd_pid $ulogd_pid $nfcapd_pid; do wait "$p" 2>/dev/null || true; done
  ip netns del "$ns1" 2>/dev/null || true
  ip netns del "$ns2" 2>/dev/null || true
  for f in "$work"/hs_err_*.log; do [ -f "$f" ] && { echo "pflowd crashed:" >&2; head -12 "$f" >&2; }; done
  rm -rf "$work"
}
trap cleanup EXIT
hz=$(getconf CLK_TCK)
now() { date +%s.%N; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# Per-thread CPU ticks of a process, "comm ticks" per line (comm may contain spaces: the last fields are counted).
thread_ticks() { for t in /proc/"$1"/task/*; do echo "${t##*/}:$(tr ' ' _ < "$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print $12, $13}')"; done | sort; }
[ "$N" -le 200000 ] || { echo "N up to 200000 (4 client addresses x 50000 ports; nf_conntrack_max 262144)" >&2; exit 2; }

# A namespace whose conntrack will hold N replied UDP entries 127.0.0.{2..5}:sport -> 127.0.0.1:10000-59999,
# all redirected to one echo socket on 127.0.0.1:7777: 1 packet / 29 bytes each way, 2 records per entry.
prepare() {
  ip netns add "$1"
  ip netns exec "$1" sh -c '
    ip link set lo up
    sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1 net.netfilter.nf_conntrack_events=1
    nft add table ip storm
    nft add chain ip storm out "{ type nat hook output priority -100; }"
    nft add rule ip storm out udp dport 10000-59999 redirect to :7777'
}
RPE=2 # records per entry: one per direction
[ -z "${UNREPLIED:-}" ] || RPE=1
fill() {
  # Ping-pong in batches of 64 so that no socket buffer overflows: every entry gets its reply (none with
  # UNREPLIED=1: the echo socket only reads).
  ip netns exec "$1" python3 -c "
import socket,sys
n=int(sys.argv[1]); reply=sys.argv[2]=='2'
srv=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); srv.bind(('127.0.0.1',7777))
cl=[socket.socket(socket.AF_INET,socket.SOCK_DGRAM) for _ in range(4)]
for c,a in enumerate(cl): a.bind(('127.0.0.%d'%(2+c),0))
i=0
while i<n:
  k=min(64,n-i)
  for j in range(i,i+k):
    cl[j&3].sendto(b'b',('127.0.0.1',10000+(j>>2)))
  for j in range(k):
    d,a=srv.recvfrom(64)
    if reply: srv.sendto(b'r',a)
  if reply:
    for j in range(i,i+k):
      cl[j&3].recv(64)
  i+=k
" "$2" "$RPE"
  local c; c=$(ip netns exec "$1" conntrack -C)
  if [ "$c" -lt "$2" ]; then echo "only $c of $2 entries (nf_conntrack_max?)" >&2; exit 1; fi
}
start_nfcapd() { # ns dir port
  mkdir -p "$2"
  ip netns exec "$1" nfcapd -w "$2" -b 127.0.0.1 -p "$3" -B 33554432 -t 3600 >"$2.log" 2>&1 &
  nfcapd_pid=$!
  for _ in $(seq 100); do grep -q Startup "$2.log" 2>/dev/null && break; sleep 0.05; done
}
stop_nfcapd() { # ns port: wait until nfcapd has read everything queued, then SIGTERM (it writes its file)
  for _ in $(seq 100); do
    q=$(ip netns exec "$1" ss -H -n -u -l "sport = :$2" | awk '{s+=$2} END {print s+0}')
    [ "$q" = 0 ] && break; sleep 0.05
  done
  kill "$nfcapd_pid"; wait "$nfcapd_pid" 2>/dev/null || true; nfcapd_pid=
}
# Records stored by nfcapd, except the exporter's own flow to the collector.
collected() { nfdump -R "$1" -q -o 'fmt:%sp %dp' 2>/dev/null | awk -v p="$2" '$2!=p && $1!=p' | wc -l; }

# The daemon's control socket, spoken by a small client: ctl SOCKET status|down|wait EXPECTED TIMEOUT
ctl() {
  python3 - "$@" <<'PY'
import json,socket,sys,time
path,op=sys.argv[1],sys.argv[2]
def call(req):
    s=socket.socket(socket.AF_UNIX,socket.SOCK_STREAM); s.connect(path); s.sendall((json.dumps(req)+"\n").encode())
    buf=b""
    while not buf.endswith(b"\n"):
        d=s.recv(1<<20)
        if not d: break
        buf+=d
    s.close(); return json.loads(buf)
def stats(): return call({"op":"status","args":["pflow0"]})["interfaces"][0]["statistics"]
if op=="status":
    print(" ".join("%s=%s"%kv for kv in stats().items()))
elif op=="down":
    call({"op":"apply","args":["pflow0","down"]})
elif op=="wait": # until the engine took EXPECTED records, or nothing moved for TIMEOUT s; prints the time
    want,idle=int(sys.argv[3]),float(sys.argv[4]); last=-1; changed=time.time(); at=changed
    while True:
        f=stats()["flows"]
        if f!=last: last=f; changed=time.time(); at=changed
        if f>=want or time.time()-changed>idle: break
        time.sleep(0.02) # the end is known to 20 ms; each status costs the daemon ~0.1 ms of CPU
    print("%.6f"%at)
PY
}

if [ -z "${SKIP_PFLOWD:-}" ]; then
echo "== pflowd daemon (--source conntrack, pflow0 IPFIX -> nfcapd 127.0.0.1:9995), N=$N"
prepare "$ns1"
start_nfcapd "$ns1" "$work/nfcap1" 9995
cat > "$work/pflowd.conf" <<CONF
pflow0 flowdst 127.0.0.1:9995 pflowproto 10
set hold-timeout 1
CONF
sock="$work/pflowd.sock"
ip netns exec "$ns1" java ${PFLOWD_JAVA_OPTS:--Xmx256m} -XX:ErrorFile="$work/hs_err_%p.log" -jar "$jar" --config "$work/pflowd.conf" \
  --state-dir "$work/state" --socket "$sock" >"$work/pflowd.log" 2>&1 &
pflowd_pid=$!
for _ in $(seq 300); do [ -S "$sock" ] && ctl "$sock" status >/dev/null 2>&1 && break; sleep 0.1; done
ctl "$sock" status >/dev/null || { cat "$work/pflowd.log" >&2; exit 1; }
for round in $(seq "${ROUNDS:-1}"); do
fill "$ns1" "$N"
sleep 1 # let the JVM settle after start-up (its JIT threads): the measurement starts at the flush
f0=$(ctl "$sock" status | tr ' ' '\n' | awk -F= '$1=="flows"{print $2}')
cpu0=$(cpu_ticks "$pflowd_pid")
[ -z "${THREADS:-}" ] || thread_ticks "$pflowd_pid" > "$work/threads0"
perf_pid=
if [ -n "${PERF:-}" ]; then
  mkdir -p "$PERF"
  perf record -q -g -p "$pflowd_pid" -o "$PERF/round-$round.data" 2>/dev/null &
  perf_pid=$!
  sleep 0.5 # perf attaches to every thread
fi
t0=$(now)
ip netns exec "$ns1" conntrack -F 2>/dev/null
tf=$(now)
t1=$(ctl "$sock" wait $((f0 + RPE * N)) 5)
if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true; fi
cpu1=$(cpu_ticks "$pflowd_pid")
[ -z "${THREADS:-}" ] || thread_ticks "$pflowd_pid" > "$work/threads1"
rss=$(awk '/VmHWM/{printf "%.0f", $2/1024}' "/proc/$pflowd_pid/status")
drain=$(echo "$t1 - $t0" | bc)
cpu=$(echo "scale=3; ($cpu1 - $cpu0) / $hz" | bc)
echo "pflowd round $round: flush_s=$(echo "$tf - $t0" | bc) drain_s=$drain" \
     "records_per_s=$(echo "scale=0; $RPE * $N / $drain" | bc) cpu_s=$cpu" \
     "cpu_s_per_100k_records=$(echo "scale=3; $cpu * 100000 / ($RPE * $N)" | bc) peak_rss_mb=$rss"
[ -z "${THREADS:-}" ] || join -a2 "$work/threads0" "$work/threads1" | awk '{u=$(NF-1)-(NF>3?$2:0); s=$NF-(NF>3?$3:0); if (u+s>0) print "  thread " $1 ": user " u " sys " s " ticks"}'
done
if [ -n "${NMT:-}" ]; then # needs -XX:NativeMemoryTracking=summary in PFLOWD_JAVA_OPTS
  jcmd "$pflowd_pid" VM.native_memory summary | grep -E '^(Total|-)' || true
  grep -E 'VmHWM|VmRSS|RssAnon|RssFile' "/proc/$pflowd_pid/status" | tr -s ' \t' ' ' | tr '\n' ' '; echo
fi
ctl "$sock" down
st=$(ctl "$sock" status)
kill "$pflowd_pid"; rc=0; wait "$pflowd_pid" 2>/dev/null || rc=$?; pflowd_pid=
if [ "$rc" != 0 ] && [ "$rc" != 143 ]; then # 143: SIGTERM before the JVM's handler ran
  echo "pflowd exited with status $rc" >&2; tail -20 "$work/pflowd.log" >&2; exit 1 # cleanup shows any crash log
fi
stop_nfcapd "$ns1" 9995
got=$(collected "$work/nfcap1" 9995)
seqf=$(nfdump -R "$work/nfcap1" -I 2>/dev/null | awk -F': ' '/^Sequence failures/{print $2}')
R=${ROUNDS:-1}
echo "pflowd: entries=$((R * N)) records_expected=$((RPE * R * N)) records_at_collector=$got lost=$((RPE * R * N - got))" \
     "sequence_failures=$seqf"
echo "pflowd counters: $(echo "$st" | tr ' ' '\n' | grep -E '^(flows|packets|dropped|errors|conntrack\.(records|overruns|resyncs|connections|dump-exported))=' | tr '\n' ' ')"
fi

[ -z "${SKIP_ULOGD:-}" ] || exit 0
echo "== ulogd2 (NFCT event mode, reliable, IPFIX -> nfcapd 127.0.0.1:4739), N=$N"
prepare "$ns2"
start_nfcapd "$ns2" "$work/nfcap2" 4739
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
cpu0=$(cpu_ticks "$ulogd_pid")
t0=$(now)
ip netns exec "$ns2" conntrack -F 2>/dev/null
tf=$(now)
# Drained when ulogd's CPU time stops moving for 2 s.
prev=-1; stable=0; last=$tf
while [ $stable -lt 20 ]; do
  cur=$(cpu_ticks "$ulogd_pid")
  if [ "$cur" = "$prev" ]; then stable=$((stable+1)); else stable=0; last=$(now); fi
  prev=$cur; sleep 0.1
done
cpu1=$(cpu_ticks "$ulogd_pid")
rss=$(awk '/VmHWM/{printf "%.1f", $2/1024}' "/proc/$ulogd_pid/status")
kill "$ulogd_pid"; wait "$ulogd_pid" 2>/dev/null || true; ulogd_pid=
stop_nfcapd "$ns2" 4739
got=$(collected "$work/nfcap2" 4739)
drain=$(echo "$last - $t0" | bc)
cpu=$(echo "scale=3; ($cpu1 - $cpu0) / $hz" | bc)
per=$( [ "$got" -gt 0 ] && echo "scale=3; $cpu * 100000 / $got" | bc || echo n/a)
echo "ulogd2: entries=$N records_at_collector=$got flush_s=$(echo "$tf - $t0" | bc) drain_s=$drain" \
     "records_per_s=$(echo "scale=0; $got / $drain" | bc) cpu_s=$cpu cpu_s_per_100k_records=$per peak_rss_mb=$rss"
nfdump -R "$work/nfcap2" -q -o 'fmt:%sa %sp %da %dp %pkt %byt' 2>/dev/null | head -2 | sed 's/^/ulogd2 sample record: /'
grep -iE 'losing|buffer|reliable' "$work/ulogd.log" | sed 's/^/ulogd2 log: /' | head -5 || true
