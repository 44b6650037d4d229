#!/usr/bin/env python3
"""Times exchanges on pflowd's control socket (ControlProtocol: one JSON line each way) without a JVM on the
client side, so what it measures is the daemon's own time plus a Unix-socket round trip (~0.1 ms).

  ctl.py SOCKET wait-running IFNAME TIMEOUT_S   wait until IFNAME is RUNNING (polled every 2 ms); prints the
                                                seconds since the epoch at which it was seen RUNNING
  ctl.py SOCKET time ARG...                     one apply of the ifconfig argument vector ARG...; prints its
                                                milliseconds, fails on an error reply
"""
import json
import socket
import sys
import time

IFF_RUNNING = 0x40


def exchange(path, request):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(path)
        s.sendall((json.dumps(request) + "\n").encode())
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                raise RuntimeError("pflowd closed the connection without a reply")
            buf += chunk
    return json.loads(buf)


def main():
    path, what = sys.argv[1], sys.argv[2]
    if what == "wait-running":
        name, deadline = sys.argv[3], time.time() + float(sys.argv[4])
        while time.time() < deadline:
            try:
                r = exchange(path, {"op": "status", "args": [name]})
                if r.get("ok") and r["interfaces"][0]["flags"] & IFF_RUNNING:
                    print("%.6f" % time.time())
                    return 0
            except (OSError, RuntimeError, ValueError):
                pass
            time.sleep(0.002)
        print("ctl.py: %s not RUNNING within %s s" % (name, sys.argv[4]), file=sys.stderr)
        return 1
    if what == "time":
        t0 = time.perf_counter()
        r = exchange(path, {"op": "apply", "args": sys.argv[3:]})
        ms = (time.perf_counter() - t0) * 1000
        if not r.get("ok"):
            print("ctl.py: " + str(r.get("error")), file=sys.stderr)
            return 1
        print("%.2f" % ms)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
