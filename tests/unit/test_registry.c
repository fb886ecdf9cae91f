/* test_registry.c — unit and household codes, kinds, names, venues,
 * coordinates, special groups and the tree roll-up. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/registry.h"

static void expect_unit(const char *code, enum unit_level level,
			enum unit_kind kind, const char *parent)
{
	struct unit_code uc;
	struct cd_err err = { CD_OK, "" };
	memset(&uc, 0x5a, sizeof uc);
	if (unit_code_parse(code, &uc, &err) != CD_OK)
		fail_msg("\"%s\" rejected: %s", code, err.msg);
	assert_string_equal(uc.code, code);
	assert_int_equal(uc.level, level);
	assert_int_equal(uc.kind, kind);
	assert_string_equal(uc.parent, parent);
}

static void expect_bad_unit(const char *code)
{
	struct unit_code uc;
	struct cd_err err = { CD_OK, "" };
	if (unit_code_parse(code, &uc, &err) != CD_EINVAL)
		fail_msg("\"%s\" was not rejected", code);
	assert_true(err.msg[0] != '\0');
}

static void test_county_codes(void **state)
{
	(void)state;
	expect_unit("430422", UNIT_COUNTY, UK_COUNTY, "");  /* 衡南县 */
	expect_unit("430424", UNIT_COUNTY, UK_COUNTY, "");  /* 衡东县 */
	expect_unit("431222", UNIT_COUNTY, UK_COUNTY, "");  /* 沅陵县 */
	expect_unit("421202", UNIT_COUNTY, UK_COUNTY, "");  /* 咸安区 */
	expect_unit("110101", UNIT_COUNTY, UK_COUNTY, "");  /* 东城区 */
	expect_bad_unit("000101"); /* no province 00 */
	expect_bad_unit("430400"); /* 衡阳市, a prefecture */
	expect_bad_unit("431200"); /* 怀化市 */
	expect_bad_unit("421200"); /* 咸宁市 */
}

static void test_town_codes(void **state)
{
	(void)state;
	/* DOMAIN.md examples. */
	expect_unit("430422001000", UNIT_TOWN, UK_SUBDISTRICT, "430422");
	expect_unit("430422103000", UNIT_TOWN, UK_TOWN, "430422");
	expect_unit("430422200000", UNIT_TOWN, UK_TOWNSHIP, "430422");
	expect_unit("430424100000", UNIT_TOWN, UK_TOWN, "430424");
	/* Range edges: 001-099, 100-199, 200-399. */
	expect_unit("430422099000", UNIT_TOWN, UK_SUBDISTRICT, "430422");
	expect_unit("430422100000", UNIT_TOWN, UK_TOWN, "430422");
	expect_unit("430422199000", UNIT_TOWN, UK_TOWN, "430422");
	expect_unit("430422399000", UNIT_TOWN, UK_TOWNSHIP, "430422");
	expect_bad_unit("430422000000");
	expect_bad_unit("430422400000");
	expect_bad_unit("430422999000");
	/* The county part must itself be a county. */
	expect_bad_unit("430400103000");
}

static void test_village_codes(void **state)
{
	(void)state;
	expect_unit("430422103201", UNIT_VILLAGE, UK_VILLAGE, "430422103000");
	expect_unit("430422001001", UNIT_VILLAGE, UK_COMMUNITY,
		    "430422001000");
	expect_unit("430422103199", UNIT_VILLAGE, UK_COMMUNITY,
		    "430422103000");
	expect_unit("430422103200", UNIT_VILLAGE, UK_VILLAGE, "430422103000");
	expect_unit("430422200399", UNIT_VILLAGE, UK_VILLAGE, "430422200000");
	expect_bad_unit("430422103400");
	expect_bad_unit("430422103999");
	expect_bad_unit("430422000001"); /* township part 000 */
	expect_bad_unit("430422400201"); /* township part 400 */
}

static void test_hamlet_codes(void **state)
{
	(void)state;
	expect_unit("430422103201-007", UNIT_HAMLET, UK_HAMLET,
		    "430422103201");
	expect_unit("430422001001-001", UNIT_HAMLET, UK_HAMLET,
		    "430422001001");
	expect_unit("430422103201-999", UNIT_HAMLET, UK_HAMLET,
		    "430422103201");
	expect_bad_unit("430422103000-001"); /* under a town */
	expect_bad_unit("430422103201-000"); /* suffix 000 */
	expect_bad_unit("430422103400-001"); /* bad village part */
	expect_bad_unit("430400103201-001"); /* prefecture */
}

