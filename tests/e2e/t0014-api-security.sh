#!/usr/bin/env bash
# The HTTP API's defences, against the real server on 127.0.0.1: every
# route refuses anonymous access and every role it does not list (both
# enumerated from the served OpenAPI description, so a new route is
# covered without touching this test); bad bodies of each kind get the
# documented errors; failed logins are slowed; security headers; slow
# clients and too many connections; HTTPS; a graceful stop that lets a
# request in flight finish and leaves the database clean.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"

DB=$TMP/api.db
sample_db "$DB" || { fail "sample database"; finish; exit 1; }
HAMLET_A=430422001001-001
RID_A=430422201309043756
mkuser root admin
mkuser li.analyst analyst --unit 430422
mkuser li.cdc investigator --unit 430422
mkuser li.lab lab --unit 430422
mkuser wang.grid grid --unit $HAMLET_A
mkuser zhao.site site --unit 430422
mkuser chen.gate checkpoint --unit 430422
mkuser sun.supplies supplies --unit 430422
mkuser me resident --rid $RID_A

run user add root --role admin --db "$DB" </dev/null
expect 5 "already exists" "a second user of the same name is refused"
echo "$PW" | "$CORDON" user add x --role grid --db "$DB" >/dev/null 2>&1
check "a grid worker without a unit is refused" test $? -ne 0
echo short | "$CORDON" user add y --role lab --unit 430422 --db "$DB" >/dev/null 2>&1
check "a short password is refused" test $? -ne 0

api_start "$DB" --timeout 2 --max-connections 20 || { fail "server"; finish; exit 1; }
declare -A TOK
for u in root li.analyst li.cdc li.lab wang.grid zhao.site chen.gate sun.supplies me; do
  TOK[$u]=$(login $u)
  check "login $u" test -n "${TOK[$u]}" -a "${TOK[$u]}" != null
done
declare -A ROLE_USER=([admin]=root [analyst]=li.analyst [investigator]=li.cdc [lab]=li.lab
  [grid]=wang.grid [site]=zhao.site [checkpoint]=chen.gate [supplies]=sun.supplies [resident]=me)

# ---- the route table, as served
req "${TOK[root]}" GET /api/v1/openapi.json
want 200 '.openapi == "3.0.3"' "openapi.json is served"
printf '%s' "$BODY" >"$TMP/openapi.json"
jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
  [(.key | ascii_upcase), $p, (.value["x-roles"] // ""),
   (if .value.requestBody then "body" else "-" end)] | @tsv' "$TMP/openapi.json" >"$TMP/routes.tsv"
n=$(wc -l <"$TMP/routes.tsv")
check "the API has routes ($n)" test "$n" -ge 9
req "${TOK[root]}" GET /api/v1/me
want 200 ".routes | length == $((n - 1))" "an admin of everything may call every route but login"

DOC=$(dirname "$0")/../../docs/api.md
missing=$(while IFS=$'\t' read -r method path _; do
  grep -qxF "### $method $path" "$DOC" || echo "$method $path"; done <"$TMP/routes.tsv")
check "docs/api.md documents every route (missing: ${missing:-none}; run scripts/api-docs.sh)" test -z "$missing"

while IFS=$'\t' read -r method path roles hasbody; do
  concrete=$(printf '%s' "$path" | sed 's/{[a-z]*}/x/g')
  if [ "$path" = /api/v1/login ]; then continue; fi
  req - "$method" "$concrete"
  want 401 '.error.code == "unauthenticated"' "anonymous $method $path"
  req "garbage-token" "$method" "$concrete"
  want 401 '.error.code == "unauthenticated"' "forged token $method $path"
  for role in "${!ROLE_USER[@]}"; do
    case ", $roles," in *", $role,"*) continue ;; esac
    body='{}'; [ "$hasbody" = body ] || body=""
    req "${TOK[${ROLE_USER[$role]}]}" "$method" "$concrete" "$body"
    want 403 '.error.code == "forbidden"' "$role refused $method $path"
  done
done <"$TMP/routes.tsv"

# ---- unknown routes and methods
req "${TOK[root]}" GET /api/v1/no-such-thing
want 404 '.error.code == "not_found"' "unknown endpoint"
req "${TOK[root]}" DELETE /api/v1/me
want 405 "method not allowed"

