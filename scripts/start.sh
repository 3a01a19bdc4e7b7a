#!/usr/bin/env bash
# `npm start -- FLAGS`: builds what is missing and runs the exporter on this host.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/ensure-deps.sh
make -s -C bpf >&2
npm run build -w exporter >&2
exec node exporter/dist/cli.js run "$@"
