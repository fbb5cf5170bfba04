/*
 * fuzz-ole - libFuzzer target for the OLE2 module: ole_detect(), then
 * ole_cdr() in sanitize mode with the detected type (or
 * ole_decrypt_default() for encrypted OOXML).
 *
 * Two properties are checked, not just crashes: a rebuilt file must
 * parse again with no finding at all (sanitize is idempotent), and a
 * file passed without findings must be an exact copy.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ole_cdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
setup(struct cdr_ctx *ctx, struct limits *lim, struct cdr_options *opts,
    struct arena *arena)
{
	limits_init(lim);
	lim->output_size = 32u << 20;
	cdr_options_init(opts);
	memset(ctx, 0, sizeof(*ctx));
	ctx->arena = arena;
	ctx->limits = lim;
	ctx->opts = opts;
}

/* The output of a sanitize pass must come back clean and unchanged. */
static void
second_pass(const unsigned char *in, size_t len)
{
	struct cdr_options opts;
	struct limits lim;
	struct cdr_ctx ctx;
	struct arena *arena = arena_create(256u << 20);
	struct report *r;
	struct buffer out;

	if (arena == NULL)
		return;
	setup(&ctx, &lim, &opts, arena);
	buffer_init(&out, lim.output_size);
	r = report_new(arena, "again");
	if (r != NULL && ole_cdr(&ctx, r, ole_detect(in, len), in, len,
	    &out) == 0) {
		if (r->finding_count != 0 || out.used != len ||
		    memcmp(out.data, in, len) != 0)
			abort();
	}
	buffer_free(&out);
	arena_destroy(arena);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cdr_options opts;
	struct limits lim;
	struct cdr_ctx ctx;
	struct arena *arena;
	struct report *r;
	struct buffer out;
	enum file_type t;
	int rc;

	if ((arena = arena_create(256u << 20)) == NULL)
		return 0;
	setup(&ctx, &lim, &opts, arena);
	buffer_init(&out, lim.output_size);
	t = ole_detect(data, size);
	if ((r = report_new(arena, "fuzz")) == NULL)
		goto out;
	if (t == FT_OOXML_ENCRYPTED) {
		(void)ole_decrypt_default(&ctx, r, data, size, &out);
		goto out;
	}
	rc = ole_cdr(&ctx, r, t, data, size, &out);
	if (rc == 0 && out.used > 0) {
		if (r->finding_count == 0 &&
		    (out.used != size || memcmp(out.data, data, size) != 0))
			abort();
		if (r->finding_count > 0)
			second_pass(out.data, out.used);
	}
out:
	buffer_free(&out);
	arena_destroy(arena);
	return 0;
}
