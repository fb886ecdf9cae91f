/* test_rules.c — the rule profiles against DOMAIN.md's numbers (written
 * out here by hand, not read from the rules files), overrides and their
 * origins, every kind of bad file, and the writer's round trip. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules.h"
#include "lib/strbuf.h"

/* ---- helpers */

static struct rules builtin(const char *name)
{
	struct rules r;
	struct cd_err err = { CD_OK, "" };
	if (rules_builtin(name, &r, &err) != CD_OK)
		fail_msg("profile %s: %s", name, err.msg);
	return r;
}

static void days_are(const struct rules_days *d, int n, ...)
{
	va_list ap;
	assert_int_equal(d->n, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(d->day[i], va_arg(ap, int));
	va_end(ap);
}

static void regime_is(const struct rules_regime *g, bool identified,
		      int central, int home, int monitoring)
{
	assert_int_equal(g->identified, identified);
	assert_int_equal(g->central_days, central);
	assert_int_equal(g->home_days, home);
	assert_int_equal(g->monitoring_days, monitoring);
}

/* Load deploy text over a profile; expect failure with exactly msg. */
static void refused(const char *profile, const char *text, const char *msg)
{
	struct rules_eff eff;
	struct cd_err err = { CD_OK, "" };
	enum cd_code rc = rules_load(profile, "d.rules", text, &eff, &err);
	if (rc != CD_EINVAL)
		fail_msg("accepted (rc %d): %s", rc, text);
	if (strcmp(err.msg, msg) != 0)
		fail_msg("message\n  %s\nwanted\n  %s", err.msg, msg);
}

static struct rules_eff loaded(const char *profile, const char *text)
{
	struct rules_eff eff;
	struct cd_err err = { CD_OK, "" };
	if (rules_load(profile, "d.rules", text, &eff, &err) != CD_OK)
		fail_msg("refused: %s", err.msg);
	return eff;
}

static size_t idx(const char *section, const char *key)
{
	int i = rules_key_find(section, key);
	assert_true(i >= 0);
	return (size_t)i;
}

/* ---- the profiles against DOMAIN.md */

/* Shared by every profile (DOMAIN.md): lookback 2 days, companion 10
 * minutes, pools 1/5/10/20 default 10, rounds 24 h / 48 h, at least 3,
 * certificates 24/48/72 h, fever >= 37.3, yellow clears after 3 negatives
 * in 7 days, itinerary: stays >= 4 h in 14 days, discharged 14 + 14. */
static void common_numbers(const struct rules *r)
{
	assert_int_equal(r->tracing.lookback_days, 2);
	assert_int_equal(r->tracing.companion_minutes, 10);
	assert_int_equal(r->testing.pool_size, 10);
	assert_int_equal(r->testing.pool_sizes[0], 1);
	assert_int_equal(r->testing.pool_sizes[1], 5);
	assert_int_equal(r->testing.pool_sizes[2], 10);
	assert_int_equal(r->testing.pool_sizes[3], 20);
	assert_int_equal(r->zones.sealed_round_hours, 24);
	assert_int_equal(r->zones.controlled_round_hours, 48);
	assert_int_equal(r->zones.min_rounds, 3);
	assert_int_equal(r->checkpoint.cert_hours[0], 24);
	assert_int_equal(r->checkpoint.cert_hours[1], 48);
	assert_int_equal(r->checkpoint.cert_hours[2], 72);
	assert_true(r->checkpoint.fever_celsius > 37.29 &&
		    r->checkpoint.fever_celsius < 37.31);
	assert_int_equal(r->codes.yellow_clear_tests, 3);
	assert_int_equal(r->codes.yellow_clear_days, 7);
	assert_int_equal(r->codes.itinerary_stay_hours, 4);
	assert_int_equal(r->codes.itinerary_days, 14);
	regime_is(&r->quarantine.discharged, true, 14, 14, 0);
	assert_int_equal(r->zones.sealed_quiet_days, 14);
	assert_int_equal(r->zones.sealed_round_within_days, 2);
	assert_int_equal(r->quarantine.secondary_needs_close_tests, 2);
}

static void test_v8(void **state)
{
	(void)state;
	struct rules r = builtin("v8");
	assert_string_equal(r.profile, "v8");
	common_numbers(&r);
	/* close: 14 d central + 7 d home monitoring; tests central days
	 * 1,4,7,14; monitoring days 2,7 */
	regime_is(&r.quarantine.close, true, 14, 0, 7);
	days_are(&r.quarantine.close.central_tests, 4, 1, 4, 7, 14);
	days_are(&r.quarantine.close.home_tests, 0);
	days_are(&r.quarantine.close.monitoring_tests, 2, 2, 7);
	/* secondary: 7 d central; tests 1,4,7 */
	regime_is(&r.quarantine.secondary, true, 7, 0, 0);
	days_are(&r.quarantine.secondary.central_tests, 3, 1, 4, 7);
	assert_true(r.tracing.secondary);
	assert_false(r.tracing.general_tested); /* registered, not tested */
	assert_true(r.zones.three_zone);
	assert_true(r.codes.itinerary_star);
}

static void test_v9(void **state)
{
	(void)state;
	struct rules r = builtin("v9");
	common_numbers(&r);
	/* close: 7 d central + 3 d home monitoring; tests 1,2,3,5,7;
	 * monitoring day 3 */
	regime_is(&r.quarantine.close, true, 7, 0, 3);
	days_are(&r.quarantine.close.central_tests, 5, 1, 2, 3, 5, 7);
	days_are(&r.quarantine.close.monitoring_tests, 1, 3);
	/* secondary: 7 d home; tests 1,4,7 */
	regime_is(&r.quarantine.secondary, true, 0, 7, 0);
	days_are(&r.quarantine.secondary.home_tests, 3, 1, 4, 7);
	days_are(&r.quarantine.secondary.central_tests, 0);
	assert_true(r.tracing.secondary);
	assert_true(r.tracing.general_tested); /* outbreak venue: tested */
	/* high → medium after 7 days, round on day 7; medium → low after 3
	 * more */
	assert_false(r.zones.three_zone);
	assert_int_equal(r.zones.high_to_medium_days, 7);
	assert_int_equal(r.zones.high_round_day, 7);
	assert_int_equal(r.zones.medium_to_low_days, 3);
	assert_int_equal(r.zones.high_to_low_days, 0);
	assert_false(r.codes.itinerary_star); /* dropped June 2022 */
}

static void test_v9_20(void **state)
{
	(void)state;
	struct rules r = builtin("v9-20");
	common_numbers(&r);
	/* close: 5 d central + 3 d home; tests 1,2,3,5; home 1,3 */
	regime_is(&r.quarantine.close, true, 5, 3, 0);
	days_are(&r.quarantine.close.central_tests, 4, 1, 2, 3, 5);
	days_are(&r.quarantine.close.home_tests, 2, 1, 3);
	days_are(&r.quarantine.close.monitoring_tests, 0);
	/* secondary contacts are not identified */
	assert_false(r.quarantine.secondary.identified);
	assert_false(r.tracing.secondary);
	/* high → low after 5 days */
	assert_false(r.zones.three_zone);
	assert_int_equal(r.zones.high_to_low_days, 5);
	assert_int_equal(r.zones.high_to_medium_days, 0);
	assert_false(r.codes.itinerary_star);
}

/* The deployment choices of docs/rules.md, the same in every profile. */
static void test_venues(void **state)
{
	(void)state;
	static const struct {
		enum venue_kind k;
		bool enclosed;
		int overlap, dwell;
	} want[] = {
		{ VK_CHESS_ROOM, true, 15, 120 }, { VK_TEAHOUSE, true, 15, 120 },
		{ VK_SHOP, false, 15, 15 }, { VK_RESTAURANT, true, 15, 60 },
		{ VK_HOTEL, true, 60, 600 }, { VK_KARAOKE, true, 15, 120 },
		{ VK_INTERNET_CAFE, true, 30, 120 },
		{ VK_BATH_BEAUTY, true, 15, 60 }, { VK_WORKSHOP, true, 30, 240 },
		{ VK_MARKET, false, 15, 45 }, { VK_SUPERMARKET, false, 15, 30 },
		{ VK_STATION, false, 15, 30 }, { VK_SCHOOL, true, 60, 480 },
		{ VK_HOSPITAL, true, 15, 60 }, { VK_PHARMACY, false, 15, 10 },
		{ VK_OFFICE, true, 60, 480 }, { VK_FACTORY, true, 60, 480 },
		{ VK_CHECKPOINT, false, 15, 5 },
	};
	assert_int_equal(sizeof want / sizeof *want, VK_COUNT);
	const char *names[] = { "v8", "v9", "v9-20" };
	for (size_t p = 0; p < 3; p++) {
		struct rules r = builtin(names[p]);
		for (size_t i = 0; i < VK_COUNT; i++) {
			enum venue_kind k = want[i].k;
			assert_int_equal(r.tracing.enclosed[k],
					 want[i].enclosed);
			assert_int_equal(r.tracing.overlap_minutes[k],
					 want[i].overlap);
			assert_int_equal(r.tracing.dwell_minutes[k],
					 want[i].dwell);
		}
		assert_int_equal(r.tracing.bus_seat_rows, 3);
		assert_int_equal(r.tracing.rail_seat_rows, 3);
		assert_int_equal(r.tracing.proximity_minutes, 15);
		assert_int_equal(r.tracing.crowd_limit, 50);
	}
}

/* ---- overrides and origins */

static void test_override_one_key(void **state)
{
	(void)state;
	struct rules base = builtin("v9");
	struct rules_eff e = loaded(NULL, "# county rules\nprofile = v9\n\n"
				    "[tracing]\nlookback_days = 4  # 发病前4天\n");
	size_t lb = idx("tracing", "lookback_days");
	assert_int_equal(e.r.tracing.lookback_days, 4);
	assert_int_equal(e.from[lb], RULES_FROM_DEPLOY);
	assert_int_equal(e.line[lb], 5);
	assert_int_equal(e.profile_line, 2);
	struct strbuf sb = STRBUF_INIT;
	rules_origin_format(&e, lb, &sb);
	assert_string_equal(sb.buf, "d.rules:5");
	strbuf_reset(&sb);
	size_t cd = idx("quarantine.close", "central_days");
	rules_origin_format(&e, cd, &sb);
	assert_true(strncmp(sb.buf, "profile v9 (rules/v9.rules:", 27) == 0);
	strbuf_release(&sb);
	/* every other key is the profile's, from the profile */
	for (size_t i = 0; i < rules_key_count(); i++) {
		int a[RULES_MAX_TEST_DAYS], b[RULES_MAX_TEST_DAYS];
		if (i == lb)
			continue;
		int na = rules_value_get(&e.r, i, a);
		int nb = rules_value_get(&base, i, b);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, (size_t)na * sizeof(int));
		assert_int_equal(e.from[i], RULES_FROM_PROFILE);
		assert_true(e.line[i] > 0);
	}
}

