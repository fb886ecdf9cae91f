#!/usr/bin/env bash
# t0007 — cases: numbers per county, show and list, update, conversion
# (one infection, the same number), outcome, and refusals that write
# nothing.
. "$(dirname "$0")/lib.sh"
DB=$TMP/c.db
sample_db "$DB" || { fail "sample database"; finish; exit 1; }

# GB 11643 check character, computed here from DOMAIN.md's rule.
rid_with_check() {
  local s=$1 sum=0 i w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) c=10X98765432
  for i in $(seq 0 16); do sum=$((sum + ${s:i:1} * ${w[i]})); done
  echo "$s${c:$((sum % 11)):1}"
}
check "checksum helper (DOMAIN.md example 1)" test "$(rid_with_check 11010519491231002)" = 11010519491231002X
check "checksum helper (DOMAIN.md example 2)" test "$(rid_with_check 44052418800101001)" = 440524188001010014

# A second county, 衡东县 (430424), with one hamlet and one household.
# Its residents: one registered in Beijing (110105), one local.
HD1=11010519491231002X
HD2=$(rid_with_check 43042419900101001)
NOBODY=$(rid_with_check 43042420000101003)
printf 'code,name,kind\n430424,衡东县,\n430424100000,洣水镇,\n430424100201,洣水村,\n430424100201-001,河边屋场,hamlet\n' > "$TMP/u2.csv"
printf 'code,address\n430424100201-001-0001,洣水镇洣水村河边1号\n' > "$TMP/h2.csv"
printf 'resident_id,name,household,phone,groups\n%s,赵一,430424100201-001-0001,,\n%s,赵二,430424100201-001-0001,,\n' "$HD1" "$HD2" > "$TMP/p2.csv"
for k in units:u2 households:h2 persons:p2; do
  run import "${k%%:*}" "$TMP/${k#*:}.csv" --db "$DB"
  expect 0 "" "second county: import ${k%%:*}"
done

# Three residents of 衡南 (430422): two in 云集, one in 茶市 上屋场.
HN1=$(sed -n 2p "$DATA/persons.csv" | cut -d, -f1)
HN2=$(sed -n 3p "$DATA/persons.csv" | cut -d, -f1)
HN3=$(grep ',430422103201-001-' "$DATA/persons.csv" | head -1 | cut -d, -f1)
HN4=$(grep ',430422200201-001-' "$DATA/persons.csv" | head -1 | cut -d, -f1)

# ---- add: numbers per county, each county from C0001.
run case add --id "$HN3" --class confirmed --type mild --onset 2022-03-29 \
  --sampling 2022-03-30 --reported 2022-03-29T23:30:00Z --found pool \
  --isolated 2022-03-30T03:10+08:00 --hospital 衡南县人民医院 --db "$DB"
expect 0 "^430422-C0001$" "first case in 衡南 is 430422-C0001"
run case add --id "$HN1" --class asymptomatic --sampling 2022-03-30 --found screening --db "$DB"
expect 0 "^430422-C0002$" "second case in 衡南"
run case add --id "$HD1" --class confirmed --type severe --onset 2022-03-28 --imported --db "$DB"
expect 0 "^430424-C0001$" "衡东 numbers start again (county of residence, not of the ID)"
run case add --id "$HD2" --class suspected --onset 2022-03-29 --found fever --db "$DB"
expect 0 "^430424-C0002$" "second case in 衡东"
check "four rows" test "$(sqlite3 "$DB" 'SELECT count(*) FROM cases')" = 4

# ---- show: by number and by resident ID; masked unless --unmasked.
masked_re="${HN3:0:6}[*]{8}${HN3:14:4}"
run case show 430422-C0001 --db "$DB"
expect 0 "^resident ID +$masked_re$" "ID masked"
check "full ID not shown" sh -c "! printf '%s' \"\$1\" | grep -q $HN3" _ "$OUT"
expect 0 "^class +confirmed 确诊病例$" "class with its label"
expect 0 "^clinical type +mild 轻型$" "clinical type"
expect 0 "^found by +pool 混管阳性$" "how found"
# 2022-03-29T23:30:00Z is 07:30 on the 30th in China.
expect 0 "^reported +2022-03-30 07:30:00$" "report time in China time"
expect 0 "^isolated +2022-03-30 03:10:00$" "isolation time"
expect 0 "^hospital +衡南县人民医院$" "hospital"
expect 0 "^hamlet +430422103201-001$" "the person's hamlet"
run case show "$HN3" --unmasked --db "$DB"
expect 0 "^number +430422-C0001$" "show by resident ID"
expect 0 "^resident ID +$HN3$" "--unmasked"
run case show 430424-C0001 --json --db "$DB"
expect 0 '"origin": "imported"' "JSON: imported"
expect 0 '"clinical_type": "severe"' "JSON: type"
expect 0 '"sampling": null' "JSON: no sampling date is null"
# Default report time is CORDON_NOW.
expect 0 '"reported": "2022-03-30T02:58:00\+08:00"' "report time defaults to now"
expect 0 '"county": "430424"' "JSON: county"

