#!/usr/bin/env bash
# `npm test`: builds everything and runs every workspace's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
scripts/build.sh
npm run typecheck --workspaces --if-present
npm run test --workspaces --if-present
echo "npm test: all green in $(( $(date +%s) - started ))s"
