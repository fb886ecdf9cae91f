#!/usr/bin/env bash
# t0002 — importing the sample registry, re-importing, updates, look-ups.
. "$(dirname "$0")/lib.sh"
DB=$TMP/c.db
"$CORDON" init --db "$DB" >/dev/null

# Expected counts come from the files themselves (rows minus header).
rows() { echo $(($(grep -c . "$1") - 1)); }
for k in units households persons venues grid-workers; do
  n=$(rows "$DATA/$k.csv")
  run import "$k" "$DATA/$k.csv" --db "$DB"
  expect 0 "$n rows \($n new, 0 updated, 0 unchanged\)" "first import of $k"
done
check "persons stored" test "$(sqlite3 "$DB" 'SELECT count(*) FROM persons')" = "$(rows "$DATA/persons.csv")"

# Re-importing the same files changes nothing.
before=$(dump "$DB" | grep -v 'INSERT INTO imports')
for k in units households persons venues grid-workers; do
  n=$(rows "$DATA/$k.csv")
  run import "$k" "$DATA/$k.csv" --db "$DB"
  expect 0 "$n rows \(0 new, 0 updated, $n unchanged\)" "re-import of $k"
done
after=$(dump "$DB" | grep -v 'INSERT INTO imports')
check "re-import leaves the data as it was" test "$before" = "$after"

# An existing person is updated, not duplicated.
id=$(sed -n 2p "$DATA/persons.csv" | cut -d, -f1)
hh=$(sed -n 2p "$DATA/persons.csv" | cut -d, -f3)
printf 'resident_id,name,household,phone\n%s,改名测试,%s,+8613912345678\n' "$id" "$hh" > "$TMP/upd.csv"
run import persons "$TMP/upd.csv" --db "$DB"
expect 0 "1 rows \(0 new, 1 updated, 0 unchanged\)" "update of an existing person"
check "no duplicate person" test "$(sqlite3 "$DB" "SELECT count(*) FROM persons WHERE resident_id='$id'")" = 1
check "name updated" test "$(sqlite3 "$DB" "SELECT name FROM persons WHERE resident_id='$id'")" = 改名测试
check "phone normalised" test "$(sqlite3 "$DB" "SELECT phone FROM persons WHERE resident_id='$id'")" = 13912345678

# person show: masked by default, derived sex and birth date.
run person show "$id" --db "$DB"
masked="${id:0:6}********${id:14:4}"; masked_re="${id:0:6}[*]{8}${id:14:4}"
expect 0 "resident ID +$masked_re" "ID masked"
expect 0 "phone +139\*\*\*\*5678" "phone masked"
sexdigit=${id:16:1}
if [ $((sexdigit % 2)) -eq 1 ]; then sex=male; else sex=female; fi
expect 0 "sex +$sex" "sex from the ID's sequence digit"
expect 0 "birth date +${id:6:4}-${id:10:2}-${id:12:2}" "birth date from the ID"
check "full ID not shown" sh -c "! printf '%s' \"\$1\" | grep -q $id" _ "$OUT"
run person show "$id" --unmasked --db "$DB"
expect 0 "resident ID +$id" "--unmasked shows the ID"
expect 0 "phone +13912345678" "--unmasked shows the phone"
run person show "$id" --json --db "$DB"
expect 0 "\"resident_id\": \"$masked_re\"" "JSON output, masked"
run person show "${id:0:17}$(( (${id:17:1} + 1) % 10 ))" --db "$DB"
expect 3 "checksum fails" "person show refuses a bad checksum"
run person show 11010519491231002X --db "$DB"
expect 4 "no person with that resident ID" "unknown person"

# unit tree: head counts at every level add up to the files' rows.
run unit tree 430422 --db "$DB"
np=$(rows "$DATA/persons.csv"); nh=$(rows "$DATA/households.csv")
expect 0 "^430422 +衡南县 +county +$nh +$np$" "county totals"
hp=$(grep -c ',430422103201-001-' "$DATA/persons.csv")
hh1=$(grep -c '^430422103201-001-' "$DATA/households.csv")
expect 0 "^430422103201-001 +上屋场 +hamlet +$hh1 +$hp$" "hamlet totals"
run unit tree 430422103000 --json --db "$DB"
tp=$(grep -c ',430422103' "$DATA/persons.csv")
expect 0 "\"persons\": $tp" "town total in JSON"
run unit tree 430422999000 --db "$DB"
expect 4 "no unit with code 430422999000" "unknown unit"

# venue list under a town includes venues at the town and below only.
run venue list --unit 430422103000 --db "$DB"
expect 0 "^4 venues$" "four venues in 茶市镇"
expect 0 "V430422103-0001 +茶市老茶馆 +teahouse +430422103201-001" "teahouse listed"
check "no venue of another town" sh -c "! printf '%s' \"\$1\" | grep -q V430422001" _ "$OUT"
run venue list --unit 430422 --json --db "$DB"
expect 0 "\"kind\": \"checkpoint\"" "JSON venue list"

# Grid workers: assignments follow the file.
check "grid assignments" test "$(sqlite3 "$DB" 'SELECT count(*) FROM grid_worker_units')" = 6

# A spreadsheet export (BOM + CRLF) imports the same as the plain file.
DB2=$TMP/d.db
"$CORDON" init --db "$DB2" >/dev/null
for k in units households persons venues grid-workers; do
  { printf '\357\273\277'; sed 's/$/\r/' "$DATA/$k.csv"; } > "$TMP/$k.csv"
  run import "$k" "$TMP/$k.csv" --db "$DB2"
  expect 0 "$(rows "$DATA/$k.csv") new" "BOM+CRLF import of $k"
done
DB3=$TMP/e.db
sample_db "$DB3"
check "BOM+CRLF gives the same registry" test \
  "$(dump "$DB2" | grep -v 'INSERT INTO imports')" = "$(dump "$DB3" | grep -v 'INSERT INTO imports')"

# --dry-run validates and writes nothing; stdin works.
DB4=$TMP/f.db
"$CORDON" init --db "$DB4" >/dev/null
"$CORDON" import units "$DATA/units.csv" --db "$DB4" >/dev/null
before=$(dump "$DB4")
run import households "$DATA/households.csv" --dry-run --db "$DB4"
expect 0 "checked .*dry run, nothing written" "dry run"
check "dry run wrote nothing" test "$before" = "$(dump "$DB4")"
OUT=$("$CORDON" import households - --db "$DB4" < "$DATA/households.csv" 2>&1); RC=$?
expect 0 "imported <stdin>: $nh rows" "import from stdin"

# Units in any order: children before parents in the file still import.
DB5=$TMP/g.db
"$CORDON" init --db "$DB5" >/dev/null
{ head -1 "$DATA/units.csv"; tail -n +2 "$DATA/units.csv" | tac; } > "$TMP/units-rev.csv"
run import units "$TMP/units-rev.csv" --db "$DB5"
expect 0 "14 rows \(14 new" "units file in reverse order"

finish
