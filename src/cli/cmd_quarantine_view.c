/* cmd_quarantine_view.c — `cordon quarantine show|due` and
 * `cordon site list|show`: reading plans, the day's lists and occupancy. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/json_views.h"
#include "cli/cli.h"
#include "cli/quarantine_cli.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

/* ---- show */

struct shown {
	const struct store_quarantine *q;
	const struct quarantine_plan *p;
	const struct quarantine_sample *s;
	size_t ns;
	int32_t today;
};

static void show_parts(const struct shown *v)
{
	static const char *const names[QP_COUNT] = { "central", "home",
						     "monitoring" };
	char a[16], b[16];
	for (int i = 0; i < QP_COUNT; i++)
		if (v->p->first[i])
			printf("%-11s%s to %s\n", names[i],
			       qcli_fmt_date(v->p->first[i], a),
			       qcli_fmt_date(v->p->last[i], b));
	printf("tests\n");
	for (int i = 0; i < v->p->ntests; i++) {
		const struct quarantine_test *t = &v->p->tests[i];
		char part[32];
		snprintf(part, sizeof part, "%s day %d",
			 quarantine_part_name(t->part), t->day);
		printf("  %-17s %s  %s\n", part, qcli_fmt_date(t->date, a),
		       quarantine_test_state(v->p, i, v->s, v->ns, v->today));
	}
}

struct entries {
	json_t *arr;
	long n;
};

static enum cd_code show_entry(void *ctx, const struct store_monitoring *m)
{
	struct entries *e = ctx;
	json_t *arr = e->arr;
	char when[24];
	e->n++;
	instant_format_cst(m->at, when, sizeof when);
	if (arr) {
		json_array_append_new(arr, json_pack(
			"{s:s, s:f, s:s, s:s}", "at", when,
			m->temp_tenths / 10.0, "symptoms", m->symptoms, "alert",
			m->alert));
		return CD_OK;
	}
	printf("  %.16s  %d.%d °C  %s%s%s\n", when, m->temp_tenths / 10,
	       m->temp_tenths % 10, m->symptoms[0] ? m->symptoms : "-",
	       m->alert[0] ? "  ALERT: " : "", m->alert);
	return CD_OK;
}

static void show_text(const struct shown *v, const char *release)
{
	const struct store_quarantine *q = v->q;
	char rid[RID_LEN + 1], via[RID_LEN + 1], d[16], room[64];
	printf("plan %lld: %s %s, %s contact%s%s\n", (long long)q->id, q->name,
	       qcli_rid(q->rid, 0, rid), quarantine_group_name(q->grp),
	       q->case_number[0] ? " of " : "", q->case_number);
	printf("%-11s%s", "status", quarantine_status_name(q->status));
	if (q->room_id)
		printf(", %s room %s (%s)", q->status == QS_CENTRAL
		       ? "in" : "was in", qcli_room(q, room, sizeof room),
		       q->site_name);
	if (q->ended_on)
		printf(" on %s", qcli_fmt_date(q->ended_on, d));
	printf("\n%-11s%s (%s)\n", "profile", q->profile, q->regime);
	if (q->via)
		printf("%-11s%s %s (the linked close contact)\n", "linked",
		       q->via_name, qcli_rid(q->via_rid, 0, via));
	if (q->previous_id)
		printf("%-11splan %lld\n", "replaces", (long long)q->previous_id);
	printf("%-11s%s\n", "exposed", qcli_fmt_date(q->exposure, d));
	show_parts(v);
	if (release)
		printf("%-11s%s\n", strncmp(release, "move", 4) ? "release"
							       : "move home",
		       strchr(release, ':') + 2);
	printf("monitoring entries\n");
}

static json_t *show_json(const struct shown *v, const char *release,
			 int unmasked)
{
	json_t *j = qcli_plan_json(v->q, unmasked);
	json_object_set_new(j, "tests", json_view_quarantine_tests(
					   v->p, v->s, v->ns, v->today));
	json_object_set_new(j, "release", release ? json_string(release)
						  : json_null());
	return j;
}

