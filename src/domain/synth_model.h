/* synth_model.h — private to domain/synth*.c: the in-memory county. */
#ifndef CORDON_SYNTH_MODEL_H
#define CORDON_SYNTH_MODEL_H

#include "domain/synth.h"
#include "lib/rng.h"

enum role { ROLE_INFANT, ROLE_STUDENT, ROLE_WORKER, ROLE_FARMER, ROLE_ELDER };

/* Streams of the generator: each draws from its own keyed sequence so
 * that changing one part of the model leaves the others as they were. */
enum stream { ST_TOWN = 1, ST_VILLAGE, ST_HOUSEHOLD, ST_NAME, ST_VENUE,
	      ST_ASSIGN, ST_DAY, ST_WORKER };

struct s_town {
	char code[16];
	char name[48];
	enum unit_kind kind;
	double lat, lon;
	long pop_target;
	int first_village, nvillages;
	int border;        /* on the county's edge: gets a checkpoint */
};

struct s_village {
	char code[16];
	char name[48];
	enum unit_kind kind;
	int town;
	double lat, lon;
	int first_hamlet, nhamlets;
};

struct s_hamlet {
	char code[UNIT_CODE_MAX];
	char name[80];
	enum unit_kind kind;
	int village;
	double lat, lon;
	int first_household, nhouseholds;
};

struct s_household {
	int hamlet;
	int first_person, size;
};

struct s_person {
	char rid[19];
	int household;
	int32_t birth;
	int16_t age;
	char sex;
	unsigned char role;
	unsigned char surname;
	unsigned char alone;   /* elderly living alone */
	int32_t work;          /* venue index: workplace or school; -1 none */
	int32_t haunt;         /* teahouse or chess room of an elder; -1 */
	int64_t phone;         /* 11-digit number; 0 when none */
};

struct s_venue {
	char code[VENUE_CODE_MAX];
	char name[64];
	enum venue_kind kind;
	int town;
	int village;           /* -1 for venues at town level */
	char unit[UNIT_CODE_MAX];
	double lat, lon;
};

struct synth {
	struct synth_params p;
	struct s_town *towns;
	struct s_village *villages;
	struct s_hamlet *hamlets;
	struct s_household *households;
	struct s_person *persons;
	struct s_venue *venues;
	int ntowns, nvillages, nhamlets, nhouseholds, npersons, nvenues;
	size_t avillages, ahamlets, ahouseholds, apersons, avenues;
	/* Venues by (town, kind) and (village, kind): offsets into idx. */
	int *town_off, *town_idx;
	int *vill_off, *vill_idx;
	struct synth_stats stats;
};

/* Names (synth_names.c). */
#define SYNTH_SURNAMES 100
const char *synth_surname(int i);
/* A surname index drawn with realistic frequencies. */
int synth_pick_surname(struct rng *r);
/* Write a given name of one or two characters for sex 'M'/'F'. */
void synth_given_name(struct rng *r, char sex, char *buf, size_t len);
/* Town (sub-district, town, township) names and codes of Hengnan, then
 * made-up ones; kind is UK_SUBDISTRICT, UK_TOWN or UK_TOWNSHIP. */
void synth_town_name(enum unit_kind kind, int i, char *buf, size_t len,
		     int *code);
/* A two-character place name for villages and hamlets. */
void synth_place_name(struct rng *r, char *buf, size_t len);

/* Venues of a kind in a town or village: *n entries at the result. */
const int *synth_town_venues(const struct synth *s, int town,
			     enum venue_kind k, int *n);
const int *synth_village_venues(const struct synth *s, int village,
				enum venue_kind k, int *n);

#endif
