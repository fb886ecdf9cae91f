#!/usr/bin/env bash
# t0013 — risk zones end to end under profile v8 (three zones) on the
# sample registry: a confirmed case in 下屋场 with a close contact met in
# the chess room; `zone propose --precaution town` draws sealed 下屋场,
# controlled 茶市村 and precaution 茶市镇, residents counted here with awk
# from tests/data; edits and the decision are logged with who acted;
# codes follow the zones; three rounds in 72 hours over the controlled
# zone with full coverage; lifting refused the day before the schedule
# and granted on it (DOMAIN.md, "Zones": 14 days without a new case, the
# last close contact 14 days past exposure, an all-negative round in the
# 2 days before), the precaution zone lifting itself after the last inner
# zone, codes green again; a new case inside the controlled zone turning
# it sealed (a second database); refusals leave the database unchanged;
# a forced lift keeps its reason; the log is append-only; JSON parses.
# Known bug, kept as a check: in a copy where the case's close contact
# tests positive on day 14, the sealed zone still lifts on 04-13.
. "$(dirname "$0")/lib.sh"
DB=$TMP/z.db
sample_db "$DB"
printf 'profile = v8\n' > "$TMP/v8.rules"
export CORDON_RULES=$TMP/v8.rules
export CORDON_ACTOR=王明            # who acts unless --by says otherwise
Z=+08:00
P=$DATA/persons.csv
H=$DATA/households.csv
TOWN=430422103000                  # 茶市镇
V=430422103201                     # 茶市村: hamlets -001 上屋场, -002 下屋场
UP=$V-001
DOWN=$V-002
OTHER=430422103202-001             # 塘边屋场 of 沙塘村, same town
CASE=430422197309107052            # 朱静, 下屋场 household -0003, alone in it
K=430422199611279698               # 杨强明, 上屋场, alone: chess room with the case
RED=430422200705016501             # 李娜, 下屋场: sealed zone
YEL=430422199803228537             # 高丽艳, 上屋场: controlled zone
GRN=430422198603062769             # 罗杰洋, 沙塘村: precaution zone only
CASE2_RID=$YEL                     # the second case (second database)
HU=430422197109031161              # 胡英秀, 上屋场

# Residents under a unit, by hand: households of households.csv whose
# code lies under the unit (a household code is its hamlet's code plus
# -NNNN; a town's villages share its first 9 digits), then the persons of
# persons.csv living in them; IDs given after the prefix are left out.
residents() { # PREFIX [EXCLUDED...]
  local pre=$1; shift
  awk -F, -v pre="$pre" -v ex="$*" '
    BEGIN { n = split(ex, a, " "); for (i = 1; i <= n; i++) out[a[i]] = 1 }
    FNR == 1 { next }
    FILENAME == ARGV[1] { if (index($1, pre) == 1) hh[$1] = 1; next }
    ($3 in hh) && !($1 in out) { print $1 }' "$H" "$P"
}
N1=$(residents $DOWN- | wc -l)          # sealed: 下屋场
N2=$(residents $V- | wc -l)             # controlled: 茶市村
N3=$(residents ${TOWN:0:9} | wc -l)     # precaution: 茶市镇
NT=$(residents $OTHER- | wc -l)         # 塘边屋场, added and removed by an edit
check "hand counts: 下屋场 3+2+1+2, 茶市村 +1+2+1+1, 茶市镇 +3+3+1+1 (got $N1 $N2 $N3 $NT)" \
  test "$N1 $N2 $N3 $NT" = "8 13 21 8"

# ---- 1. the case (report 03-30 07:30) and its close contact: both in
# 茶市棋牌室 on 03-29, overlapping 15:10–15:40 = 30 min ≥ the chess room's
# 15 min (v8) → close; the case stayed 40 min once: below zones.
# frequent_minutes 60 and frequent_visits 2, so the room is no place of
# frequent activity and the sealed zone is the hamlet alone.
cat > "$TMP/scans.csv" <<CSV
resident_id,venue,check_in,check_out
$CASE,V430422103-0002,2022-03-29T15:00:00$Z,2022-03-29T15:40:00$Z
$K,V430422103-0002,2022-03-29T15:10:00$Z,2022-03-29T16:00:00$Z
CSV
export CORDON_NOW=2022-03-30T07:30:00$Z
"$CORDON" import scans "$TMP/scans.csv" --db "$DB" >/dev/null
run case add --id $CASE --class confirmed --type mild --onset 2022-03-29 \
  --sampling 2022-03-29 --found pool --db "$DB"
