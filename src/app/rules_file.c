/* rules_file.c — read a deployment rules file and load the effective
 * rules through the pure loader. */
#include "app/rules_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/banned.h"

const char *rules_file_path(const char *path)
{
	const char *env = getenv("CORDON_RULES");
	return path ? path : env && *env ? env : NULL;
}

/* The whole file into sb (at most RULES_FILE_MAX_BYTES, no NUL byte). */
static enum cd_code slurp(const char *path, struct strbuf *sb,
			  struct cd_err *err)
{
	char buf[8192];
	size_t n;
	enum cd_code rc = CD_OK;
	FILE *f = fopen(path, "rb");
	if (!f)
		return cd_err_set(err, CD_EIO, "cannot open %s: %s", path,
				  strerror(errno));
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		strbuf_add(sb, buf, n);
		if (sb->len > RULES_FILE_MAX_BYTES) {
			rc = cd_err_set(err, CD_ETOOBIG, "%s: larger than %d "
					"bytes", path, RULES_FILE_MAX_BYTES);
			goto done;
		}
	}
	if (ferror(f)) {
		rc = cd_err_set(err, CD_EIO, "cannot read %s: %s", path,
				strerror(errno));
		goto done;
	}
	const char *nul = memchr(sb->buf, '\0', sb->len);
	if (nul) {
		int line = 1;
		for (const char *p = sb->buf; p < nul; p++)
			line += *p == '\n';
		rc = cd_err_set(err, CD_EINVAL, "%s:%d: NUL byte: a rules "
				"file is UTF-8 text", path, line);
	}
done:
	fclose(f);
	return rc;
}

enum cd_code rules_file_load(const char *path, const char *profile,
			     struct rules_eff *out, struct cd_err *err)
{
	const char *file = rules_file_path(path);
	if (!file)
		return rules_load(profile, NULL, NULL, out, err);
	struct strbuf text = STRBUF_INIT;
	enum cd_code rc = slurp(file, &text, err);
	if (rc == CD_OK)
		rc = rules_load(profile, file, text.buf, out, err);
	strbuf_release(&text);
	return rc;
}
