#!/usr/bin/env bash
# Installs the Debian packages Telltale needs to build, run and test, and nothing
# when they are all present already, so every `npm start` and `npm test` can call it.
set -euo pipefail

packages=(
  # build: BPF objects, skeletons and the statically linked loader
  clang llvm make gcc libc6-dev libbpf-dev bpftool libelf-dev zlib1g-dev libzstd-dev
  # run and test: cgroups, namespaces, containers and test workloads
  iproute2 util-linux procps busybox-static podman runc
  # alerting and dashboards: real Prometheus, Alertmanager, promtool, amtool, Chromium;
  # rsyslogd as a real receiver for the syslog sink (tests run their own, never the host's)
  prometheus prometheus-alertmanager chromium rsyslog
  # benchmark baseline
  bpftrace
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing Debian packages: ${missing[*]}" >&2
  echo "setup: run as root (or install them yourself) and try again" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have empty package lists; refresh only when an install fails.
if ! apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
  apt-get update >&2
  apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
# Debian starts services on install where an init system runs; tests start their own.
for svc in prometheus prometheus-alertmanager prometheus-node-exporter; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl disable --now "$svc" >/dev/null 2>&1 || true
  fi
done
