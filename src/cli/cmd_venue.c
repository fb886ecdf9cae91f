/* cmd_venue.c — `cordon venue list --unit CODE`. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/banned.h"

struct list_ctx {
	struct table *t;
	json_t *arr;
	long n;
};

static enum cd_code add_venue(void *vctx, const struct venue_rec *v)
{
	struct list_ctx *c = vctx;
	c->n++;
	if (c->arr) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "code", v->code,
				      "name", v->name, "kind",
				      venue_kind_name(v->kind), "unit",
				      v->unit);
		if (v->has_coord) {
			json_object_set_new(j, "lat", json_real(v->lat));
			json_object_set_new(j, "lon", json_real(v->lon));
		}
		json_array_append_new(c->arr, j);
		return CD_OK;
	}
	char lat[32] = "", lon[32] = "";
	if (v->has_coord) {
		snprintf(lat, sizeof lat, "%.6f", v->lat);
		snprintf(lon, sizeof lon, "%.6f", v->lon);
	}
	const char *row[] = { v->code, v->name, venue_kind_name(v->kind),
			      v->unit, lat, lon };
	table_add(c->t, row);
	return CD_OK;
}

int cmd_venue(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv, OPT_DB | OPT_JSON | OPT_UNIT, &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	if (o.help || argc - i != 1 || strcmp(argv[i], "list") != 0 ||
	    !o.unit)
		return cli_usage("venue");
	struct store *st;
	int rc = cli_open(o.db, 0, &st);
	if (rc)
		return rc;
	struct list_ctx c = { NULL, NULL, 0 };
	if (o.json) {
		c.arr = json_array();
	} else {
		c.t = table_new(6);
		const char *head[] = { "CODE", "NAME", "KIND", "UNIT", "LAT",
				       "LON" };
		table_add(c.t, head);
	}
	struct cd_err err;
	cd_err_clear(&err);
	enum cd_code code = store_venues_under(st, o.unit, add_venue, &c,
					       &err);
	store_close(st);
	if (code) {
		json_decref(c.arr);
		table_free(c.t);
		return cli_fail_err(&err);
	}
	if (c.arr) {
		cli_print_json(c.arr);
	} else {
		table_print(c.t, stdout, 0);
		fprintf(stdout, "%ld venue%s\n", c.n, c.n == 1 ? "" : "s");
	}
	return 0;
}
