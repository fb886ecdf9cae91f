/* registry.c — code rules of GB/T 2260 and the 12-digit statistical
 * division codes, and the registry's vocabularies. */
#include "domain/registry.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/utf8.h"
#include "lib/xalloc.h"
#include "lib/banned.h"

static const struct {
	const char *name, *zh;
} unit_kinds[UK_COUNT] = {
	[UK_COUNTY] = { "county", "县/区" },
	[UK_SUBDISTRICT] = { "subdistrict", "街道" },
	[UK_TOWN] = { "town", "镇" },
	[UK_TOWNSHIP] = { "township", "乡" },
	[UK_COMMUNITY] = { "community", "社区" },
	[UK_VILLAGE] = { "village", "村" },
	[UK_HAMLET] = { "hamlet", "屋场" },
	[UK_GRID] = { "grid", "网格" },
	[UK_BUILDING] = { "building", "楼栋" },
	[UK_COMPOUND] = { "compound", "小区" },
};

static const struct {
	const char *name, *zh;
} venue_kinds[VK_COUNT] = {
	[VK_CHESS_ROOM] = { "chess_room", "棋牌室" },
	[VK_TEAHOUSE] = { "teahouse", "茶馆" },
	[VK_SHOP] = { "shop", "小商店" },
	[VK_RESTAURANT] = { "restaurant", "小餐馆" },
	[VK_HOTEL] = { "hotel", "小旅馆" },
	[VK_KARAOKE] = { "karaoke", "歌厅" },
	[VK_INTERNET_CAFE] = { "internet_cafe", "网吧" },
	[VK_BATH_BEAUTY] = { "bath_beauty", "美容美发洗浴" },
	[VK_WORKSHOP] = { "workshop", "小作坊" },
	[VK_MARKET] = { "market", "农贸市场" },
	[VK_SUPERMARKET] = { "supermarket", "超市" },
	[VK_STATION] = { "station", "车站" },
	[VK_SCHOOL] = { "school", "学校" },
	[VK_HOSPITAL] = { "hospital", "医疗机构" },
	[VK_PHARMACY] = { "pharmacy", "药店" },
	[VK_OFFICE] = { "office", "办公场所" },
	[VK_FACTORY] = { "factory", "工厂" },
	[VK_CHECKPOINT] = { "checkpoint", "卡口" },
};

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num3(const char *s)
{
	return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

static enum cd_code county_check(const char *s, struct cd_err *err)
{
	int prov = (s[0] - '0') * 10 + (s[1] - '0');
	if (prov < 11 || prov > 82)
		return cd_err_set(err, CD_EINVAL,
				  "province part %.2s is not a GB/T 2260 "
				  "province (11-82)", s);
	if (s[4] == '0' && s[5] == '0')
		return cd_err_set(err, CD_EINVAL,
				  "%.6s is a prefecture, not a county code "
				  "(the last two digits must not be 00)", s);
	if (s[2] == '0' && s[3] == '0')
		return cd_err_set(err, CD_EINVAL,
				  "prefecture part of %.6s must not be 00", s);
	return CD_OK;
}

static enum cd_code stat12_parse(const char *s, struct unit_code *out,
				 struct cd_err *err)
{
	enum cd_code rc = county_check(s, err);
	if (rc)
		return rc;
	int town = num3(s + 6), vill = num3(s + 9);
	if (town < 1 || town > 399)
		return cd_err_set(err, CD_EINVAL,
				  "township part %.3s must be 001-099 "
				  "(sub-district), 100-199 (town) or 200-399 "
				  "(township)", s + 6);
	if (vill == 0) {
		out->level = UNIT_TOWN;
		out->kind = town < 100 ? UK_SUBDISTRICT
				       : town < 200 ? UK_TOWN : UK_TOWNSHIP;
		snprintf(out->parent, sizeof out->parent, "%.6s", s);
		return CD_OK;
	}
	if (vill > 399)
		return cd_err_set(err, CD_EINVAL,
				  "village part %.3s must be 001-199 "
				  "(community) or 200-399 (village)", s + 9);
	out->level = UNIT_VILLAGE;
	out->kind = vill < 200 ? UK_COMMUNITY : UK_VILLAGE;
	snprintf(out->parent, sizeof out->parent, "%.9s000", s);
	return CD_OK;
}

enum cd_code unit_code_parse(const char *s, struct unit_code *out,
			     struct cd_err *err)
{
	struct unit_code uc;
	size_t n = strlen(s);
	enum cd_code rc;
	memset(&uc, 0, sizeof uc);
	if (n == 6 && all_digits(s, 6)) {
		if ((rc = county_check(s, err)))
			return rc;
		uc.level = UNIT_COUNTY;
		uc.kind = UK_COUNTY;
	} else if (n == 12 && all_digits(s, 12)) {
		if ((rc = stat12_parse(s, &uc, err)))
			return rc;
	} else if (n == 16 && all_digits(s, 12) && s[12] == '-' &&
		   all_digits(s + 13, 3)) {
		if ((rc = stat12_parse(s, &uc, err)))
			return rc;
		if (uc.level != UNIT_VILLAGE)
			return cd_err_set(err, CD_EINVAL,
					  "a hamlet/grid code must extend a "
					  "village or community code, not a "
					  "township code");
		if (num3(s + 13) == 0)
			return cd_err_set(err, CD_EINVAL,
					  "hamlet suffix must be 001-999");
		uc.level = UNIT_HAMLET;
		uc.kind = UK_HAMLET;
		snprintf(uc.parent, sizeof uc.parent, "%.12s", s);
	} else {
		return cd_err_set(err, CD_EINVAL,
				  "must be a 6-digit county code, a 12-digit "
				  "statistical code, or a village code "
				  "followed by -NNN for a hamlet/grid");
	}
	memcpy(uc.code, s, n + 1);
	if (out)
		*out = uc;
	return CD_OK;
}

enum cd_code household_code_parse(const char *s, char *hamlet,
				  struct cd_err *err)
{
	size_t n = strlen(s);
	struct unit_code uc;
	if (n != 21 || s[16] != '-' || !all_digits(s + 17, 4))
		return cd_err_set(err, CD_EINVAL,
				  "must be a hamlet code followed by -NNNN "
				  "(e.g. 430422103201-007-0012)");
	char h[UNIT_CODE_MAX];
	memcpy(h, s, 16);
	h[16] = '\0';
	struct cd_err sub = { CD_OK, "" };
	if (unit_code_parse(h, &uc, &sub) || uc.level != UNIT_HAMLET)
		return cd_err_set(err, CD_EINVAL,
				  "must start with a valid hamlet code: %s",
				  sub.code ? sub.msg : "not a hamlet");
	if (num3(s + 18) == 0 && s[17] == '0')
		return cd_err_set(err, CD_EINVAL,
				  "household number must be 0001-9999");
	if (hamlet)
		memcpy(hamlet, h, sizeof h);
	return CD_OK;
}

enum cd_code unit_kind_resolve(const char *s, const struct unit_code *uc,
			       enum unit_kind *out, struct cd_err *err)
{
	if (!*s) {
		*out = uc->kind;
		return CD_OK;
	}
	for (int k = 0; k < UK_COUNT; k++) {
		if (strcmp(s, unit_kinds[k].name))
			continue;
		bool ok = uc->level == UNIT_HAMLET
				  ? k >= UK_HAMLET
				  : (enum unit_kind)k == uc->kind;
		if (!ok)
			return cd_err_set(err, CD_EINVAL,
					  "code %s is a %s, not a %s",
					  uc->code,
					  uc->level == UNIT_HAMLET
						  ? "hamlet/grid/building/"
						    "compound"
						  : unit_kinds[uc->kind].name,
					  s);
		*out = (enum unit_kind)k;
		return CD_OK;
	}
	return cd_err_set(err, CD_EINVAL,
			  "unknown kind; one of county, subdistrict, town, "
			  "township, community, village, hamlet, grid, "
			  "building, compound");
}

const char *unit_kind_name(enum unit_kind k)
{
	return k < UK_COUNT ? unit_kinds[k].name : "?";
}

const char *unit_kind_zh(enum unit_kind k)
{
	return k < UK_COUNT ? unit_kinds[k].zh : "?";
}

const char *unit_level_name(enum unit_level l)
{
	static const char *const names[] = { "?", "county", "town", "village",
					     "hamlet" };
	return l >= UNIT_COUNTY && l <= UNIT_HAMLET ? names[l] : "?";
}

enum cd_code name_check(const char *s, struct cd_err *err)
{
	size_t n = strlen(s);
	if (n == 0)
		return cd_err_set(err, CD_EINVAL, "must not be empty");
	if (n > NAME_MAX_BYTES)
		return cd_err_set(err, CD_EINVAL,
				  "longer than %d bytes", NAME_MAX_BYTES);
	size_t bad = utf8_invalid_at(s, n);
	if (bad != (size_t)-1)
		return cd_err_set(err, CD_EINVAL,
				  "invalid UTF-8 at byte %zu", bad + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* C0, DEL, and C1 (U+0080-U+009F, encoded C2 80-C2 9F). */
		if (c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		     (unsigned char)s[i + 1] <= 0x9f))
			return cd_err_set(err, CD_EINVAL,
					  "control character at byte %zu",
					  i + 1);
	}
	if (s[0] == ' ' || s[n - 1] == ' ')
		return cd_err_set(err, CD_EINVAL,
				  "leading or trailing space");
	return CD_OK;
}

