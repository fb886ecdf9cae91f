/* codes.h — health codes (健康码): a colour for a person with every reason
 * that caused it, computed from facts the system holds.
 *
 * Each cause is one rule in a table (codes.c): a function that looks at a
 * person's facts and may add a reason with a colour. The code is the most
 * severe colour among the reasons; green when there are none. Adding a
 * cause (zones, the returnee ledger) is one more rule and one more fact.
 * Pure: the facts are gathered by the application layer. */
#ifndef CORDON_CODES_H
#define CORDON_CODES_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/cases.h"
#include "domain/rules.h"

enum code_colour { CODE_GREEN, CODE_YELLOW, CODE_RED };

#define CODE_MAX_REASONS 8
#define CODE_CAUSE_MAX 24
#define CODE_TEXT_MAX 200

/* What the system knows about one person that can colour a code. Times
 * are Unix seconds (0 = none), dates day numbers (0 = none). */
struct code_facts {
	int64_t now;
	/* an open case (not closed by a cure) */
	bool has_case;
	enum case_class case_class;
	char case_number[CASE_NUMBER_MAX];
	/* the strongest contact category across traced cases (enum
	 * contact_cat, or -1 when not a contact), its case and exposure */
	int contact_cat;
	char contact_case[CASE_NUMBER_MAX];
	int64_t contact_last;
	/* a quarantine plan: its group ("close", "secondary",
	 * "discharged"), its state ("waiting", "central", "home", or
	 * "monitoring" after release until monitoring_end; "" = none) and
	 * the end of each part (0 = none) */
	char q_group[12];
	char q_status[12];
	int32_t q_central_end, q_home_end, q_monitoring_end;
	int32_t q_missed_tests;     /* sampling days passed without a sample */
	/* a plan was made for the contact's case (open or ended): the
	 * contact is handled by quarantine, not "to be quarantined" */
	bool q_planned_for_contact;
	/* controlled in place after a positive pool, not yet resolved */
	bool pool_controlled;
	char pool_tube[32];
	/* negative results sampled after contact_last, within the rules'
	 * clearing window, and whether any positive came back */
	int negatives_since_exposure;
	bool positive_since_exposure;
	/* an abnormal temperature at a checkpoint within the last day */
	double checkpoint_fever;    /* 0 = none */
	int64_t checkpoint_fever_at;
	/* the most severe active zone the person's hamlet lies in (enum
	 * zone_level, 0 = none) and its code, "Z0001" */
	int zone_level;
	char zone_code[16];
};

struct code_reason {
	enum code_colour colour;
	char cause[CODE_CAUSE_MAX];   /* stable name: "case", "close_contact" */
	char text[CODE_TEXT_MAX];     /* English, for people */
};

struct code_result {
	enum code_colour colour;
	int n;
	struct code_reason reasons[CODE_MAX_REASONS];
};

/* The code of a person from their facts under the rules. */
void code_compute(const struct rules *r, const struct code_facts *f,
		  struct code_result *out);
const char *code_colour_name(enum code_colour c);
const char *code_colour_zh(enum code_colour c);
/* The facts of a person the system knows nothing about. */
void code_facts_init(struct code_facts *f, int64_t now);

#endif
