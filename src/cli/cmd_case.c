/* cmd_case.c — `cordon case add|update|show|list`: cases (确诊, 无症状,
 * 疑似) with their per-county numbers. Options are parsed here, not in
 * opts.c: most of them belong to this command alone. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/codes_run.h"
#include "app/rules_file.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "domain/cases.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/banned.h"

enum case_opt {
	O_DB, O_ID, O_CLASS, O_TYPE, O_IMPORTED, O_LOCAL, O_ONSET,
	O_SAMPLING, O_REPORTED, O_FOUND, O_ISOLATED, O_HOSPITAL, O_OUTCOME,
	O_OUTCOME_DATE, O_CONVERT, O_UNIT, O_JSON, O_UNMASKED, O_LIMIT,
	O_OFFSET, O_HELP, O_COUNT
};

#define BIT(o) (1u << (o))
#define RECORD_OPTS                                                        \
	(BIT(O_CLASS) | BIT(O_TYPE) | BIT(O_IMPORTED) | BIT(O_LOCAL) |      \
	 BIT(O_ONSET) | BIT(O_SAMPLING) | BIT(O_REPORTED) | BIT(O_FOUND) |  \
	 BIT(O_ISOLATED) | BIT(O_HOSPITAL))

struct case_args {
	unsigned given;          /* BIT(option) for each option seen */
	const char *arg[O_COUNT];
	const char *sub;         /* add, update, show, list */
	const char *operand;     /* NUMBER or RID; NULL for add and list */
};

/* In enum case_opt order: longopts[o].name is option o's name. */
static const struct option longopts[] = {
	{ "db", required_argument, NULL, 256 + O_DB },
	{ "id", required_argument, NULL, 256 + O_ID },
	{ "class", required_argument, NULL, 256 + O_CLASS },
	{ "type", required_argument, NULL, 256 + O_TYPE },
	{ "imported", no_argument, NULL, 256 + O_IMPORTED },
	{ "local", no_argument, NULL, 256 + O_LOCAL },
	{ "onset", required_argument, NULL, 256 + O_ONSET },
	{ "sampling", required_argument, NULL, 256 + O_SAMPLING },
	{ "reported", required_argument, NULL, 256 + O_REPORTED },
	{ "found", required_argument, NULL, 256 + O_FOUND },
	{ "isolated", required_argument, NULL, 256 + O_ISOLATED },
	{ "hospital", required_argument, NULL, 256 + O_HOSPITAL },
	{ "outcome", required_argument, NULL, 256 + O_OUTCOME },
	{ "outcome-date", required_argument, NULL, 256 + O_OUTCOME_DATE },
	{ "convert", required_argument, NULL, 256 + O_CONVERT },
	{ "unit", required_argument, NULL, 256 + O_UNIT },
	{ "json", no_argument, NULL, 256 + O_JSON },
	{ "unmasked", no_argument, NULL, 256 + O_UNMASKED },
	{ "limit", required_argument, NULL, 256 + O_LIMIT },
	{ "offset", required_argument, NULL, 256 + O_OFFSET },
	{ "help", no_argument, NULL, 256 + O_HELP },
	{ NULL, 0, NULL, 0 },
};
_Static_assert(sizeof longopts / sizeof longopts[0] == O_COUNT + 1,
	       "one long option per enum case_opt, in order");

/* Parse argv into a (argv[0] is "case"). -1 after printing why. */
static int parse_args(int argc, char **argv, struct case_args *a)
{
	memset(a, 0, sizeof *a);
	int first = cli_parse_indexed(argc, argv, longopts, O_COUNT, O_HELP,
				      ~0u, &a->given, a->arg);
	if (first < 0)
		return -1;
	a->sub = first < argc ? argv[first] : NULL;
	a->operand = first + 1 < argc ? argv[first + 1] : NULL;
	return argc - first;
}

/* Refuse options the subcommand does not take. */
static int only(const struct case_args *a, unsigned allowed)
{
	unsigned extra = a->given & ~(allowed | BIT(O_DB) | BIT(O_HELP));
	for (int i = 0; i < O_COUNT; i++)
		if (extra & BIT(i)) {
			cli_fail(CD_EUSAGE, "'case %s' does not take --%s",
				 a->sub, longopts[i].name);
			return -1;
		}
	return 0;
}

