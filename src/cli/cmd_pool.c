/* cmd_pool.c — `cordon pool show|recall TUBE` and `cordon certificate ID`:
 * a tube with its members, controls and their resolution; the recall list
 * per grid worker of a positive pool; a person's negative certificate.
 * Options are parsed here, not in opts.c: they belong to these commands. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/json_views.h"
#include "app/rules_file.h"
#include "app/testing_import.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

enum { P_DB, P_JSON, P_UNMASKED, P_AT, P_RULES, P_HELP, P_COUNT };

struct pool_args {
	unsigned given;
	const char *arg[P_COUNT];
	int first;              /* index of the first operand */
};

static const struct option longopts[] = {
	{ "db", required_argument, NULL, 256 + P_DB },
	{ "json", no_argument, NULL, 256 + P_JSON },
	{ "unmasked", no_argument, NULL, 256 + P_UNMASKED },
	{ "at", required_argument, NULL, 256 + P_AT },
	{ "rules", required_argument, NULL, 256 + P_RULES },
	{ "help", no_argument, NULL, 256 + P_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Parse argv (argv[0] the command) allowing the options in mask (a bit
 * per P_*); -1 after printing why. */
static int parse_args(int argc, char **argv, unsigned mask,
		      struct pool_args *a)
{
	memset(a, 0, sizeof *a);
	a->first = cli_parse_indexed(argc, argv, longopts, P_COUNT, P_HELP,
				     mask | 1u << P_DB | 1u << P_HELP,
				     &a->given, a->arg);
	return a->first < 0 ? -1 : 0;
}

static bool has(const struct pool_args *a, int opt)
{
	return (a->given & (1u << opt)) != 0;
}

static void shown_id(const char *rid, bool unmasked, char *out)
{
	if (unmasked)
		snprintf(out, RID_LEN + 1, "%s", rid);
	else
		rid_mask(rid, out);
}

/* ---- pool show */

/* Open the database read-only and read the tube and its members. */
static int load_pool(const struct pool_args *a, const char *tube,
		     struct store_sample *s, struct testing_pool_members *ms,
		     struct testing_worker **w, size_t *nw)
{
	struct store *st;
	struct cd_err err;
	cd_err_clear(&err);
	int rc = cli_open(a->arg[P_DB], 0, &st);
	if (rc)
		return rc;
	enum cd_code code = testing_pool_load(st, tube, s, ms, &err);
	if (!code && w)
		code = store_pool_workers(st, s->id, w, nw, &err);
	store_close(st);
	return code ? cli_fail_err(&err) : 0;
}

static json_t *member_json(const struct store_pool_member *m, bool unmasked)
{
	char id[RID_LEN + 1], a[32], b[32];
	shown_id(m->m.rid, unmasked, id);
	json_t *ctl = json_null();
	if (m->controlled)
		ctl = json_pack("{s:s, s:s?, s:s, s:s?}", "since",
				cli_iso(m->c.since, a), "resolved_at",
				cli_iso(m->c.resolved_at, b), "state",
				testing_member_control(m), "case",
				m->case_number[0] ? m->case_number : NULL);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "resident_id",
			 id, "name", m->m.name, "hamlet", m->m.hamlet,
			 "hamlet_name", m->m.hamlet_name, "household",
			 m->m.household, "control", ctl, "retest",
			 json_view_testing_retest(m));
}

static void show_json(const struct store_sample *s,
		      const struct testing_pool_members *ms, bool unmasked)
{
	char a[32];
	size_t open = 0;
	enum testing_pool_state st = testing_pool_members_state(s, ms, &open);
	json_t *arr = json_array();
	for (size_t i = 0; i < ms->n; i++)
		json_array_append_new(arr, member_json(&ms->m[i], unmasked));
	cli_print_json(json_pack(
		"{s:s, s:i, s:s, s:s, s:s?, s:s?, s:o, s:s, s:I, s:o}", "tube",
		s->t.tube, "pool_size", s->t.pool_size, "point", s->t.point,
		"sampled_at", cli_iso(s->t.sampled_at, a), "round",
		s->t.round[0] ? s->t.round : NULL, "retest_of",
		s->t.retest_of[0] ? s->t.retest_of : NULL, "result",
		json_view_testing_result(s),
		"state", testing_pool_state_name(st), "open_controls",
		(json_int_t)open, "members", arr));
}

static void show_head(const struct store_sample *s,
		      const struct testing_pool_members *ms)
{
	char size[48], sampled[24], result[200], state[96], at[24];
	size_t open = 0;
	enum testing_pool_state st = testing_pool_members_state(s, ms, &open);
	if (s->t.pool_size > 1)
		snprintf(size, sizeof size, "%d-in-1 (%d混1)", s->t.pool_size,
			 s->t.pool_size);
	else
		snprintf(size, sizeof size, "single tube (单采)");
	cli_when("", s->t.sampled_at, sampled, sizeof sampled);
	cli_when("", s->r.result_at, at, sizeof at);
	if (s->r.result)
		snprintf(result, sizeof result, "%s %s (%s, %s)",
			 testing_result_name(s->r.result),
			 testing_result_zh(s->r.result), s->r.lab, at);
	else
		snprintf(result, sizeof result, "none yet");
	if (st == TESTING_POOL_CONTROLLED || st == TESTING_POOL_RESOLVED)
		snprintf(state, sizeof state, "%s: %zu of %zu members still "
			 "controlled in place", testing_pool_state_name(st),
			 open, ms->n);
	else
		snprintf(state, sizeof state, "%s",
			 testing_pool_state_name(st));
	const char *rows[][2] = {
		{ "tube", s->t.tube }, { "pool", size },
		{ "point", s->t.point }, { "sampled", sampled },
		{ "round", s->t.round }, { "retest of", s->t.retest_of },
		{ "result", result }, { "state", state },
	};
	struct table *t = table_new(2);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		table_add(t, rows[i]);
	table_print(t, stdout, 0);
}

static void show_text(const struct store_sample *s,
		      const struct testing_pool_members *ms,
		      bool unmasked)
{
	show_head(s, ms);
	struct table *t = table_new(8);
	const char *head[] = { "NAME", "RESIDENT ID", "HOUSEHOLD", "CONTROL",
			       "SINCE", "RESOLVED", "RE-SAMPLE", "CASE" };
	table_add(t, head);
	for (size_t i = 0; i < ms->n; i++) {
		const struct store_pool_member *m = &ms->m[i];
		char id[RID_LEN + 1], a[24], b[24], re[64];
		shown_id(m->m.rid, unmasked, id);
		cli_when("", m->controlled ? m->c.since : 0, a, sizeof a);
		cli_when("", m->c.resolved_at, b, sizeof b);
		snprintf(re, sizeof re, "%s%s%s%s", m->retest,
			 m->retest[0] ? " (" : "",
			 m->retest[0] ? (m->retest_result ? testing_result_name(
				 m->retest_result) : "waiting") : "",
			 m->retest[0] ? ")" : "");
		const char *row[] = { m->m.name, id, m->m.household,
				      testing_member_control(m), a, b, re,
				      m->case_number };
		table_add(t, row);
	}
	printf("\n");
	table_print(t, stdout, 0);
}

static int pool_show(const struct pool_args *a, const char *tube)
{
	struct store_sample s;
	struct testing_pool_members ms = { NULL, 0, 0 };
	int rc = load_pool(a, tube, &s, &ms, NULL, NULL);
	if (!rc) {
		if (has(a, P_JSON))
			show_json(&s, &ms, has(a, P_UNMASKED));
		else
			show_text(&s, &ms, has(a, P_UNMASKED));
	}
	free(ms.m);
	return rc;
}

/* ---- pool recall */

/* Members still controlled, as recall members; the caller frees. */
static size_t open_members(const struct testing_pool_members *ms,
			   struct testing_recall_member **out)
{
	size_t n = 0;
	*out = xcalloc(ms->n ? ms->n : 1, sizeof **out);
	for (size_t i = 0; i < ms->n; i++)
		if (ms->m[i].controlled && ms->m[i].c.outcome == TESTING_NONE)
			(*out)[n++] = ms->m[i].m;
	return n;
}

static json_t *recall_member_json(const struct testing_recall_member *m,
				  bool unmasked)
{
	char id[RID_LEN + 1];
	shown_id(m->rid, unmasked, id);
	return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s}", "name", m->name,
			 "resident_id", id, "phone", m->phone[0] ? m->phone
							     : NULL,
			 "hamlet", m->hamlet, "hamlet_name", m->hamlet_name,
			 "household", m->household);
}

