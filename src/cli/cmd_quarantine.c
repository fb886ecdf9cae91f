/* cmd_quarantine.c — `cordon quarantine plan|list|monitor|release|
 * replan|upgrade|allocate` and `cordon site`; show, due and the site views
 * are in cmd_quarantine_view.c. Options are parsed here, not in opts.c:
 * they belong to these commands alone. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/json_views.h"
#include "cli/cli.h"
#include "cli/quarantine_cli.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

/* ---- options and shared helpers */

/* See cli/quarantine_cli.h. */
int qcli_parse(int argc, char **argv, struct qcli_opts *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "rules", required_argument, NULL, 'r' },
		{ "status", required_argument, NULL, 's' },
		{ "date", required_argument, NULL, 'D' },
		{ "temp", required_argument, NULL, 't' },
		{ "symptoms", required_argument, NULL, 'y' },
		{ "at", required_argument, NULL, 'a' },
		{ "child-age", required_argument, NULL, 'c' },
		{ "share", no_argument, NULL, 'S' },
		{ "discharged", no_argument, NULL, 'X' },
		{ "json", no_argument, NULL, 'j' },
		{ "unmasked", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	memset(o, 0, sizeof *o);
	o->child_age = QUARANTINE_CHILD_AGE;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'r': o->rules = optarg; break;
		case 's': o->status = optarg; break;
		case 'D': o->date = optarg; break;
		case 't': o->temp = optarg; break;
		case 'y': o->symptoms = optarg; break;
		case 'a': o->at = optarg; break;
		case 'S': o->share = 1; break;
		case 'X': o->discharged = 1; break;
		case 'j': o->json = 1; break;
		case 'U': o->unmasked = 1; break;
		case 'h': o->help = 1; break;
		case 'c':
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || v < 1 ||
			    v > QUARANTINE_ADULT_AGE) {
				cli_fail(CD_EUSAGE, "--child-age needs a whole "
					 "number of years from 1 to 18, not "
					 "'%s'", optarg);
				return -1;
			}
			o->child_age = (int)v;
			break;
		default:
			cli_fail(CD_EUSAGE, "unknown or incomplete option '%s'",
				 argv[optind - 1]);
			return -1;
		}
	}
	return optind;
}

/* See cli/quarantine_cli.h. */
int qcli_date(const struct qcli_opts *o, int32_t *day)
{
	if (!o->date) {
		*day = cd_today_cst();
		return 0;
	}
	if (date_parse(o->date, day))
		return 0;
	cli_fail(CD_EUSAGE, "--date needs a date YYYY-MM-DD, not '%s'",
		 o->date);
	return -1;
}

/* See cli/quarantine_cli.h. */
const char *qcli_fmt_date(int32_t d, char *buf)
{
	if (d)
		date_format(d, buf, 16);
	else
		snprintf(buf, 16, "-");
	return buf;
}

/* See cli/quarantine_cli.h. */
const char *qcli_rid(const char *rid, int unmasked, char *out)
{
	if (unmasked || strlen(rid) != RID_LEN)
		snprintf(out, RID_LEN + 1, "%s", rid);
	else
		rid_mask(rid, out);
	return out;
}

/* See cli/quarantine_cli.h. */
const char *qcli_room(const struct store_quarantine *q, char *buf, size_t len)
{
	if (q->room_id)
		snprintf(buf, len, "%s/%s", q->site, q->room);
	else
		snprintf(buf, len, "%s", "");
	return buf;
}

/* See cli/quarantine_cli.h. */
json_t *qcli_plan_json(const struct store_quarantine *q, int unmasked)
{
	char id[RID_LEN + 1], via[RID_LEN + 1], room[64];
	json_t *j = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id",
		(json_int_t)q->id, "status", quarantine_status_name(q->status),
		"group", quarantine_group_name(q->grp), "name", q->name,
		"resident_id", qcli_rid(q->rid, unmasked, id), "case",
		q->case_number, "profile", q->profile, "regime", q->regime,
		"room", q->room_id ? json_string(qcli_room(q, room, sizeof room))
				   : json_null());
	json_object_set_new(j, "linked_close_contact",
			    q->via ? json_string(qcli_rid(q->via_rid, unmasked,
							  via))
				   : json_null());
	json_view_quarantine_dates(j, q);
	return j;
}

