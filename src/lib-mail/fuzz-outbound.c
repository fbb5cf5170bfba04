/*
 * fuzz-outbound - libFuzzer target for the outbound rules (mail_outbound:
 * the raw header split, the MIME walk, zip / OOXML / OLE2 / PDF / CMS /
 * OpenPGP checks, the To/Cc rewrite), every rule on.
 *
 * Besides crashes, leaks and hangs it checks the contract: a clean or
 * sanitized verdict always comes with a message, a blocked or held one
 * never does, and a clean one is the input byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "charset.h"
#include "outbound.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct outbound_options o;
	struct cdr_options opts;
	struct limits limits;
	struct buffer out;
	struct arena *arena;
	struct report *r;
	struct cdr_ctx ctx;
	enum verdict v;

	if (!ready) {
		g_mime_init();
		charset_prewarm();
		ready = 1;
	}
	limits_init(&limits);
	limits.xml_nodes = 100000;
	limits.mime_parts = 200;
	limits.job_memory = 1024ULL * 1024 * 1024;
	cdr_options_init(&opts);
	memset(&o, 0, sizeof(o));
	o.confidential3 = OUTBOUND_REJECT;
	o.confidential2 = OUTBOUND_REQUIRE_ENCRYPTION;
	o.external_max = 1;
	o.external_action = OUTBOUND_BCC;
	o.auto_forward = OUTBOUND_HOLD;
	o.scheme = CLASSIFICATION_R6;
	o.max_size = 1024 * 1024;
	strcpy(o.header, "X-Classification");
	o.ndomains = 2;
	strcpy(o.domains[0], "city.example.lg.jp");
	strcpy(o.domains[1], "example.jp");
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
	if (mail_outbound(&ctx, &o, data, size, &out, r) == 0) {
		v = report_verdict(r);
		if ((v == VERDICT_CLEAN || v == VERDICT_SANITIZED) ==
		    (out.used == 0))
			abort();
		if (v == VERDICT_CLEAN && (out.used != size ||
		    memcmp(out.data, data, size) != 0))
			abort();
	}
	buffer_free(&out);
	arena_destroy(arena);
	return 0;
}
