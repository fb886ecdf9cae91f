#!/usr/bin/env bash
# t0010 — quarantine through the CLI, on the sample registry traced as in
# t0008 (a subset of its presence rows): sites imported, plans for the
# case's close and secondary contacts under v8, rooms given (a parent with
# a young child together) and a waiting list when the sites are full,
# monitoring alerts at 37.3 °C, the day's lists, release refused then
# accepted (the room freed goes to the waiting), an upgrade when a linked
# close contact turns positive, explicit re-planning, a discharged
# patient, and errors that leave the database unchanged. Every date is
# worked out by hand from DOMAIN.md's table (day 1 = the day after the
# last exposure), every room from the allocation rule (docs/quarantine.md).
. "$(dirname "$0")/lib.sh"
export CORDON_NOW=2022-03-30T07:30:00+08:00
DB=$TMP/c.db
sample_db "$DB"

A=43042219421127457X   # the case; household 0003 (林)
HH_A="430422195107081553 430422197902064604 430422201005167143 430422201408022248"
# 林娜丽 b. 1951, 林勇英 b. 1979, 林霞刚 b. 2010 (11), 林桂刚 b. 2014 (7)
B=430422199708164969   # 孙磊秀: teahouse with A on 03-28: close
E=430422197404166405   # 刘秀: bus with A on 03-28: close
H=430422195407271359   # 胡芳: proximity with A on 03-29: close
J=430422195605261266   # 赵桂平: chess room with B on 03-29: secondary via B
E2=430422195004169114  # 刘敏兰: E's household: secondary via E
HW=430422195809050225  # 胡伟 (b. 1958), H's household: secondary
HL=430422201301092182  # 胡磊桂 (b. 2013, 9): H's household: secondary
T=2022-03
Z=+08:00

cat > "$TMP/scans.csv" <<CSV
resident_id,venue,check_in,check_out
$A,V430422103-0001,${T}-28T09:00:00$Z,${T}-28T11:00:00$Z
$B,V430422103-0001,${T}-28T09:30:00$Z,${T}-28T10:30:00$Z
$B,V430422103-0002,${T}-29T15:00:00$Z,${T}-29T17:00:00$Z
$J,V430422103-0002,${T}-29T15:00:00$Z,${T}-29T16:00:00$Z
CSV
cat > "$TMP/trips.csv" <<CSV
resident_id,mode,route,date,departure,carriage,seat_row
$A,bus,B103-001,${T}-28,13:00,1,5
$E,bus,B103-001,${T}-28,13:00,1,7
CSV
cat > "$TMP/proximity.csv" <<CSV
resident_id_a,resident_id_b,start,minutes
$A,$H,${T}-29T09:00:00$Z,12
$H,$A,${T}-29T12:00:00$Z,8
CSV
for k in scans trips proximity; do
  "$CORDON" import "$k" "$TMP/$k.csv" --db "$DB" >/dev/null
done
run case add --id "$A" --class confirmed --type mild --onset 2022-03-29 \
  --sampling 2022-03-29 --found pool --isolated ${T}-30T04:00:00$Z --db "$DB"
expect 0 "430422-C0001" "the case"
# Close: A's household (4), B, E, H; secondary: B's household (4), E's
# (1), H's (3) and J — as in t0008.
run trace 430422-C0001 --db "$DB"
expect 0 "^430422-C0001 +7 +9 +0 +0 +0 " "the trace"

q() { sqlite3 "$DB" "$1"; }
# The open plan's field of a person, by resident ID.
plan_of() { q "SELECT $2 FROM quarantines q JOIN persons p ON p.id = q.person_id WHERE p.resident_id = '$1' ORDER BY q.id DESC LIMIT 1"; }
room_of() { q "SELECT s.code || '/' || r.number FROM quarantines q JOIN persons p ON p.id = q.person_id JOIN rooms r ON r.id = q.room_id JOIN sites s ON s.id = r.site_id WHERE p.resident_id = '$1' AND q.status = 'central'"; }
over_capacity() { q "SELECT count(*) FROM rooms r WHERE (SELECT count(*) FROM quarantines q WHERE q.room_id = r.id AND q.status = 'central') > r.capacity"; }