/* See cli/quarantine_cli.h. */
int qcli_find(struct store *st, const char *id, struct store_quarantine *q)
{
	struct cd_err err;
	char *end;
	cd_err_clear(&err);
	errno = 0;
	long long n = strtoll(id, &end, 10);
	if (strlen(id) < 16 && *id && !*end && !errno && n > 0) {
		if (store_quarantine_get(st, n, q, &err))
			return cli_fail_err(&err);
		return 0;
	}
	struct rid r;
	uint32_t person;
	if (rid_parse(id, cd_today_cst(), &r, &err))
		return cli_fail(CD_EINVAL, "'%s' is neither a plan number nor "
				"a resident ID: %s", id, err.msg);
	if (store_quarantine_person(st, r.id, &person, &err) ||
	    store_quarantine_of(st, person, 1, q, &err))
		return cli_fail_err(&err);
	return 0;
}

/* ---- a session: rules and database */

struct session {
	struct store *st;
	struct rules_eff eff;
	struct quarantine_run r;
};

static int session_open(const struct qcli_opts *o, unsigned flags,
			struct session *s)
{
	struct cd_err err;
	cd_err_clear(&err);
	if (rules_file_load(o->rules, NULL, &s->eff, &err))
		return cli_fail_err(&err);
	int rc = cli_open(o->db, flags, &s->st);
	if (rc)
		return rc;
	s->r = (struct quarantine_run){ s->st, &s->eff.r, cd_today_cst(),
					cd_now(), { o->child_age,
						    o->share != 0 } };
	return 0;
}

/* ---- tables of plans */

static struct table *plan_table(void)
{
	static const char *const head[] = {
		"ID", "STATUS", "GROUP", "NAME", "RESIDENT ID", "EXPOSED",
		"CENTRAL TO", "HOME TO", "MONITORING TO", "ROOM"
	};
	struct table *t = table_new(10);
	table_add(t, head);
	return t;
}

static void plan_row(struct table *t, const struct store_quarantine *q,
		     int unmasked)
{
	char id[24], rid[RID_LEN + 1], d[4][16], room[64];
	snprintf(id, sizeof id, "%lld", (long long)q->id);
	const char *row[] = {
		id, quarantine_status_name(q->status),
		quarantine_group_name(q->grp), q->name,
		qcli_rid(q->rid, unmasked, rid), qcli_fmt_date(q->exposure, d[0]),
		qcli_fmt_date(q->central_end, d[1]),
		qcli_fmt_date(q->home_end, d[2]),
		qcli_fmt_date(q->monitoring_end, d[3]),
		q->room_id ? qcli_room(q, room, sizeof room) : "-"
	};
	table_add(t, row);
}

struct listing {
	struct table *t;
	json_t *arr;
	int unmasked;
	long n;
};

static enum cd_code list_one(void *ctx, const struct store_quarantine *q)
{
	struct listing *l = ctx;
	l->n++;
	if (l->arr)
		json_array_append_new(l->arr, qcli_plan_json(q, l->unmasked));
	else
		plan_row(l->t, q, l->unmasked);
	return CD_OK;
}

/* Print the plans matching f as a table (or JSON array into *arr). */
static int print_plans(struct store *st, const struct store_quarantine_filter *f,
		       int unmasked, json_t *arr, long *n)
{
	struct listing l = { arr ? NULL : plan_table(), arr, unmasked, 0 };
	struct cd_err err;
	cd_err_clear(&err);
	if (store_quarantine_list(st, f, list_one, &l, &err)) {
		table_free(l.t);
		return cli_fail_err(&err);
	}
	if (l.t)
		table_print(l.t, stdout, 1);
	if (n)
		*n = l.n;
	return 0;
}

