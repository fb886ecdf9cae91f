#!/usr/bin/env bash
# Build cordon and run the demo: a synthetic county of 100,000 people and
# the reference scenario, as far as cordon can play it today.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
make -s -j"$(nproc 2>/dev/null || echo 2)" release
mkdir -p build/demo
DB=build/demo/demo.db
rm -rf "$DB" "$DB-wal" "$DB-shm" "$DB.partial" "$DB.presence" "$DB.partial.presence"
exec build/release/cordon demo --db "$DB" "$@"
