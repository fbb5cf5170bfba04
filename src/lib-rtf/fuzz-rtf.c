/*
 * fuzz-rtf - libFuzzer target for rtf_cdr in sanitize mode.
 *
 * Besides crashes it checks the module's promises: an output that
 * passed starts with {\rtf1, and sanitizing it again finds nothing and
 * changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtf_cdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One sanitize run; returns the report (in arena) and fills out. */
static struct report *
fuzz_run(struct arena *arena, const struct limits *limits,
    const struct cdr_options *opts, const uint8_t *data, size_t size,
    struct buffer *out)
{
	struct cdr_ctx ctx = {
		.arena = arena, .limits = limits, .opts = opts,
	};
	struct report *r = report_new(arena, "fuzz.rtf");

	if (r == NULL)
		abort();
	if (rtf_cdr(&ctx, r, FT_RTF, data, size, out) < 0 && r->error == NULL)
		abort();	/* -1 must come with an error */
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cdr_options opts;
	struct limits limits;
	struct arena *arena;
	struct buffer out, again;
	struct report *r, *r2;

	limits_init(&limits);
	cdr_options_init(&opts);
	arena = arena_create(256 << 20);
	if (arena == NULL)
		return 0;
	buffer_init(&out, limits.output_size);
	buffer_init(&again, limits.output_size);
	r = fuzz_run(arena, &limits, &opts, data, size, &out);
	if (r->error == NULL && !report_has_action(r, FINDING_BLOCKED)) {
		if (out.used < 6 || memcmp(out.data, "{\\rtf1", 6) != 0)
			abort();
		r2 = fuzz_run(arena, &limits, &opts, out.data, out.used,
		    &again);
		if (r2->findings != NULL || again.used != out.used ||
		    memcmp(again.data, out.data, out.used) != 0)
			abort();
	}
	buffer_free(&out);
	buffer_free(&again);
	arena_destroy(arena);
	return 0;
}