/* ---- plan */

static void plan_summary(const struct session *s,
			 const struct quarantine_run_report *rep)
{
	printf("profile %s: %ld planned, %ld kept (already under a plan), "
	       "%ld upgraded, %ld not identified by the profile; %ld given "
	       "rooms, %ld waiting for a room\n", s->eff.r.profile,
	       rep->planned, rep->kept, rep->upgraded, rep->not_identified,
	       rep->placed, rep->waiting);
}

static int q_plan(const struct qcli_opts *o, const char *which)
{
	struct session s;
	struct quarantine_run_report rep;
	struct cd_err err;
	int64_t case_id = 0, id = 0;
	int rc = session_open(o, STORE_WRITE, &s);
	if (rc)
		return rc;
	cd_err_clear(&err);
	enum cd_code code =
		o->discharged
			? quarantine_run_plan_discharged(&s.r, which, &id, &rep,
							 &err)
			: quarantine_run_plan_case(&s.r, which, &rep, &case_id,
						   &err);
	if (code) {
		store_close(s.st);
		return cli_fail_err(&err);
	}
	struct store_quarantine_filter f = { .status = QS_COUNT,
					     .case_id = case_id };
	struct store_quarantine_filter w = { .status = QS_WAITING };
	json_t *plans = o->json ? json_array() : NULL;
	json_t *waiting = o->json ? json_array() : NULL;
	if (!o->json)
		plan_summary(&s, &rep);
	if (o->discharged) {
		struct store_quarantine q;
		f = (struct store_quarantine_filter){ .status = -1 };
		if (store_quarantine_get(s.st, id, &q, &err)) {
			store_close(s.st);
			json_decref(plans);
			json_decref(waiting);
			return cli_fail_err(&err);
		}
		f.person = q.person;
	}
	rc = print_plans(s.st, &f, o->unmasked, plans, NULL);
	if (!rc && rep.waiting && !o->json)
		printf("sites are full: %ld waiting for a room:\n",
		       rep.waiting);
	if (!rc && rep.waiting)
		rc = print_plans(s.st, &w, o->unmasked, waiting, NULL);
	store_close(s.st);
	if (o->json && !rc)
		cli_print_json(json_pack(
			"{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}",
			"profile", s.eff.r.profile, "planned",
			(json_int_t)rep.planned, "kept", (json_int_t)rep.kept,
			"upgraded", (json_int_t)rep.upgraded,
			"not_identified", (json_int_t)rep.not_identified,
			"placed", (json_int_t)rep.placed, "waiting_count",
			(json_int_t)rep.waiting, "plans", plans, "waiting",
			waiting));
	else {
		json_decref(plans);
		json_decref(waiting);
	}
	return rc;
}

/* ---- list */

static int q_list(const struct qcli_opts *o)
{
	struct store_quarantine_filter f = { .status = -1 };
	struct store *st;
	struct cd_err err;
	enum quarantine_status s;
	long n = 0;
	if (o->status && !strcmp(o->status, "open"))
		f.status = QS_COUNT;
	else if (o->status && strcmp(o->status, "all")) {
		if (quarantine_status_parse(o->status, &s, &err))
			return cli_fail(CD_EUSAGE, "--status %s: %s, open or "
					"all", o->status, err.msg);
		f.status = (int)s;
	}
	int rc = cli_open(o->db, 0, &st);
	if (rc)
		return rc;
	json_t *arr = o->json ? json_array() : NULL;
	rc = print_plans(st, &f, o->unmasked, arr, &n);
	store_close(st);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	if (arr)
		cli_print_json(arr);
	else
		printf("%ld plan%s\n", n, n == 1 ? "" : "s");
	return 0;
}

/* ---- monitor */

