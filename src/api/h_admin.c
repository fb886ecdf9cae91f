/* h_admin.c — accounts and the audit log through the API (admins only):
 * the same rules as `cordon user` and `cordon audit` (cli/cmd_user.c).
 * An admin manages users of their own jurisdiction only. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/handlers.h"
#include "api/views.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/banned.h"

const struct api_field api_user_add_body[] = {
	{ "name", T_STRING, F_REQUIRED, KEY_NONE, 64,
	  "1 to 64 letters, digits and . _ - @" },
	{ "role", T_STRING, F_REQUIRED, KEY_NONE, 16,
	  "admin, analyst, investigator, lab, grid, site, checkpoint, "
	  "supplies or resident" },
	{ "unit", T_STRING, 0, KEY_UNIT, 40,
	  "the unit the user is bound to (not for a resident)" },
	{ "rid", T_STRING, 0, KEY_PERSON, 18, "a resident's own record" },
	{ "password", T_STRING, F_REQUIRED, KEY_NONE, 256,
	  "at least 10 characters" },
	{ "unmask", T_BOOL, 0, KEY_NONE, 0,
	  "may see identity numbers in full (audited)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_user_change_body[] = {
	{ "disabled", T_BOOL, 0, KEY_NONE, 0,
	  "disable (ends the user's sessions) or enable" },
	{ "unmask", T_BOOL, 0, KEY_NONE, 0, "the unmask permission" },
	{ "password", T_STRING, 0, KEY_NONE, 256,
	  "a new password (ends the user's sessions)" },
	{ NULL, 0, 0, 0, 0, NULL },
};

const struct api_field api_audit_query[] = {
	{ "user", T_STRING, 0, KEY_NONE, 64, "only this user's entries" },
	{ "action", T_STRING, 0, KEY_NONE, 16,
	  "login, login_failed, logout, read, change, unmask, refused, "
	  "user" },
	{ "target", T_STRING, 0, KEY_NONE, 96,
	  "a target prefix, e.g. person:4304" },
	{ "since", T_TIME, 0, KEY_NONE, 40, "from this time" },
	{ "until", T_TIME, 0, KEY_NONE, 40, "before this time" },
	{ NULL, 0, 0, 0, 0, NULL },
};

static json_t *user_json(const struct store_user *u)
{
	return json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:b, s:b, s:o, s:o}",
			 "name", u->name, "role", u->role, "unit",
			 u->unit[0] ? u->unit : NULL, "unit_name",
			 u->unit_name[0] ? u->unit_name : NULL, "rid",
			 u->rid[0] ? u->rid : NULL, "unmask", u->unmask,
			 "disabled", u->disabled, "locked_until",
			 api_time(u->locked_until > time(NULL) ? u->locked_until
							       : 0),
			 "created_at", api_time(u->created_at));
}

static enum cd_code user_one(void *ctx, const struct store_user *u)
{
	struct api_page *p = ctx;
	const char *scope = p->r->unit ? p->r->unit : "";
	/* Users of the whole database are seen only by those who have it. */
	if (scope[0] && (!u->unit[0] || !api_in_scope(p->r, u->unit)))
		return CD_OK;
	if (u->unit[0] && !api_in_filter(p->r, u->unit))
		return CD_OK;
	if (!api_page_wants(p))
		return CD_OK;
	return api_page_add(p, user_json(u));
}

API_HANDLER(api_h_users_list)
{
	struct api_page p = api_page_start(r, err);
	enum cd_code rc = store_user_list(r->st, user_one, &p, err);
	return api_page_end(&p, rc, out);
}

API_HANDLER(api_h_user_get)
{
	struct store_user u;
	enum cd_code rc = store_user_get(r->st, r->params[0], &u, err);
	if (rc)
		return rc;
	*out = user_json(&u);
	return CD_OK;
}

