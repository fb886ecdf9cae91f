#!/usr/bin/env bash
# t0009 — pooled testing through the CLI on the sample registry: the
# reference scenario's 10-in-1 tube positive at 02:58, its members
# controlled at once, the recall list per grid worker, single tubes that
# release the negatives and make the positive a case, each consistency
# error refused with nothing written, idempotent re-imports, and the
# 24/48/72 h certificate windows at their boundaries. Every expected value
# is worked out by hand from tests/data/ (hamlets and grid workers) and
# the times written here.
. "$(dirname "$0")/lib.sh"
DB=$TMP/t.db
sample_db "$DB"
T=2022-03-30
Z=+08:00
LAB=衡南县疾控中心

# The pool: five people of 上屋场 and three of 下屋场 (grid worker 李春花
# 13907340002), two of 塘边屋场 (王建国 13707340003).
P1=430422195605261266  # 赵桂平 上屋场 0001 — the positive single tube
P2=430422199803228537  # 高丽艳 上屋场 0002
P3=430422201612120208  # 高军杰 上屋场 0002
P4=430422197109031161  # 胡英秀 上屋场 0003
P5=430422199611279698  # 杨强明 上屋场 0004
P6=430422196112089618  # 李秀   下屋场 0001
P7=430422200705016501  # 李娜   下屋场 0001
P8=43042220180801348X  # 李明强 下屋场 0001
P9=430422198603062769  # 罗杰洋 塘边屋场 0001
P10=430422200204121880 # 罗伟娜 塘边屋场 0001
POOL="$P1 $P2 $P3 $P4 $P5 $P6 $P7 $P8 $P9 $P10"
# A 5-in-1 tube of 老屋场, negative; and one still waiting for its result.
NEG="430422195511155067 430422200910053408 430422194303014943 430422197502182054 430422193608093975"
WAIT="430422193905121362 430422200503019739"

{
  echo "tube,pool_size,point,sampled_at,round,resident_id,retest_of"
  for p in $POOL; do echo "P0330-001,10,茶市镇卫生院,${T}T01:00:00$Z,R0330,$p,"; done
  for p in $NEG; do echo "N0330-002,5,相市乡卫生院,${T}T01:10:00$Z,R0330,$p,"; done
  # pool_size empty: the profile's default pool (v9: 10)
  for p in $WAIT; do echo "W0330-003,,相市乡卫生院,${T}T01:20:00$Z,R0330,$p,"; done
} > "$TMP/samples.csv"
cat > "$TMP/results.csv" <<CSV
tube,result,lab,result_at
N0330-002,negative,$LAB,${T}T02:30:00$Z
P0330-001,positive,$LAB,${T}T02:58:00$Z
CSV

export CORDON_NOW=${T}T03:00:00$Z
run import samples "$TMP/samples.csv" --db "$DB"
expect 0 "17 rows \(17 new, 0 updated, 0 unchanged\)" "samples imported"
check "the empty pool size is the profile's 10" \
  test "$(sqlite3 "$DB" "SELECT pool_size FROM samples WHERE tube = 'W0330-003'")" = 10
run import results "$TMP/results.csv" --db "$DB"
expect 0 "2 rows \(2 new" "results imported"

# 2022-03-30 02:58 CST = day 19081 * 86400 + 2:58 - 8 h = 1648580280.
check "ten members controlled at once, since 02:58" \
  test "$(sqlite3 "$DB" "SELECT count(*) FROM pool_controls WHERE since = 1648580280 AND resolved_at IS NULL")" = 10
check "the negative tube controls nobody" \
  test "$(sqlite3 "$DB" "SELECT count(*) FROM pool_controls")" = 10
run pool show P0330-001 --db "$DB"
expect 0 "^state +controlled: 10 of 10 members still controlled in place" "pool show: controlled"
expect 0 "^result +positive 阳性 \($LAB, 2022-03-30 02:58:00\)" "pool show: the result"
expect 0 "^赵桂平 +430422[*]{8}1266 +430422103201-001-0001 +controlled +2022-03-30 02:58:00" "pool show: a member, masked"
run pool show N0330-002 --db "$DB"
expect 0 "^state +negative$" "the 5-in-1 tube is negative"
run pool show W0330-003 --json --db "$DB"
expect 0 "\"state\": \"waiting\"" "the third tube waits"
run pool show X0330-404 --db "$DB"
expect 4 "no tube X0330-404" "unknown tube"

