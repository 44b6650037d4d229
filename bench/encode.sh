#!/bin/bash
# Encoding throughput (records/s, one thread) of the NetFlow v5/v9/IPFIX encoders and the export engine: the JMH
# benchmark net.pflowd.bench.EncodeBenchmark with short iterations (about a minute). Arguments and JMH_RUN as
# in bench/jmh.sh, e.g.
#   bench/encode.sh -prof gc                      (allocation per operation)
#   bench/encode.sh DecodeBenchmark               (the listener's decoding)
#   JMH_RUN='-f 1 -wi 3 -i 5' bench/encode.sh
exec "$(dirname "$0")/jmh.sh" EncodeBenchmark "$@"