expect 0 "^430422-C0001$" "the case"
export CORDON_NOW=2022-03-30T08:00:00$Z
run trace 430422-C0001 --db "$DB"
expect 0 "^430422-C0001 +1 +0 " "trace: one close contact (杨强明), no secondary (he lives alone)"
# v8: close contacts to central quarantine; no sites, so he waits for a
# room and is not expected in the rounds (docs/rounds.md).
"$CORDON" quarantine plan 430422-C0001 --db "$DB" >/dev/null
check "杨强明 waits for central quarantine" test "$(sqlite3 "$DB" "SELECT q.status FROM quarantines q JOIN persons p ON p.id = q.person_id WHERE p.resident_id = '$K'")" = waiting

# ---- 2. the proposal
export CORDON_NOW=2022-03-30T09:00:00$Z
run zone propose 430422-C0001 --precaution town --db "$DB"
expect 0 "^proposal P0001 \(profile v8\)" "proposal P0001 under v8"
expect 0 "^  Z0001 +sealed +封控区 +proposed +$N1 residents$" "Z0001 sealed, residents by hand"
expect 0 "^     $DOWN 下屋场$" "Z0001 = the case's hamlet"
expect 0 "^  Z0002 +controlled +管控区 +proposed +$N2 residents$" "Z0002 controlled, residents by hand"
expect 0 "^     $V 茶市村$" "Z0002 = the village"
expect 0 "^  Z0003 +precaution +防范区 +proposed +$N3 residents$" "Z0003 precaution, residents by hand"
expect 0 "^     $TOWN 茶市镇$" "Z0003 = the town"
run zone show P0001 --json --db "$DB"
check "proposal json parses" sh -c 'printf "%s" "$1" | python3 -m json.tool >/dev/null' _ "$OUT"
check "proposal json: zones, levels, residents, areas" test \
  "$(printf '%s' "$OUT" | jq -c '[.zones[] | [.zone, .level, .status, .residents, [.areas[].code]]]')" = \
  "[[\"Z0001\",\"sealed\",\"proposed\",$N1,[\"$DOWN\"]],[\"Z0002\",\"controlled\",\"proposed\",$N2,[\"$V\"]],[\"Z0003\",\"precaution\",\"proposed\",$N3,[\"$TOWN\"]]]"
check "proposal logged by 王明 (CORDON_ACTOR), from the case" test \
  "$(printf '%s' "$OUT" | jq -r '.log[] | select(.proposal == "P0001" and .zone == null) | .by + " " + .action + " " + .detail')" = \
  "王明 propose from case 430422-C0001"
check "each zone's proposal logged by 王明" test \
  "$(printf '%s' "$OUT" | jq -c '[.log[] | select(.zone != null) | [.by, .action, .zone]]')" = \
  '[["王明","propose","Z0001"],["王明","propose","Z0002"],["王明","propose","Z0003"]]'
# Nothing is decided yet: codes do not move for a proposal.
run code $RED --db "$DB"
expect 0 "绿码 green" "a proposed zone changes no code"

# edit: add 塘边屋场 to the controlled zone, then take it out again
export CORDON_NOW=2022-03-30T09:05:00$Z
run zone edit Z0002 --add $OTHER --by 李四 --db "$DB"
expect 0 "^zone Z0002: 1 added, 0 removed; $((N2 + NT)) residents$" "edit: add a hamlet, recounted"
run zone edit Z0002 --remove $OTHER --by 李四 --db "$DB"
expect 0 "^zone Z0002: 0 added, 1 removed; $N2 residents$" "edit: remove it, recounted"
run zone show Z0002 --db "$DB"
expect 0 "09:05:00  李四 +add +Z0002 $OTHER$" "edit logged: add, by 李四"
expect 0 "09:05:00  李四 +remove +Z0002 $OTHER$" "edit logged: remove, by 李四"

export CORDON_NOW=2022-03-30T09:10:00$Z
run zone confirm P0001 --by 张伟 --db "$DB"
expect 0 "^proposal P0001 confirmed by 张伟$" "confirm"
expect 0 "^  Z0001 +sealed +封控区 +active +$N1 residents$" "Z0001 active"
expect 0 "^  Z0002 +controlled +管控区 +active +$N2 residents$" "Z0002 active"
expect 0 "^  Z0003 +precaution +防范区 +active +$N3 residents$" "Z0003 active"
run zone show Z0001 --db "$DB"
expect 0 "09:10:00  张伟 +confirm +Z0001 $N1 residents$" "confirmation logged by 张伟"