# The recall list: 王建国 (13707340003) before 李春花 (13907340002); under
# each, by hamlet, household, resident ID.
run pool recall P0330-001 --db "$DB"
expect 0 "^pool P0330-001 \(10-in-1\) positive at 2022-03-30 02:58:00: 10 members to re-sample" "recall: heading"
order=$(printf '%s\n' "$OUT" | awk '/^grid worker/ { print $3; next } /^[^ ]+ +430422/ { print $1 }' | tr '\n' ' ')
check "recall grouped by grid worker, in order (got: $order)" \
  test "$order" = "王建国 罗杰洋 罗伟娜 李春花 赵桂平 高丽艳 高军杰 胡英秀 杨强明 李秀 李娜 李明强 "
expect 0 "^grid worker 李春花 13907340002$" "recall: the worker's phone"
expect 0 "^罗伟娜 +430422[*]{8}1880 +18477479842 +塘边屋场 430422103202-001 +430422103202-001-0001$" "recall: name, masked ID, phone, hamlet, household"
check "recall shows no full resident ID" sh -c "! printf '%s' \"\$1\" | grep -q '$P1'" _ "$OUT"
run pool recall P0330-001 --unmasked --json --db "$DB"
expect 0 "\"resident_id\": \"$P1\"" "recall --unmasked"
check "recall JSON: 王建国 with 2 members, then 李春花 with 8" \
  test "$(printf '%s\n' "$OUT" | awk '/"worker":/ { if (w) printf "%s:%d ", w, n; w = $2; n = 0 } /"resident_id":/ { n++ } END { printf "%s:%d", w, n }')" = '"王建国",:2 "李春花",:8'
run pool recall N0330-002 --db "$DB"
expect 5 "tube N0330-002 is not a positive pool" "no recall for a negative tube"

# Before any single tube: the pool positive voids every certificate.
run certificate "$P2" --db "$DB"
expect 0 "^latest negative +none" "no negative yet"
expect 0 "^within 72 h +no" "no certificate"
run certificate 430422195511155067 --db "$DB"
expect 0 "^latest negative +tube N0330-002 sampled 2022-03-30 01:10:00" "the 5-in-1 negative certifies"
expect 0 "^within 24 h +yes" "within 24 h"

# Single-tube re-samples at 03:30, one per member, pool size empty (1).
{
  echo "tube,pool_size,point,sampled_at,round,resident_id,retest_of"
  i=0
  for p in $POOL; do i=$((i + 1)); printf 'S0330-%02d,,茶市镇卫生院,%sT03:30:00%s,,%s,P0330-001\n' "$i" "$T" "$Z" "$p"; done
} > "$TMP/resamples.csv"
export CORDON_NOW=${T}T04:00:00$Z
run import samples "$TMP/resamples.csv" --db "$DB"
expect 0 "10 rows \(10 new" "re-samples imported"
check "a re-sample takes the pool's round" \
  test "$(sqlite3 "$DB" "SELECT count(*) FROM samples s JOIN test_rounds r ON r.id = s.round_id WHERE s.retest_of IS NOT NULL AND r.code = 'R0330'")" = 10

# The negatives come in first (07:00): eight members released.
{
  echo "tube,result,lab,result_at"
  for i in 02 03 04 05 06 07 08 09; do echo "S0330-$i,negative,$LAB,${T}T07:00:00$Z"; done
} > "$TMP/singles1.csv"
export CORDON_NOW=${T}T07:10:00$Z
run import results "$TMP/singles1.csv" --db "$DB"
expect 0 "8 rows \(8 new" "eight negatives"
run pool show P0330-001 --db "$DB"
expect 0 "^state +controlled: 2 of 10 members still controlled in place" "two still controlled"
expect 0 "^高丽艳 +430422[*]{8}8537 +430422103201-001-0002 +released +2022-03-30 02:58:00 +2022-03-30 07:00:00 +S0330-02 \(negative\)" "a negative released"
run pool recall P0330-001 --db "$DB"
order=$(printf '%s\n' "$OUT" | awk '/^grid worker/ { print $3; next } /^[^ ]+ +430422/ { print $1 }' | tr '\n' ' ')
check "recall now lists only the two left (got: $order)" test "$order" = "王建国 罗伟娜 李春花 赵桂平 "

# Then the positive (07:30) and the last negative.
cat > "$TMP/singles2.csv" <<CSV
tube,result,lab,result_at
S0330-01,positive,$LAB,${T}T07:30:00$Z
S0330-10,negative,$LAB,${T}T07:20:00$Z
CSV
export CORDON_NOW=${T}T07:40:00$Z
run import results "$TMP/singles2.csv" --db "$DB"
expect 0 "2 rows \(2 new" "the last two"
run pool show P0330-001 --db "$DB"
expect 0 "^state +resolved: 0 of 10 members still controlled in place" "pool resolved"
expect 0 "^赵桂平 .* case +2022-03-30 02:58:00 +2022-03-30 07:30:00 +S0330-01 \(positive\) +430422-C0001$" "the positive handed over as a case"
check "nine released, one a case" \
  test "$(sqlite3 "$DB" "SELECT group_concat(outcome || ':' || n) FROM (SELECT outcome, count(*) n FROM pool_controls GROUP BY outcome ORDER BY outcome)")" = "negative:9,positive:1"
