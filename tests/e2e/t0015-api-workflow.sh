#!/usr/bin/env bash
# t0015 — a whole workflow through the HTTP API, on the real server on
# 127.0.0.1, by users of different roles: the admin uploads the registry
# (a bad file is refused whole); the investigator uploads presence data,
# adds the case and traces it (t0008's hand-made rows and categories);
# health codes (t0011's rules); the lab's positive pool, its recall lists
# per grid worker and certificates (t0009's pool); quarantine planned by
# the analyst, temperatures and a release by the site manager, a check at
# home by the grid worker (t0010, under v9); the checkpoint (t0011). Then
# every route of the served route table, called by a grid worker with
# keys of records outside their hamlet, leaks nothing; and the audit log
# holds what was done. Every expected value is worked out by hand from
# tests/data/*.csv, the rules (docs/rules.md, docs/codes.md, DOMAIN.md's
# tables) and the comments of t0008-t0011, never pasted from output.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"
export CORDON_NOW=2022-03-30T07:30:00+08:00
DB=$TMP/w.db
T=2022-03
Z=+08:00
LAB=衡南县疾控中心
CP=V430422200-0002          # 相市卡口, the checkpoint of venues.csv

# ---- the people (tests/data/persons.csv; roles in the story from t0008)
A=43042219421127457X   # 林磊, the case; 云集社区1号楼 (430422001001-001)
HH_A="430422201005167143 430422197902064604 430422195107081553 430422201408022248"
#      林霞刚 (b. 2010)   林勇英 (b. 1979)   林娜丽 (b. 1951)   林桂刚 (b. 2014)
B=430422199708164969   # 孙磊秀: teahouse 60 min with A: close
HH_B="430422200604173719 430422199909129318 430422200707248234 430422198704236203"
C=430422200810075095   # teahouse 10 min with A: general
D=430422197504261856   # market (open) with A: general
E=430422197404166405   # bus, 2 rows from A: close
HH_E="430422195004169114"
F=430422198307029868   # bus, 6 rows from A: general
G=430422194311240561   # phone 18663550032, 60 min in A's cell: companion
H=430422195407271359   # proximity 12 + 8 min with A: close
HH_H="430422200803050295 430422195809050225 430422201301092182"
J=430422195605261266   # 赵桂平, 上屋场: chess room with B after B's exposure: secondary via B
I=430422197109031161   # teahouse with A before the window: nothing
M=430422198108180522   # phone 15745405683, 5 min in A's cell: nothing
N=430422198107286042   # teahouse with A after A's isolation: nothing
K=430422199611279698   # never exposed
L=430422197309107052   # 朱静, another case at the teahouse with A: a linked case
S=430422200604173719   # 孙英, B's household: secondary → yellow
ME=430422201309043756  # 陈超涛, 云集社区1号楼 0001, in no one's way: the resident
XC=430422197502182054  # 何磊, 老屋场: a case far from the grid worker, for zones
# t0009's 10-in-1 pool: five of 上屋场 (J first), three of 下屋场, two of 塘边屋场.
POOL="$J 430422199803228537 430422201612120208 $I $K 430422196112089618 430422200705016501 43042220180801348X 430422198603062769 430422200204121880"

GRID_HAMLET=430422103201-001     # 上屋场: wang.grid's only hamlet
GRID2_HAMLET=430422103202-001    # 塘边屋场: luo.grid's

# From the registry files, independently of the program: a person's
# name and hamlet (their household's code without its last part).
name_of() { awk -F, -v r="$1" '$1 == r { print $2 }' "$DATA/persons.csv"; }
hamlet_of() { awk -F, -v r="$1" '$1 == r { h = $3; sub(/-[0-9]+$/, "", h); print h }' "$DATA/persons.csv"; }
mask_of() { printf '%s********%s' "${1:0:6}" "${1:14:4}"; }
# GB 11643 check character of 17 digits.
rid_check() {
  local w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) s=0 i
  for i in $(seq 0 16); do s=$((s + ${1:i:1} * w[i])); done
  local c=10X98765432
  printf '%s' "${c:$((s % 11)):1}"
}
rows_of() { echo $(($(grep -c . "$1") - 1)); }

# ---- 1. a fresh database; the first admin from the command line
"$CORDON" init --db "$DB" >/dev/null || { fail "init"; finish; exit 1; }
mkuser root admin
api_start "$DB" || { fail "server"; finish; exit 1; }
declare -A TOK
TOK[root]=$(login root)
R=${TOK[root]}

# ---- 2. the admin uploads the registry, all rows or none
for k in units households persons venues grid-workers; do
  n=$(rows_of "$DATA/$k.csv")
  req "$R" POST "/api/v1/imports/$k" @"$DATA/$k.csv" text/csv
  want 201 ".kind == \"$k\" and .rows == $n and .inserted == $n and .dry_run == false" "upload $k ($n rows)"
