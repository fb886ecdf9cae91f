/* cmd_user.c — `cordon user add|passwd|disable|enable|unmask|list` and
 * `cordon audit`: accounts of the HTTP API and its audit log. There is no
 * default account: the first admin is made here. Passwords are read from
 * standard input (twice, without echo, on a terminal), never from the
 * command line where other users could see them. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/banned.h"

enum { U_DB, U_ROLE, U_UNIT, U_RID, U_UNMASK, U_JSON, U_BY, U_USER, U_ACTION,
       U_TARGET, U_SINCE, U_UNTIL, U_LIMIT, U_HELP, U_COUNT };

static const struct option longopts[] = {
	{ "db", required_argument, NULL, 256 + U_DB },
	{ "role", required_argument, NULL, 256 + U_ROLE },
	{ "unit", required_argument, NULL, 256 + U_UNIT },
	{ "rid", required_argument, NULL, 256 + U_RID },
	{ "unmask", no_argument, NULL, 256 + U_UNMASK },
	{ "json", no_argument, NULL, 256 + U_JSON },
	{ "by", required_argument, NULL, 256 + U_BY },
	{ "user", required_argument, NULL, 256 + U_USER },
	{ "action", required_argument, NULL, 256 + U_ACTION },
	{ "target", required_argument, NULL, 256 + U_TARGET },
	{ "since", required_argument, NULL, 256 + U_SINCE },
	{ "until", required_argument, NULL, 256 + U_UNTIL },
	{ "limit", required_argument, NULL, 256 + U_LIMIT },
	{ "help", no_argument, NULL, 256 + U_HELP },
	{ NULL, 0, NULL, 0 },
};

struct uargs {
	unsigned given;
	const char *arg[U_COUNT];
	int first;
};

static int only(const struct uargs *a, unsigned allowed)
{
	return cli_only(a->given, allowed | 1u << U_DB | 1u << U_HELP,
			longopts, U_COUNT);
}

/* One line of standard input without its newline; false at end of input
 * or over the size. */
static bool read_line(const char *prompt, char *buf, size_t len)
{
	bool tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	bool ok = fgets(buf, (int)len, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!ok)
		return false;
	size_t n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n == len - 1)
		return false;
	buf[n] = '\0';
	return true;
}

/* A new password's Argon2id hash from standard input. */
static int new_password(char *hash)
{
	char pw[300], again[300];
	struct cd_err err;
	if (!read_line("new password: ", pw, sizeof pw))
		return cli_fail(CD_EINVAL, "no password on standard input (or "
				"longer than 256 bytes)");
	if (isatty(STDIN_FILENO) &&
	    (!read_line("again: ", again, sizeof again) || strcmp(pw, again)))
		return cli_fail(CD_EINVAL, "the passwords differ");
	enum cd_code rc = api_password_hash(pw, hash, &err);
	memset(pw, 0, sizeof pw);
	memset(again, 0, sizeof again);
	return rc ? cli_fail_err(&err) : 0;
}

static void audit_cli(struct store *st, const struct uargs *a,
		      const char *target, const char *detail)
{
	struct api_user who;
	memset(&who, 0, sizeof who);
	snprintf(who.name, sizeof who.name, "%s", cli_actor(a->arg[U_BY]));
	api_audit(st, &who, "cli", "user", "", "", target, 0, detail);
}

/* Write the user (added when add, else updated, its sessions ended when
 * revoke) and its audit row in one transaction, and close st. */
static int save_user(struct store *st, const struct uargs *a,
		     struct store_user *u, bool add, bool revoke,
		     const char *detail)
{
	struct cd_err err;
	char target[96];
	snprintf(target, sizeof target, "user:%s", u->name);
	enum cd_code c;
	if ((c = store_begin(st, &err)) ||
	    (c = add ? store_user_add(st, u, &err)
		     : store_user_set(st, u, &err)) ||
	    (revoke && (c = store_session_revoke(st, NULL, u->id, time(NULL),
						 &err)))) {
		store_rollback(st);
		store_close(st);
		return cli_fail_err(&err);
	}
	audit_cli(st, a, target, detail);
	c = store_commit(st, &err);
	store_close(st);
	return c ? cli_fail_err(&err) : 0;
}

