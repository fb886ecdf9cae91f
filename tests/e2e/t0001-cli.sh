#!/usr/bin/env bash
# t0001 — command table, help, usage errors, init.
. "$(dirname "$0")/lib.sh"

run help
expect 0 "init +create a new, empty database" "help lists commands"
for c in help version init import unit person venue; do
  run help "$c"
  expect 0 "^usage: cordon $c" "help $c prints usage"
done
run help nosuch
expect 2 "no command 'nosuch'" "help of an unknown command"
run frobnicate
expect 2 "'frobnicate' is not a cordon command" "unknown command"
run
expect 2 "usage: cordon COMMAND" "no command at all"
run version
expect 0 "^cordon [0-9]+\.[0-9]+\.[0-9]+ \(database schema version [0-9]+\)" "version"
run import units
expect 2 "^usage: cordon import" "import without a file"
run import animals "$DATA/units.csv" --db "$TMP/x.db"
expect 2 "unknown import kind 'animals'" "import of an unknown kind"
run import units "$DATA/units.csv" --max-errors 0 --db "$TMP/x.db"
expect 2 "--max-errors needs a whole number from 1" "bad --max-errors"
run unit tree 430422 --bogus
expect 2 "unknown or incomplete option '--bogus'" "unknown option"

# init creates a database and refuses to overwrite one.
run init --db "$TMP/a.db"
expect 0 "created .*a.db \(schema version [0-9]+\)" "init creates"
check "init made a file" test -s "$TMP/a.db"
check "journal mode is WAL" test "$(sqlite3 "$TMP/a.db" 'PRAGMA journal_mode')" = wal
run init --db "$TMP/a.db"
expect 5 "already exists; refusing to overwrite" "init refuses an existing file"
# A database deleted without its presence folder: a new one must not
# inherit another database's presence rows.
mkdir "$TMP/old.db.presence"
run init --db "$TMP/old.db"
expect 5 "old.db.presence exists: presence data of an earlier database" "init refuses stale presence data"
check "nothing created" test ! -e "$TMP/old.db"
CORDON_DB="$TMP/env.db" run init
expect 0 "created .*env.db" "init honours CORDON_DB"

# Commands on a missing database say how to make one.
run unit tree 430422 --db "$TMP/none.db"
expect 4 "no database at .*none.db \(create one with 'cordon init" "missing database"
check "a missing database is not created" test ! -e "$TMP/none.db"

finish