static void test_malformed_unit_codes(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"43042",
		"4304221",
		"43042210320",
		"4304221032011",
		"43042a",
		"430422 ",
		" 430422",
		"43042210320a",
		"430422103201-07",
		"430422103201-0071",
		"430422103201_007",
		"430422103201-00a",
		"430422103201-",
		"430422103201--07",
		"430422-007",
		"430422103201-007-0012",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		expect_bad_unit(bad[i]);
}

static void test_household_codes(void **state)
{
	(void)state;
	char hamlet[UNIT_CODE_MAX];
	struct cd_err err = { CD_OK, "" };
	memset(hamlet, 'z', sizeof hamlet);
	assert_int_equal(household_code_parse("430422103201-007-0012", hamlet,
					      &err),
			 CD_OK);
	assert_string_equal(hamlet, "430422103201-007");
	assert_int_equal(household_code_parse("430422001001-001-0001", hamlet,
					      &err),
			 CD_OK);
	assert_string_equal(hamlet, "430422001001-001");
	assert_int_equal(household_code_parse("430422103201-007-9999", hamlet,
					      &err),
			 CD_OK);
	assert_int_equal(household_code_parse("430422103201-007-1000", NULL,
					      &err),
			 CD_OK);

	static const char *const bad[] = {
		"430422103201-007-0000",  /* number 0000 */
		"430422103201-007-012",
		"430422103201-007-00120",
		"430422103201-007_0012",
		"430422103201-007-001a",
		"430422103201-007-",
		"430422103201-0070012",
		"430422103201-000-0012",  /* bad hamlet suffix */
		"430422103000-007-0012",  /* under a town */
		"430400103201-007-0012",  /* prefecture */
		"430422103201-0012",      /* village, no hamlet */
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct cd_err e = { CD_OK, "" };
		if (household_code_parse(bad[i], hamlet, &e) != CD_EINVAL)
			fail_msg("\"%s\" was not rejected", bad[i]);
		assert_true(e.msg[0] != '\0');
	}
}

static void test_unit_kind_resolve(void **state)
{
	(void)state;
	struct unit_code county, town, village, community, hamlet;
	enum unit_kind k;
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(unit_code_parse("430422", &county, NULL), CD_OK);
	assert_int_equal(unit_code_parse("430422103000", &town, NULL), CD_OK);
	assert_int_equal(unit_code_parse("430422103201", &village, NULL),
			 CD_OK);
	assert_int_equal(unit_code_parse("430422001001", &community, NULL),
			 CD_OK);
	assert_int_equal(unit_code_parse("430422103201-007", &hamlet, NULL),
			 CD_OK);

	/* Empty: the derived kind. */
	assert_int_equal(unit_kind_resolve("", &county, &k, &err), CD_OK);
	assert_int_equal(k, UK_COUNTY);
	assert_int_equal(unit_kind_resolve("", &village, &k, &err), CD_OK);
	assert_int_equal(k, UK_VILLAGE);
	assert_int_equal(unit_kind_resolve("", &hamlet, &k, &err), CD_OK);
	assert_int_equal(k, UK_HAMLET);

	/* Above the hamlet level the kind must match the code. */
	assert_int_equal(unit_kind_resolve("county", &county, &k, &err), CD_OK);
	assert_int_equal(k, UK_COUNTY);
	assert_int_equal(unit_kind_resolve("town", &town, &k, &err), CD_OK);
	assert_int_equal(k, UK_TOWN);
	assert_int_equal(unit_kind_resolve("township", &town, &k, &err),
			 CD_EINVAL);
	assert_int_equal(unit_kind_resolve("subdistrict", &town, &k, &err),
			 CD_EINVAL);
	assert_int_equal(unit_kind_resolve("village", &village, &k, &err),
			 CD_OK);
	assert_int_equal(k, UK_VILLAGE);
	assert_int_equal(unit_kind_resolve("community", &village, &k, &err),
			 CD_EINVAL);
	assert_int_equal(unit_kind_resolve("community", &community, &k, &err),
			 CD_OK);
	assert_int_equal(k, UK_COMMUNITY);
	assert_int_equal(unit_kind_resolve("hamlet", &village, &k, &err),
			 CD_EINVAL);
	assert_int_equal(unit_kind_resolve("town", &county, &k, &err),
			 CD_EINVAL);

	/* At the hamlet level: hamlet, grid, building, compound. */
	static const struct {
		const char *name;
		enum unit_kind kind;
	} low[] = {
		{ "hamlet", UK_HAMLET },
		{ "grid", UK_GRID },
		{ "building", UK_BUILDING },
		{ "compound", UK_COMPOUND },
	};
	for (size_t i = 0; i < sizeof low / sizeof *low; i++) {
		k = UK_COUNT;
		assert_int_equal(unit_kind_resolve(low[i].name, &hamlet, &k,
						   &err),
				 CD_OK);
		assert_int_equal(k, low[i].kind);
	}
	static const char *const not_low[] = {
		"county", "subdistrict", "town", "township", "community",
		"village",
	};
	for (size_t i = 0; i < sizeof not_low / sizeof *not_low; i++)
		assert_int_equal(unit_kind_resolve(not_low[i], &hamlet, &k,
						   &err),
				 CD_EINVAL);
	/* Unknown or differently spelt kinds. */
	assert_int_equal(unit_kind_resolve("Hamlet", &hamlet, &k, &err),
			 CD_EINVAL);
	assert_int_equal(unit_kind_resolve("屋场", &hamlet, &k, &err),
			 CD_EINVAL);
	assert_int_equal(unit_kind_resolve("street", &town, &k, &err),
			 CD_EINVAL);
	assert_true(err.msg[0] != '\0');
}