# ---- sites: seven rooms, eleven beds
cat > "$TMP/sites.csv" <<CSV
site,site_name,unit,address,room,capacity
H01,衡南宾馆,430422001000,云集街道1号,101,1
H01,衡南宾馆,430422001000,云集街道1号,102,1
H01,衡南宾馆,430422001000,云集街道1号,103,2
H01,衡南宾馆,430422001000,云集街道1号,104,2
H01,衡南宾馆,430422001000,云集街道1号,105,1
H02,茶市酒店,430422103000,,201,1
H02,茶市酒店,430422103000,,202,3
CSV
run import sites "$TMP/sites.csv" --db "$DB"
expect 0 "7 rows \(7 new, 0 updated, 0 unchanged\)" "sites imported"
run import sites "$TMP/sites.csv" --db "$DB"
expect 0 "7 rows \(0 new, 0 updated, 7 unchanged\)" "re-import changes nothing"

before=$(dump "$DB")
cat > "$TMP/bad-sites.csv" <<CSV
site,site_name,unit,address,room,capacity
H04,北宾馆,430422001000,,401,1
H04,南宾馆,430422001000,,402,1
H04,北宾馆,430422001000,,401,2
H04,北宾馆,430422001000,,403,0
H 5,宾馆,430422001000,,501,1
H06,宾馆,430422104000,,601,1
H04,北宾馆,430422001000,,404,x
CSV
run import sites "$TMP/bad-sites.csv" --db "$DB"
expect 3 "bad-sites.csv:3: field 'site_name' value '南宾馆': differs from line 2 for the same site" "a site named two ways"
expect 3 "bad-sites.csv:4: field 'room' value '401': duplicate of line 2" "a room twice"
expect 3 "bad-sites.csv:5: field 'capacity' value '0': must be a whole number of people from 1 to 20" "capacity 0"
expect 3 "bad-sites.csv:6: field 'site' value 'H 5': only letters, digits" "bad site code"
expect 3 "bad-sites.csv:7: field 'unit' value '430422104000': unit 430422104000 does not exist" "unknown unit"
expect 3 "bad-sites.csv:8: field 'capacity' value 'x'" "capacity not a number"
check "a bad sites file changes nothing" test "$(dump "$DB")" = "$before"

# ---- plans under v8, at 08:00 on 30 March
printf 'profile = v8\n' > "$TMP/v8.rules"
printf 'profile = v9\n' > "$TMP/v9.rules"
printf 'profile = v9-20\n' > "$TMP/v9-20.rules"
export CORDON_NOW=${T}-30T08:00:00$Z
run quarantine plan 430422-C0999 --rules "$TMP/v8.rules" --db "$DB"
expect 4 "no case" "plan for an unknown case"
run quarantine plan 430422-C0001 --rules "$TMP/v8.rules" --db "$DB"
# v8: everyone in central quarantine. Rooms in priority order (close, then
# secondary, then by plan), each group the smallest free room that holds
# it: 林娜丽 with 林霞刚 (103) and 林勇英 with 林桂刚 (104) take the
# two-bed rooms, the other close contacts and 刘敏兰 the single rooms, J
# the three-bed room alone; the other seven secondary contacts wait.
expect 0 "profile v8: 16 planned, 0 kept .*; 9 given rooms, 7 waiting for a room" "16 plans, 9 rooms, 7 waiting"
expect 0 "sites are full: 7 waiting for a room" "the waiting list"
check "parent and child together (103)" test "$(room_of 430422195107081553) $(room_of 430422201005167143)" = "H01/103 H01/103"
check "parent and child together (104)" test "$(room_of 430422197902064604) $(room_of 430422201408022248)" = "H01/104 H01/104"
check "J alone in the three-bed room" test "$(room_of $J)" = "H02/202"
check "the child of the secondary household waits with her parent" test "$(plan_of $HL status) $(plan_of $HW status)" = "waiting waiting"
check "nine people in rooms" test "$(q "SELECT count(*) FROM quarantines WHERE status = 'central'")" = 9
check "no room over its capacity" test "$(over_capacity)" = 0
check "the database itself refuses a room over capacity" \
  sh -c "! sqlite3 '$DB' \"UPDATE quarantines SET status = 'central', room_id = (SELECT id FROM rooms WHERE number = '101') WHERE id = 11\" 2>/dev/null"
check "and a capacity below the occupants" \
  sh -c "! sqlite3 '$DB' \"UPDATE rooms SET capacity = 1 WHERE number = '103'\" 2>/dev/null"