# ---- 3. codes follow the zones
run code $RED --db "$DB"
expect 0 "红码 red" "sealed hamlet resident: red"
expect 0 "lives in sealed zone Z0001" "reason: the sealed zone"
run code $YEL --db "$DB"
expect 0 "黄码 yellow" "controlled village resident: yellow"
expect 0 "lives in controlled zone Z0002" "reason: the controlled zone"
run code $GRN --db "$DB"
expect 0 "绿码 green" "other village of the town (precaution only): green"

# A copy for the conversion and the forced lift (section 6).
DB2=$TMP/z2.db
sqlite3 "$DB" ".backup '$DB2'"

# ---- 4. three rounds in 72 hours over the controlled zone. Expected:
# 茶市村's residents but the case (in hospital) and 杨强明 (waiting for
# central quarantine).
EXP=$(residents $V- $CASE $K)
E=$(printf '%s\n' $EXP | wc -l)
E1=$(residents $UP- $CASE $K | wc -l)
E2=$(residents $DOWN- $CASE $K | wc -l)
check "expected by hand: 13 - 2 = 11 (上屋场 4, 下屋场 7)" test "$E $E1 $E2" = "11 4 7"
grid() { printf '%s +%s +%d +%d +0 +100.0' "$1" "$2" "$3" "$3"; }

# round CODE DAY DEADLINE-DAY: start at 08:00 over Z0002 (48 h by default
# for a controlled zone), every expected resident pooled 10-in-1 at 10:00,
# all negative at 16:00, status, missing and close at 18:00.
round_all() {
  local r=$1 d=$2 dl=$3 i=0 t
  export CORDON_NOW=${d}T07:30:00$Z
  run round start $r --zone Z0002 --start ${d}T08:00:00$Z --db "$DB"
  expect 0 "^round $r started over $V: from $d 08:00:00, deadline $dl 08:00:00 \(48 h\)$" "$r: over the zone, 48 h"
  { echo "tube,pool_size,point,sampled_at,round,resident_id,retest_of"
    for p in $EXP; do
      t=$((i / 10 + 1)); i=$((i + 1))
      echo "$r-00$t,10,茶市镇卫生院,${d}T10:00:00$Z,$r,$p,"
    done; } > "$TMP/s-$r.csv"
  { echo "tube,result,lab,result_at"
    for t in $(seq 1 $(( (E + 9) / 10 ))); do
      echo "$r-00$t,negative,衡南县疾控中心,${d}T16:00:00$Z"
    done; } > "$TMP/r-$r.csv"
  export CORDON_NOW=${d}T12:00:00$Z
  run import samples "$TMP/s-$r.csv" --db "$DB"
  expect 0 "$E rows" "$r: samples"
  export CORDON_NOW=${d}T18:00:00$Z
  run import results "$TMP/r-$r.csv" --db "$DB"
  expect 0 "" "$r: results"
  run round status $r --db "$DB"
  expect 0 "^overall: expected $E, sampled $E, missing 0 \(100.0 %\)$" "$r: coverage 100 %"
  expect 0 "^$(grid $UP 上屋场 $E1)$" "$r: 上屋场 covered"
  expect 0 "^$(grid $DOWN 下屋场 $E2)$" "$r: 下屋场 covered"
  run round missing $r --json --unmasked --db "$DB"
  check "$r: nobody missing" test "$(printf '%s' "$OUT" | jq -c '.workers')" = "[]"
  run round close $r --db "$DB"
  expect 0 "^result: all negative$" "$r: closed all negative"
}
round_all R1 2022-03-30 2022-04-01
round_all R2 2022-03-31 2022-04-02
round_all R3 2022-04-01 2022-04-03
check "three rounds within 72 h: R1's start to R3's close" test \
  "$(sqlite3 "$DB" "SELECT (SELECT closed_at FROM test_rounds WHERE code = 'R3') - (SELECT start_at FROM test_rounds WHERE code = 'R1') <= 72 * 3600")" = 1