run case show "$P1" --db "$DB"
expect 0 "^number +430422-C0001$" "case show by resident ID finds the case"
expect 0 "^class +asymptomatic" "asymptomatic until a clinician reclassifies"
expect 0 "^found by +pool" "found by the pool"
expect 0 "^sampling +2022-03-30$" "sampled on the re-sample's day"
expect 0 "^reported +2022-03-30 07:30:00$" "reported at the result"
run pool recall P0330-001 --db "$DB"
expect 0 ": 0 members to re-sample" "nobody left to recall"
run certificate "$P1" --db "$DB"
expect 0 "^within 24 h +no" "the case has no certificate"

# Re-importing every file changes nothing.
before=$(dump "$DB" | grep -v 'INSERT INTO imports')
for f in samples resamples; do
  run import samples "$TMP/$f.csv" --db "$DB"
  expect 0 "\(0 new, 0 updated, [0-9]+ unchanged\)" "re-import $f"
done
for f in results singles1 singles2; do
  run import results "$TMP/$f.csv" --db "$DB"
  expect 0 "\(0 new, 0 updated, [0-9]+ unchanged\)" "re-import $f"
done
check "re-imports changed nothing" test "$(dump "$DB" | grep -v 'INSERT INTO imports')" = "$before"

# Each consistency error: the exact message, exit 3, nothing written.
H="tube,pool_size,point,sampled_at,round,resident_id,retest_of"
refused() { # KIND FILE MESSAGE
  local b; b=$(dump "$DB")
  run import "$1" "$TMP/$2" --db "$DB"
  expect 3 "$3" "$2 refused"
  expect 3 "nothing was imported" "$2: nothing imported"
  check "$2 left the database unchanged" test "$(dump "$DB")" = "$b"
}
printf '%s\nF0330-004,5,茶市镇卫生院,%sT07:00:00%s,R0330,%s,\n' "$H" "$T" "$Z" "$P2" > "$TMP/twice-stored.csv"
refused samples twice-stored.csv "^[^ ]*twice-stored.csv:2: field 'resident_id' value '$P2': is already in tube P0330-001 of round R0330 \(stored\)$"
printf '%s\nF0330-005,5,x,%sT07:00:00%s,R0331,%s,\nF0330-006,5,x,%sT07:00:00%s,R0331,%s,\n' "$H" "$T" "$Z" "$P2" "$T" "$Z" "$P2" > "$TMP/twice-file.csv"
refused samples twice-file.csv "twice-file.csv:3: field 'resident_id' value '$P2': is already in tube F0330-005 of round R0331 \(line 2\)$"
{ echo "$H"; for p in $POOL; do echo "F0330-007,5,x,${T}T07:00:00$Z,R0331,$p,"; done; } > "$TMP/over.csv"
refused samples over.csv "over.csv:7: field 'resident_id' value '$P6': is member 6 of tube F0330-007, over its pool size of 5$"
printf '%s\nF0330-008,5,x,%sT07:00:00%s,R0331,110105194912310029,\n' "$H" "$T" "$Z" > "$TMP/unregistered.csv"
refused samples unregistered.csv "unregistered.csv:2: field 'resident_id' value '110105194912310029': checksum fails"
printf '%s\nF0330-009,5,x,%sT07:00:00%s,R0331,11010519491231002X,\n' "$H" "$T" "$Z" > "$TMP/unknown-person.csv"
refused samples unknown-person.csv "unknown-person.csv:2: field 'resident_id' value '11010519491231002X': no person with this resident ID in the registry$"
printf 'tube,result,lab,result_at\nX0330-404,negative,%s,%sT07:00:00%s\n' "$LAB" "$T" "$Z" > "$TMP/unknown-tube.csv"
refused results unknown-tube.csv "unknown-tube.csv:2: field 'tube' value 'X0330-404': no tube with this code \(import its samples first\)$"
printf 'tube,result,lab,result_at\nW0330-003,negative,%s,%sT01:19:59%s\n' "$LAB" "$T" "$Z" > "$TMP/early.csv"
refused results early.csv "early.csv:2: field 'result_at' value '2022-03-30T01:19:59\+08:00': is before the tube's sampling time 2022-03-30 01:20:00$"
printf 'tube,result,lab,result_at\nP0330-001,negative,%s,%sT02:58:00%s\n' "$LAB" "$T" "$Z" > "$TMP/second.csv"
refused results second.csv "second.csv:2: field 'result' value 'negative': tube P0330-001 already has the result positive \($LAB, 2022-03-30 02:58:00\); a tube has one result$"
printf 'tube,result,lab,result_at\nW0330-003,negative,%s,%sT05:00:00%s\nW0330-003,positive,%s,%sT05:00:00%s\n' "$LAB" "$T" "$Z" "$LAB" "$T" "$Z" > "$TMP/second-file.csv"
refused results second-file.csv "second-file.csv:3: field 'tube' value 'W0330-003': duplicate of line 2$"
# A good row before a bad one is not written either.
printf 'tube,result,lab,result_at\nW0330-003,negative,%s,%sT05:00:00%s\nX0330-404,negative,%s,%sT05:00:00%s\n' "$LAB" "$T" "$Z" "$LAB" "$T" "$Z" > "$TMP/half.csv"
refused results half.csv "half.csv:3: field 'tube' value 'X0330-404'"
printf '%s\nF0330-010,,x,%sT07:00:00%s,,%s,N0330-002\n' "$H" "$T" "$Z" "${NEG%% *}" > "$TMP/retest-negative.csv"
refused samples retest-negative.csv "field 'retest_of' value 'N0330-002': has no positive result"
printf '%s\nF0330-011,10,x,%sT07:00:00%s,,%s,P0330-001\n' "$H" "$T" "$Z" "$P2" > "$TMP/retest-pool.csv"
refused samples retest-pool.csv "field 'pool_size' value '10': must be 1 \(or empty\): a re-sample of a pool member is a single tube"
printf '%s\nP0330-001,10,茶市镇卫生院,%sT01:00:00%s,R0330,430422194303014943,\n' "$H" "$T" "$Z" > "$TMP/changed.csv"
refused samples changed.csv "field 'resident_id' value '430422194303014943': tube P0330-001 is stored without this person; a stored tube cannot change"

