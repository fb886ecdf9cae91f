#!/usr/bin/env bash
# Build cordon and run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
make -s -j"$(nproc 2>/dev/null || echo 2)" release
mkdir -p build/demo
DB=build/demo/demo.db
rm -f "$DB" "$DB-wal" "$DB-shm"
C=build/release/cordon
echo "== cordon demo: a registry for a slice of 衡南县 (Hengnan county)"
$C init --db "$DB"
for k in units households persons venues grid-workers; do
  $C import "$k" "tests/data/$k.csv" --db "$DB"
done
echo; echo "== the hierarchy with head counts"
$C unit tree 430422 --db "$DB"
echo; echo "== venues (场所码) in 茶市镇"
$C venue list --unit 430422103000 --db "$DB"
id=$(sed -n 2p tests/data/persons.csv | cut -d, -f1)
echo; echo "== one resident, masked"
$C person show "$id" --db "$DB"
echo; echo "Database: $DB — try: $C help"
