#!/usr/bin/env bash
# t0004 — files that are not cordon databases, newer schemas, read-only
# files, a full disk and a kill in the middle of an import: each gets a clear
# message, and the database is left as it was.
. "$(dirname "$0")/lib.sh"

# Not a SQLite file: refused, not touched.
head -c 8192 /dev/urandom > "$TMP/junk.db"
cp "$TMP/junk.db" "$TMP/junk.orig"
run import units "$DATA/units.csv" --db "$TMP/junk.db"
expect 7 "junk.db is not a SQLite database" "random bytes refused"
check "random file unchanged" cmp -s "$TMP/junk.db" "$TMP/junk.orig"
printf 'name,phone\n' > "$TMP/text.db"
run unit tree 430422 --db "$TMP/text.db"
expect 7 "text.db is not a SQLite database" "a text file refused"

# Another application's SQLite database: refused, not touched.
sqlite3 "$TMP/other.db" 'CREATE TABLE accounts(id INTEGER, balance REAL); INSERT INTO accounts VALUES (1, 9.5)'
cp "$TMP/other.db" "$TMP/other.orig"
run import units "$DATA/units.csv" --db "$TMP/other.db"
expect 7 "other.db is a SQLite database but not a cordon database" "foreign database refused"
check "foreign database unchanged" cmp -s "$TMP/other.db" "$TMP/other.orig"

# A database from a newer cordon: refused with a clear message, unchanged.
DB=$TMP/new.db
sample_db "$DB"
sqlite3 "$DB" 'PRAGMA user_version = 99'
cp "$DB" "$TMP/new.orig"
run import persons "$DATA/persons.csv" --db "$DB"
expect 7 "schema version 99, made by a newer cordon; this cordon knows versions up to [0-9]+: upgrade cordon \(the database was not changed\)" "newer schema refused"
check "newer database unchanged" cmp -s "$DB" "$TMP/new.orig"
run unit tree 430422 --db "$DB"
expect 7 "made by a newer cordon" "newer schema refused for reading too"

# A read-only database. Root ignores file modes, so when running as root
# the command runs as 'nobody'.
DB=$TMP/ro.db
sample_db "$DB"
before=$(dump "$DB")
chmod 444 "$DB"
as_user() { if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; else "$@"; fi; }
OUT=$(as_user "$CORDON" import venues "$DATA/venues.csv" --db "$DB" 2>&1); RC=$?
expect 7 "ro.db is read-only" "read-only database refused for import"
chmod 644 "$DB"
check "read-only database unchanged" test "$before" = "$(dump "$DB")"

# A full disk. As root: a 640 KiB tmpfs (the database, its -shm and a
# little room) gives a real ENOSPC; otherwise a
# file-size limit stands in for it.
DB=$TMP/full.db
"$CORDON" init --db "$DB" >/dev/null
"$CORDON" import units "$DATA/units.csv" --db "$DB" >/dev/null
"$CORDON" import households "$DATA/households.csv" --db "$DB" >/dev/null
awk -v n=20000 -v hh=430422103201-001-0001 -f "$(dirname "$0")/gen-persons.awk" > "$TMP/p20k.csv"
MNT=$TMP/mnt
mkdir -p "$MNT"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=640k tmpfs "$MNT" 2>/dev/null; then
  cp "$DB" "$MNT/full.db"
  before=$(dump "$MNT/full.db")
  run import persons "$TMP/p20k.csv" --db "$MNT/full.db"
  expect 7 "full.db: disk full .* nothing was changed" "full disk: clear message"
  check "full disk: database unchanged" test "$before" = "$(dump "$MNT/full.db")"
  check "full disk: integrity" test "$(sqlite3 "$MNT/full.db" 'PRAGMA integrity_check')" = ok
  umount "$MNT"
else
  before=$(dump "$DB")
  OUT=$( (trap '' XFSZ; ulimit -f 200; "$CORDON" import persons "$TMP/p20k.csv" --db "$DB") 2>&1); RC=$?
  expect 6 "I/O error while committing" "file-size limit: clear message"
  check "file-size limit: database unchanged" test "$before" = "$(dump "$DB")"
fi

# Killed in the middle of a large import: the database stays consistent
# and holds none of it; the next import completes.
DB=$TMP/kill.db
sample_db "$DB"
before=$(dump "$DB")
awk -v n=400000 -v hh=430422103201-001-0001 -f "$(dirname "$0")/gen-persons.awk" > "$TMP/p400k.csv"
"$CORDON" import persons "$TMP/p400k.csv" --db "$DB" >/dev/null 2>&1 &
pid=$!
# Wait until the import has written to the WAL, then kill it.
for _ in $(seq 1 100); do
  [ "$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)" -gt 65536 ] && break
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
check "killed import: integrity ok" test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok
check "killed import: nothing of it kept" test "$before" = "$(dump "$DB")"
run import persons "$TMP/p400k.csv" --db "$DB"
expect 0 "400000 rows \(400000 new" "import after the kill completes"

finish