static void recall_json(const struct store_sample *s,
			const struct testing_recall_line *l, size_t n,
			size_t open, bool unmasked)
{
	char b[32];
	json_t *groups = json_array(), *g, *mem = NULL;
	for (size_t i = 0; i < n; i++) {
		if (testing_recall_new_group(l, i)) {
			mem = json_array();
			g = json_pack("{s:s?, s:s?, s:o}", "worker",
				      l[i].worker ? l[i].worker->name : NULL,
				      "phone", l[i].worker ? l[i].worker->phone
							   : NULL,
				      "members", mem);
			json_array_append_new(groups, g);
		}
		json_array_append_new(mem, recall_member_json(l[i].member,
							      unmasked));
	}
	cli_print_json(json_pack("{s:s, s:i, s:s, s:I, s:o}", "pool",
				 s->t.tube, "pool_size", s->t.pool_size,
				 "result_at", cli_iso(s->r.result_at, b), "open",
				 (json_int_t)open, "workers", groups));
}

static void recall_text(const struct store_sample *s,
			const struct testing_recall_line *l, size_t n,
			size_t open, bool unmasked)
{
	char at[24];
	struct table *t = NULL;
	cli_when("", s->r.result_at, at, sizeof at);
	printf("pool %s (%d-in-1) positive at %s: %zu member%s to re-sample "
	       "in single tubes\n", s->t.tube, s->t.pool_size, at, open,
	       open == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		if (testing_recall_new_group(l, i)) {
			if (t)
				table_print(t, stdout, 0);
			if (l[i].worker)
				printf("\ngrid worker %s %s\n",
				       l[i].worker->name, l[i].worker->phone);
			else
				printf("\nno grid worker for these hamlets\n");
			t = table_new(5);
			const char *head[] = { "NAME", "RESIDENT ID", "PHONE",
					       "HAMLET", "HOUSEHOLD" };
			table_add(t, head);
		}
		const struct testing_recall_member *m = l[i].member;
		char id[RID_LEN + 1], hamlet[160];
		shown_id(m->rid, unmasked, id);
		snprintf(hamlet, sizeof hamlet, "%s %s", m->hamlet_name,
			 m->hamlet);
		const char *row[] = { m->name, id, m->phone, hamlet,
				      m->household };
		table_add(t, row);
	}
	if (t)
		table_print(t, stdout, 0);
}

