/* cmd_trace.c — `cordon trace`, `cordon chain`, `cordon contact`. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rules_file.h"
#include "app/trace_run.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/synth_common.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

static void when(int64_t t, char *buf, size_t len)
{
	char full[24];
	instant_format_cst(t, full, sizeof full);
	snprintf(buf, len, "%.16s", full);
}

static json_t *report_json(const struct trace_report *r)
{
	char a[24], b[24];
	when(r->from, a, sizeof a);
	when(r->to, b, sizeof b);
	return json_pack(
		"{s:s, s:s, s:s, s:{s:I, s:I, s:I, s:I}, s:I,"
		" s:{s:I, s:I, s:I, s:I}, s:f, s:f}",
		"case", r->number, "from", a, "to", b, "contacts",
		"close", (json_int_t)r->counts[CAT_CLOSE], "secondary",
		(json_int_t)r->counts[CAT_SECONDARY], "companion",
		(json_int_t)r->counts[CAT_COMPANION], "general",
		(json_int_t)r->counts[CAT_GENERAL], "linked_cases",
		(json_int_t)r->linked_cases, "change", "added",
		(json_int_t)r->diff.added, "changed",
		(json_int_t)r->diff.changed, "removed",
		(json_int_t)r->diff.removed, "unchanged",
		(json_int_t)r->diff.unchanged, "trace_ms", r->trace_ms,
		"save_ms", r->save_ms);
}

static void report_row(struct table *t, const struct trace_report *r)
{
	char c[5][24], ch[48], ms[32];
	for (int k = 0; k < CAT_COUNT; k++)
		fmt_count((long)r->counts[k], c[k], sizeof c[k]);
	snprintf(c[4], sizeof c[4], "%ld", r->linked_cases);
	snprintf(ch, sizeof ch, "+%ld ~%ld -%ld", r->diff.added,
		 r->diff.changed, r->diff.removed);
	snprintf(ms, sizeof ms, "%.2f", r->trace_ms);
	const char *row[] = { r->number, c[0], c[1], c[2], c[3], c[4], ch,
			      ms };
	table_add(t, row);
}

int cmd_trace(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv, OPT_DB | OPT_JSON | OPT_RULES, &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	if (o.help || i == argc)
		return cli_usage("trace");
	struct rules_eff eff;
	struct cd_err err;
	cd_err_clear(&err);
	if (rules_file_load(o.rules, NULL, &eff, &err))
		return cli_fail_err(&err);
	struct store *st;
	int rc = cli_open(o.db, STORE_WRITE, &st);
	if (rc)
		return rc;
	struct trace_session *s;
	if (trace_session_open(st, &eff.r, cd_now(), &s, &err)) {
		store_close(st);
		return cli_fail_err(&err);
	}
	json_t *arr = o.json ? json_array() : NULL;
	struct table *t = o.json ? NULL : table_new(8);
	const char *head[] = { "CASE", "CLOSE", "SECONDARY", "COMPANIONS",
			       "GENERAL", "CASES", "CHANGE", "MS" };
	if (t)
		table_add(t, head);
	for (; i < argc && !rc; i++) {
		struct trace_report r;
		if (trace_session_case(s, argv[i], 1, &r, NULL, &err)) {
			rc = cli_fail_err(&err);
			break;
		}
		if (arr)
			json_array_append_new(arr, report_json(&r));
		else
			report_row(t, &r);
	}
	trace_session_free(s);
	store_close(st);
	if (rc) {
		json_decref(arr);
		table_free(t);
		return rc;
	}
	if (arr) {
		cli_print_json(arr);
	} else {
		table_print(t, stdout, 0xfe);
		printf("profile %s; CHANGE: +new ~changed -gone since the last "
		       "trace; MS: tracing time\n", eff.r.profile);
	}
	return 0;
}

/* ---- chain */

struct chain {
	struct store_contact *c;
	size_t n, alloc;
	int unmasked;
};

static enum cd_code keep(void *ctx, const struct store_contact *c)
{
	struct chain *ch = ctx;
	ch->c = xgrow(ch->c, sizeof *ch->c, ch->n + 1, &ch->alloc);
	ch->c[ch->n++] = *c;
	return CD_OK;
}

static void shown_id(const char *rid, int unmasked, char *out)
{
	if (unmasked)
		snprintf(out, RID_LEN + 1, "%s", rid);
	else
		rid_mask(rid, out);
}