done
NPERSONS=$(rows_of "$DATA/persons.csv")
persons_count() { req "$R" GET "/api/v1/persons?limit=500"; printf '%s' "$BODY" | jq '.items | length'; }
persons_rows() { sqlite3 "$DB" 'SELECT * FROM persons ORDER BY id' | md5sum; }
check "the registry holds the file's $NPERSONS persons" test "$(persons_count)" = "$NPERSONS"
before=$(persons_rows)
GOOD=43042219900101003; GOOD=$GOOD$(rid_check $GOOD)         # a new, valid ID
BAD=43042219900101005; c=$(rid_check $BAD)
[ "$c" = 1 ] && BAD=${BAD}2 || BAD=${BAD}1                     # a wrong check character
printf 'resident_id,name,household,phone,groups\n%s,测试甲,430422001001-001-0001,,\n%s,测试乙,430422001001-001-0001,,\n' \
  "$GOOD" "$BAD" >"$TMP/bad-persons.csv"
req "$R" POST /api/v1/imports/persons @"$TMP/bad-persons.csv" text/csv
want 400 ".error.code == \"invalid\" and (.error.message | test(\"persons.csv:3: field 'resident_id' value '$BAD': checksum fails\"))" \
  "a bad ID checksum: 400 naming the line and the field"
check "nothing written: still $NPERSONS persons" test "$(persons_count)" = "$NPERSONS"
check "nothing written: the persons table as it was" test "$(persons_rows)" = "$before"
req "$R" GET "/api/v1/persons/$GOOD"
want 404 "the good row before the bad one was not written either"

# ---- users of every role, from the command line
mkuser li.analyst analyst --unit 430422
mkuser li.cdc investigator --unit 430422
mkuser li.lab lab --unit 430422
mkuser zhao.site site --unit 430422
mkuser chen.gate checkpoint --unit 430422
mkuser wang.grid grid --unit $GRID_HAMLET
mkuser luo.grid grid --unit $GRID2_HAMLET
mkuser me resident --rid $ME
for u in li.analyst li.cdc li.lab zhao.site chen.gate wang.grid luo.grid me; do
  TOK[$u]=$(login $u)
  check "login $u" test -n "${TOK[$u]}" -a "${TOK[$u]}" != null
done
CDC=${TOK[li.cdc]} AN=${TOK[li.analyst]} LABT=${TOK[li.lab]} SITE=${TOK[zhao.site]}
GATE=${TOK[chen.gate]} GRID=${TOK[wang.grid]} GRID2=${TOK[luo.grid]} MET=${TOK[me]}

# Registry ids (for links; lists carry them, not full IDs), as the admin,
# looked up once here (pid in a $(...) only reads the table).
declare -A PID
pid() {
  if [ -z "${PID[$1]+x}" ]; then
    req "$R" GET "/api/v1/persons/$1"
    PID[$1]=$(printf '%s' "$BODY" | jq -r '.person // empty')
  fi
  printf '%s' "${PID[$1]}"
}
for p in $HH_A $HH_B $HH_E $HH_H $C $D $E $F $G $H $J $I $M $N $K $L $S $ME $A; do pid "$p" >/dev/null; done
pid "$B" >/dev/null
want 200 ".name == \"$(name_of $B)\" and .hamlet == \"$(hamlet_of $B)\" and .rid == \"$(mask_of $B)\"" \
  "a person read by the admin: masked, with hamlet"