/* A date option: "" clears it (0), else YYYY-MM-DD. */
static enum cd_code opt_date(const char *name, const char *s, int32_t *out,
			     struct cd_err *err)
{
	if (!*s) {
		*out = 0;
		return CD_OK;
	}
	if (!date_parse(s, out))
		return cd_err_set(err, CD_EINVAL, "--%s: '%s' is not a date "
				  "(YYYY-MM-DD)", name, s);
	return CD_OK;
}

/* A time option: "" clears it (0), else ISO 8601 (CST without a zone). */
static enum cd_code opt_time(const char *name, const char *s, int64_t *out,
			     struct cd_err *err)
{
	if (!*s) {
		*out = 0;
		return CD_OK;
	}
	if (!instant_parse(s, out))
		return cd_err_set(err, CD_EINVAL, "--%s: '%s' is not a time "
				  "(YYYY-MM-DDTHH:MM[:SS][+08:00])", name, s);
	return CD_OK;
}

/* Classification options onto c. --convert DATE makes the (stored,
 * asymptomatic) case confirmed on DATE; reclassifying as anything but
 * confirmed drops the clinical type unless --type is given too. */
static enum cd_code apply_class(const struct case_args *a,
				struct case_rec *c, struct cd_err *err)
{
	const char *const *v = a->arg;
	enum cd_code rc;
	int32_t day;
	if (a->given & BIT(O_CONVERT)) {
		if (!*v[O_CONVERT])
			return cd_err_set(err, CD_EINVAL, "--convert needs a "
					  "date (YYYY-MM-DD)");
		if ((rc = opt_date("convert", v[O_CONVERT], &day, err)) ||
		    (rc = case_convert(c, day, err)))
			return rc;
	}
	if (a->given & BIT(O_CLASS)) {
		if ((rc = case_class_parse(v[O_CLASS], &c->cls, err)))
			return rc;
		if (c->cls != CASE_CONFIRMED)
			c->ctype = CT_NONE;
	}
	if ((a->given & BIT(O_TYPE)) &&
	    (rc = case_ctype_parse(v[O_TYPE], &c->ctype, err)))
		return rc;
	if ((a->given & BIT(O_IMPORTED)) && (a->given & BIT(O_LOCAL)))
		return cd_err_set(err, CD_EUSAGE, "give --imported or --local, "
				  "not both");
	if (a->given & BIT(O_IMPORTED))
		c->origin = ORIGIN_IMPORTED;
	if (a->given & BIT(O_LOCAL))
		c->origin = ORIGIN_LOCAL;
	if (a->given & BIT(O_FOUND))
		return case_found_parse(v[O_FOUND], &c->found, err);
	return CD_OK;
}

/* Every given option onto c (which holds the defaults or the stored
 * case). CD_EINVAL naming the option for a malformed value. */
static enum cd_code apply_opts(const struct case_args *a, struct case_rec *c,
			       struct cd_err *err)
{
	const char *const *v = a->arg;
	unsigned g = a->given;
	enum cd_code rc;
	if ((rc = apply_class(a, c, err)) ||
	    ((g & BIT(O_ONSET)) &&
	     (rc = opt_date("onset", v[O_ONSET], &c->onset, err))) ||
	    ((g & BIT(O_SAMPLING)) &&
	     (rc = opt_date("sampling", v[O_SAMPLING], &c->sampling, err))) ||
	    ((g & BIT(O_REPORTED)) &&
	     (rc = opt_time("reported", v[O_REPORTED], &c->reported, err))) ||
	    ((g & BIT(O_ISOLATED)) &&
	     (rc = opt_time("isolated", v[O_ISOLATED], &c->isolated, err))) ||
	    ((g & BIT(O_OUTCOME)) &&
	     (rc = case_outcome_parse(v[O_OUTCOME], &c->outcome, err))) ||
	    ((g & BIT(O_OUTCOME_DATE)) &&
	     (rc = opt_date("outcome-date", v[O_OUTCOME_DATE],
			    &c->outcome_date, err))))
		return rc;
	if (g & BIT(O_HOSPITAL)) {
		if (strlen(v[O_HOSPITAL]) > HOSPITAL_MAX_BYTES)
			return cd_err_set(err, CD_EINVAL, "--hospital: longer "
					  "than %d bytes", HOSPITAL_MAX_BYTES);
		snprintf(c->hospital, sizeof c->hospital, "%s", v[O_HOSPITAL]);
	}
	return CD_OK;
}

