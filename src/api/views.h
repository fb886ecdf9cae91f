/* views.h — what the handlers (h_*.c) build their replies from, one
 * function per shape: a person as replies show one, a page of a list,
 * whether a unit lies under the list's filter (or, remembered per code,
 * in the user's jurisdiction), and the request's today. */
#ifndef CORDON_API_VIEWS_H
#define CORDON_API_VIEWS_H

#include "api/api.h"

/* A person as replies show one: "person" (registry id, for links),
 * "rid", "name", "hamlet" (the code the dispatcher's guard checks). New
 * reference; callers add their fields after these. */
json_t *api_person_json(uint32_t id, const char *rid, const char *name,
			const char *hamlet);
/* s as a JSON string; null when s is NULL or empty. New reference. */
json_t *api_text(const char *s);
/* Whether the person (registry id) lies in the user's jurisdiction, with
 * their hamlet into hamlet (UNIT_CODE_MAX bytes); false when they cannot
 * be read. */
bool api_person_in_scope(struct api_req *r, uint32_t person, char *hamlet);
/* The user's jurisdiction as a unit filter: NULL for everything. */
const char *api_scope(const struct api_req *r);
/* rc, with r->field naming field when rc is an error. */
enum cd_code api_about(struct api_req *r, const char *field, enum cd_code rc);
/* Name field in r->field when the route's body declares a field of that
 * name (an application error whose message starts with one). */
void api_body_field(struct api_req *r, const char *name);
/* err's message with every mention of path (a spooled upload; NULL or
 * "" for none) replaced by name: the server's paths stay in. */
void api_scrub_path(struct cd_err *err, const char *path, const char *name);
/* The request's today: days since the epoch in CST at r->now. */
int32_t api_today(const struct api_req *r);
/* The day a declared T_DATE query parameter names, else today. */
int32_t api_query_day(struct api_req *r, const char *name);

/* ---- a page of a list (API_LIST routes)
 *
 * Where the store pages (LIMIT r->limit + 1 OFFSET r->offset), callbacks
 * append to items; where the handler filters rows the store cannot, it
 * pages by itself: api_page_wants skips the first r->offset matches and
 * api_page_add says API_PAGE_FULL once the page holds r->limit + 1 items
 * (the extra one tells the dispatcher there are more), which stops a
 * store walk. */
struct api_page {
	struct api_req *r;
	json_t *items;        /* a JSON array, owned until api_page_end */
	long seen;            /* matches counted by api_page_wants */
	struct cd_err *err;   /* for callbacks that call the store */
};
#define API_PAGE_FULL CD_ECONFLICT

/* An empty page of r's list. */
struct api_page api_page_start(struct api_req *r, struct cd_err *err);
/* Count one match: whether it falls on the page (false for the first
 * r->offset). */
bool api_page_wants(struct api_page *p);
/* Append item (reference stolen): CD_OK, or API_PAGE_FULL once the page
 * holds r->limit + 1 items. */
enum cd_code api_page_add(struct api_page *p, json_t *item);
/* Finish after the walk that filled the page returned rc: CD_OK with
 * the items into *out (a stop at a full page is no error), or rc with
 * the items freed. */
enum cd_code api_page_end(struct api_page *p, enum cd_code rc, json_t **out);

/* ---- units */

/* Whether unit code lies under the list's unit filter r->unit into *in
 * (true when there is no filter); the store's error otherwise. */
enum cd_code api_unit_under(struct api_req *r, const char *code, bool *in,
			    struct cd_err *err);
/* The same as a yes or no: a code that cannot be checked is not under. */
bool api_in_filter(struct api_req *r, const char *code);

#define API_UNIT_MEMO 64
/* Answers of test (api_in_scope or api_in_filter) remembered per unit
 * code: the persons of one list mostly share a few hamlets. Set r and
 * test, the rest zero. */
struct api_unit_memo {
	struct api_req *r;
	bool (*test)(struct api_req *r, const char *code);
	int n;
	char code[API_UNIT_MEMO][UNIT_CODE_MAX];
	bool in[API_UNIT_MEMO];
};
/* test's answer for code, remembered. */
bool api_memo_in(struct api_unit_memo *m, const char *code);

#endif
