/* text_cdr - placeholder until the module lands. */
#include "text_cdr.h"

int
text_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	report_set_error(r, "text_cdr: not implemented");
	return -1;
}

int
csv_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	report_set_error(r, "csv_cdr: not implemented");
	return -1;
}

