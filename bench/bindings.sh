#!/bin/bash
# The libc bindings on the conntrack reader's receive path: one recv(2) per 250-byte datagram (about one DESTROY
# event) and recvmmsg(2) of 32, through JNA interface-mapped (LibC), JNA direct-mapped (LibCDirect) and jnr-ffi
# (LibCJnr, test scope only), UDP on loopback; plus recv on an empty socket (EAGAIN, the end of every batch).
# The JMH benchmark net.pflowd.bench.RecvBindingBenchmark (about a minute). Scores are ns per datagram: receive
# cost = queued* − fixture (fixture is the send alone); empty* are absolute. Arguments and JMH_RUN as in
# bench/jmh.sh, e.g.
#   bench/bindings.sh -prof gc                                (allocation per operation)
#   JMH_RUN='-f 2 -wi 3 -i 5' bench/bindings.sh 'RecvBindingBenchmark.empty'
exec "$(dirname "$0")/jmh.sh" RecvBindingBenchmark "$@"