static void test_profile_choice(void **state)
{
	(void)state;
	/* the file names v8; an explicit profile wins */
	struct rules_eff e = loaded("v9-20", "profile = v8\n");
	assert_string_equal(e.r.profile, "v9-20");
	assert_int_equal(e.profile_line, 0);
	e = loaded(NULL, "profile = v8\n");
	assert_string_equal(e.r.profile, "v8");
	assert_int_equal(e.r.quarantine.close.central_days, 14);
	/* no file: v9 */
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(rules_load(NULL, NULL, NULL, &e, &err), CD_OK);
	assert_string_equal(e.r.profile, "v9");
	assert_string_equal(e.deploy_file, "");
	/* spreadsheet habits: BOM, CRLF, ; comments, spaces */
	e = loaded(NULL, "\xef\xbb\xbfprofile = v8\r\n; note\r\n[codes]\r\n"
		   "  itinerary_star   =   no\r\n");
	assert_false(e.r.codes.itinerary_star);
}

/* ---- bad files: key, value and allowed range in every message */

static void test_missing_key(void **state)
{
	(void)state;
	const struct rules_profile *v9 = rules_profile_find("v9");
	assert_non_null(v9);
	const char *cut = strstr(v9->text, "\ndwell_minutes = 600\n");
	assert_non_null(cut); /* venue.hotel's line */
	struct strbuf text = STRBUF_INIT;
	strbuf_add(&text, v9->text, (size_t)(cut - v9->text) + 1);
	strbuf_addstr(&text, cut + strlen("\ndwell_minutes = 600\n"));
	struct rules_profile p = { "v9", "v9-cut.rules", text.buf };
	struct rules_eff e;
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(rules_load_texts(&p, NULL, NULL, &e, &err),
			 CD_EINVAL);
	assert_string_equal(err.msg, "v9-cut.rules: missing key "
			    "venue.hotel.dwell_minutes (in [venue.hotel]: "
			    "dwell_minutes = a whole number from 1 to 1440)");
	strbuf_release(&text);
	refused(NULL, "[tracing]\nlookback_days = 3\n",
		"d.rules: missing key profile (at the top, before any "
		"section: profile = one of v8, v9, v9-20)");
}

