#!/usr/bin/env bash
# t0005 — cordon synth and cordon demo: the CSV output imports cleanly,
# the same seed gives byte-identical files, database and CSV agree, bad
# requests are refused, and a killed build leaves nothing behind.
. "$(dirname "$0")/lib.sh"
rows() { echo $(($(grep -c . "$1") - 1)); }

run synth --csv "$TMP/a" --people 1500 --seed 11
expect 0 "movements written: .* venue scans" "synth to CSV"
for f in units households persons venues grid-workers scans trips cells; do
  check "$f.csv written" test -s "$TMP/a/$f.csv"
done

# Same seed and size: byte-identical; another seed: different.
run synth --csv "$TMP/b" --people 1500 --seed 11
for f in units households persons venues grid-workers scans trips cells; do
  check "$f.csv identical for the same seed" cmp -s "$TMP/a/$f.csv" "$TMP/b/$f.csv"
done
run synth --csv "$TMP/c" --people 1500 --seed 12
check "another seed gives other people" sh -c "! cmp -s '$TMP/a/persons.csv' '$TMP/c/persons.csv'"

# The registry files import cleanly through cordon import.
DB=$TMP/imp.db
"$CORDON" init --db "$DB" >/dev/null
for k in units households persons venues grid-workers; do
  n=$(rows "$TMP/a/$k.csv")
  run import "$k" "$TMP/a/$k.csv" --db "$DB"
  expect 0 "$n rows \($n new, 0 updated, 0 unchanged\)" "synth's $k.csv imports"
done
np=$(rows "$TMP/a/persons.csv"); nh=$(rows "$TMP/a/households.csv")
run unit tree 430422 --db "$DB"
expect 0 "^430422 +衡南县 +county +$nh +$np$" "imported county totals"

# Straight into a database: the same county as the CSV files.
DB2=$TMP/synth.db
run synth --db "$DB2" --people 1500 --seed 11
expect 0 "wrote .*synth.db" "synth to a database"
check "no partial file left" test ! -e "$DB2.partial"
run unit tree 430422 --db "$DB2"
expect 0 "^430422 +衡南县 +county +$nh +$np$" "database county totals equal the CSV's"
q() { sqlite3 "$DB2" "$1"; }
check "venues: database = CSV" test "$(q 'SELECT count(*) FROM venues')" = "$(rows "$TMP/a/venues.csv")"
check "database integrity" test "$(q 'PRAGMA integrity_check')" = ok
check "foreign keys hold" test -z "$(q 'PRAGMA foreign_key_check')"
check "journal is WAL once opened by cordon" test "$(q 'PRAGMA journal_mode')" = wal
# The movements: importing the CSV files gives exactly the segments that
# synth wrote into its database (same ids, same rows, same order).
for k in scans trips cells; do
  n=$(rows "$TMP/a/$k.csv")
  run import "$k" "$TMP/a/$k.csv" --db "$DB"
  expect 0 "$n rows \($n new" "synth's $k.csv imports"
done
for s in scans rides cells; do
  check "$s segment from CSV = synth's" cmp -s "$DB.presence/$s.seg" "$DB2.presence/$s.seg"
done
check "households of 1 to 6" test "$(q 'SELECT count(*) FROM (SELECT household_id, count(*) n FROM persons GROUP BY household_id HAVING n < 1 OR n > 6)')" = 0
check "hamlets of 15 to 60 households" test "$(q 'SELECT count(*) FROM (SELECT unit_id, count(*) n FROM households GROUP BY unit_id HAVING n < 15 OR n > 60)')" = 0

# Refusals.
run synth --db "$DB2" --people 1500
expect 5 "already exists; synth builds a new database" "synth refuses an existing database"
run synth --db "$TMP/x.db" --people 10
expect 2 "--people must be from 500" "too few people"
run synth --db "$TMP/x.db" --csv "$TMP/x"
expect 2 "^usage: cordon synth" "--db and --csv together"
run synth --people 1000
expect 2 "^usage: cordon synth" "neither --db nor --csv"
run synth --db "$TMP/x.db" --start 2022-02-30
expect 2 "--start needs a date" "impossible start date"

# A build killed midway leaves no database at the path.
"$CORDON" synth --db "$TMP/k.db" --people 300000 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ -e "$TMP/k.db.partial" ] && break; sleep 0.05; done
sleep 1
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
check "killed synth: no database at the path" test ! -e "$TMP/k.db"
run synth --db "$TMP/k.db" --people 1500
expect 0 "wrote" "synth after a killed run (stale partial replaced)"