static void expect_name(const char *s, enum cd_code want)
{
	struct cd_err err = { CD_OK, "" };
	enum cd_code rc = name_check(s, &err);
	if (rc != want)
		fail_msg("name_check(\"%s\") = %d, want %d (%s)", s, rc, want,
			 err.msg);
	if (want != CD_OK)
		assert_true(err.msg[0] != '\0');
}

static void test_names(void **state)
{
	(void)state;
	expect_name("衡南县", CD_OK);
	expect_name("茶市镇", CD_OK);
	expect_name("云集街道", CD_OK);
	expect_name("A", CD_OK);
	expect_name("Li Ming", CD_OK);
	expect_name("王·阿依古丽", CD_OK);

	expect_name("", CD_EINVAL);
	expect_name(" 衡南县", CD_EINVAL);
	expect_name("衡南县 ", CD_EINVAL);
	expect_name("\xff", CD_EINVAL);
	expect_name("衡\xe5\x8e", CD_EINVAL);          /* truncated */
	expect_name("\xc0\xae", CD_EINVAL);            /* overlong */
	expect_name("a\xed\xa0\x80" "b", CD_EINVAL);   /* surrogate */
	expect_name("a\tb", CD_EINVAL);
	expect_name("a\nb", CD_EINVAL);
	expect_name("a\rb", CD_EINVAL);
	expect_name("\x01", CD_EINVAL);
	expect_name("a\x1f", CD_EINVAL);
	expect_name("a\x7f" "b", CD_EINVAL);
}

static void test_names_c1_controls(void **state)
{
	(void)state;
	/* C1 control characters (U+0080..U+009F, Unicode category Cc) are
	 * control characters too: NEL U+0085 is a line break, CSI U+009B
	 * starts a terminal escape sequence. */
	static const struct {
		const char *label, *s;
	} c1[] = {
		{ "a<U+0080>b", "a\xc2\x80" "b" },
		{ "a<U+0085 NEL>b", "a\xc2\x85" "b" },
		{ "a<U+009B CSI>b", "a\xc2\x9b" "b" },
		{ "a<U+009F>b", "a\xc2\x9f" "b" },
	};
	for (size_t i = 0; i < sizeof c1 / sizeof *c1; i++) {
		struct cd_err err = { CD_OK, "" };
		if (name_check(c1[i].s, &err) != CD_EINVAL)
			fail_msg("name_check accepted %s", c1[i].label);
	}
	/* U+00A0 and above are not C1 controls: 'é' (U+00E9) passes. */
	expect_name("Jos\xc3\xa9", CD_OK);
}