static void test_unknown(void **state)
{
	(void)state;
	refused(NULL, "profile = v9\n[tracing]\nlookbak_days = 4\n",
		"d.rules:3: unknown key 'lookbak_days' in [tracing]: its keys "
		"are lookback_days, bus_seat_rows, rail_seat_rows, "
		"companion_minutes, proximity_minutes, crowd_limit, secondary, "
		"general_tested");
	refused(NULL, "profile = v9\n\n[tracin]\nlookback_days = 4\n",
		"d.rules:3: unknown section [tracin]: the sections are "
		"tracing, venue.KIND, quarantine.close, quarantine.secondary, "
		"quarantine.discharged, zones, testing, codes, checkpoint");
	refused(NULL, "profile = v9\n[venue.spa]\nenclosed = yes\n",
		"d.rules:2: unknown section [venue.spa]: KIND in "
		"[venue.KIND] is one of chess_room, teahouse, shop, "
		"restaurant, hotel, karaoke, internet_cafe, bath_beauty, "
		"workshop, market, supermarket, station, school, hospital, "
		"pharmacy, office, factory, checkpoint");
	/* a section with no keys is still refused, at its header */
	refused(NULL, "profile = v9\n[zones]\n [spare]  # later\n",
		"d.rules:3: unknown section [spare]: the sections are "
		"tracing, venue.KIND, quarantine.close, quarantine.secondary, "
		"quarantine.discharged, zones, testing, codes, checkpoint");
	refused(NULL, "profile = v10\n",
		"d.rules:1: profile value 'v10': must be one of v8, v9, v9-20");
	refused("v10", NULL, "unknown profile 'v10': must be one of v8, v9, "
		"v9-20");
	refused(NULL, "profile = v9\ncounty = 430422\n",
		"d.rules:2: key 'county' is outside any section (only "
		"profile may be)");
	refused(NULL, "profile = v9\n[zones]\nmin_rounds = 4\nmin_rounds = 5\n",
		"d.rules:4: zones.min_rounds set twice (first on line 3)");
	refused(NULL, "profile = v9\nprofile = v8\n",
		"d.rules:2: profile set twice (first on line 1)");
	/* the first bad line is the one reported, whatever follows */
	refused(NULL, "profile = v9\n[tracing]\nlookback_days = 40\n[zones\n"
		"junk\n", "d.rules:3: tracing.lookback_days value '40': must "
		"be 1 to 14");
	refused(NULL, "junk\nprofile = v10\n",
		"d.rules:1: not a [section] or a key = value line");
	refused(NULL, "profile = v9\n[zones\n",
		"d.rules:2: not a [section] or a key = value line");
	refused(NULL, "profile = v9\n[zones]\nmin_rounds 4\n",
		"d.rules:3: not a [section] or a key = value line");
}

