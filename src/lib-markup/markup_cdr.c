/*
 * markup_cdr - the cdr_format_fn entry points for HTML and SVG.
 *
 * Both rebuild the document from a parsed tree (html_clean, svg_clean)
 * through a writer that has no buffer in inspect mode; here the
 * writer's outcome becomes the contract's answer: output over
 * limits->output_size or out of memory is an internal failure, and a
 * blocked object leaves no partial output behind.
 */
#include "html_clean.h"
#include "markup_cdr.h"
#include "markup_out.h"
#include "svg_clean.h"

typedef int markup_clean_fn(struct cdr_ctx *ctx, struct report *r,
    const unsigned char *in, size_t len, struct markup_out *out);

/* Run one sanitizer and turn the writer's outcome into the contract's answer.
 */
static int
markup_run(markup_clean_fn *clean, struct cdr_ctx *ctx, struct report *r,
    const unsigned char *in, size_t len, struct buffer *out)
{
	struct markup_out o;
	int ret;

	markup_out_init(
	    &o, ctx->inspect ? NULL : out, ctx->limits->output_size);
	ret = clean(ctx, r, in, len, &o);
	switch (markup_out_status(&o)) {
	case MARKUP_OUT_TOO_BIG:
		report_add(r, "limit.output_size", FINDING_BLOCKED, NULL,
		    "rebuilt markup over %llu bytes",
		    (unsigned long long)ctx->limits->output_size);
		report_set_error(r, "rebuilt markup over limits.output_size");
		ret = -1;
		break;
	case MARKUP_OUT_NOMEM:
		report_set_error(r, "out of memory writing markup");
		ret = -1;
		break;
	default:
		break;
	}
	if (!ctx->inspect && out != NULL &&
	    (ret < 0 || report_has_action(r, FINDING_BLOCKED) ||
		report_has_action(r, FINDING_HELD)))
		buffer_reset(out);
	return ret;
}

int
html_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	return markup_run(html_clean, ctx, r, in, len, out);
}

int
svg_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	return markup_run(svg_clean, ctx, r, in, len, out);
}
