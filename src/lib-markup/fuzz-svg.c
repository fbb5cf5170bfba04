/*
 * fuzz-svg - libFuzzer target for svg_cdr in sanitize mode.
 *
 * Besides crashes, leaks and hangs it checks idempotence: whatever the
 * first pass writes must come back from a second pass with nothing
 * removed or blocked, or the sanitizer left something behind.
 */
#include <stdint.h>
#include <stdlib.h>

#include "markup_cdr.h"

/* One pass; returns the report (in the arena). */
static struct report *
fuzz_pass(struct arena *arena, const struct limits *limits,
    const struct cdr_options *opts, const uint8_t *data, size_t size,
    struct buffer *out)
{
	struct cdr_ctx ctx = {.arena = arena, .limits = limits, .opts = opts};
	struct report *r = report_new(arena, "fuzz");

	if (r == NULL)
		abort();
	(void)svg_cdr(&ctx, r, FT_SVG, data, size, out);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cdr_options opts;
	struct limits limits;
	struct buffer out, out2;
	struct arena *arena;
	struct report *r, *r2;

	limits_init(&limits);
	/* Small enough that tree bombs hit the limits quickly. */
	limits.job_memory = 512ULL * 1024 * 1024;
	limits.xml_nodes = 100000;
	cdr_options_init(&opts);
	if ((arena = arena_create(256 * 1024 * 1024)) == NULL)
		return 0;
	buffer_init(&out, limits.output_size);
	buffer_init(&out2, limits.output_size);
	r = fuzz_pass(arena, &limits, &opts, data, size, &out);
	if (r->error == NULL && out.used > 0 &&
	    !report_has_action(r, FINDING_BLOCKED)) {
		r2 =
		    fuzz_pass(arena, &limits, &opts, out.data, out.used, &out2);
		if (report_has_action(r2, FINDING_REMOVED) ||
		    report_has_action(r2, FINDING_BLOCKED))
			abort();
	}
	buffer_free(&out);
	buffer_free(&out2);
	arena_destroy(arena);
	return 0;
}
