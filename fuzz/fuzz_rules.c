/* fuzz_rules.c — libFuzzer target for the rules loader (domain/rules.h):
 * each input is read both as a deployment file over the built-in profile it
 * names and as a complete profile. Checks what a successful load promises —
 * every key has an origin, every value is in its range, and the writer's
 * text loads back into equal rules — and that every refusal says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules.h"
#include "lib/strbuf.h"
#include "lib/banned.h"

static void check_values(const struct rules_eff *e)
{
	for (size_t i = 0; i < rules_key_count(); i++) {
		struct rules_key k;
		int v[RULES_MAX_TEST_DAYS];
		rules_key_get(i, &k);
		if (e->from[i] == RULES_FROM_NONE || e->line[i] <= 0)
			abort();
		int n = rules_value_get(&e->r, i, v);
		if (n > k.cap || (n == 0 && k.type == RULES_T_LIST))
			abort();
		for (int j = 0; j < n; j++)
			if (v[j] < k.lo || v[j] > k.hi ||
			    (j > 0 && v[j] <= v[j - 1]))
				abort();
	}
}

static void check_round_trip(const struct rules_eff *e)
{
	struct strbuf sb = STRBUF_INIT;
	struct rules_eff back;
	struct cd_err err;
	rules_write(&e->r, &sb);
	if (rules_load(NULL, "written", sb.buf, &back, &err) != CD_OK ||
	    !rules_equal(&e->r, &back.r))
		abort();
	strbuf_release(&sb);
}

static void check(enum cd_code rc, const struct rules_eff *e,
		  const struct cd_err *err)
{
	if (rc == CD_OK) {
		check_values(e);
		check_round_trip(e);
	} else if (rc != CD_EINVAL || err->msg[0] == '\0') {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rules_eff e;
	struct cd_err err;
	if (size > 65536)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check(rules_load(NULL, "fuzz.rules", text, &e, &err), &e, &err);
	struct rules_profile p = { "v9", "fuzz.rules", text };
	check(rules_load_texts(&p, NULL, NULL, &e, &err), &e, &err);
	free(text);
	return 0;
}
