#!/usr/bin/env bash
# Builds what is out of date: the BPF objects and loader (make), then every workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/ensure-deps.sh
make -s -C bpf >&2
npm run build --workspaces --if-present >&2
