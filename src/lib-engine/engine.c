/* engine - placeholder */
#include "engine.h"
int
engine_run(struct cdr_ctx *ctx, struct report *r, const char *name,
    const unsigned char *in, size_t len, struct buffer *out)
{
	report_set_error(r, "engine: not implemented");
	return -1;
}
