# pflowd: OpenBSD pflow(4) flow export for Linux, as a container image.
#
# Build (from the repository root, after building the jars, which this file copies rather than builds):
#   mvn -B -DskipTests package
#   docker build -t pflowd .
# Why copy and not build: Maven inside `docker build` would download every plugin and dependency again on each
# cold cache, and CI containers reach no Maven repository. The host's build (which also runs the tests) already
# produced the shaded jars; `.dockerignore` keeps everything else out of the build context. The Testcontainers
# harness in integration-tests/ relies on this: Maven's reactor builds the jars before that module's tests run.
#
# Run (the container must be allowed to create a tun interface and to send on it):
#   docker run -d --name pflowd --cap-drop ALL --cap-add NET_ADMIN --cap-add NET_RAW --device /dev/net/tun \
#       --sysctl net.netfilter.nf_conntrack_acct=1 --sysctl net.netfilter.nf_conntrack_timestamp=1 \
#       -v pflowd-state:/var/lib/pflowd pflowd
#   docker exec pflowd ifconfig pflow0 create flowdst 10.0.0.2:2055 pflowproto 10
# or, for one interface from the start, -e PFLOW_FLOWDST=10.0.0.2:2055 -e PFLOW_PROTO=10 [-e PFLOW_FLOWSRC=...];
# or mount a configuration file: -v ./pflowd.conf:/etc/pflowd.conf:ro. Arguments after the image name are
# pflowd's options (e.g. --hold-timeout 5).
#
# Capabilities: the daemon runs as root inside the container but needs only
#   NET_ADMIN  create and configure the pflowN tun interfaces, read conntrack over netlink, install its
#              nftables table (inet pflowd) in the container's namespace;
#   NET_RAW    the packet socket that transmits a copy of each exported datagram on pflowN (for tcpdump);
# and the tun device node: the default device cgroup allows /dev/net/tun, but Docker does not create the node.
# The entrypoint refuses to start, with a one-line error naming the missing flags, when any is absent.
# Everything else may be dropped (--cap-drop ALL). To watch the export with `tcpdump -i pflow0` inside the
# container also add SETUID and SETGID (Debian's tcpdump switches to user tcpdump); or capture from the host in
# the container's network namespace:
#   nsenter -t "$(docker inspect -f '{{.State.Pid}}' pflowd)" -n tcpdump -ni pflow0
#
# Sysctls: Docker mounts /proc/sys read-only, so pflowd cannot turn conntrack's per-connection counters and
# timestamps on by itself as it does on a host. Both are per network namespace: --sysctl sets them for the
# container's. Without them records carry no packet/byte counts or start times (pflowd warns at start).
# pflowN's own safety settings (forwarding, rp_filter...) stay at the namespace's defaults for the same reason
# (pflowd logs which): they are a second line only, since nothing is ever received on pflowN.
#
# Network: with a bridge network pflowd sees the conntrack table of the container's own network namespace
# (connections to and from the container); to export the host's connections run it with --network host, where
# --sysctl cannot be used: set net.netfilter.nf_conntrack_acct and _timestamp on the host instead.
#
# State: runtime changes made with ifconfig are kept in the volume /var/lib/pflowd and restored when the
# container (or a new one on the same volume) starts, unless /etc/pflowd.conf changed since.
FROM debian:bookworm-slim

ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    PFLOWD_JAVA_OPTS="-XX:+UseSerialGC"

# The JRE is the large layer: first, so that a changed jar rebuilds only the small layers below.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-17-jre-headless iproute2 nftables conntrack tcpdump \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && mkdir -p /opt/pflowd /var/lib/pflowd

# Wrappers: /usr/local/bin precedes /sbin and /usr/sbin on PATH, so `ifconfig` here is pflowd's.
COPY docker/pflowd/pflowd docker/pflowd/ifconfig docker/pflowd/pflowd-entrypoint /usr/local/bin/
RUN chmod 0755 /usr/local/bin/pflowd /usr/local/bin/ifconfig /usr/local/bin/pflowd-entrypoint

COPY pflowd/target/pflowd-all.jar ifconfig-cli/target/ifconfig-all.jar /opt/pflowd/

# /etc/pflowd.conf is a file: mount it (-v ./pflowd.conf:/etc/pflowd.conf:ro) rather than declaring a VOLUME,
# which would turn the path into a directory. The control socket is /run/pflowd.sock (the ifconfig wrapper's
# default): `docker exec CONTAINER ifconfig pflow0` works as is.
VOLUME ["/var/lib/pflowd"]
ENTRYPOINT ["pflowd-entrypoint"]
CMD []
