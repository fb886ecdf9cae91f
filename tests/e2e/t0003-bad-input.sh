#!/usr/bin/env bash
# t0003 — every kind of bad input file is refused with a message naming
# file, line, field, value and rule, and the database is left unchanged.
. "$(dirname "$0")/lib.sh"
DB=$TMP/c.db
sample_db "$DB"
BEFORE=$(dump "$DB")

# An ID with a correct GB 11643 check character, computed here
# independently of cordon: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.
mkid() {
  local s=$1 sum=0 i w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) c=10X98765432
  for i in $(seq 0 16); do sum=$((sum + ${s:i:1} * w[i])); done
  echo "$s${c:$((sum % 11)):1}"
}
HH=430422103201-001-0001
P_HEAD=resident_id,name,household,phone,groups

# bad KIND FILE STATUS PATTERN DESCRIPTION: import must fail as described
# and leave the database exactly as it was.
bad() {
  local kind=$1 file=$2 status=$3 pat=$4 what=$5
  run import "$kind" "$file" --db "$DB"
  expect "$status" "$pat" "$what"
  if [ "$(dump "$DB")" != "$BEFORE" ]; then fail "$what: database changed"; else pass; fi
}

# --- malformed CSV
printf '%s\n%s,王五,%s,,\n"%s,李四,%s,,\n%s,赵六,%s,,\n' "$P_HEAD" \
  "$(mkid 43042219800101001)" $HH "$(mkid 43042219800101002)" $HH \
  "$(mkid 43042219800101003)" $HH > "$TMP/quote.csv"
bad persons "$TMP/quote.csv" 3 "quote.csv:4: quoted field opened on line 3 is never closed" "unbalanced quote"
printf '%s\n%s,王"五,%s,,\n' "$P_HEAD" "$(mkid 43042219800101001)" $HH > "$TMP/q2.csv"
bad persons "$TMP/q2.csv" 3 "q2.csv:2: malformed quoting" "quote inside an unquoted field"
printf '%s\n%s,王五,%s,,\n%s,李四,%s,,,extra\n' "$P_HEAD" "$(mkid 43042219800101001)" $HH \
  "$(mkid 43042219800101002)" $HH > "$TMP/cols.csv"
bad persons "$TMP/cols.csv" 3 "cols.csv:3: expected 5 fields, found 6" "wrong column count"
printf '%s\n%s,\xe7\x8e\x8b\xff,%s,,\n' "$P_HEAD" "$(mkid 43042219800101001)" $HH > "$TMP/utf8.csv"
bad persons "$TMP/utf8.csv" 3 "utf8.csv:2: field 'name' value '王\\\\xff': invalid UTF-8 at byte 4" "invalid UTF-8"
: > "$TMP/empty.csv"
bad persons "$TMP/empty.csv" 3 "empty.csv: empty file; expected a header row" "empty file"
printf '%s\n%s,王五,%s\0,,\n' "$P_HEAD" "$(mkid 43042219800101001)" $HH > "$TMP/nul.csv"
bad persons "$TMP/nul.csv" 3 "nul.csv:2: NUL byte" "NUL byte"
printf 'resident_id,name,household,phone,color\n' > "$TMP/hdr.csv"
bad persons "$TMP/hdr.csv" 3 "hdr.csv:1: unknown column 'color'; persons files have columns resident_id,name,household,phone,groups" "unknown column"
printf 'resident_id,name\n' > "$TMP/hdr2.csv"
bad persons "$TMP/hdr2.csv" 3 "hdr2.csv:1: missing column 'household'" "missing required column"
printf '%s\n' "$P_HEAD" > "$TMP/hdronly.csv"
run import persons "$TMP/hdronly.csv" --db "$DB"
expect 0 "0 rows" "a header with no rows is a valid, empty import"
printf 'code,name,kind\n\n\n' > "$TMP/uhdr.csv"   # found by fuzz_csv: UB on no units
run import units "$TMP/uhdr.csv" --db "$DB"
expect 0 "0 rows" "a units header with only blank lines"
BEFORE=$(dump "$DB")  # those imports were logged