check "every plan keeps profile v8" test "$(q "SELECT DISTINCT profile FROM quarantines")" = v8
# Planning recomputed the codes (docs/codes.md): v8 close contacts are 14
# days in central quarantine from 03-28, until 04-11; a secondary contact
# is yellow until the end of their own plan.
run code "$B" --db "$DB"
expect 0 "红码 red" "a planned close contact is red"
expect 0 "close contact in central quarantine until 2022-04-11" "the code names the plan"
run code "$HW" --db "$DB"
expect 0 "黄码 yellow" "a secondary contact waiting for a room is yellow"
expect 0 "secondary contact in central \\(waiting for a room\\) quarantine until $(plan_of $HW central_end)" "the code says it is waiting, until the plan's end"
run site list --db "$DB"
expect 0 "^H01 +衡南宾馆 +430422001000 +5 +7 +5 +7 +0$" "H01: 5 rooms, 7 beds, all taken"
expect 0 "^H02 +茶市酒店 +430422103000 +2 +4 +2 +2 +0$" "H02: 2 rooms, 4 beds, 2 people"
run site show H01 --db "$DB"
expect 0 "^103 +2 +2 +close +林娜丽 \(plan 1\), 林霞刚 \(plan 6\)$" "room 103's occupants"
before=$(dump "$DB")
printf 'site,site_name,unit,address,room,capacity\nH01,衡南宾馆,430422001000,云集街道1号,103,1\n' > "$TMP/shrink.csv"
run import sites "$TMP/shrink.csv" --db "$DB"
expect 3 "shrink.csv:2: field 'capacity' value '1': room 103 of site H01 holds 2 people now" "capacity below the occupants"
check "a refused capacity changes nothing" test "$(dump "$DB")" = "$before"

# B (孙磊秀), last exposed 03-28: central 03-29 .. 04-11, tests 03-29,
# 04-01, 04-04, 04-11; monitoring 04-12 .. 04-18, tests 04-13, 04-18.
PB=$(plan_of $B q.id)
check "B's sampling days" test "$(q "SELECT group_concat(date, ' ') FROM (SELECT date FROM quarantine_tests WHERE quarantine_id = $PB ORDER BY date)")" = "2022-03-29 2022-04-01 2022-04-04 2022-04-11 2022-04-13 2022-04-18"
run quarantine show "$PB" --db "$DB"
expect 0 "^central    2022-03-29 to 2022-04-11$" "B's central part"
expect 0 "^monitoring 2022-04-12 to 2022-04-18$" "B's monitoring"
expect 0 "monitoring day 7 +2022-04-18" "B's last test"
# A's household, last exposed 03-30 (A's isolation): central 03-31 ..
# 04-13, monitoring 04-14 .. 04-20.
check "A's household's dates" test "$(plan_of 430422201005167143 "central_end || ' ' || monitoring_end")" = "2022-04-13 2022-04-20"
# J, last exposed 03-29 (secondary, v8: 7 d central, tests 1, 4, 7).
PJ=$(plan_of $J q.id)
check "J's plan" test "$(plan_of $J "central_end || ' ' || coalesce(monitoring_end, '-')")" = "2022-04-05 -"
check "J's sampling days" test "$(q "SELECT group_concat(date, ' ') FROM (SELECT date FROM quarantine_tests WHERE quarantine_id = $PJ ORDER BY date)")" = "2022-03-30 2022-04-02 2022-04-05"

# Planning again (under v9 now) keeps every plan as it was.
run quarantine plan 430422-C0001 --db "$DB"
expect 0 "profile v9: 0 planned, 16 kept" "plans are kept"
check "kept plans keep v8" test "$(q "SELECT count(*) FROM quarantines WHERE profile = 'v8'")" = 16