# ---- headers
curl -s -D "$TMP/h" -o /dev/null -H "Authorization: Bearer ${TOK[root]}" "$API/api/v1/me"
for h in 'X-Content-Type-Options: nosniff' 'X-Frame-Options: DENY' \
         "Content-Security-Policy: default-src 'none'" 'Cache-Control: no-store' \
         'Content-Type: application/json'; do
  check "header $h" grep -qi "^$h" "$TMP/h"
done

# ---- bad bodies (POST /api/v1/users, an admin's)
R=${TOK[root]}
req "$R" POST /api/v1/users '{"name": "x",'
want 400 '.error.code == "invalid" and (.error.message | test("malformed JSON"))' "malformed JSON"
req "$R" POST /api/v1/users '"just a string"'
want 400 '.error.code == "invalid"' "a body that is not an object"
req "$R" POST /api/v1/users '{"name": "x1", "role": "lab", "unit": "430422", "password": "'$PW'", "colour": "red"}'
want 400 '.error.field == "colour"' "unknown field"
req "$R" POST /api/v1/users '{"name": "x1", "role": ["lab"], "unit": "430422", "password": "'$PW'"}'
want 400 '.error.field == "role"' "wrong type"
req "$R" POST /api/v1/users '{"name": "x1", "unit": "430422", "password": "'$PW'"}'
want 400 '.error.field == "role"' "missing field"
req "$R" POST /api/v1/users "$(printf '{"name": "caf\xc3\x28"}')"
want 400 '.error.message | test("UTF-8")' "bad UTF-8"
req "$R" POST /api/v1/users '{"name": "x1"}' text/plain
want 415 '.error.code == "unsupported_media_type"' "wrong content type"
head -c 6000 /dev/zero | tr '\0' 'a' | sed 's/^/{"name": "/; s/$/"}/' >"$TMP/big.json"
req "$R" POST /api/v1/users @"$TMP/big.json"
want 413 '.error.code == "too_large"' "body over the route's limit"
req "$R" GET /api/v1/users?limit=100000
want 400 '.error.field == "limit"' "page size over the maximum"
req "$R" POST /api/v1/users '{"name": "li.lab2", "role": "lab", "unit": "430422", "password": "'$PW'"}'
want 201 '.name == "li.lab2"' "a good body is taken"
req "$R" POST /api/v1/users '{"name": "li.lab2", "role": "lab", "unit": "430422", "password": "'$PW'"}'
want 409 '.error.code == "conflict"' "the same name again"

# ---- uploads are held to the uploader's jurisdiction, row by row
mkuser town.analyst analyst --unit 430422001000
TA=$(login town.analyst)
req "$TA" POST /api/v1/imports/persons @"$DATA/persons.csv" text/csv
want 400 '.error.message | test("outside your jurisdiction")' "a town's analyst uploading the county's persons"
check "the refusal names the file as persons.csv, not the spool file" \
  sh -c "printf '%s' '$BODY' | grep -q 'persons.csv:' && ! printf '%s' '$BODY' | grep -q cordon-up"
awk -F, 'NR == 1 || $3 ~ /^430422001/' "$DATA/persons.csv" >"$TMP/town.csv"
req "$TA" POST /api/v1/imports/persons @"$TMP/town.csv" text/csv
want 201 ".rows == $(($(wc -l <"$TMP/town.csv") - 1))" "the same analyst uploading their town's persons"
req "$TA" POST /api/v1/presences/scans 'resident_id,venue,check_in,check_out' text/csv
want 403 '.error.code == "forbidden"' "presence data is uploaded by county users only"
req "$R" POST /api/v1/imports/persons 'resident_id,name' text/plain
want 415 '.error.code == "unsupported_media_type"' "an upload that is not text/csv"
req "$R" POST /api/v1/imports/dogs 'a,b' text/csv
want 400 '.error.field == "kind"' "an unknown upload kind"

# ---- masking: a grid worker's view of themselves has no full phone
req "${TOK[me]}" GET /api/v1/me
want 200 '.role == "resident"' "a resident logs in"

# ---- failed logins are slowed, and audited
for i in 1 2 3; do
  req - POST /api/v1/login '{"username": "li.lab", "password": "wrong-password"}'
  want 401 '.error.code == "unauthenticated"' "wrong password $i"