/* "possible today: released" or the reasons, for an open plan. */
static int release_line(struct store *st, const struct store_quarantine *q,
			int32_t today, struct strbuf *out)
{
	struct strbuf why = STRBUF_INIT;
	enum quarantine_status next;
	struct cd_err err;
	bool ok = false;
	cd_err_clear(&err);
	if (quarantine_run_check(st, q, today, &next, &ok, &why, &err)) {
		strbuf_release(&why);
		return cli_fail_err(&err);
	}
	strbuf_addf(out, "%s %s", next == QS_HOME ? "move home:" : "release:",
		    ok ? "possible today" : why.buf);
	strbuf_release(&why);
	return 0;
}

/* See cli/quarantine_cli.h. */
int qcli_show(const struct qcli_opts *o, const char *id)
{
	struct store *st;
	struct store_quarantine q;
	struct quarantine_plan p;
	struct quarantine_sample *s = NULL;
	struct strbuf rel = STRBUF_INIT;
	struct cd_err err;
	size_t ns = 0;
	cd_err_clear(&err);
	int rc = cli_open(o->db, 0, &st);
	if (rc)
		return rc;
	if ((rc = qcli_find(st, id, &q)))
		goto cleanup;
	if (quarantine_run_load(&q, &p, &err) ||
	    store_quarantine_samples(st, q.person, &s, &ns, &err)) {
		rc = cli_fail_err(&err);
		goto cleanup;
	}
	if (quarantine_status_open(q.status) &&
	    (rc = release_line(st, &q, cd_today_cst(), &rel)))
		goto cleanup;
	struct shown v = { &q, &p, s, ns, cd_today_cst() };
	json_t *j = o->json ? show_json(&v, rel.len ? rel.buf : NULL,
					o->unmasked) : NULL;
	struct entries e = { o->json ? json_array() : NULL, 0 };
	if (!o->json)
		show_text(&v, rel.len ? rel.buf : NULL);
	if (store_monitoring_list(st, q.person, 0, show_entry, &e, &err))
		rc = cli_fail_err(&err);
	else if (!o->json && !e.n)
		printf("  (none)\n");
	if (j && !rc) {
		json_object_set_new(j, "monitoring", e.arr);
		cli_print_json(j);
	} else {
		json_decref(j);
		json_decref(e.arr);
	}
cleanup:
	store_close(st);
	free(s);
	strbuf_release(&rel);
	return rc;
}

/* ---- due */

struct due_lists {
	struct quarantine_due *v[3];
	size_t n[3], alloc[3];
};

static enum cd_code due_keep(void *ctx, const struct quarantine_due *d)
{
	struct due_lists *l = ctx;
	size_t k = d->kind;
	l->v[k] = xgrow(l->v[k], sizeof *l->v[k], l->n[k] + 1, &l->alloc[k]);
	l->v[k][l->n[k]++] = *d;
	return CD_OK;
}

static json_t *due_json(const struct quarantine_due *d, int unmasked)
{
	char id[RID_LEN + 1], what[48], date[16], room[64];
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}",
			 "plan", (json_int_t)d->q.id, "name", d->q.name,
			 "resident_id", qcli_rid(d->q.rid, unmasked, id),
			 "group", quarantine_group_name(d->q.grp), "what",
			 quarantine_due_what(d, what, sizeof what), "date",
			 qcli_fmt_date(d->date, date), "room",
			 d->q.status == QS_CENTRAL
				 ? qcli_room(&d->q, room, sizeof room) : "",
			 "ready", d->ready, "why", d->why);
}

