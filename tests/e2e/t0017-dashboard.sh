#!/usr/bin/env bash
# t0017 — the dashboard (issue 8) in Debian's headless Chromium: the
# demo's reference scenario (5,000 people), an analyst of the county and
# the grid worker of the first case's home hamlet (as scripts/demo.sh makes
# them), `cordon serve --web web` on 127.0.0.1, then
# tests/browser/dashboard.test.mjs (puppeteer-core): every page of each
# role, figures on screen against the API's, the grid worker's hamlets,
# the language switch, console errors, phone width; screenshots under
# build/screenshots/. Needs scripts/web-deps.sh (chromium, node, npm ci).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# The scenario's clock: a few days after the reference day.
export CORDON_NOW=2022-04-01T12:00:00+08:00
DB=$TMP/d.db

for need in node /usr/bin/chromium "$ROOT/tests/browser/node_modules/puppeteer-core" \
            "$ROOT/web/node_modules/echarts/dist/echarts.min.js"; do
  if ! command -v "$need" >/dev/null 2>&1 && [ ! -e "$need" ]; then
    fail "missing $need: run scripts/web-deps.sh"; finish; exit 1
  fi
done

run demo --people 5000 --db "$DB"
expect 0 "" "the demo's reference scenario"
# The grid worker of the first case's home hamlet, as scripts/demo.sh.
HAMLET=$(sqlite3 "$DB" "SELECT u.code FROM units u JOIN households h ON h.unit_id = u.id
  JOIN persons p ON p.household_id = h.id JOIN cases c ON c.person_id = p.id ORDER BY c.id LIMIT 1")
COUNTY=$(sqlite3 "$DB" "SELECT code FROM units WHERE level = 1 ORDER BY code LIMIT 1")
check "the case's hamlet is known" test -n "$HAMLET" -a "$COUNTY" = 430422
mkuser web.analyst analyst --unit "$COUNTY"
mkuser web.grid grid --unit "$HAMLET"
mkuser web.admin admin

api_start "$DB" --web "$ROOT/web" || { fail "server"; finish; exit 1; }
SHOTS=$ROOT/build/screenshots
rm -rf "$SHOTS"
CORDON_URL=$API ANALYST=web.analyst ADMIN=web.admin GRID=web.grid GRID_UNIT=$HAMLET PASSWORD=$PW \
  REPORT_DATE=2022-03-30 SHOTS=$SHOTS \
  timeout 150 node "$ROOT/tests/browser/dashboard.test.mjs" >"$TMP/browser.out" 2>&1
RC=$?
grep -v '^dashboard: [0-9]* passed' "$TMP/browser.out" >&2
line=$(grep '^dashboard: [0-9]* passed, [0-9]* failed$' "$TMP/browser.out")
bp=$(echo "$line" | sed -n 's/^dashboard: \([0-9]*\) passed.*/\1/p')
bf=$(echo "$line" | sed -n 's/.*passed, \([0-9]*\) failed$/\1/p')
T_PASS=$((T_PASS + ${bp:-0}))
if [ "$RC" -ne 0 ] || [ -z "$line" ]; then
  T_FAIL=$((T_FAIL + ${bf:-0}))
  [ "${bf:-0}" -eq 0 ] && fail "the browser test exited $RC"
fi
n=$(ls "$SHOTS"/*.png 2>/dev/null | wc -l)
check "screenshots saved ($n)" test "$n" -ge 40

api_stop
check "the server stops cleanly" test "$STOP_RC" -eq 0
finish