static json_t *contact_json(const struct store_contact *c, int unmasked)
{
	char id[RID_LEN + 1], a[24], b[24];
	shown_id(c->rid, unmasked, id);
	when(c->first, a, sizeof a);
	when(c->last, b, sizeof b);
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "resident_id",
			 id, "name", c->name, "category", c->category,
			 "is_case", c->is_case, "evidence", c->kinds,
			 "first_exposure", a, "last_exposure", b);
}

static void chain_text(const struct store_case_view *v,
		       const struct chain *ch, const long *other)
{
	char id[RID_LEN + 1];
	shown_id(v->c.rid, ch->unmasked, id);
	printf("%s  %s %s  (%s)\n", v->c.number, v->name, id,
	       case_class_name(v->c.cls));
	for (size_t i = 0; i < ch->n; i++) {
		const struct store_contact *c = &ch->c[i];
		if (strcmp(c->category, "close"))
			continue;
		shown_id(c->rid, ch->unmasked, id);
		printf("├─ close      %s %s  [%s]%s\n", c->name, id, c->kinds,
		       c->is_case ? "  ← also a case" : "");
		for (size_t j = 0; j < ch->n; j++) {
			const struct store_contact *d = &ch->c[j];
			if (strcmp(d->category, "secondary") ||
			    strcmp(d->via_rid, c->rid))
				continue;
			shown_id(d->rid, ch->unmasked, id);
			printf("│  └─ secondary %s %s  [%s]%s\n", d->name, id,
			       d->kinds, d->is_case ? "  ← also a case" : "");
		}
	}
	char a[24], b[24];
	fmt_count(other[0], a, sizeof a);
	fmt_count(other[1], b, sizeof b);
	printf("└─ and %s spatiotemporal companions, %s venue-exposed "
	       "('cordon contact list %s --category companion')\n", a, b,
	       v->c.number);
}

static json_t *chain_json(const struct store_case_view *v,
			  const struct chain *ch, const long *other)
{
	char id[RID_LEN + 1];
	shown_id(v->c.rid, ch->unmasked, id);
	json_t *close = json_array();
	for (size_t i = 0; i < ch->n; i++) {
		const struct store_contact *c = &ch->c[i];
		if (strcmp(c->category, "close"))
			continue;
		json_t *j = contact_json(c, ch->unmasked), *sec = json_array();
		for (size_t k = 0; k < ch->n; k++)
			if (!strcmp(ch->c[k].category, "secondary") &&
			    !strcmp(ch->c[k].via_rid, c->rid))
				json_array_append_new(
					sec, contact_json(&ch->c[k], ch->unmasked));
		json_object_set_new(j, "secondary", sec);
		json_array_append_new(close, j);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:I}", "case",
			 v->c.number, "resident_id", id, "name", v->name,
			 "class", case_class_name(v->c.cls), "close", close,
			 "companions", (json_int_t)other[0], "general",
			 (json_int_t)other[1]);
}

/* Open the database and find the case (number or resident ID). */
static int find_case(const struct cli_opts *o, const char *which,
		     unsigned flags, struct store **st,
		     struct store_case_view *v, int64_t *case_id)
{
	struct cd_err err;
	uint32_t person;
	cd_err_clear(&err);
	int rc = cli_open(o->db, flags, st);
	if (rc)
		return rc;
	if ((case_number_valid(which) ? store_case_get(*st, which, v, &err)
				      : store_case_get_by_rid(*st, which, v,
							      &err)) ||
	    store_case_ids(*st, v->c.number, case_id, &person, &err)) {
		store_close(*st);
		return cli_fail_err(&err);
	}
	return 0;
}

int cmd_chain(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv, OPT_DB | OPT_JSON | OPT_UNMASKED,
			       &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	if (o.help || argc - i != 1)
		return cli_usage("chain");
	struct store *st;
	struct store_case_view v;
	int64_t case_id;
	int rc = find_case(&o, argv[i], 0, &st, &v, &case_id);
	if (rc)
		return rc;
	struct chain ch = { NULL, 0, 0, o.unmasked };
	struct cd_err err;
	cd_err_clear(&err);
	enum cd_code code = store_contacts_of(st, case_id, keep, &ch, &err);
	store_close(st);
	if (code) {
		free(ch.c);
		return cli_fail_err(&err);
	}
	long other[2] = { 0, 0 };
	for (size_t k = 0; k < ch.n; k++) {
		other[0] += !strcmp(ch.c[k].category, "companion");
		other[1] += !strcmp(ch.c[k].category, "general");
	}
	if (o.json) {
		json_t *j = chain_json(&v, &ch, other);
		cli_print_json(j);
	} else {
		chain_text(&v, &ch, other);
	}
	free(ch.c);
	return 0;
}

