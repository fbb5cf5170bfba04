/*
 * fuzz-csv - libFuzzer target for csv_cdr (and text_cdr) in sanitize mode.
 *
 * Besides crashes it checks the promises: text is copied unchanged, and
 * sanitizing a CSV output again finds nothing and changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text_cdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct report *
fuzz_run(cdr_format_fn *fn, struct arena *arena, const struct limits *limits,
    const struct cdr_options *opts, const uint8_t *data, size_t size,
    struct buffer *out)
{
	struct cdr_ctx ctx = {
		.arena = arena, .limits = limits, .opts = opts,
	};
	struct report *r = report_new(arena, "fuzz.csv");

	if (r == NULL)
		abort();
	if (fn(&ctx, r, FT_CSV, data, size, out) < 0 && r->error == NULL)
		abort();
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cdr_options opts;
	struct limits limits;
	struct arena *arena;
	struct buffer out, again;
	struct report *r;

	limits_init(&limits);
	cdr_options_init(&opts);
	arena = arena_create(256 << 20);
	if (arena == NULL)
		return 0;
	buffer_init(&out, limits.output_size);
	buffer_init(&again, limits.output_size);
	r = fuzz_run(text_cdr, arena, &limits, &opts, data, size, &out);
	if (r->findings != NULL || out.used != size ||
	    (size > 0 && memcmp(out.data, data, size) != 0))
		abort();
	buffer_reset(&out);
	r = fuzz_run(csv_cdr, arena, &limits, &opts, data, size, &out);
	if (r->error == NULL) {
		r = fuzz_run(csv_cdr, arena, &limits, &opts, out.data,
		    out.used, &again);
		if (r->findings != NULL || again.used != out.used ||
		    (out.used > 0 &&
		    memcmp(again.data, out.data, out.used) != 0))
			abort();
	}
	buffer_free(&out);
	buffer_free(&again);
	arena_destroy(arena);
	return 0;
}
