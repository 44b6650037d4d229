#!/bin/bash
# Encoding throughput (records/s, one thread) of the NetFlow v5/v9/IPFIX encoders and the export engine.
# Builds the pflowd test classes and runs the JMH benchmark net.pflowd.bench.EncodeBenchmark with short
# iterations (about a minute). Run lengths come from JMH_RUN (default below; JMH refuses an option given twice,
# so change them there, not in the arguments); arguments are appended for JMH, a first one that is not an
# option replaces the benchmark pattern, e.g.
#   bench/encode.sh EncodeBenchmark -prof gc      (allocation per operation)
#   bench/encode.sh DecodeBenchmark               (the listener's decoding)
#   JMH_RUN='-f 1 -wi 3 -i 5' bench/encode.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl pflowd -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
CP="pflowd/target/test-classes:pflowd/target/classes:$(cat pflowd/target/bench-classpath.txt)"
if [ $# -eq 0 ] || [[ $1 == -* ]]; then set -- EncodeBenchmark "$@"; fi
read -r -a RUN <<<"${JMH_RUN:--f 1 -wi 2 -w 1s -i 3 -r 1s}"
exec java -cp "$CP" org.openjdk.jmh.Main "${RUN[@]}" "$@"