# The demo tells the story and names what is not built yet.
run demo --db "$TMP/demo.db" --people 3000
expect 0 "The scenario follows resident 43[0-9]{4}[*]{8}" "demo names the case, masked"
expect 0 "teahouse" "demo shows the case's teahouse visit"
expect 0 "bus B[0-9]{3}-[0-9]{3}" "demo shows the bus ride"
expect 0 "tube P0329-0001 \(10-in-1, .*\) is positive: its 10 people" "demo: the positive pool"
expect 0 "9 negative, released" "demo: single tubes resolve the pool"
expect 0 "one positive — now case 430422-C0001" "demo: the positive becomes a case"
expect 0 "confirmed: case 430422-C0001 \(mild" "demo: confirmed and traced"
expect 0 "health codes: [0-9,]+ turned red" "demo: codes recomputed"
expect 0 "quarantine plans by profile v9" "demo: quarantine"
# Zones under v9 (DOMAIN.md): the hamlet high, the village medium, the
# town low; three rounds on 03-30, 03-31, 04-01; medium lifts after 3
# quiet days (04-02), high goes to medium on day 7 (04-06) after that
# day's all-negative round and to low 3 days later (04-09), when the low
# zone lifts too.
expect 0 "Z0001 high 高风险区: .* residents" "demo: a high zone"
expect 0 "Z0002 medium 中风险区: " "demo: a medium zone"
expect 0 "Z0003 low 低风险区: " "demo: a low zone"
expect 0 "2022-03-30 round Q0330-Z2 over Z0002 \(48 h\)" "demo: first round, 48 h"
expect 0 "tubes, all negative; closed" "demo: first round all negative"
for d in 2022-03-31 2022-04-01; do
  expect 0 "$d round Q${d:5:2}${d:8:2}-Z2 over Z0002.*all negative" "demo: round on $d"
done
expect 0 "2022-04-02 Z0002 中风险区 → 已解除" "demo: medium lifted on day 3"
expect 0 "2022-04-06 Z0001 高风险区 → 中风险区" "demo: high downgraded on day 7"
expect 0 "2022-04-09 Z0001 中风险区 → 已解除" "demo: then lifted on day 10"
expect 0 "2022-04-09 Z0003 低风险区 lifted" "demo: low lifts with the last"
expect 0 "2022-03-30 to 2022-04-17: [0-9,]+ single-tube samples" "demo: quarantine samples day by day"
expect 0 "2022-04-17: the patient of 430422-C0001 discharged cured" "demo: discharged on day 18"
# Read back: every contact's plan released on its own end date (the rules
# of docs/quarantine.md), the case cured on 04-17, the patient planned.
dq() { sqlite3 "$TMP/demo.db" "$1"; }
check "demo: every contact released on the day the plan ends" \
  [ "$(dq "SELECT count(*) FROM quarantines WHERE grp <> 'discharged' AND (status <> 'released' OR ended_on <> quarantine_end)")/$(dq "SELECT count(*) > 0 FROM quarantines WHERE grp <> 'discharged'")" = 0/1 ]
check "demo: the case cured on 04-17" [ "$(dq "SELECT outcome || ' ' || outcome_date FROM cases")" = "cured 2022-04-17" ]
check "demo: the patient planned as discharged" \
  [ "$(dq "SELECT count(*) FROM quarantines WHERE grp = 'discharged' AND status IN ('central', 'home', 'waiting')")" = 1 ]
# The daily report of 03-30 by town: the one confirmed case (converted
# from its asymptomatic record the same day) in 茶市镇; written as XLSX and
# CSV beside the database; the series ends with the case cured on 04-17
# (cumulative 1, cured 1, current 0).
expect 0 "The daily report \(日报\) of 2022-03-30" "demo: the daily report"
expect 0 "430422103000 +茶市镇 +1 +1 +1 +0 +0 +0 +1 " "demo: the case in its town's row"
expect 0 "430422 +合计 total +1 +1 +1 " "demo: totals row"
check "demo: XLSX report written" unzip -tq "$TMP/daily-430422-2022-03-30.xlsx"
check "demo: CSV report written with a BOM" test "$(head -c 3 "$TMP/daily-430422-2022-03-30.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
expect 0 "2022-04-16 +0 +1 +0 +0 +0 +0 +1 " "demo: series, the day before discharge"
expect 0 "2022-04-17 +0 +1 +0 +0 +1 +0 +0 " "demo: series, cured on 04-17, none current"
run demo --db "$TMP/demo.db" --people 3000
expect 5 "already exists" "demo refuses to overwrite"

finish
