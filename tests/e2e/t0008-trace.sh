#!/usr/bin/env bash
# t0008 — presence import and tracing through the CLI, on the sample
# registry with presence rows written here by hand. Every expected
# category below is worked out from the v9 rules (docs/rules.md):
# teahouse and chess room enclosed, 15 min overlap; market open; bus
# rows within 3; companions 10 min in a cell; proximity 15 min.
. "$(dirname "$0")/lib.sh"
export CORDON_NOW=2022-03-30T07:30:00+08:00
DB=$TMP/c.db
sample_db "$DB"

A=43042219421127457X   # the case; phone 17071967692; household 001-0003
HH_A="430422201005167143 430422201408022248 430422197902064604 430422195107081553"
B=430422199708164969   # teahouse 60 min with A: close
HH_B="430422200604173719 430422199909129318 430422200707248234 430422198704236203"
C=430422200810075095   # teahouse 10 min with A: general
D=430422197504261856   # market (open) with A: general
E=430422197404166405   # bus, 2 rows from A: close
HH_E="430422195004169114"
F=430422198307029868   # bus, 6 rows from A (4 from E): general
G=430422194311240561   # phone 18663550032, 60 min in A's cell: companion
H=430422195407271359   # proximity 12 + 8 min with A: close
HH_H="430422200803050295 430422195809050225 430422201301092182"
J=430422195605261266   # chess room 60 min with B after B's exposure: secondary via B
I=430422197109031161   # teahouse with A before the window: nothing
M=430422198108180522   # phone 15745405683, 5 min in A's cell: nothing
N=430422198107286042   # teahouse with A after A's isolation: nothing
K=430422199611279698   # added by hand later
L=430422197309107052   # another case, at the teahouse with A: a linked case
T=2022-03

cat > "$TMP/scans.csv" <<CSV
resident_id,venue,check_in,check_out
$A,V430422103-0001,${T}-28T09:00:00+08:00,${T}-28T11:00:00+08:00
$B,V430422103-0001,${T}-28T09:30:00+08:00,${T}-28T10:30:00+08:00
$C,V430422103-0001,${T}-28T10:50:00+08:00,${T}-28T11:30:00+08:00
$L,V430422103-0001,${T}-28T09:00:00+08:00,${T}-28T10:00:00+08:00
$A,V430422001-0001,${T}-28T07:00:00+08:00,
$D,V430422001-0001,${T}-28T07:10:00+08:00,
$A,V430422103-0001,${T}-26T09:00:00+08:00,${T}-26T11:00:00+08:00
$I,V430422103-0001,${T}-26T09:00:00+08:00,${T}-26T11:00:00+08:00
$B,V430422103-0002,${T}-29T15:00:00+08:00,${T}-29T17:00:00+08:00
$J,V430422103-0002,${T}-29T15:00:00+08:00,${T}-29T16:00:00+08:00
$A,V430422103-0001,${T}-30T05:00:00+08:00,${T}-30T06:00:00+08:00
$N,V430422103-0001,${T}-30T05:00:00+08:00,${T}-30T06:00:00+08:00
CSV
cat > "$TMP/trips.csv" <<CSV
resident_id,mode,route,date,departure,carriage,seat_row
$A,bus,B103-001,${T}-28,13:00,1,5
$E,bus,B103-001,${T}-28,13:00,1,7
$F,bus,B103-001,${T}-28,13:00,1,11
CSV
cat > "$TMP/cells.csv" <<CSV
phone,cell,start,end
17071967692,C12000000,${T}-28T14:00:00+08:00,${T}-28T18:00:00+08:00
18663550032,C12000000,${T}-28T17:00:00+08:00,${T}-28T19:00:00+08:00
15745405683,C12000000,${T}-28T17:55:00+08:00,${T}-28T18:30:00+08:00
CSV
cat > "$TMP/proximity.csv" <<CSV
resident_id_a,resident_id_b,start,minutes
$A,$H,${T}-29T09:00:00+08:00,12
$H,$A,${T}-29T12:00:00+08:00,8
CSV

for k in scans trips cells proximity; do
  n=$(($(grep -c . "$TMP/$k.csv") - 1))
  run import "$k" "$TMP/$k.csv" --db "$DB"
  expect 0 "$n rows \($n new" "import $k"
done
# Importing again adds nothing.
for k in scans trips cells proximity; do
  n=$(($(grep -c . "$TMP/$k.csv") - 1))
  run import "$k" "$TMP/$k.csv" --db "$DB"
  expect 0 "$n rows \(0 new, 0 updated, $n unchanged\)" "re-import $k adds nothing"