static int user_add(struct uargs *a, const char *name)
{
	struct store_user u;
	memset(&u, 0, sizeof u);
	struct cd_err err;
	cd_err_clear(&err);
	if (!a->arg[U_ROLE])
		return cli_fail(CD_EUSAGE, "give the role with --role (admin, "
				"analyst, investigator, lab, grid, site, "
				"checkpoint, supplies, resident)");
	unsigned role = api_role_parse(a->arg[U_ROLE]);
	if (!role)
		return cli_fail(CD_EINVAL, "--role '%s': one of admin, analyst,"
				" investigator, lab, grid, site, checkpoint, "
				"supplies, resident", a->arg[U_ROLE]);
	size_t nl = strlen(name);
	if (nl < 1 || nl > 64 || strspn(name, "abcdefghijklmnopqrstuvwxyz"
					     "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					     "0123456789._-@") != nl)
		return cli_fail(CD_EINVAL, "user name '%s': 1 to 64 letters, "
				"digits and . _ - @", name);
	if (role == R_RESIDENT) {
		struct rid id;
		if (!a->arg[U_RID] || a->arg[U_UNIT])
			return cli_fail(CD_EUSAGE, "a resident is bound to "
					"their own record: give --rid, not "
					"--unit");
		if (rid_parse(a->arg[U_RID], cd_today_cst(), &id, &err))
			return cli_fail(CD_EINVAL, "--rid '%s': %s",
					a->arg[U_RID], err.msg);
		snprintf(u.rid, sizeof u.rid, "%s", id.id);
	} else {
		if (a->arg[U_RID])
			return cli_fail(CD_EUSAGE, "only a resident takes "
					"--rid");
		if (!a->arg[U_UNIT] && role != R_ADMIN && role != R_ANALYST)
			return cli_fail(CD_EUSAGE, "a %s is bound to a unit: "
					"give --unit CODE", a->arg[U_ROLE]);
		snprintf(u.unit, sizeof u.unit, "%s",
			 a->arg[U_UNIT] ? a->arg[U_UNIT] : "");
	}
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", a->arg[U_ROLE]);
	u.unmask = (a->given & 1u << U_UNMASK) && role != R_RESIDENT;
	u.created_at = time(NULL);
	struct store *st;
	int rc = cli_open(a->arg[U_DB], STORE_WRITE, &st);
	if (rc)
		return rc;
	/* Check the name and codes before asking for a password. */
	struct store_user old;
	if (!store_user_get(st, name, &old, &err)) {
		store_close(st);
		return cli_fail(CD_ECONFLICT, "a user named '%s' already "
				"exists", name);
	}
	bool in;
	char rid[19];
	if ((u.unit[0] && store_unit_within(st, u.unit, "", &in, &err)) ||
	    (u.rid[0] && store_person_rid(st, u.rid, rid, &err))) {
		store_close(st);
		return cli_fail_err(&err);
	}
	if ((rc = new_password(u.pw_hash))) {
		store_close(st);
		return rc;
	}
	char detail[160];
	snprintf(detail, sizeof detail, "add role=%s unit=%s%s", u.role,
		 u.unit[0] ? u.unit : (u.rid[0] ? "(own record)" : "(all)"),
		 u.unmask ? " unmask" : "");
	if ((rc = save_user(st, a, &u, true, false, detail)))
		return rc;
	printf("user %s added: %s of %s%s\n", name, u.role,
	       u.unit[0] ? u.unit : (u.rid[0] ? "their own record"
					      : "the whole database"),
	       u.unmask ? ", may unmask" : "");
	return 0;
}

/* passwd, disable, enable, unmask yes|no: change one user. */
static int user_change(struct uargs *a, const char *sub, const char *name,
		       const char *value)
{
	struct store *st;
	struct store_user u;
	struct cd_err err;
	cd_err_clear(&err);
	int rc = cli_open(a->arg[U_DB], STORE_WRITE, &st);
	if (rc)
		return rc;
	if (store_user_get(st, name, &u, &err)) {
		store_close(st);
		return cli_fail_err(&err);
	}
	bool revoke = false;
	if (!strcmp(sub, "passwd")) {
		if ((rc = new_password(u.pw_hash))) {
			store_close(st);
			return rc;
		}
		u.failed = 0;
		u.locked_until = 0;
		revoke = true;
	} else if (!strcmp(sub, "disable")) {
		u.disabled = true;
		revoke = true;
	} else if (!strcmp(sub, "enable")) {
		u.disabled = false;
		u.failed = 0;
		u.locked_until = 0;
	} else {
		if (strcmp(value, "yes") && strcmp(value, "no")) {
			store_close(st);
			return cli_fail(CD_EUSAGE, "user unmask NAME yes|no");
		}
		if (!strcmp(u.role, "resident") && !strcmp(value, "yes")) {
			store_close(st);
			return cli_fail(CD_EINVAL, "a resident sees only their "
					"own record, unmasked already");
		}
		u.unmask = !strcmp(value, "yes");
	}
	char detail[64];
	snprintf(detail, sizeof detail, "%s%s%s", sub, value ? " " : "",
		 value ? value : "");
	if ((rc = save_user(st, a, &u, false, revoke, detail)))
		return rc;
	printf("user %s: %s%s\n", name, detail,
	       revoke ? "; sessions ended" : "");
	return 0;
}

struct listing {
	struct table *t;
	json_t *arr;
};

static enum cd_code list_one(void *ctx, const struct store_user *u)
{
	struct listing *l = ctx;
	char when[32];
	const char *unit = u->unit[0] ? u->unit
				      : (u->rid[0] ? "(own record)" : "(all)");
	cli_when("-", u->created_at, when, sizeof when);
	if (l->arr) {
		json_array_append_new(
			l->arr,
			json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:I}", "name",
				  u->name, "role", u->role, "unit", unit,
				  "unit_name", u->unit_name, "unmask",
				  u->unmask, "disabled", u->disabled,
				  "locked_until", (json_int_t)u->locked_until));
		return CD_OK;
	}
	const char *row[] = { u->name, u->role, unit, u->unit_name,
			      u->unmask ? "yes" : "", u->disabled ? "disabled"
								  : "active",
			      when };
	table_add(l->t, row);
	return CD_OK;
}

