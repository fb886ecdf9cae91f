/* checkpoint.h — checkpoint verification (一扫二看三查四验): scan the code,
 * look at the code and itinerary, check temperature and mask, verify a
 * negative test within the checkpoint's window. Pure: the code and the
 * test facts are passed in. */
#ifndef CORDON_CHECKPOINT_H
#define CORDON_CHECKPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/codes.h"

/* Least to most severe; the outcome is the most severe of the steps. */
enum check_outcome {
	CHECK_PASS,
	CHECK_RESTRICTED,       /* yellow: may not pass freely */
	CHECK_TEST_ON_SITE,     /* no valid negative: sample here */
	CHECK_REFUSED,
	CHECK_HAND_OVER,        /* to health staff: red, fever, positive */
	CHECK_OUTCOME_COUNT
};

struct check_input {
	const struct code_result *code;
	bool has_temp;
	double temp;
	int mask;                /* 1 worn, 0 not, -1 not checked */
	int64_t negative_at;     /* sampling time of the latest negative
				    whose result is known; 0 = none */
	bool positive_pending;   /* a positive sampled at or after it */
	int window_hours;        /* this checkpoint's certificate window */
	int64_t now;
};

struct check_finding {
	int step;                /* 1 scan, 2 look, 3 check, 4 verify */
	enum check_outcome outcome;
	char text[CODE_TEXT_MAX];
};

#define CHECK_MAX_FINDINGS 8

struct check_result {
	enum check_outcome outcome;
	int n;
	struct check_finding f[CHECK_MAX_FINDINGS];
};

/* Decide the outcome and every step's finding under the rules. */
void check_decide(const struct rules *r, const struct check_input *in,
		  struct check_result *out);
const char *check_outcome_name(enum check_outcome o);
const char *check_outcome_zh(enum check_outcome o);
/* True when window_hours is one of the rules' certificate windows. */
bool check_window_allowed(const struct rules *r, int window_hours);

#endif