# ---- 3. presence data, the case, the trace (t0008's rows)
cat >"$TMP/scans.csv" <<CSV
resident_id,venue,check_in,check_out
$A,V430422103-0001,${T}-28T09:00:00$Z,${T}-28T11:00:00$Z
$B,V430422103-0001,${T}-28T09:30:00$Z,${T}-28T10:30:00$Z
$C,V430422103-0001,${T}-28T10:50:00$Z,${T}-28T11:30:00$Z
$L,V430422103-0001,${T}-28T09:00:00$Z,${T}-28T10:00:00$Z
$A,V430422001-0001,${T}-28T07:00:00$Z,
$D,V430422001-0001,${T}-28T07:10:00$Z,
$A,V430422103-0001,${T}-26T09:00:00$Z,${T}-26T11:00:00$Z
$I,V430422103-0001,${T}-26T09:00:00$Z,${T}-26T11:00:00$Z
$B,V430422103-0002,${T}-29T15:00:00$Z,${T}-29T17:00:00$Z
$J,V430422103-0002,${T}-29T15:00:00$Z,${T}-29T16:00:00$Z
$A,V430422103-0001,${T}-30T05:00:00$Z,${T}-30T06:00:00$Z
$N,V430422103-0001,${T}-30T05:00:00$Z,${T}-30T06:00:00$Z
CSV
cat >"$TMP/trips.csv" <<CSV
resident_id,mode,route,date,departure,carriage,seat_row
$A,bus,B103-001,${T}-28,13:00,1,5
$E,bus,B103-001,${T}-28,13:00,1,7
$F,bus,B103-001,${T}-28,13:00,1,11
CSV
cat >"$TMP/cells.csv" <<CSV
phone,cell,start,end
17071967692,C12000000,${T}-28T14:00:00$Z,${T}-28T18:00:00$Z
18663550032,C12000000,${T}-28T17:00:00$Z,${T}-28T19:00:00$Z
15745405683,C12000000,${T}-28T17:55:00$Z,${T}-28T18:30:00$Z
CSV
cat >"$TMP/proximity.csv" <<CSV
resident_id_a,resident_id_b,start,minutes
$A,$H,${T}-29T09:00:00$Z,12
$H,$A,${T}-29T12:00:00$Z,8
CSV
for k in scans trips cells proximity; do
  n=$(rows_of "$TMP/$k.csv")
  req "$CDC" POST "/api/v1/presences/$k" @"$TMP/$k.csv" text/csv
  want 201 ".source == \"$k\" and .rows == $n and .inserted == $n" "investigator uploads $k ($n rows)"
done
n=$(rows_of "$TMP/scans.csv")
req "$CDC" POST /api/v1/presences/scans @"$TMP/scans.csv" text/csv
want 201 ".inserted == 0 and .unchanged == $n" "uploading the same scans again adds nothing"
req "$GRID" POST /api/v1/presences/scans @"$TMP/scans.csv" text/csv
want 403 "a grid worker may not upload presence data"

req "$CDC" POST /api/v1/cases "{\"rid\": \"$A\", \"class\": \"confirmed\", \"clinical_type\": \"mild\",
  \"onset\": \"2022-03-29\", \"sampling\": \"2022-03-29\", \"found\": \"pool\", \"isolated\": \"${T}-30T04:00:00$Z\"}"
want 201 ".number == \"430422-C0001\" and .class == \"confirmed\" and .hamlet == \"$(hamlet_of $A)\" and .name == \"$(name_of $A)\" and .rid == \"$(mask_of $A)\"" \
  "the case: the county's first number"
req "$CDC" POST /api/v1/cases "{\"rid\": \"$L\", \"class\": \"asymptomatic\", \"sampling\": \"2022-03-29\", \"found\": \"screening\"}"
want 201 '.number == "430422-C0002"' "a second case"
req "$CDC" POST /api/v1/cases "{\"rid\": \"$A\", \"class\": \"confirmed\", \"clinical_type\": \"mild\", \"onset\": \"2022-03-29\"}"
want 409 '.error.code == "conflict"' "a second open case of the same person"

req "$CDC" POST /api/v1/cases/430422-C0001/trace
# The window: from 2 days before onset (03-29) until isolation.
want 200 '.case == "430422-C0001" and .from == "2022-03-27T00:00:00+08:00" and .to == "2022-03-30T04:00:00+08:00"' "trace: the window"
#                                          close secondary companions general linked
want 200 '.contacts == {"close": 7, "secondary": 9, "companion": 1, "general": 3} and .linked_cases == 1 and .change.added == 21' \
  "trace counts (t0008)"
req "$CDC" GET "/api/v1/cases/430422-C0001/contacts?limit=500"
want 200 '.items | length == 21' "21 contacts listed"
printf '%s' "$BODY" >"$TMP/contacts.json"
cat_of() { jq -r --argjson p "$(pid "$1")" '[.items[] | select(.person == $p) | .category] | join(",")' "$TMP/contacts.json"; }
for p in $HH_A $B $E $H; do check "$p is close" test "$(cat_of "$p")" = close; done
for p in $HH_B $HH_E $HH_H $J; do check "$p is secondary" test "$(cat_of "$p")" = secondary; done
check "G is a companion" test "$(cat_of "$G")" = companion
for p in $C $D $F; do check "$p is general" test "$(cat_of "$p")" = general; done
for p in $I $M $N $K; do check "$p is not a contact" test -z "$(cat_of "$p")"; done
check "the other case is linked" test "$(jq --argjson p "$(pid $L)" '.items[] | select(.person == $p) | .is_case' "$TMP/contacts.json")" = true
check "J is secondary through B" test "$(jq --argjson p "$(pid $J)" '.items[] | select(.person == $p) | .via.person' "$TMP/contacts.json")" = "$(pid $B)"
check "each contact's hamlet is their registry hamlet" test "$(jq -r --argjson p "$(pid $J)" '.items[] | select(.person == $p) | .hamlet' "$TMP/contacts.json")" = "$(hamlet_of $J)"
check "no full resident ID in the list" sh -c "! grep -q '$B' '$TMP/contacts.json'"
req "$CDC" GET "/api/v1/cases/430422-C0001/contacts?category=general"
want 200 '.items | length == 3' "three general contacts"
req "$CDC" GET /api/v1/cases/430422-C0001/chain
want 200 ".rid == \"$(mask_of $A)\" and .class == \"confirmed\" and .companions == 1 and .general == 3" "chain: the case, masked"
want 200 "[.close[] | select(.person == $(pid $B)) | .secondary[].person] | index($(pid $J)) != null" "chain: J under B"
want 200 "[.close[] | select(.is_case) | .person] == [$(pid $L)]" "chain: the linked case is marked"
n=$(awk -F, -v h="$GRID_HAMLET-" 'index($3, h) == 1' "$DATA/persons.csv" | wc -l)
req "$GRID" GET /api/v1/persons
want 200 ".items | length == $n" "the grid worker lists the $n persons of 上屋场"
req "$GRID" GET /api/v1/cases/430422-C0001
want 404 "the grid worker cannot see a case outside their hamlet"