# 杨强明's quarantine tests (v8 close contact: central days 1, 4, 7, 14
# from the exposure on 03-29 → 03-30, 04-02, 04-05, 04-12), single tubes
# outside any round; days 1–7 negative here, day 14 below.
ktubes() { # DAY=DATE...: a samples file of single tubes K-D<DAY>
  echo "tube,pool_size,point,sampled_at,round,resident_id,retest_of"
  for dd in "$@"; do echo "K-D${dd%%=*},1,茶市镇卫生院,${dd#*=}T10:00:00$Z,,$K,"; done
}
export CORDON_NOW=2022-04-06T08:00:00$Z
ktubes 1=2022-03-30 4=2022-04-02 7=2022-04-05 > "$TMP/k.csv"
printf 'tube,result,lab,result_at\nK-D1,negative,衡南县疾控中心,2022-03-30T16:00:00%s\nK-D4,negative,衡南县疾控中心,2022-04-02T16:00:00%s\nK-D7,negative,衡南县疾控中心,2022-04-05T16:00:00%s\n' $Z $Z $Z > "$TMP/kr.csv"
run import samples "$TMP/k.csv" --db "$DB"
expect 0 "3 rows" "the contact's tubes, days 1-7"
run import results "$TMP/kr.csv" --db "$DB"
expect 0 "3 rows" "days 1-7 negative"

# ---- 7. refusals, each leaving the database unchanged (on 04-06)
export CORDON_NOW=2022-04-06T09:00:00$Z
before=$(dump "$DB")
run zone lift Z0099 --db "$DB"
expect 4 "no zone Z0099" "lift an unknown zone"
run zone confirm P0001 --db "$DB"
expect 5 "proposal P0001 is not open" "confirm a confirmed proposal"
run zone reject P0001 --db "$DB"
expect 2 "needs a --reason" "reject without --reason"
run zone lift Z0001 --force --db "$DB"
expect 2 "--force needs a --reason" "--force without --reason"
run zone propose 430422-C0099 --precaution town --db "$DB"
expect 4 "no case numbered 430422-C0099" "propose from an unknown case"
check "refusals change nothing" test "$(dump "$DB")" = "$before"
# the log is append-only
for sql in "UPDATE zone_log SET actor = 'x'" "DELETE FROM zone_log"; do
  OUT=$(sqlite3 "$DB" "$sql" 2>&1) && RC=0 || RC=1   # sqlite3's status varies by version
  expect 1 "the zone log is append-only" "zone_log refuses: $sql"
done
check "the log is as it was" test "$(dump "$DB")" = "$before"

# ---- 5. lifting on schedule (v8: sealed_quiet_days 14,
# sealed_round_within_days 2, min_rounds 3): no new case since the
# report on 03-30 → from 04-13; the close contact exposed 03-29 (the
# chess room) → from 04-12; an all-negative round started on 04-11..04-13
# → R4 on 04-12. Earliest 2022-04-13.
export CORDON_NOW=2022-04-12T07:00:00$Z
before=$(dump "$DB")
run zone lift Z0001 --by 张伟 --db "$DB"
expect 5 "cannot go to lifted yet \(earliest 2022-04-13\)" "lift on 04-12: refused (CD_ERULE)"
expect 5 "14 days without a new infection since 2022-03-30 .*: from 2022-04-13" "refusal names the quiet days"
expect 5 "an all-negative round in the 2 days before lifting \(started 2022-04-10 to 2022-04-12\)" "refusal names the missing round"
check "refusal does not name the close contact (met: 03-29 + 14 = 04-12)" sh -c '! printf "%s" "$1" | grep -q "close contact"' _ "$OUT"
check "refused lift changes nothing" test "$(dump "$DB")" = "$before"
check "杨强明 still waits on 04-12 (so not expected in R4)" test "$(sqlite3 "$DB" "SELECT q.status FROM quarantines q JOIN persons p ON p.id = q.person_id WHERE p.resident_id = '$K'")" = waiting
round_all R4 2022-04-12 2022-04-14
# the contact's day-14 tube, sampled 04-12 10:00; a copy before its result
export CORDON_NOW=2022-04-12T19:00:00$Z
ktubes 14=2022-04-12 > "$TMP/k14.csv"
run import samples "$TMP/k14.csv" --db "$DB"
expect 0 "1 rows" "the contact's day-14 tube"
DB3=$TMP/z3.db
sqlite3 "$DB" ".backup '$DB3'"
printf 'tube,result,lab,result_at\nK-D14,negative,衡南县疾控中心,2022-04-12T20:00:00%s\n' $Z > "$TMP/k14r.csv"
export CORDON_NOW=2022-04-12T21:00:00$Z
run import results "$TMP/k14r.csv" --db "$DB"
expect 0 "1 rows" "day 14 negative: the last close contact is negative"
run zone show Z0001 --db "$DB"
expect 0 "^next step:  lifted, earliest 2022-04-13; not ready today$" "after R4: earliest 04-13, not ready on 04-12"
expect 0 "^  \[  \] 14 days without a new infection since 2022-03-30" "quiet days: not yet"
expect 0 "^  \[ok\] the last close contact \(exposed 2022-03-29\) 14 days past exposure: from 2022-04-12" "close contact: met"
expect 0 "^  \[ok\] an all-negative round in the 2 days before lifting" "R4: met"
expect 0 "^  \[ok\] at least 3 area testing rounds over the zone: 4 closed" "4 rounds"
run zone show Z0001 --json --db "$DB"
check "show json parses" sh -c 'printf "%s" "$1" | python3 -m json.tool >/dev/null' _ "$OUT"
check "show json: zone, level, status, residents, areas" test \
  "$(printf '%s' "$OUT" | jq -c '[.zone, .level, .status, .residents, [.areas[].code]]')" = \
  "[\"Z0001\",\"sealed\",\"active\",$N1,[\"$DOWN\"]]"
