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
# Run (the container must be allowed to create a tun interface):
#   docker run -d --name pflowd --cap-drop ALL --cap-add NET_ADMIN --device /dev/net/tun \
#       -e PFLOW_FLOWSRC=10.0.0.1 -e PFLOW_FLOWDST=10.0.0.2:2055 -e PFLOW_PROTO=10 pflowd
#   docker exec pflowd ifconfig pflow0 create flowdst 10.0.0.2:2055
#
# Capabilities: the daemon runs as root inside the container but needs only
#   NET_ADMIN  create and configure the pflowN tun interfaces (TUNSETIFF, address/link changes) and read the
#              conntrack table over netlink;
# and the tun device node: the default device cgroup allows /dev/net/tun, but Docker does not create the node.
# The entrypoint refuses to start, with a one-line error naming the missing flag, when either is absent.
# Everything else may be dropped (--cap-drop ALL). To watch the export with `tcpdump -i pflow0` inside the
# container also add NET_RAW (packet socket), SETUID and SETGID (Debian's tcpdump switches to user tcpdump);
# or keep the container minimal and capture from the host in its network namespace:
#   nsenter -t "$(docker inspect -f '{{.State.Pid}}' pflowd)" -n tcpdump -ni pflow0
#
# Network: with the default bridge network pflowd sees the conntrack table of the container's own network
# namespace; to export the host's connections run it with --network host.
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
# which would turn the path into a directory. The control socket is /run/pflowd.sock.
VOLUME ["/var/lib/pflowd"]
ENTRYPOINT ["pflowd-entrypoint"]
CMD []
