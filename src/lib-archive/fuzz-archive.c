/*
 * fuzz-archive - libFuzzer target for archive_cdr() in sanitize mode.
 *
 * The type is taken from the input's magic (as the engine would), tar
 * otherwise. The stub recurse nests into archives found inside (so the
 * depth limit and the recursion paths run), blocks "*.exe" and copies
 * anything else. Limits are lowered so that bombs end quickly.
 */
#include <stdint.h>
#include <string.h>

#include "archive_cdr.h"

static enum file_type
fuzz_type(const uint8_t *d, size_t n)
{
	if (n >= 4 && memcmp(d, "PK\3\4", 4) == 0)
		return FT_ZIP;
	if (n >= 2 && d[0] == 0x1f && d[1] == 0x8b)
		return FT_GZIP;
	if (n >= 6 && memcmp(d, "7z\xbc\xaf\x27\x1c", 6) == 0)
		return FT_7Z;
	if (n >= 4 && memcmp(d, "Rar!", 4) == 0)
		return FT_RAR;
	return FT_TAR;
}

static int
fuzz_recurse(struct cdr_ctx *ctx, struct report *child, const char *name,
    const unsigned char *in, size_t len, struct buffer *out)
{
	enum file_type t = fuzz_type(in, len);
	size_t n = name != NULL ? strlen(name) : 0;

	if (t != FT_TAR || (n > 4 && strcmp(name + n - 4, ".tar") == 0))
		return archive_cdr(ctx, child, t, in, len, out);
	if (n > 4 && strcmp(name + n - 4, ".exe") == 0) {
		report_add(child, "type.executable", FINDING_BLOCKED, NULL,
		    "%s", "program");
		return 0;
	}
	if (ctx->inspect)
		return 0;
	return buffer_append(out, in, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cdr_options opts;
	struct limits lim;
	struct cdr_ctx ctx;
	struct report *r;
	struct buffer out;
	struct arena *arena;

	limits_init(&lim);
	lim.file_size = 4u << 20;
	lim.archive_total = 16u << 20;
	lim.output_size = 32u << 20;
	lim.archive_entries = 2000;
	cdr_options_init(&opts);
	if ((arena = arena_create(64u << 20)) == NULL)
		return 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.arena = arena;
	ctx.limits = &lim;
	ctx.opts = &opts;
	ctx.recurse = fuzz_recurse;
	buffer_init(&out, lim.output_size);
	if ((r = report_new(arena, "fuzz")) != NULL)
		(void)archive_cdr(&ctx, r, fuzz_type(data, size), data, size,
		    &out);
	buffer_free(&out);
	arena_destroy(arena);
	return 0;
}