static int q_monitor(const struct qcli_opts *o, const char *id)
{
	struct session s;
	struct store_quarantine q;
	struct store_monitoring m;
	struct cd_err err;
	int tenths;
	int64_t at;
	char when[24];
	cd_err_clear(&err);
	if (!o->temp)
		return cli_fail(CD_EUSAGE, "--temp is required: the "
				"temperature in °C, like 36.8");
	if (quarantine_temp_parse(o->temp, &tenths, &err))
		return cli_fail(CD_EINVAL, "--temp '%s': %s", o->temp, err.msg);
	at = cd_now();
	if (o->at && !instant_parse(o->at, &at))
		return cli_fail(CD_EINVAL, "--at '%s': must be an ISO 8601 "
				"time like 2022-03-30T08:00", o->at);
	int rc = session_open(o, STORE_WRITE, &s);
	if (rc || (rc = qcli_find(s.st, id, &q))) {
		store_close(s.st);
		return rc;
	}
	enum cd_code code = quarantine_run_monitor(
		&s.r, q.id, at, tenths, o->symptoms ? o->symptoms : "", &m,
		&err);
	store_close(s.st);
	if (code)
		return cli_fail_err(&err);
	instant_format_cst(at, when, sizeof when);
	printf("recorded for %s (plan %lld) at %.16s: %d.%d °C, %s%s\n",
	       m.name, (long long)q.id, when, tenths / 10, tenths % 10,
	       quarantine_has_symptoms(m.symptoms) ? "symptoms: "
						   : "no symptoms",
	       quarantine_has_symptoms(m.symptoms) ? m.symptoms : "");
	if (m.alert[0])
		printf("ALERT: %s\n", m.alert);
	return 0;
}

/* ---- release, replan, upgrade, allocate */

static int q_release(const struct qcli_opts *o, const char *id)
{
	struct session s;
	struct store_quarantine q;
	struct quarantine_run_report rep;
	enum quarantine_status next;
	struct cd_err err;
	char d[16], room[64];
	memset(&rep, 0, sizeof rep);
	cd_err_clear(&err);
	int rc = session_open(o, STORE_WRITE, &s);
	if (rc || (rc = qcli_find(s.st, id, &q))) {
		store_close(s.st);
		return rc;
	}
	enum cd_code code = quarantine_run_release(&s.r, q.id, &next, &rep,
						   &err);
	store_close(s.st);
	if (code)
		return cli_fail_err(&err);
	if (next == QS_HOME)
		printf("moved %s (plan %lld) to home quarantine until %s",
		       q.name, (long long)q.id,
		       qcli_fmt_date(q.quarantine_end, d));
	else if (q.monitoring_end >= s.r.today)
		printf("released %s (plan %lld) from quarantine; home health "
		       "monitoring until %s", q.name, (long long)q.id,
		       qcli_fmt_date(q.monitoring_end, d));
	else
		printf("released %s (plan %lld)", q.name, (long long)q.id);
	if (q.status == QS_CENTRAL)
		printf("; room %s freed", qcli_room(&q, room, sizeof room));
	if (rep.placed)
		printf("; %ld waiting given rooms", rep.placed);
	printf("\n");
	return 0;
}

static int q_replan(const struct qcli_opts *o, const char *id)
{
	struct session s;
	struct store_quarantine q, nq;
	struct quarantine_run_report rep;
	struct cd_err err;
	int64_t new_id = 0;
	if (!o->rules)
		return cli_fail(CD_EUSAGE, "--rules FILE is required: "
				"re-planning is explicit");
	cd_err_clear(&err);
	int rc = session_open(o, STORE_WRITE, &s);
	if (rc || (rc = qcli_find(s.st, id, &q))) {
		store_close(s.st);
		return rc;
	}
	enum cd_code code = quarantine_run_replan(&s.r, q.id, &new_id, &rep,
						  &err);
	if (!code)
		code = store_quarantine_get(s.st, new_id, &nq, &err);
	if (code) {
		store_close(s.st);
		return cli_fail_err(&err);
	}
	printf("plan %lld (profile %s) replaced by plan %lld (profile %s) for "
	       "%s:\n", (long long)q.id, q.profile, (long long)nq.id,
	       nq.profile, nq.name);
	struct store_quarantine_filter f = { .status = -1,
					     .person = nq.person };
	rc = print_plans(s.st, &f, o->unmasked, NULL, NULL);
	store_close(s.st);
	return rc;
}

