/* ids.c — GB 11643 checksum (ISO 7064 MOD 11-2) and phone rules. */
#include "lib/ids.h"

#include <stdio.h>
#include <string.h>

#include "lib/date.h"
#include "lib/banned.h"

static const int rid_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6,
				     3, 7, 9, 10, 5, 8, 4, 2 };

char rid_check_char(const char *first17)
{
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * rid_weights[i];
	return "10X98765432"[sum % 11];
}

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

enum cd_code rid_parse(const char *s, int32_t today, struct rid *out,
		       struct cd_err *err)
{
	size_t n = strlen(s);
	if (n != RID_LEN)
		return cd_err_set(err, CD_EINVAL,
				  "must be 18 characters, got %zu", n);
	for (int i = 0; i < 17; i++)
		if (s[i] < '0' || s[i] > '9')
			return cd_err_set(err, CD_EINVAL,
					  "character %d must be a digit", i + 1);
	char last = s[17] == 'x' ? 'X' : s[17];
	if (!(last == 'X' || (last >= '0' && last <= '9')))
		return cd_err_set(err, CD_EINVAL,
				  "character 18 must be a digit or X");
	if (s[0] == '0' || s[0] == '9')
		return cd_err_set(err, CD_EINVAL,
				  "division code %.6s is not a GB/T 2260 code",
				  s);
	int y = two(s + 6) * 100 + two(s + 8), m = two(s + 10),
	    d = two(s + 12);
	if (!date_valid(y, m, d))
		return cd_err_set(err, CD_EINVAL,
				  "birth date %.8s is not a real date", s + 6);
	if (y < 1800)
		return cd_err_set(err, CD_EINVAL,
				  "birth year %d is before 1800", y);
	int32_t birth = date_from_ymd(y, m, d);
	if (birth > today)
		return cd_err_set(err, CD_EINVAL,
				  "birth date %.8s is in the future", s + 6);
	char want = rid_check_char(s);
	if (want != last)
		return cd_err_set(err, CD_EINVAL,
				  "checksum fails (GB 11643): check character "
				  "should be %c", want);
	if (out) {
		memcpy(out->id, s, 17);
		out->id[17] = last;
		out->id[18] = '\0';
		memcpy(out->division, s, 6);
		out->division[6] = '\0';
		out->birth = birth;
		out->sex = (s[16] - '0') % 2 ? 'M' : 'F';
	}
	return CD_OK;
}

void rid_mask(const char *id, char *out)
{
	size_t n = strlen(id);
	if (n != RID_LEN) {
		snprintf(out, RID_LEN + 1, "%s", "******************");
		return;
	}
	memcpy(out, id, 6);
	memset(out + 6, '*', 8);
	memcpy(out + 14, id + 14, 4);
	out[18] = '\0';
}

enum cd_code phone_normalize(const char *s, char *out, struct cd_err *err)
{
	const char *p = s;
	if (strncmp(p, "+86", 3) == 0)
		p += 3;
	else if (strncmp(p, "0086", 4) == 0)
		p += 4;
	if (strlen(p) != 11 || p[0] != '1' || p[1] < '3' || p[1] > '9')
		return cd_err_set(err, CD_EINVAL,
				  "must be a mainland mobile number: 11 digits "
				  "starting 13-19, optionally after +86");
	for (int i = 2; i < 11; i++)
		if (p[i] < '0' || p[i] > '9')
			return cd_err_set(err, CD_EINVAL,
					  "must be a mainland mobile number: "
					  "11 digits starting 13-19, "
					  "optionally after +86");
	memcpy(out, p, 11);
	out[11] = '\0';
	return CD_OK;
}

void phone_mask(const char *phone, char *out)
{
	if (strlen(phone) != 11) {
		snprintf(out, 12, "%s", "***********");
		return;
	}
	memcpy(out, phone, 3);
	memset(out + 3, '*', 4);
	memcpy(out + 7, phone + 7, 4);
	out[11] = '\0';
}
