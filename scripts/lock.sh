#!/usr/bin/env bash
# Serialises npm installs and git commits when several people (or agents) share one checkout.
# usage: scripts/lock.sh <npm|git> <command...>
set -euo pipefail
name=$1; shift
exec flock "/tmp/telltale-$name.lock" "$@"