static void test_name_length(void **state)
{
	(void)state;
	char s[200];
	memset(s, 'a', 120);
	s[120] = '\0';
	expect_name(s, CD_OK);
	memset(s, 'a', 121);
	s[121] = '\0';
	expect_name(s, CD_EINVAL);
	/* 40 three-byte characters = 120 bytes; 41 = 123. */
	s[0] = '\0';
	for (int i = 0; i < 40; i++)
		memcpy(s + 3 * i, "衡", 4);
	assert_int_equal(strlen(s), 120);
	expect_name(s, CD_OK);
	memcpy(s + 120, "衡", 4);
	expect_name(s, CD_EINVAL);
}

static const char *const venue_names[VK_COUNT] = {
	"chess_room", "teahouse", "shop", "restaurant", "hotel",
	"karaoke", "internet_cafe", "bath_beauty", "workshop",
	"market", "supermarket", "station", "school", "hospital",
	"pharmacy", "office", "factory", "checkpoint",
};

static void test_venue_kinds(void **state)
{
	(void)state;
	for (int k = 0; k < VK_COUNT; k++) {
		enum venue_kind v = VK_COUNT;
		struct cd_err err = { CD_OK, "" };
		if (venue_kind_parse(venue_names[k], &v, &err) != CD_OK)
			fail_msg("\"%s\" rejected: %s", venue_names[k],
				 err.msg);
		assert_int_equal(v, k);
		assert_string_equal(venue_kind_name((enum venue_kind)k),
				    venue_names[k]);
	}
	static const char *const bad[] = {
		"", "Shop", "shop ", " shop", "internet cafe", "棋牌室",
		"chess", "checkpoints",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		enum venue_kind v;
		struct cd_err err = { CD_OK, "" };
		if (venue_kind_parse(bad[i], &v, &err) != CD_EINVAL)
			fail_msg("\"%s\" was not rejected", bad[i]);
		assert_true(err.msg[0] != '\0');
	}
}

static void test_small_venues(void **state)
{
	(void)state;
	/* 九小场所: chess/card rooms, teahouses, shops, restaurants, hotels,
	 * karaoke, internet cafés, beauty/bath, small workshops. */
	static const char *const small[] = {
		"chess_room", "teahouse", "shop", "restaurant", "hotel",
		"karaoke", "internet_cafe", "bath_beauty", "workshop",
	};
	int nsmall = 0;
	for (int k = 0; k < VK_COUNT; k++) {
		bool want = false;
		for (size_t i = 0; i < sizeof small / sizeof *small; i++)
			if (strcmp(venue_names[k], small[i]) == 0)
				want = true;
		enum venue_kind v;
		assert_int_equal(venue_kind_parse(venue_names[k], &v, NULL),
				 CD_OK);
		if (venue_kind_is_small(v) != want)
			fail_msg("venue_kind_is_small(%s) != %d",
				 venue_names[k], want);
		nsmall += venue_kind_is_small(v);
	}
	assert_int_equal(nsmall, 9);
}

static void test_venue_codes(void **state)
{
	(void)state;
	char s[40];
	assert_int_equal(venue_code_check("V001", NULL), CD_OK);
	assert_int_equal(venue_code_check("a-b_C9", NULL), CD_OK);
	assert_int_equal(venue_code_check("x", NULL), CD_OK);
	memset(s, 'Q', 32);
	s[32] = '\0';
	assert_int_equal(venue_code_check(s, NULL), CD_OK);
	memset(s, 'Q', 33);
	s[33] = '\0';
	assert_int_equal(venue_code_check(s, NULL), CD_EINVAL);
	static const char *const bad[] = {
		"", "a b", "a.b", "a/b", "场所", "V001\n", "a,b", "'x'",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct cd_err err = { CD_OK, "" };
		if (venue_code_check(bad[i], &err) != CD_EINVAL)
			fail_msg("\"%s\" was not rejected", bad[i]);
		assert_true(err.msg[0] != '\0');
	}
}