# A 2 GB line is refused after 64 KiB, without reading it all into memory.
OUT=$({ echo "$P_HEAD"; head -c 2147483648 /dev/zero | tr '\0' a; } |
      "$CORDON" import persons - --db "$DB" 2>&1); RC=$?
expect 3 "<stdin>:2: line is longer than 65536 bytes" "2 GB line"
check "2 GB line: database unchanged" test "$(dump "$DB")" = "$BEFORE"

# --- rules
good=$(mkid 43042219800101001)
badck=${good:0:17}$(( (${good:17:1} + 1) % 10 )); [ "${good:17:1}" = X ] && badck=${good:0:17}0
printf '%s\n%s,王五,%s,,\n%s,李四,%s,,\n' "$P_HEAD" "$good" $HH "$badck" $HH > "$TMP/ck.csv"
bad persons "$TMP/ck.csv" 3 "ck.csv:3: field 'resident_id' value '$badck': checksum fails \(GB 11643\): check character should be ${good:17:1}" "wrong ID checksum"
imp=$(mkid 43042220220230001)
printf '%s\n%s,王五,%s,,\n' "$P_HEAD" "$imp" $HH > "$TMP/imp.csv"
bad persons "$TMP/imp.csv" 3 "imp.csv:2: field 'resident_id' value '$imp': birth date 20220230 is not a real date" "impossible birth date"
fut=$(mkid 43042220220331001)   # the day after CORDON_NOW
printf '%s\n%s,王五,%s,,\n' "$P_HEAD" "$fut" $HH > "$TMP/fut.csv"
bad persons "$TMP/fut.csv" 3 "fut.csv:2: field 'resident_id' value '$fut': birth date 20220331 is in the future" "future birth date"
today=$(mkid 43042220220330001)
printf '%s\n%s,新生儿,%s,,\n' "$P_HEAD" "$today" $HH > "$TMP/today.csv"
run import persons "$TMP/today.csv" --dry-run --db "$DB"
expect 0 "1 rows \(1 new" "born today is accepted"
printf '%s\n%s,王五,%s,,\n%s,李四,%s,,\n%s,王五,%s,,\n' "$P_HEAD" "$good" $HH \
  "$(mkid 43042219800101002)" $HH "$good" $HH > "$TMP/dup.csv"
bad persons "$TMP/dup.csv" 3 "dup.csv:4: field 'resident_id' value '$good': duplicate of line 2" "duplicate ID within a file"
lower=$(mkid 43042219800101002); lower=${lower,,}
if [ "${lower:17:1}" = x ]; then
  printf '%s\n%s,王五,%s,,\n%s,李四,%s,,\n' "$P_HEAD" "${lower^^}" $HH "$lower" $HH > "$TMP/dupx.csv"
  bad persons "$TMP/dupx.csv" 3 "duplicate of line 2" "x and X are the same ID"
fi
printf '%s\n%s,王五,430422103201-001-0099,,\n' "$P_HEAD" "$good" > "$TMP/unk.csv"
bad persons "$TMP/unk.csv" 3 "unk.csv:2: field 'household' value '430422103201-001-0099': household 430422103201-001-0099 does not exist" "unknown household"
printf '%s\n%s,王五,%s,12345,\n' "$P_HEAD" "$good" $HH > "$TMP/ph.csv"
bad persons "$TMP/ph.csv" 3 "ph.csv:2: field 'phone' value '12345': must be a mainland mobile number" "bad phone"
printf '%s\n%s,王五,%s,,retired\n' "$P_HEAD" "$good" $HH > "$TMP/grp.csv"
bad persons "$TMP/grp.csv" 3 "grp.csv:2: field 'groups' value 'retired': unknown group" "unknown special group"
# Every bad field of a row is reported, not just the first.
printf '%s\n%s,,nohousehold,999,\n' "$P_HEAD" "$badck" > "$TMP/multi.csv"
run import persons "$TMP/multi.csv" --db "$DB"
expect 3 "multi.csv: 4 errors; nothing was imported" "four bad fields in one row"
for f in resident_id name household phone; do
  expect 3 "multi.csv:2: field '$f'" "bad field $f reported"
