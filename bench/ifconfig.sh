#!/usr/bin/env bash
# ifconfig and daemon start-up, as a user meets them: bin/pflowd (--source none, one interface pflow0) in a
# network namespace of its own, bin/ifconfig against its control socket.
#   [RUNS=n] [STARTS=n] [PFLOWD_JAVA_OPTS=...] bench/ifconfig.sh
# Reports (needs root and hyperfine; everything stays in the namespace it creates):
#   start        bin/pflowd launched -> pflow0 RUNNING (bench/ctl.py polls the control socket every 2 ms),
#                median of STARTS launches, and the CPU the JVM had used by then; the daemon's peak RSS
#                (VmHWM) after 5 s idle
#   status       hyperfine: bin/ifconfig pflow0, median wall
#   change       hyperfine: bin/ifconfig pflow0 domain $RANDOM (a real change every call), median wall
#   ip           hyperfine: ip link show lo (the floor for an interface tool)
#   create x64   a script of 64 `bin/ifconfig pflowN create flowdst ...`, wall
#   destroy      inside the daemon: the control-socket round trip of `pflowN destroy` (bench/ctl.py, no JVM
#                client), median of the 64
set -euo pipefail
RUNS=${RUNS:-30}
STARTS=${STARTS:-5}
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
ns=ifbench-$$
work=$(mktemp -d /tmp/ifbench.XXXXXX)
sock=$work/pflowd.sock
pid=
stop_daemon() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi
}
cleanup() { stop_daemon; ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# Build both jars once, outside every timing (neither call makes a class-data archive: the first daemon start
# below does, at its exit, and the first ifconfig call).
"$top/bin/pflowd" --version >/dev/null
"$top/bin/ifconfig" --help >/dev/null

ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
printf 'pflow0 flowdst 127.0.0.1:9995\n' >"$work/pflowd.conf"

started_ms=
start_daemon() { # sets pid and started_ms (not in a subshell: pid must stay known)
  rm -rf "$work/state"
  local t0; t0=$(date +%s.%N)
  ip netns exec "$ns" "$top/bin/pflowd" --config "$work/pflowd.conf" --state-dir "$work/state" --socket "$sock" \
      --source none >>"$work/pflowd.log" 2>&1 &
  pid=$!
  local t1; t1=$(python3 "$top/bench/ctl.py" "$sock" wait-running pflow0 30)
  started_ms=$(echo "$t0 $t1" | awk '{printf "%.0f", ($2-$1)*1000}')
  # CPU the JVM had used by then (user + system, all threads): what the start costs on a loaded machine too.
  started_cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14+$15)*1000/hz}' "/proc/$pid/stat")
}

starts=() cpus=()
for _ in $(seq "$STARTS"); do
  start_daemon
  starts+=("$started_ms") cpus+=("$started_cpu_ms")
  stop_daemon
done
echo "start (ms, launch -> pflow0 RUNNING): ${starts[*]}; median $(printf '%s\n' "${starts[@]}" | median)" \
  "(the first start makes the class-data archive at its exit if there was none)"
echo "start CPU (ms, the JVM's user+system at RUNNING): ${cpus[*]}; median $(printf '%s\n' "${cpus[@]}" | median)"

start_daemon
sleep 5
# `ip netns exec` and bin/pflowd exec: $pid is the JVM.
echo "daemon idle: $(grep -E 'VmHWM|VmRSS' "/proc/$pid/status" | tr -s ' \t' ' ' | tr '\n' ' ')(one interface, --source none, PFLOWD_JAVA_OPTS='${PFLOWD_JAVA_OPTS:-}')"

export PFLOWD_SOCKET=$sock
hyperfine -N --style basic --warmup 3 --runs "$RUNS" --export-json "$work/hf.json" \
  -n status "$top/bin/ifconfig pflow0" \
  -n change "bash -c 'exec $top/bin/ifconfig pflow0 domain \$RANDOM'" \
  -n ip "ip link show lo" >/dev/null
python3 - "$work/hf.json" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-7s median %6.1f ms  mean %6.1f ± %4.1f ms  user %5.1f ms  system %5.1f ms  (%d runs)" % (
        r["command"], r["median"] * 1000, r["mean"] * 1000, r["stddev"] * 1000, r["user"] * 1000,
        r["system"] * 1000, len(r["times"])))
EOF

t0=$(date +%s.%N)
for i in $(seq 1 64); do "$top/bin/ifconfig" "pflow$i" create flowdst 127.0.0.1:9995 >/dev/null; done
t1=$(date +%s.%N)
echo "create x64 (bin/ifconfig pflowN create flowdst ..., one after the other): $(echo "$t0 $t1" | awk '{printf "%.2f", $2-$1}') s"
for i in $(seq 1 64); do python3 "$top/bench/ctl.py" "$sock" time "pflow$i" destroy; done >"$work/destroy"
echo "destroy (ms inside the daemon, 64 interfaces): median $(median <"$work/destroy"), max $(sort -n "$work/destroy" | tail -1)"
echo "daemon after 64 creates and destroys: $(grep -E 'VmHWM' "/proc/$pid/status" | tr -s ' \t' ' ')"
