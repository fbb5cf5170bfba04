/*
 * fuzz-image - libFuzzer target for image_cdr() in sanitize mode.
 *
 * The type comes from the input's magic (as the engine would), or from
 * the first byte when there is none, so that every codec also sees
 * garbage. Limits are lowered so that pixel bombs end quickly. When the
 * image passes, its output is sanitized again and must come out clean:
 * a finding there means the rebuild is not idempotent, which aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image_cdr.h"

static enum file_type
fuzz_type(const uint8_t *d, size_t n)
{
	static const enum file_type any[] = {
		FT_JPEG, FT_PNG, FT_GIF, FT_BMP, FT_TIFF, FT_WEBP,
	};

	if (n >= 2 && d[0] == 0xff && d[1] == 0xd8)
		return FT_JPEG;
	if (n >= 4 && memcmp(d, "\x89PNG", 4) == 0)
		return FT_PNG;
	if (n >= 4 && memcmp(d, "GIF8", 4) == 0)
		return FT_GIF;
	if (n >= 2 && memcmp(d, "BM", 2) == 0)
		return FT_BMP;
	if (n >= 4 && (memcmp(d, "II*\0", 4) == 0 ||
	    memcmp(d, "MM\0*", 4) == 0 || memcmp(d, "II+\0", 4) == 0 ||
	    memcmp(d, "MM\0+", 4) == 0))
		return FT_TIFF;
	if (n >= 12 && memcmp(d, "RIFF", 4) == 0 &&
	    memcmp(d + 8, "WEBP", 4) == 0)
		return FT_WEBP;
	return n > 0 ? any[d[0] % 6] : FT_PNG;
}

/* Sanitize; returns the report (NULL on arena failure). */
static struct report *
fuzz_run(struct cdr_ctx *ctx, enum file_type t, const uint8_t *data,
    size_t size, struct buffer *out, int *ret)
{
	struct report *r = report_new(ctx->arena, "fuzz");

	*ret = -1;
	if (r != NULL)
		*ret = image_cdr(ctx, r, t, data, size, out);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cdr_options opts;
	struct limits lim;
	struct cdr_ctx ctx;
	struct report *r, *r2;
	struct buffer out, out2;
	enum file_type t = fuzz_type(data, size);
	int ret;

	limits_init(&lim);
	lim.image_pixels = 4u << 20;
	lim.output_size = 64u << 20;
	cdr_options_init(&opts);
	memset(&ctx, 0, sizeof(ctx));
	ctx.limits = &lim;
	ctx.opts = &opts;
	if ((ctx.arena = arena_create(16u << 20)) == NULL)
		return 0;
	buffer_init(&out, lim.output_size);
	buffer_init(&out2, lim.output_size);
	r = fuzz_run(&ctx, t, data, size, &out, &ret);
	if (r != NULL && ret == 0 && !report_has_action(r, FINDING_BLOCKED)) {
		if (t != FT_JPEG && t != FT_GIF)
			t = FT_PNG;
		r2 = fuzz_run(&ctx, t, out.data, out.used, &out2, &ret);
		if (r2 != NULL && (ret != 0 || r2->finding_count != 0))
			abort();
	}
	buffer_free(&out);
	buffer_free(&out2);
	arena_destroy(ctx.arena);
	return 0;
}