check "show json: clock" test \
  "$(printf '%s' "$OUT" | jq -c '[.last_infection, .last_close_exposure]')" = '["2022-03-30","2022-03-29"]'
check "show json: the four rounds, all negative" test \
  "$(printf '%s' "$OUT" | jq -c '[.rounds[] | [.day, .all_negative]]')" = \
  '[["2022-03-30",true],["2022-03-31",true],["2022-04-01",true],["2022-04-12",true]]'
check "show json: next step" test \
  "$(printf '%s' "$OUT" | jq -c '[.next.to, .next.earliest, .next.ready]')" = '["lifted","2022-04-13",false]'
check "show json: the zone's log, who did what" test \
  "$(printf '%s' "$OUT" | jq -c '[.log[] | select(.zone == "Z0001") | [.by, .action, .detail]]')" = \
  "[[\"王明\",\"propose\",\"areas $DOWN; $N1 residents\"],[\"张伟\",\"confirm\",\"$N1 residents\"]]"
run zone list --json --db "$DB"
check "list json parses" sh -c 'printf "%s" "$1" | python3 -m json.tool >/dev/null' _ "$OUT"
check "list json: the three zones, earliest" test \
  "$(printf '%s' "$OUT" | jq -c '[.profile, [.zones[] | [.zone, .level, .status, .residents, .earliest, .ready]], .proposals]')" = \
  "[\"v8\",[[\"Z0001\",\"sealed\",\"active\",$N1,\"2022-04-13\",false],[\"Z0002\",\"controlled\",\"active\",$N2,\"2022-04-13\",false],[\"Z0003\",\"precaution\",\"active\",$N3,null,false]],[]]"

export CORDON_NOW=2022-04-13T09:00:00$Z
run zone lift Z0001 --by 张伟 --db "$DB"
expect 0 "^zone Z0001 \(sealed\) lifted by 张伟$" "lift Z0001 on 04-13"
run zone show Z0003 --db "$DB"
expect 0 "^zone Z0003 +precaution +防范区 +active" "the precaution zone stays while Z0002 is active"
run code $RED --db "$DB"
expect 0 "黄码 yellow" "下屋场 resident: yellow (still in controlled Z0002)"
run zone lift Z0002 --by 张伟 --db "$DB"
expect 0 "^zone Z0002 \(controlled\) lifted by 张伟$" "lift Z0002 on 04-13"
run zone show Z0003 --db "$DB"
expect 0 "^zone Z0003 +precaution +防范区 +lifted" "Z0003 lifted automatically"
expect 0 "^lifted: +2022-04-13 09:00:00$" "Z0003 lifted at once"
expect 0 "张伟 +lift +Z0003 no sealed or controlled zone remains within it$" "Z0003's log says why"
run zone list --db "$DB"
check "zone list: nothing active" sh -c '! printf "%s" "$1" | grep -Eq "^Z[0-9]{4} "' _ "$OUT"
run zone list --all --json --db "$DB"
check "zone list --all: three lifted" test \
  "$(printf '%s' "$OUT" | jq -c '[.zones[] | [.zone, .status]]')" = '[["Z0001","lifted"],["Z0002","lifted"],["Z0003","lifted"]]'
