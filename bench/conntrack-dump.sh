#!/bin/bash
# The user-space side of one active-timeout dump of 200,000 entries: parse and table, steady state (JMH
# net.pflowd.bench.ConntrackDumpBenchmark, ms per dump; add -prof gc for the bytes it allocates). Arguments and
# JMH_RUN as in bench/jmh.sh, e.g. bench/conntrack-dump.sh -prof gc -p rows=262144
exec "$(dirname "$0")/jmh.sh" ConntrackDumpBenchmark "$@"