API_HANDLER(api_h_user_add)
{
	struct store_user u;
	memset(&u, 0, sizeof u);
	const char *name = api_body_str(r, "name", "");
	const char *role = api_body_str(r, "role", "");
	const char *unit = api_body_str(r, "unit", NULL);
	const char *rid = api_body_str(r, "rid", NULL);
	unsigned bit = api_role_parse(role);
	size_t nl = strlen(name);
	if (nl < 1 || nl > 64 || strspn(name, "abcdefghijklmnopqrstuvwxyz"
					     "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					     "0123456789._-@") != nl)
		return api_bad(r, err, "name", "user name '%s': 1 to 64 "
			       "letters, digits and . _ - @", name);
	if (!bit)
		return api_bad(r, err, "role", "unknown role '%s'", role);
	if (bit == R_RESIDENT) {
		if (!rid || unit)
			return api_bad(r, err, rid ? "unit" : "rid", "a "
				       "resident is bound to their own record: "
				       "give rid, not unit");
		if (store_person_rid(r->st, rid, u.rid, err))
			return api_bad(r, err, "rid", "no person '%s'", rid);
	} else {
		if (rid)
			return api_bad(r, err, "rid", "only a resident has a "
				       "rid");
		/* Below the admin's own unit: an admin bound to a unit
		 * cannot make a user of the whole database. */
		if ((!unit || !unit[0]) &&
		    (r->user->unit[0] || (bit != R_ADMIN && bit != R_ANALYST)))
			return api_bad(r, err, "unit", "a %s needs a unit "
				       "within your jurisdiction", role);
		snprintf(u.unit, sizeof u.unit, "%s", unit ? unit : "");
	}
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	u.unmask = api_body_bool(r, "unmask", false) && bit != R_RESIDENT;
	u.created_at = time(NULL);
	enum cd_code rc = api_password_hash(api_body_str(r, "password", ""),
					    u.pw_hash, err);
	if (rc)
		return api_about(r, "password", rc);
	if ((rc = store_user_add(r->st, &u, err)))
		return rc;
	snprintf(r->target, sizeof r->target, "user:%s", name);
	struct store_user back;
	if ((rc = store_user_get(r->st, name, &back, err)))
		return rc;
	*out = user_json(&back);
	return CD_OK;
}

API_HANDLER(api_h_user_change)
{
	struct store_user u;
	enum cd_code rc = store_user_get(r->st, r->params[0], &u, err);
	if (rc)
		return rc;
	if (!strcmp(u.name, r->user->name) &&
	    api_body_bool(r, "disabled", false))
		return api_bad(r, err, "disabled", "you cannot disable "
			       "yourself");
	bool revoke = false;
	json_t *v;
	if ((v = json_object_get(r->body, "disabled")) && json_is_boolean(v)) {
		u.disabled = json_is_true(v);
		revoke |= u.disabled;
		if (!u.disabled)
			u.failed = 0, u.locked_until = 0;
	}
	if ((v = json_object_get(r->body, "unmask")) && json_is_boolean(v)) {
		if (json_is_true(v) && !strcmp(u.role, "resident"))
			return api_bad(r, err, "unmask", "a resident sees only "
				       "their own record");
		u.unmask = json_is_true(v);
	}
	const char *pw = api_body_str(r, "password", NULL);
	if (pw) {
		if ((rc = api_password_hash(pw, u.pw_hash, err)))
			return api_about(r, "password", rc);
		u.failed = 0, u.locked_until = 0;
		revoke = true;
	}
	if ((rc = store_user_set(r->st, &u, err)) ||
	    (revoke && (rc = store_session_revoke(r->st, NULL, u.id,
						  time(NULL), err))))
		return rc;
	*out = user_json(&u);
	json_object_set_new(*out, "sessions_ended", json_boolean(revoke));
	return CD_OK;
}

static enum cd_code audit_one(void *ctx, const struct store_audit *a)
{
	struct api_page *p = ctx;
	if (!api_page_wants(p))
		return CD_OK;
	return api_page_add(
		p,
		json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, "
			  "s:s}", "id", (json_int_t)a->id, "at",
			  api_time(a->at), "user", a->user, "role", a->role,
			  "ip", a->ip, "action", a->action, "method",
			  a->method, "path", a->path, "target", a->target,
			  "status", a->status, "detail", a->detail));
}

/* The audit log is the deployment's: only an admin of the whole database
 * reads it through the API (admins of a unit use `cordon audit`). */
API_HANDLER(api_h_audit)
{
	if (r->user->unit[0])
		return cd_err_set(err, CD_EFORBIDDEN, "the audit log is read "
				  "by an admin of the whole database");
	struct store_audit_filter f = { api_query(r, "user"),
					api_query(r, "action"),
					api_query(r, "target"), 0, 0,
					r->offset + r->limit + 1 };
	const char *s;
	if ((s = api_query(r, "since")))
		instant_parse(s, &f.from);
	if ((s = api_query(r, "until")))
		instant_parse(s, &f.to);
	struct api_page p = api_page_start(r, err);
	enum cd_code rc = store_audit_list(r->st, &f, audit_one, &p, err);
	return api_page_end(&p, rc, out);
}
