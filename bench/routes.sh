#!/bin/bash
# What the interface indexes cost: RouteTable.fill (two route lookups per connection) on a host's table and on a
# full Internet table, and the table build after a dump. The JMH benchmark net.pflowd.bench.RouteLookupBenchmark
# (about two minutes). Arguments and JMH_RUN as in bench/jmh.sh, e.g. bench/routes.sh -p table=internet
exec "$(dirname "$0")/jmh.sh" RouteLookupBenchmark "$@"
