#!/usr/bin/env bash
# The daemon's memory at rest, flag by flag: pflowd-all.jar (--source none, one interface pflow0 exporting to
# 127.0.0.1:9995) in a network namespace of its own, started with each JVM flag set below in turn; peak RSS
# (VmHWM) and RSS after IDLE seconds (default 10), and the time from launch to pflow0 RUNNING.
#   [IDLE=s] bench/daemon-memory.sh          (root; builds nothing: run bin/pflowd --version first)
# Each set adds to the one before, ending with what bin/pflowd uses. "cds" runs with the class-data archive
# bin/pflowd keeps next to the jar (made by an earlier bin/pflowd run).
set -euo pipefail
IDLE=${IDLE:-10}
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
jar=$top/pflowd/target/pflowd-all.jar
jsa=$top/pflowd/target/pflowd-all.jsa
ns=memb-$$
work=$(mktemp -d /tmp/memb.XXXXXX)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
printf 'pflow0 flowdst 127.0.0.1:9995\n' >"$work/pflowd.conf"

serial="-XX:+UseSerialGC"
heap="$serial -Xms8m -Xmx256m -XX:MaxNewSize=8m"
stacks="$heap -Xss256k"
meta="$stacks -XX:MaxMetaspaceSize=48m -XX:ReservedCodeCacheSize=24m"
c1="$meta -XX:TieredStopAtLevel=1"
perf="$c1 -XX:-UsePerfData"
cds="$perf -XX:SharedArchiveFile=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
printf '%-10s %9s %9s %9s  %s\n' set VmHWM VmRSS start flags
for name in default serial heap stacks meta c1 perf cds; do
  flags=${!name:-}
  [ "$name" = default ] && flags=
  rm -rf "$work/state"
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  ip netns exec "$ns" java $flags -jar "$jar" --config "$work/pflowd.conf" --state-dir "$work/state" \
      --socket "$work/pflowd.sock" --source none >>"$work/pflowd.log" 2>&1 &
  pid=$!
  t1=$(python3 "$top/bench/ctl.py" "$work/pflowd.sock" wait-running pflow0 60)
  sleep "$IDLE"
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  printf "%-10s %5.1f MiB %5.1f MiB %6d ms  %s\n" "$name" "$(echo "$hwm" | awk "{print \$1/1024}")" "$(echo "$rss" | awk "{print \$1/1024}")" \
      "$(echo "$t0 $t1" | awk '{printf "%.0f", ($2-$1)*1000}')" "${flags:-(none)}"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
