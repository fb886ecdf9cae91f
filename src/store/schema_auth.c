/* schema_auth.c — accounts, sessions and the audit log (migration 12).
 *
 * A user has a role and is bound to a unit: everything they see and change
 * lies in that unit's subtree (an admin or analyst with no unit sees the
 * whole database); a resident is bound to their own person instead.
 * Passwords are Argon2id strings (libsodium); a session keeps only the
 * BLAKE2b hashes of its token and CSRF token. audit_log is append-only for
 * everyone, admins included: triggers refuse UPDATE and DELETE. Times are
 * Unix seconds (wall clock, not CORDON_NOW). */
#include "store/migrate.h"
#include "lib/banned.h"

const char store_sql_auth[] =
	"CREATE TABLE users("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),"
	" role TEXT NOT NULL CHECK (role IN ('admin', 'analyst',"
	"  'investigator', 'lab', 'grid', 'site', 'checkpoint', 'supplies',"
	"  'resident')),"
	" unit_id INTEGER REFERENCES units(id),"
	" person_id INTEGER REFERENCES persons(id),"
	" unmask INTEGER NOT NULL DEFAULT 0 CHECK (unmask IN (0, 1)),"
	" pw_hash TEXT NOT NULL,"
	" disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
	" failed INTEGER NOT NULL DEFAULT 0,"
	" last_failed_at INTEGER NOT NULL DEFAULT 0,"
	" locked_until INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" CHECK ((role = 'resident') = (person_id IS NOT NULL)),"
	" CHECK (unit_id IS NOT NULL OR role IN ('admin', 'analyst',"
	"  'resident'))) STRICT;"
	"CREATE TABLE sessions("
	" token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
	" csrf_hash BLOB NOT NULL CHECK (length(csrf_hash) = 32),"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" created_at INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL,"
	" revoked_at INTEGER,"
	" ip TEXT NOT NULL DEFAULT '') STRICT, WITHOUT ROWID;"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE audit_log("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" user TEXT NOT NULL DEFAULT '',"
	" role TEXT NOT NULL DEFAULT '',"
	" ip TEXT NOT NULL DEFAULT '',"
	" action TEXT NOT NULL CHECK (action IN ('login', 'login_failed',"
	"  'logout', 'read', 'change', 'unmask', 'refused', 'user')),"
	" method TEXT NOT NULL DEFAULT '',"
	" path TEXT NOT NULL DEFAULT '',"
	" target TEXT NOT NULL DEFAULT '',"
	" status INTEGER NOT NULL DEFAULT 0,"
	" detail TEXT NOT NULL DEFAULT '') STRICT;"
	"CREATE INDEX audit_log_at ON audit_log(at);"
	"CREATE INDEX audit_log_user ON audit_log(user, at);"
	"CREATE INDEX audit_log_target ON audit_log(target, at)"
	" WHERE target <> '';" /* dropped by a later migration */
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";