# ---- 4. health codes (docs/codes.md; t0011)
req "$CDC" GET "/api/v1/codes/$A"
want 200 '.colour == "red" and ([.reasons[].text] | any(test("confirmed case 430422-C0001")))' "the case is red"
req "$CDC" GET "/api/v1/codes/$B"
want 200 '.colour == "red" and ([.reasons[].text] | any(test("close contact of case 430422-C0001, to be quarantined")))' "a close contact is red"
want 200 ".sex == \"2\" and .residence_division == \"430422\" and .rid == \"$(mask_of $B)\"" "GB/T 38962 fields: sex 2 (digit 17 even), masked ID"
req "$CDC" GET "/api/v1/codes/$S"
want 200 '.colour == "yellow" and ([.reasons[].text] | any(test("secondary contact of case 430422-C0001")))' "a secondary contact is yellow"
req "$GRID" GET "/api/v1/codes/$J"
want 200 ".colour == \"yellow\" and .hamlet == \"$GRID_HAMLET\"" "the grid worker reads a secondary contact of their hamlet"
req "$MET" GET "/api/v1/codes/$ME"
want 200 ".colour == \"green\" and .rid == \"$ME\" and .name == \"$(name_of $ME)\"" "the resident reads their own code, in full"
req "$MET" GET "/api/v1/codes/$(pid $ME)"
want 200 ".rid == \"$ME\"" "the resident's own code by registry id"
for other in "$A" "$B" "$(pid $B)"; do
  req "$MET" GET "/api/v1/codes/$other"
  want 404 '.error.code == "not_found"' "the resident cannot read another's code ($other)"
done

# ---- 5. testing: t0009's pool, positive at 02:58
members=$(jq -cn '$ARGS.positional' --args $POOL)
req "$LABT" POST /api/v1/samples "{\"tube\": \"P0330-001\", \"pool_size\": 10, \"point\": \"茶市镇卫生院\",
  \"sampled_at\": \"${T}-30T01:00:00$Z\", \"round\": \"R0330\", \"members\": $members}"
want 201 '.tube == "P0330-001" and .members_total == 10 and .state == "waiting"' "the lab records the pool"
req "$LABT" POST /api/v1/results "{\"tube\": \"P0330-001\", \"result\": \"positive\", \"lab\": \"$LAB\", \"result_at\": \"${T}-30T02:58:00$Z\"}"
want 201 '.state == "controlled" and .applied.controlled == 10' "positive: ten members controlled at once"
# The recall list: 王建国 (13707340003) before 李春花 (13907340002); under
# each, by hamlet, household, resident ID (t0009).
names_of_recall() { printf '%s' "$BODY" | jq -r '[.workers[] | .worker.name, (.members[].name)] | join(" ")'; }
req "$LABT" GET /api/v1/pools/P0330-001
want 200 '.open == 10 and .listed == 10' "the lab's recall list: all ten"
check "recall by grid worker, in order" test "$(names_of_recall)" = "王建国 罗杰洋 罗伟娜 李春花 赵桂平 高丽艳 高军杰 胡英秀 杨强明 李秀 李娜 李明强"
req "$GRID" GET /api/v1/pools/P0330-001
want 200 ".listed == 5 and ([.. | objects | .hamlet? // empty] | unique == [\"$GRID_HAMLET\"])" "wang.grid: only 上屋场's five"
check "wang.grid's list" test "$(names_of_recall)" = "李春花 赵桂平 高丽艳 高军杰 胡英秀 杨强明"
req "$GRID2" GET /api/v1/pools/P0330-001
want 200 ".listed == 2 and ([.. | objects | .hamlet? // empty] | unique == [\"$GRID2_HAMLET\"])" "luo.grid: only 塘边屋场's two"
check "luo.grid's list" test "$(names_of_recall)" = "王建国 罗杰洋 罗伟娜"
req "$GRID" GET /api/v1/samples/P0330-001
want 200 '.members_total == 10 and (.members | length == 5)' "the tube as the grid worker sees it: five of ten members"
req "$GRID" GET /api/v1/certificates/430422199803228537
want 200 '.latest_negative == null and ([.windows[].within] | all | not)' "a pool member has no certificate"
# The resident's own single tube, sampled 06:00, negative at 07:00: 1.5 h
# old at 07:30, within every window.
req "$LABT" POST /api/v1/samples "{\"tube\": \"S0330-101\", \"pool_size\": 1, \"point\": \"云集社区卫生站\",
  \"sampled_at\": \"${T}-30T06:00:00$Z\", \"members\": [\"$ME\"]}"
