#!/usr/bin/env bash
# bench/report.sh [PEOPLE] — the daily report at county scale (issue 8):
# a synthetic county (cordon synth --db, one day of movements; reused from
# build/bench/ when there), then a month of outbreak written straight into
# its tables with the sqlite3 shell: 300 cases over 2022-03-01..30 (a
# third asymptomatic, some converted, cured, dead), 100 contacts per case
# (close and secondary), a quarantine plan for each close contact, 20
# sites, zones, and on 2022-03-30 a county-wide round sampling every
# resident in 10-in-1 pools (the heaviest day a report meets: 1,000,000
# people sampled, 100,000 tubes). Times `cordon report daily` for the
# county (a row per town) as JSON and XLSX, for one town, a 30-day
# series and the curve. Baseline in the same run: the sqlite3 shell
# counting the day's sampled persons alone (one figure of ~45, no
# grouping). Prints figures; never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
make -s release
C=$PWD/build/release/cordon
W=$(mktemp -d /tmp/cordon-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
export CORDON_NOW=2022-03-31T12:00:00+08:00
DB=$W/c.db
CACHE=build/bench/county-$N.db
if [ -f "$CACHE" ]; then
  echo "== the synthetic county of $N people from $CACHE"
  cp "$CACHE" "$DB"
else
  echo "== a synthetic county of $N people"
  t=$(now)
  $C synth --db "$DB" --people "$N" --days 1 | tail -1
  echo "synth in $(since "$t") s"
fi
$C version >/dev/null
# Bring the copy to this cordon's schema (the report's indexes).
$C report daily --date 2022-03-01 --unit 430422 --json --db "$DB" >/dev/null

echo "== a month of outbreak, written with the sqlite3 shell"
t=$(now)
sqlite3 -bail "$DB" <<'SQL'
PRAGMA journal_mode=WAL;
BEGIN;
-- 300 cases: person ids spread over the county; reported on day i % 30.
CREATE TEMP TABLE pick AS
  SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM persons
  WHERE id % (SELECT max(id) / 300 FROM persons) = 7 LIMIT 300;
INSERT INTO case_counters VALUES ((SELECT id FROM units WHERE level = 1
  ORDER BY code LIMIT 1), 300);
INSERT INTO cases(number, county_id, seq, person_id, class, clinical_type,
  imported, found, onset, sampling, reported, outcome, outcome_date,
  converted)
SELECT printf('430422-C%04d', i + 1), (SELECT id FROM units WHERE level = 1
  ORDER BY code LIMIT 1), i + 1, id,
  CASE WHEN i % 3 = 2 THEN 'asymptomatic' ELSE 'confirmed' END,
  CASE WHEN i % 3 = 2 THEN NULL ELSE 'mild' END, i % 10 = 0, 'screening',
  NULL, date('2022-03-01', printf('+%d days', i % 30)),
  unixepoch('2022-03-01 02:00') + (i % 30) * 86400 + (i * 997) % 86400,
  CASE WHEN i % 30 < 16 AND i % 7 <> 3 THEN 'cured'
       WHEN i % 30 < 16 AND i % 21 = 3 THEN 'died' END,
  CASE WHEN i % 30 < 16 AND (i % 7 <> 3 OR i % 21 = 3)
       THEN date('2022-03-01', printf('+%d days', i % 30 + 14)) END,
  CASE WHEN i % 3 = 1 AND i % 2 = 0
       THEN date('2022-03-01', printf('+%d days', i % 30 + 1)) END
FROM pick;
UPDATE cases SET converted = NULL
  WHERE converted IS NOT NULL AND outcome_date IS NOT NULL
  AND converted > outcome_date;
-- 100 contacts per case: close, then secondary; traced a day later.
INSERT INTO contacts(case_id, person_id, category, via_person_id, is_case,
  first_exposure, last_exposure, traced_at)
SELECT c.id, (c.person_id + k * 37) % (SELECT max(id) FROM persons) + 1,
  CASE WHEN k <= 30 THEN 'close' ELSE 'secondary' END, NULL, 0,
  c.reported - 86400 * 2, c.reported - 3600, c.reported + 86400
FROM cases c, (WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1
  FROM n WHERE k < 100) SELECT k FROM n)
WHERE 1 ON CONFLICT DO NOTHING;
-- 20 sites of 300 rooms, 1 or 2 places.
INSERT INTO sites(code, name, unit_id)
SELECT printf('H%02d', n.k), printf('隔离酒店%d', n.k), t.id
FROM (WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n
  WHERE k < 20) SELECT k FROM n) n
JOIN (SELECT id, row_number() OVER (ORDER BY code) - 1 AS j FROM units
  WHERE level = 2) t ON t.j = n.k % 5;
INSERT INTO rooms(site_id, number, capacity)
SELECT s.id, printf('%03d', r), 1 + r % 2 FROM sites s,
  (WITH RECURSIVE n(r) AS (SELECT 1 UNION ALL SELECT r + 1 FROM n
   WHERE r < 300) SELECT r FROM n);
-- A plan per close contact (one per person): the first 6,000 central
-- (one per room), the rest at home, released after their 7 days.
CREATE TEMP TABLE cc AS SELECT person_id, min(traced_at) t FROM contacts
  WHERE category = 'close' GROUP BY person_id;
INSERT INTO quarantines(person_id, grp, profile, regime, last_exposure,
  central_end, quarantine_end, status, room_id, planned_at, ended_on)
