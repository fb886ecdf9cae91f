/* cmd_round.c — `cordon round start|status|missing|close CODE`: area
 * testing rounds (docs/rounds.md). Options are parsed here, not in
 * opts.c: they belong to this command. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rounds_run.h"
#include "app/rules_file.h"
#include "app/zones_run.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/banned.h"

enum { R_DB, R_JSON, R_UNMASKED, R_UNITS, R_START, R_HOURS, R_ZONE, R_RULES,
       R_HELP, R_COUNT };

struct round_args {
	unsigned given;
	const char *arg[R_COUNT];
	int first;              /* index of the first operand */
};

static const struct option longopts[] = {
	{ "db", required_argument, NULL, 256 + R_DB },
	{ "json", no_argument, NULL, 256 + R_JSON },
	{ "unmasked", no_argument, NULL, 256 + R_UNMASKED },
	{ "units", required_argument, NULL, 256 + R_UNITS },
	{ "start", required_argument, NULL, 256 + R_START },
	{ "hours", required_argument, NULL, 256 + R_HOURS },
	{ "zone", required_argument, NULL, 256 + R_ZONE },
	{ "rules", required_argument, NULL, 256 + R_RULES },
	{ "help", no_argument, NULL, 256 + R_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Parse argv (argv[0] the command); -1 after printing why. */
static int parse_args(int argc, char **argv, struct round_args *a)
{
	memset(a, 0, sizeof *a);
	a->first = cli_parse_indexed(argc, argv, longopts, R_COUNT, R_HELP,
				     ~0u, &a->given, a->arg);
	return a->first < 0 ? -1 : 0;
}

static bool has(const struct round_args *a, int opt)
{
	return (a->given & (1u << opt)) != 0;
}

/* Refuse options the subcommand does not take (a bit per R_*). */
static int only(const struct round_args *a, unsigned allowed)
{
	return cli_only(a->given, allowed | 1u << R_DB | 1u << R_HELP,
			longopts, R_COUNT);
}

/* ---- start */

static int start_inputs(const struct round_args *a, int64_t *start,
			int *hours)
{
	*start = cd_now();
	*hours = 24;
	if (has(a, R_UNITS) == has(a, R_ZONE))
		return cli_fail(CD_EUSAGE, "round start needs --units or "
				"--zone (one of them)");
	if (has(a, R_START) && !instant_parse(a->arg[R_START], start))
		return cli_fail(CD_EINVAL, "--start: '%s' is not a time "
				"(YYYY-MM-DDTHH:MM[:SS][+08:00])",
				a->arg[R_START]);
	if (has(a, R_HOURS)) {
		char *end;
		long h = strtol(a->arg[R_HOURS], &end, 10);
		if (*end || end == a->arg[R_HOURS] || h < -1000 || h > 168)
			return cli_fail(CD_EINVAL, "--hours: '%s' is not a "
					"number of hours up to 168 (24 for a "
					"sealed zone, 48 for a controlled one)",
					a->arg[R_HOURS]);
		*hours = (int)h;
	}
	return 0;
}

/* --zone Z: the zone's units into buf and, without --hours, the
 * profile's hours for its level. */
static enum cd_code zone_targets(struct store *st, const struct round_args *a,
				 char *buf, size_t len, int *hours,
				 struct cd_err *err)
{
	int64_t zone;
	enum zone_level level;
	struct rules_eff eff;
	enum cd_code c = zones_parse_id(a->arg[R_ZONE], 'Z', &zone, err);
	if (!c)
		c = zones_round_units(st, zone, buf, len, &level, err);
	if (!c && !has(a, R_HOURS) &&
	    !(c = rules_file_load(a->arg[R_RULES], NULL, &eff, err)))
		*hours = level == ZONE_SEALED ? eff.r.zones.sealed_round_hours
					      : eff.r.zones.controlled_round_hours;
	return c;
}

static int round_start(const struct round_args *a, const char *code)
{
	struct store *st;
	struct store_round r;
	struct cd_err err;
	int64_t start;
	char units[ROUNDS_UNITS_MAX * UNIT_CODE_MAX];
	int hours, rc = start_inputs(a, &start, &hours);
	if (rc || (rc = cli_open(a->arg[R_DB], STORE_WRITE, &st)))
		return rc;
	cd_err_clear(&err);
	snprintf(units, sizeof units, "%s",
		 has(a, R_UNITS) ? a->arg[R_UNITS] : "");
	enum cd_code code_ = has(a, R_ZONE) ? zone_targets(st, a, units,
							   sizeof units,
							   &hours, &err)
					    : CD_OK;
	if (!code_)
		code_ = rounds_start(st, code, units, start, hours, &r, &err);
	store_close(st);
	if (code_)
		return cli_fail_err(&err);
	char s[32], d[32];
	if (has(a, R_JSON)) {
		cli_print_json(json_pack("{s:s, s:s, s:s, s:s, s:i, s:I}",
					 "round", r.code, "units",
					 units, "start",
					 cli_iso(r.start, s), "deadline",
					 cli_iso(r.deadline, d), "hours", hours,
					 "targets", (json_int_t)r.targets));
		return 0;
	}
	cli_when("", r.start, s, sizeof s);
	cli_when("", r.deadline, d, sizeof d);
	printf("round %s started over %s: from %s, deadline %s (%d h)\n",
	       r.code, units, s, d, hours);
	return 0;
}

/* ---- status */

static void pct(long sampled, long expected, char *buf, size_t len)
{
	double p = rounds_percent(sampled, expected);
	if (p < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", p);
}

static json_t *line_json(const struct rounds_line *l, bool hamlet)
{
	double p = rounds_percent(l->sampled, l->expected);
	return json_pack("{s:s, s:s, s:s*, s:I, s:I, s:I, s:o}", "unit",
			 l->code, "name", l->name, "target",
			 hamlet ? l->target : NULL, "expected",
			 (json_int_t)l->expected, "sampled",
			 (json_int_t)l->sampled, "missing",
			 (json_int_t)(l->expected - l->sampled), "percent",
			 p < 0 ? json_null() : json_real(p));
}

static void status_json(const struct rounds_status *s)
{
	char a[32], b[32], c[32];
	json_t *t = json_array(), *h = json_array();
	for (size_t i = 0; i < s->ntargets; i++)
		json_array_append_new(t, line_json(&s->targets[i], false));
	for (size_t i = 0; i < s->nhamlets; i++)
		json_array_append_new(h, line_json(&s->hamlets[i], true));
	struct rounds_line all = { .expected = s->expected,
				   .sampled = s->sampled };
	json_t *o = line_json(&all, false);
	cli_print_json(json_pack(
		"{s:s, s:s, s:s, s:s?, s:b, s:o, s:o, s:o}", "round",
		s->r.code, "start", cli_iso(s->r.start, a), "deadline",
		cli_iso(s->r.deadline, b), "closed_at", cli_iso(s->r.closed_at, c),
		"past_deadline", s->past, "overall", o, "units", t, "grids",
		h));
}

static void lines_text(const char *head, const struct rounds_line *l,
		       size_t n)
{
	struct table *t = table_new(6);
	const char *h[] = { head, "NAME", "EXPECTED", "SAMPLED", "MISSING",
			    "PERCENT" };
	table_add(t, h);
	for (size_t i = 0; i < n; i++) {
		char e[24], s[24], m[24], p[16];
		snprintf(e, sizeof e, "%ld", l[i].expected);
		snprintf(s, sizeof s, "%ld", l[i].sampled);
		snprintf(m, sizeof m, "%ld", l[i].expected - l[i].sampled);
		pct(l[i].sampled, l[i].expected, p, sizeof p);
		const char *row[] = { l[i].code, l[i].name, e, s, m, p };
		table_add(t, row);
	}
	printf("\n");
	table_print(t, stdout, 0x3c);
}

static void status_text(const struct rounds_status *s)
{
	char a[32], b[32], c[32], p[16], state[64];
	cli_when("", s->r.start, a, sizeof a);
	cli_when("", s->r.deadline, b, sizeof b);
	cli_when("", s->r.closed_at, c, sizeof c);
	if (s->r.closed_at)
		snprintf(state, sizeof state, "closed at %s", c);
	else
		snprintf(state, sizeof state, "%s", s->past ? "past deadline"
							     : "open");
	printf("round %s from %s, deadline %s: %s\n", s->r.code, a, b,
	       state);
	pct(s->sampled, s->expected, p, sizeof p);
	printf("overall: expected %ld, sampled %ld, missing %ld (%s %%)\n",
	       s->expected, s->sampled, s->expected - s->sampled, p);
	lines_text("UNIT", s->targets, s->ntargets);
	lines_text("GRID", s->hamlets, s->nhamlets);
}

static int round_status(const struct round_args *a, const char *code)
{
	struct store *st;
	struct rounds_status s;
	struct cd_err err;
	int rc = cli_open(a->arg[R_DB], 0, &st);
	if (rc)
		return rc;
	cd_err_clear(&err);
	enum cd_code c = rounds_status_get(st, code, cd_now(), &s, &err);
	store_close(st);
	if (c)
		rc = cli_fail_err(&err);
	else if (has(a, R_JSON))
		status_json(&s);
	else
		status_text(&s);
	rounds_status_release(&s);
	return rc;
}

/* ---- missing */

static bool new_group(const struct store_round_missing *m, size_t i)
{
	return i == 0 || strcmp(m[i].worker_phone, m[i - 1].worker_phone);
}

static json_t *missing_json1(const struct store_round_missing *m,
			     bool unmasked)
{
	char id[RID_LEN + 1];
	if (unmasked)
		snprintf(id, sizeof id, "%s", m->rid);
	else
		rid_mask(m->rid, id);
	return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s}", "resident_id",
			 id, "name", m->name, "phone",
			 m->phone[0] ? m->phone : NULL, "hamlet", m->hamlet,
			 "hamlet_name", m->hamlet_name, "household",
			 m->household);
}

static void missing_json(const struct store_round *r,
			 const struct store_round_missing *m, size_t n,
			 bool unmasked)
{
	char b[32];
	json_t *groups = json_array(), *mem = NULL;
	for (size_t i = 0; i < n; i++) {
		if (new_group(m, i)) {
			bool w = m[i].worker_phone[0] != '\0';
			mem = json_array();
			json_array_append_new(groups, json_pack(
				"{s:s?, s:s?, s:o}", "worker",
				w ? m[i].worker_name : NULL, "phone",
				w ? m[i].worker_phone : NULL, "missing", mem));
		}
		json_array_append_new(mem, missing_json1(&m[i], unmasked));
	}
	cli_print_json(json_pack("{s:s, s:s, s:o}", "round", r->code,
				 "deadline", cli_iso(r->deadline, b), "workers",
				 groups));
}

static void missing_text(const struct store_round *r,
			 const struct store_round_missing *m, size_t n,
			 bool unmasked)
{
	struct table *t = NULL;
	printf("round %s: residents not yet sampled, per grid worker\n",
	       r->code);
	for (size_t i = 0; i < n; i++) {
		if (new_group(m, i)) {
			if (t)
				table_print(t, stdout, 0);
			if (m[i].worker_phone[0])
				printf("\ngrid worker %s %s\n",
				       m[i].worker_name, m[i].worker_phone);
			else
				printf("\nno grid worker for these hamlets\n");
			t = table_new(5);
			const char *head[] = { "NAME", "RESIDENT ID", "PHONE",
					       "HAMLET", "HOUSEHOLD" };
			table_add(t, head);
		}
		char id[RID_LEN + 1], hamlet[160];
		if (unmasked)
			snprintf(id, sizeof id, "%s", m[i].rid);
		else
			rid_mask(m[i].rid, id);
		snprintf(hamlet, sizeof hamlet, "%s %s", m[i].hamlet_name,
			 m[i].hamlet);
		const char *row[] = { m[i].name, id, m[i].phone, hamlet,
				      m[i].household };
		table_add(t, row);
	}
	if (t)
		table_print(t, stdout, 0);
	else
		printf("nobody: every expected resident is sampled\n");
}

static int round_missing(const struct round_args *a, const char *code)
{
	struct store *st;
	struct store_round r;
	struct store_round_missing *m = NULL;
	struct cd_err err;
	size_t n = 0;
	int rc = cli_open(a->arg[R_DB], 0, &st);
	if (rc)
		return rc;
	cd_err_clear(&err);
	enum cd_code c = rounds_missing_get(st, code, &r, &m, &n, &err);
	store_close(st);
	if (c)
		rc = cli_fail_err(&err);
	else if (has(a, R_JSON))
		missing_json(&r, m, n, has(a, R_UNMASKED));
	else
		missing_text(&r, m, n, has(a, R_UNMASKED));
	free(m);
	return rc;
}

/* ---- close */

static void close_json(const struct rounds_outcome *o)
{
	char b[32];
	json_t *pos = json_array();
	for (size_t i = 0; i < o->npos; i++)
		json_array_append_new(pos, json_pack(
			"{s:s, s:i, s:I}", "tube", o->pos[i].tube, "pool_size",
			o->pos[i].pool_size, "members",
			(json_int_t)o->pos[i].members));
	bool neg = !o->res.positive && !o->res.invalid && !o->res.pending;
	cli_print_json(json_pack(
		"{s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:o}", "round",
		o->r.code, "closed_at", cli_iso(o->r.closed_at, b),
		"all_negative", neg && o->res.tubes > 0, "tubes",
		(json_int_t)o->res.tubes, "negative",
		(json_int_t)o->res.negative, "positive",
		(json_int_t)o->res.positive, "invalid",
		(json_int_t)o->res.invalid, "without_result",
		(json_int_t)o->res.pending, "positive_pools", pos));
}

static void close_text(const struct rounds_outcome *o)
{
	char b[32];
	const struct store_round_result *r = &o->res;
	cli_when("", o->r.closed_at, b, sizeof b);
	printf("round %s closed at %s: %ld tubes, %ld negative, %ld "
	       "positive, %ld invalid, %ld without result\n", o->r.code, b,
	       r->tubes, r->negative, r->positive, r->invalid, r->pending);
	if (r->tubes && r->negative == r->tubes)
		printf("result: all negative\n");
	else if (!r->tubes)
		printf("result: no tubes in this round\n");
	for (size_t i = 0; i < o->npos; i++)
		printf("positive: %s (%d-in-1, %ld members)\n", o->pos[i].tube,
		       o->pos[i].pool_size, o->pos[i].members);
	if (r->pending)
		printf("still without result: %ld tubes\n", r->pending);
}

static int round_close(const struct round_args *a, const char *code)
{
	struct store *st;
	struct rounds_outcome o;
	struct cd_err err;
	int rc = cli_open(a->arg[R_DB], STORE_WRITE, &st);
	if (rc)
		return rc;
	cd_err_clear(&err);
	enum cd_code c = rounds_close(st, code, cd_now(), &o, &err);
	store_close(st);
	if (c)
		rc = cli_fail_err(&err);
	else if (has(a, R_JSON))
		close_json(&o);
	else
		close_text(&o);
	rounds_outcome_release(&o);
	return rc;
}

/* See cli.h. */
int cmd_round(int argc, char **argv)
{
	struct round_args a;
	if (parse_args(argc, argv, &a))
		return cd_code_exit(CD_EUSAGE);
	if (has(&a, R_HELP) || argc - a.first != 2)
		return cli_usage("round");
	const char *sub = argv[a.first], *code = argv[a.first + 1];
	unsigned start = 1u << R_JSON | 1u << R_UNITS | 1u << R_START |
			 1u << R_HOURS | 1u << R_ZONE | 1u << R_RULES;
	if (strcmp(sub, "start") == 0)
		return only(&a, start) ? cd_code_exit(CD_EUSAGE)
				       : round_start(&a, code);
	if (strcmp(sub, "status") == 0)
		return only(&a, 1u << R_JSON) ? cd_code_exit(CD_EUSAGE)
					      : round_status(&a, code);
	if (strcmp(sub, "missing") == 0)
		return only(&a, 1u << R_JSON | 1u << R_UNMASKED)
			       ? cd_code_exit(CD_EUSAGE)
			       : round_missing(&a, code);
	if (strcmp(sub, "close") == 0)
		return only(&a, 1u << R_JSON) ? cd_code_exit(CD_EUSAGE)
					      : round_close(&a, code);
	return cli_usage("round");
}
