#!/bin/bash
# The libc bindings on the conntrack reader's receive path: one recv(2) per 250-byte datagram (about one DESTROY
# event) and recvmmsg(2) of 32, through JNA interface-mapped (LibC), JNA direct-mapped (LibCDirect) and jnr-ffi
# (LibCJnr, test scope only), UDP on loopback; plus recv on an empty socket (EAGAIN, the end of every batch).
# Builds the pflowd test classes and runs the JMH benchmark net.pflowd.bench.RecvBindingBenchmark (about a minute).
# Scores are ns per datagram: receive cost = queued* − fixture (fixture is the send alone); empty* are absolute.
# Run lengths come from JMH_RUN (default below); arguments are appended for JMH, a first one that is not an
# option replaces the benchmark pattern, e.g.
#   bench/bindings.sh -prof gc                                (allocation per operation)
#   JMH_RUN='-f 2 -wi 3 -i 5' bench/bindings.sh 'RecvBindingBenchmark.empty'
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl pflowd -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
CP="pflowd/target/test-classes:pflowd/target/classes:$(cat pflowd/target/bench-classpath.txt)"
if [ $# -eq 0 ] || [[ $1 == -* ]]; then set -- RecvBindingBenchmark "$@"; fi
read -r -a RUN <<<"${JMH_RUN:--f 1 -wi 2 -w 1s -i 3 -r 1s}"
exec java -cp "$CP" org.openjdk.jmh.Main "${RUN[@]}" "$@"
