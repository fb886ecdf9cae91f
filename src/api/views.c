/* views.c — the shapes the handlers share (views.h). */
#include <stdio.h>
#include <string.h>

#include "api/views.h"
#include "lib/date.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

json_t *api_person_json(uint32_t id, const char *rid, const char *name,
			const char *hamlet)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "person", (json_int_t)id,
			 "rid", rid, "name", name, "hamlet", hamlet);
}

json_t *api_text(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

bool api_person_in_scope(struct api_req *r, uint32_t person, char *hamlet)
{
	struct cd_err e;
	return !store_api_plan_hamlet(r->st, person, hamlet, &e) &&
	       api_in_scope(r, hamlet);
}

const char *api_scope(const struct api_req *r)
{
	return r->user->unit[0] ? r->user->unit : NULL;
}

enum cd_code api_about(struct api_req *r, const char *field, enum cd_code rc)
{
	if (rc)
		snprintf(r->field, sizeof r->field, "%s", field);
	return rc;
}

void api_body_field(struct api_req *r, const char *name)
{
	for (const struct api_field *f = r->route->body; f && f->name; f++)
		if (!strcmp(f->name, name))
			snprintf(r->field, sizeof r->field, "%s", name);
}

void api_scrub_path(struct cd_err *err, const char *path, const char *name)
{
	if (!path || !path[0])
		return;
	struct strbuf sb = STRBUF_INIT;
	const char *p = err->msg, *hit;
	size_t n = strlen(path);
	while ((hit = strstr(p, path))) {
		strbuf_add(&sb, p, (size_t)(hit - p));
		strbuf_addstr(&sb, name);
		p = hit + n;
	}
	strbuf_addstr(&sb, p);
	snprintf(err->msg, sizeof err->msg, "%s", sb.buf);
	strbuf_release(&sb);
}

int32_t api_today(const struct api_req *r)
{
	return (int32_t)((r->now + CD_CST_OFFSET) / 86400);
}

int32_t api_query_day(struct api_req *r, const char *name)
{
	int32_t d;
	const char *s = api_query(r, name);
	return s && date_parse(s, &d) ? d : api_today(r);
}

/* ---- pages */

struct api_page api_page_start(struct api_req *r, struct cd_err *err)
{
	return (struct api_page){ r, json_array(), 0, err };
}

bool api_page_wants(struct api_page *p)
{
	return p->seen++ >= p->r->offset;
}

enum cd_code api_page_add(struct api_page *p, json_t *item)
{
	json_array_append_new(p->items, item);
	return (long)json_array_size(p->items) > p->r->limit ? API_PAGE_FULL
							     : CD_OK;
}

enum cd_code api_page_end(struct api_page *p, enum cd_code rc, json_t **out)
{
	if (rc == API_PAGE_FULL &&
	    (long)json_array_size(p->items) > p->r->limit)
		rc = CD_OK;
	if (rc)
		json_decref(p->items);
	else
		*out = p->items;
	p->items = NULL;
	return rc;
}

/* ---- units */

enum cd_code api_unit_under(struct api_req *r, const char *code, bool *in,
			    struct cd_err *err)
{
	*in = true;
	return r->unit ? store_unit_within(r->st, code, r->unit, in, err)
		       : CD_OK;
}

bool api_in_filter(struct api_req *r, const char *code)
{
	bool in;
	struct cd_err e;
	return !api_unit_under(r, code, &in, &e) && in;
}

bool api_memo_in(struct api_unit_memo *m, const char *code)
{
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->code[i], code))
			return m->in[i];
	bool in = m->test(m->r, code);
	if (m->n < API_UNIT_MEMO) {
		snprintf(m->code[m->n], UNIT_CODE_MAX, "%s", code);
		m->in[m->n++] = in;
	}
	return in;
}
