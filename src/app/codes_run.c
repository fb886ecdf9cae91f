/* codes_run.c — facts → causes → stored codes with history. */
#include "app/codes_run.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "lib/sort.h"
#include "lib/banned.h"

static int id_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

char *codes_reasons_json(const struct code_result *res)
{
	json_t *arr = json_array();
	for (int i = 0; i < res->n; i++)
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s}", "cause",
				       res->reasons[i].cause, "colour",
				       code_colour_name(res->reasons[i].colour),
				       "text", res->reasons[i].text));
	char *s = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(arr);
	return s;
}

enum cd_code codes_refresh(struct store *st, const struct rules *r,
			   uint32_t *ids, size_t n, int64_t now,
			   struct codes_summary *sum, struct cd_err *err)
{
	memset(sum, 0, sizeof *sum);
	sort_array(ids, n, sizeof *ids, id_cmp);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || ids[i] != ids[m - 1])
			ids[m++] = ids[i];
	struct code_facts *facts = xcalloc(m + 1, sizeof *facts);
	struct store_code_put *put = xcalloc(m + 1, sizeof *put);
	char **json = xcalloc(m + 1, sizeof *json);
	for (size_t i = 0; i < m; i++)
		code_facts_init(&facts[i], now);
	enum cd_code rc = store_code_facts(st, ids, m,
					   r->codes.yellow_clear_days, facts,
					   err);
	for (size_t i = 0; i < m && !rc; i++) {
		struct code_result res;
		code_compute(r, &facts[i], &res);
		json[i] = codes_reasons_json(&res);
		put[i] = (struct store_code_put){ ids[i],
						  code_colour_name(res.colour),
						  json[i] };
		sum->red += res.colour == CODE_RED;
		sum->yellow += res.colour == CODE_YELLOW;
		sum->green += res.colour == CODE_GREEN;
	}
	sum->people = (long)m;
	if (!rc)
		rc = store_codes_save(st, put, m, now, &sum->changed, err);
	for (size_t i = 0; i < m; i++)
		free(json[i]);
	free(json);
	free(put);
	free(facts);
	return rc;
}

enum cd_code codes_refresh_rid(struct store *st, const struct rules *r,
			       const char *rid, int64_t now,
			       struct cd_err *err)
{
	uint32_t id;
	struct codes_summary sum;
	enum cd_code rc = store_person_id(st, rid, &id, err);
	return rc ? rc : codes_refresh(st, r, &id, 1, now, &sum, err);
}

/* The facts are gathered once and the code stored from them, as
 * codes_refresh would for this one person (checkpoint verification calls
 * this for everyone who passes). */
enum cd_code codes_person(struct store *st, const struct rules *r,
			  uint32_t person, int64_t now, struct code_result *out,
			  struct cd_err *err)
{
	struct code_facts f;
	long changed;
	code_facts_init(&f, now);
	enum cd_code rc = store_code_facts(st, &person, 1,
					   r->codes.yellow_clear_days, &f, err);
	if (rc)
		return rc;
	code_compute(r, &f, out);
	char *json = codes_reasons_json(out);
	struct store_code_put put = { person, code_colour_name(out->colour),
				      json };
	rc = store_codes_save(st, &put, 1, now, &changed, err);
	free(json);
	return rc;
}
