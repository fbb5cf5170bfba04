/*
 * fuzz-engine - the whole file engine: type detection by content, then
 * whichever format module the bytes select, archives recursing.
 */
#include <stdint.h>

#include "engine.h"
#include "hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct limits limits;
	struct cdr_options opts;
	struct arena *arena;
	struct report *r;
	struct buffer out;
	struct cdr_ctx ctx;

	if (!ready) {
		hash_init();
		ready = 1;
	}
	limits_init(&limits);
	limits.job_memory = 1024ULL * 1024 * 1024;
	cdr_options_init(&opts);
	arena = arena_create(64u * 1024 * 1024);
	r = report_new(arena, "fuzz");
	ctx = (struct cdr_ctx){ arena, &limits, &opts, false, 0, NULL };
	buffer_init(&out, limits.output_size);
	(void)engine_run(&ctx, r, NULL, data, size, &out);
	buffer_free(&out);
	arena_destroy(arena);
	return 0;
}