want 201 '.members_total == 1' "a single tube"
req "$LABT" POST /api/v1/results "{\"tube\": \"S0330-101\", \"result\": \"negative\", \"lab\": \"$LAB\", \"result_at\": \"${T}-30T07:00:00$Z\"}"
want 201 '.result.result == "negative"' "negative"
req "$MET" GET "/api/v1/certificates/$ME"
want 200 '.latest_negative.tube == "S0330-101" and .age_seconds == 5400 and ([.windows[] | "\(.hours):\(.within)"] == ["24:true", "48:true", "72:true"])' \
  "the resident's certificate: 1.5 h old"

# ---- 6. quarantine under v9 (DOMAIN.md's table): close contacts 7 d
# central + 3 d health monitoring, tests 1,2,3,5,7; secondary 7 d home.
rooms=$(for n in 101 102 103 104 105 106; do printf '{"room": "%s", "capacity": 2},' $n; done)
req "$SITE" POST /api/v1/sites "{\"site\": \"H01\", \"name\": \"衡南宾馆\", \"unit\": \"430422001000\", \"address\": \"云集街道1号\", \"rooms\": [${rooms%,}]}"
want 201 '.site == "H01" and .room_count == 6 and .capacity == 12 and .free_rooms == 6' "the site manager adds a site"
req "$GRID" POST /api/v1/quarantines '{"case": "430422-C0001"}'
want 403 "a grid worker may not plan"
req "$AN" POST /api/v1/quarantines '{"case": "430422-C0001"}'
# 7 close (A's household, B, E, H) in rooms — each child (林霞刚 11, 林桂刚
# 7) with an adult, B, E, H alone: 5 rooms; 9 secondary at home.
want 201 '.profile == "v9" and .planned == 16 and .placed == 7 and .waiting_count == 0' "the analyst plans the case's contacts"
printf '%s' "$BODY" >"$TMP/plans.json"
plan() { jq -r --argjson p "$(pid "$1")" ".plans[] | select(.person == \$p) | $2" "$TMP/plans.json"; }
for p in $HH_A $B $E $H; do check "$p: central at H01" test "$(plan $p '.status + " " + .site')" = "central H01"; done
for p in $HH_B $HH_E $HH_H $J; do check "$p: home" test "$(plan $p '.status + " " + .group')" = "home secondary"; done
# B last exposed 03-28: central 03-29 .. 04-04, monitoring 04-05 .. 04-07.
check "B's dates" test "$(plan $B '.central_end + " " + .monitoring_end')" = "2022-04-04 2022-04-07"
# J last exposed 03-29 (chess room with B): home 03-30 .. 04-05.
check "J's dates" test "$(plan $J '.last_exposure + " " + .home_end')" = "2022-03-29 2022-04-05"
# A's household last exposed at A's isolation, 03-30: central until 04-06.
check "A's household's dates" test "$(plan 430422201005167143 .central_end)" = "2022-04-06"
kid1=$(plan 430422201005167143 .room) kid2=$(plan 430422201408022248 .room)
adults="$(plan 430422197902064604 .room) $(plan 430422195107081553 .room)"
check "each child with an adult, apart ($kid1 $kid2 / $adults)" \
  sh -c "[ '$kid1' != '$kid2' ] && case ' $adults ' in *' $kid1 '*) ;; *) exit 1 ;; esac && case ' $adults ' in *' $kid2 '*) ;; *) exit 1 ;; esac"
