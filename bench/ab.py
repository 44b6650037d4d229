#!/usr/bin/env python3
"""Interleaved A/B timing of short commands on a shared machine: runs the commands in turn (A B C A B C ...),
so that a load spike hits all of them alike, and reports per command the median wall time and the median CPU
time (user + system of the command and its children, from wait4), which moves much less with the load than
the wall time does.

  ab.py [-n RUNS] [-w WARMUP] NAME=COMMAND NAME=COMMAND ...

COMMAND is split like a shell word list (shlex) and run without a shell; its output is discarded, a failing
command stops the run.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time


def run_once(argv):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit("ab.py: %s exited with %d" % (shlex.join(argv), p.returncode))
    return wall * 1000, (ru.ru_utime + ru.ru_stime) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=20, help="timed runs per command")
    ap.add_argument("-w", type=int, default=3, help="untimed runs per command first")
    ap.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    a = ap.parse_args()
    cmds = []
    for c in a.commands:
        name, _, line = c.partition("=")
        cmds.append((name, shlex.split(line)))
    for _ in range(a.w):
        for _, argv in cmds:
            run_once(argv)
    walls = {n: [] for n, _ in cmds}
    cpus = {n: [] for n, _ in cmds}
    for _ in range(a.n):
        for name, argv in cmds:
            w, c = run_once(argv)
            walls[name].append(w)
            cpus[name].append(c)
    load = os.getloadavg()[0]
    for name, _ in cmds:
        print("%-12s wall median %7.1f ms (min %7.1f)  CPU median %7.1f ms (min %7.1f)  %d runs, load %.1f" % (
            name, statistics.median(walls[name]), min(walls[name]), statistics.median(cpus[name]),
            min(cpus[name]), a.n, load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
