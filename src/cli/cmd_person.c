/* cmd_person.c — `cordon person show ID`. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/banned.h"

/* Whole years between birth and today. */
static int age_on(int32_t birth, int32_t today)
{
	int by, bm, bd, ty, tm, td;
	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(today, &ty, &tm, &td);
	return ty - by - (tm < bm || (tm == bm && td < bd));
}

int cmd_person(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv, OPT_DB | OPT_JSON | OPT_UNMASKED,
			       &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	if (o.help || argc - i != 2 || strcmp(argv[i], "show") != 0)
		return cli_usage("person");
	struct rid id;
	struct cd_err err;
	cd_err_clear(&err);
	if (rid_parse(argv[i + 1], cd_today_cst(), &id, &err))
		return cli_fail(CD_EINVAL, "resident ID '%s': %s", argv[i + 1],
				err.msg);
	struct store *st;
	int rc = cli_open(o.db, 0, &st);
	if (rc)
		return rc;
	struct person_view v;
	enum cd_code code = store_person_get(st, id.id, &v, &err);
	store_close(st);
	if (code)
		return cli_fail_err(&err);
	char rid[RID_LEN + 1], phone[12], birth[11], groups[64];
	if (o.unmasked) {
		snprintf(rid, sizeof rid, "%s", v.p.rid);
		snprintf(phone, sizeof phone, "%s", v.p.phone);
	} else {
		rid_mask(v.p.rid, rid);
		if (v.p.phone[0])
			phone_mask(v.p.phone, phone);
		else
			phone[0] = '\0';
	}
	date_format(v.p.birth, birth, sizeof birth);
	groups_format(v.p.groups, groups, sizeof groups);
	int age = age_on(v.p.birth, cd_today_cst());
	const char *sex = v.p.sex == 'M' ? "male" : "female";
	if (o.json) {
		json_t *j = json_pack(
			"{s:s, s:s, s:s, s:s, s:i, s:s?, s:s, s:s, s:s, s:s,"
			" s:s, s:s, s:s, s:s}",
			"resident_id", rid, "name", v.p.name, "sex", sex,
			"birth_date", birth, "age", age,
			"phone", phone[0] ? phone : NULL,
			"household", v.p.household, "address", v.address,
			"hamlet", v.hamlet, "hamlet_name", v.hamlet_name,
			"village", v.village_name, "town", v.town_name,
			"county", v.county_name, "groups", groups);
		cli_print_json(j);
		return 0;
	}
	char agebuf[16], hamlet[200];
	snprintf(agebuf, sizeof agebuf, "%d", age);
	snprintf(hamlet, sizeof hamlet, "%s (%s)", v.hamlet_name, v.hamlet);
	const char *rows[][2] = {
		{ "resident ID", rid },  { "name", v.p.name },
		{ "sex", sex },          { "birth date", birth },
		{ "age", agebuf },       { "phone", phone },
		{ "household", v.p.household }, { "address", v.address },
		{ "hamlet", hamlet },    { "village", v.village_name },
		{ "town", v.town_name }, { "county", v.county_name },
		{ "groups", groups },
	};
	struct table *t = table_new(2);
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
		table_add(t, rows[r]);
	table_print(t, stdout, 0);
	return 0;
}