enum cd_code venue_kind_parse(const char *s, enum venue_kind *out,
			      struct cd_err *err)
{
	for (int k = 0; k < VK_COUNT; k++) {
		if (strcmp(s, venue_kinds[k].name) == 0) {
			*out = (enum venue_kind)k;
			return CD_OK;
		}
	}
	return cd_err_set(err, CD_EINVAL,
			  "unknown venue kind; one of chess_room, teahouse, "
			  "shop, restaurant, hotel, karaoke, internet_cafe, "
			  "bath_beauty, workshop, market, supermarket, "
			  "station, school, hospital, pharmacy, office, "
			  "factory, checkpoint");
}

const char *venue_kind_name(enum venue_kind k)
{
	return k < VK_COUNT ? venue_kinds[k].name : "?";
}

const char *venue_kind_zh(enum venue_kind k)
{
	return k < VK_COUNT ? venue_kinds[k].zh : "?";
}

bool venue_kind_is_small(enum venue_kind k)
{
	return k <= VK_WORKSHOP;
}

enum cd_code venue_code_check(const char *s, struct cd_err *err)
{
	size_t n = strlen(s);
	if (n == 0 || n >= VENUE_CODE_MAX)
		return cd_err_set(err, CD_EINVAL, "must be 1-%d characters",
				  VENUE_CODE_MAX - 1);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		      (c >= 'a' && c <= 'z') || c == '-' || c == '_'))
			return cd_err_set(err, CD_EINVAL,
					  "only letters, digits, '-' and '_' "
					  "are allowed");
	}
	return CD_OK;
}

