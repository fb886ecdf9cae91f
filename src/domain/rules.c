/* rules.c — loading a rule profile and a deployment's overrides from INI
 * text with inih: one pass per file in which every value is checked as it
 * is read and its origin recorded, then the checks that span keys.
 *
 * inih's handler is not told the line number in Debian's build, so the
 * text is fed through our own line reader, which counts lines (and refuses
 * a line longer than inih's buffer rather than let it be split). */
#include "domain/rules.h"

#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/banned.h"

enum mode {
	M_PROFILE, /* a profile: every key required, no top-level keys */
	M_DEPLOY,  /* a deployment file: `profile` on top, any keys */
	M_SCAN,    /* a deployment file, reading only its `profile` */
};

struct ctx {
	const char *file;
	const char *pos;            /* the text not yet read */
	int line;                   /* the line being parsed */
	enum mode mode;
	struct rules_eff *eff;      /* NULL in M_SCAN */
	int seen[RULES_KEY_MAX];    /* line where set in this file; 0 = not */
	char profile[RULES_NAME_MAX];
	int profile_line;
	struct cd_err *err;
	enum cd_code rc;
};

static void ctx_init(struct ctx *c, const char *file, enum mode mode,
		     struct rules_eff *eff, struct cd_err *err)
{
	memset(c, 0, sizeof *c);
	c->file = file;
	c->mode = mode;
	c->eff = eff;
	c->err = err;
}

/* Record the first error at the current line; returns 0 for inih. */
__attribute__((format(printf, 2, 3)))
static int fail(struct ctx *c, const char *fmt, ...)
{
	if (c->rc)
		return 0;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	c->rc = cd_err_set(c->err, CD_EINVAL, "%s:%d: %s", c->file, c->line,
			   sb.buf);
	strbuf_release(&sb);
	return 0;
}

/* s quoted for a message (control bytes escaped, cut at 60 bytes), in a
 * buffer the caller releases. */
static void quote(struct strbuf *sb, const char *s)
{
	strbuf_reset(sb);
	strbuf_add_quoted(sb, s, strlen(s), 60);
}

static void profile_names(struct strbuf *sb)
{
	for (const struct rules_profile *p = rules_profiles; p->name; p++)
		strbuf_addf(sb, "%s%s", p == rules_profiles ? "" : ", ",
			    p->name);
}

