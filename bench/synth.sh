#!/usr/bin/env bash
# bench/synth.sh [PEOPLE] — how fast a synthetic county is built, with a
# baseline in the same run: SQLite's own shell importing the same scans and
# cell stays from CSV into plain tables (no indexes, no validation).
# Prints figures; never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
scripts/deps.sh
make -s release
C=build/release/cordon
W=$(mktemp -d /tmp/cordon-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }
calc() { awk "BEGIN { print $1 }"; }

echo "synthetic county of $N people, 14 days, seed 20220330"
t0=$(date +%s.%N)
$C synth --db "$W/c.db" --people "$N"
t_db=$(secs "$t0")
t0=$(date +%s.%N)
$C synth --csv "$W/csv" --people "$N" >/dev/null
t_csv=$(secs "$t0")
rows=$(( $(wc -l < "$W/csv/scans.csv") + $(wc -l < "$W/csv/cells.csv") - 2 ))

# Baseline: the sqlite3 shell's .import of the scans and cells files.
t0=$(date +%s.%N)
sqlite3 "$W/base.db" <<SQL
PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
CREATE TABLE scans(resident_id TEXT, venue TEXT, check_in TEXT, check_out TEXT);
CREATE TABLE cells(phone TEXT, cell TEXT, start TEXT, "end" TEXT);
.mode csv
.import --skip 1 $W/csv/scans.csv scans
.import --skip 1 $W/csv/cells.csv cells
SQL
t_base=$(secs "$t0")

printf '\n%-52s %10s %14s\n' "" "seconds" "rows/s"
printf '%-52s %10.1f %14s\n' "cordon synth --db (whole county, all movements)" "$t_db" "-"
printf '%-52s %10.1f %14s\n' "cordon synth --csv" "$t_csv" "-"
printf '%-52s %10.1f %14.0f\n' "baseline: sqlite3 .import of scans+cells only" "$t_base" "$(calc "$rows / $t_base")"
printf '\ndatabase size: %s; CSV size: %s\n' "$(du -h "$W/c.db" | cut -f1)" "$(du -sh "$W/csv" | cut -f1)"
printf 'synth --db built everything in %.2fx the time the baseline took to load %d scan and cell rows.\n' \
  "$(calc "$t_db / $t_base")" "$rows"
