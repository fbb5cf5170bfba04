/*
 * fuzz-pdf - libFuzzer target for pdf_cdr in sanitize mode.
 *
 * Besides crashes, leaks and hangs it checks the module's promises: an
 * output that passed starts with %PDF-, and sanitizing it again removes,
 * blocks and holds nothing and gives the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_cdr.h"

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
	struct report *r = report_new(arena, "fuzz.pdf");

	if (r == NULL)
		abort();
	if (pdf_cdr(&ctx, r, FT_PDF, data, size, out) < 0 && r->error == NULL)
		abort();	/* -1 must come with an error */
	return r;
}

static bool
fuzz_passed(const struct report *r)
{
	enum verdict v = report_verdict(r);

	return v == VERDICT_CLEAN || v == VERDICT_SANITIZED;
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
	/* MuPDF gets half of this: stay inside libFuzzer's -rss_limit_mb. */
	limits.job_memory = 512ULL << 20;
	cdr_options_init(&opts);
	arena = arena_create(64 << 20);
	if (arena == NULL)
		return 0;
	buffer_init(&out, limits.output_size);
	buffer_init(&again, limits.output_size);
	r = fuzz_run(arena, &limits, &opts, data, size, &out);
	if (fuzz_passed(r)) {
		struct report *r2;

		if (out.used < 5 || memcmp(out.data, "%PDF-", 5) != 0)
			abort();
		r2 = fuzz_run(arena, &limits, &opts, out.data, out.used,
		    &again);
		if (report_verdict(r2) != VERDICT_CLEAN ||
		    again.used != out.used ||
		    memcmp(again.data, out.data, out.used) != 0)
			abort();
	} else if (out.used != 0) {
		abort();	/* nothing leaves a job that did not pass */
	}
	buffer_free(&out);
	buffer_free(&again);
	arena_destroy(arena);
	return 0;
}
