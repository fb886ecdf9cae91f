#!/usr/bin/env bash
# t0011 — health codes follow cases and traces, with reasons and history;
# checkpoint verification decides by the four steps and records the pass;
# bad requests are refused and record nothing.
. "$(dirname "$0")/lib.sh"
export CORDON_NOW=2022-03-30T07:30:00+08:00
DB=$TMP/c.db
sample_db "$DB"
A=43042219421127457X   # the case
B=430422199708164969   # teahouse 60 min with A: close → red
S=430422200604173719   # B's household: secondary → yellow
G=430422201309043756   # no cause: green
CP=V430422200-0002     # 相市卡口, a checkpoint
printf 'resident_id,venue,check_in,check_out\n%s,V430422103-0001,2022-03-28T09:00:00+08:00,2022-03-28T11:00:00+08:00\n%s,V430422103-0001,2022-03-28T09:30:00+08:00,2022-03-28T10:30:00+08:00\n' "$A" "$B" > "$TMP/scans.csv"
"$CORDON" import scans "$TMP/scans.csv" --db "$DB" >/dev/null

run code "$B" --db "$DB"
expect 0 "绿码 green" "green before any case"
expect 0 "always green" "no history yet"

"$CORDON" case add --id "$A" --class confirmed --type mild --onset 2022-03-29 --found pool --db "$DB" >/dev/null
check "adding the case recomputed its code at once" test "$(sqlite3 "$DB" "SELECT c.colour FROM codes c JOIN persons p ON p.id = c.person_id WHERE p.resident_id = '$A'")" = red
run code "$A" --db "$DB" --json
expect 0 "\"colour\": \"red\"" "the case is red"
# GB/T 38962-2020 fields: sex 1 male (ID digit 17 odd), nationality, ID
# type 01 (resident identity card), residence division, masked number.
expect 0 "\"sex\": \"1\"" "GB/T 38962 sex code"
expect 0 "\"nationality\": \"CHN\"" "nationality"
expect 0 "\"id_type\": \"01\"" "ID type: resident identity card"
expect 0 "\"id_number\": \"430422[*]{8}457X\"" "ID number, masked"
expect 0 "\"residence_division\": \"430422\"" "residence division"
expect 0 "confirmed case 430422-C0001" "with its reason"
run trace 430422-C0001 --db "$DB"
expect 0 "^430422-C0001 +5 +4 " "trace: 5 close (A's household and B), 4 secondary"
run code "$B" --db "$DB"
expect 0 "红码 red" "the close contact turned red"
expect 0 "close contact of case 430422-C0001, to be quarantined" "reason named"
expect 0 "2022-03-30 07:30:00  red" "history: the change and its time"
run code "$S" --db "$DB"
expect 0 "黄码 yellow" "the secondary contact turned yellow"
expect 0 "secondary contact of case 430422-C0001" "reason named"
# the case and its 9 contacts; nobody else has a stored code
check "codes stored only for the affected" test "$(sqlite3 "$DB" 'SELECT count(*) FROM codes')" = 10

passes() { sqlite3 "$DB" 'SELECT count(*) FROM checkpoint_passes'; }
# The four steps at the checkpoint.
run check "$G" --checkpoint "$CP" --temp 36.5 --mask yes --db "$DB"
expect 0 "^现场检测 test-on-site" "green without a negative test: test on site"
expect 0 "4 verify test-on-site +no negative test on record" "step 4 says why"
run check "$B" --checkpoint "$CP" --temp 36.5 --db "$DB"
expect 0 "^移交卫生人员 hand-over-to-health-staff" "red: handed over"
run check "$S" --checkpoint "$CP" --db "$DB" --json
expect 0 "\"outcome\": \"test-on-site\"" "yellow without a test: test on site beats restricted"
expect 0 "\"finding\": \"health code yellow: secondary contact" "step 2's finding"
check "three passes recorded" test "$(passes)" = 3
# A fever turns the code yellow.
run check "$G" --checkpoint "$CP" --temp 37.3 --db "$DB"
expect 0 "temperature 37.3 °C: abnormal" "37.3 is abnormal"
run code "$G" --db "$DB"
expect 0 "黄码 yellow" "fever at a checkpoint: yellow"

