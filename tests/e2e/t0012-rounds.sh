#!/usr/bin/env bash
# t0012 — area testing rounds through the CLI on the sample registry: a
# round over 茶市村 (430422103201: hamlets 上屋场 -001 and 下屋场 -002,
# both answered for by grid worker 李春花 13907340002); a confirmed case
# (in hospital) and a secondary contact waiting for central quarantine
# left out of the expected residents; coverage per unit and grid and the
# missing list counted here with awk from tests/data/persons.csv, not
# from cordon; closing all negative, and a second round with a positive
# pool and a tube still waiting; refusals leave the database unchanged.
. "$(dirname "$0")/lib.sh"
DB=$TMP/r.db
sample_db "$DB"
T=2022-03
Z=+08:00
V=430422103201
export CORDON_NOW=${T}-30T07:30:00$Z

# ---- who is away: 朱静 (下屋场) a confirmed case; 赵桂平 (上屋场) a
# secondary contact of the case 林磊 via 孙磊秀 (chess room, 03-29), under
# v8 sent to central quarantine, waiting for a room (no sites).
CASE=430422197309107052   # 朱静
J=430422195605261266      # 赵桂平
A=43042219421127457X      # 林磊, 云集社区: outside the round
B=430422199708164969      # 孙磊秀, 云集社区: outside the round
cat > "$TMP/scans.csv" <<CSV
resident_id,venue,check_in,check_out
$A,V430422103-0001,${T}-28T09:00:00$Z,${T}-28T11:00:00$Z
$B,V430422103-0001,${T}-28T09:30:00$Z,${T}-28T10:30:00$Z
$B,V430422103-0002,${T}-29T15:00:00$Z,${T}-29T17:00:00$Z
$J,V430422103-0002,${T}-29T15:00:00$Z,${T}-29T16:00:00$Z
CSV
"$CORDON" import scans "$TMP/scans.csv" --db "$DB" >/dev/null
"$CORDON" case add --id "$A" --class confirmed --type mild --onset ${T}-29 \
  --sampling ${T}-29 --found pool --db "$DB" >/dev/null
"$CORDON" case add --id "$CASE" --class confirmed --type mild \
  --onset ${T}-29 --sampling ${T}-29 --found fever --db "$DB" >/dev/null
"$CORDON" trace 430422-C0001 --db "$DB" >/dev/null
printf 'profile = v8\n' > "$TMP/v8.rules"
"$CORDON" quarantine plan 430422-C0001 --rules "$TMP/v8.rules" --db "$DB" >/dev/null
check "赵桂平 waits for central quarantine" test "$(sqlite3 "$DB" "SELECT q.status FROM quarantines q JOIN persons p ON p.id = q.person_id WHERE p.resident_id = '$J'")" = waiting
AWAY="$CASE $J"

# ---- start
run round start R1 --units $V --start ${T}-30T08:00:00$Z --db "$DB"
expect 0 "^round R1 started over $V: from 2022-03-30 08:00:00, deadline 2022-03-31 08:00:00 \(24 h\)" "start, 24 h by default"
check "start and deadline stored (03-30 08:00 CST = 1648598400)" \
  test "$(sqlite3 "$DB" "SELECT start_at, deadline, closed_at IS NULL FROM test_rounds WHERE code = 'R1'")" = "1648598400|1648684800|1"

# ---- refusals, each leaving the database unchanged
before=$(dump "$DB")
run round start R2 --units $V,430422999999 --db "$DB"
expect 4 "no unit 430422999999" "unknown unit"
run round start R1 --units $V --db "$DB"
expect 5 "round R1 was already started" "duplicate round"
run round start R2 --units 430422103000,$V --db "$DB"
expect 5 "unit $V lies within unit 430422103000" "overlapping targets"
run round start R2 --units $V --hours 0 --db "$DB"
expect 3 "the deadline must come after the start" "deadline not after start"
run round start R2 --db "$DB"
expect 2 "needs --units" "no units"
run round status R9 --db "$DB"
expect 4 "no testing round R9" "unknown round"
check "refusals change nothing" test "$(dump "$DB")" = "$before"

