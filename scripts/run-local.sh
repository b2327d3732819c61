#!/usr/bin/env bash
# A local run with conf/local.conf (every core of this machine, Spark UI off):
#   scripts/run-local.sh --input PATH --model CARD.json --output DIR [run options]
# Same as: scripts/vitex run --config conf/local.conf ...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/scripts/vitex" run --config "$ROOT/conf/local.conf" "$@"