done

printf 'code,address\n430422103299-001-0001,某地\n' > "$TMP/hh.csv"
bad households "$TMP/hh.csv" 3 "hh.csv:2: field 'code' value '430422103299-001-0001': hamlet 430422103299-001 does not exist" "unknown hamlet"
printf 'code,address\n430422103201-0001,某地\n' > "$TMP/hh2.csv"
bad households "$TMP/hh2.csv" 3 "hh2.csv:2: field 'code' value '430422103201-0001': must be a hamlet code followed by -NNNN" "malformed household code"
printf 'code,name,kind\n430422104201,新村,\n' > "$TMP/u.csv"
bad units "$TMP/u.csv" 3 "u.csv:2: field 'code' value '430422104201': parent unit 430422104000 does not exist" "unknown parent unit"
printf 'code,name,kind\n430400,衡阳市,\n430422500000,某区,\n430422103201,某村,town\n' > "$TMP/u2.csv"
bad units "$TMP/u2.csv" 3 "u2.csv:2: field 'code' value '430400': 430400 is a prefecture" "prefecture code refused"
expect 3 "u2.csv:3: field 'code' value '430422500000': township part 500" "township range"
expect 3 "u2.csv:4: field 'kind' value 'town': code 430422103201 is a village, not a town" "kind contradicts the code"
printf 'code,name,kind,unit,lat,lon\nV1,某店,shop,430422103299,,\nV2,某店,spaceport,430422103201,,\nV3,某店,shop,430422103201,26.8,\n' > "$TMP/v.csv"
bad venues "$TMP/v.csv" 3 "v.csv:2: field 'unit' value '430422103299': unit 430422103299 does not exist" "venue in an unknown unit"
expect 3 "v.csv:3: field 'kind' value 'spaceport': unknown venue kind" "unknown venue kind"
expect 3 "v.csv:4: field 'lon' value '': lat and lon go together" "lat without lon"
printf 'phone,name,hamlets\n13800000001,张三,430422103201-001;430422103201-099\n13800000002,李四,430422103201\n' > "$TMP/g.csv"
bad grid-workers "$TMP/g.csv" 3 "g.csv:2: field 'hamlets' value '430422103201-001;430422103201-099': unit 430422103201-099 does not exist" "grid worker for an unknown hamlet"
expect 3 "g.csv:3: field 'hamlets' value '430422103201': grid workers answer for hamlets" "grid worker for a village"

# --- error limit: 30 bad rows, 20 reported by default, 3 with --max-errors 3.
{ echo "$P_HEAD"; for i in $(seq 1 30); do echo "$badck,王五,$HH,,"; done; } > "$TMP/many.csv"
run import persons "$TMP/many.csv" --db "$DB"
expect 3 "20 errors \(stopped at the limit\); nothing was imported" "stops at 20 errors"
check "20 errors printed" test "$(printf '%s\n' "$OUT" | grep -c 'checksum fails')" = 20
run import persons "$TMP/many.csv" --max-errors 3 --db "$DB"
check "3 errors printed with --max-errors 3" test "$(printf '%s\n' "$OUT" | grep -c 'checksum fails')" = 3

# A good file after all that still imports (the failures held no locks).
printf '%s\n%s,王五,%s,,\n' "$P_HEAD" "$good" $HH > "$TMP/ok.csv"
run import persons "$TMP/ok.csv" --db "$DB"
expect 0 "1 rows \(1 new" "a good import after the bad ones"

finish
