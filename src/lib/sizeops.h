/*
 * sizeops - the one place where size arithmetic is checked for overflow.
 * Every size computed from untrusted input goes through these.
 */
#ifndef SANSO_SIZEOPS_H
#define SANSO_SIZEOPS_H

#include <stddef.h>
#include <stdint.h>

/* *r = a + b. Returns 0, or -1 on overflow (*r untouched). */
static inline int
size_add(size_t a, size_t b, size_t *r)
{
	size_t t;

	if (__builtin_add_overflow(a, b, &t))
		return -1;
	*r = t;
	return 0;
}

/* *r = a * b. Returns 0, or -1 on overflow (*r untouched). */
static inline int
size_mul(size_t a, size_t b, size_t *r)
{
	size_t t;

	if (__builtin_mul_overflow(a, b, &t))
		return -1;
	*r = t;
	return 0;
}

#endif