static int pool_recall(const struct pool_args *a, const char *tube)
{
	struct store_sample s;
	struct testing_pool_members ms = { NULL, 0, 0 };
	struct testing_worker *w = NULL;
	struct testing_recall_member *open = NULL;
	struct testing_recall_line *l = NULL;
	size_t nw = 0;
	int rc = load_pool(a, tube, &s, &ms, &w, &nw);
	if (rc)
		goto cleanup;
	if (s.t.pool_size == 1 || s.r.result != TESTING_POSITIVE) {
		rc = cli_fail(CD_ERULE, "tube %s is not a positive pool: "
			      "there is nobody to recall", tube);
		goto cleanup;
	}
	size_t nopen = open_members(&ms, &open);
	size_t n = testing_recall_group(open, nopen, w, nw, &l);
	if (has(a, P_JSON))
		recall_json(&s, l, n, nopen, has(a, P_UNMASKED));
	else
		recall_text(&s, l, n, nopen, has(a, P_UNMASKED));
cleanup:
	free(l);
	free(open);
	free(w);
	free(ms.m);
	return rc;
}

/* See cli.h. */
int cmd_pool(int argc, char **argv)
{
	struct pool_args a;
	if (parse_args(argc, argv, 1u << P_JSON | 1u << P_UNMASKED, &a))
		return cd_code_exit(CD_EUSAGE);
	if (has(&a, P_HELP) || argc - a.first != 2)
		return cli_usage("pool");
	if (strcmp(argv[a.first], "show") == 0)
		return pool_show(&a, argv[a.first + 1]);
	if (strcmp(argv[a.first], "recall") == 0)
		return pool_recall(&a, argv[a.first + 1]);
	return cli_usage("pool");
}

/* ---- certificate */