# ---- monitoring on 31 March
export CORDON_NOW=${T}-31T09:00:00$Z
run quarantine monitor "$PB" --temp 37.2 --db "$DB"
expect 0 "recorded for 孙磊秀 \(plan $PB\) at 2022-03-31 09:00: 37.2 °C, no symptoms" "37.2: no alert"
check "37.2 is no alert" test -z "$(printf '%s' "$OUT" | grep ALERT)"
run quarantine monitor "$B" --temp 37.3 --db "$DB"
expect 0 "ALERT: temperature 37.3 °C ≥ 37.3 °C" "37.3 is an alert (by resident ID)"
run quarantine monitor "$PB" --temp 36.5 --symptoms 咳嗽 --db "$DB"
expect 0 "ALERT: symptoms: 咳嗽" "a symptom is an alert"
before=$(dump "$DB")
run quarantine monitor "$PB" --temp 37.25 --db "$DB"
expect 3 "--temp '37.25': must be degrees Celsius with at most one decimal" "two decimals"
run quarantine monitor "$PB" --temp 45 --db "$DB"
expect 3 "must be from 34.0 to 43.0" "out of range"
run quarantine monitor "$PB" --db "$DB"
expect 2 "--temp is required" "no temperature"
run quarantine monitor 99 --temp 36.5 --db "$DB"
expect 4 "no quarantine plan 99" "unknown plan"
check "refused entries change nothing" test "$(dump "$DB")" = "$before"
run quarantine show "$PB" --db "$DB"
expect 0 "37.3 °C  -  ALERT: temperature 37.3" "the alert is kept"
check "three entries, two alerts" test "$(q "SELECT count(*) || ' ' || sum(alert <> '') FROM monitoring")" = "3 2"

# ---- the day's lists
run quarantine due --date 2022-03-31 --db "$DB"
# Sampled on 03-31 (day 1 of those exposed 03-30): A's household (4), the
# secondary contacts of B's, E's and H's households (8), waiting or not.
expect 0 "^to sample on 2022-03-31: 12$" "12 to sample on 03-31"
expect 0 "^due for release on 2022-03-31: 0$" "nobody due for release"
# No sample yet: B and E missed day 1 (03-29), H and J day 1 (03-30).
expect 0 "^overdue on 2022-03-31: 4$" "4 overdue"
expect 0 "孙磊秀 .* central day 1 +2022-03-29 +H01/105 +central day 1 test not sampled" "B missed 03-29"
run quarantine due --date 2022-04-01 --db "$DB"
expect 0 "^to sample on 2022-04-01: 2$" "B and E on 04-01 (day 4)"

# ---- samples: a 10-in-1 tube with B and E on 03-29, single tubes of H
# and J on 03-30, all negative
cat > "$TMP/s1.csv" <<CSV
tube,pool_size,point,sampled_at,round,resident_id,retest_of
Q0329-1,10,衡南宾馆,${T}-29T09:00:00$Z,Q0329,$B,
Q0329-1,10,衡南宾馆,${T}-29T09:00:00$Z,Q0329,$E,
Q0330-1,1,衡南宾馆,${T}-30T09:00:00$Z,Q0330,$H,
Q0330-2,1,茶市酒店,${T}-30T09:00:00$Z,Q0330,$J,
CSV
cat > "$TMP/r1.csv" <<CSV
tube,result,lab,result_at
Q0329-1,negative,衡南县疾控中心,${T}-29T20:00:00$Z
Q0330-1,negative,衡南县疾控中心,${T}-30T20:00:00$Z
Q0330-2,negative,衡南县疾控中心,${T}-30T20:00:00$Z
CSV
run import samples "$TMP/s1.csv" --db "$DB"
expect 0 "4 rows" "samples"
run import results "$TMP/r1.csv" --db "$DB"
expect 0 "3 rows" "results"
run quarantine due --date 2022-03-31 --db "$DB"
expect 0 "^overdue on 2022-03-31: 0$" "sampled: nobody overdue"

