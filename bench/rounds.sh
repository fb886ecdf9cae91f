#!/usr/bin/env bash
# bench/rounds.sh [PEOPLE] — a county-wide testing round (issue 6's scale
# section): a synthetic county (cordon synth --db, one day of movements),
# a round over the whole county (430422), every resident in 10-in-1 pools
# (100,000 tubes at 1,000,000 people), all results negative. Times
# importing the samples and the results, the round's status (coverage per
# unit and grid) and the missing list; the baseline, run side by side, is
# the sqlite3 shell's bare .import of the same samples file into a table
# with no checks and no index. Then a second round R2 over the same county
# with many residents still missing: the persons of two households in
# five (household id mod 5 is 0 or 1) are not sampled, so about 60 % are
# in tubes and some 400,000 of 1,000,000 are on the missing list; times
# its samples, its results, its status and its missing list, and counts
# the missing list's lines. Prints figures; never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
make -s release
C=build/release/cordon
W=$(mktemp -d /tmp/cordon-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
export CORDON_NOW=2022-03-31T12:00:00+08:00
DB=$W/c.db

echo "== a synthetic county of $N people"
t=$(now)
$C synth --db "$DB" --people "$N" --days 1 | tail -1
echo "synth in $(since "$t") s"
$C round start R1 --units 430422 --start 2022-03-30T06:00 --hours 24 \
  --db "$DB"

# Every resident, ten to a tube, in registry order.
sqlite3 "$DB" "SELECT resident_id FROM persons ORDER BY id" | awk '
  BEGIN { print "tube,pool_size,point,sampled_at,round,resident_id,retest_of" }
  { t = int((NR - 1) / 10)
    printf "T%06d,10,county,2022-03-30T%02d:%02d:00+08:00,R1,%s,\n",
           t, 6 + int(t / 10000), int(t / 200) % 50, $1 }' > "$W/samples.csv"
{ echo "tube,result,lab,result_at"
  cut -d, -f1 "$W/samples.csv" | tail -n +2 | uniq |
    awk '{ print $1 ",negative,county CDC,2022-03-30T23:00:00+08:00" }'
} > "$W/results.csv"
rows=$(($(wc -l < "$W/samples.csv") - 1))
tubes=$(($(wc -l < "$W/results.csv") - 1))
echo "$rows members in $tubes tubes"

t=$(now); $C import samples "$W/samples.csv" --db "$DB" | tail -1
s1=$(since "$t")
t=$(now); $C import results "$W/results.csv" --db "$DB" | tail -1
s2=$(since "$t")
t=$(now); $C round status R1 --db "$DB" > "$W/status.txt"
s3=$(since "$t")
t=$(now); $C round missing R1 --db "$DB" > "$W/missing.txt"
s4=$(since "$t")
grep '^overall' "$W/status.txt"
echo "grids: $(($(wc -l < "$W/status.txt") - 7))"
t=$(now)
sqlite3 "$W/base.db" ".import --csv $W/samples.csv bare"
s5=$(since "$t")
echo "== seconds"
printf '%-28s %8s\n' "import samples" "$s1" "import results" "$s2" \
  "round status" "$s3" "round missing" "$s4" \
  "baseline: sqlite3 .import" "$s5"
awk -v a="$s1" -v b="$s5" 'BEGIN { printf "import samples / bare .import: %.1fx\n", a / b }'

echo "== round R2: the persons of households with id mod 5 in {0, 1} not sampled"
$C round start R2 --units 430422 --start 2022-03-31T00:00 --hours 24 \
  --db "$DB"
sqlite3 "$DB" "SELECT resident_id FROM persons WHERE household_id % 5 >= 2
  ORDER BY id" | awk '
  BEGIN { print "tube,pool_size,point,sampled_at,round,resident_id,retest_of" }
  { t = int((NR - 1) / 10)
    printf "U%06d,10,county,2022-03-31T%02d:%02d:00+08:00,R2,%s,\n",
           t, int(t / 12000), int(t / 240) % 50, $1 }' > "$W/samples2.csv"
{ echo "tube,result,lab,result_at"
  cut -d, -f1 "$W/samples2.csv" | tail -n +2 | uniq |
    awk '{ print $1 ",negative,county CDC,2022-03-31T11:00:00+08:00" }'
} > "$W/results2.csv"
rows2=$(($(wc -l < "$W/samples2.csv") - 1))
tubes2=$(($(wc -l < "$W/results2.csv") - 1))
echo "$rows2 members in $tubes2 tubes"

t=$(now); $C import samples "$W/samples2.csv" --db "$DB" | tail -1
r1=$(since "$t")
t=$(now); $C import results "$W/results2.csv" --db "$DB" | tail -1
r2=$(since "$t")
t=$(now); $C round status R2 --db "$DB" > "$W/status2.txt"
r3=$(since "$t")
# The missing list is held in memory before it is printed: its peak
# resident size as GNU time reports it (when installed).
t=$(now)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f %M -o "$W/rss" $C round missing R2 --db "$DB" \
    > "$W/missing2.txt"
else
  $C round missing R2 --db "$DB" > "$W/missing2.txt"
fi
r4=$(since "$t")
grep '^overall' "$W/status2.txt"
# A missing resident's line carries their masked ID (430422********1234);
# one under several grid workers has a line under each.
mlines=$(grep -c '[0-9X]\{6\}[*]\{8\}[0-9X]\{4\}' "$W/missing2.txt" || true)
workers=$(grep -c '^grid worker ' "$W/missing2.txt" || true)
none=$(grep -c '^no grid worker' "$W/missing2.txt" || true)
echo "missing list: $mlines lines, under $workers grid workers and" \
  "$none group without one; $(wc -c < "$W/missing2.txt") bytes"
[ -s "$W/rss" ] && awk '{ printf "round missing R2: peak resident memory" \
  " %.0f MB\n", $1 / 1024 }' "$W/rss"
echo "== seconds (R2)"
printf '%-28s %8s\n' "import samples" "$r1" "import results" "$r2" \
  "round status" "$r3" "round missing" "$r4"
awk -v a="$r1" -v b="$s5" 'BEGIN {
  printf "import samples / bare .import of R1: %.1fx\n", a / b }'
awk -v a="$r4" -v b="$s4" 'BEGIN {
  printf "round missing R2 / R1 (nobody missing): %.1fx\n",
         a / (b > 0 ? b : 0.01) }'