/* A case is a cause of the person's health code (docs/codes.md). */
static enum cd_code recode(struct store *st, const char *rid,
			   struct cd_err *err)
{
	struct rules_eff eff;
	enum cd_code rc = rules_file_load(NULL, NULL, &eff, err);
	return rc ? rc : codes_refresh_rid(st, &eff.r, rid, cd_now(), err);
}

static int case_add(const struct case_args *a)
{
	struct case_rec c;
	struct rid id;
	struct cd_err err;
	struct store *st = NULL;
	int ret;
	cd_err_clear(&err);
	if (only(a, RECORD_OPTS | BIT(O_ID)))
		return cd_code_exit(CD_EUSAGE);
	if (a->operand || !a->arg[O_ID] || !a->arg[O_CLASS])
		return cli_usage("case");
	if (rid_parse(a->arg[O_ID], cd_today_cst(), &id, &err))
		return cli_fail(CD_EINVAL, "resident ID '%s': %s",
				a->arg[O_ID], err.msg);
	memset(&c, 0, sizeof c);
	snprintf(c.rid, sizeof c.rid, "%s", id.id);
	c.origin = ORIGIN_LOCAL;
	c.found = FOUND_OTHER;
	c.reported = cd_now();
	if (apply_opts(a, &c, &err) || case_validate(&c, cd_today_cst(), &err))
		return cli_fail_err(&err);
	if ((ret = cli_open(a->arg[O_DB], STORE_WRITE, &st)))
		return ret;
	if (store_case_add(st, &c, &err) || recode(st, c.rid, &err))
		ret = cli_fail_err(&err);
	else
		printf("%s\n", c.number);
	store_close(st);
	return ret;
}

/* The read-check-write of an update, inside the caller's transaction. */
static enum cd_code update_in(struct store *st, const struct case_args *a,
			      struct cd_err *err)
{
	struct store_case_view old;
	struct case_rec neu;
	enum cd_code rc = store_case_get(st, a->operand, &old, err);
	if (rc)
		return rc;
	neu = old.c;
	if ((rc = apply_opts(a, &neu, err)) ||
	    (rc = case_check_change(&old.c, &neu, err)) ||
	    (rc = case_validate(&neu, cd_today_cst(), err)))
		return rc;
	return store_case_update(st, &neu, err);
}

static int case_update(const struct case_args *a)
{
	struct cd_err err;
	struct store *st = NULL;
	int ret;
	cd_err_clear(&err);
	if (only(a, RECORD_OPTS | BIT(O_OUTCOME) | BIT(O_OUTCOME_DATE) |
			    BIT(O_CONVERT)))
		return cd_code_exit(CD_EUSAGE);
	if (!a->operand)
		return cli_usage("case");
	if (!(a->given & ~BIT(O_DB)))
		return cli_fail(CD_EUSAGE, "case update %s: nothing to change",
				a->operand);
	if (!case_number_valid(a->operand))
		return cli_fail(CD_EINVAL, "'%s' is not a case number "
				"(like 430422-C0001)", a->operand);
	if ((ret = cli_open(a->arg[O_DB], STORE_WRITE, &st)))
		return ret;
	struct store_case_view v;
	if (store_begin(st, &err) || update_in(st, a, &err) ||
	    store_commit(st, &err) ||
	    store_case_get(st, a->operand, &v, &err) ||
	    recode(st, v.c.rid, &err)) {
		store_rollback(st);
		ret = cli_fail_err(&err);
	} else {
		printf("updated %s\n", a->operand);
	}
	store_close(st);
	return ret;
}

/* The case a show operand names: a case number or a resident ID. */
static enum cd_code find_case(struct store *st, const char *key,
			      struct store_case_view *v, struct cd_err *err)
{
	struct rid id;
	struct cd_err sub;
	cd_err_clear(&sub);
	if (case_number_valid(key))
		return store_case_get(st, key, v, err);
	if (rid_parse(key, cd_today_cst(), &id, &sub))
		return cd_err_set(err, CD_EINVAL, "'%s' is neither a case "
				  "number (like 430422-C0001) nor a valid "
				  "resident ID: %s", key, sub.msg);
	return store_case_get_by_rid(st, id.id, v, err);
}

/* Text forms of a case's fields, shared by show and list. */
struct case_text {
	char rid[RID_LEN + 1];
	char onset[16], sampling[16], outcome_date[16], converted[16];
	char reported[32], isolated[32];
};

static void day_text(int32_t d, char *buf, size_t len)
{
	if (d)
		date_format(d, buf, len);
	else
		buf[0] = '\0';
}

