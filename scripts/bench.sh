#!/usr/bin/env bash
# `npm run bench`: builds, then runs the benchmarks (overhead of the sensor and of the exporter).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
npm run bench --workspaces --if-present
