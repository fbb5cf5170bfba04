/*
 * fuzz-inline - libFuzzer target for inline_find.
 *
 * Besides crashes it checks the promises the MIME walk relies on:
 * blocks in order and apart, each starting at a line start, inside the
 * text and before res.rest; data only when it fits the budget; the
 * count and the limits consistent. Small limits make the limit paths
 * run often.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *t, size_t len, const struct limits *lim,
    const struct inline_result *res)
{
	const struct inline_block *b;
	size_t prev_end = 0, total = 0;
	unsigned n = 0;

	if (res->rest > len || (!res->limit_parts && res->rest != len))
		abort();
	for (b = res->blocks; b != NULL; b = b->next) {
		if (b->start > b->end || b->end > res->rest)
			abort();
		if (n > 0 && b->start <= prev_end)
			abort();
		if (b->start > 0 && t[b->start - 1] != '\n' &&
		    t[b->start - 1] != '\r')
			abort();
		if (b->name == NULL || (b->data == NULL) != (b->len == 0))
			abort();
		if (b->too_big && (b->data != NULL || !res->limit_size))
			abort();
		total += b->len;
		prev_end = b->end;
		n++;
	}
	if (n != res->count || n > lim->mime_parts || total > lim->file_size)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inline_result res;
	struct limits lim;
	struct arena *a;

	limits_init(&lim);
	lim.mime_parts = 8;
	lim.file_size = 4096;
	if ((a = arena_create(64 << 20)) == NULL)
		return 0;
	if (inline_find(a, &lim, (const char *)data, size, &res) == 0)
		check((const char *)data, size, &lim, &res);
	arena_destroy(a);
	return 0;
}