static void case_text(const struct case_rec *c, int unmasked, int iso,
		      struct case_text *t)
{
	if (unmasked)
		snprintf(t->rid, sizeof t->rid, "%s", c->rid);
	else
		rid_mask(c->rid, t->rid);
	day_text(c->onset, t->onset, sizeof t->onset);
	day_text(c->sampling, t->sampling, sizeof t->sampling);
	day_text(c->outcome_date, t->outcome_date, sizeof t->outcome_date);
	day_text(c->converted, t->converted, sizeof t->converted);
	void (*fmt)(int64_t, char *, size_t) =
		iso ? instant_format_iso : instant_format_cst;
	fmt(c->reported, t->reported, sizeof t->reported);
	t->isolated[0] = '\0';
	if (c->isolated)
		fmt(c->isolated, t->isolated, sizeof t->isolated);
}

/* NULL for an empty string, so JSON shows null. */
static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static json_t *case_json(const struct store_case_view *v, int unmasked)
{
	const struct case_rec *c = &v->c;
	struct case_text t;
	case_text(c, unmasked, 1, &t);
	return json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s?, s:s?, s:s,"
		" s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:s}",
		"number", c->number, "resident_id", t.rid, "name", v->name,
		"class", case_class_name(c->cls), "class_zh",
		case_class_zh(c->cls), "clinical_type",
		nz(case_ctype_name(c->ctype)), "origin",
		case_origin_name(c->origin), "found", case_found_name(c->found),
		"onset", nz(t.onset), "sampling", nz(t.sampling), "reported",
		t.reported, "isolated", nz(t.isolated), "hospital",
		nz(c->hospital), "outcome", nz(case_outcome_name(c->outcome)),
		"outcome_date", nz(t.outcome_date), "converted",
		nz(t.converted), "hamlet", v->hamlet, "county", v->county);
}

/* "English 中文" for a field with a label, "" for none. */
static void both(const char *name, const char *zh, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", name, *name ? " " : "", zh);
}

static void show_text(const struct store_case_view *v, int unmasked)
{
	const struct case_rec *c = &v->c;
	struct case_text t;
	char cls[64], type[64], origin[64], found[64], outcome[64];
	case_text(c, unmasked, 0, &t);
	both(case_class_name(c->cls), case_class_zh(c->cls), cls, sizeof cls);
	both(case_ctype_name(c->ctype), case_ctype_zh(c->ctype), type,
	     sizeof type);
	both(case_origin_name(c->origin), case_origin_zh(c->origin), origin,
	     sizeof origin);
	both(case_found_name(c->found), case_found_zh(c->found), found,
	     sizeof found);
	both(case_outcome_name(c->outcome), case_outcome_zh(c->outcome),
	     outcome, sizeof outcome);
	const char *rows[][2] = {
		{ "number", c->number }, { "resident ID", t.rid },
		{ "name", v->name }, { "class", cls }, { "clinical type", type },
		{ "origin", origin }, { "found by", found },
		{ "onset", t.onset }, { "sampling", t.sampling },
		{ "reported", t.reported }, { "isolated", t.isolated },
		{ "hospital", c->hospital }, { "outcome", outcome },
		{ "outcome date", t.outcome_date },
		{ "converted", t.converted }, { "hamlet", v->hamlet },
		{ "county", v->county },
	};
	struct table *tb = table_new(2);
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
		table_add(tb, rows[r]);
	table_print(tb, stdout, 0);
}

static void print_json(json_t *j)
{
	cli_print_json(j);
}

static int case_show(const struct case_args *a)
{
	struct cd_err err;
	struct store *st = NULL;
	struct store_case_view v;
	int ret;
	cd_err_clear(&err);
	if (only(a, BIT(O_JSON) | BIT(O_UNMASKED)))
		return cd_code_exit(CD_EUSAGE);
	if (!a->operand)
		return cli_usage("case");
	if ((ret = cli_open(a->arg[O_DB], 0, &st)))
		return ret;
	enum cd_code rc = find_case(st, a->operand, &v, &err);
	store_close(st);
	if (rc)
		return cli_fail_err(&err);
	int unmasked = (a->given & BIT(O_UNMASKED)) != 0;
	if (a->given & BIT(O_JSON))
		print_json(case_json(&v, unmasked));
	else
		show_text(&v, unmasked);
	return 0;
}

struct list_ctx {
	struct table *t;
	json_t *arr;
	int unmasked;
	long n;
};