static int user_list(struct uargs *a)
{
	struct store *st;
	struct cd_err err;
	int rc = cli_open(a->arg[U_DB], 0, &st);
	if (rc)
		return rc;
	struct listing l = { NULL, NULL };
	if (a->given & 1u << U_JSON)
		l.arr = json_array();
	else {
		l.t = table_new(7);
		const char *head[] = { "name", "role", "unit", "unit name",
				       "unmask", "status", "created" };
		table_add(l.t, head);
	}
	enum cd_code c = store_user_list(st, list_one, &l, &err);
	store_close(st);
	if (c) {
		table_free(l.t);
		json_decref(l.arr);
		return cli_fail_err(&err);
	}
	if (l.arr)
		cli_print_json(l.arr);
	else
		table_print(l.t, stdout, 0);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	struct uargs a;
	memset(&a, 0, sizeof a);
	a.first = cli_parse_indexed(argc, argv, longopts, U_COUNT, U_HELP,
				    ~0u, &a.given, a.arg);
	if (a.first < 0)
		return cd_code_exit(CD_EUSAGE);
	int ops = argc - a.first;
	if (a.given & 1u << U_HELP || ops < 1)
		return cli_usage("user");
	const char *sub = argv[a.first];
	if (!strcmp(sub, "list") && ops == 1)
		return only(&a, 1u << U_JSON) ? cd_code_exit(CD_EUSAGE)
					       : user_list(&a);
	if (!strcmp(sub, "add") && ops == 2)
		return only(&a, 1u << U_ROLE | 1u << U_UNIT | 1u << U_RID |
					1u << U_UNMASK | 1u << U_BY)
			       ? cd_code_exit(CD_EUSAGE)
			       : user_add(&a, argv[a.first + 1]);
	if ((!strcmp(sub, "passwd") || !strcmp(sub, "disable") ||
	     !strcmp(sub, "enable")) && ops == 2)
		return only(&a, 1u << U_BY) ? cd_code_exit(CD_EUSAGE)
					    : user_change(&a, sub,
							  argv[a.first + 1],
							  NULL);
	if (!strcmp(sub, "unmask") && ops == 3)
		return only(&a, 1u << U_BY) ? cd_code_exit(CD_EUSAGE)
					    : user_change(&a, sub,
							  argv[a.first + 1],
							  argv[a.first + 2]);
	return cli_usage("user");
}