static void upgraded(void *ctx, const struct store_quarantine *q)
{
	char d[2][16];
	(void)ctx;
	printf("upgraded %s to close contact: plan %lld replaces plan %lld; "
	       "last exposure %s, quarantine until %s\n", q->name,
	       (long long)q->id, (long long)q->previous_id,
	       qcli_fmt_date(q->exposure, d[0]),
	       qcli_fmt_date(q->quarantine_end, d[1]));
}

static int q_upgrade(const struct qcli_opts *o)
{
	struct session s;
	struct quarantine_run_report rep;
	struct cd_err err;
	cd_err_clear(&err);
	int rc = session_open(o, STORE_WRITE, &s);
	if (rc)
		return rc;
	enum cd_code code = quarantine_run_upgrade(&s.r, upgraded, NULL, &rep,
						   &err);
	store_close(s.st);
	if (code)
		return cli_fail_err(&err);
	printf("%ld secondary contact%s upgraded under profile %s; %ld given "
	       "rooms, %ld waiting for a room\n", rep.upgraded,
	       rep.upgraded == 1 ? "" : "s", s.eff.r.profile, rep.placed,
	       rep.waiting);
	return 0;
}

static int q_allocate(const struct qcli_opts *o)
{
	struct session s;
	struct quarantine_run_report rep;
	struct cd_err err;
	memset(&rep, 0, sizeof rep);
	cd_err_clear(&err);
	int rc = session_open(o, STORE_WRITE, &s);
	if (rc)
		return rc;
	enum cd_code code = quarantine_run_allocate(&s.r, &rep, &err);
	store_close(s.st);
	if (code)
		return cli_fail_err(&err);
	printf("%ld given rooms, %ld waiting for a room\n", rep.placed,
	       rep.waiting);
	return 0;
}

/* `cordon quarantine SUBCOMMAND ...`: see the command table (cli.c). */
int cmd_quarantine(int argc, char **argv)
{
	struct qcli_opts o;
	int i = qcli_parse(argc, argv, &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	int n = argc - i;
	const char *sub = n ? argv[i] : "";
	const char *arg = n > 1 ? argv[i + 1] : NULL;
	if (o.help || !n)
		return cli_usage("quarantine");
	if (!strcmp(sub, "plan") && n == 2)
		return q_plan(&o, arg);
	if (!strcmp(sub, "list") && n == 1)
		return q_list(&o);
	if (!strcmp(sub, "show") && n == 2)
		return qcli_show(&o, arg);
	if (!strcmp(sub, "monitor") && n == 2)
		return q_monitor(&o, arg);
	if (!strcmp(sub, "release") && n == 2)
		return q_release(&o, arg);
	if (!strcmp(sub, "due") && n == 1)
		return qcli_due(&o);
	if (!strcmp(sub, "replan") && n == 2)
		return q_replan(&o, arg);
	if (!strcmp(sub, "upgrade") && n == 1)
		return q_upgrade(&o);
	if (!strcmp(sub, "allocate") && n == 1)
		return q_allocate(&o);
	return cli_usage("quarantine");
}

/* `cordon site list|show CODE`: see the command table (cli.c). */
int cmd_site(int argc, char **argv)
{
	struct qcli_opts o;
	int i = qcli_parse(argc, argv, &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	int n = argc - i;
	if (!o.help && n == 1 && !strcmp(argv[i], "list"))
		return qcli_site_list(&o);
	if (!o.help && n == 2 && !strcmp(argv[i], "show"))
		return qcli_site_show(&o, argv[i + 1]);
	return cli_usage("site");
}
