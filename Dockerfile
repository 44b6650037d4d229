# pflowd: OpenBSD pflow(4) flow export for Linux, as a container image.
#
# Build, from a clean checkout (nothing needs to be built on the host):
#   docker build -t pflowd .
# Two stages. The build stage (Debian's maven and openjdk-17-jdk-headless) resolves the Maven dependencies in a
# layer of their own, keyed on the poms only, then compiles the jars, and links a Java runtime of just the modules
# pflowd and ifconfig use (jlink). The runtime stage is debian:bookworm-slim with that runtime, the two jars, their
# class-data-sharing archives and the tools below: what it adds to its base is measured in BENCHMARKS.md.
# The Dockerfile uses no BuildKit-only syntax (Testcontainers builds it with the classic builder), so the Maven
# cache is the dependency layer: it is rebuilt only when a pom changes.
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

# ---- build: the jars, and a Java runtime of only the modules they need ----
FROM debian:bookworm-slim AS build
# Extra CA certificates for a TLS-intercepting proxy on the way to Maven Central, if any (docker/ca-certificates).
COPY docker/ca-certificates/ /usr/local/share/ca-certificates/
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates openjdk-17-jdk-headless maven binutils \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies and plugins first, from the poms alone (with empty sources), so that a source change reuses them.
# -DskipTests, not -Dmaven.test.skip: ifconfig-cli's test classpath names pflowd's test-jar, which must exist
# (empty here: the test sources are not in the build context). -Djdeb.skip: the Debian package is the host's
# build's (ifconfig-cli/src/deb is not in this context, and the image does not need it).
COPY pom.xml ./
COPY native-bindings/pom.xml native-bindings/
COPY pflowd/pom.xml pflowd/
COPY ifconfig-cli/pom.xml ifconfig-cli/
COPY integration-tests/pom.xml integration-tests/
RUN mvn -B -q -DskipTests -Djdeb.skip=true -pl ifconfig-cli -am package \
 && rm -rf native-bindings/target pflowd/target ifconfig-cli/target
COPY native-bindings/src/main native-bindings/src/main
COPY pflowd/src/main pflowd/src/main
COPY ifconfig-cli/src/main ifconfig-cli/src/main
RUN mvn -B -q -o -DskipTests -Djdeb.skip=true -pl ifconfig-cli -am package
# The modules: `jdeps --list-deps` on the two jars says java.base, java.desktop, java.logging, jdk.httpserver,
# jdk.net, jdk.unsupported. Needed: java.base; java.logging (JNA's Native logs through java.util.logging from its
# class initializer); jdk.httpserver (the metrics endpoint, --metrics, serves over com.sun.net.httpserver); jdk.net
# (the control socket's peer credentials); jdk.unsupported (JNA's sun.misc.Unsafe). Left out: java.desktop,
# referenced only by optional code of JNA (AWT windows), which checks for it. The runtime's own CDS archive of the
# JDK classes is generated too.
# (--strip-debug also strips the native libraries' debug symbols, with binutils' objcopy.)
ARG JAVA_MODULES=java.base,java.logging,jdk.httpserver,jdk.net,jdk.unsupported
# Of the two JDK archives jlink generates, the one for -XX:-UseCompressedOops (heaps over 32 GB) is never used
# here (10 MB).
RUN jlink --add-modules "$JAVA_MODULES" --strip-debug --no-man-pages --no-header-files --compress=2 \
        --generate-cds-archive --output /opt/java \
 && rm /opt/java/lib/server/classes_nocoops.jsa

# ---- the image ----
FROM debian:bookworm-slim

ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/java/bin \
    LANG=C.UTF-8

# Tools, each for a reason: nftables (pflowd runs `nft` to install its table inet pflowd), tcpdump (`tcpdump -i
# pflow0`, the point of a pflow interface), conntrack and iproute2 (to look at what is exported and at the
# interfaces; the integration tests use both). No documentation, no package lists or caches in the layer.
RUN printf 'path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/man/*\npath-exclude=/usr/share/locale/*\n' \
        >/etc/dpkg/dpkg.cfg.d/pflowd-nodoc \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        iproute2 nftables conntrack tcpdump \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/cache/debconf/*-old /var/lib/dpkg/*-old /var/log/* \
 && mkdir -p /opt/pflowd /var/lib/pflowd

COPY --from=build /opt/java /opt/java
# Wrappers: /usr/local/bin precedes /sbin and /usr/sbin on PATH, so `ifconfig` here is pflowd's.
COPY docker/pflowd/pflowd docker/pflowd/ifconfig docker/pflowd/pflowd-entrypoint /usr/local/bin/
COPY bin/cds-java /opt/pflowd/
COPY --from=build /src/pflowd/target/pflowd-all.jar /src/ifconfig-cli/target/ifconfig-all.jar /opt/pflowd/
# The class-data-sharing archives (bin/cds-java), made here by a first run of each program: ifconfig's on its
# path to the control socket (no daemon runs here, so the request is refused); the daemon's by its start-up
# up to the privilege check (a build step has no CAP_NET_ADMIN).
RUN chmod 0755 /usr/local/bin/pflowd /usr/local/bin/ifconfig /usr/local/bin/pflowd-entrypoint /opt/pflowd/cds-java \
 && { ifconfig --socket /nonexistent pflow0 2>/dev/null; pflowd --source none --config /nonexistent \
        --state-dir /tmp/cds --socket /tmp/cds.sock 2>/dev/null; rm -rf /tmp/cds /tmp/cds.sock; true; } \
 && ls /opt/pflowd/ifconfig-all.jsa /opt/pflowd/pflowd-all.jsa

# /etc/pflowd.conf is a file: mount it (-v ./pflowd.conf:/etc/pflowd.conf:ro) rather than declaring a VOLUME,
# which would turn the path into a directory. The control socket is /run/pflowd.sock (the ifconfig wrapper's
# default): `docker exec CONTAINER ifconfig pflow0` works as is.
VOLUME ["/var/lib/pflowd"]
ENTRYPOINT ["pflowd-entrypoint"]
CMD []
