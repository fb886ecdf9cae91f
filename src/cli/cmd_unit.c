/* cmd_unit.c — `cordon unit tree CODE`. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

static json_t *node_json(const struct unit_node *u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:[]}",
			 "code", u->code, "name", u->name,
			 "level", unit_level_name(u->level),
			 "kind", unit_kind_name(u->kind),
			 "households", (json_int_t)u->total_households,
			 "persons", (json_int_t)u->total_persons,
			 "direct_households", (json_int_t)u->households,
			 "direct_persons", (json_int_t)u->persons,
			 "children");
}

/* Nest the pre-order list by depth. Returns a new reference. */
static json_t *tree_json(const struct unit_node *nodes, size_t n)
{
	json_t *stack[8] = { NULL };
	json_t *root = NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *j = node_json(&nodes[i]);
		int d = nodes[i].depth;
		if (d == 0 || d >= 8) {
			if (!root)
				root = j;
			else
				json_decref(j);
			stack[0] = root;
			continue;
		}
		json_array_append_new(json_object_get(stack[d - 1],
						      "children"), j);
		stack[d] = j;
	}
	return root;
}

static void tree_text(const struct unit_node *nodes, size_t n)
{
	struct table *t = table_new(5);
	const char *head[] = { "CODE", "NAME", "KIND", "HOUSEHOLDS",
			       "PERSONS" };
	table_add(t, head);
	for (size_t i = 0; i < n; i++) {
		struct strbuf name = STRBUF_INIT;
		char hh[24], pp[24];
		for (int d = 0; d < nodes[i].depth; d++)
			strbuf_addstr(&name, "  ");
		strbuf_addstr(&name, nodes[i].name);
		snprintf(hh, sizeof hh, "%ld", nodes[i].total_households);
		snprintf(pp, sizeof pp, "%ld", nodes[i].total_persons);
		const char *row[] = { nodes[i].code, name.buf,
				      unit_kind_name(nodes[i].kind), hh, pp };
		table_add(t, row);
		strbuf_release(&name);
	}
	table_print(t, stdout, (1u << 3) | (1u << 4));
}

int cmd_unit(int argc, char **argv)
{
	struct cli_opts o;
	int i = cli_parse_opts(argc, argv, OPT_DB | OPT_JSON, &o);
	if (i < 0)
		return cd_code_exit(CD_EUSAGE);
	if (o.help || argc - i != 2 || strcmp(argv[i], "tree") != 0)
		return cli_usage("unit");
	struct store *st;
	int rc = cli_open(o.db, 0, &st);
	if (rc)
		return rc;
	struct unit_node *nodes;
	size_t n;
	struct cd_err err;
	cd_err_clear(&err);
	if (store_unit_tree(st, argv[i + 1], &nodes, &n, &err)) {
		store_close(st);
		return cli_fail_err(&err);
	}
	store_close(st);
	unit_tree_rollup(nodes, n);
	if (o.json) {
		json_t *j = tree_json(nodes, n);
		cli_print_json(j);
	} else {
		tree_text(nodes, n);
	}
	free(nodes);
	return 0;
}
