/* date.c — civil-from-days and days-from-civil (Howard Hinnant's
 * algorithms, re-derived here), ISO 8601 parsing. */
#include "lib/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/banned.h"

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int max = mdays[m - 1] + (m == 2 && leap(y));
	return d <= max;
}

int32_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(int32_t days, int *y, int *m, int *d)
{
	int32_t z = days + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* Read exactly n ASCII digits. */
static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool date_parse(const char *s, int32_t *days)
{
	int y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
	    !digits(s + 8, 2, &d) || !date_valid(y, m, d))
		return false;
	*days = date_from_ymd(y, m, d);
	return true;
}

void date_format(int32_t days, char *buf, size_t len)
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

bool instant_parse(const char *s, int64_t *out)
{
	int32_t days;
	int hh, mm, ss = 0;
	char date[11];
	size_t n = strlen(s);
	if (n < 16 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!date_parse(date, &days) || !digits(s + 11, 2, &hh) ||
	    !digits(s + 14, 2, &mm) || hh > 23 || mm > 59)
		return false;
	const char *p = s + 16;
	if (*p == ':') {
		if (!digits(p + 1, 2, &ss) || ss > 59)
			return false;
		p += 3;
	}
	int offset = CD_CST_OFFSET;
	if (*p == 'Z') {
		offset = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (strlen(p) != 6 || p[3] != ':' || !digits(p + 1, 2, &oh) ||
		    !digits(p + 4, 2, &om) || oh > 14 || om > 59)
			return false;
		offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	}
	if (*p)
		return false;
	*out = (int64_t)days * 86400 + hh * 3600 + mm * 60 + ss - offset;
	return true;
}

void instant_format_cst(int64_t t, char *buf, size_t len)
{
	int64_t local = t + CD_CST_OFFSET;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t sec = local - days * 86400;
	int y, m, d;
	date_to_ymd((int32_t)days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d,
		 (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

void instant_format_iso(int64_t t, char *buf, size_t len)
{
	char tmp[24];
	instant_format_cst(t, tmp, sizeof tmp);
	tmp[10] = 'T';
	snprintf(buf, len, "%s+08:00", tmp);
}

int64_t cd_now(void)
{
	const char *env = getenv("CORDON_NOW");
	int64_t t;
	if (env && *env && instant_parse(env, &t))
		return t;
	return (int64_t)time(NULL);
}

int32_t cd_today_cst(void)
{
	int64_t local = cd_now() + CD_CST_OFFSET;
	return (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}
