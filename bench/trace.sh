#!/usr/bin/env bash
# bench/trace.sh [PEOPLE] — ingest and tracing at county scale, side by
# side with baselines in the same run (issue 4's performance section):
#   ingest: cordon import of scans, trips and cells (CSV → segments ready
#           to trace) vs. SQLite with two covering indexes, PostgreSQL COPY
#           with the same indexes, and SQLite with no index at all;
#   trace:  bench_trace (one case, 100 cases, vs. the SQL two-hop join,
#           identical sets checked).
# Prints figures; never fails on a number. Needs about 12 GB of disk at
# 1,000,000 people. PostgreSQL is installed from Debian if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
BASE_ROWS=${BASE_ROWS:-10000000}   # rows for the indexed baselines
scripts/deps.sh
make -s release bench
C=build/release/cordon
W=$(mktemp -d /tmp/cordon-bench.XXXXXX)
chmod 755 "$W"
trap 'pg_stop; rm -rf "$W"' EXIT
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
PG=""
pg_stop() { [ -n "$PG" ] && runuser -u postgres -- "$PG/pg_ctl" -D "$W/pg" -m fast stop >/dev/null 2>&1 || true; }

echo "== a synthetic county of $N people (CSV)"
$C synth --csv "$W/csv" --people "$N" | tail -1
$C init --db "$W/c.db" >/dev/null
t=$(now)
for k in units households persons venues grid-workers; do
  $C import "$k" "$W/csv/$k.csv" --db "$W/c.db" >/dev/null
done
echo "registry imported in $(since "$t") s"

echo "== ingest: cordon import (validated, resolved, sorted, indexed, durable)"
rows=0; t=$(now)
for k in scans trips cells; do
  $C import "$k" "$W/csv/$k.csv" --db "$W/c.db"
  rows=$((rows + $(wc -l < "$W/csv/$k.csv") - 1))
done
t_cordon=$(since "$t")

echo "== baselines on the cell stays (the largest file)"
head -n $((BASE_ROWS + 1)) "$W/csv/cells.csv" | tail -n +2 > "$W/base.csv"
nb=$(wc -l < "$W/base.csv")
t=$(now)
sqlite3 "$W/idx.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
CREATE TABLE cells(phone TEXT, cell TEXT, start TEXT, "end" TEXT);
CREATE INDEX cells_by_cell ON cells(cell, start, phone);
CREATE INDEX cells_by_phone ON cells(phone, start, cell);
.mode csv
.import $W/base.csv cells
SQL
t_sqlite_idx=$(since "$t")
t=$(now)
sqlite3 "$W/noidx.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
CREATE TABLE cells(phone TEXT, cell TEXT, start TEXT, "end" TEXT);
.mode csv
.import $W/base.csv cells
SQL
t_sqlite_noidx=$(since "$t")

t_pg=""
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get install -y -qq postgresql >/dev/null 2>&1 || true
fi
PG=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1 || true)
if [ -n "$PG" ]; then
  mkdir -p "$W/pg" "$W/sock"; chown postgres "$W/pg" "$W/sock"; chmod 644 "$W/base.csv"
  runuser -u postgres -- "$PG/initdb" -D "$W/pg" >/dev/null
  runuser -u postgres -- "$PG/pg_ctl" -D "$W/pg" -o "-k $W/sock -c listen_addresses=''" -w start >/dev/null
  psql() { runuser -u postgres -- "$PG/psql" -h "$W/sock" -d postgres -q "$@"; }
  psql -c "CREATE TABLE cells(phone text, cell text, start timestamptz, \"end\" timestamptz);
           CREATE INDEX ON cells(cell, start, phone); CREATE INDEX ON cells(phone, start, cell);"
  t=$(now)
  psql -c "COPY cells FROM '$W/base.csv' WITH (FORMAT csv)"
  t_pg=$(since "$t")
fi

printf '\n%-62s %12s %12s\n' "ingest" "rows" "rows/s"
printf '%-62s %12d %12s\n' "cordon import scans+trips+cells → segments" "$rows" "$(rate "$rows" "$t_cordon")"
printf '%-62s %12d %12s\n' "SQLite, two covering indexes" "$nb" "$(rate "$nb" "$t_sqlite_idx")"
[ -n "$t_pg" ] && printf '%-62s %12d %12s\n' "PostgreSQL COPY, two covering indexes" "$nb" "$(rate "$nb" "$t_pg")"
printf '%-62s %12d %12s\n' "SQLite, no index (the practical ceiling)" "$nb" "$(rate "$nb" "$t_sqlite_noidx")"
awk -v a="$(rate "$rows" "$t_cordon")" -v b="$(rate "$nb" "$t_sqlite_idx")" \
  'BEGIN { printf "cordon / SQLite with indexes: %.1fx\n", a / b }'
du -sh "$W/c.db.presence" | awk '{ print "segments on disk: " $1 }'

echo; echo "== tracing"
build/release/bench/bench_trace "$W/c.db" 100 10
