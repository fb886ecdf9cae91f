/* rules_file.h — the effective rules for a command: a deployment file on
 * disk (--rules FILE, else $CORDON_RULES) over a built-in profile, or the
 * built-in v9 alone. Application layer: reads the file and hands its text
 * to the pure loader (domain/rules.h). */
#ifndef CORDON_RULES_FILE_H
#define CORDON_RULES_FILE_H

#include "domain/rules.h"
#include "lib/err.h"

#define RULES_FILE_MAX_BYTES (1024 * 1024)

/* The deployment file a command uses: path if not NULL, else $CORDON_RULES
 * if set and not empty, else NULL (built-in rules only). */
const char *rules_file_path(const char *path);

/* The effective rules for a command into *out: the deployment file
 * rules_file_path(path), if any, over the built-in profile `profile` if not
 * NULL, else the one the file names, else v9. Errors: CD_EIO when the file
 * cannot be read, CD_ETOOBIG over RULES_FILE_MAX_BYTES, CD_EINVAL for a NUL
 * byte or any bad line or value ("FILE:LINE: ..."). */
enum cd_code rules_file_load(const char *path, const char *profile,
			     struct rules_eff *out, struct cd_err *err);

#endif