/* ---- contact add | list */

static int contact_add(const struct cli_opts *o, const char *which,
		       const char *rid)
{
	struct rid id;
	struct cd_err err;
	cd_err_clear(&err);
	if (rid_parse(rid, cd_today_cst(), &id, &err))
		return cli_fail(CD_EINVAL, "resident ID '%s': %s", rid, err.msg);
	if (!o->reason || !*o->reason || name_check(o->reason, &err))
		return cli_fail(CD_EINVAL, "--reason is required: why the "
				"investigator adds this person (%s)",
				o->reason ? err.msg : "missing");
	struct store *st;
	struct store_case_view v;
	int64_t case_id;
	int rc = find_case(o, which, STORE_WRITE, &st, &v, &case_id);
	if (rc)
		return rc;
	struct person_view pv;
	enum cd_code code = store_person_get(st, id.id, &pv, &err);
	if (!code && strcmp(id.id, v.c.rid) == 0)
		code = cd_err_set(&err, CD_ERULE, "that is the case's own "
				  "resident ID");
	if (!code) {
		uint32_t pid = 0;
		struct store_person_key *pk;
		size_t n;
		if (!(code = store_person_keys(st, &pk, &n, &err))) {
			uint64_t key = store_rid_key(id.id);
			for (size_t k = 0; k < n; k++)
				if (pk[k].rid == key)
					pid = pk[k].id;
			free(pk);
			code = store_manual_add(st, case_id, pid, o->reason,
						cd_now(), &err);
		}
	}
	store_close(st);
	if (code)
		return cli_fail_err(&err);
	printf("added %s as a close contact of %s; 'cordon trace %s' "
	       "updates the contacts\n", pv.p.name, v.c.number, v.c.number);
	return 0;
}

static int contact_list(const struct cli_opts *o, const char *which)
{
	struct store *st;
	struct store_case_view v;
	int64_t case_id;
	if (o->category && strcmp(o->category, "close") &&
	    strcmp(o->category, "secondary") &&
	    strcmp(o->category, "companion") && strcmp(o->category, "general"))
		return cli_fail(CD_EUSAGE, "--category is one of close, "
				"secondary, companion, general");
	int rc = find_case(o, which, 0, &st, &v, &case_id);
	if (rc)
		return rc;
	struct chain ch = { NULL, 0, 0, o->unmasked };
	struct cd_err err;
	cd_err_clear(&err);
	enum cd_code code = store_contacts_of(st, case_id, keep, &ch, &err);
	store_close(st);
	if (code) {
		free(ch.c);
		return cli_fail_err(&err);
	}
	json_t *arr = o->json ? json_array() : NULL;
	struct table *t = o->json ? NULL : table_new(7);
	const char *head[] = { "CATEGORY", "NAME", "RESIDENT ID", "VIA",
			       "FIRST", "LAST", "EVIDENCE" };
	if (t)
		table_add(t, head);
	long shown = 0;
	for (size_t k = 0; k < ch.n; k++) {
		const struct store_contact *c = &ch.c[k];
		if (o->category && strcmp(o->category, c->category))
			continue;
		shown++;
		if (arr) {
			json_array_append_new(arr, contact_json(c, o->unmasked));
			continue;
		}
		char id[RID_LEN + 1], via[RID_LEN + 1] = "", a[24], b[24];
		shown_id(c->rid, o->unmasked, id);
		if (c->via_rid[0])
			shown_id(c->via_rid, o->unmasked, via);
		when(c->first, a, sizeof a);
		when(c->last, b, sizeof b);
		const char *row[] = { c->category, c->name, id, via, a, b,
				      c->kinds };
		table_add(t, row);
	}
	free(ch.c);
	if (arr) {
		cli_print_json(arr);
	} else {
		table_print(t, stdout, 0);
		printf("%ld contact%s of %s\n", shown, shown == 1 ? "" : "s",
		       v.c.number);
	}
	return 0;
}

int cmd_contact(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv,
			       OPT_DB | OPT_JSON | OPT_UNMASKED | OPT_REASON |
				       OPT_CATEGORY, &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	if (!o.help && argc - i == 3 && strcmp(argv[i], "add") == 0)
		return contact_add(&o, argv[i + 1], argv[i + 2]);
	if (!o.help && argc - i == 2 && strcmp(argv[i], "list") == 0)
		return contact_list(&o, argv[i + 1]);
	return cli_usage("contact");
}
