/* schema_zones.c — the schema of risk zones (migration 11).
 *
 * A proposal (zone_proposals) is made by `zone propose` from cases
 * (kind 'new': it holds up to one zone per level) or found when a new
 * case lives inside an active controlled zone (kind 'convert': turn that
 * zone sealed). A person confirms or rejects it. A zone holds areas:
 * units (a hamlet, village, town or county with everything below) or
 * venues (places of frequent activity); the cases it was drawn from; its
 * level (3 sealed/high, 2 controlled/medium, 1 precaution/low), status,
 * the day its level took effect and the residents counted. Every change
 * is a row of zone_log, which no one can update or delete. Times are
 * Unix seconds. */
#include "store/migrate.h"
#include "lib/banned.h"

const char store_sql_zones[] =
	"CREATE TABLE zone_proposals("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('new', 'convert')),"
	" status TEXT NOT NULL DEFAULT 'open'"
	"  CHECK (status IN ('open', 'confirmed', 'rejected')),"
	" created_at INTEGER NOT NULL,"
	" zone_id INTEGER REFERENCES zones(id),"
	" case_id INTEGER REFERENCES cases(id),"
	" CHECK ((kind = 'convert') = (zone_id IS NOT NULL))) STRICT;"
	"CREATE INDEX zone_proposals_zone ON zone_proposals(zone_id)"
	" WHERE zone_id IS NOT NULL;"
	"CREATE TABLE zones("
	" id INTEGER PRIMARY KEY,"
	" proposal_id INTEGER NOT NULL REFERENCES zone_proposals(id),"
	" level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),"
	" status TEXT NOT NULL"
	"  CHECK (status IN ('proposed', 'active', 'rejected', 'lifted')),"
	" proposed_at INTEGER NOT NULL,"
	" confirmed_at INTEGER,"
	" level_since INTEGER,"
	" lifted_at INTEGER,"
	" residents INTEGER NOT NULL DEFAULT 0 CHECK (residents >= 0),"
	" CHECK ((status IN ('active', 'lifted')) = (confirmed_at IS NOT NULL)),"
	" CHECK ((status = 'lifted') = (lifted_at IS NOT NULL))) STRICT;"
	"CREATE INDEX zones_proposal ON zones(proposal_id);"
	"CREATE INDEX zones_status ON zones(status);"
	"CREATE TABLE zone_areas("
	" zone_id INTEGER NOT NULL REFERENCES zones(id),"
	" unit_id INTEGER REFERENCES units(id),"
	" venue_id INTEGER REFERENCES venues(id),"
	" CHECK ((unit_id IS NULL) <> (venue_id IS NULL))) STRICT;"
	"CREATE UNIQUE INDEX zone_areas_unit ON zone_areas(zone_id, unit_id)"
	" WHERE unit_id IS NOT NULL;"
	"CREATE UNIQUE INDEX zone_areas_venue ON zone_areas(zone_id, venue_id)"
	" WHERE venue_id IS NOT NULL;"
	"CREATE INDEX zone_areas_by_unit ON zone_areas(unit_id)"
	" WHERE unit_id IS NOT NULL;"
	"CREATE TABLE zone_cases("
	" zone_id INTEGER NOT NULL REFERENCES zones(id),"
	" case_id INTEGER NOT NULL REFERENCES cases(id),"
	" PRIMARY KEY (zone_id, case_id)) STRICT, WITHOUT ROWID;"
	"CREATE TABLE zone_log("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" actor TEXT NOT NULL CHECK (length(actor) > 0),"
	" proposal_id INTEGER REFERENCES zone_proposals(id),"
	" zone_id INTEGER REFERENCES zones(id),"
	" action TEXT NOT NULL,"
	" detail TEXT NOT NULL DEFAULT '',"
	" forced INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1))) STRICT;"
	"CREATE INDEX zone_log_zone ON zone_log(zone_id);"
	"CREATE INDEX zone_log_proposal ON zone_log(proposal_id);"
	"CREATE TRIGGER zone_log_no_update BEFORE UPDATE ON zone_log"
	" BEGIN SELECT RAISE(ABORT, 'the zone log is append-only'); END;"
	"CREATE TRIGGER zone_log_no_delete BEFORE DELETE ON zone_log"
	" BEGIN SELECT RAISE(ABORT, 'the zone log is append-only'); END;";