enum cd_code coord_parse(const char *s, double lo, double hi, double *out,
			 struct cd_err *err)
{
	char *end;
	/* Plain decimal only: strtod alone would take " 26.9" or hex. */
	if (strspn(s, "0123456789.+-") != strlen(s))
		return cd_err_set(err, CD_EINVAL,
				  "must be a number in decimal degrees");
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v))
		return cd_err_set(err, CD_EINVAL,
				  "must be a number in decimal degrees");
	if (v < lo || v > hi)
		return cd_err_set(err, CD_EINVAL,
				  "must be between %g and %g", lo, hi);
	*out = v;
	return CD_OK;
}

static const struct {
	const char *name;
	int bit;
} group_names[] = {
	{ "elderly_alone", GROUP_ELDERLY_ALONE },
	{ "disabled", GROUP_DISABLED },
	{ "pregnant", GROUP_PREGNANT },
};

enum cd_code groups_parse(const char *s, int *out, struct cd_err *err)
{
	int g = 0;
	while (*s) {
		const char *e = strchr(s, ';');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		size_t i;
		if (n == 0 || (e && !e[1]))
			return cd_err_set(err, CD_EINVAL,
					  "empty group between ';' separators");
		for (i = 0; i < sizeof group_names / sizeof *group_names; i++)
			if (strlen(group_names[i].name) == n &&
			    memcmp(group_names[i].name, s, n) == 0)
				break;
		if (i == sizeof group_names / sizeof *group_names)
			return cd_err_set(err, CD_EINVAL,
					  "unknown group; groups are "
					  "elderly_alone, disabled, pregnant, "
					  "separated by ';'");
		g |= group_names[i].bit;
		s += n + (e != NULL);
	}
	*out = g;
	return CD_OK;
}

void groups_format(int groups, char *buf, unsigned long len)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof group_names / sizeof *group_names; i++) {
		if (!(groups & group_names[i].bit))
			continue;
		int n = snprintf(buf + at, len - at, "%s%s", at ? ";" : "",
				 group_names[i].name);
		if (n < 0 || (size_t)n >= len - at)
			break;
		at += (size_t)n;
	}
}

void unit_tree_rollup(struct unit_node *nodes, size_t n)
{
	/* In pre-order a node's parent is the last node seen one level up;
	 * walking backwards, every node is complete before it is added. */
	size_t *parent = xmalloc((n ? n : 1) * sizeof *parent), last[8] = { 0 };
	for (size_t i = 0; i < n; i++) {
		int d = nodes[i].depth;
		nodes[i].total_households = nodes[i].households;
		nodes[i].total_persons = nodes[i].persons;
		parent[i] = d > 0 && d < 8 ? last[d - 1] : i;
		if (d >= 0 && d < 8)
			last[d] = i;
	}
	for (size_t i = n; i-- > 0;) {
		if (parent[i] == i)
			continue;
		nodes[parent[i]].total_households += nodes[i].total_households;
		nodes[parent[i]].total_persons += nodes[i].total_persons;
	}
	free(parent);
}

int unit_kind_from_name(const char *s)
{
	for (int k = 0; k < UK_COUNT; k++)
		if (strcmp(s, unit_kinds[k].name) == 0)
			return k;
	return -1;
}