static void test_coords(void **state)
{
	(void)state;
	double v = 0;
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(coord_parse("26.9", -90, 90, &v, &err), CD_OK);
	assert_true(v > 26.8999999 && v < 26.9000001);
	assert_int_equal(coord_parse("112.61", -180, 180, &v, &err), CD_OK);
	assert_true(v > 112.6099999 && v < 112.6100001);
	assert_int_equal(coord_parse("-33.5", -90, 90, &v, &err), CD_OK);
	assert_true(v > -33.5000001 && v < -33.4999999);
	assert_int_equal(coord_parse("90", -90, 90, &v, &err), CD_OK);
	assert_true(v == 90.0);
	assert_int_equal(coord_parse("-90", -90, 90, &v, &err), CD_OK);
	assert_true(v == -90.0);
	assert_int_equal(coord_parse("0", -90, 90, &v, &err), CD_OK);
	assert_true(v == 0.0);

	static const char *const bad[] = {
		"", "abc", "26.9x", "26,9", "90.0001", "-90.5", "91", "nan",
		"inf", "-inf", "1e999", "-", " 26.9", "26.9 ", "0x1Ap0",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct cd_err e = { CD_OK, "" };
		v = 12345.0;
		if (coord_parse(bad[i], -90, 90, &v, &e) != CD_EINVAL)
			fail_msg("\"%s\" was not rejected", bad[i]);
		assert_true(v == 12345.0);
		assert_true(e.msg[0] != '\0');
	}
	assert_int_equal(coord_parse("181", -180, 180, &v, &err), CD_EINVAL);
}

static void test_groups(void **state)
{
	(void)state;
	int g = -1;
	struct cd_err err = { CD_OK, "" };
	assert_int_equal(groups_parse("", &g, &err), CD_OK);
	assert_int_equal(g, 0);
	assert_int_equal(groups_parse("elderly_alone", &g, &err), CD_OK);
	assert_int_equal(g, GROUP_ELDERLY_ALONE);
	assert_int_equal(groups_parse("elderly_alone;disabled", &g, &err),
			 CD_OK);
	assert_int_equal(g, GROUP_ELDERLY_ALONE | GROUP_DISABLED);
	assert_int_equal(groups_parse("disabled;elderly_alone", &g, &err),
			 CD_OK);
	assert_int_equal(g, GROUP_ELDERLY_ALONE | GROUP_DISABLED);
	assert_int_equal(groups_parse("pregnant;disabled;elderly_alone", &g,
				      &err),
			 CD_OK);
	assert_int_equal(g, 7);
	assert_int_equal(groups_parse("pregnant", &g, &err), CD_OK);
	assert_int_equal(g, GROUP_PREGNANT);

	static const char *const bad[] = {
		"elderly", "Disabled", " disabled", "disabled ",
		"disabled;;pregnant", ";", "disabled,pregnant", "child",
		"disabled;", ";disabled",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct cd_err e = { CD_OK, "" };
		if (groups_parse(bad[i], &g, &e) != CD_EINVAL)
			fail_msg("\"%s\" was not rejected", bad[i]);
		assert_true(e.msg[0] != '\0');
	}

	char buf[40];
	groups_format(0, buf, sizeof buf);
	assert_string_equal(buf, "");
	groups_format(GROUP_DISABLED, buf, sizeof buf);
	assert_string_equal(buf, "disabled");
	groups_format(GROUP_PREGNANT | GROUP_ELDERLY_ALONE, buf, sizeof buf);
	assert_string_equal(buf, "elderly_alone;pregnant");
	groups_format(7, buf, sizeof buf);
	assert_string_equal(buf, "elderly_alone;disabled;pregnant");
	/* Every set survives format then parse. */
	for (int set = 0; set < 8; set++) {
		groups_format(set, buf, sizeof buf);
		assert_int_equal(groups_parse(buf, &g, &err), CD_OK);
		assert_int_equal(g, set);
	}
}

static void node(struct unit_node *n, long id, long parent, int depth,
		 long hh, long persons)
{
	memset(n, 0, sizeof *n);
	n->id = id;
	n->parent_id = parent;
	n->depth = depth;
	n->households = hh;
	n->persons = persons;
	n->total_households = -999;
	n->total_persons = -999;
}

