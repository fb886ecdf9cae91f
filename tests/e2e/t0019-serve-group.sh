#!/usr/bin/env bash
# t0019 — checkpoint verifications committed in groups (docs/api.md, "How
# the server runs"): the server's loops hold each verification's reply
# until its pass and audit row are committed together with other
# requests'. Many clients at once: every verification answered is
# recorded once, with its own temperature, and has its audit row. Killed
# (SIGKILL) in the middle of a load: the database is whole, every
# verification that was answered 200 is in it, and passes and their audit
# rows are still one for one (committed together or not at all); the
# server starts again on it. Then a graceful stop.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"
DB=$TMP/g.db
CP=V430422200-0002          # 相市卡口, the checkpoint of venues.csv

"$CORDON" init --db "$DB" >/dev/null || { fail "init"; finish; exit 1; }
for k in units households persons venues; do
  "$CORDON" import "$k" "$DATA/$k.csv" --db "$DB" >/dev/null || fail "import $k"
done
mkuser cp checkpoint --unit 430422
# 20 residents of tests/data, every verification at a temperature of its
# own (35.000 + n/1000 °C, under the 37.3 °C of a fever: no code changes,
# so every one goes through the group).
tail -n +2 "$DATA/persons.csv" | head -20 | cut -d, -f1 > "$TMP/ids"
[ "$(grep -c . "$TMP/ids")" = 20 ] && pass || fail "20 residents"

# fire FIRST LAST CLIENTS OUT: verifications FIRST..LAST, CLIENTS at a
# time; a line "n status" each in OUT.
fire() {
  seq "$1" "$2" | xargs -P "$3" -I{} sh -c '
    n={}; id=$(sed -n "$(( n % 20 + 1 ))p" "$0")
    t=$(awk -v n="$n" "BEGIN { printf \"%.3f\", 35 + n / 1000 }")
    st=$(curl -s -o /dev/null -m 20 -w "%{http_code}" \
      -H "Authorization: Bearer $1" "$2/api/v1/check/$id?checkpoint=$3&temp=$t")
    echo "$n $st"' "$TMP/ids" "$TOK" "$API" "$CP" > "$4" 2>/dev/null
}
# sql QUERY: a figure from the database, read beside the server.
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$1"; }
# answered FILE: the numbers of the verifications answered 200, one a line.
answered() { awk '$2 == 200 { print $1 }' "$1" | sort -n; }
# recorded FIRST LAST: the numbers of the passes recorded between them,
# read back from their temperatures.
recorded() {
  sql "SELECT CAST(round((temperature - 35) * 1000) AS INTEGER) FROM
       checkpoint_passes WHERE temperature >= 35 + $1 / 1000.0 - 0.0004
       AND temperature <= 35 + $2 / 1000.0 + 0.0004" | sort -n
}

# ---- 1. 600 verifications from 32 clients at once, on two loops
api_start "$DB" --threads 2 || { fail "server"; finish; exit 1; }
TOK=$(login cp)
fire 1 600 32 "$TMP/r1"
[ "$(answered "$TMP/r1" | wc -l)" = 600 ] && pass \
  || fail "600 answered 200: $(awk '{ print $2 }' "$TMP/r1" | sort | uniq -c | tr '\n' ' ')"
# Each recorded once: the 600 temperatures, no more, no fewer.
if [ "$(recorded 1 600)" = "$(seq 1 600)" ]; then pass
else fail "passes 1..600 recorded once each: $(recorded 1 600 | wc -l) rows"; fi
[ "$(sql "SELECT count(*) FROM audit_log WHERE user = 'cp' AND action = 'change' AND path LIKE '/api/v1/check/%' AND status = 200")" = 600 ] \
  && pass || fail "600 audit rows of the verifications"
# Each audit row names the person checked: per resident, as many rows as
# verifications (n % 20 picks the resident).
bad=0
i=0
while read -r rid; do
  want=$(seq 1 600 | awk -v i="$i" '$1 % 20 == i' | wc -l)
  got=$(sql "SELECT count(*) FROM audit_log WHERE action = 'change' AND target = 'person:$rid'")
  [ "$got" = "$want" ] || bad=$((bad + 1))
  i=$((i + 1))
done < "$TMP/ids"
[ "$bad" = 0 ] && pass || fail "audit targets per resident: $bad residents wrong"

# ---- 2. killed in the middle of a load, three times: 400 verifications
# each from 16 clients, SIGKILL once 100 of them are recorded
for k in 0 1 2; do
  lo=$((1001 + 400 * k)); hi=$((lo + 399))
  if [ "$k" -gt 0 ]; then
    api_start "$DB" --threads 2 || { fail "restart $k"; break; }
    TOK=$(login cp)
  fi
  fire "$lo" "$hi" 16 "$TMP/r2.$k" &
  FIRE=$!
  for _ in $(seq 1 200); do
    [ "$(recorded "$lo" "$hi" | wc -l)" -ge 100 ] && break
    sleep 0.05
  done
  kill -KILL "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=
  wait "$FIRE"
  n200=$(answered "$TMP/r2.$k" | wc -l)
  [ "$n200" -ge 100 ] && [ "$n200" -lt 400 ] && pass \
    || fail "killed mid-load ($k): $n200 of 400 answered"
  [ "$(sql 'PRAGMA integrity_check')" = ok ] && pass || fail "integrity after SIGKILL ($k)"
  [ "$(sql 'PRAGMA foreign_key_check' | wc -l)" = 0 ] && pass || fail "foreign keys after SIGKILL ($k)"
  # Every verification answered 200 was committed before its answer.
  missing=$(comm -23 <(answered "$TMP/r2.$k") <(recorded "$lo" "$hi") | wc -l)
  [ "$missing" = 0 ] && pass || fail "$missing verifications answered 200 but not recorded ($k)"
  # Passes and their audit rows: committed together or not at all.
  passes=$(sql "SELECT count(*) FROM checkpoint_passes")
  audits=$(sql "SELECT count(*) FROM audit_log WHERE user = 'cp' AND action = 'change' AND path LIKE '/api/v1/check/%' AND status = 200")
  [ "$passes" = "$audits" ] && pass || fail "passes $passes, their audit rows $audits ($k)"
done

# ---- 3. the server starts again on it; a graceful stop
api_start "$DB" --threads 2 || { fail "restart"; finish; exit 1; }
TOK=$(login cp)
req "$TOK" GET "/api/v1/check/$(head -1 "$TMP/ids")?checkpoint=$CP&temp=36.9"
want 200 '.outcome' "a verification after the restart"
fire 601 700 8 "$TMP/r3" &
FIRE=$!
sleep 0.3
api_stop
wait "$FIRE"
[ "$STOP_RC" = 0 ] && pass || fail "SIGTERM: exit $STOP_RC"
grep -q "stopped" "$TMP/serve.out" && pass || fail "stopped cleanly"
# What was answered during the stop is recorded too.
missing=$(comm -23 <(answered "$TMP/r3") <(recorded 601 700) | wc -l)
[ "$missing" = 0 ] && pass || fail "$missing answered during the stop but not recorded"
finish
