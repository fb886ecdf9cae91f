/* schema.c — the migrations of the cordon schema, oldest first. Never edit
 * a migration that has shipped: add a new one. */
#include "store/migrate.h"

const struct migration store_migrations[] = {
	{ "create the registry",
	  "CREATE TABLE units("
	  " id INTEGER PRIMARY KEY,"
	  " code TEXT NOT NULL UNIQUE,"
	  " name TEXT NOT NULL,"
	  " level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),"
	  " kind TEXT NOT NULL,"
	  " parent_id INTEGER REFERENCES units(id),"
	  " CHECK ((level = 1) = (parent_id IS NULL))) STRICT;"
	  "CREATE INDEX units_parent ON units(parent_id);"
	  "CREATE TABLE households("
	  " id INTEGER PRIMARY KEY,"
	  " code TEXT NOT NULL UNIQUE,"
	  " unit_id INTEGER NOT NULL REFERENCES units(id),"
	  " address TEXT NOT NULL DEFAULT '') STRICT;"
	  "CREATE INDEX households_unit ON households(unit_id);"
	  "CREATE TABLE persons("
	  " id INTEGER PRIMARY KEY,"
	  " resident_id TEXT NOT NULL UNIQUE CHECK (length(resident_id) = 18),"
	  " name TEXT NOT NULL,"
	  " sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),"
	  " birth_date TEXT NOT NULL,"
	  " phone TEXT,"
	  " household_id INTEGER NOT NULL REFERENCES households(id),"
	  " groups INTEGER NOT NULL DEFAULT 0) STRICT;"
	  "CREATE INDEX persons_household ON persons(household_id);"
	  "CREATE INDEX persons_phone ON persons(phone) WHERE phone IS NOT NULL;"
	  "CREATE TABLE venues("
	  " id INTEGER PRIMARY KEY,"
	  " code TEXT NOT NULL UNIQUE,"
	  " name TEXT NOT NULL,"
	  " kind TEXT NOT NULL,"
	  " unit_id INTEGER NOT NULL REFERENCES units(id),"
	  " lat REAL, lon REAL,"
	  " CHECK ((lat IS NULL) = (lon IS NULL))) STRICT;"
	  "CREATE INDEX venues_unit ON venues(unit_id);"
	  "CREATE TABLE grid_workers("
	  " id INTEGER PRIMARY KEY,"
	  " phone TEXT NOT NULL UNIQUE,"
	  " name TEXT NOT NULL) STRICT;"
	  "CREATE TABLE grid_worker_units("
	  " worker_id INTEGER NOT NULL"
	  "  REFERENCES grid_workers(id) ON DELETE CASCADE,"
	  " unit_id INTEGER NOT NULL REFERENCES units(id),"
	  " PRIMARY KEY (worker_id, unit_id)) STRICT, WITHOUT ROWID;"
	  "CREATE INDEX grid_worker_units_unit ON grid_worker_units(unit_id);"
	  "CREATE TABLE imports("
	  " id INTEGER PRIMARY KEY,"
	  " kind TEXT NOT NULL,"
	  " file TEXT NOT NULL,"
	  " rows INTEGER NOT NULL,"
	  " inserted INTEGER NOT NULL,"
	  " updated INTEGER NOT NULL,"
	  " unchanged INTEGER NOT NULL,"
	  " at INTEGER NOT NULL) STRICT;" },
	{ "add presence data",
	  /* No indexes yet: tracing (issue 4) decides what it needs. */
	  "CREATE TABLE scans("
	  " person_id INTEGER NOT NULL REFERENCES persons(id),"
	  " venue_id INTEGER NOT NULL REFERENCES venues(id),"
	  " t_in INTEGER NOT NULL,"
	  " t_out INTEGER CHECK (t_out IS NULL OR t_out >= t_in)) STRICT;"
	  "CREATE TABLE trips("
	  " id INTEGER PRIMARY KEY,"
	  " mode TEXT NOT NULL CHECK (mode IN ('bus', 'rail')),"
	  " route TEXT NOT NULL,"
	  " date TEXT NOT NULL,"
	  " departure INTEGER NOT NULL CHECK (departure BETWEEN 0 AND 1439),"
	  " UNIQUE (mode, route, date, departure)) STRICT;"
	  "CREATE TABLE rides("
	  " trip_id INTEGER NOT NULL REFERENCES trips(id),"
	  " person_id INTEGER NOT NULL REFERENCES persons(id),"
	  " carriage INTEGER NOT NULL CHECK (carriage >= 1),"
	  " seat_row INTEGER NOT NULL CHECK (seat_row >= 1)) STRICT;"
	  "CREATE TABLE cell_stays("
	  " person_id INTEGER NOT NULL REFERENCES persons(id),"
	  " cell TEXT NOT NULL,"
	  " t_start INTEGER NOT NULL,"
	  " t_end INTEGER NOT NULL CHECK (t_end >= t_start)) STRICT;" },
	{ "add cases",
	  /* Numbers per county: case_counters holds each county's last
	   * sequence, so a number is never reused. One infection per person:
	   * at most one case that is not closed by a cure (a cured person
	   * may be infected again; a person who died may not). Dates are
	   * 'YYYY-MM-DD' like birth_date, times Unix seconds. */
	  "CREATE TABLE case_counters("
	  " county_id INTEGER PRIMARY KEY REFERENCES units(id),"
	  " last INTEGER NOT NULL CHECK (last >= 1)) STRICT;"
	  "CREATE TABLE cases("
	  " id INTEGER PRIMARY KEY,"
	  " number TEXT NOT NULL UNIQUE,"
	  " county_id INTEGER NOT NULL REFERENCES units(id),"
	  " seq INTEGER NOT NULL CHECK (seq >= 1),"
	  " person_id INTEGER NOT NULL REFERENCES persons(id),"
	  " class TEXT NOT NULL"
	  "  CHECK (class IN ('confirmed', 'asymptomatic', 'suspected')),"
	  " clinical_type TEXT"
	  "  CHECK (clinical_type IN ('mild', 'ordinary', 'severe', 'critical')),"
	  " imported INTEGER NOT NULL CHECK (imported IN (0, 1)),"
	  " found TEXT NOT NULL CHECK (found IN"
	  "  ('pool', 'fever', 'screening', 'quarantine', 'other')),"
	  " onset TEXT,"
	  " sampling TEXT,"
	  " reported INTEGER NOT NULL,"
	  " isolated INTEGER,"
	  " hospital TEXT,"
	  " outcome TEXT CHECK (outcome IN ('cured', 'died')),"
	  " outcome_date TEXT,"
	  " converted TEXT,"
	  " UNIQUE (county_id, seq),"
	  " CHECK ((class = 'confirmed') = (clinical_type IS NOT NULL)),"
	  " CHECK (onset IS NOT NULL OR sampling IS NOT NULL),"
	  " CHECK ((outcome IS NULL) = (outcome_date IS NULL)),"
	  " CHECK (converted IS NULL OR class = 'confirmed')) STRICT;"
	  "CREATE INDEX cases_person ON cases(person_id);"
	  "CREATE UNIQUE INDEX cases_person_open ON cases(person_id)"
	  " WHERE outcome IS NOT 'cured';" },
	{ "move presence rows to segment files",
	  /* Scans, rides and cell stays live in PATH.presence/ now (see
	   * store_segments.c); trips stay here as the dictionary of trip
	   * ids. */
	  "DROP TABLE scans; DROP TABLE rides; DROP TABLE cell_stays;" },
	{ "add traced contacts",
	  /* A trace of a case replaces its rows here; a person reached
	   * several ways has one contact row (the strongest category) and
	   * all the evidence. Times are Unix seconds. */
	  "CREATE TABLE contacts("
	  " case_id INTEGER NOT NULL REFERENCES cases(id),"
	  " person_id INTEGER NOT NULL REFERENCES persons(id),"
	  " category TEXT NOT NULL CHECK (category IN"
	  "  ('close', 'secondary', 'companion', 'general')),"
	  " via_person_id INTEGER REFERENCES persons(id),"
	  " is_case INTEGER NOT NULL CHECK (is_case IN (0, 1)),"
	  " first_exposure INTEGER NOT NULL,"
	  " last_exposure INTEGER NOT NULL,"
	  " traced_at INTEGER NOT NULL,"
	  " PRIMARY KEY (case_id, person_id)) STRICT, WITHOUT ROWID;"
	  "CREATE INDEX contacts_person ON contacts(person_id);"
	  "CREATE TABLE contact_evidence("
	  " case_id INTEGER NOT NULL REFERENCES cases(id),"
	  " person_id INTEGER NOT NULL REFERENCES persons(id),"
	  " kind TEXT NOT NULL CHECK (kind IN ('household', 'venue', 'trip',"
	  "  'cell', 'proximity', 'manual')),"
	  " category TEXT NOT NULL,"
	  " via_person_id INTEGER REFERENCES persons(id),"
	  " place INTEGER NOT NULL,"
	  " start INTEGER NOT NULL,"
	  " end INTEGER NOT NULL,"
	  " overlap INTEGER NOT NULL,"
	  " detail INTEGER NOT NULL) STRICT;"
	  "CREATE INDEX contact_evidence_case"
	  " ON contact_evidence(case_id, person_id);"
	  "CREATE TABLE manual_contacts("
	  " case_id INTEGER NOT NULL REFERENCES cases(id),"
	  " person_id INTEGER NOT NULL REFERENCES persons(id),"
	  " reason TEXT NOT NULL CHECK (length(reason) > 0),"
	  " added_at INTEGER NOT NULL,"
	  " PRIMARY KEY (case_id, person_id)) STRICT, WITHOUT ROWID;" },
	{ "add pooled testing", store_sql_testing },
	{ "add quarantine", store_sql_quarantine },
	{ "add health codes and checkpoint passes",
	  /* A person without a row in codes is green with no reason. */
	  "CREATE TABLE codes("
	  " person_id INTEGER PRIMARY KEY REFERENCES persons(id),"
	  " colour TEXT NOT NULL CHECK (colour IN ('green', 'yellow', 'red')),"
	  " reasons TEXT NOT NULL,"
	  " since INTEGER NOT NULL) STRICT;"
	  "CREATE TABLE code_history("
	  " person_id INTEGER NOT NULL REFERENCES persons(id),"
	  " at INTEGER NOT NULL,"
	  " colour TEXT NOT NULL,"
	  " reasons TEXT NOT NULL) STRICT;"
	  "CREATE INDEX code_history_person ON code_history(person_id, at);"
	  "CREATE TABLE checkpoint_passes("
	  " id INTEGER PRIMARY KEY,"
	  " person_id INTEGER NOT NULL REFERENCES persons(id),"
	  " venue_id INTEGER NOT NULL REFERENCES venues(id),"
	  " at INTEGER NOT NULL,"
	  " temperature REAL,"
	  " mask INTEGER,"
	  " outcome TEXT NOT NULL,"
	  " findings TEXT NOT NULL) STRICT;"
	  "CREATE INDEX checkpoint_passes_person"
	  " ON checkpoint_passes(person_id, at);" },
	{ "checkpoint passes become presence",
	  /* Passes are folded into the scans segment (app/presence_import.c,
	   * presence_merge_passes); merged marks those already there. */
	  "ALTER TABLE checkpoint_passes ADD COLUMN merged INTEGER NOT NULL"
	  " DEFAULT 0 CHECK (merged IN (0, 1));"
	  "CREATE INDEX checkpoint_passes_unmerged ON checkpoint_passes(merged)"
	  " WHERE merged = 0;" },
	{ "add area testing rounds",
	  /* A round created by a samples import has no start until
	   * `cordon round start` gives it its target units, start and
	   * deadline (Unix seconds); closed_at is set once, by close. */
	  "ALTER TABLE test_rounds ADD COLUMN start_at INTEGER;"
	  "ALTER TABLE test_rounds ADD COLUMN deadline INTEGER;"
	  "ALTER TABLE test_rounds ADD COLUMN closed_at INTEGER;"
	  "CREATE TABLE round_units("
	  " round_id INTEGER NOT NULL REFERENCES test_rounds(id),"
	  " unit_id INTEGER NOT NULL REFERENCES units(id),"
	  " PRIMARY KEY (round_id, unit_id)) STRICT, WITHOUT ROWID;" },
	{ "add risk zones", store_sql_zones },
	{ "add accounts, sessions and the audit log", store_sql_auth },
	{ "add indexes for the daily report",
	  /* The report's windows (store_report.c): tubes by sampling time,
	   * positive results by their time, cases by report time, contacts
	   * by trace time. */
	  "CREATE INDEX samples_sampled_at ON samples(sampled_at);"
	  "CREATE INDEX results_positive_at ON results(result_at)"
	  " WHERE result = 'positive';"
	  "CREATE INDEX cases_reported ON cases(reported);"
	  "CREATE INDEX contacts_traced_at ON contacts(traced_at);" },
	{ "keep the history of zone levels",
	  /* zones holds a zone's present level only; the daily report of a
	   * past day needs the level it had then. Every level a zone takes
	   * (confirmed, converted to sealed, downgraded) is kept here by
	   * triggers, whatever the caller; zones confirmed before this
	   * migration start with their present level. */
	  "CREATE TABLE zone_levels("
	  " zone_id INTEGER NOT NULL REFERENCES zones(id),"
	  " level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),"
	  " since INTEGER NOT NULL) STRICT;"
	  "CREATE INDEX zone_levels_zone ON zone_levels(zone_id, since);"
	  "INSERT INTO zone_levels SELECT id, level, level_since FROM zones"
	  " WHERE level_since IS NOT NULL;"
	  "CREATE TRIGGER zone_levels_insert AFTER INSERT ON zones"
	  " WHEN NEW.level_since IS NOT NULL BEGIN"
	  " INSERT INTO zone_levels VALUES (NEW.id, NEW.level,"
	  "  NEW.level_since); END;"
	  "CREATE TRIGGER zone_levels_update AFTER UPDATE OF level, level_since"
	  " ON zones WHEN NEW.level_since IS NOT NULL AND"
	  " (OLD.level IS NOT NEW.level OR OLD.level_since IS NOT"
	  "  NEW.level_since) BEGIN"
	  " INSERT INTO zone_levels VALUES (NEW.id, NEW.level,"
	  "  NEW.level_since); END;" },
	{ "drop the audit log's index by target",
	  /* No query used it: the audit list matches a target prefix with
	   * substr() and reads newest first by id. Each audit row wrote a
	   * page at a random place of it, the largest part of a checkpoint
	   * verification's commit (docs/performance.md). */
	  "DROP INDEX audit_log_target;" },
};

const int store_migration_count =
	(int)(sizeof store_migrations / sizeof store_migrations[0]);
