/* fuzz_ids.c — libFuzzer target for identifier and date parsers: resident
 * IDs, phones, unit and household codes, dates and instants. Checks the
 * invariants a parse promises, not just the absence of crashes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/registry.h"
#include "lib/date.h"
#include "lib/ids.h"
#include "lib/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64];
	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct cd_err err;
	struct rid id;
	if (rid_parse(s, 19081, &id, &err) == CD_OK) {
		char mask[RID_LEN + 1];
		if (strlen(id.id) != RID_LEN ||
		    rid_check_char(id.id) != id.id[17] ||
		    id.birth > 19081 || (id.sex != 'M' && id.sex != 'F'))
			abort();
		rid_mask(id.id, mask);
		if (strlen(mask) != RID_LEN || memcmp(mask + 6, "********", 8))
			abort();
	}
	char phone[12];
	if (phone_normalize(s, phone, &err) == CD_OK &&
	    (strlen(phone) != 11 || phone[0] != '1'))
		abort();
	struct unit_code uc;
	if (unit_code_parse(s, &uc, &err) == CD_OK) {
		struct unit_code parent;
		if (uc.level != UNIT_COUNTY &&
		    (unit_code_parse(uc.parent, &parent, &err) != CD_OK ||
		     parent.level != uc.level - 1))
			abort();
	}
	char hamlet[UNIT_CODE_MAX];
	if (household_code_parse(s, hamlet, &err) == CD_OK &&
	    (unit_code_parse(hamlet, &uc, &err) || uc.level != UNIT_HAMLET))
		abort();
	int32_t d;
	if (date_parse(s, &d)) {
		char back[16];
		date_format(d, back, sizeof back);
		if (strcmp(back, s) != 0)
			abort();
	}
	int64_t t;
	(void)instant_parse(s, &t);
	return 0;
}
