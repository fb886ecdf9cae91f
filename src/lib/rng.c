/* rng.c — SplitMix64 (Steele, Lea, Flood 2014), keyed streams. */
#include "lib/rng.h"

#include "lib/banned.h"

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_init(struct rng *r, uint64_t seed, uint64_t k1, uint64_t k2)
{
	r->s = mix(mix(mix(seed) ^ (k1 + 0x9e3779b97f4a7c15ULL)) ^
		   (k2 + 0x632be59bd9b4e019ULL));
}

uint64_t rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix(r->s);
}

int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	uint64_t span = (uint64_t)(hi - lo) + 1;
	if (span == 0)
		return (int64_t)rng_next(r);
	/* Rejection keeps it unbiased. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % span;
	uint64_t v;
	do
		v = rng_next(r);
	while (v >= limit);
	return lo + (int64_t)(v % span);
}

double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

int rng_weighted(struct rng *r, const double *w, int n)
{
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += w[i];
	double x = rng_unit(r) * sum;
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}
