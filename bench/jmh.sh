#!/bin/bash
# Runs JMH benchmarks from pflowd's benchmark source set (pflowd/src/jmh/java, compiled by the Maven profile jmh
# into pflowd/target/jmh-classes; they may use the test tools in pflowd/target/test-classes):
# bench/jmh.sh DEFAULT_PATTERN [JMH arguments]. Builds them first. Run lengths
# come from JMH_RUN (default below; JMH refuses an option given twice, so change them there, not in the arguments);
# the arguments are appended, and a first one that is not an option replaces DEFAULT_PATTERN. bench/encode.sh,
# bench/bindings.sh and bench/routes.sh call this with their benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
default=$1; shift
mvn -B -q -o -Pjmh -pl pflowd -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
CP="pflowd/target/jmh-classes:pflowd/target/classes:pflowd/target/test-classes:$(cat pflowd/target/bench-classpath.txt)"
if [ $# -eq 0 ] || [[ $1 == -* ]]; then set -- "$default" "$@"; fi
read -r -a RUN <<<"${JMH_RUN:--f 1 -wi 2 -w 1s -i 3 -r 1s}"
exec java -cp "$CP" org.openjdk.jmh.Main "${RUN[@]}" "$@"