done
req - POST /api/v1/login '{"username": "li.lab", "password": "'$PW'"}'
want 429 '.error.code == "too_many_requests"' "the next try too soon is refused"
curl -s -D "$TMP/h429" -o /dev/null -X POST -H 'Content-Type: application/json' \
  -d '{"username": "li.lab", "password": "x-wrong-password"}' "$API/api/v1/login"
check "429 says when to retry" grep -qi '^Retry-After: [0-9]' "$TMP/h429"
req - POST /api/v1/login '{"username": "nobody", "password": "wrong-password"}'
want 401 '.error.message == "wrong user name or password"' "unknown user: same answer"

# ---- logout
T=$(login li.cdc)
req "$T" POST /api/v1/logout
want 200 '.logged_out == true' "logout"
req "$T" GET /api/v1/me
want 401 "the token is dead after logout"

# ---- a slow client is cut off; the server goes on
exec 5<>/dev/tcp/127.0.0.1/$PORT
printf 'GET /api/v1/me HTTP/1.1\r\nHost: x\r\n' >&5
sleep 3.5
# Closed by the server: reading meets the end at once (124: still open).
timeout 2 cat <&5 >/dev/null
check "a connection idle past --timeout is closed" test $? -eq 0
exec 5>&- 5<&-
req "$R" GET /api/v1/me
want 200 "the server serves after a slow client"

# ---- too many connections: refused beyond the limit, then served again
# The limit is shared out among the server's threads: fill them all.
for fd in $(seq 10 69); do eval "exec $fd<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null; done
sleep 0.3
code=$(curl -s -o /dev/null -w '%{http_code}' -m 2 -H "Authorization: Bearer $R" "$API/api/v1/me")
check "a connection over --max-connections is refused (got $code)" test "$code" != 200
for fd in $(seq 10 69); do eval "exec $fd>&-" 2>/dev/null; done
sleep 0.5
req "$R" GET /api/v1/me
want 200 "served again once connections close"

# ---- the audit log
api_stop
check "SIGTERM stops the server with status 0" test "$STOP_RC" -eq 0
run audit --action login_failed --db "$DB" --json
expect 0 '"user": "li.lab"' "failed logins are in the audit log"
run audit --action login --user root --db "$DB"
expect 0 "root" "logins are in the audit log"
run audit --action refused --user wang.grid --db "$DB"
expect 0 "403" "refusals are in the audit log"
run audit --action change --user root --db "$DB" --json
expect 0 '"path": "/api/v1/users"' "changes are in the audit log"
check "the audit log cannot be edited" sh -c "! sqlite3 '$DB' \"DELETE FROM audit_log\" 2>/dev/null"

# ---- graceful stop: an upload in flight finishes; the database is clean
api_start "$DB"
R=$(login root)
if jq -e '.paths["/api/v1/imports/{kind}"]' "$TMP/openapi.json" >/dev/null; then
  { cat "$DATA/persons.csv"; } >"$TMP/p.csv"
  curl -s -o "$TMP/up.json" -w '%{http_code}' --limit-rate 2k -X POST \
    -H "Authorization: Bearer $R" -H 'Content-Type: text/csv' \
    --data-binary @"$TMP/p.csv" "$API/api/v1/imports/persons" >"$TMP/up.code" &
  UP=$!
  sleep 0.7
  api_stop
  wait $UP
  check "the upload in flight finished ($(cat "$TMP/up.code"))" grep -q '^20[01]$' "$TMP/up.code"
else
  api_stop
fi
check "stopped cleanly" test "$STOP_RC" -eq 0
check "no WAL left behind" test ! -s "$DB-wal"
check "the database is intact" sh -c "sqlite3 '$DB' 'PRAGMA integrity_check' | grep -qx ok"

# ---- HTTPS
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
api_start "$DB" --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"
code=$(curl -s -k -o "$TMP/tls.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -d '{"username":"root","password":"'$PW'"}' "https://127.0.0.1:$PORT/api/v1/login")
check "login over HTTPS ($code)" test "$code" = 200
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/me")
check "plain HTTP is not served on the HTTPS port" test "$code" != 200
api_stop
run serve --db "$DB" --tls-cert "$TMP/cert.pem"
expect 2 "both --tls-cert and --tls-key" "a certificate without its key"
run serve --db "$DB" --listen nowhere
expect 2 "HOST:PORT" "a bad --listen"

finish
