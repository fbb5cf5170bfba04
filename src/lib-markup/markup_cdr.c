/* markup_cdr - placeholder until the module lands. */
#include "markup_cdr.h"

int
html_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	report_set_error(r, "html_cdr: not implemented");
	return -1;
}

int
svg_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	report_set_error(r, "svg_cdr: not implemented");
	return -1;
}

