/* cli.c — the one command table, shared helpers, and the table printer. */
#include "cli/cli.h"

#include <jansson.h>
#include <pwd.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/date.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

const struct cli_command cli_commands[] = {
	{ "help", "help [COMMAND]", "show usage of cordon or of a command",
	  "With no COMMAND, lists every command. With one, prints its usage "
	  "and options.\n", cmd_help },
	{ "version", "version", "print the program and schema versions", "",
	  cmd_version },
	{ "init", "init [--db PATH]", "create a new, empty database",
	  "Creates PATH with the current schema. Refuses if PATH exists.\n"
	  "  --db PATH   database file (default $CORDON_DB, else cordon.db)\n",
	  cmd_init },
	{ "import",
	  "import KIND FILE [--db PATH] [--dry-run] [--max-errors N]",
	  "import a CSV file into the registry, all or nothing",
	  "KIND is one of: units, households, persons, venues, grid-workers,\n"
	  "scans, trips, cells, proximity, samples, results, sites.\n"
	  "FILE is UTF-8 CSV with a header row (see docs/formats.md); '-' "
	  "reads standard input.\nIf any row is bad nothing is written and "
	  "every bad row is reported as\n  FILE:LINE: field 'x' value 'y': "
	  "reason\nRe-importing a file changes nothing; an existing key is "
	  "updated.\n"
	  "  --dry-run       validate everything, write nothing\n"
	  "  --max-errors N  stop after N bad rows (default 20)\n"
	  "  --db PATH       database file\n", cmd_import },
	{ "unit", "unit tree CODE [--db PATH] [--json]",
	  "show a unit and everything below it with head counts",
	  "  tree CODE   the hierarchy under CODE (county, town, village or "
	  "hamlet)\n              with households and persons at each level\n"
	  "  --json      machine-readable output\n", cmd_unit },
	{ "person", "person show ID [--db PATH] [--unmasked] [--json]",
	  "show a person's registry record",
	  "The resident ID and phone are masked (430422********1234, "
	  "138****5678)\nunless --unmasked is given.\n"
	  "  --unmasked  show the full ID and phone\n"
	  "  --json      machine-readable output\n", cmd_person },
	{ "venue", "venue list --unit CODE [--db PATH] [--json]",
	  "list the venues (场所码) in a unit and below it",
	  "  --unit CODE  county, town, village or hamlet code\n"
	  "  --json       machine-readable output\n", cmd_venue },
	{ "case",
	  "case add --id RID --class C [OPTIONS] | update NUMBER [OPTIONS] | "
	  "show NUMBER|RID [--json] [--unmasked] | list [--unit CODE] "
	  "[--class C] [--json]",
	  "record, change, show and list cases (确诊, 无症状, 疑似)",
	  "add prints the new case's number, per county: 430422-C0001.\n"
	  "  --id RID          the person's resident ID (add only)\n"
	  "  --class C         confirmed, asymptomatic or suspected\n"
	  "  --type T          clinical type of a confirmed case: mild, "
	  "ordinary,\n                    severe or critical\n"
	  "  --imported        an imported case (--local: a local one, the "
	  "default)\n"
	  "  --onset DATE      symptom onset date (YYYY-MM-DD)\n"
	  "  --sampling DATE   sampling date of the positive test\n"
	  "  --reported TIME   report time, ISO 8601 (default now)\n"
	  "  --found F         pool, fever, screening, quarantine or other "
	  "(default)\n"
	  "  --isolated TIME   isolation time, ISO 8601\n"
	  "  --hospital NAME   designated hospital\n"
	  "  --outcome O       cured or died, with --outcome-date DATE "
	  "(update only)\n"
	  "  --convert DATE    asymptomatic → confirmed on DATE: the same "
	  "case and\n                    number, counted once (update "
	  "only; give --type)\n"
	  "  --unit CODE       list: cases whose person lives under CODE\n"
	  "  --limit N, --offset N  list: a page of the list\n"
	  "  --json            machine-readable output\n"
	  "  --unmasked        show full resident IDs\n"
	  "An empty DATE, TIME or NAME in update clears the field. See "
	  "docs/cli.md.\n", cmd_case },
	{ "rules", "rules show [--rules FILE] [--profile NAME] [--json | --ini]",
	  "show the effective rules and where each value came from",
	  "The rules are a profile (v8, v9, v9-20) shipped inside cordon, with "
	  "a\ndeployment's overrides from FILE, else $CORDON_RULES, else none "
	  "(v9).\nSee docs/rules.md for the format and every key.\n"
	  "  --rules FILE    deployment file (its `profile = NAME` picks the "
	  "profile)\n"
	  "  --profile NAME  use this profile, whatever the file names\n"
	  "  --json          machine-readable output\n"
	  "  --ini           every value as a rules file, to copy and edit\n",
	  cmd_rules },
	{ "trace", "trace CASE... [--db PATH] [--rules FILE] [--json]",
	  "find a case's contacts: close, secondary, companions, venue-exposed",
	  "CASE is a case number (430422-C0001) or the case's resident ID. "
	  "Traces by\nthe rule profile (see 'cordon rules show') over the "
	  "case's window: from\nthe lookback before onset (or sampling) until "
	  "isolation, or now. Keeps\nthe contacts and their evidence, and "
	  "says what changed since the last\ntrace. See docs/tracing.md.\n"
	  "  --rules FILE  deployment rules file (default $CORDON_RULES, else "
	  "v9)\n"
	  "  --json        machine-readable output\n", cmd_trace },
	{ "chain", "chain CASE [--db PATH] [--json] [--unmasked]",
	  "show a case's transmission chain: close and secondary contacts",
	  "The case, its close contacts and, under each, the secondary "
	  "contacts\nreached through them; contacts who are cases are marked. "
	  "From the last\n'cordon trace'.\n"
	  "  --unmasked  show full resident IDs\n"
	  "  --json      machine-readable output\n", cmd_chain },
	{ "contact",
	  "contact (list CASE [--category C] | add CASE ID --reason TEXT) "
	  "[--db PATH] [--json] [--unmasked]",
	  "list a case's contacts, or add one by hand",
	  "  list CASE       the contacts of the last trace, strongest first\n"
	  "  --category C    only close, secondary, companion or general\n"
	  "  add CASE ID     an investigator's close contact (a carer, a "
	  "shared meal)\n"
	  "  --reason TEXT   why (required); the next trace includes it\n",
	  cmd_contact },
	{ "code", "code ID [--db PATH] [--rules FILE] [--json] [--unmasked]",
	  "show a person's health code, every reason for it, and its history",
	  "Recomputes the code from what the database holds (a case, a traced "
	  "contact,\nquarantine, a pool awaiting its result, missed tests, a "
	  "fever at a\ncheckpoint) by the rules, stores it if it changed, and "
	  "shows the colour\n(红/黄/绿), each reason, and each change with its "
	  "time.\n", cmd_code },
	{ "check",
	  "check ID --checkpoint CODE [--temp C] [--mask yes|no] "
	  "[--window H] [--db PATH] [--json]",
	  "verify a person at a checkpoint (一扫二看三查四验)",
	  "1 scan the code (the pass is recorded), 2 look at the code and "
	  "itinerary,\n3 check temperature and mask, 4 verify a negative test "
	  "within the window.\nOutcome: pass, restricted, test-on-site, "
	  "refused, hand-over-to-health-staff,\nwith each step's finding.\n"
	  "  --checkpoint CODE  venue code of a checkpoint\n"
	  "  --temp C           temperature in °C (>= 37.3 is abnormal)\n"
	  "  --mask yes|no      mask worn\n"
	  "  --window H         certificate window, 24, 48 or 72 (default 48)\n",
	  cmd_check },
	{ "pool", "pool (show | recall) TUBE [--db PATH] [--json] [--unmasked]",
	  "show a tube (混采) with its members and controls, or its recall list",
	  "  show TUBE    the tube, its result, and each member: controlled in "
	  "place\n               since the positive result, released by a "
	  "negative single\n               tube, or handed over as a case\n"
	  "  recall TUBE  a positive pool's members still controlled, per grid "
	  "worker\n               of their hamlet, for single-tube "
	  "re-sampling\n"
	  "  --unmasked   show full resident IDs\n"
	  "  --json       machine-readable output\n"
	  "Tubes and results come in with 'cordon import samples|results'. "
	  "See\ndocs/testing.md.\n", cmd_pool },
	{ "certificate",
	  "certificate ID [--at TIME] [--db PATH] [--rules FILE] [--json] "
	  "[--unmasked]",
	  "a person's latest negative test and whether it is within 24/48/72 h",
	  "The latest negative known at TIME (default now) and, for each "
	  "window of\nthe rules (checkpoint.cert_hours), whether it was "
	  "sampled within it. A\npositive sampled after it voids it.\n"
	  "  --at TIME     ISO 8601 instant (China time without a zone)\n"
	  "  --rules FILE  deployment rules file (default $CORDON_RULES, else "
	  "v9)\n"
	  "  --json        machine-readable output\n", cmd_certificate },
	{ "quarantine",
	  "quarantine (plan CASE [--discharged] [--rules FILE] [--child-age N] "
	  "[--share] | list [--status S] | show ID | monitor ID --temp C "
	  "[--symptoms TEXT] [--at TIME] | release ID | due [--date D] | "
	  "replan ID --rules FILE | upgrade [--rules FILE] | allocate) "
	  "[--db PATH] [--json] [--unmasked]",
	  "quarantine plans (隔离): rooms, sampling days, monitoring, release",
	  "ID is a plan number or a resident ID (their open plan, else the "
	  "latest).\n"
	  "  plan CASE         a plan for every close and secondary contact of "
	  "the\n                    case's last trace, from their last "
	  "exposure, by the rules;\n                    rooms for central "
	  "plans; the rest wait. With\n                    --discharged: the "
	  "case's own patient, from discharge\n"
	  "  list              every plan; --status waiting, central, home, "
	  "released,\n                    upgraded, replanned, open or all\n"
	  "  show ID           a plan: dates, sampling days and results, "
	  "release, monitoring\n"
	  "  monitor ID        a daily entry: --temp 36.8 [--symptoms TEXT] "
	  "[--at TIME];\n                    37.3 °C or any symptom is an "
	  "alert\n"
	  "  release ID        end the stage (move home, or release) when its "
	  "end is\n                    reached and its tests are negative; "
	  "frees the room\n"
	  "  due [--date D]    who is sampled, who is due for release, who is "
	  "overdue\n"
	  "  replan ID         the same exposure under --rules FILE (plans "
	  "keep their\n                    rules otherwise)\n"
	  "  upgrade           secondary contacts whose close contact turned "
	  "positive\n                    become close contacts with a new "
	  "plan\n"
	  "  allocate          give free rooms to the waiting\n"
	  "  --child-age N     a child under N stays with a parent (default "
	  "14)\n"
	  "  --share           unrelated people of a group may share a room\n"
	  "See docs/quarantine.md.\n", cmd_quarantine },
	{ "site", "site (list | show CODE) [--db PATH] [--json] [--unmasked]",
	  "quarantine sites: rooms, capacity, occupied, free",
	  "  list       every site with its rooms, capacity, occupied rooms, "
	  "people and\n             free rooms\n"
	  "  show CODE  each room of a site with the people in it\n"
	  "Sites come in with 'cordon import sites FILE' "
	  "(docs/formats.md).\n", cmd_site },
	{ "round",
	  "round (start | status | missing | close) CODE [--units U1,U2 | "
	  "--zone Z]\n       [--start TIME] [--hours H] [--db PATH] [--json] "
	  "[--unmasked]",
	  "area testing rounds: targets, coverage per grid, who is missing",
	  "  start CODE    start a round over --units (unit codes, commas) "
	  "from --start\n                (default now) for --hours (default "
	  "24; 48 for a controlled\n                zone)\n"
	  "  --zone Z      target an active zone's units; --hours defaults to "
	  "the\n                profile's (24 sealed, 48 controlled)\n"
	  "  status CODE   expected, sampled, missing and percent per target "
	  "unit and per\n                grid (hamlet), overall, and the "
	  "deadline\n"
	  "  missing CODE  residents not yet sampled, per grid worker "
	  "(不漏一人)\n"
	  "  close CODE    close the round and give its result: all negative, "
	  "the positive\n                pools, tubes still without result\n"
	  "  --unmasked    show full resident IDs\n"
	  "  --json        machine-readable output\n"
	  "Expected residents exclude people with an open case and people "
	  "waiting for or\nin central quarantine. Tubes come in with 'cordon "
	  "import samples' (column\nround). See docs/rounds.md.\n", cmd_round },
	{ "zone",
	  "zone (propose CASE... | confirm P | reject P | edit Z | list | "
	  "show Z|P | lift Z)\n       [--precaution town|county] [--add "
	  "CODES] [--remove CODES] [--reason TEXT]\n       [--force] [--all] "
	  "[--by NAME] [--rules FILE] [--db PATH] [--json]",
	  "risk zones: propose from cases, confirm, edit, lift on schedule",
	  "  propose CASE...  draw zones from cases: sealed (high) = the "
	  "case's hamlet and\n                   its places of frequent "
	  "activity; controlled (medium) = the\n                   village; "
	  "precaution (low) = the county, or the town with\n"
	  "                   --precaution town\n"
	  "  confirm P        make a proposal's zones active (or turn a "
	  "controlled zone\n                   sealed); residents' codes "
	  "are recomputed\n"
	  "  reject P         reject a proposal (--reason required)\n"
	  "  edit Z           --add / --remove unit or venue codes "
	  "(commas)\n"
	  "  list             zones with their next step and earliest date, "
	  "and open\n                   proposals (--all: lifted and "
	  "rejected too)\n"
	  "  show Z|P         a zone: measures, areas, clock, rounds, "
	  "conditions, log\n"
	  "  lift Z           downgrade or lift when its conditions hold; "
	  "--force with a\n                   --reason overrides (kept in "
	  "the log)\n"
	  "  --by NAME        who acts (default $CORDON_ACTOR or the login "
	  "name)\n"
	  "A new case inside a controlled zone shows as a proposal to seal "
	  "it. See\ndocs/zones.md.\n", cmd_zone },
	{ "report",
	  "report (daily [--date D] [--cutoff HH:MM] [--xlsx FILE | --csv "
	  "FILE] |\n       series --from D --to D [--cutoff HH:MM] [--csv FILE] "
	  "|\n       curve --from D --to D [--csv FILE]) [--unit CODE] "
	  "[--json] [--db PATH]",
	  "the daily report (日报), the series of its figures, the epidemic "
	  "curve",
	  "  daily          the figures of the reporting day D (default today) "
	  "for the\n                 unit and a row per unit below it: "
	  "confirmed, asymptomatic,\n                 cured, deaths, rates, "
	  "contacts, testing, zones, quarantine\n"
	  "  series         the unit's figures for every day from --from to "
	  "--to\n                 (at most 366 days)\n"
	  "  curve          confirmed and asymptomatic cases by onset date and "
	  "by report\n                 date, every day from --from to --to\n"
	  "  --unit CODE    county, town, village or hamlet (default: the "
	  "county, when\n                 the database holds only one)\n"
	  "  --cutoff HH:MM the day D runs from D-1 at HH:MM to D at HH:MM, "
	  "China time\n                 (default 24:00: the calendar day)\n"
	  "  --xlsx FILE    daily: a workbook as sent upward (title, date, "
	  "cutoff, table,\n                 totals)\n"
	  "  --csv FILE     CSV in UTF-8 with a byte-order mark ('-': "
	  "standard output)\n"
	  "  --json         the same JSON as the HTTP API\n"
	  "See docs/reports.md for what each figure counts.\n", cmd_report },
	{ "serve",
	  "serve [--db PATH] [--listen HOST:PORT] [--tls-cert F --tls-key F] "
	  "[--web DIR]\n       [--threads N] [--session-hours N] "
	  "[--idle-seconds N] [--timeout S]\n       [--max-connections N] "
	  "[--rules FILE]",
	  "the HTTP API (and dashboard) until SIGTERM or SIGINT",
	  "Serves the JSON API under /api/v1/ (docs/api.md; its OpenAPI "
	  "description at\n/api/v1/openapi.json) and the static files of "
	  "--web DIR at /. Listens on\n127.0.0.1:8080 unless told otherwise "
	  "(port 0: any free port, printed).\nEvery route but login needs a "
	  "user: create the first admin with 'cordon\nuser add'. SIGTERM or "
	  "SIGINT stops it: requests in flight finish first.\n"
	  "  --tls-cert/--tls-key  PEM files: serve HTTPS (GnuTLS)\n"
	  "  --threads N           event loops (default: one per core)\n"
	  "  --session-hours N     a session's lifetime (default 12)\n"
	  "  --idle-seconds N      idle time that ends a session (default "
	  "1800)\n"
	  "  --timeout S           close a connection idle S seconds "
	  "(default 30)\n"
	  "  --max-connections N   refuse connections over N (default 1000)"
	  "\n", cmd_serve },
	{ "user",
	  "user (add NAME --role ROLE [--unit CODE | --rid ID] [--unmask] | "
	  "passwd NAME |\n       disable NAME | enable NAME | unmask NAME "
	  "yes|no | list) [--by NAME] [--db PATH]",
	  "accounts of the HTTP API: roles, jurisdiction, passwords",
	  "Roles: admin, analyst, investigator, lab, grid, site, checkpoint, "
	  "supplies,\nresident. Every user but a resident is bound to a unit "
	  "(--unit; an admin or\nanalyst without one sees the whole "
	  "database); a resident to their own record\n(--rid). --unmask lets "
	  "the user see identity numbers and phones in full\n(each time is "
	  "audited). The password is read from standard input (twice,\n"
	  "without echo, on a terminal); at least 10 characters. passwd and "
	  "disable end\nthe user's sessions. Every change is in the audit "
	  "log. See docs/api.md.\n", cmd_user },
	{ "audit",
	  "audit [--user NAME] [--action A] [--target PREFIX] [--since T] "
	  "[--until T]\n       [--limit N] [--db PATH] [--json]",
	  "query the audit log of the HTTP API, newest first",
	  "Actions: login, login_failed, logout, read, change, unmask, "
	  "refused, user.\n--target takes a prefix, e.g. person:4304 or "
	  "case:430422-C0001. --since and\n--until take a date or a time; "
	  "--limit defaults to 100 (0: all). The log\nis append-only: no "
	  "one, an admin included, can change or delete a row.\n",
	  cmd_audit },
	{ "synth",
	  "synth (--db PATH | --csv DIR) [--people N] [--seed S] "
	  "[--start DATE] [--days N]",
	  "generate a synthetic county with 14 days of movements",
	  "A county shaped like Hengnan (衡南县, 430422): towns, villages, "
	  "hamlets,\nhouseholds, people with valid resident IDs, venues, grid "
	  "workers, and\ndays of venue scans, bus and rail rides and telecom "
	  "cell stays by daily\nroutine. The same seed and size give "
	  "byte-identical output. See docs/synth.md.\n"
	  "  --db PATH     build a new database (refuses an existing file)\n"
	  "  --csv DIR     write the CSV import formats into DIR instead\n"
	  "  --people N    head count (default 100000; 500 to 10000000)\n"
	  "  --seed S      random seed (default 20220330)\n"
	  "  --start DATE  first day of movements (default 2022-03-16)\n"
	  "  --days N      days of movements (default 14; 1 to 28)\n",
	  cmd_synth },
	{ "demo", "demo [--db PATH] [--people N] [--seed S]",
	  "build a synthetic county and play the reference scenario",
	  "Builds a new database (default cordon-demo.db; refuses an existing "
	  "file)\nwith `synth`, then tells the reference scenario of a "
	  "positive pooled test\nas far as cordon can today, step by step with "
	  "counts and timings. Steps\nthat need capabilities not built yet are "
	  "named, never simulated.\n"
	  "  --db PATH    database to build\n"
	  "  --people N   head count (default 100000)\n"
	  "  --seed S     random seed (default 20220330)\n", cmd_demo },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct cli_command *cli_find(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int cli_fail(enum cd_code code, const char *fmt, ...)
{
	va_list ap;
	fputs("cordon: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return cd_code_exit(code);
}

int cli_fail_err(const struct cd_err *err)
{
	return cli_fail(err->code, "%s",
			err->msg[0] ? err->msg : cd_code_message(err->code));
}

int cli_usage(const char *name)
{
	const struct cli_command *c = cli_find(name);
	fprintf(stderr, "usage: cordon %s\n", c ? c->usage : name);
	return cd_code_exit(CD_EUSAGE);
}

const char *cli_db_path(const char *opt)
{
	const char *env = getenv("CORDON_DB");
	return opt ? opt : env && *env ? env : "cordon.db";
}

void cli_when(const char *none, int64_t t, char *buf, size_t len)
{
	if (t)
		instant_format_cst(t, buf, len);
	else
		snprintf(buf, len, "%s", none);
}

const char *cli_iso(int64_t t, char *buf)
{
	if (!t)
		return NULL;
	instant_format_iso(t, buf, 32);
	return buf;
}

const char *cli_actor(const char *opt)
{
	const char *env = getenv("CORDON_ACTOR");
	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	struct passwd *pw = getpwuid(geteuid());
	return pw && pw->pw_name && *pw->pw_name ? pw->pw_name : "unknown";
}

int cli_open(const char *opt_db, unsigned flags, struct store **st)
{
	struct cd_err err;
	cd_err_clear(&err);
	if (store_open(cli_db_path(opt_db), flags, st, &err))
		return cli_fail_err(&err);
	return 0;
}

void cli_print_json(json_t *j)
{
	/* 15 significant digits, as the API writes them: 37.3 and a rate of
	 * 98.71 print as written, not as the nearest double's 17 digits. */
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
				      JSON_REAL_PRECISION(15));
	fputc('\n', stdout);
	json_decref(j);
}

struct table {
	int ncols;
	size_t nrows, alloc;
	char **cells;
};

struct table *table_new(int ncols)
{
	struct table *t = xcalloc(1, sizeof *t);
	t->ncols = ncols;
	return t;
}

void table_add(struct table *t, const char *const *cells)
{
	size_t need = (t->nrows + 1) * (size_t)t->ncols;
	t->cells = xgrow(t->cells, sizeof *t->cells, need, &t->alloc);
	for (int i = 0; i < t->ncols; i++)
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] =
			xstrdup(cells[i] ? cells[i] : "");
	t->nrows++;
}

void table_print(struct table *t, FILE *out, unsigned right)
{
	size_t *w = xcalloc((size_t)t->ncols, sizeof *w);
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			size_t cw = utf8_width(t->cells[r * (size_t)t->ncols +
							(size_t)c]);
			if (cw > w[c])
				w[c] = cw;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		struct strbuf line = STRBUF_INIT;
		for (int c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * (size_t)t->ncols +
						 (size_t)c];
			size_t pad = w[c] - utf8_width(s);
			int last = c == t->ncols - 1;
			if (right & (1u << c))
				for (size_t i = 0; i < pad; i++)
					strbuf_addch(&line, ' ');
			strbuf_addstr(&line, s);
			if (!(right & (1u << c)) && !last)
				for (size_t i = 0; i < pad; i++)
					strbuf_addch(&line, ' ');
			if (!last)
				strbuf_addstr(&line, "  ");
		}
		while (line.len && line.buf[line.len - 1] == ' ')
			line.buf[--line.len] = '\0';
		fprintf(out, "%s\n", line.buf);
		strbuf_release(&line);
	}
	free(w);
	table_free(t);
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
