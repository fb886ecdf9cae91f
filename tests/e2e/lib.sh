# lib.sh — helpers for end-to-end tests; source it first.
# Each test script runs the real binary ($CORDON) against temporary
# databases, counts its checks, and exits non-zero if any failed.
set -u
CORDON=${CORDON:-$(cd "$(dirname "$0")/../.." && pwd)/build/asan/cordon}
DATA=$(cd "$(dirname "$0")/../data" && pwd)
TMP=$(mktemp -d /tmp/cordon-e2e.XXXXXX)
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
export CORDON_NOW=2022-03-30T02:58:00+08:00
T_PASS=0
T_FAIL=0
T_NAME=$(basename "$0" .sh)

pass() { T_PASS=$((T_PASS + 1)); }
fail() { T_FAIL=$((T_FAIL + 1)); echo "  FAIL [$T_NAME] $*" >&2; }

# run CMD...: run cordon, leaving stdout+stderr in $OUT and status in $RC.
run() {
  OUT=$("$CORDON" "$@" 2>&1)
  RC=$?
}

# expect STATUS PATTERN DESCRIPTION: check the last run's exit status and
# that its output matches the extended regex PATTERN ("" for any).
expect() {
  local want=$1 pat=$2 what=$3
  if [ "$RC" -ne "$want" ]; then
    fail "$what: exit $RC, wanted $want; output:"; printf '%s\n' "$OUT" | head -20 >&2
  elif [ -n "$pat" ] && ! printf '%s\n' "$OUT" | grep -Eq -- "$pat"; then
    fail "$what: output does not match /$pat/:"; printf '%s\n' "$OUT" | head -20 >&2
  else
    pass
  fi
}

# check DESCRIPTION CMD...: pass when CMD succeeds.
check() {
  local what=$1; shift
  if "$@"; then pass; else fail "$what"; fi
}

# A fresh database with the sample registry imported.
sample_db() {
  local db=$1
  "$CORDON" init --db "$db" >/dev/null || return 1
  for k in units households persons venues grid-workers; do
    "$CORDON" import "$k" "$DATA/$k.csv" --db "$db" >/dev/null || return 1
  done
}

# Logical content of a database (schema and rows), for before/after checks.
dump() { sqlite3 "$1" .dump; }

finish() {
  echo "$T_NAME: $T_PASS passed, $T_FAIL failed"
  [ "$T_FAIL" -eq 0 ]
}
