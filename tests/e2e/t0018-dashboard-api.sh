#!/usr/bin/env bash
# t0018 — the dashboard's API routes (issue 8): contacts of every case as
# distinct persons, positive pools with their recall, the alerts (pools
# pending, fever in quarantine, overdue releases), a case's trajectory and
# the zone tree. The world is `cordon demo`'s reference scenario on a
# county of 5,000 people (one case, its traced contacts, their quarantine
# plans, the pooled tube that found it), to which this test adds through
# the API a positive pool, a fever, a second case with hand-made presence
# rows and zones drawn from it. Expected values come from sqlite3 queries
# written independently of the program's SQL (other formulations), from
# the hand-made rows, or from the zones API (the zone clock).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"
DB=$TMP/d.db
Z=+08:00
q() { sqlite3 -batch -noheader "$DB" "$1"; }

run demo --people 5000 --db "$DB"
expect 0 "" "the demo's scenario on 5,000 people" || { finish; exit 1; }
export CORDON_NOW=2022-04-10T10:00:00$Z
TODAY=2022-04-10

HAMLET=$(q "SELECT u.code FROM cases c JOIN persons p ON p.id = c.person_id
  JOIN households h ON h.id = p.household_id JOIN units u ON u.id = h.unit_id
  ORDER BY c.id LIMIT 1")
OTHER=430422200201-001            # a hamlet of another town, far from it
mkuser root admin
mkuser an analyst --unit 430422
mkuser cdc investigator --unit 430422
mkuser lab lab --unit 430422
mkuser gr grid --unit "$HAMLET"
mkuser gr2 grid --unit "$OTHER"
api_start "$DB" || { fail "server"; finish; exit 1; }
R=$(login root) AN=$(login an) CDC=$(login cdc) LABT=$(login lab)
GR=$(login gr) GR2=$(login gr2)
check "logins" test -n "$GR2" -a "$GR2" != null

# all TOKEN PATH: every item of a paged list, 500 at a time, one per line.
all() {
  local off=0 sep='?'
  case "$2" in *\?*) sep='&' ;; esac
  : >"$TMP/all"
  while :; do
    req "$1" GET "$2${sep}limit=500&offset=$off"
    [ "$ST" = 200 ] || { echo "HTTP $ST: ${BODY:0:200}" >&2; return 1; }
    printf '%s' "$BODY" | jq -c '.items[]' >>"$TMP/all"
    off=$(printf '%s' "$BODY" | jq '.next_offset // empty')
    [ -n "$off" ] || break
  done
  cat "$TMP/all"
}
iso() { # SQL expression of Unix seconds → its ISO 8601 text in CST
  printf "strftime('%%Y-%%m-%%dT%%H:%%M:%%S+08:00', %s + 28800, 'unixepoch')" "$1"
}

