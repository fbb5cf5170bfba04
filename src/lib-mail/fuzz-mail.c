/*
 * fuzz-mail - libFuzzer target for the whole inbound mail job
 * (mail_sanitize: MIME walk, charsets, HTML text, inline blocks, TNEF,
 * attachments through the engine, the output message).
 *
 * Besides crashes, leaks and hangs it checks the contract: whenever
 * there is no internal error there is an output message, and it carries
 * the X-Sanso header that says what was done.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct mail_options mo;
	struct cdr_options opts;
	struct limits limits;
	struct buffer out;
	struct arena *arena;
	struct report *r;
	struct cdr_ctx ctx;
	unsigned i;

	if (!ready) {
		mail_prewarm();
		ready = 1;
	}
	limits_init(&limits);
	limits.xml_nodes = 100000;
	limits.mime_parts = 200;
	cdr_options_init(&opts);
	opts.links = (enum link_policy)(size > 0 ? data[0] % 3 : 0);
	mail_options_init(&mo);
	/* Re-attach everything that can be, so the composer is exercised. */
	for (i = 0; i < MAIL_FAMILY_SLOTS; i++)
		mo.attach[i] = ATTACH_SANITIZE;
	strcpy(mo.qid, "q20260101000000-0000000000000000");
	if ((arena = arena_create(256u * 1024 * 1024)) == NULL)
		return 0;
	r = report_new(arena, "fuzz");
	if (r == NULL)
		abort();
	memset(&ctx, 0, sizeof(ctx));
	ctx.arena = arena;
	ctx.limits = &limits;
	ctx.opts = &opts;
	buffer_init(&out, limits.output_size);
	if (mail_sanitize(&ctx, &mo, data, size, &out, r) == 0 &&
	    (out.used == 0 || memmem(out.data, out.used, "\nX-Sanso: ",
	    10) == NULL))
		abort();
	buffer_free(&out);
	arena_destroy(arena);
	return 0;
}