# ---- samples: a 10-in-1 tube with five of the village and one of 老屋场
# (outside the round), and a single tube; 赵桂平 sampled anyway does not
# count (not expected).
IN_POOL="430422199803228537 430422201612120208 430422197109031161 430422200705016501 43042220180801348X"
SINGLE=430422200905155135
OUTSIDER=430422195511155067
{
  echo "tube,pool_size,point,sampled_at,round,resident_id,retest_of"
  for p in $IN_POOL $OUTSIDER; do echo "R1-001,10,茶市镇卫生院,${T}-30T09:00:00$Z,R1,$p,"; done
  echo "R1-002,1,茶市镇卫生院,${T}-30T09:10:00$Z,R1,$SINGLE,"
  echo "R1-003,1,茶市镇卫生院,${T}-30T09:20:00$Z,R1,$J,"
} > "$TMP/s1.csv"
export CORDON_NOW=${T}-30T12:00:00$Z
run import samples "$TMP/s1.csv" --db "$DB"
expect 0 "8 rows" "samples imported"
SAMPLED="$IN_POOL $SINGLE $OUTSIDER $J"

# Expected, sampled and missing per hamlet, from persons.csv.
count() { # HAMLET WHAT: expected | sampled
  awk -F, -v h="$1" -v what="$2" -v away="$AWAY" -v s="$SAMPLED" '
    BEGIN { split(away, a, " "); for (i in a) out[a[i]] = 1
            split(s, b, " "); for (i in b) got[b[i]] = 1 }
    NR > 1 && index($3, h "-") == 1 && !($1 in out) {
      e++; if ($1 in got) n++ }
    END { print (what == "expected" ? e + 0 : n + 0) }' "$DATA/persons.csv"
}
E1=$(count $V-001 expected); S1=$(count $V-001 sampled)
E2=$(count $V-002 expected); S2=$(count $V-002 sampled)
E=$((E1 + E2)); S=$((S1 + S2))
check "hand counts: 上屋场 4/3, 下屋场 7/3" test "$E1 $S1 $E2 $S2" = "4 3 7 3"
row() { printf '%s +%s +%d +%d +%d ' "$1" "$2" "$3" "$4" $(($3 - $4)); }

run round status R1 --db "$DB"
expect 0 "^round R1 from 2022-03-30 08:00:00, deadline 2022-03-31 08:00:00: open$" "status: open"
expect 0 "^overall: expected $E, sampled $S, missing $((E - S)) \(54.5 %\)$" "status: overall"
expect 0 "^$(row $V 茶市村 $E $S) +54.5$" "status: the target unit"
expect 0 "^$(row $V-001 上屋场 $E1 $S1) +75.0$" "status: 上屋场"
expect 0 "^$(row $V-002 下屋场 $E2 $S2) +42.9$" "status: 下屋场"
run round status R1 --json --db "$DB"
check "status json: grids" test "$(printf '%s' "$OUT" | jq -c '[.grids[] | [.unit, .expected, .sampled, .missing]]')" = "[[\"$V-001\",$E1,$S1,$((E1 - S1))],[\"$V-002\",$E2,$S2,$((E2 - S2))]]"
check "status json: not past" test "$(printf '%s' "$OUT" | jq .past_deadline)" = false