static enum cd_code list_one(void *vctx, const struct store_case_view *v)
{
	struct list_ctx *x = vctx;
	const struct case_rec *c = &v->c;
	x->n++;
	if (x->arr)
		return json_array_append_new(x->arr, case_json(v, x->unmasked))
			       ? CD_ENOMEM : CD_OK;
	struct case_text t;
	case_text(c, x->unmasked, 0, &t);
	t.reported[16] = '\0'; /* to the minute */
	const char *row[] = { c->number, t.rid, v->name,
			      case_class_name(c->cls),
			      case_ctype_name(c->ctype),
			      case_origin_name(c->origin), t.onset, t.sampling,
			      t.reported, case_found_name(c->found),
			      case_outcome_name(c->outcome) };
	table_add(x->t, row);
	return CD_OK;
}

/* A --limit or --offset value: a whole number >= 0. */
static enum cd_code opt_count(const char *name, const char *s, long *out,
			      struct cd_err *err)
{
	char *end;
	long v = s ? strtol(s, &end, 10) : 0;
	if (s && (!*s || *end || v < 0 || v > 100000000L))
		return cd_err_set(err, CD_EUSAGE, "--%s needs a whole number "
				  "from 0 to 100000000, not '%s'", name, s);
	*out = v;
	return CD_OK;
}

static enum cd_code list_filter(const struct case_args *a,
				struct store_case_filter *f,
				struct cd_err *err)
{
	enum cd_code rc;
	memset(f, 0, sizeof *f);
	f->unit = a->arg[O_UNIT];
	f->any_class = !(a->given & BIT(O_CLASS));
	if (!f->any_class && (rc = case_class_parse(a->arg[O_CLASS], &f->cls,
						    err)))
		return rc;
	if ((rc = opt_count("limit", a->arg[O_LIMIT], &f->limit, err)))
		return rc;
	return opt_count("offset", a->arg[O_OFFSET], &f->offset, err);
}

static void list_print(struct list_ctx *x)
{
	if (x->arr) {
		print_json(x->arr);
		return;
	}
	table_print(x->t, stdout, 0);
	printf("%ld case%s\n", x->n, x->n == 1 ? "" : "s");
}

static int case_list(const struct case_args *a)
{
	struct cd_err err;
	struct store_case_filter f;
	struct store *st = NULL;
	struct list_ctx x = { NULL, NULL, 0, 0 };
	int ret;
	cd_err_clear(&err);
	if (only(a, BIT(O_UNIT) | BIT(O_CLASS) | BIT(O_JSON) |
			    BIT(O_UNMASKED) | BIT(O_LIMIT) | BIT(O_OFFSET)))
		return cd_code_exit(CD_EUSAGE);
	if (a->operand)
		return cli_usage("case");
	if (list_filter(a, &f, &err))
		return cli_fail_err(&err);
	if ((ret = cli_open(a->arg[O_DB], 0, &st)))
		return ret;
	x.unmasked = (a->given & BIT(O_UNMASKED)) != 0;
	if (a->given & BIT(O_JSON)) {
		x.arr = json_array();
	} else {
		const char *head[] = { "NUMBER", "RESIDENT ID", "NAME", "CLASS",
				       "TYPE", "ORIGIN", "ONSET", "SAMPLING",
				       "REPORTED", "FOUND", "OUTCOME" };
		x.t = table_new(11);
		table_add(x.t, head);
	}
	if (store_case_list(st, &f, list_one, &x, &err)) {
		ret = cli_fail_err(&err);
		json_decref(x.arr);
		table_free(x.t);
	} else {
		list_print(&x);
	}
	store_close(st);
	return ret;
}

/* `cordon case SUB ...`: dispatch to add, update, show or list. */
int cmd_case(int argc, char **argv)
{
	struct case_args a;
	int n = parse_args(argc, argv, &a);
	if (n < 0)
		return cli_usage("case");
	if (a.given & BIT(O_HELP)) {
		char *help[] = { "help", "case", NULL };
		return cmd_help(2, help);
	}
	if (!a.sub || n > 2)
		return cli_usage("case");
	if (strcmp(a.sub, "add") == 0)
		return case_add(&a);
	if (strcmp(a.sub, "update") == 0)
		return case_update(&a);
	if (strcmp(a.sub, "show") == 0)
		return case_show(&a);
	if (strcmp(a.sub, "list") == 0)
		return case_list(&a);
	cli_fail(CD_EUSAGE, "unknown subcommand 'case %s' (add, update, show "
		 "or list)", a.sub);
	return cli_usage("case");
}