# ---- list: ordered by number; filters by unit and class.
run case list --db "$DB"
expect 0 "^4 cases$" "list counts four"
order=$(printf '%s\n' "$OUT" | grep -Eo '^4304[0-9]+-C[0-9]+' | tr '\n' ' ')
check "ordered by number" test "$order" = "430422-C0001 430422-C0002 430424-C0001 430424-C0002 "
run case list --unit 430424 --db "$DB"
expect 0 "^2 cases$" "list under 衡东"
check "no 衡南 case under 衡东" sh -c "! printf '%s' \"\$1\" | grep -q 430422-C" _ "$OUT"
run case list --unit 430422103201-001 --db "$DB"
expect 0 "^1 case$" "list under one hamlet"
expect 0 "^430422-C0001 " "the hamlet's case"
run case list --class asymptomatic --db "$DB"
expect 0 "^430422-C0002 " "asymptomatic listed"
expect 0 "^1 case$" "one asymptomatic"
run case list --unit 430422 --class confirmed --json --db "$DB"
check "JSON list: one confirmed in 衡南" test "$(printf '%s' "$OUT" | grep -c '"number"')" = 1
run case list --limit 2 --offset 1 --db "$DB"
order=$(printf '%s\n' "$OUT" | grep -Eo '^4304[0-9]+-C[0-9]+' | tr '\n' ' ')
check "limit and offset" test "$order" = "430422-C0002 430424-C0001 "

# ---- conversion: asymptomatic → confirmed keeps the case and its number.
run case update 430422-C0002 --convert 2022-03-30 --type ordinary --db "$DB"
expect 0 "updated 430422-C0002" "conversion"
run case show 430422-C0002 --db "$DB"
expect 0 "^class +confirmed" "converted case is confirmed"
expect 0 "^converted +2022-03-30$" "conversion date kept"
expect 0 "^sampling +2022-03-30$" "other fields kept"
check "still one case for the person" test "$(sqlite3 "$DB" "SELECT count(*) FROM cases c JOIN persons p ON p.id = c.person_id WHERE p.resident_id = '$HN1'")" = 1
check "still four cases" test "$(sqlite3 "$DB" 'SELECT count(*) FROM cases')" = 4
run case list --class asymptomatic --db "$DB"
expect 0 "^0 cases$" "no asymptomatic left"

# ---- outcome.
run case update 430422-C0001 --outcome cured --outcome-date 2022-03-30 --db "$DB"
expect 0 "updated 430422-C0001" "cured"
run case show 430422-C0001 --db "$DB"
expect 0 "^outcome +cured 治愈出院$" "outcome shown"
expect 0 "^outcome date +2022-03-30$" "outcome date shown"
run case update 430424-C0002 --class confirmed --type critical --db "$DB"
expect 0 "updated" "suspected confirmed (not a conversion)"
run case update 430424-C0002 --outcome died --outcome-date 2022-03-30 --db "$DB"
expect 0 "updated" "died"