static void test_out_of_range(void **state)
{
	(void)state;
	refused(NULL, "profile = v9\n[tracing]\nlookback_days = 40\n",
		"d.rules:3: tracing.lookback_days value '40': must be 1 to 14");
	refused(NULL, "profile = v9\n[tracing]\nlookback_days = 0\n",
		"d.rules:3: tracing.lookback_days value '0': must be 1 to 14");
	refused(NULL, "profile = v9\n[venue.teahouse]\noverlap_minutes = "
		"99999999999999999999\n", "d.rules:3: venue.teahouse."
		"overlap_minutes value '99999999999999999999': must be 1 to "
		"1440");
	refused(NULL, "profile = v9\n[checkpoint]\nfever_celsius = 35.9\n",
		"d.rules:3: checkpoint.fever_celsius value '35.9': must be a "
		"number from 36.0 to 42.0 with at most one decimal");
	refused(NULL, "profile = v9\n[checkpoint]\ncert_hours = 24 48 200\n",
		"d.rules:3: checkpoint.cert_hours value '24 48 200': 200 is "
		"out of range; must be 1 to 3 numbers from 1 to 168 in "
		"increasing order, separated by spaces");
}

static void test_malformed_number(void **state)
{
	(void)state;
	static const char *const bad[] = { "two", "-1", "+2", "2.0", "0x10",
					   "2 3", "" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char text[128], msg[256];
		snprintf(text, sizeof text, "profile = v9\n[tracing]\n"
			 "lookback_days = %s\n", bad[i]);
		snprintf(msg, sizeof msg, "d.rules:3: tracing.lookback_days "
			 "value '%s': must be a whole number from 1 to 14",
			 bad[i]);
		refused(NULL, text, msg);
	}
	refused(NULL, "profile = v9\n[checkpoint]\nfever_celsius = 37.35\n",
		"d.rules:3: checkpoint.fever_celsius value '37.35': must be a "
		"number from 36.0 to 42.0 with at most one decimal");
	struct rules_eff e = loaded(NULL, "profile = v9\n[checkpoint]\n"
				    "fever_celsius = 38\n");
	assert_true(e.r.checkpoint.fever_celsius == 38.0);
}