ROOM_B=$(plan $B .room)
req "$GRID" GET /api/v1/quarantines
want 200 "[.items[].person] == [$(pid $J)]" "the grid worker's plans: J alone of the sixteen lives in 上屋场"
req "$SITE" POST "/api/v1/quarantines/$B/monitoring" '{"temp": 37.3}'
want 201 '.temp == "37.3" and (.alert | test("temperature 37.3 °C ≥ 37.3 °C"))' "site manager: 37.3 is an alert"
req "$SITE" POST "/api/v1/quarantines/$B/monitoring" '{"temp": 36.5, "symptoms": "无"}'
want 201 '.alert == null' "site manager: 36.5 is none"
req "$SITE" POST "/api/v1/quarantines/$J/monitoring" '{"temp": 36.6}'
want 403 "a site manager does not check people at home"
req "$GRID" POST "/api/v1/quarantines/$J/monitoring" '{"temp": 36.6}'
want 201 ".hamlet == \"$GRID_HAMLET\" and .alert == null" "the grid worker checks J at home"
req "$GRID" POST "/api/v1/quarantines/$B/monitoring" '{"temp": 36.6}'
want 404 "the grid worker cannot reach B"
req "$SITE" POST "/api/v1/quarantines/$B/release"
want 422 '.error.message | test("quarantine ends on 2022-04-04")' "release refused before the end"
req "$SITE" GET "/api/v1/quarantines/$B"
want 200 '[.monitoring[].temp] | sort == ["36.5", "37.3"]' "both temperatures kept"
want 200 '[.tests[] | select(.part == "central") | .day] == [1, 2, 3, 5, 7]' "B's tests on central days 1,2,3,5,7"
req "$CDC" GET "/api/v1/codes/$B"
want 200 '.colour == "red" and ([.reasons[].text] | any(test("central quarantine until 2022-04-04")))' "planned: red until the plan's end"

# ---- 7. the checkpoint (四验: a negative within 48 h)
req "$GATE" GET "/api/v1/check/$ME?checkpoint=$CP&temp=36.5&mask=true"
want 200 '.colour == "green" and .outcome == "pass" and .window == 48' "green with a 1.5 h negative: pass"
req "$GATE" GET "/api/v1/check/$A?checkpoint=$CP&temp=36.5"
want 200 '.colour == "red" and .outcome == "hand-over-to-health-staff"' "the case is refused and handed over"
req "$GATE" GET "/api/v1/check/$ME?checkpoint=V430422103-0001"
want 400 '.error.field == "checkpoint"' "a teahouse is no checkpoint"
req "$GATE" GET "/api/v1/codes/$ME"
want 200 '.colour == "green"' "checkpoint staff read codes"

# ---- 8. records outside the grid worker's hamlet, then every route
req "$AN" POST /api/v1/rounds '{"code": "R0331-XS", "units": ["430422200201"], "hours": 24}'
want 201 '.round == "R0331-XS"' "a round over 相市村"
req "$CDC" POST /api/v1/cases "{\"rid\": \"$XC\", \"class\": \"confirmed\", \"clinical_type\": \"mild\", \"onset\": \"2022-03-29\", \"found\": \"fever\"}"
want 201 '.number == "430422-C0003"' "a case in 老屋场"
req "$AN" POST /api/v1/zone-proposals '{"cases": ["430422-C0003"], "precaution": "town"}'
want 201 '.status == "open"' "zones proposed around it"
PROPOSAL=$(printf '%s' "$BODY" | jq -r .proposal)
ZONE=$(printf '%s' "$BODY" | jq -r '.zones[] | select([.areas[].code] == ["430422200201-001"]) | .zone')
check "a zone of 老屋场 alone ($ZONE)" test -n "$ZONE"
# v9: high = the case's hamlet, medium = its village, low = its town here.
check "zones: 老屋场 high, 相市村 medium, 相市乡 low (none near 上屋场)" \
  test "$(printf '%s' "$BODY" | jq -c '[.zones[] | [.level, (.areas[].code)]] | sort')" = \
  '[["high","430422200201-001"],["low","430422200000"],["medium","430422200201"]]'