# 04-01: B negative, E positive (a single tube: E becomes a case).
export CORDON_NOW=2022-04-01T20:00:00$Z
cat > "$TMP/s2.csv" <<CSV
tube,pool_size,point,sampled_at,round,resident_id,retest_of
Q0401-1,1,衡南宾馆,2022-04-01T09:00:00$Z,Q0401,$B,
Q0401-2,1,衡南宾馆,2022-04-01T09:00:00$Z,Q0401,$E,
CSV
cat > "$TMP/r2.csv" <<CSV
tube,result,lab,result_at
Q0401-1,negative,衡南县疾控中心,2022-04-01T18:00:00$Z
Q0401-2,positive,衡南县疾控中心,2022-04-01T18:00:00$Z
CSV
run import samples "$TMP/s2.csv" --db "$DB"
expect 0 "2 rows" "samples 04-01"
# ---- upgrade: 刘敏兰's linked close contact E is positive. The result
# upgrades her at once, under the deployment's rules (v8 here): a close
# contact from her last exposure (03-30): central 03-31 .. 04-13,
# monitoring 04-14 .. 04-20, in the room she has.
P8=$(plan_of $E2 q.id)
export CORDON_RULES="$TMP/v8.rules"
run import results "$TMP/r2.csv" --db "$DB"
expect 0 "2 rows" "results 04-01"
unset CORDON_RULES
check "the old plan is marked upgraded on the result's day" test "$(q "SELECT status || ' ' || ended_on FROM quarantines WHERE id = $P8")" = "upgraded 2022-04-01"
check "the new plan: close, same room, new dates" test "$(plan_of $E2 "grp || ' ' || status || ' ' || central_end || ' ' || monitoring_end || ' ' || previous_id")" = "close central 2022-04-13 2022-04-20 $P8"
check "刘敏兰 keeps room H02/201" test "$(room_of $E2)" = "H02/201"
run code "$E2" --db "$DB"
expect 0 "红码 red" "刘敏兰's code: red, a close contact now"
export CORDON_NOW=2022-04-02T09:00:00$Z
run quarantine upgrade --rules "$TMP/v8.rules" --db "$DB"
expect 0 "^0 secondary contacts upgraded" "nothing more to upgrade"

# J's day-4 test (04-02), negative.
export CORDON_NOW=2022-04-02T20:00:00$Z
printf 'tube,pool_size,point,sampled_at,round,resident_id,retest_of\nQ0402-1,1,茶市酒店,2022-04-02T09:00:00%s,Q0402,%s,\n' "$Z" "$J" > "$TMP/s3.csv"
printf 'tube,result,lab,result_at\nQ0402-1,negative,衡南县疾控中心,2022-04-02T18:00:00%s\n' "$Z" > "$TMP/r3.csv"
"$CORDON" import samples "$TMP/s3.csv" --db "$DB" >/dev/null
"$CORDON" import results "$TMP/r3.csv" --db "$DB" >/dev/null

# ---- release: J's central quarantine ends on 04-05
run quarantine due --date 2022-04-05 --db "$DB"
expect 0 "^due for release on 2022-04-05: 1$" "J due for release on 04-05"
expect 0 "赵桂平 .* release +2022-04-05 +H02/202 +central day 7 test \(2022-04-05\): not sampled" "not ready: day 7 not sampled"
before=$(dump "$DB")
export CORDON_NOW=2022-04-04T10:00:00$Z
run quarantine release "$PJ" --db "$DB"
expect 5 "cannot release 赵桂平 \(plan $PJ\) on 2022-04-04: quarantine ends on 2022-04-05" "too early"
export CORDON_NOW=2022-04-05T12:00:00$Z
run quarantine release "$J" --db "$DB"
expect 5 "central day 7 test \(2022-04-05\): not sampled" "day 7 not sampled"
check "refused releases change nothing" test "$(dump "$DB")" = "$before"
export CORDON_NOW=2022-04-05T16:00:00$Z
printf 'tube,pool_size,point,sampled_at,round,resident_id,retest_of\nQ0405-1,1,茶市酒店,2022-04-05T09:00:00%s,Q0405,%s,\n' "$Z" "$J" > "$TMP/s4.csv"
printf 'tube,result,lab,result_at\nQ0405-1,negative,衡南县疾控中心,2022-04-05T15:00:00%s\n' "$Z" > "$TMP/r4.csv"
"$CORDON" import samples "$TMP/s4.csv" --db "$DB" >/dev/null
"$CORDON" import results "$TMP/r4.csv" --db "$DB" >/dev/null
# J's tests 03-30, 04-02, 04-05 negative; B's first two (03-29 pool,
# 04-01) negative: released; the three-bed room goes to the first waiting
# group that fits: 胡伟 with 胡磊桂.
run quarantine release "$PJ" --db "$DB"
expect 0 "released 赵桂平 \(plan $PJ\); room H02/202 freed; 2 waiting given rooms" "J released"
check "J released on 04-05" test "$(plan_of $J "status || ' ' || ended_on")" = "released 2022-04-05"
# v8 secondary contacts have no health monitoring after: J's code is green
run code "$J" --db "$DB"
expect 0 "绿码 green" "J's code green after release"
expect 0 "yellow +secondary contact in central quarantine until" "history: yellow during quarantine"
check "the room went to parent and child" test "$(room_of $HW) $(room_of $HL)" = "H02/202 H02/202"
check "still no room over its capacity" test "$(over_capacity)" = 0
run site show H02 --db "$DB"
expect 0 "^202 +3 +2 +secondary +胡伟 \(plan 10\), 胡磊桂 \(plan 16\)$" "room 202 now"
run site list --db "$DB"
expect 0 "^H02 +茶市酒店 +430422103000 +2 +4 +2 +3 +0$" "H02: 3 people"
run quarantine list --status waiting --db "$DB"
expect 0 "^5 plans$" "five still waiting"
run quarantine show "$PJ" --json --db "$DB"
expect 0 "\"status\": \"released\"" "show JSON"
run quarantine release "$PJ" --db "$DB"
expect 5 "the plan is released, not open" "released once"