static void test_bad_boolean(void **state)
{
	(void)state;
	refused(NULL, "profile = v9\n[tracing]\nsecondary = true\n",
		"d.rules:3: tracing.secondary value 'true': must be yes or no");
	refused(NULL, "profile = v9\n[venue.shop]\nenclosed = YES\n",
		"d.rules:3: venue.shop.enclosed value 'YES': must be yes or "
		"no");
}

static void test_bad_day_list(void **state)
{
	(void)state;
	const char *range = "must be days from 1 to 30 in increasing order, "
			    "separated by spaces, or none";
	static const struct {
		const char *value, *why;
	} bad[] = {
		{ "1,4,7", "'1,4,7' is not a whole number; " },
		{ "7 4", "4 is not after 7; " },
		{ "1 4 4", "4 is not after 4; " },
		{ "0 4", "0 is out of range; " },
		{ "1 31", "31 is out of range; " },
		{ "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
		  "more than 16 values; " },
		{ "", "empty; " },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char text[160], msg[512];
		snprintf(text, sizeof text, "profile = v8\n[quarantine.close]\n"
			 "central_tests = %s\n", bad[i].value);
		snprintf(msg, sizeof msg, "d.rules:3: quarantine.close."
			 "central_tests value '%s': %s%s", bad[i].value,
			 bad[i].why, range);
		refused(NULL, text, msg);
	}
	/* a day past its part: v8 central quarantine is 14 days */
	refused(NULL, "profile = v8\n[quarantine.close]\n"
		"central_tests = 1 4 7 15\n", "d.rules:3: quarantine.close."
		"central_tests value '1 4 7 15': day 15 is past quarantine."
		"close.central_days (14); days must be 1 to 14");
	refused(NULL, "profile = v8\n[quarantine.close]\ncentral_days = 10\n",
		"d.rules:3: quarantine.close.central_days value '10': must be "
		"14 to 30: quarantine.close.central_tests has day 14");
	refused(NULL, "profile = v9\n[quarantine.close]\nhome_tests = 1\n",
		"d.rules:3: quarantine.close.home_tests value '1': quarantine."
		"close.home_days is 0, so this must be none");
}