done

run case add --id "$A" --class confirmed --type mild --onset 2022-03-29 \
  --sampling 2022-03-29 --found pool --isolated 2022-03-30T04:00:00+08:00 --db "$DB"
expect 0 "430422-C0001" "the case"
run case add --id "$L" --class asymptomatic --sampling 2022-03-29 --found screening --db "$DB"
expect 0 "430422-C0002" "a second case"

run trace 430422-C0001 --db "$DB"
#                     close secondary companions general linked
expect 0 "^430422-C0001 +7 +9 +1 +3 +1 +\+21 ~0 -0 " "trace counts"
run trace "$A" --db "$DB"
expect 0 "^430422-C0001 +7 +9 +1 +3 +1 +\+0 ~0 -0 " "re-trace by resident ID changes nothing"

# Each person's category, from the stored contacts.
cat_of() { sqlite3 "$DB" "SELECT c.category FROM contacts c JOIN persons p ON p.id = c.person_id WHERE p.resident_id = '$1'"; }
for p in $HH_A $B $E $H; do check "$p is close" test "$(cat_of "$p")" = close; done
for p in $HH_B $HH_E $HH_H $J; do check "$p is secondary" test "$(cat_of "$p")" = secondary; done
check "G is a companion" test "$(cat_of "$G")" = companion
for p in $C $D $F; do check "$p is general" test "$(cat_of "$p")" = general; done
for p in $I $M $N $K; do check "$p is not a contact" test -z "$(cat_of "$p")"; done
check "the other case is linked" test "$(sqlite3 "$DB" "SELECT is_case FROM contacts c JOIN persons p ON p.id = c.person_id WHERE p.resident_id = '$L'")" = 1
check "J is secondary through B" test "$(sqlite3 "$DB" "SELECT v.resident_id FROM contacts c JOIN persons p ON p.id = c.person_id JOIN persons v ON v.id = c.via_person_id WHERE p.resident_id = '$J'")" = "$B"
check "B's evidence: the teahouse visit, 60 minutes" test "$(sqlite3 "$DB" "SELECT kind || ' ' || overlap FROM contact_evidence e JOIN persons p ON p.id = e.person_id WHERE p.resident_id = '$B' AND e.category = 'close'")" = "venue 3600"
check "H's proximity: 20 minutes in two records" test "$(sqlite3 "$DB" "SELECT sum(overlap) FROM contact_evidence e JOIN persons p ON p.id = e.person_id WHERE p.resident_id = '$H'")" = 1200

# The chain: the case, close contacts, secondary ones under them.
run chain 430422-C0001 --db "$DB"
expect 0 "^430422-C0001  林磊 430422[*]{8}457X  \(confirmed\)" "chain: the case, masked"
expect 0 "^├─ close      孙磊秀 .*\[venue\]" "chain: B at the teahouse"
expect 0 "^│  └─ secondary 赵桂平 .*\[venue\]" "chain: J under B"
expect 0 "also a case" "chain: the linked case is marked"
run chain 430422-C0001 --json --unmasked --db "$DB"
expect 0 "\"resident_id\": \"$J\"" "chain JSON, unmasked"
run contact list 430422-C0001 --category general --db "$DB"
expect 0 "^3 contacts of 430422-C0001$" "three general contacts listed"

# An investigator adds a carer by hand; the next trace includes them.
run contact add 430422-C0001 "$K" --db "$DB"
expect 3 "--reason is required" "a reason is required"
run contact add 430422-C0001 "$K" --reason 照护人 --db "$DB"
expect 0 "added 杨强明 as a close contact of 430422-C0001" "manual contact"
run trace 430422-C0001 --db "$DB"
expect 0 "^430422-C0001 +8 +9 +1 +3 +1 +\+1 ~0 -0 " "re-trace adds exactly the manual contact"
check "K is close" test "$(cat_of "$K")" = close

# Under v9-20 there are no secondary contacts.
printf 'profile = v9-20\n' > "$TMP/deploy.rules"
run trace 430422-C0001 --rules "$TMP/deploy.rules" --db "$DB"
expect 0 "^430422-C0001 +8 +0 +1 +3 +1 +\+0 ~0 -9 " "v9-20: secondary contacts gone"
run trace 430422-C0002 --db "$DB"
expect 0 "^430422-C0002 " "trace the second case"
run trace 430422-C0099 --db "$DB"
expect 4 "no case|not found" "unknown case"

