/* store_dash.h — the SQL of the dashboard's API routes (api/h_dash.c):
 * contacts over every case, positive pools with their recall, the
 * alerts (fever in quarantine, overdue releases), a person's cell stays,
 * and a unit's children with the zones inside them. Every list is filtered
 * by a unit (the person's hamlet, or the child, lies under it; NULL:
 * everywhere) and paged in SQL. */
#ifndef CORDON_STORE_DASH_H
#define CORDON_STORE_DASH_H

#include "store/store.h"

/* ---- contacts of every case, one row per person */

struct store_dash_contact {
	uint32_t person;
	char rid[19], name[NAME_MAX_BYTES + 1], hamlet[UNIT_CODE_MAX];
	bool close;              /* close to some case; else secondary only */
	char cases[1024];        /* case numbers, comma-separated */
	int64_t last;            /* latest last exposure, Unix seconds */
	uint32_t via;            /* secondary only: the close contact, or 0 */
	char via_rid[19], via_name[NAME_MAX_BYTES + 1];
	char via_hamlet[UNIT_CODE_MAX];
	int64_t plan;            /* the open plan, else the latest; 0 none */
	char status[12];         /* its status; "none" without a plan */
	char site[SITE_CODE_MAX], site_name[NAME_MAX_BYTES + 1];
	char room[ROOM_NUMBER_MAX];   /* "" when the plan has no room */
	char quarantine_end[11];      /* YYYY-MM-DD, "" without a plan */
	char tests[512];              /* sampling dates, comma-separated */
};
struct store_dash_contact_filter {
	const char *unit;        /* the person's hamlet under it; NULL: all */
	int close;               /* -1 any; 1 close; 0 secondary only */
	const char *status;      /* NULL any; a plan status or "none" */
	const char *case_number; /* NULL any; else that case's rows only */
	long limit, offset;
};
typedef enum cd_code (*store_dash_contact_fn)(
	void *ctx, const struct store_dash_contact *c);
/* Close and secondary contacts as distinct persons matching f, latest
 * exposure first, then by registry id. Calls fn for each; a non-OK
 * return from fn stops and is returned. */
enum cd_code store_dash_contacts(struct store *st,
				 const struct store_dash_contact_filter *f,
				 store_dash_contact_fn fn, void *ctx,
				 struct cd_err *err);

/* ---- positive tubes with the recall of their members */

struct store_dash_pool {
	char tube[TESTING_CODE_MAX], point[NAME_MAX_BYTES + 1];
	char round[TESTING_CODE_MAX], lab[NAME_MAX_BYTES + 1];
	int pool_size;
	int64_t sampled_at, result_at;
	long members_total;      /* every member */
	long members;            /* members under the filter's unit */
	long negative, positive; /* of those, controls resolved so */
};
enum store_dash_pools {
	STORE_POOLS_POSITIVE,    /* positive pools (pool_size > 1) */
	STORE_POOLS_ALL,         /* every positive tube, single ones too */
	STORE_POOLS_UNRESOLVED,  /* positive pools with members pending */
};
typedef enum cd_code (*store_dash_pool_fn)(void *ctx,
					   const struct store_dash_pool *p);
/* Positive tubes of kind with a member under unit (NULL: anywhere),
 * newest result first, then by tube; limit rows (0: none, only the
 * count) from offset; *total (may be NULL) counts every match. */
enum cd_code store_dash_pools(struct store *st, const char *unit,
			      enum store_dash_pools kind, long limit,
			      long offset, store_dash_pool_fn fn, void *ctx,
			      long *total, struct cd_err *err);

/* ---- alerts */

/* A quarantine plan or a monitoring entry of one. */
struct store_dash_alert {
	int64_t plan, monitoring;        /* monitoring: 0 for a plan */
	uint32_t person;
	char rid[19], name[NAME_MAX_BYTES + 1], hamlet[UNIT_CODE_MAX];
	char status[12], grp[12];
	char site[SITE_CODE_MAX], room[ROOM_NUMBER_MAX]; /* "" none */
	char quarantine_end[11];
	int64_t at;                      /* monitoring: when taken */
	int temp_tenths;
	char symptoms[SYMPTOMS_MAX_BYTES + 1], alert[512];
};
typedef enum cd_code (*store_dash_alert_fn)(
	void *ctx, const struct store_dash_alert *a);
/* Monitoring entries with an alert taken in [from, to) of persons under
 * unit, newest first; at most limit; *total counts them all. */
enum cd_code store_dash_fever(struct store *st, const char *unit,
			      int64_t from, int64_t to, long limit,
			      store_dash_alert_fn fn, void *ctx, long *total,
			      struct cd_err *err);
/* Open plans (waiting, central, home) of persons under unit whose
 * quarantine_end is before day, oldest end first; at most limit;
 * *total counts them all. */
enum cd_code store_dash_overdue(struct store *st, const char *unit,
				int32_t day, long limit,
				store_dash_alert_fn fn, void *ctx,
				long *total, struct cd_err *err);

/* ---- a person's movements */

/* A stay of a phone's owner in a telecom cell (row * 10000 + column). */
typedef enum cd_code (*store_dash_cell_fn)(void *ctx, uint32_t cell,
					   int64_t start, int64_t end);
/* The cell stays of person (registry id) overlapping [from, to), in
 * start order. */
enum cd_code store_dash_cells(struct store *st, uint32_t person,
			      int64_t from, int64_t to, store_dash_cell_fn fn,
			      void *ctx, struct cd_err *err);

/* ---- the tree of units with their zones */

struct store_dash_unit {
	char code[UNIT_CODE_MAX], name[NAME_MAX_BYTES + 1];
	int level;
	bool has_children;
	int inner_level;        /* the highest level of active zones with an
				   area (unit or venue) below it; 0 none */
	long inner_zones;       /* how many such zones */
};
typedef enum cd_code (*store_dash_unit_fn)(void *ctx,
					   const struct store_dash_unit *u);
/* The children of unit (NULL: the counties) by code, limit rows from
 * offset, with the zones in force inside them at instant `at`.
 * CD_ENOTFOUND for an unknown unit. */
enum cd_code store_dash_children(struct store *st, const char *unit,
				 int64_t at, long limit, long offset,
				 store_dash_unit_fn fn, void *ctx,
				 struct cd_err *err);
/* The most severe zone in force at instant `at` whose area is unit or
 * one of its ancestors (*zone 0: none), and its level then. */
enum cd_code store_dash_zone_covering(struct store *st, const char *unit,
				      int64_t at, int64_t *zone, int *level,
				      struct cd_err *err);

#endif
