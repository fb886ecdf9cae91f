/* h_contacts.c — a case's contacts (listed, or added by hand) and its
 * transmission chain: the same application calls as `cordon contact` and
 * `cordon chain` (src/cli/cmd_trace.c). Persons outside the user's
 * jurisdiction are left out of contact lists and chains: the store
 * filters contacts by hamlet, and the "via" person of a secondary contact
 * is shown only when in scope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/views.h"
#include "domain/registry.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

const struct api_field api_contacts_query[] = {
	{ "category", T_STRING, 0, KEY_NONE, 16,
	  "only close, secondary, companion or general contacts" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_contact_add_body[] = {
	{ "rid", T_STRING, F_REQUIRED, KEY_PERSON, 18,
	  "the contact: resident ID or registry id" },
	{ "reason", T_STRING, F_REQUIRED, KEY_NONE, NAME_MAX_BYTES,
	  "why the investigator adds this person" },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* A contact: the person, the category, the exposure, the evidence kinds,
 * and for a secondary contact the close contact it came through ("via",
 * null with "via_outside" when that person lies outside the user's
 * jurisdiction). */
static json_t *contact_json(const struct store_contact_row *row,
			    struct api_unit_memo *m)
{
	const struct store_contact *c = &row->c;
	json_t *j = api_person_json(c->person, c->rid, c->name, row->hamlet);
	json_t *kinds = json_array();
	for (const char *k = c->kinds; *k;) {
		size_t n = strcspn(k, ",");
		json_array_append_new(kinds, json_stringn(k, n));
		k += n + (k[n] == ',');
	}
	json_object_set_new(j, "category", json_string(c->category));
	json_object_set_new(j, "is_case", json_boolean(c->is_case));
	json_object_set_new(j, "first_exposure", api_time(c->first));
	json_object_set_new(j, "last_exposure", api_time(c->last));
	json_object_set_new(j, "evidence", kinds);
	if (!c->via) {
		json_object_set_new(j, "via", json_null());
	} else if (api_memo_in(m, row->via_hamlet)) {
		json_object_set_new(j, "via", api_person_json(
			c->via, c->via_rid, row->via_name, row->via_hamlet));
	} else {
		json_object_set_new(j, "via", json_null());
		json_object_set_new(j, "via_outside", json_true());
	}
	return j;
}

/* Whether the via persons' hamlets lie in the user's jurisdiction. */
static void memo_init(struct api_unit_memo *m, struct api_req *r)
{
	m->r = r;
	m->test = api_in_scope;
}

struct contact_page {
	struct api_unit_memo memo;
	struct api_page page;
};

static enum cd_code contact_item(void *ctx, const struct store_contact_row *c)
{
	struct contact_page *pg = ctx;
	return json_array_append_new(pg->page.items,
				     contact_json(c, &pg->memo))
		       ? CD_ENOMEM : CD_OK;
}

static bool category_ok(const char *s)
{
	return !strcmp(s, "close") || !strcmp(s, "secondary") ||
	       !strcmp(s, "companion") || !strcmp(s, "general");
}

enum cd_code api_h_contacts_list(struct api_req *r, json_t **out,
				 struct cd_err *err)
{
	int64_t case_id;
	uint32_t person;
	const char *cat = api_query(r, "category");
	if (cat && !category_ok(cat))
		return api_bad(r, err, "category", "'category' is one of "
			       "close, secondary, companion, general; not "
			       "'%s'", cat);
	enum cd_code rc = store_case_ids(r->st, r->params[0], &case_id,
					 &person, err);
	if (rc)
		return rc;
	struct contact_page *pg = xcalloc(1, sizeof *pg);
	struct store_contact_filter f = { r->unit, cat, r->limit + 1,
					  r->offset };
	memo_init(&pg->memo, r);
	pg->page = api_page_start(r, err);
	rc = store_contact_list(r->st, case_id, &f, contact_item, pg, err);
	rc = api_page_end(&pg->page, rc, out);
	free(pg);
	return rc;
}