static void test_tree_rollup(void **state)
{
	(void)state;
	/* county
	 *   town A (1 hh, 2 p)
	 *     village A1 (0, 0): hamlets (3, 7), (2, 5)
	 *     village A2 (1, 1): hamlet (4, 9)
	 *   town B (0, 0)
	 *     village B1 (0, 0): hamlet (5, 11)
	 *     village B2 (2, 3), no hamlets
	 * Totals worked by hand:
	 *   A1 = 5 hh / 12 p; A2 = 5 / 10; A = 1+5+5 = 11 / 2+12+10 = 24
	 *   B1 = 5 / 11; B2 = 2 / 3; B = 7 / 14; county = 18 / 38. */
	struct unit_node n[11];
	node(&n[0], 1, 0, 0, 0, 0);     /* county */
	node(&n[1], 2, 1, 1, 1, 2);     /* town A */
	node(&n[2], 3, 2, 2, 0, 0);     /* village A1 */
	node(&n[3], 4, 3, 3, 3, 7);     /* hamlet */
	node(&n[4], 5, 3, 3, 2, 5);     /* hamlet */
	node(&n[5], 6, 2, 2, 1, 1);     /* village A2 */
	node(&n[6], 7, 6, 3, 4, 9);     /* hamlet */
	node(&n[7], 8, 1, 1, 0, 0);     /* town B */
	node(&n[8], 9, 8, 2, 0, 0);     /* village B1 */
	node(&n[9], 10, 9, 3, 5, 11);   /* hamlet */
	node(&n[10], 11, 8, 2, 2, 3);   /* village B2 */
	unit_tree_rollup(n, 11);
	static const long want_hh[11] = { 18, 11, 5, 3, 2, 5, 4, 7, 5, 5, 2 };
	static const long want_p[11] = { 38, 24, 12, 7, 5, 10, 9, 14, 11, 11, 3 };
	for (int i = 0; i < 11; i++) {
		if (n[i].total_households != want_hh[i] ||
		    n[i].total_persons != want_p[i])
			fail_msg("node %d: totals %ld/%ld, want %ld/%ld", i,
				 n[i].total_households, n[i].total_persons,
				 want_hh[i], want_p[i]);
		/* Direct counts are left alone. */
		assert_true(n[i].households >= 0 && n[i].persons >= 0);
	}
	assert_int_equal(n[3].households, 3);
	assert_int_equal(n[0].households, 0);
}

static void test_tree_rollup_small(void **state)
{
	(void)state;
	/* Empty list: nothing to do, nothing to crash on. */
	unit_tree_rollup(NULL, 0);

	/* A village subtree: village (1, 2) with hamlets (3, 4), (5, 6). */
	struct unit_node n[3];
	node(&n[0], 10, 0, 0, 1, 2);
	node(&n[1], 11, 10, 1, 3, 4);
	node(&n[2], 12, 10, 1, 5, 6);
	unit_tree_rollup(n, 3);
	assert_int_equal(n[0].total_households, 9);
	assert_int_equal(n[0].total_persons, 12);
	assert_int_equal(n[1].total_households, 3);
	assert_int_equal(n[1].total_persons, 4);
	assert_int_equal(n[2].total_households, 5);
	assert_int_equal(n[2].total_persons, 6);

	/* A single hamlet. */
	node(&n[0], 12, 0, 0, 5, 6);
	unit_tree_rollup(n, 1);
	assert_int_equal(n[0].total_households, 5);
	assert_int_equal(n[0].total_persons, 6);
}

static void test_kind_names(void **state)
{
	(void)state;
	static const char *const names[UK_COUNT] = {
		"county", "subdistrict", "town", "township", "community",
		"village", "hamlet", "grid", "building", "compound",
	};
	for (int k = 0; k < UK_COUNT; k++) {
		assert_string_equal(unit_kind_name((enum unit_kind)k), names[k]);
		assert_int_equal(unit_kind_from_name(names[k]), k);
	}
	assert_int_equal(unit_kind_from_name("bogus"), -1);
	assert_int_equal(unit_kind_from_name(""), -1);
	assert_string_equal(unit_level_name(UNIT_COUNTY), "county");
	assert_string_equal(unit_level_name(UNIT_TOWN), "town");
	assert_string_equal(unit_level_name(UNIT_VILLAGE), "village");
	assert_string_equal(unit_level_name(UNIT_HAMLET), "hamlet");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_county_codes),
		cmocka_unit_test(test_town_codes),
		cmocka_unit_test(test_village_codes),
		cmocka_unit_test(test_hamlet_codes),
		cmocka_unit_test(test_malformed_unit_codes),
		cmocka_unit_test(test_household_codes),
		cmocka_unit_test(test_unit_kind_resolve),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_names_c1_controls),
		cmocka_unit_test(test_name_length),
		cmocka_unit_test(test_venue_kinds),
		cmocka_unit_test(test_small_venues),
		cmocka_unit_test(test_venue_codes),
		cmocka_unit_test(test_coords),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_tree_rollup),
		cmocka_unit_test(test_tree_rollup_small),
		cmocka_unit_test(test_kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