static void cert_json(const char *id, const char *name,
		      const struct testing_cert *c)
{
	char a[32];
	cli_print_json(json_pack(
		"{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "resident_id", id,
		"name", name, "at", cli_iso(c->at, a), "latest_negative",
		c->has_negative ? json_view_testing_hist(&c->negative)
				: json_null(),
		"age_seconds", c->has_negative ? json_integer(c->age)
					       : json_null(),
		"superseded_by", c->superseded
					 ? json_view_testing_hist(&c->positive)
					 : json_null(),
		"windows", json_view_testing_windows(c)));
}

static void cert_text(const char *id, const char *name,
		      const struct testing_cert *c)
{
	char at[24], neg[200], sup[160], a[24], b[24], label[8][24];
	cli_when("", c->at, at, sizeof at);
	snprintf(neg, sizeof neg, "none");
	sup[0] = '\0';
	if (c->has_negative) {
		cli_when("", c->negative.sampled_at, a, sizeof a);
		cli_when("", c->negative.result_at, b, sizeof b);
		snprintf(neg, sizeof neg, "tube %s sampled %s (%lld h %02lld "
			 "min before), result %s", c->negative.tube, a,
			 (long long)(c->age / 3600),
			 (long long)(c->age % 3600 / 60), b);
	}
	if (c->superseded) {
		cli_when("", c->positive.sampled_at, a, sizeof a);
		snprintf(sup, sizeof sup, "positive tube %s sampled %s",
			 c->positive.tube, a);
	}
	struct table *t = table_new(2);
	const char *head[][2] = { { "resident ID", id }, { "name", name },
				  { "at", at }, { "latest negative", neg },
				  { "superseded by", sup } };
	for (size_t i = 0; i < 5; i++)
		if (i != 4 || c->superseded)
			table_add(t, head[i]);
	for (int i = 0; i < c->n && i < 8; i++) {
		snprintf(label[i], sizeof label[i], "within %d h",
			 c->hours[i]);
		const char *row[] = { label[i], c->within[i] ? "yes" : "no" };
		table_add(t, row);
	}
	table_print(t, stdout, 0);
}

/* Parse the certificate's operand and options. */
static int cert_inputs(const struct pool_args *a, const char *arg,
		       struct rid *id, int64_t *at, struct rules_eff *eff)
{
	struct cd_err err;
	cd_err_clear(&err);
	if (rid_parse(arg, cd_today_cst(), id, &err))
		return cli_fail(CD_EINVAL, "resident ID '%s': %s", arg,
				err.msg);
	*at = cd_now();
	if (has(a, P_AT) && !instant_parse(a->arg[P_AT], at))
		return cli_fail(CD_EINVAL, "--at: '%s' is not a time "
				"(YYYY-MM-DDTHH:MM[:SS][+08:00])",
				a->arg[P_AT]);
	if (rules_file_load(a->arg[P_RULES], NULL, eff, &err))
		return cli_fail_err(&err);
	return 0;
}

/* See cli.h. */
int cmd_certificate(int argc, char **argv)
{
	struct pool_args a;
	struct rid id;
	struct rules_eff eff;
	struct testing_cert c;
	struct person_view v;
	struct store *st;
	struct cd_err err;
	int64_t at;
	if (parse_args(argc, argv, 1u << P_JSON | 1u << P_UNMASKED |
					   1u << P_AT | 1u << P_RULES, &a))
		return cd_code_exit(CD_EUSAGE);
	if (has(&a, P_HELP) || argc - a.first != 1)
		return cli_usage("certificate");
	int rc = cert_inputs(&a, argv[a.first], &id, &at, &eff);
	if (rc || (rc = cli_open(a.arg[P_DB], 0, &st)))
		return rc;
	cd_err_clear(&err);
	enum cd_code code = testing_certificate_get(
		st, id.id, at, eff.r.checkpoint.cert_hours, &c, &err);
	if (!code)
		code = store_person_get(st, id.id, &v, &err);
	store_close(st);
	if (code)
		return cli_fail_err(&err);
	char shown[RID_LEN + 1];
	shown_id(id.id, has(&a, P_UNMASKED), shown);
	if (has(&a, P_JSON))
		cert_json(shown, v.p.name, &c);
	else
		cert_text(shown, v.p.name, &c);
	return 0;
}