/* ---- cordon audit */

static enum cd_code audit_one(void *ctx, const struct store_audit *e)
{
	struct listing *l = ctx;
	char when[32], status[16];
	cli_when("-", e->at, when, sizeof when);
	snprintf(status, sizeof status, "%d", e->status);
	if (l->arr) {
		char iso[32];
		json_array_append_new(
			l->arr,
			json_pack("{s:I, s:s?, s:s, s:s, s:s, s:s, s:s, s:s, "
				  "s:s, s:i, s:s}", "id", (json_int_t)e->id,
				  "at", cli_iso(e->at, iso), "user", e->user,
				  "role", e->role, "ip", e->ip, "action",
				  e->action, "method", e->method, "path",
				  e->path, "target", e->target, "status",
				  e->status, "detail", e->detail));
		return CD_OK;
	}
	char what[300];
	snprintf(what, sizeof what, "%s%s%s", e->method, e->method[0] ? " " : "",
		 e->path);
	const char *row[] = { when, e->user, e->role, e->ip, e->action, what,
			      e->target, e->status ? status : "", e->detail };
	table_add(l->t, row);
	return CD_OK;
}

int cmd_audit(int argc, char **argv)
{
	struct uargs a;
	memset(&a, 0, sizeof a);
	a.first = cli_parse_indexed(argc, argv, longopts, U_COUNT, U_HELP,
				    ~0u, &a.given, a.arg);
	if (a.first < 0)
		return cd_code_exit(CD_EUSAGE);
	if (a.given & 1u << U_HELP || a.first != argc)
		return cli_usage("audit");
	if (only(&a, 1u << U_JSON | 1u << U_USER | 1u << U_ACTION |
			     1u << U_TARGET | 1u << U_SINCE | 1u << U_UNTIL |
			     1u << U_LIMIT))
		return cd_code_exit(CD_EUSAGE);
	struct store_audit_filter f = { a.arg[U_USER], a.arg[U_ACTION],
					a.arg[U_TARGET], 0, 0, 100 };
	int32_t d;
	if (a.arg[U_SINCE] && !instant_parse(a.arg[U_SINCE], &f.from)) {
		if (!date_parse(a.arg[U_SINCE], &d))
			return cli_fail(CD_EUSAGE, "--since '%s': a date or "
					"time", a.arg[U_SINCE]);
		f.from = (int64_t)d * 86400 - CD_CST_OFFSET;
	}
	if (a.arg[U_UNTIL] && !instant_parse(a.arg[U_UNTIL], &f.to)) {
		if (!date_parse(a.arg[U_UNTIL], &d))
			return cli_fail(CD_EUSAGE, "--until '%s': a date or "
					"time", a.arg[U_UNTIL]);
		f.to = (int64_t)(d + 1) * 86400 - CD_CST_OFFSET;
	}
	if (a.arg[U_LIMIT]) {
		char *end;
		f.limit = strtol(a.arg[U_LIMIT], &end, 10);
		if (*end || f.limit < 0)
			return cli_fail(CD_EUSAGE, "--limit '%s': a whole "
					"number (0 for all)", a.arg[U_LIMIT]);
	}
	struct store *st;
	struct cd_err err;
	int rc = cli_open(a.arg[U_DB], 0, &st);
	if (rc)
		return rc;
	struct listing l = { NULL, NULL };
	if (a.given & 1u << U_JSON)
		l.arr = json_array();
	else {
		l.t = table_new(9);
		const char *head[] = { "at", "user", "role", "from", "action",
				       "request", "target", "status",
				       "detail" };
		table_add(l.t, head);
	}
	enum cd_code c = store_audit_list(st, &f, audit_one, &l, &err);
	store_close(st);
	if (c) {
		table_free(l.t);
		json_decref(l.arr);
		return cli_fail_err(&err);
	}
	if (l.arr)
		cli_print_json(l.arr);
	else
		table_print(l.t, stdout, 1u << 7);
	return 0;
}
