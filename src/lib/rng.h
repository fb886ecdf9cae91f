/* rng.h — a small deterministic random generator (SplitMix64).
 *
 * Same seed, same sequence, on every machine: the synthetic county is
 * byte-identical for a given seed. Not for anything secret (libsodium
 * serves that). */
#ifndef CORDON_RNG_H
#define CORDON_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s;
};

/* A generator for a stream derived from seed and up to two keys (e.g. a
 * person and a day), so streams can be drawn in any order. */
void rng_init(struct rng *r, uint64_t seed, uint64_t k1, uint64_t k2);
uint64_t rng_next(struct rng *r);
/* Uniform integer in [lo, hi] (hi >= lo). */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
/* Uniform double in [0, 1). */
double rng_unit(struct rng *r);
/* True with probability p. */
int rng_chance(struct rng *r, double p);
/* Index drawn with the given weights (n >= 1, weights >= 0, sum > 0). */
int rng_weighted(struct rng *r, const double *w, int n);

#endif