for p in $RED $YEL; do
  run code $p --db "$DB"
  expect 0 "绿码 green" "$p green again after lifting"
  expect 0 "2022-04-13 09:00:00  green" "$p: history records the change"
done

# The same day in the copy, with the contact's day-14 tube positive
# (he becomes a case, asymptomatic, reported 04-12): DOMAIN.md needs "the
# last close contact more than 14 days past exposure and negative", and
# the condition itself says "a contact who tests positive is a new
# infection" — so Z0001, drawn from his case 朱静, must not lift on 04-13.
printf 'tube,result,lab,result_at\nK-D14,positive,衡南县疾控中心,2022-04-12T20:00:00%s\n' $Z > "$TMP/k14p.csv"
export CORDON_NOW=2022-04-12T21:00:00$Z
run import results "$TMP/k14p.csv" --db "$DB3"
expect 0 "1 rows" "copy: day 14 positive"
run case show $K --db "$DB3"
expect 0 "430422-C0002" "copy: the positive contact is a case"
export CORDON_NOW=2022-04-13T09:00:00$Z
run zone lift Z0001 --by 张伟 --db "$DB3"
expect 5 "cannot go to lifted yet" "copy: no lift on 04-13 after the close contact turned positive on 04-12"

# ---- 6. conversion, in the copy taken at confirmation: 高丽艳 (上屋场,
# inside controlled Z0002, outside sealed Z0001) confirmed on 03-31.
export CORDON_NOW=2022-03-31T10:00:00$Z
run case add --id $CASE2_RID --class confirmed --type mild --onset 2022-03-30 \
  --sampling 2022-03-31 --found screening --db "$DB2"
expect 0 "^430422-C0002$" "a second case inside the controlled zone"
run zone list --db "$DB2"
expect 0 "^  P0002 .* turn controlled zone Z0002 sealed: case 430422-C0002 lives inside$" "an open proposal to seal Z0002"
run zone list --json --db "$DB2"
check "list json: the conversion proposal" test \
  "$(printf '%s' "$OUT" | jq -c '[.proposals[] | [.proposal, .kind, .zone, .case]]')" = '[["P0002","convert","Z0002","430422-C0002"]]'
before=$(dump "$DB2")
run zone reject P0002 --by 张伟 --db "$DB2"
expect 2 "needs a --reason" "reject an open proposal without --reason"
check "refused reject changes nothing" test "$(dump "$DB2")" = "$before"
run zone confirm P0002 --by 张伟 --db "$DB2"
expect 0 "^proposal P0002 confirmed by 张伟$" "confirm the conversion"
run zone show Z0002 --db "$DB2"
expect 0 "^zone Z0002 +sealed +封控区 +active" "Z0002 is sealed"
expect 0 "张伟 +convert +Z0002 controlled → sealed after case 430422-C0002$" "the conversion is logged"
# the new case restarts the clock: 03-31 + 14 = 04-14
expect 0 "^next step:  lifted, earliest 2022-04-14;" "clock from the new case"
for p in $HU 430422195605261266; do
  run code $p --db "$DB2"
  expect 0 "红码 red" "$p (上屋场) red"
  expect 0 "lives in sealed zone Z0002" "$p: reason names Z0002"
done
run round start RX --zone Z0002 --start 2022-03-31T12:00:00$Z --db "$DB2"
expect 0 "deadline 2022-04-01 12:00:00 \(24 h\)$" "a sealed zone's round: 24 h by default"

# forced lift: kept in the log with [forced] and the reason
REASON="县指挥部研判提前解除"
run zone lift Z0001 --force --reason "$REASON" --by 张伟 --db "$DB2"
expect 0 "^zone Z0001 \(sealed\) lifted by 张伟 \(forced\)$" "forced lift"
run zone show Z0001 --db "$DB2"
expect 0 "张伟 +lift +Z0001 \[forced\] sealed → lifted; forced: $REASON; not met: " "forced lift logged with its reason"
run zone show Z0001 --json --db "$DB2"
check "json log: forced" test "$(printf '%s' "$OUT" | jq -c '[.log[-1].action, .log[-1].forced]')" = '["lift",true]'
run zone show Z0003 --db "$DB2"
expect 0 "^zone Z0003 +precaution +防范区 +active" "precaution stays: Z0002 still sealed"

finish