static void due_table(const struct due_lists *l, size_t k, int unmasked)
{
	static const char *const head[] = { "ID", "NAME", "RESIDENT ID",
					     "GROUP", "WHAT", "DATE", "ROOM",
					     "NOTE" };
	struct table *t = table_new(8);
	table_add(t, head);
	for (size_t i = 0; i < l->n[k]; i++) {
		const struct quarantine_due *d = &l->v[k][i];
		char id[24], rid[RID_LEN + 1], what[48], date[16], room[64];
		snprintf(id, sizeof id, "%lld", (long long)d->q.id);
		const char *note = k == QD_RELEASE && d->ready
					   ? "ready" : d->why;
		const char *row[] = {
			id, d->q.name, qcli_rid(d->q.rid, unmasked, rid),
			quarantine_group_name(d->q.grp),
			quarantine_due_what(d, what, sizeof what),
			qcli_fmt_date(d->date, date),
			d->q.status == QS_CENTRAL
				? qcli_room(&d->q, room, sizeof room) : "-",
			note
		};
		table_add(t, row);
	}
	if (l->n[k])
		table_print(t, stdout, 1);
	else
		table_free(t);
}

/* See cli/quarantine_cli.h. */
int qcli_due(const struct qcli_opts *o)
{
	static const char *const titles[3] = { "to sample", "due for release",
					       "overdue" };
	static const char *const keys[3] = { "sample", "release", "overdue" };
	struct due_lists l;
	struct store *st;
	struct cd_err err;
	int32_t day;
	char d[16];
	memset(&l, 0, sizeof l);
	cd_err_clear(&err);
	if (qcli_date(o, &day))
		return cd_code_exit(CD_EUSAGE);
	int rc = cli_open(o->db, 0, &st);
	if (rc)
		return rc;
	if (quarantine_run_due(st, day, due_keep, &l, &err))
		rc = cli_fail_err(&err);
	store_close(st);
	json_t *j = !rc && o->json ? json_pack("{s:s}", "date",
					       qcli_fmt_date(day, d)) : NULL;
	for (size_t k = 0; k < 3 && !rc; k++) {
		if (j) {
			json_t *arr = json_array();
			for (size_t i = 0; i < l.n[k]; i++)
				json_array_append_new(
					arr, due_json(&l.v[k][i], o->unmasked));
			json_object_set_new(j, keys[k], arr);
			continue;
		}
		printf("%s on %s: %zu\n", titles[k], qcli_fmt_date(day, d),
		       l.n[k]);
		due_table(&l, k, o->unmasked);
	}
	if (j)
		cli_print_json(j);
	for (size_t k = 0; k < 3; k++)
		free(l.v[k]);
	return rc;
}

/* ---- site list | show */

static enum cd_code site_one(void *ctx, const struct store_site_view *v)
{
	void **c = ctx;
	char n[6][24];
	if (c[1]) {
		json_array_append_new(c[1], json_pack(
			"{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}",
			"site", v->s.code, "name", v->s.name, "unit", v->s.unit,
			"address", v->s.address, "rooms", (json_int_t)v->rooms,
			"capacity", (json_int_t)v->capacity, "occupied_rooms",
			(json_int_t)v->occupied_rooms, "people",
			(json_int_t)v->occupants, "free_rooms",
			(json_int_t)v->free_rooms));
		return CD_OK;
	}
	const long x[5] = { v->rooms, v->capacity, v->occupied_rooms,
			    v->occupants, v->free_rooms };
	for (int i = 0; i < 5; i++)
		snprintf(n[i], sizeof n[i], "%ld", x[i]);
	const char *row[] = { v->s.code, v->s.name, v->s.unit, n[0], n[1],
			      n[2], n[3], n[4] };
	table_add(c[0], row);
	return CD_OK;
}

/* See cli/quarantine_cli.h. */
int qcli_site_list(const struct qcli_opts *o)
{
	static const char *const head[] = { "SITE", "NAME", "UNIT", "ROOMS",
					    "CAPACITY", "OCCUPIED", "PEOPLE",
					    "FREE" };
	struct store *st;
	struct cd_err err;
	cd_err_clear(&err);
	int rc = cli_open(o->db, 0, &st);
	if (rc)
		return rc;
	void *c[2] = { o->json ? NULL : table_new(8),
		       o->json ? json_array() : NULL };
	if (c[0])
		table_add(c[0], head);
	if (store_site_list(st, NULL, site_one, c, &err))
		rc = cli_fail_err(&err);
	store_close(st);
	if (rc) {
		table_free(c[0]);
		json_decref(c[1]);
	} else if (c[1]) {
		cli_print_json(c[1]);
	} else {
		table_print(c[0], stdout, 0xf8);
	}
	return rc;
}

