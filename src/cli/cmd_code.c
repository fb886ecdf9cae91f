/* cmd_code.c — `cordon code ID` and `cordon check ID --checkpoint CODE`. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/check_run.h"
#include "app/codes_run.h"
#include "app/rules_file.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/banned.h"

struct hist {
	json_t *arr;
};

static enum cd_code add_hist(void *ctx, const struct store_code *c)
{
	struct hist *h = ctx;
	char when[24];
	instant_format_cst(c->since, when, sizeof when);
	json_t *reasons = json_loads(c->reasons, 0, NULL);
	json_array_append_new(h->arr, json_pack("{s:s, s:s, s:o}", "at", when,
						"colour", c->colour, "reasons",
						reasons ? reasons
							: json_array()));
	return CD_OK;
}

static void print_code_text(const char *id, const char *name,
			    const struct code_result *res, json_t *hist)
{
	printf("%s  %s  %s %s\n", id, name, code_colour_zh(res->colour),
	       code_colour_name(res->colour));
	for (int i = 0; i < res->n; i++)
		printf("  %-7s %s\n", code_colour_name(res->reasons[i].colour),
		       res->reasons[i].text);
	if (res->n == 0)
		printf("  no cause on record\n");
	printf("history:\n");
	size_t i;
	json_t *h;
	json_array_foreach(hist, i, h) {
		printf("  %s  %-6s", json_string_value(json_object_get(h, "at")),
		       json_string_value(json_object_get(h, "colour")));
		json_t *rs = json_object_get(h, "reasons"), *r;
		size_t k;
		json_array_foreach(rs, k, r)
			printf("%s%s", k ? "; " : "  ",
			       json_string_value(json_object_get(r, "text")));
		printf("\n");
	}
	if (json_array_size(hist) == 0)
		printf("  always green\n");
}

int cmd_code(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv,
			       OPT_DB | OPT_JSON | OPT_UNMASKED | OPT_RULES, &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	if (o.help || argc - i != 1)
		return cli_usage("code");
	struct rid id;
	struct rules_eff eff;
	struct cd_err err;
	cd_err_clear(&err);
	if (rid_parse(argv[i], cd_today_cst(), &id, &err))
		return cli_fail(CD_EINVAL, "resident ID '%s': %s", argv[i],
				err.msg);
	if (rules_file_load(o.rules, NULL, &eff, &err))
		return cli_fail_err(&err);
	struct store *st;
	int rc = cli_open(o.db, STORE_WRITE, &st);
	if (rc)
		return rc;
	uint32_t person;
	struct code_result res;
	struct person_view pv;
	struct hist h = { json_array() };
	enum cd_code code = store_person_get(st, id.id, &pv, &err);
	if (!code)
		code = store_person_id(st, id.id, &person, &err);
	if (!code)
		code = codes_person(st, &eff.r, person, cd_now(), &res, &err);
	if (!code)
		code = store_code_history(st, person, add_hist, &h, &err);
	store_close(st);
	if (code) {
		json_decref(h.arr);
		return cli_fail_err(&err);
	}
	char shown[RID_LEN + 1], phone[12] = "";
	if (o.unmasked) {
		snprintf(shown, sizeof shown, "%s", id.id);
		snprintf(phone, sizeof phone, "%s", pv.p.phone);
	} else {
		rid_mask(id.id, shown);
		if (pv.p.phone[0])
			phone_mask(pv.p.phone, phone);
	}
	if (o.json) {
		/* The fields of GB/T 38962-2020 (个人健康信息码) that apply:
		 * name, sex, nationality, ID type and number, residence
		 * division, address, phone; then the code itself. */
		char *reasons = codes_reasons_json(&res);
		char division[7];
		snprintf(division, sizeof division, "%.6s", pv.hamlet);
		cli_print_json(json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s,"
			" s:o, s:o}",
			"name", pv.p.name, "sex", pv.p.sex == 'M' ? "1" : "2",
			"nationality", "CHN", "id_type", "01",
			"id_number", shown, "residence_division", division,
			"address", pv.address, "phone", phone[0] ? phone : NULL,
			"colour", code_colour_name(res.colour), "colour_zh",
			code_colour_zh(res.colour), "reasons",
			json_loads(reasons, 0, NULL), "history", h.arr));
		free(reasons);
	} else {
		print_code_text(shown, pv.p.name, &res, h.arr);
		json_decref(h.arr);
	}
	return 0;
}

static int parse_check(const struct cli_opts *o, struct check_request *q)
{
	char *end;
	if (!o->checkpoint)
		return cli_fail(CD_EUSAGE, "--checkpoint CODE is required");
	q->checkpoint = o->checkpoint;
	q->mask = -1;
	if (o->temp) {
		q->temp = strtod(o->temp, &end);
		if (*end || !*o->temp || !isfinite(q->temp) || q->temp < 30 ||
		    q->temp > 45)
			return cli_fail(CD_EINVAL, "--temp '%s': a body "
					"temperature in °C, 30 to 45", o->temp);
		q->has_temp = 1;
	}
	if (o->mask) {
		if (strcmp(o->mask, "yes") && strcmp(o->mask, "no"))
			return cli_fail(CD_EINVAL, "--mask is yes or no");
		q->mask = !strcmp(o->mask, "yes");
	}
	if (o->window) {
		q->window_hours = (int)strtol(o->window, &end, 10);
		if (*end || !*o->window)
			return cli_fail(CD_EINVAL, "--window is 24, 48 or 72");
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv,
			       OPT_DB | OPT_JSON | OPT_RULES | OPT_CHECKPOINT,
			       &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	if (o.help || argc - i != 1)
		return cli_usage("check");
	struct check_request q;
	memset(&q, 0, sizeof q);
	q.rid = argv[i];
	q.now = cd_now();
	int rc = parse_check(&o, &q);
	if (rc)
		return rc;
	struct rules_eff eff;
	struct cd_err err;
	cd_err_clear(&err);
	if (rules_file_load(o.rules, NULL, &eff, &err))
		return cli_fail_err(&err);
	struct store *st;
	if ((rc = cli_open(o.db, STORE_WRITE, &st)))
		return rc;
	struct check_result res;
	struct code_result code;
	json_t *f;
	enum cd_code c = check_run(st, &eff.r, &q, &res, &code, &f, &err);
	store_close(st);
	if (c)
		return cli_fail_err(&err);
	if (o.json) {
		cli_print_json(json_pack("{s:s, s:s, s:o}", "outcome",
					 check_outcome_name(res.outcome),
					 "code", code_colour_name(code.colour),
					 "findings", f));
		return 0;
	}
	json_decref(f);
	printf("%s %s\n", check_outcome_zh(res.outcome),
	       check_outcome_name(res.outcome));
	static const char *const steps[] = { "", "1 scan", "2 look", "3 check",
					     "4 verify" };
	for (int k = 0; k < res.n; k++)
		printf("  %-8s %-26s %s\n", steps[res.f[k].step],
		       check_outcome_name(res.f[k].outcome), res.f[k].text);
	return 0;
}
