#!/usr/bin/env bash
# Build cordon and run the demo: a synthetic county of 100,000 people and
# the reference scenario from the positive pool to the discharge, ending
# with the dashboard serving it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/web-deps.sh
make -s -j"$(nproc 2>/dev/null || echo 2)" release
mkdir -p build/demo
DB=build/demo/demo.db
rm -rf "$DB" "$DB-wal" "$DB-shm" "$DB.partial" "$DB.presence" "$DB.partial.presence"
build/release/cordon demo --db "$DB" "$@"

# The demo ends with the dashboard and the HTTP API serving the scenario
# (docs/dashboard.md, docs/api.md): accounts with a fresh random password,
# then `cordon serve --web web` until Ctrl-C.
# DEMO_SERVE=0 skips it (scripted runs); PORT picks the port (8080).
[ "${DEMO_SERVE:-1}" = 0 ] && exit 0
PORT=${PORT:-8080}
PASS=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
HAMLET=$(sqlite3 "$DB" "SELECT u.code FROM units u JOIN households h ON h.unit_id = u.id
  JOIN persons p ON p.household_id = h.id JOIN cases c ON c.person_id = p.id ORDER BY c.id LIMIT 1")
COUNTY=$(sqlite3 "$DB" "SELECT code FROM units WHERE level = 1 ORDER BY code LIMIT 1")
for u in "demo.admin --role admin" "demo.analyst --role analyst --unit $COUNTY --unmask" \
         "demo.grid --role grid --unit $HAMLET"; do
  set -- $u
  printf '%s\n' "$PASS" | build/release/cordon user add "$@" --db "$DB" >/dev/null
done
DAY=$(sqlite3 "$DB" "SELECT date(min(reported), 'unixepoch', '+8 hours') FROM cases")
echo
echo "== The dashboard (指挥中心): http://127.0.0.1:$PORT/#/overview?date=$DAY"
echo "   the reference scenario's day; move the report date to follow it to the"
echo "   discharge on day 18 (docs/dashboard.md). Users: demo.analyst (county $COUNTY),"
echo "   demo.grid (grid worker of hamlet $HAMLET, try a phone-width window),"
echo "   demo.admin (everything); password for all three: $PASS"
echo "== The HTTP API under http://127.0.0.1:$PORT/api/v1/ (docs/api.md), e.g."
echo "   curl -s -X POST -H 'Content-Type: application/json' \\"
echo "     -d '{\"username\":\"demo.analyst\",\"password\":\"$PASS\"}' http://127.0.0.1:$PORT/api/v1/login"
echo "   Ctrl-C stops the server."
exec build/release/cordon serve --db "$DB" --listen "127.0.0.1:$PORT" --web web