# The outside key of each path parameter; a route with a parameter not
# here fails, so whoever adds one extends this table.
declare -A OUT=(
  [person]=$(pid $B)              # 孙磊秀, 云集社区 grid 2
  [case]=430422-C0001            # 林磊, 云集社区1号楼
  [unit]=430422103201-002        # 下屋场, the next hamlet
  [household]=430422001001-002-0001
  [venue]=V430422001-0001
  [tube]=S0330-101               # the resident's tube: 云集社区1号楼
  [round]=R0331-XS
  [zone]=$ZONE
  [proposal]=$PROPOSAL
  [site]=H01
  [user]=luo.grid
  [kind]=persons
  [source]=scans
)
# Second keys, for the parameters a record is also named by.
declare -A OUT2=([person]=$B)
# Nothing of the outside persons may come back.
FORBID=()
for p in $B $A $ME; do FORBID+=("$p" "$(mask_of $p)" "$(name_of $p)"); done
leaks() { # BODY [ECHO]: the forbidden strings in BODY, ECHO (a key sent) removed
  local b=$1 s
  [ -n "${2-}" ] && b=${b//"'$2'"/}
  for s in "${FORBID[@]}"; do case "$b" in *"$s"*) printf '%s ' "$s" ;; esac; done
}
req "$R" GET /api/v1/openapi.json
want 200 '.openapi == "3.0.3"' "the route table as served"
jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
  [(.key | ascii_upcase), $p, (.value["x-roles"] // ""),
   (.value.requestBody.content // {} | keys | .[0] // "-")] | @tsv' <<<"$BODY" >"$TMP/routes.tsv"
check "routes listed ($(wc -l <"$TMP/routes.tsv"))" test "$(wc -l <"$TMP/routes.tsv")" -ge 40
: >"$TMP/probes.tsv"
probe() { # METHOD PATH CTYPE [ECHO]: as the grid worker
  local body=""
  [ "$3" != - ] && body='{}'
  req "$GRID" "$1" "$2" "$body" "$3"
  printf '%s\t%s\t%s\n' "$1" "$2" "$ST" >>"$TMP/probes.tsv"
  case "$ST" in
    400|401|403|404|405|409|422) pass ;;
    *) fail "grid worker $1 $2 (outside): HTTP $ST: ${BODY:0:300}" ;;
  esac
  local l; l=$(leaks "$BODY" "${4-}")
  if [ -n "$l" ]; then fail "grid worker $1 $2: the reply holds $l: ${BODY:0:300}"; else pass; fi
}
nparam=0
while IFS=$'\t' read -r method path roles ctype; do
  case "$path" in /api/v1/login|/api/v1/logout) continue ;; esac
  params=$(grep -o '{[^}]*}' <<<"$path" | tr -d '{}')
  if [ -z "$params" ]; then
    # No key to substitute: whatever comes back lies in the hamlet.
    body=""; [ "$ctype" != - ] && body='{}'
    req "$GRID" "$method" "$path" "$body" "$ctype"
    printf '%s\t%s\t%s\n' "$method" "$path" "$ST" >>"$TMP/probes.tsv"
    if [ "$path" = /api/v1/openapi.json ]; then
      # Documentation: its examples are not records (API_DOC).
      check "grid worker GET $path: served (HTTP $ST)" test "$ST" = 200
      continue
    fi
    bad=$(printf '%s' "$BODY" | jq -r --arg h "$GRID_HAMLET" '[.. | objects | .hamlet? // empty | select(. != $h)] | unique | join(" ")' 2>/dev/null)
    check "grid worker $method $path: every hamlet is theirs (${bad:-ok})" test -z "$bad"
    l=$(leaks "$BODY")
    check "grid worker $method $path: nothing of outside persons (${l:-ok})" test -z "$l"
    if [ "$method" = GET ]; then
      case ", $roles," in
        *", grid,"*)
          check "grid worker GET $path: served (HTTP $ST)" test "$ST" = 200 ;;
        *) check "grid worker GET $path: refused (HTTP $ST)" test "$ST" = 403 ;;
      esac
    fi
    continue
  fi
  nparam=$((nparam + 1))
  concrete=$path alt=$path known=1
  for p in $params; do
    if [ -z "${OUT[$p]+x}" ]; then
      fail "$method $path: no outside key for {$p}: add one to OUT in $T_NAME"
      known=0
      continue
    fi
    concrete=${concrete//"{$p}"/${OUT[$p]}}
    alt=${alt//"{$p}"/${OUT2[$p]-${OUT[$p]}}}
  done
  [ $known = 1 ] || continue
  probe "$method" "$concrete" "$ctype"
  # The same by resident ID: the reply may echo the key sent, nothing more.
  [ "$alt" != "$concrete" ] && probe "$method" "$alt" "$ctype" "$B"
done <"$TMP/routes.tsv"
check "routes with keys probed ($nparam)" test "$nparam" -ge 30

# ---- the story goes on to 4 April, 16:00: B's tests, B's release
api_stop
export CORDON_NOW=2022-04-04T16:00:00+08:00
api_start "$DB" || { fail "server restart"; finish; exit 1; }
R=$(login root) LABT=$(login li.lab) SITE=$(login zhao.site)
i=0
for d in 03-29 03-30 03-31 04-02 04-04; do   # central days 1, 2, 3, 5, 7
  i=$((i + 1))
  req "$LABT" POST /api/v1/samples "{\"tube\": \"Q0$i-B\", \"pool_size\": 1, \"point\": \"衡南宾馆\", \"sampled_at\": \"2022-${d}T09:00:00$Z\", \"members\": [\"$B\"]}"
  want 201 "B's tube of $d"
  req "$LABT" POST /api/v1/results "{\"tube\": \"Q0$i-B\", \"result\": \"negative\", \"lab\": \"$LAB\", \"result_at\": \"2022-${d}T15:00:00$Z\"}"
  want 201 "negative on $d"
done
req "$SITE" GET "/api/v1/quarantines/$B"
want 200 '.release.ready == true and .release.next == "released"' "B may be released on 04-04"
req "$SITE" POST "/api/v1/quarantines/$B/release"
want 200 ".status == \"released\" and .ended_on == \"2022-04-04\" and .room_freed == \"H01/$ROOM_B\"" "the site manager releases B; the room is freed"
req "$R" GET "/api/v1/codes/$B"
want 200 '.colour == "yellow" and ([.reasons[].text] | any(test("home health monitoring until 2022-04-07")))' "B: yellow in health monitoring"
api_stop
check "the server stopped cleanly" test "$STOP_RC" -eq 0

# ---- 9. the audit log
run audit --json --limit 1000000 --db "$DB"
expect 0 "" "the audit log"
printf '%s' "$OUT" >"$TMP/audit.json"
audited() { jq "[.[] | select($1)] | length" "$TMP/audit.json"; }
has() { # DESCRIPTION JQ-CONDITION
  check "audit: $1" test "$(audited "$2")" -ge 1
}
has "the registry upload" '.user == "root" and .action == "change" and .path == "/api/v1/imports/persons" and .target == "import:persons" and .status == 201'
has "the refused upload" '.user == "root" and .action == "change" and .path == "/api/v1/imports/persons" and .status == 400'
has "the presence upload" '.user == "li.cdc" and .action == "change" and .path == "/api/v1/presences/scans" and .status == 201'
has "the case's addition" '.user == "li.cdc" and .action == "change" and .method == "POST" and .path == "/api/v1/cases" and .target == "case:430422-C0001" and .status == 201'
has "the trace" '.user == "li.cdc" and .action == "change" and .path == "/api/v1/cases/430422-C0001/trace" and .status == 200'
has "a person read" ".user == \"root\" and .action == \"read\" and .target == \"person:$B\""
has "a read by registry id, audited by resident ID" ".user == \"me\" and .action == \"read\" and .path == \"/api/v1/codes/$(pid $ME)\" and .target == \"person:$ME\""
has "the checkpoint pass" ".user == \"chen.gate\" and .action == \"change\" and .path == \"/api/v1/check/$ME\" and .status == 200"
has "the release" ".user == \"zhao.site\" and .action == \"change\" and .path == \"/api/v1/quarantines/$B/release\" and .status == 200"
for u in root li.analyst li.cdc li.lab zhao.site chen.gate wang.grid luo.grid me; do
  has "$u's login" ".user == \"$u\" and .action == \"login\""
done
# Every refusal of the enumeration: by role (403) as "refused", every
# change with its status; by jurisdiction (404) too, says docs/api.md. A
# GET that records something (a checkpoint pass) is a change.
jq -r '.[] | select(.user == "wang.grid") | [.action, .method, .path, (.status | tostring)] | @tsv' "$TMP/audit.json" | sort -u >"$TMP/grid-audit.tsv"
logged() { # ACTIONS METHOD PATH STATUS: an entry with one of the actions
  local a
  for a in $1; do
    grep -qxF "$(printf '%s\t%s\t%s\t%s' "$a" "$2" "$3" "$4")" "$TMP/grid-audit.tsv" && return 0
  done
  return 1
}
missing_role=0 missing_change=0 missing_404=0 n404=0
while IFS=$'\t' read -r method path st; do
  if [ "$method" != GET ]; then
    logged change "$method" "$path" "$st" || { missing_change=$((missing_change + 1)); echo "    not audited: $method $path $st" >&2; }
  elif [ "$st" = 403 ]; then
    logged "refused change" "$method" "$path" "$st" || { missing_role=$((missing_role + 1)); echo "    not audited: $method $path $st" >&2; }
  elif [ "$st" = 404 ]; then
    n404=$((n404 + 1))
    logged "refused change" "$method" "$path" "$st" || missing_404=$((missing_404 + 1))
  fi
done <"$TMP/probes.tsv"
check "audit: every GET refused by role ($missing_role missing)" test "$missing_role" = 0
check "audit: every change tried, with its status ($missing_change missing)" test "$missing_change" = 0
check "audit: every GET refused by jurisdiction ($missing_404 of $n404 missing)" test "$missing_404" = 0
check "audit: a change refused by jurisdiction names its target" \
  test "$(audited ".user == \"wang.grid\" and .status == 404 and .target == \"person:$B\"")" -ge 1

finish