static void test_cross_keys(void **state)
{
	(void)state;
	refused(NULL, "profile = v9\n[testing]\npool_size = 8\n",
		"d.rules:3: testing.pool_size value '8': must be one of "
		"testing.pool_sizes (1 5 10 20)");
	refused(NULL, "profile = v9\n[testing]\npool_sizes = 1 5 20\n",
		"d.rules:3: testing.pool_sizes value '1 5 20': must include "
		"testing.pool_size (10)");
	refused(NULL, "profile = v9\n[tracing]\nsecondary = no\n",
		"d.rules:3: tracing.secondary value 'no': must equal "
		"quarantine.secondary.identified (yes)");
	refused(NULL, "profile = v9\n[zones]\nhigh_round_day = 8\n",
		"d.rules:3: zones.high_round_day value '8': must be 0 to 7 "
		"(the quiet days before a high-risk area is lowered)");
	struct rules_eff e = loaded(NULL, "profile = v9-20\n[tracing]\n"
				    "secondary = yes\n[quarantine.secondary]"
				    "\nidentified = yes\n");
	assert_true(e.r.tracing.secondary);
}

static void test_long_line(void **state)
{
	(void)state;
	struct strbuf t = STRBUF_INIT;
	strbuf_addstr(&t, "profile = v9\n# ");
	for (int i = 0; i < 300; i++)
		strbuf_addch(&t, 'x');
	strbuf_addstr(&t, "\n[tracing]\nlookback_days = 4\n");
	struct rules_eff e;
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(rules_load(NULL, "d.rules", t.buf, &e, &err),
			 CD_EINVAL);
	assert_true(strncmp(err.msg, "d.rules:2: line longer than ", 28) == 0);
	strbuf_release(&t);
}

/* ---- the writer */

static void round_trip(const struct rules *r)
{
	struct strbuf sb = STRBUF_INIT;
	rules_write(r, &sb);
	struct rules_eff e = loaded(NULL, sb.buf);
	assert_true(rules_equal(r, &e.r));
	for (size_t i = 0; i < rules_key_count(); i++)
		assert_int_equal(e.from[i], RULES_FROM_DEPLOY);
	strbuf_release(&sb);
}

static void test_round_trip(void **state)
{
	(void)state;
	const char *names[] = { "v8", "v9", "v9-20" };
	for (size_t p = 0; p < 3; p++) {
		struct rules r = builtin(names[p]);
		round_trip(&r);
	}
	struct rules_eff e = loaded(NULL, "profile = v8\n[checkpoint]\n"
				    "fever_celsius = 37.5\ncert_hours = 48\n"
				    "[quarantine.close]\nhome_days = 2\n"
				    "home_tests = 1 2\n");
	round_trip(&e.r);
	struct rules v8 = builtin("v8");
	assert_false(rules_equal(&v8, &e.r));
	assert_int_equal(e.r.checkpoint.cert_hours[0], 48);
	assert_int_equal(e.r.checkpoint.cert_hours[1], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v8),
		cmocka_unit_test(test_v9),
		cmocka_unit_test(test_v9_20),
		cmocka_unit_test(test_venues),
		cmocka_unit_test(test_override_one_key),
		cmocka_unit_test(test_profile_choice),
		cmocka_unit_test(test_missing_key),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_malformed_number),
		cmocka_unit_test(test_bad_boolean),
		cmocka_unit_test(test_bad_day_list),
		cmocka_unit_test(test_cross_keys),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