# Presence imports refuse bad rows and change nothing.
segs() { cat "$DB.presence/"*.seg | md5sum; }
before=$(segs)
printf 'resident_id,venue,check_in,check_out\n%s,V999,2022-03-28T09:00:00+08:00,\n%s,V430422103-0001,yesterday,\n%s,V430422103-0001,2022-03-28T09:00:00+08:00,2022-03-28T08:00:00+08:00\n%s,V430422103-0001,2019-03-28T09:00:00+08:00,\n' "$A" "$A" "$A" "$A" > "$TMP/bad-scans.csv"
run import scans "$TMP/bad-scans.csv" --db "$DB"
expect 3 "bad-scans.csv:2: field 'venue' value 'V999': no venue with this code" "unknown venue"
expect 3 "bad-scans.csv:3: field 'check_in' value 'yesterday': must be an ISO 8601 time" "bad time"
expect 3 "bad-scans.csv:4: field 'check_out' value '.*': is before check_in" "check-out before check-in"
expect 3 "bad-scans.csv:5: field 'check_in' value '.*': is before 2020" "before 2020"
printf 'resident_id,mode,route,date,departure,carriage,seat_row\n%s,plane,CA1234,2022-03-28,13:00,1,5\n%s,bus,B1,2022-03-28,25:00,1,5\n%s,bus,B1,2022-03-28,13:00,0,5\n' "$A" "$A" "$A" > "$TMP/bad-trips.csv"
run import trips "$TMP/bad-trips.csv" --db "$DB"
expect 3 "bad-trips.csv:2: field 'mode' value 'plane': must be bus or rail" "bad mode"
expect 3 "bad-trips.csv:3: field 'departure' value '25:00': must be a time HH:MM" "bad departure"
expect 3 "bad-trips.csv:4: field 'carriage' value '0'" "bad carriage"
printf 'phone,cell,start,end\n13000000000,C12000000,2022-03-28T14:00:00+08:00,2022-03-28T15:00:00+08:00\n17071967692,X1,2022-03-28T14:00:00+08:00,2022-03-28T15:00:00+08:00\n17071967692,C12000000,2022-03-28T14:00:00+08:00,2022-03-28T13:00:00+08:00\n' > "$TMP/bad-cells.csv"
run import cells "$TMP/bad-cells.csv" --db "$DB"
expect 3 "bad-cells.csv:2: field 'phone' value '13000000000': no person with this phone" "unknown phone"
expect 3 "bad-cells.csv:3: field 'cell' value 'X1'" "bad cell"
expect 3 "bad-cells.csv:4: field 'end' value '.*': is before start" "end before start"
printf 'resident_id_a,resident_id_b,start,minutes\n%s,%s,2022-03-29T09:00:00+08:00,5\n%s,%s,2022-03-29T09:00:00+08:00,0\n' "$A" "$A" "$A" "$H" > "$TMP/bad-prox.csv"
run import proximity "$TMP/bad-prox.csv" --db "$DB"
expect 3 "bad-prox.csv:2: field 'resident_id_b' value '$A': is the same person" "proximity with oneself"
expect 3 "bad-prox.csv:3: field 'minutes' value '0'" "zero minutes"
check "bad imports left the segments as they were" test "$(segs)" = "$before"

# Presence files into a registry with no one in it (found by fuzz_csv:
# undefined behaviour on empty look-up tables).
"$CORDON" init --db "$TMP/empty.db" >/dev/null
for k in scans trips cells proximity; do
  head -1 "$TMP/$k.csv" > "$TMP/hdr-$k.csv"
  run import "$k" "$TMP/hdr-$k.csv" --db "$TMP/empty.db"
  expect 0 "0 rows" "header-only $k into an empty registry"
done
run import scans "$TMP/scans.csv" --db "$TMP/empty.db"
expect 3 "no person with this resident ID in the registry" "scans for people not registered"

# A damaged segment is refused with a clear message.
cp "$DB.presence/scans.seg" "$TMP/scans.seg.bak"
printf 'garbage' | dd of="$DB.presence/scans.seg" bs=1 seek=0 conv=notrunc 2>/dev/null
run trace 430422-C0001 --db "$DB"
expect 7 "scans.seg is corrupt" "corrupt segment refused"
cp "$TMP/scans.seg.bak" "$DB.presence/scans.seg"

finish