# E tested positive: their release is refused past the end, and they are
# overdue on 04-12 (E's quarantine ended on 04-11).
run quarantine due --date 2022-04-12 --db "$DB"
expect 0 "刘秀 .* release +2022-04-11 +H01/102 +.*tested positive on 2022-04-01" "E overdue, positive"

# ---- re-planning is explicit
before=$(dump "$DB")
run quarantine replan "$PB" --db "$DB"
expect 2 "--rules FILE is required" "replan needs rules"
P10=$(plan_of $HW q.id)
run quarantine replan "$P10" --rules "$TMP/v9-20.rules" --db "$DB"
expect 5 "secondary contacts are not identified under profile v9-20: plan $P10 is kept" "v9-20 has no secondary contacts"
check "refused re-plans change nothing" test "$(dump "$DB")" = "$before"
# B under v9: central 03-29 .. 04-04, monitoring 04-05 .. 04-07, same room.
run quarantine replan "$PB" --rules "$TMP/v9.rules" --db "$DB"
expect 0 "plan $PB \(profile v8\) replaced by plan [0-9]+ \(profile v9\) for 孙磊秀" "B re-planned under v9"
check "B's new plan" test "$(plan_of $B "profile || ' ' || central_end || ' ' || monitoring_end || ' ' || status")" = "v9 2022-04-04 2022-04-07 central"
check "B keeps room H01/105" test "$(room_of $B)" = "H01/105"
check "the old plan is kept as it was" test "$(q "SELECT status || ' ' || profile || ' ' || central_end FROM quarantines WHERE id = $PB")" = "replanned v8 2022-04-11"

# ---- a discharged patient: A cured on 04-15; 14 d central (04-16 ..
# 04-29) + 14 d home (04-30 .. 05-13), by the profile (v9)
export CORDON_NOW=2022-04-16T09:00:00$Z
run quarantine plan 430422-C0001 --discharged --db "$DB"
expect 5 "is not discharged cured" "not yet cured"
run case update 430422-C0001 --outcome cured --outcome-date 2022-04-15 --db "$DB"
expect 0 "" "A cured"
run quarantine plan 430422-C0001 --discharged --db "$DB"
expect 0 "1 planned" "the discharged patient's plan"
check "discharged: dates" test "$(plan_of $A "grp || ' ' || central_end || ' ' || home_end || ' ' || quarantine_end")" = "discharged 2022-04-29 2022-05-13 2022-05-13"
check "discharged: sampling days" test "$(q "SELECT group_concat(date, ' ') FROM (SELECT date FROM quarantine_tests t JOIN quarantines q ON q.id = t.quarantine_id JOIN persons p ON p.id = q.person_id WHERE p.resident_id = '$A' ORDER BY date)")" = "2022-04-29 2022-05-13"
run quarantine plan 430422-C0001 --discharged --db "$DB"
expect 5 "already under quarantine plan" "one open plan per person"

run quarantine list --json --db "$DB"
expect 0 "\"profile\": \"v8\"" "list JSON"
check "list JSON parses" sh -c "'$CORDON' quarantine list --json --db '$DB' | python3 -m json.tool >/dev/null"
run quarantine list --status nonsense --db "$DB"
expect 2 "--status nonsense" "bad status"
run quarantine frobnicate --db "$DB"
expect 2 "usage: cordon quarantine" "unknown subcommand"
run site show H99 --db "$DB"
expect 4 "no site H99" "unknown site"

finish
