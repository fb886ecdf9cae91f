/* schema_testing.c — the schema of pooled testing (migration 6).
 *
 * A tube (samples) holds one swab (pool_size 1) or a pool; its members
 * are persons; it may belong to a testing round and, when it re-samples
 * one member of a positive pool singly, points at that pool (retest_of).
 * A tube has at most one result. A positive pool puts every member under
 * control in place (pool_controls) from the result time; the member's
 * single-tube result resolves it: negative releases, positive hands the
 * person over as a case (case_id). Times are Unix seconds. Rules that
 * need more than one row (a person once per round, members within the
 * pool size, a result not before sampling) are checked by the importer
 * (app/testing_import.c) before anything is written; the checks here
 * repeat what one row can say. */
#include "store/migrate.h"
#include "lib/banned.h"

const char store_sql_testing[] =
	"CREATE TABLE test_rounds("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE) STRICT;"
	"CREATE TABLE samples("
	" id INTEGER PRIMARY KEY,"
	" tube TEXT NOT NULL UNIQUE,"
	" pool_size INTEGER NOT NULL CHECK (pool_size BETWEEN 1 AND 50),"
	" point TEXT NOT NULL,"
	" sampled_at INTEGER NOT NULL,"
	" round_id INTEGER REFERENCES test_rounds(id),"
	" retest_of INTEGER REFERENCES samples(id),"
	" CHECK (retest_of IS NULL OR pool_size = 1)) STRICT;"
	"CREATE INDEX samples_round ON samples(round_id);"
	"CREATE INDEX samples_retest ON samples(retest_of)"
	" WHERE retest_of IS NOT NULL;"
	"CREATE TABLE sample_members("
	" sample_id INTEGER NOT NULL REFERENCES samples(id),"
	" person_id INTEGER NOT NULL REFERENCES persons(id),"
	" PRIMARY KEY (sample_id, person_id)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX sample_members_person ON sample_members(person_id);"
	"CREATE TABLE results("
	" sample_id INTEGER PRIMARY KEY REFERENCES samples(id),"
	" result TEXT NOT NULL CHECK (result IN"
	"  ('negative', 'positive', 'invalid')),"
	" lab TEXT NOT NULL,"
	" result_at INTEGER NOT NULL) STRICT;"
	"CREATE TABLE pool_controls("
	" person_id INTEGER NOT NULL REFERENCES persons(id),"
	" sample_id INTEGER NOT NULL REFERENCES samples(id),"
	" since INTEGER NOT NULL,"
	" resolved_at INTEGER,"
	" outcome TEXT CHECK (outcome IN ('negative', 'positive')),"
	" resolved_by INTEGER REFERENCES samples(id),"
	" case_id INTEGER REFERENCES cases(id),"
	" CHECK ((resolved_at IS NULL) = (outcome IS NULL)),"
	" CHECK (resolved_at IS NULL OR resolved_at >= since),"
	" CHECK (case_id IS NULL OR outcome = 'positive'),"
	" PRIMARY KEY (person_id, sample_id)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX pool_controls_sample ON pool_controls(sample_id);";
