#!/usr/bin/env bash
# Prepares a fresh Debian machine (run as root) for the Docker integration tests: installs the engine and
# debootstrap, starts dockerd when none answers, and builds the base image debian:bookworm-slim locally
# because no image registry is reachable from CI. Idempotent: every step checks before it acts.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
log=${DOCKERD_LOG:-/var/log/dockerd.log}
base=debian:bookworm-slim
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

step() { printf 'docker-setup: %s\n' "$*"; }

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
  step "docker.io and debootstrap already installed"
fi

if docker info >/dev/null 2>&1; then
  step "docker engine already running"
else
  step "starting dockerd (log: $log)"
  # setsid + nohup: the engine outlives this script and the CI step that ran it.
  setsid nohup dockerd >>"$log" 2>&1 </dev/null &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    step "dockerd did not answer within 60 s; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  step "docker engine up: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
fi

if docker image inspect "$base" >/dev/null 2>&1; then
  step "base image $base already present"
else
  step "building $base with debootstrap --variant=minbase bookworm"
  root=$(mktemp -d /tmp/bookworm-root.XXXXXX)
  trap 'rm -rf "$root"' EXIT
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 || {
    step "debootstrap failed; last lines of $root.log:" >&2; tail -n 20 "$root.log" >&2; exit 1; }
  # Like the official slim image: no apt lists or package caches in the layer.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  tar -C "$root" -c . | docker import -c 'CMD ["bash"]' - "$base" >/dev/null
  rm -f "$root.log"
  step "base image $base imported"
fi

# Each test run with new jars re-tags pflowd-it/pflowd and leaves the previous image dangling (~10 MB of its own).
step "removing dangling images: $(docker image prune -f --filter dangling=true | tail -n 1)"