# ---- refusals: each with its status and message, nothing written.
refused() { # STATUS PATTERN DESCRIPTION -- ARGS...
  local want=$1 pat=$2 what=$3; shift 4
  local before; before=$(dump "$DB")
  run "$@" --db "$DB"
  expect "$want" "$pat" "$what"
  check "$what: nothing written" test "$before" = "$(dump "$DB")"
}
bad_id="${HN4:0:17}$(( (${HN4:17:1} + 1) % 10 ))"
[ "${HN4:17:1}" = X ] && bad_id="${HN4:0:17}0"
refused 4 "no person with that resident ID" "unknown person" -- case add --id "$NOBODY" --class suspected --onset 2022-03-29
refused 3 "resident ID .*check" "bad checksum" -- case add --id "$bad_id" --class suspected --onset 2022-03-29
refused 3 "--onset: '2022-02-30' is not a date" "impossible date" -- case add --id "$HN4" --class suspected --onset 2022-02-30
refused 3 "--reported: 'yesterday' is not a time" "bad time" -- case add --id "$HN4" --class suspected --onset 2022-03-29 --reported yesterday
refused 3 "onset: 2022-03-31 is in the future" "future onset" -- case add --id "$HN4" --class suspected --onset 2022-03-31
refused 3 "sampling: 2019-11-30 is before 2019-12-01" "absurd date" -- case add --id "$HN4" --class suspected --sampling 2019-11-30
refused 3 "clinical type: a confirmed case needs one" "confirmed without type" -- case add --id "$HN4" --class confirmed --onset 2022-03-29
refused 3 "clinical type: only a confirmed case" "asymptomatic with a type" -- case add --id "$HN4" --class asymptomatic --type mild --sampling 2022-03-29
refused 3 "onset: an asymptomatic infection has no symptom onset" "asymptomatic with onset" -- case add --id "$HN4" --class asymptomatic --onset 2022-03-28
refused 3 "onset/sampling" "neither onset nor sampling" -- case add --id "$HN4" --class suspected
refused 3 "isolated: more than 30 days before the sampling date" "isolation far too early" -- case add --id "$HN4" --class suspected --sampling 2022-03-30 --isolated 2022-02-27T23:00+08:00
refused 3 "class: 'probable' is not one of" "unknown class" -- case add --id "$HN4" --class probable --onset 2022-03-29
refused 3 "found: 'door' is not one of" "unknown way found" -- case add --id "$HN4" --class suspected --onset 2022-03-29 --found door
refused 2 "does not take --outcome" "add takes no outcome" -- case add --id "$HN4" --class suspected --onset 2022-03-29 --outcome cured
refused 2 "unknown or incomplete option" "unknown option" -- case add --id "$HN4" --class suspected --colour red
refused 5 "already has case 430422-C0002" "one open infection per person" -- case add --id "$HN1" --class suspected --onset 2022-03-29
refused 5 "case 430424-C0002 ended in death" "no case after death" -- case add --id "$HD2" --class suspected --onset 2022-03-29
refused 4 "no case numbered 430422-C0099" "update of an unknown case" -- case update 430422-C0099 --hospital 某医院
refused 3 "is not a case number" "update of a malformed number" -- case update C0001 --hospital 某医院
refused 2 "nothing to change" "update without options" -- case update 430422-C0002
refused 3 "converted: only an asymptomatic infection converts, to confirmed; case 430424-C0001 is confirmed" "conversion of a confirmed case" -- case update 430424-C0001 --convert 2022-03-30
refused 3 "already converted to confirmed on 2022-03-30" "second conversion, same date" -- case update 430422-C0002 --convert 2022-03-30
refused 3 "cannot be reclassified" "reclassifying a cured case" -- case update 430422-C0001 --class suspected
refused 3 "outcome date: needs an outcome" "outcome date alone" -- case update 430424-C0001 --outcome-date 2022-03-30
refused 3 "outcome: died needs its date" "outcome without date" -- case update 430424-C0001 --outcome died
refused 3 "outcome date: before the report date" "outcome before report" -- case update 430424-C0001 --outcome cured --outcome-date 2022-03-29
refused 3 "outcome: 'released' is not one of" "unknown outcome" -- case update 430424-C0001 --outcome released --outcome-date 2022-03-30
refused 4 "no case numbered 430422-C0009" "show of an unknown case" -- case show 430422-C0009
refused 4 "no case for that resident ID" "show of a person without a case" -- case show "$HN4"
refused 3 "neither a case number .* nor a valid resident ID" "show of nonsense" -- case show hello
refused 4 "no unit with code 430422999000" "list under an unknown unit" -- case list --unit 430422999000

# Asymptomatic → confirmed only by conversion (a new asymptomatic case).
run case add --id "$HN4" --class asymptomatic --sampling 2022-03-30 --db "$DB"
expect 0 "^430422-C0003$" "third 衡南 case"
refused 3 "becomes confirmed by conversion" "reclassified without --convert" -- case update 430422-C0003 --class confirmed --type mild

# A cured person may be infected again: a new case, a new number.
run case add --id "$HN3" --class asymptomatic --sampling 2022-03-30 --db "$DB"
expect 0 "^430422-C0004$" "reinfection after cure is a new case"
run case show "$HN3" --db "$DB"
expect 0 "^number +430422-C0004$" "show by ID prefers the open case"

# Ten writers at once in one county draw ten different numbers, no gaps.
DBP=$TMP/p.db
sample_db "$DBP"
for id in $(grep ',430422' "$DATA/persons.csv" | sed -n 1,10p | cut -d, -f1); do
  "$CORDON" case add --id "$id" --class suspected --onset 2022-03-29 --db "$DBP" > "$TMP/par.$id" 2>&1 &
done
wait
check "ten parallel adds" test "$(cat "$TMP"/par.* | grep -c '^430422-C00[01][0-9]$')" = 10
check "ten distinct numbers C0001..C0010" test \
  "$(sqlite3 "$DBP" "SELECT count(DISTINCT number), min(number), max(number) FROM cases")" = "10|430422-C0001|430422-C0010"

# A read-only look-up works on a read-only file.
chmod 444 "$DB"
run case list --db "$DB"
expect 0 "^6 cases$" "list on a read-only database"
chmod 644 "$DB"

finish
