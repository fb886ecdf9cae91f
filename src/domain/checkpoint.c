/* checkpoint.c — the four steps of 一扫二看三查四验 and their outcome. */
#include "domain/checkpoint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/date.h"
#include "lib/banned.h"

static void find(struct check_result *out, int step, enum check_outcome o,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void find(struct check_result *out, int step, enum check_outcome o,
		 const char *fmt, ...)
{
	if (out->n == CHECK_MAX_FINDINGS)
		return;
	struct check_finding *f = &out->f[out->n++];
	va_list ap;
	f->step = step;
	f->outcome = o;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
	if (o > out->outcome)
		out->outcome = o;
}

static void look(const struct check_input *in, struct check_result *out)
{
	const struct code_result *c = in->code;
	static const enum check_outcome by_colour[] = {
		[CODE_GREEN] = CHECK_PASS, [CODE_YELLOW] = CHECK_RESTRICTED,
		[CODE_RED] = CHECK_HAND_OVER,
	};
	if (c->n == 0)
		find(out, 2, CHECK_PASS, "health code green");
	for (int i = 0; i < c->n; i++)
		find(out, 2, by_colour[c->reasons[i].colour],
		     "health code %s: %s",
		     code_colour_name(c->reasons[i].colour),
		     c->reasons[i].text);
	/* Risk areas arrive with zones; until then no city is starred. */
	find(out, 2, CHECK_PASS, "itinerary: no stay in a risk area recorded");
}

static void check_body(const struct rules *r, const struct check_input *in,
		       struct check_result *out)
{
	if (!in->has_temp)
		find(out, 3, CHECK_PASS, "temperature not taken");
	else if (in->temp >= r->checkpoint.fever_celsius)
		find(out, 3, CHECK_HAND_OVER,
		     "temperature %.1f °C: abnormal (>= %.1f)", in->temp,
		     r->checkpoint.fever_celsius);
	else
		find(out, 3, CHECK_PASS, "temperature %.1f °C: normal",
		     in->temp);
	if (in->mask == 0)
		find(out, 3, CHECK_PASS, "no mask: given one and reminded");
	else if (in->mask == 1)
		find(out, 3, CHECK_PASS, "mask worn");
}

static void verify(const struct check_input *in, struct check_result *out)
{
	char when[24];
	if (in->positive_pending) {
		find(out, 4, CHECK_HAND_OVER,
		     "a positive result without a later negative: isolate");
		return;
	}
	if (!in->negative_at) {
		find(out, 4, CHECK_TEST_ON_SITE,
		     "no negative test on record: test on site");
		return;
	}
	instant_format_cst(in->negative_at, when, sizeof when);
	int64_t age = in->now - in->negative_at;
	if (age >= 0 && age <= (int64_t)in->window_hours * 3600)
		find(out, 4, CHECK_PASS, "negative sampled %.16s, within %d h",
		     when, in->window_hours);
	else
		find(out, 4, CHECK_TEST_ON_SITE,
		     "latest negative sampled %.16s is older than %d h: test "
		     "on site", when, in->window_hours);
}

void check_decide(const struct rules *r, const struct check_input *in,
		  struct check_result *out)
{
	memset(out, 0, sizeof *out);
	find(out, 1, CHECK_PASS, "code scanned; the pass is recorded");
	look(in, out);
	check_body(r, in, out);
	verify(in, out);
}

const char *check_outcome_name(enum check_outcome o)
{
	static const char *const n[] = { "pass", "restricted", "test-on-site",
					 "refused",
					 "hand-over-to-health-staff" };
	return o < CHECK_OUTCOME_COUNT ? n[o] : "?";
}

const char *check_outcome_zh(enum check_outcome o)
{
	static const char *const n[] = { "通行", "限制通行", "现场检测", "劝返",
					 "移交卫生人员" };
	return o < CHECK_OUTCOME_COUNT ? n[o] : "?";
}

bool check_window_allowed(const struct rules *r, int window_hours)
{
	for (int i = 0; i < 3; i++)
		if (r->checkpoint.cert_hours[i] == window_hours)
			return true;
	return false;
}