# A positive 10-in-1 pool turns its members yellow at once; a member's
# negative single tube clears theirs.
POOL="430422195605261266 430422199803228537 430422201612120208 430422197109031161 430422199611279698 430422200705016501 43042220180801348X 430422196112089618 430422200905155135 430422200701017515"
{ echo "tube,pool_size,point,sampled_at,round,resident_id,retest_of"
  for p in $POOL; do echo "T0329-01,10,茶市镇卫生院,2022-03-29T15:00:00+08:00,R1,$p,"; done; } > "$TMP/samples.csv"
printf 'tube,result,lab,result_at
T0329-01,positive,县疾控,2022-03-30T02:58:00+08:00
' > "$TMP/results.csv"
"$CORDON" import samples "$TMP/samples.csv" --db "$DB" >/dev/null
run import results "$TMP/results.csv" --db "$DB"
expect 0 "1 rows" "the positive pool"
M=430422199803228537
run code "$M" --db "$DB"
expect 0 "黄码 yellow" "pool member yellow"
expect 0 "pool positive \(tube T0329-01\), controlled in place" "reason: the pool"
printf 'tube,pool_size,point,sampled_at,round,resident_id,retest_of
S0330-01,1,茶市镇卫生院,2022-03-30T04:00:00+08:00,,%s,T0329-01
' "$M" > "$TMP/single.csv"
printf 'tube,result,lab,result_at
S0330-01,negative,县疾控,2022-03-30T06:00:00+08:00
' > "$TMP/single-r.csv"
"$CORDON" import samples "$TMP/single.csv" --db "$DB" >/dev/null
"$CORDON" import results "$TMP/single-r.csv" --db "$DB" >/dev/null
run code "$M" --db "$DB"
expect 0 "绿码 green" "negative single tube: green again"
expect 0 "07:30:00  green" "history: back to green"
run check "$M" --checkpoint "$CP" --temp 36.4 --db "$DB"
expect 0 "^通行 pass" "green with a negative 1.5 h old: pass"

# A pass is a presence at the checkpoint: K passed with G at 07:30; when
# K becomes a case, G is venue-exposed there (checkpoints are open).
K=430422198107286042
run check "$K" --checkpoint "$CP" --temp 36.6 --db "$DB"
expect 0 "1 scan +pass +code scanned; the pass is recorded" "K's pass"
"$CORDON" case add --id "$K" --class suspected --onset 2022-03-30 --found fever --db "$DB" >/dev/null
CORDON_NOW=2022-03-30T09:00:00+08:00 run trace "$K" --db "$DB"
expect 0 "^430422-C0002 " "trace the new case"
check "G exposed at the checkpoint" test "$(sqlite3 "$DB" "SELECT k.category || ' ' || e.kind || ' ' || v.code FROM contacts k JOIN cases c ON c.id = k.case_id JOIN persons p ON p.id = k.person_id JOIN contact_evidence e ON e.case_id = k.case_id AND e.person_id = k.person_id JOIN venues v ON v.id = e.place WHERE c.number = '430422-C0002' AND p.resident_id = '$G'")" = "general venue $CP"
check "the passes are marked merged" test "$(sqlite3 "$DB" 'SELECT count(*) FROM checkpoint_passes WHERE merged = 0')" = 0

# Refusals record nothing.
before=$(passes)
run check 43042219421127457Y --checkpoint "$CP" --db "$DB"
expect 3 "must be a digit or X|checksum" "malformed ID"
run check 11010519491231002X --checkpoint "$CP" --db "$DB"
expect 4 "no person" "unknown person"
run check "$G" --checkpoint V430422103-0001 --db "$DB"
expect 3 "is a teahouse, not a checkpoint" "not a checkpoint"
run check "$G" --checkpoint "$CP" --window 36 --db "$DB"
expect 3 "window 36 h" "a window the rules do not have"
run check "$G" --checkpoint "$CP" --temp hot --db "$DB"
expect 3 "--temp 'hot'" "bad temperature"
run check "$G" --db "$DB"
expect 2 "--checkpoint CODE is required" "no checkpoint"
check "refused checks recorded nothing" test "$(passes)" = "$before"

finish