# Certificates of 高丽艳: her single tube was sampled at 03:30 on the 30th
# and negative at 07:00. Within 24 h up to 03:30:00 on the 31st, not a
# second later; 48 h up to 03:30:00 on 1 April; 72 h up to 2 April.
cert() { # AT W24 W48 W72
  run certificate "$P2" --at "$1" --db "$DB"
  expect 0 "^within 24 h +$2$" "at $1: 24 h $2"
  expect 0 "^within 48 h +$3$" "at $1: 48 h $3"
  expect 0 "^within 72 h +$4$" "at $1: 72 h $4"
}
cert 2022-03-31T03:30:00+08:00 yes yes yes
cert 2022-03-31T03:30:01+08:00 no yes yes
cert 2022-04-01T03:30:00+08:00 no yes yes
cert 2022-04-01T03:30:01+08:00 no no yes
cert 2022-04-02T03:30:00+08:00 no no yes
cert 2022-04-02T03:30:01+08:00 no no no
run certificate "$P2" --at 2022-03-31T03:30:00+08:00 --db "$DB"
expect 0 "^latest negative +tube S0330-02 sampled 2022-03-30 03:30:00 \(24 h 00 min before\)" "the single tube certifies"
# At 06:59 the single tube's result was not back: the positive pool rules.
run certificate "$P2" --at 2022-03-30T06:59:00+08:00 --json --db "$DB"
expect 0 "\"latest_negative\": null" "not before its result"
run certificate "$P2" --at 2022-03-31T03:30:01+08:00 --json --db "$DB"
expect 0 "\"age_seconds\": 86401" "certificate JSON: 24 h and 1 s"
check "certificate JSON: 24 h no, 48 h yes, 72 h yes" \
  test "$(printf '%s\n' "$OUT" | grep -o '"within": [a-z]*' | tr '\n' ' ')" = '"within": false "within": true "within": true '
printf 'profile = v9\n[checkpoint]\ncert_hours = 12 36\n' > "$TMP/deploy.rules"
run certificate "$P2" --at 2022-03-30T15:30:00+08:00 --rules "$TMP/deploy.rules" --db "$DB"
expect 0 "^within 12 h +yes" "the deployment's windows: 12 h"
expect 0 "^within 36 h +yes" "the deployment's windows: 36 h"
check "only the deployment's two windows" sh -c "! printf '%s' \"\$1\" | grep -q 'within 72 h'" _ "$OUT"
run certificate 11010519491231002X --db "$DB"
expect 4 "no person with resident ID 11010519491231002X" "unknown person"
run certificate 110105194912310029 --db "$DB"
expect 3 "checksum" "bad ID"
run certificate "$P2" --at yesterday --db "$DB"
expect 3 "--at: 'yesterday' is not a time" "bad --at"

finish