enum cd_code api_h_contact_add(struct api_req *r, json_t **out,
			       struct cd_err *err)
{
	const char *reason = api_body_str(r, "reason", "");
	struct store_person_brief p;
	int64_t case_id;
	uint32_t case_person;
	enum cd_code rc;
	if (name_check(reason, err)) {
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		return api_bad(r, err, "reason", "'reason' %s", why);
	}
	if ((rc = store_person_brief(r->st, api_body_str(r, "rid", ""), &p,
				     err)))
		return api_about(r, "rid", rc);
	if ((rc = store_case_ids(r->st, r->params[0], &case_id, &case_person,
				 err)))
		return rc;
	if (p.id == case_person)
		return api_about(r, "rid", cd_err_set(err, CD_ERULE, "that is "
						      "the case's own person"));
	if ((rc = store_manual_add(r->st, case_id, p.id, reason, r->now, err)))
		return rc;
	json_t *j = api_person_json(p.id, p.rid, p.name, p.hamlet);
	json_object_set_new(j, "case", json_string(r->params[0]));
	json_object_set_new(j, "category", json_string("close"));
	json_object_set_new(j, "reason", json_string(reason));
	json_object_set_new(j, "added_at", api_time(r->now));
	json_object_set_new(j, "note", json_string("trace the case again "
						   "(POST .../trace) to "
						   "update its contacts"));
	*out = j;
	return CD_OK;
}

/* ---- GET /cases/{case}/chain */

struct chain {
	struct api_unit_memo memo;
	json_t *close, *elsewhere;   /* close contacts; secondaries whose
					close contact is not shown */
	uint32_t *ids;               /* close[i]'s person */
	size_t n, alloc;
};

static enum cd_code chain_close(void *ctx, const struct store_contact_row *c)
{
	struct chain *ch = ctx;
	json_t *j = contact_json(c, &ch->memo);
	json_object_set_new(j, "secondary", json_array());
	json_array_append_new(ch->close, j);
	ch->ids = xgrow(ch->ids, sizeof *ch->ids, ch->n + 1, &ch->alloc);
	ch->ids[ch->n++] = c->c.person;
	return CD_OK;
}

static enum cd_code chain_secondary(void *ctx,
				    const struct store_contact_row *c)
{
	struct chain *ch = ctx;
	json_t *to = ch->elsewhere;
	for (size_t i = 0; i < ch->n; i++)
		if (ch->ids[i] == c->c.via) {
			to = json_object_get(json_array_get(ch->close, i),
					     "secondary");
			break;
		}
	json_array_append_new(to, contact_json(c, &ch->memo));
	return CD_OK;
}

enum cd_code api_h_case_chain(struct api_req *r, json_t **out,
			      struct cd_err *err)
{
	json_t *root = NULL;
	struct store_case_view v;
	int64_t case_id;
	uint32_t person;
	long counts[4];
	struct store_contact_filter f = { api_scope(r), "close", 0, 0 };
	struct chain *ch = xcalloc(1, sizeof *ch);
	memo_init(&ch->memo, r);
	ch->close = json_array();
	ch->elsewhere = json_array();
	enum cd_code rc = api_case_load(r, r->params[0], &v, &case_id, &person,
				    err);
	if (rc || (rc = store_contact_list(r->st, case_id, &f, chain_close, ch,
					   err)))
		goto cleanup;
	f.category = "secondary";
	if ((rc = store_contact_list(r->st, case_id, &f, chain_secondary, ch,
				     err)) ||
	    (rc = store_contact_counts(r->st, case_id, f.unit, counts, err)))
		goto cleanup;
	root = api_case_json(&v, person);
	json_object_set(root, "close", ch->close);
	json_object_set(root, "secondary_via_outside", ch->elsewhere);
	json_object_set_new(root, "companions", json_integer(counts[2]));
	json_object_set_new(root, "general", json_integer(counts[3]));
	*out = root;
	root = NULL;
cleanup:
	json_decref(root);
	json_decref(ch->close);
	json_decref(ch->elsewhere);
	free(ch->ids);
	free(ch);
	return rc;
}
