# api_lib.sh — helpers for end-to-end tests of the HTTP API; source it after
# lib.sh. The server is the real binary on 127.0.0.1 with a free port.
PW=correct-horse-1
HTTP_LOG=$TMP/http.log
SERVER_PID=
# A test that stops early must not leave its server behind.
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"' EXIT

# api_start DB [ARGS...]: start `cordon serve` on a free port of 127.0.0.1,
# setting API (the base URL) and SERVER_PID.
api_start() {
  local db=$1; shift
  "$CORDON" serve --db "$db" --listen 127.0.0.1:0 "$@" >"$TMP/serve.out" 2>"$TMP/serve.err" &
  SERVER_PID=$!
  local i port=""
  for i in $(seq 1 100); do
    port=$(sed -n 's|.*serving https\{0,1\}://127.0.0.1:\([0-9]*\)/.*|\1|p' "$TMP/serve.out")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "server did not start:" >&2; cat "$TMP/serve.err" >&2; return 1; }
  API=http://127.0.0.1:$port
  PORT=$port
}

# api_stop: SIGTERM and wait; sets STOP_RC.
api_stop() {
  kill -TERM "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID"
  STOP_RC=$?
}

# mkuser NAME ROLE [ARGS...]: a user with password $PW.
mkuser() {
  local name=$1 role=$2; shift 2
  echo "$PW" | "$CORDON" user add "$name" --role "$role" "$@" --db "$DB" >/dev/null
}

# login NAME: print the session token.
login() {
  curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PW\"}" "$API/api/v1/login" | jq -r .token
}

# req TOKEN METHOD PATH [BODY [CONTENT-TYPE]]: a request; the status in
# $ST and the body in $BODY ("-" as TOKEN for none).
req() {
  local tok=$1 method=$2 path=$3 body=${4-} ctype=${5:-application/json}
  local args=(-s -o "$TMP/body" -w '%{http_code}' -X "$method")
  [ "$tok" != - ] && args+=(-H "Authorization: Bearer $tok")
  if [ -n "$body" ]; then
    if [ "${body:0:1}" = @ ]; then args+=(--data-binary "$body")
    else args+=(--data-binary "$body"); fi
    args+=(-H "Content-Type: $ctype")
  fi
  ST=$(curl "${args[@]}" "$API$path")
  BODY=$(cat "$TMP/body")
  printf '%s %s %s -> %s %s\n' "$method" "$path" "${tok:0:6}" "$ST" "${BODY:0:300}" >>"$HTTP_LOG"
}

# want STATUS [JQ-FILTER] DESCRIPTION: check the last request's status and
# that the filter (jq -e) holds on its body.
want() {
  local status=$1 filter="" what
  if [ $# -ge 3 ]; then filter=$2; what=$3; else what=$2; fi
  if [ "$ST" != "$status" ]; then
    fail "$what: HTTP $ST, wanted $status: ${BODY:0:400}"
  elif [ -n "$filter" ] && ! printf '%s' "$BODY" | jq -e "$filter" >/dev/null 2>&1; then
    fail "$what: body fails $filter: ${BODY:0:400}"
  else
    pass
  fi
}
