/* rules_write.c — the effective rules as text: a complete deployment file
 * that loads back into the same struct, each value's origin, and equality
 * by key (what the round trip promises). */
#include "domain/rules.h"

#include <string.h>

#include "lib/strbuf.h"
#include "lib/banned.h"

/* A comment line for a section: what it is, with the Chinese term. */
static const char *section_note(const char *section)
{
	static const struct {
		const char *section, *note;
	} notes[] = {
		{ "tracing", "contact tracing 流调 (times before onset or "
		  "sampling, rows, minutes)" },
		{ "quarantine.close", "close contacts 密切接触者; test days "
		  "count from the first day of each part" },
		{ "quarantine.secondary", "secondary close contacts 次密接" },
		{ "quarantine.discharged", "discharged patients 出院患者" },
		{ "zones", "risk zones: 封控区/管控区/防范区 or 高/中/低风险区" },
		{ "testing", "PCR testing 核酸检测, pooled sampling 混采" },
		{ "codes", "health codes 健康码 and the itinerary card 行程卡" },
		{ "checkpoint", "checkpoints 卡口 (一扫二看三查四验)" },
	};
	for (size_t j = 0; j < sizeof notes / sizeof *notes; j++)
		if (strcmp(notes[j].section, section) == 0)
			return notes[j].note;
	return NULL;
}

void rules_write(const struct rules *r, struct strbuf *sb)
{
	struct rules_key k;
	char prev[32] = "";
	strbuf_addf(sb, "# cordon rules: every value in effect, on profile "
		    "%s.\n# As a deployment file, keep only the keys you "
		    "change (docs/rules.md).\nprofile = %s\n", r->profile,
		    r->profile);
	for (size_t i = 0; i < rules_key_count(); i++) {
		rules_key_get(i, &k);
		if (strcmp(prev, k.section) != 0) {
			const char *note = section_note(k.section);
			enum venue_kind vk;
			strbuf_addch(sb, '\n');
			if (note)
				strbuf_addf(sb, "# %s\n", note);
			else if (venue_kind_parse(k.section + 6, &vk, NULL)
				 == CD_OK)
				strbuf_addf(sb, "# %s\n", venue_kind_zh(vk));
			strbuf_addf(sb, "[%s]\n", k.section);
			memcpy(prev, k.section, sizeof prev);
		}
		strbuf_addf(sb, "%s = ", k.key);
		rules_value_format(r, i, sb);
		strbuf_addch(sb, '\n');
	}
}

bool rules_equal(const struct rules *a, const struct rules *b)
{
	if (strcmp(a->profile, b->profile) != 0)
		return false;
	for (size_t i = 0; i < rules_key_count(); i++) {
		int va[RULES_MAX_TEST_DAYS], vb[RULES_MAX_TEST_DAYS];
		int na = rules_value_get(a, i, va);
		int nb = rules_value_get(b, i, vb);
		if (na != nb || memcmp(va, vb, (size_t)na * sizeof(int)))
			return false;
	}
	return true;
}

void rules_origin_format(const struct rules_eff *eff, size_t i,
			 struct strbuf *sb)
{
	if (i >= RULES_KEY_MAX)
		return;
	switch (eff->from[i]) {
	case RULES_FROM_PROFILE:
		strbuf_addf(sb, "profile %s (%s:%d)", eff->r.profile,
			    eff->profile_file, eff->line[i]);
		break;
	case RULES_FROM_DEPLOY:
		strbuf_addf(sb, "%s:%d", eff->deploy_file, eff->line[i]);
		break;
	default:
		strbuf_addstr(sb, "unset");
	}
}