# ---- 1. pools: a new 10-in-1 pool with 3 members of the grid worker's
# hamlet and 2 of another town, positive; one member re-tested negative.
mapfile -t MINE < <(q "SELECT p.resident_id FROM persons p JOIN households h ON h.id = p.household_id
  JOIN units u ON u.id = h.unit_id WHERE u.code = '$HAMLET' ORDER BY p.id LIMIT 3")
mapfile -t THEIRS < <(q "SELECT p.resident_id FROM persons p JOIN households h ON h.id = p.household_id
  JOIN units u ON u.id = h.unit_id WHERE u.code = '$OTHER' ORDER BY p.id LIMIT 2")
members=$(printf '"%s",' "${MINE[@]}" "${THEIRS[@]}")
req "$LABT" POST /api/v1/samples "{\"tube\": \"T0409-001\", \"pool_size\": 10, \"point\": \"茶市镇卫生院\", \"sampled_at\": \"2022-04-09T09:00:00$Z\", \"members\": [${members%,}]}"
want 201 "a pool of five"
req "$LABT" POST /api/v1/results "{\"tube\": \"T0409-001\", \"result\": \"positive\", \"lab\": \"衡南县疾控中心\", \"result_at\": \"2022-04-09T20:00:00$Z\"}"
want 201 '.applied.controlled == 5' "positive: five members controlled"
req "$LABT" POST /api/v1/samples "{\"tube\": \"T0410-R1\", \"pool_size\": 1, \"point\": \"茶市镇卫生院\", \"sampled_at\": \"2022-04-10T07:00:00$Z\", \"retest_of\": \"T0409-001\", \"members\": [\"${MINE[0]}\"]}"
want 201 "a single tube for one member of the hamlet"
req "$LABT" POST /api/v1/results "{\"tube\": \"T0410-R1\", \"result\": \"negative\", \"lab\": \"衡南县疾控中心\", \"result_at\": \"2022-04-10T09:00:00$Z\"}"
want 201 '.applied.released == 1' "negative: released"
NPOS=$(q "SELECT count(*) FROM samples s JOIN results r ON r.sample_id = s.id WHERE r.result = 'positive' AND s.pool_size > 1")
NALL=$(q "SELECT count(*) FROM results WHERE result = 'positive'")
req "$AN" GET /api/v1/pools
want 200 "(.items | length) == $NPOS" "pools: the $NPOS positive pools"
check "pools: newest result first (T0409-001, then the demo's)" test \
  "$(printf '%s' "$BODY" | jq -r '[.items[].tube] | join(" ")')" = "T0409-001 $(q "SELECT s.tube FROM samples s JOIN results r ON r.sample_id = s.id WHERE r.result = 'positive' AND s.pool_size > 1 AND s.tube <> 'T0409-001' ORDER BY r.result_at DESC")"
check "pools: the new pool's recall" test \
  "$(printf '%s' "$BODY" | jq -c '.items[0] | [.state, .members_total, .members, .resolved, .negative, .positive, .pending]')" = '["controlled",5,5,1,1,0,4]'
DEMO_POOL=$(q "SELECT s.tube || ' ' || (SELECT count(*) FROM sample_members WHERE sample_id = s.id) || ' '
  || (SELECT count(*) FROM pool_controls WHERE sample_id = s.id AND outcome = 'negative') || ' '
  || (SELECT count(*) FROM pool_controls WHERE sample_id = s.id AND outcome = 'positive')
  FROM samples s JOIN results r ON r.sample_id = s.id WHERE r.result = 'positive' AND s.pool_size > 1 AND s.tube <> 'T0409-001'")
check "pools: the demo's pool, resolved ($DEMO_POOL)" test \
  "$(printf '%s' "$BODY" | jq -r '.items[1] | "\(.tube) \(.members) \(.negative) \(.positive) \(.pending) \(.state)"')" = "$DEMO_POOL 0 resolved"
req "$AN" GET "/api/v1/pools?status=all-positive"
want 200 "(.items | length) == $NALL and ([.items[] | select(.pool_size == 1)] | length) == $((NALL - NPOS))" "all-positive: single tubes too"
req "$AN" GET "/api/v1/pools?status=unresolved"
want 200 '[.items[].tube] == ["T0409-001"]' "unresolved: only the new pool"
req "$GR" GET /api/v1/pools
want 200 '(.items | map(select(.tube == "T0409-001")) | .[0] | [.members_total, .members, .negative, .pending]) == [5, 3, 1, 2]' \
  "the grid worker: his three members, one released, two pending"
req "$GR2" GET "/api/v1/pools?status=unresolved"
want 200 '(.items | map([.tube, .members, .negative, .pending])) == [["T0409-001", 2, 0, 2]]' "the other grid worker: his two"
req "$GR2" GET /api/v1/pools
want 200 '[.items[].tube] == ["T0409-001"]' "the other grid worker sees no demo pool (none of its members live there)"
req "$AN" GET "/api/v1/pools?status=negative"
want 400 '.error.field == "status"' "pools: a bad status"

# ---- 2. a case's trajectory: a second case with hand-made presence
# X: of the hamlet, with a phone of their own, not a case, living with a
# contact of the first case (who becomes a contact of both).
X=$(q "SELECT p.resident_id FROM persons p JOIN households h ON h.id = p.household_id
  JOIN units u ON u.id = h.unit_id WHERE u.code = '$HAMLET' AND p.phone IS NOT NULL
  AND p.id NOT IN (SELECT person_id FROM cases) AND EXISTS (SELECT 1 FROM persons o
  JOIN contacts c ON c.person_id = o.id WHERE o.household_id = p.household_id AND o.id <> p.id
  AND c.category IN ('close', 'secondary'))
  AND p.phone IN (SELECT phone FROM persons GROUP BY phone HAVING count(*) = 1) ORDER BY p.id LIMIT 1")
XPHONE=$(q "SELECT phone FROM persons WHERE resident_id = '$X'")
V1=V430422103201-004 V2=V430422103000-005      # a teahouse, a market
req "$CDC" POST /api/v1/cases "{\"rid\": \"$X\", \"class\": \"confirmed\", \"clinical_type\": \"mild\", \"onset\": \"2022-04-08\", \"sampling\": \"2022-04-09\", \"found\": \"fever\", \"isolated\": \"2022-04-09T20:00:00$Z\"}"
want 201 '.number == "430422-C0002"' "a second case"
# The window: 2 days before onset (04-06 00:00) until isolation (04-09 20:00).
cat >"$TMP/scans.csv" <<CSV
resident_id,venue,check_in,check_out
$X,$V1,2022-04-05T20:00:00$Z,2022-04-05T21:00:00$Z
$X,$V1,2022-04-07T09:00:00$Z,2022-04-07T11:00:00$Z
$X,$V2,2022-04-08T07:30:00$Z,
$X,$V2,2022-04-09T21:00:00$Z,
CSV
cat >"$TMP/trips.csv" <<CSV
resident_id,mode,route,date,departure,carriage,seat_row
$X,bus,B103-001,2022-04-05,13:00,1,3
$X,bus,B103-001,2022-04-07,13:00,1,5
$X,rail,G1002,2022-04-08,18:30,4,12
CSV
cat >"$TMP/cells.csv" <<CSV
phone,cell,start,end
$XPHONE,C12040492,2022-04-05T22:00:00$Z,2022-04-06T08:00:00$Z
$XPHONE,C12040492,2022-04-06T08:00:00$Z,2022-04-06T12:00:00$Z
$XPHONE,C12050492,2022-04-06T12:00:00$Z,2022-04-06T14:00:00$Z
$XPHONE,C12040492,2022-04-06T14:00:00$Z,2022-04-06T16:00:00$Z
$XPHONE,C12050492,2022-04-10T00:00:00$Z,2022-04-10T06:00:00$Z
CSV
for s in scans trips cells; do
  req "$CDC" POST "/api/v1/presences/$s" @"$TMP/$s.csv" text/csv
  want 201 "upload $s"
done
req "$GR" GET /api/v1/cases/430422-C0002/trajectory
want 200 '.from == "2022-04-06T00:00:00+08:00" and .to == "2022-04-09T20:00:00+08:00" and .truncated == false' "trajectory: the window"
vname() { q "SELECT name FROM venues WHERE code = '$1'"; }
vunit() { q "SELECT u.code FROM venues v JOIN units u ON u.id = v.unit_id WHERE v.code = '$1'"; }
# Worked by hand: the first two cell stays merge (one cell, nothing
# between); the one overlapping the window's start is kept; scans and rides
# outside the window are not.
cat >"$TMP/traj.want" <<EOF
2022-04-05T22:00:00+08:00	2022-04-06T12:00:00+08:00	cell	C12040492	stays 2
2022-04-06T12:00:00+08:00	2022-04-06T14:00:00+08:00	cell	C12050492	stays 1
2022-04-06T14:00:00+08:00	2022-04-06T16:00:00+08:00	cell	C12040492	stays 1
2022-04-07T09:00:00+08:00	2022-04-07T11:00:00+08:00	scan	$(vname $V1)	$V1 teahouse $(vunit $V1)
2022-04-07T13:00:00+08:00	null	ride	bus B103-001	bus B103-001 2022-04-07 13:00 1 5
2022-04-08T07:30:00+08:00	null	scan	$(vname $V2)	$V2 market $(vunit $V2)
2022-04-08T18:30:00+08:00	null	ride	rail G1002	rail G1002 2022-04-08 18:30 4 12
EOF
printf '%s' "$BODY" | jq -r '.items[] | [.at, (.until // "null"), .kind, .place,
  (if .kind == "cell" then "stays \(.stays)" elif .kind == "scan" then "\(.venue.code) \(.venue.kind) \(.unit)"
   else "\(.ride.mode) \(.ride.route) \(.ride.date) \(.ride.departure) \(.ride.carriage) \(.ride.seat_row)" end)] | @tsv' >"$TMP/traj.got"
check "trajectory: time-ordered scans, rides and merged cell stays" cmp -s "$TMP/traj.want" "$TMP/traj.got"
check "trajectory: the total" test "$(printf '%s' "$BODY" | jq .total)" = 7
req "$GR2" GET /api/v1/cases/430422-C0002/trajectory
want 404 "trajectory of a case outside the grid worker's hamlet: not found"
req "$AN" GET /api/v1/cases/430422-C9999/trajectory
want 404 "trajectory of no case"

# The second case traced (its household: close contacts, some of them
# contacts of the first case too) and its contacts' quarantine planned.
req "$CDC" POST /api/v1/cases/430422-C0002/trace
want 200 '.contacts.close >= 1' "the second case traced"
req "$AN" POST /api/v1/quarantines '{"case": "430422-C0002"}'
want 201 "its contacts' quarantine planned"
BOTH=$(q "SELECT count(*) FROM (SELECT person_id FROM contacts WHERE category IN ('close', 'secondary')
  GROUP BY person_id HAVING count(DISTINCT case_id) = 2)")

# ---- 3. contacts: distinct persons, close beats secondary, the plan
# Expected, per person: close when close to any case; the latest exposure;
# the status of the open plan if any, else of the newest plan, else none.
cat >"$TMP/exp.sql" <<SQL
WITH per AS (
  SELECT person_id AS pid,
    CASE WHEN sum(category = 'close') > 0 THEN 'close' ELSE 'secondary' END AS cat,
    max(last_exposure) AS last
  FROM contacts WHERE (category = 'close' OR category = 'secondary') AND CASEF
  GROUP BY person_id)
SELECT per.pid, u.code, per.cat, $(iso per.last),
  coalesce((SELECT status FROM quarantines q WHERE q.person_id = per.pid
             AND q.status IN ('waiting', 'central', 'home')),
           (SELECT status FROM quarantines q WHERE q.person_id = per.pid
             ORDER BY q.id DESC LIMIT 1), 'none')
FROM per JOIN persons p ON p.id = per.pid
JOIN households h ON h.id = p.household_id JOIN units u ON u.id = h.unit_id
ORDER BY per.last DESC, per.pid;
SQL
q "$(sed 's/CASEF/1/' "$TMP/exp.sql")" | tr '|' '\t' >"$TMP/exp.tsv"
shape='[.person, .hamlet, .category, .last_exposure, .quarantine.status] | @tsv'
all "$AN" "/api/v1/contacts" | jq -r "$shape" >"$TMP/got.tsv"
n=$(wc -l <"$TMP/exp.tsv")
check "contacts: $n distinct persons, ordered by latest exposure" \
  cmp -s "$TMP/exp.tsv" "$TMP/got.tsv"
check "contacts: the demo has close and secondary contacts ($n)" test "$n" -ge 100
filtered() { # TOKEN QUERY AWK-CONDITION DESCRIPTION
  all "$1" "/api/v1/contacts${2:+?$2}" | jq -r "$shape" >"$TMP/got.tsv"
  awk -F'\t' "$3" "$TMP/exp.tsv" >"$TMP/want.tsv"
  check "contacts?$2: $(wc -l <"$TMP/want.tsv") persons, $4" cmp -s "$TMP/want.tsv" "$TMP/got.tsv"
}
filtered "$AN" category=close '$3 == "close"' "close to some case"
filtered "$AN" category=secondary '$3 == "secondary"' "secondary only"
for s in central home released none; do
  filtered "$AN" "status=$s" "\$5 == \"$s\"" "quarantine $s"
done
filtered "$AN" "category=secondary&status=home" '$3 == "secondary" && $5 == "home"' "both filters"
filtered "$AN" "unit=430422103201" '$2 ~ /^430422103201-/' "under the village"
filtered "$GR" "" "\$2 == \"$HAMLET\"" "the grid worker's hamlet only"
q "$(sed "s/CASEF/case_id = (SELECT id FROM cases WHERE number = '430422-C0002')/" "$TMP/exp.sql")" | tr '|' '\t' >"$TMP/exp2.tsv"
all "$AN" "/api/v1/contacts?case=430422-C0002" | jq -r "$shape" >"$TMP/got.tsv"
check "contacts?case=430422-C0002: $(wc -l <"$TMP/exp2.tsv") persons, category and exposure toward it" cmp -s "$TMP/exp2.tsv" "$TMP/got.tsv"
check "persons close to both cases ($BOTH) are listed once, with both numbers" test \
  "$(all "$AN" /api/v1/contacts | jq -r 'select(.cases == ["430422-C0001", "430422-C0002"]) | .person' | wc -l)" = "$BOTH"
check "some person is a contact of both cases" test "$BOTH" -gt 0
check "the grid worker's hamlet has contacts" test "$(wc -l <"$TMP/want.tsv")" -gt 0
req "$AN" GET "/api/v1/contacts?limit=7&offset=7"
want 200 "(.items | length) == 7 and .offset == 7 and .next_offset == 14" "contacts: a page"
check "contacts: the page is rows 8-14" test \
  "$(printf '%s' "$BODY" | jq -r '.items[] | .person')" = "$(sed -n 8,14p "$TMP/exp.tsv" | cut -f1)"
req "$GR" GET "/api/v1/contacts?unit=430422"
want 403 '.error.field == "unit"' "a grid worker's list of the county: refused"
req "$AN" GET "/api/v1/contacts?category=companion"
want 400 '.error.field == "category"' "category companion: refused, naming the field"
req "$AN" GET "/api/v1/contacts?status=gone"
want 400 '.error.field == "status"' "an unknown status: refused"
req "$AN" GET "/api/v1/contacts?case=430422-C9999"
want 404 "an unknown case"
# One person in full: the plan's site, room, end and sampling days.
P=$(q "SELECT q.person_id FROM quarantines q WHERE q.status = 'central' AND q.grp = 'close' ORDER BY q.id LIMIT 1")
item=$(all "$AN" "/api/v1/contacts?status=central" | jq -c "select(.person == $P)")
plan=$(q "SELECT q.id || ' ' || s.code || ' ' || r.number || ' ' || q.quarantine_end FROM quarantines q
  JOIN rooms r ON r.id = q.room_id JOIN sites s ON s.id = r.site_id WHERE q.id =
  (SELECT id FROM quarantines WHERE person_id = $P AND status = 'central')")
check "contact $P: plan, site, room and end ($plan)" test \
  "$(printf '%s' "$item" | jq -r '.quarantine | "\(.plan) \(.site) \(.room) \(.quarantine_end)"')" = "$plan"
days=$(q "SELECT group_concat(date, ' ') FROM (SELECT DISTINCT t.date FROM quarantine_tests t
  JOIN quarantines q ON q.id = t.quarantine_id WHERE q.person_id = $P AND q.status = 'central' ORDER BY 1)")
check "contact $P: sampling days $days" test \
  "$(printf '%s' "$item" | jq -r '.quarantine.sampling_days | join(" ")')" = "$days"
CASES=$(q "SELECT json_group_array(number) FROM (SELECT k.number FROM contacts c JOIN cases k ON k.id = c.case_id
  WHERE c.person_id = $P AND c.category IN ('close', 'secondary') ORDER BY k.number)")
check "contact $P: masked ID, the cases' numbers $CASES" test \
  "$(printf '%s' "$item" | jq -c '[(.rid | test("^[0-9]{6}[*]{8}[0-9]{3}[0-9X]$")), .cases]')" = "[true,$CASES]"
# A secondary contact names the close contact it came through.
V=$(q "SELECT person_id || ' ' || via_person_id FROM contacts WHERE category = 'secondary'
  AND person_id NOT IN (SELECT person_id FROM contacts WHERE category = 'close') ORDER BY person_id LIMIT 1")
check "a secondary contact's via (${V#* })" test \
  "$(all "$AN" /api/v1/contacts?category=secondary | jq -r "select(.person == ${V% *}) | .via.person")" = "${V#* }"

# ---- 4. alerts: fever, overdue releases, the pool pending
# A home-quarantined contact of the grid worker's hamlet runs a fever.
FEV=$(q "SELECT p.resident_id FROM quarantines q JOIN persons p ON p.id = q.person_id
  JOIN households h ON h.id = p.household_id JOIN units u ON u.id = h.unit_id
  WHERE u.code = '$HAMLET' AND q.status IN ('home', 'central') AND q.grp <> 'discharged' ORDER BY q.id LIMIT 1")
check "a person of the hamlet in quarantine ($FEV)" test -n "$FEV"
req "$AN" POST "/api/v1/quarantines/$FEV/monitoring" "{\"temp\": 37.6, \"symptoms\": \"咳嗽\", \"at\": \"2022-04-10T08:00:00$Z\"}"
want 201 '.alert != null' "37.6 °C: an alert"
req "$AN" POST "/api/v1/quarantines/$FEV/monitoring" "{\"temp\": 36.6, \"at\": \"2022-04-10T09:00:00$Z\"}"
want 201 '.alert == null' "36.6 °C: none"
overdue() { # DATE [HAMLET]: open plans whose end is before DATE
  q "SELECT count(*) FROM quarantines q JOIN persons p ON p.id = q.person_id
     JOIN households h ON h.id = p.household_id JOIN units u ON u.id = h.unit_id
     WHERE q.status IN ('waiting', 'central', 'home') AND q.quarantine_end < '$1'
     AND ('${2-}' = '' OR u.code = '${2-}')"
}
OD=$(overdue $TODAY) LATE=2022-05-20 MID=2022-04-17
ODL=$(overdue $LATE) ODM=$(overdue $MID) ODG=$(overdue $LATE "$HAMLET") ODO=$(overdue $LATE $OTHER)
check "plans overdue by $LATE ($ODL), fewer by $MID ($ODM), some in the hamlet ($ODG)" \
  test "$ODL" -ge 3 -a "$ODM" -lt "$ODL" -a "$ODG" -gt 0
req "$AN" GET /api/v1/alerts
want 200 ".date == \"$TODAY\" and .totals.overdue_releases == $OD and .totals.fever == 1 and .totals.positive_pools == 1 and .fever_window.from == \"2022-04-09T10:00:00$Z\"" \
  "alerts today: $OD overdue, one fever (in the last 24 hours), one pool pending"
check "alerts: the fever's person and temperature" test \
  "$(printf '%s' "$BODY" | jq -r '.fever[0] | "\(.person) \(.temp) \(.symptoms) \(.at) \(.hamlet)"')" = "$(q "SELECT id FROM persons WHERE resident_id = '$FEV'") 37.6 咳嗽 2022-04-10T08:00:00$Z $HAMLET"
check "alerts: the pool pending" test "$(printf '%s' "$BODY" | jq -r '.positive_pools[0].tube')" = T0409-001
req "$AN" GET "/api/v1/alerts?date=$LATE"
want 200 ".totals.overdue_releases == $ODL and (.overdue_releases | length) == ([$ODL, 50] | min) and .totals.fever == 0" \
  "alerts on $LATE: $ODL overdue, no fever that day"
first=$(q "SELECT q.id || ' ' || q.quarantine_end FROM quarantines q WHERE q.status IN ('waiting', 'central', 'home')
  AND q.quarantine_end < '$LATE' ORDER BY q.quarantine_end, q.id LIMIT 1")
check "alerts: the oldest end first ($first)" test \
  "$(printf '%s' "$BODY" | jq -r '.overdue_releases[0] | "\(.plan) \(.quarantine_end)"')" = "$first"
req "$AN" GET "/api/v1/alerts?date=$MID"
want 200 ".totals.overdue_releases == $ODM" "alerts on $MID: $ODM overdue"
req "$GR" GET "/api/v1/alerts?date=$LATE"
want 200 ".totals.overdue_releases == $ODG and ([.overdue_releases[].hamlet] | unique) == [\"$HAMLET\"] and .positive_pools[0].members == 3" \
  "the grid worker's alerts: his hamlet only"
req "$GR" GET /api/v1/alerts
want 200 '.totals.fever == 1' "the grid worker sees the fever of his hamlet"
req "$GR2" GET "/api/v1/alerts?date=$LATE"
want 200 ".totals.overdue_releases == $ODO and .positive_pools[0].members == 2" "the other grid worker: his own"
req "$GR2" GET /api/v1/alerts
want 200 ".totals.fever == 0" "the other grid worker: not the fever"
req "$GR" GET "/api/v1/alerts?unit=$OTHER"
want 404 "alerts of a hamlet outside: not found"

# ---- 5. the zone tree: zones drawn from the second case, confirmed
req "$AN" POST /api/v1/zone-proposals '{"cases": ["430422-C0002"], "precaution": "town"}'
want 201 "zones proposed"
PR=$(printf '%s' "$BODY" | jq -r .proposal)
req "$AN" POST "/api/v1/zone-proposals/$PR/confirm"
want 200 "confirmed"
VILLAGE=${HAMLET%-*} TOWN=${HAMLET:0:9}000
# Independently: every active zone's unit areas and venue areas' units,
# with every ancestor of each area unit (a recursive walk up).
cat >"$TMP/zones.sql" <<'SQL'
WITH RECURSIVE area(zone, level, venue, unit) AS (
  SELECT z.id, z.level, a.venue_id IS NOT NULL, coalesce(a.unit_id, v.unit_id)
  FROM zones z JOIN zone_areas a ON a.zone_id = z.id LEFT JOIN venues v ON v.id = a.venue_id
  WHERE z.status = 'active'),
up(zone, level, venue, area, anc, depth) AS (
  SELECT zone, level, venue, unit, unit, 0 FROM area
  UNION ALL SELECT up.zone, up.level, up.venue, up.area, u.parent_id, up.depth + 1
  FROM up JOIN units u ON u.id = up.anc WHERE u.parent_id IS NOT NULL)
SQL
# expected TSV for the children of a unit: code, has_children, covering
# zone (highest level, then lowest id) or -, inner level or 0
tree_exp() {
  q "$(cat "$TMP/zones.sql")
  SELECT c.code, CASE WHEN EXISTS (SELECT 1 FROM units g WHERE g.parent_id = c.id) THEN 'true' ELSE 'false' END,
    coalesce((SELECT printf('Z%04d', up.zone) FROM up JOIN zones z ON z.id = up.zone
      WHERE up.venue = 0 AND up.area IN (SELECT c2.id FROM units c2 WHERE c2.id = c.id
        OR c2.id = c.parent_id OR c2.id = (SELECT parent_id FROM units WHERE id = c.parent_id)
        OR c2.id = (SELECT p2.parent_id FROM units p1 JOIN units p2 ON p2.id = p1.parent_id WHERE p1.id = c.parent_id))
      ORDER BY z.level DESC, z.id LIMIT 1), '-'),
    coalesce((SELECT max(level) FROM up WHERE up.anc = c.id AND (up.depth > 0 OR up.venue = 1)), 0)
  FROM units c WHERE c.parent_id = (SELECT id FROM units WHERE code = '$1') ORDER BY c.code" | tr '|' '\t'
}
tree_got() { # TOKEN UNIT
  all "$1" "/api/v1/zone-tree?unit=$2" | jq -r '[.code, .has_children, (.zone.zone // "-"), (.inner.level // 0)] | @tsv'
}
for u in 430422 $TOWN $VILLAGE; do
  tree_exp "$u" >"$TMP/tree.want"
  tree_got "$AN" "$u" >"$TMP/tree.got"
  check "zone tree of $u: $(wc -l <"$TMP/tree.want") children with covering and inner zones" cmp -s "$TMP/tree.want" "$TMP/tree.got"
done
check "zone tree: the case's town is covered and holds a high zone" \
  grep -q "^$TOWN	true	Z[0-9]*	3$" <(tree_exp 430422)
check "zone tree: the case's hamlet is covered by its high zone" \
  test "$(tree_exp "$VILLAGE" | awk -F'\t' -v h="$HAMLET" '$1 == h { print $3 }')" != -
# The earliest step of each covering zone, from the zones API.
all "$AN" "/api/v1/zone-tree?unit=$VILLAGE" >"$TMP/tree.json"
bad=0
for zid in $(jq -r '.zone.zone // empty' "$TMP/tree.json" | sort -u); do
  req "$AN" GET "/api/v1/zones/$zid"
  e=$(printf '%s' "$BODY" | jq -r '.next.earliest // "null"')
  lv=$(printf '%s' "$BODY" | jq -r '.level_number')
  n=$(jq -r --arg z "$zid" --arg e "$e" --argjson l "$lv" 'select(.zone.zone == $z and ((.earliest // "null") != $e or .zone.level != $l or .zone.status != "active")) | .code' "$TMP/tree.json" | wc -l)
  bad=$((bad + n))
done
check "zone tree: each zone's level and earliest step as the zones API says ($bad differ)" test "$bad" = 0
check "zone tree: the high zone has an earliest day" \
  test "$(jq -r --arg h "$HAMLET" 'select(.code == $h) | .earliest' "$TMP/tree.json" | grep -c '^2022-')" = 1
req "$AN" GET /api/v1/zone-tree
want 200 "[.items[].code] == $(q "SELECT json_group_array(code) FROM (SELECT code FROM units WHERE parent_id = (SELECT id FROM units WHERE code = '430422') ORDER BY code)")" \
  "zone tree: the analyst's default is his county's towns"
req "$R" GET /api/v1/zone-tree
want 200 '[.items[].code] == ["430422"] and .items[0].inner.level == 3' "the whole database: the county, with a high zone inside"
req "$GR" GET /api/v1/zone-tree
want 200 '.items == []' "a grid worker's default: his hamlet has no children"
req "$GR" GET "/api/v1/zone-tree?unit=$VILLAGE"
want 403 '.error.field == "unit"' "a grid worker's tree of the village: refused"
req "$AN" GET "/api/v1/zone-tree?unit=430422999999"
want 404 "an unknown unit"
req "$AN" GET "/api/v1/zone-tree?unit=$VILLAGE&limit=2&offset=1"
want 200 "[.items[].code] == $(q "SELECT json_group_array(code) FROM (SELECT code FROM units WHERE parent_id = (SELECT id FROM units WHERE code = '$VILLAGE') ORDER BY code LIMIT 2 OFFSET 1)")" "zone tree: a page"

# As of a past day (date=): the demo's own zones by the scenario's schedule
# (docs/zones.md, printed by the demo): from 03-30 Z0001 high (北青屋场 and
# two venues of 茶市镇), Z0002 medium (洲岭村), Z0003 low (茶市镇); Z0002
# lifted 04-02; Z0001 down to medium 04-06 and lifted 04-09 with Z0003.
# Each row: child, covering zone and its level then, inner level, zones.
asof() { # UNIT DATE
  all "$AN" "/api/v1/zone-tree?unit=$1&date=$2" |
    jq -r '[.code, (.zone.zone // "-"), (.zone.level // 0), (.inner.level // 0), (.inner.zones // 0), (.zone.next // "-"), (.earliest // "-")] | join(" ")' | tr '\n' ','
}
check "zone tree on 03-29: no zone yet" \
  test "$(asof 430422 2022-03-29)" = "430422001000 - 0 0 0 - -,430422103000 - 0 0 0 - -,430422200000 - 0 0 0 - -,"
check "zone tree on 03-30: 茶市镇 low, a high and a medium zone inside" \
  test "$(asof 430422 2022-03-30)" = "430422001000 - 0 0 0 - -,430422103000 Z0003 1 3 2 - -,430422200000 - 0 0 0 - -,"
check "zone tree on 03-30 of 茶市镇: 洲岭村 medium (its own zone beats the low one), high inside" \
  grep -q "^430422103201 Z0002 2 3 1 - -$" <(asof 430422103000 2022-03-30 | tr ',' '\n')
check "zone tree on 04-07: Z0002 lifted, Z0001 medium since 04-06" \
  test "$(asof 430422 2022-04-07)" = "430422001000 - 0 0 0 - -,430422103000 Z0003 1 2 1 - -,430422200000 - 0 0 0 - -,"
check "zone tree on 04-09: all three lifted" \
  test "$(asof 430422 2022-04-09 | tr ',' '\n' | grep -c ' Z000[123] ')" = 0
req "$AN" GET "/api/v1/zone-tree?date=2022-13-01"
want 400 '.error.field == "date"' "zone tree: a bad date"

api_stop
check "the server stopped cleanly" test "$STOP_RC" -eq 0
finish
