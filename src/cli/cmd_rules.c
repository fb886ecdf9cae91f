/* cmd_rules.c — `cordon rules show`: the effective rules (a profile and a
 * deployment's overrides) and where each value came from. Its options are
 * parsed here, not in opts.c: only this command has them. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/rules_file.h"
#include "cli/cli.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

struct show_opts {
	const char *rules, *profile;
	int json, ini, help;
};

/* Returns the index of the first operand, or -1 after printing why. */
static int parse_opts(int argc, char **argv, struct show_opts *o)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "profile", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "ini", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	memset(o, 0, sizeof *o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': o->rules = optarg; break;
		case 'p': o->profile = optarg; break;
		case 'j': o->json = 1; break;
		case 'i': o->ini = 1; break;
		case 'h': o->help = 1; break;
		default:
			cli_fail(CD_EUSAGE, "unknown or incomplete option "
				 "'%s'", argv[optind - 1]);
			return -1;
		}
	}
	return optind;
}

/* Where the profile itself was chosen. */
static void profile_origin(const struct rules_eff *e,
			   const struct show_opts *o, struct strbuf *sb)
{
	if (o->profile)
		strbuf_addstr(sb, "--profile");
	else if (e->profile_line)
		strbuf_addf(sb, "%s:%d", e->deploy_file, e->profile_line);
	else
		strbuf_addstr(sb, "default");
}

static json_t *json_value(const struct rules *r, size_t i)
{
	struct rules_key k;
	int v[RULES_MAX_TEST_DAYS];
	int n = rules_value_get(r, i, v);
	rules_key_get(i, &k);
	switch (k.type) {
	case RULES_T_INT:
		return json_integer(v[0]);
	case RULES_T_BOOL:
		return json_boolean(v[0]);
	case RULES_T_TENTHS:
		return json_real(v[0] / 10.0);
	default: {
		json_t *a = json_array();
		for (int j = 0; j < n; j++)
			json_array_append_new(a, json_integer(v[j]));
		return a;
	}
	}
}

static void show_json(const struct rules_eff *e, const struct show_opts *o)
{
	struct strbuf po = STRBUF_INIT;
	struct rules_key k;
	json_t *arr = json_array();
	profile_origin(e, o, &po);
	for (size_t i = 0; i < rules_key_count(); i++) {
		rules_key_get(i, &k);
		bool dep = e->from[i] == RULES_FROM_DEPLOY;
		json_array_append_new(arr, json_pack(
			"{s:s, s:o, s:{s:s, s:s, s:i}}", "key", k.name,
			"value", json_value(&e->r, i), "origin", "source",
			dep ? "deployment" : "profile", "file",
			dep ? e->deploy_file : e->profile_file, "line",
			e->line[i]));
	}
	json_t *doc = json_pack("{s:s, s:s, s:o, s:o}", "profile",
				e->r.profile, "profile_origin", po.buf,
				"deployment", e->deploy_file[0]
				? json_string(e->deploy_file) : json_null(),
				"rules", arr);
	cli_print_json(doc);
	strbuf_release(&po);
}

static void show_text(const struct rules_eff *e, const struct show_opts *o)
{
	struct table *t = table_new(3);
	struct strbuf val = STRBUF_INIT, org = STRBUF_INIT;
	struct rules_key k;
	const char *head[] = { "KEY", "VALUE", "ORIGIN" };
	table_add(t, head);
	profile_origin(e, o, &org);
	const char *first[] = { "profile", e->r.profile, org.buf };
	table_add(t, first);
	for (size_t i = 0; i < rules_key_count(); i++) {
		strbuf_reset(&val);
		strbuf_reset(&org);
		rules_key_get(i, &k);
		rules_value_format(&e->r, i, &val);
		rules_origin_format(e, i, &org);
		const char *row[] = { k.name, val.buf, org.buf };
		table_add(t, row);
	}
	table_print(t, stdout, 0);
	strbuf_release(&val);
	strbuf_release(&org);
}

int cmd_rules(int argc, char **argv)
{
	struct show_opts o;
	int i = parse_opts(argc, argv, &o);
	if (i < 0 || o.help || argc - i != 1 || strcmp(argv[i], "show") ||
	    (o.json && o.ini))
		return cli_usage("rules");
	struct rules_eff eff;
	struct cd_err err;
	cd_err_clear(&err);
	if (rules_file_load(o.rules, o.profile, &eff, &err))
		return cli_fail_err(&err);
	if (o.json) {
		show_json(&eff, &o);
	} else if (o.ini) {
		struct strbuf sb = STRBUF_INIT;
		rules_write(&eff.r, &sb);
		fputs(sb.buf, stdout);
		strbuf_release(&sb);
	} else {
		show_text(&eff, &o);
	}
	return 0;
}
