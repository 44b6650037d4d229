#!/bin/bash
# Encoding throughput (records/s, one thread) of the NetFlow v5/v9/IPFIX encoders and the export engine.
# Builds the pflowd test classes and runs the JMH benchmark net.pflowd.bench.EncodeBenchmark with short
# iterations (about a minute). Arguments go to JMH instead of the defaults, e.g.
#   bench/encode.sh EncodeBenchmark -prof gc      (allocation per operation)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl pflowd -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
CP="pflowd/target/test-classes:pflowd/target/classes:$(cat pflowd/target/bench-classpath.txt)"
if [ $# -eq 0 ]; then set -- EncodeBenchmark; fi
exec java -cp "$CP" org.openjdk.jmh.Main -f 1 -wi 2 -w 1s -i 3 -r 1s "$@"