SELECT person_id, 'close', 'v9', 'central=7:1,2,3,5,7',
  date(t, 'unixepoch', '+8 hours', '-1 days'),
  date(t, 'unixepoch', '+8 hours', '+6 days'),
  date(t, 'unixepoch', '+8 hours', '+6 days'),
  CASE WHEN t + 7 * 86400 < unixepoch('2022-03-31 04:00') THEN 'released'
       WHEN rowid <= 6000 THEN 'central' ELSE 'home' END,
  CASE WHEN rowid <= 6000 THEN rowid END, t,
  CASE WHEN t + 7 * 86400 < unixepoch('2022-03-31 04:00')
       THEN date(t, 'unixepoch', '+8 hours', '+7 days') END
FROM cc;
-- Zones: a sealed hamlet per case of the last week, the county low.
INSERT INTO zone_proposals(id, kind, status, created_at)
  SELECT id, 'new', 'confirmed', reported FROM cases;
INSERT INTO zones(id, proposal_id, level, status, proposed_at,
  confirmed_at, lifted_at)
SELECT id, id, 3, CASE WHEN reported < unixepoch('2022-03-20')
  THEN 'lifted' ELSE 'active' END, reported, reported + 3600,
  CASE WHEN reported < unixepoch('2022-03-20') THEN reported + 14 * 86400
  END FROM cases;
INSERT INTO zone_areas(zone_id, unit_id)
  SELECT c.id, h.unit_id FROM cases c JOIN persons p ON p.id = c.person_id
  JOIN households h ON h.id = p.household_id;
-- A county-wide round on 03-30: everyone, ten to a tube.
INSERT INTO test_rounds(id, code, start_at, deadline)
  VALUES (1, 'R1', unixepoch('2022-03-29 22:00'),
          unixepoch('2022-03-30 22:00'));
INSERT INTO round_units VALUES (1, (SELECT id FROM units WHERE level = 1
  ORDER BY code LIMIT 1));
INSERT INTO samples(id, tube, pool_size, point, sampled_at, round_id)
SELECT k, printf('T%06d', k), 10, 'county',
  unixepoch('2022-03-29 23:00') + k % 36000, 1
FROM (WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n
  WHERE k < (SELECT (count(*) + 9) / 10 FROM persons)) SELECT k FROM n);
INSERT INTO sample_members SELECT (id - 1) / 10 + 1, id FROM persons
  WHERE (id - 1) / 10 + 1 <= (SELECT max(id) FROM samples);
INSERT INTO results SELECT id, CASE WHEN id % 5000 = 7 THEN 'positive'
  ELSE 'negative' END, 'county CDC', sampled_at + 8 * 3600 FROM samples;
COMMIT;
ANALYZE;
SELECT (SELECT count(*) FROM cases) || ' cases, ' ||
  (SELECT count(*) FROM contacts) || ' contacts, ' ||
  (SELECT count(*) FROM quarantines) || ' plans, ' ||
  (SELECT count(*) FROM sample_members) || ' sampled in ' ||
  (SELECT count(*) FROM samples) || ' tubes';
SQL
echo "loaded in $(since "$t") s"

best() { # N CMD...: the best of N runs, seconds
  local n=$1 b="" s t; shift
  for _ in $(seq "$n"); do
    t=$(now); "$@" >/dev/null; s=$(since "$t")
    b=$(awk -v a="$s" -v b="$b" 'BEGIN { print (b == "" || a < b) ? a : b }')
  done
  echo "$b"
}
TOWN=$(sqlite3 "$DB" "SELECT code FROM units WHERE level = 2 ORDER BY code LIMIT 1")
echo "== seconds (best of 3; county $(sqlite3 "$DB" "SELECT code FROM units WHERE level = 1"), town $TOWN)"
d1=$(best 3 $C report daily --date 2022-03-30 --json --db "$DB")
d2=$(best 3 $C report daily --date 2022-03-30 --xlsx "$W/d.xlsx" --db "$DB")
d3=$(best 3 $C report daily --date 2022-03-21 --json --db "$DB")
d4=$(best 3 $C report daily --date 2022-03-30 --unit "$TOWN" --json --db "$DB")
s1=$(best 3 $C report series --from 2022-03-01 --to 2022-03-30 --json --db "$DB")
c1=$(best 3 $C report curve --from 2022-03-01 --to 2022-03-30 --json --db "$DB")
b1=$(best 3 sqlite3 "$DB" "SELECT count(DISTINCT m.person_id) FROM samples s
  JOIN sample_members m ON m.sample_id = s.id
  WHERE s.sampled_at > unixepoch('2022-03-29 16:00')
  AND s.sampled_at <= unixepoch('2022-03-30 16:00')")
printf '%-58s %8s\n' \
  "report daily, county, 03-30 (round day), JSON" "$d1" \
  "report daily, county, 03-30, XLSX" "$d2" \
  "report daily, county, 03-21 (no sampling), JSON" "$d3" \
  "report daily, one town, 03-30, JSON" "$d4" \
  "report series, county, 30 days (03-01..03-30)" "$s1" \
  "report curve, county, 30 days" "$c1" \
  "baseline: sqlite3, the day's sampled persons alone" "$b1"
awk -v a="$d1" -v b="$b1" 'BEGIN {
  printf "daily report (all figures, every town) / one bare count: %.1fx\n", a / b }'
$C report daily --date 2022-03-30 --db "$DB" | sed -n '1,2p;/^by unit/,$p'
