/* ids.h — resident identity numbers (GB 11643-1999) and mobile phones. */
#ifndef CORDON_IDS_H
#define CORDON_IDS_H

#include <stdint.h>

#include "lib/err.h"

#define RID_LEN 18

struct rid {
	char id[RID_LEN + 1];  /* normalised: upper-case X */
	char division[7];      /* GB/T 2260 code of the place of registration */
	int32_t birth;         /* day number, see date.h */
	char sex;              /* 'M' (odd sequence) or 'F' */
};

/* The GB 11643 check character for the first 17 digits of id. */
char rid_check_char(const char *first17);
/* Parse and validate a resident ID: 18 characters, 17 digits then a digit
 * or X (lower-case x accepted and normalised), a real birth date from 1800
 * up to `today` (a day number), and the checksum. On failure returns
 * CD_EINVAL with the rule in err->msg. */
enum cd_code rid_parse(const char *s, int32_t today, struct rid *out,
		       struct cd_err *err);
/* Write the masked form "430422********1234" into out (>= 19 bytes). */
void rid_mask(const char *id, char *out);

/* Normalise a mainland mobile number: optional "+86" or "0086", then
 * ^1[3-9]\d{9}$. out receives the 11 digits (>= 12 bytes). */
enum cd_code phone_normalize(const char *s, char *out, struct cd_err *err);
/* Write the masked form "138****5678" into out (>= 12 bytes). */
void phone_mask(const char *phone, char *out);

#endif