# The missing list: every expected resident not sampled, under 李春花.
want=$(awk -F, -v v="$V" -v away="$AWAY" -v s="$SAMPLED" '
  BEGIN { split(away, a, " "); for (i in a) out[a[i]] = 1
          split(s, b, " "); for (i in b) got[b[i]] = 1 }
  NR > 1 && index($3, v "-") == 1 && !($1 in out) && !($1 in got) { print $1 }' \
  "$DATA/persons.csv" | sort | tr '\n' ' ')
run round missing R1 --json --unmasked --db "$DB"
got=$(printf '%s' "$OUT" | jq -r '.workers[].missing[].resident_id' | sort | tr '\n' ' ')
check "missing = expected minus sampled (want: $want got: $got)" test "$got" = "$want"
check "missing: one worker, 李春花" test "$(printf '%s' "$OUT" | jq -c '[.workers[] | [.worker, .phone]]')" = '[["李春花","13907340002"]]'
run round missing R1 --db "$DB"
expect 0 "^grid worker 李春花 13907340002$" "missing text: the worker"
expect 0 "^杨强明 +430422[*]{8}9698 +18522007414 +上屋场 $V-001 +$V-001-0004$" "missing text: name, masked ID, phone, hamlet, household"
check "missing shows no full resident ID" sh -c "! printf '%s' \"\$1\" | grep -q 430422199611279698" _ "$OUT"

# ---- close, all negative
cat > "$TMP/r1.csv" <<CSV
tube,result,lab,result_at
R1-001,negative,衡南县疾控中心,${T}-30T15:00:00$Z
R1-002,negative,衡南县疾控中心,${T}-30T15:00:00$Z
R1-003,negative,衡南县疾控中心,${T}-30T15:00:00$Z
CSV
export CORDON_NOW=${T}-31T09:00:00$Z
"$CORDON" import results "$TMP/r1.csv" --db "$DB" >/dev/null
run round status R1 --db "$DB"
expect 0 ": past deadline$" "status: past the deadline"
run round close R1 --db "$DB"
expect 0 "^round R1 closed at 2022-03-31 09:00:00: 3 tubes, 3 negative, 0 positive, 0 invalid, 0 without result$" "close: counts"
expect 0 "^result: all negative$" "close: all negative"
before=$(dump "$DB")
run round close R1 --db "$DB"
expect 5 "round R1 was already closed at 2022-03-31 09:00:00" "second close refused"
check "second close changes nothing" test "$(dump "$DB")" = "$before"

# ---- round 2, 48 h: a positive pool and a tube without result
run round start R2 --units $V --start ${T}-31T08:00:00$Z --hours 48 --db "$DB"
expect 0 "deadline 2022-04-02 08:00:00 \(48 h\)" "start, 48 h"
{
  echo "tube,pool_size,point,sampled_at,round,resident_id,retest_of"
  for p in $IN_POOL; do echo "R2-001,10,茶市镇卫生院,${T}-31T09:00:00$Z,R2,$p,"; done
  echo "R2-002,1,茶市镇卫生院,${T}-31T09:10:00$Z,R2,$SINGLE,"
  echo "R2-003,5,茶市镇卫生院,${T}-31T09:20:00$Z,R2,430422196112089618,"
} > "$TMP/s2.csv"
export CORDON_NOW=${T}-31T16:00:00$Z
"$CORDON" import samples "$TMP/s2.csv" --db "$DB" >/dev/null
cat > "$TMP/r2.csv" <<CSV
tube,result,lab,result_at
R2-001,positive,衡南县疾控中心,${T}-31T15:00:00$Z
R2-002,negative,衡南县疾控中心,${T}-31T15:00:00$Z
CSV
"$CORDON" import results "$TMP/r2.csv" --db "$DB" >/dev/null
run round close R2 --db "$DB"
expect 0 "3 tubes, 1 negative, 1 positive, 0 invalid, 1 without result$" "close R2: counts"
expect 0 "^positive: R2-001 \(10-in-1, 5 members\)$" "close R2: the positive pool"
expect 0 "^still without result: 1 tubes$" "close R2: the waiting tube"
check "close R2: not all negative" sh -c "! printf '%s' \"\$1\" | grep -q 'all negative'" _ "$OUT"
finish