const struct rules_profile *rules_profile_find(const char *name)
{
	for (const struct rules_profile *p = rules_profiles; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

static int top_level(struct ctx *c, const char *name, const char *value)
{
	struct strbuf q = STRBUF_INIT, names = STRBUF_INIT;
	quote(&q, name);
	if (c->mode == M_PROFILE || strcmp(name, "profile") != 0)
		fail(c, "key '%s' is outside any section%s", q.buf,
		     c->mode == M_PROFILE ? "" : " (only profile may be)");
	else if (c->profile_line)
		fail(c, "profile set twice (first on line %d)",
		     c->profile_line);
	else if (!rules_profile_find(value)) {
		quote(&q, value);
		profile_names(&names);
		fail(c, "profile value '%s': must be one of %s", q.buf,
		     names.buf);
	} else {
		snprintf(c->profile, sizeof c->profile, "%s", value);
		c->profile_line = c->line;
	}
	strbuf_release(&q);
	strbuf_release(&names);
	return !c->rc;
}

/* The sections there are (section NULL), or the keys of one section, for
 * a message. */
static void list_known(struct strbuf *sb, const char *section)
{
	struct rules_key k;
	char prev[32] = "";
	for (size_t i = 0; i < rules_key_count(); i++) {
		rules_key_get(i, &k);
		if (section) {
			if (strcmp(k.section, section) == 0)
				strbuf_addf(sb, "%s%s", sb->len ? ", " : "",
					    k.key);
		} else if (strcmp(prev, k.section) != 0 &&
			   strncmp(k.section, "venue.", 6) != 0) {
			strbuf_addf(sb, "%s%s", sb->len ? ", " : "",
				    k.section);
			if (strcmp(k.section, "tracing") == 0)
				strbuf_addstr(sb, ", venue.KIND");
		}
		snprintf(prev, sizeof prev, "%s", k.section);
	}
}

/* Refuse a section header naming no section; returns 0 for inih. */
static int unknown_section(struct ctx *c, const char *section)
{
	struct strbuf q = STRBUF_INIT, known = STRBUF_INIT;
	enum venue_kind vk;
	quote(&q, section);
	if (strncmp(section, "venue.", 6) == 0 &&
	    venue_kind_parse(section + 6, &vk, NULL) != CD_OK) {
		for (int k = 0; k < VK_COUNT; k++)
			strbuf_addf(&known, "%s%s", k ? ", " : "",
				    venue_kind_name((enum venue_kind)k));
		fail(c, "unknown section [%s]: KIND in [venue.KIND] is one "
		     "of %s", q.buf, known.buf);
	} else {
		list_known(&known, NULL);
		fail(c, "unknown section [%s]: the sections are %s", q.buf,
		     known.buf);
	}
	strbuf_release(&q);
	strbuf_release(&known);
	return 0;
}

static int unknown_key(struct ctx *c, const char *section, const char *name)
{
	struct strbuf q = STRBUF_INIT, qn = STRBUF_INIT, known = STRBUF_INIT;
	if (rules_key_find(section, NULL) < 0)
		return unknown_section(c, section);
	list_known(&known, section);
	quote(&q, section);
	quote(&qn, name);
	fail(c, "unknown key '%s' in [%s]: its keys are %s", qn.buf, q.buf,
	     known.buf);
	strbuf_release(&q);
	strbuf_release(&qn);
	strbuf_release(&known);
	return 0;
}

/* A "[name]" line must name a known section, even one with no keys. */
static void check_header(struct ctx *c, const char *line)
{
	if (c->line == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3;
	line += strspn(line, " \t");
	const char *end = strchr(line, ']');
	if (*line != '[' || !end || c->mode == M_SCAN)
		return;
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(end - line - 1), line + 1);
	if (rules_key_find(name, NULL) < 0)
		unknown_section(c, name);
}

/* fgets for inih over the text, counting lines. */
static char *read_line(char *str, int num, void *stream)
{
	struct ctx *c = stream;
	if (c->rc || !*c->pos || num < 3)
		return NULL;
	size_t len = strcspn(c->pos, "\n");
	size_t take = len + (c->pos[len] == '\n');
	c->line++;
	if (take + 1 > (size_t)num) {
		fail(c, "line longer than %d bytes", num - 2);
		return NULL;
	}
	memcpy(str, c->pos, take);
	str[take] = '\0';
	c->pos += take;
	check_header(c, str);
	return c->rc ? NULL : str;
}

static int on_pair(void *user, const char *section, const char *name,
		   const char *value)
{
	struct ctx *c = user;
	if (c->rc)
		return 0;
	if (c->mode == M_SCAN) {
		if (!*section && !c->profile_line &&
		    strcmp(name, "profile") == 0) {
			snprintf(c->profile, sizeof c->profile, "%s", value);
			c->profile_line = c->line;
		}
		return 1;
	}
	if (!*section)
		return top_level(c, name, value);
	int i = rules_key_find(section, name);
	if (i < 0)
		return unknown_key(c, section, name);
	struct rules_key k;
	if (c->seen[i]) {
		rules_key_get((size_t)i, &k);
		return fail(c, "%s set twice (first on line %d)", k.name,
			    c->seen[i]);
	}
	c->seen[i] = c->line;
	char why[256];
	if (rules_value_set(&c->eff->r, (size_t)i, value, why, sizeof why)) {
		struct strbuf q = STRBUF_INIT;
		rules_key_get((size_t)i, &k);
		quote(&q, value);
		fail(c, "%s value '%s': %s", k.name, q.buf, why);
		strbuf_release(&q);
		return 0;
	}
	c->eff->from[i] = c->mode == M_PROFILE ? RULES_FROM_PROFILE
					       : RULES_FROM_DEPLOY;
	c->eff->line[i] = c->line;
	return 1;
}

/* Parse text into c (whose mode says what to accept). */
static enum cd_code parse(struct ctx *c, const char *text)
{
	static char inline_comments[] = "#;";
	ini_allow_multiline = false;
	ini_allow_bom = true;
	ini_allow_inline_comments = true;
	ini_inline_comment_prefixes = inline_comments;
	ini_allow_no_value = false;
	ini_stop_on_first_error = c->mode != M_SCAN;
	c->pos = text;
	c->line = 0;
	int rc = ini_parse_stream(read_line, c, on_pair, c);
	if (c->rc)
		return c->rc;
	if (rc == -2)
		return cd_err_set(c->err, CD_ENOMEM, "%s: out of memory",
				  c->file);
	if (rc != 0)
		return cd_err_set(c->err, CD_EINVAL, "%s:%d: not a [section] "
				  "or a key = value line", c->file, rc);
	return CD_OK;
}

/* Every key must be in a profile. */
static enum cd_code check_complete(const struct ctx *c)
{
	for (size_t i = 0; i < rules_key_count(); i++) {
		if (c->seen[i])
			continue;
		struct rules_key k;
		struct strbuf range = STRBUF_INIT;
		rules_key_get(i, &k);
		rules_range_format(i, &range);
		cd_err_set(c->err, CD_EINVAL, "%s: missing key %s (in [%s]: "
			   "%s = %s)", c->file, k.name, k.section, k.key,
			   range.buf);
		strbuf_release(&range);
		return CD_EINVAL;
	}
	return CD_OK;
}

/* The first top-level `profile = NAME` of a deployment text, whatever
 * else the text holds: the full pass reports its errors in line order. */
static void scan_profile(const char *text, char name[RULES_NAME_MAX])
{
	struct ctx c;
	ctx_init(&c, "", M_SCAN, NULL, NULL);
	(void)parse(&c, text);
	snprintf(name, RULES_NAME_MAX, "%s", c.profile);
}

static enum cd_code missing_profile(const char *file, struct cd_err *err)
{
	struct strbuf names = STRBUF_INIT;
	profile_names(&names);
	cd_err_set(err, CD_EINVAL, "%s: missing key profile (at the top, "
		   "before any section: profile = one of %s)", file,
		   names.buf);
	strbuf_release(&names);
	return CD_EINVAL;
}

/* The profile, then the deployment over it, then the checks across
 * keys; need_profile: the deployment must name its profile. */
static enum cd_code load(const struct rules_profile *profile,
			 const char *deploy_file, const char *deploy_text,
			 bool need_profile, struct rules_eff *out,
			 struct cd_err *err)
{
	struct ctx c;
	enum cd_code rc;
	memset(out, 0, sizeof *out);
	snprintf(out->r.profile, sizeof out->r.profile, "%s", profile->name);
	snprintf(out->profile_file, sizeof out->profile_file, "%s",
		 profile->file);
	ctx_init(&c, profile->file, M_PROFILE, out, err);
	if ((rc = parse(&c, profile->text)) || (rc = check_complete(&c)))
		return rc;
	if (deploy_text) {
		if (!deploy_file)
			deploy_file = "deployment";
		snprintf(out->deploy_file, sizeof out->deploy_file, "%s",
			 deploy_file);
		ctx_init(&c, deploy_file, M_DEPLOY, out, err);
		if ((rc = parse(&c, deploy_text)))
			return rc;
		if (need_profile && !c.profile_line)
			return missing_profile(deploy_file, err);
		out->profile_line = c.profile_line;
	}
	return rules_check(out, err);
}

enum cd_code rules_load_texts(const struct rules_profile *profile,
			      const char *deploy_file,
			      const char *deploy_text, struct rules_eff *out,
			      struct cd_err *err)
{
	return load(profile, deploy_file, deploy_text, false, out, err);
}

enum cd_code rules_load(const char *profile, const char *deploy_file,
			const char *deploy_text, struct rules_eff *out,
			struct cd_err *err)
{
	char named[RULES_NAME_MAX] = "";
	if (deploy_text)
		scan_profile(deploy_text, named);
	const char *name = profile ? profile : named[0] ? named : "v9";
	const struct rules_profile *p = rules_profile_find(name);
	/* A bad name in the file is refused at its line by the full pass,
	 * which needs some profile beneath it meanwhile. */
	if (!p && !profile)
		p = rules_profile_find("v9");
	if (!p) {
		struct strbuf q = STRBUF_INIT, names = STRBUF_INIT;
		quote(&q, name);
		profile_names(&names);
		cd_err_set(err, CD_EINVAL, "unknown profile '%s': must be "
			   "one of %s", q.buf, names.buf);
		strbuf_release(&q);
		strbuf_release(&names);
		return CD_EINVAL;
	}
	enum cd_code rc = load(p, deploy_file, deploy_text,
			       deploy_text && !profile, out, err);
	if (rc == CD_OK && profile)
		out->profile_line = 0;
	return rc;
}

enum cd_code rules_builtin(const char *name, struct rules *out,
			   struct cd_err *err)
{
	struct rules_eff eff;
	enum cd_code rc = rules_load(name, NULL, NULL, &eff, err);
	if (rc == CD_OK)
		*out = eff.r;
	return rc;
}
