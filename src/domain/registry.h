/* registry.h — the joint-prevention (联防) registry's rules: unit codes and
 * kinds, household codes, venue kinds, names and special groups.
 *
 * Pure: no I/O. Every check returns CD_OK or CD_EINVAL with the broken rule
 * in err->msg (the caller adds file, line, field and value). */
#ifndef CORDON_REGISTRY_H
#define CORDON_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/err.h"

/* Levels of the hierarchy county → town → village → hamlet. Households and
 * persons hang below hamlets. */
enum unit_level {
	UNIT_COUNTY = 1,
	UNIT_TOWN = 2,
	UNIT_VILLAGE = 3,
	UNIT_HAMLET = 4,
};

enum unit_kind {
	UK_COUNTY,
	UK_SUBDISTRICT, /* 街道 001–099 */
	UK_TOWN,        /* 镇 100–199 */
	UK_TOWNSHIP,    /* 乡 200–399 */
	UK_COMMUNITY,   /* 社区 居委会 001–199 */
	UK_VILLAGE,     /* 村 村委会 200–399 */
	UK_HAMLET,      /* 屋场 */
	UK_GRID,        /* 网格 */
	UK_BUILDING,    /* 楼栋 */
	UK_COMPOUND,    /* 小区/院落 */
	UK_COUNT
};

#define UNIT_CODE_MAX 17      /* "430422103201-007" + NUL */
#define HOUSEHOLD_CODE_MAX 22 /* "430422103201-007-0012" + NUL */
#define NAME_MAX_BYTES 120
#define VENUE_CODE_MAX 33

struct unit_code {
	char code[UNIT_CODE_MAX];
	enum unit_level level;
	enum unit_kind kind;          /* derived from the code's ranges */
	char parent[UNIT_CODE_MAX];   /* empty for a county */
};

/* Parse a unit code: a county is a six-digit GB/T 2260 county code
 * (PPCCDD, DD not 00); a town a 12-digit statistical code ending 000 whose
 * township part is 001–399; a village the town's first 9 digits plus
 * 001–199 (community) or 200–399 (village committee); a hamlet/grid the
 * village code, '-', and three digits 001–999. */
enum cd_code unit_code_parse(const char *s, struct unit_code *out,
			     struct cd_err *err);
/* Check a household code: hamlet code, '-', four digits 0001–9999; writes
 * the hamlet code into hamlet (UNIT_CODE_MAX bytes). */
enum cd_code household_code_parse(const char *s, char *hamlet,
				  struct cd_err *err);

/* Resolve a kind given in a file (may be empty) against the level the code
 * says: empty gives the derived kind; at the hamlet level any of hamlet,
 * grid, building, compound; elsewhere it must equal the derived kind. */
enum cd_code unit_kind_resolve(const char *s, const struct unit_code *uc,
			       enum unit_kind *out, struct cd_err *err);
const char *unit_kind_name(enum unit_kind k);
const char *unit_kind_zh(enum unit_kind k);
const char *unit_level_name(enum unit_level l);

/* A name: 1..NAME_MAX_BYTES bytes of valid UTF-8 without control
 * characters or leading/trailing spaces. */
enum cd_code name_check(const char *s, struct cd_err *err);

enum venue_kind {
	VK_CHESS_ROOM, VK_TEAHOUSE, VK_SHOP, VK_RESTAURANT, VK_HOTEL,
	VK_KARAOKE, VK_INTERNET_CAFE, VK_BATH_BEAUTY, VK_WORKSHOP,
	VK_MARKET, VK_SUPERMARKET, VK_STATION, VK_SCHOOL, VK_HOSPITAL,
	VK_PHARMACY, VK_OFFICE, VK_FACTORY, VK_CHECKPOINT,
	VK_COUNT
};

enum cd_code venue_kind_parse(const char *s, enum venue_kind *out,
			      struct cd_err *err);
const char *venue_kind_name(enum venue_kind k);
const char *venue_kind_zh(enum venue_kind k);
/* One of the nine kinds of small venue (九小场所). */
bool venue_kind_is_small(enum venue_kind k);
/* Venue code: 1..32 characters of [A-Za-z0-9_-]. */
enum cd_code venue_code_check(const char *s, struct cd_err *err);
/* Latitude/longitude in decimal degrees; both empty means none. */
enum cd_code coord_parse(const char *s, double lo, double hi, double *out,
			 struct cd_err *err);

/* Special groups, a bit set. */
enum {
	GROUP_ELDERLY_ALONE = 1 << 0,
	GROUP_DISABLED = 1 << 1,
	GROUP_PREGNANT = 1 << 2,
};
/* Parse "elderly_alone;disabled" (any order, empty allowed). */
enum cd_code groups_parse(const char *s, int *out, struct cd_err *err);
/* Canonical text form in buf (>= 40 bytes): names joined by ';'. */
void groups_format(int groups, char *buf, unsigned long len);


/* ---- plain records, as the importer builds them and the store keeps them */

#define ADDRESS_MAX_BYTES 200
#define GRID_WORKER_MAX_UNITS 32

struct unit_rec {
	char code[UNIT_CODE_MAX];
	char name[NAME_MAX_BYTES + 1];
	enum unit_level level;
	enum unit_kind kind;
	char parent[UNIT_CODE_MAX]; /* empty for a county */
};

struct household_rec {
	char code[HOUSEHOLD_CODE_MAX];
	char hamlet[UNIT_CODE_MAX];
	char address[ADDRESS_MAX_BYTES + 1];
};

struct person_rec {
	char rid[19];
	char name[NAME_MAX_BYTES + 1];
	char sex;       /* 'M' or 'F', from the ID */
	int birth;      /* day number, from the ID */
	char phone[12]; /* empty when none */
	char household[HOUSEHOLD_CODE_MAX];
	int groups;
};

struct venue_rec {
	char code[VENUE_CODE_MAX];
	char name[NAME_MAX_BYTES + 1];
	enum venue_kind kind;
	char unit[UNIT_CODE_MAX];
	bool has_coord;
	double lat, lon;
};

struct grid_worker_rec {
	char phone[12];
	char name[NAME_MAX_BYTES + 1];
	size_t nunits;
	char units[GRID_WORKER_MAX_UNITS][UNIT_CODE_MAX];
};

/* One unit of a subtree, as `unit tree` shows it. The store fills the
 * direct counts; unit_tree_rollup() adds the totals. */
struct unit_node {
	long id, parent_id;   /* parent_id 0 at the subtree's root */
	char code[UNIT_CODE_MAX];
	char name[NAME_MAX_BYTES + 1];
	enum unit_level level;
	enum unit_kind kind;
	int depth;
	long households, persons;             /* directly in this unit */
	long total_households, total_persons; /* this unit and below */
};

/* Sum direct counts up the tree. nodes must be in pre-order (parents
 * before children), as the store returns them. */
void unit_tree_rollup(struct unit_node *nodes, size_t n);
/* The level's kind from its name ("hamlet" → UK_HAMLET); -1 if unknown. */
int unit_kind_from_name(const char *s);

#endif
