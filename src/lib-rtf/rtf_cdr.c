/* rtf_cdr - placeholder until the module lands. */
#include "rtf_cdr.h"

int
rtf_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	report_set_error(r, "rtf_cdr: not implemented");
	return -1;
}