struct site_rooms {
	struct store_room_view *v;
	size_t n, alloc;
	struct store_quarantine *q;
	size_t nq, aq;
};

static enum cd_code room_keep(void *ctx, const struct store_room_view *v)
{
	struct site_rooms *s = ctx;
	s->v = xgrow(s->v, sizeof *s->v, s->n + 1, &s->alloc);
	s->v[s->n++] = *v;
	return CD_OK;
}

static enum cd_code occupant_keep(void *ctx, const struct store_quarantine *q)
{
	struct site_rooms *s = ctx;
	s->q = xgrow(s->q, sizeof *s->q, s->nq + 1, &s->aq);
	s->q[s->nq++] = *q;
	return CD_OK;
}

/* The names and plans of the people in room r, "name (plan N), ...". */
static void occupants(const struct site_rooms *s, const struct store_room_view *r,
		      int unmasked, struct strbuf *sb, json_t *arr)
{
	char rid[RID_LEN + 1];
	for (size_t i = 0; i < s->nq; i++) {
		const struct store_quarantine *q = &s->q[i];
		if (q->room_id != r->id)
			continue;
		if (arr)
			json_array_append_new(arr, json_pack(
				"{s:I, s:s, s:s}", "plan", (json_int_t)q->id,
				"name", q->name, "resident_id",
				qcli_rid(q->rid, unmasked, rid)));
		else
			strbuf_addf(sb, "%s%s (plan %lld)", sb->len ? ", " : "",
				    q->name, (long long)q->id);
	}
}

static void site_rooms_print(const struct site_rooms *s, int unmasked,
			     json_t *arr)
{
	static const char *const head[] = { "ROOM", "CAPACITY", "PEOPLE",
					    "GROUP", "OCCUPANTS" };
	struct table *t = arr ? NULL : table_new(5);
	if (t)
		table_add(t, head);
	for (size_t i = 0; i < s->n; i++) {
		const struct store_room_view *r = &s->v[i];
		struct strbuf sb = STRBUF_INIT;
		json_t *occ = arr ? json_array() : NULL;
		char cap[12], n[12];
		const char *g = r->grp < 0 ? "-"
				: quarantine_group_name((enum quarantine_group)
							r->grp);
		occupants(s, r, unmasked, &sb, occ);
		if (arr) {
			json_array_append_new(arr, json_pack(
				"{s:s, s:i, s:i, s:s, s:o}", "room",
				r->r.number, "capacity", r->r.capacity,
				"people", r->occupants, "group", g,
				"occupants", occ));
		} else {
			snprintf(cap, sizeof cap, "%d", r->r.capacity);
			snprintf(n, sizeof n, "%d", r->occupants);
			const char *row[] = { r->r.number, cap, n, g, sb.buf };
			table_add(t, row);
		}
		strbuf_release(&sb);
	}
	if (t)
		table_print(t, stdout, 0x6);
}

/* See cli/quarantine_cli.h. */
int qcli_site_show(const struct qcli_opts *o, const char *code)
{
	struct site_rooms s;
	struct store *st;
	struct cd_err err;
	struct store_quarantine_filter f = { .status = -1, .site = code };
	memset(&s, 0, sizeof s);
	cd_err_clear(&err);
	int rc = cli_open(o->db, 0, &st);
	if (rc)
		return rc;
	if (store_room_list(st, code, room_keep, &s, &err) ||
	    store_quarantine_list(st, &f, occupant_keep, &s, &err)) {
		rc = cli_fail_err(&err);
	} else {
		json_t *rooms = o->json ? json_array() : NULL;
		if (!rooms)
			printf("site %s: %zu rooms\n", code, s.n);
		site_rooms_print(&s, o->unmasked, rooms);
		if (rooms)
			cli_print_json(json_pack("{s:s, s:o}", "site", code,
						 "rooms", rooms));
	}
	store_close(st);
	free(s.v);
	free(s.q);
	return rc;
}
