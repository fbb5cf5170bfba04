/*
 * cdr - defaults of the per-job options.
 */
#include "cdr.h"

void
cdr_options_init(struct cdr_options *opts)
{
	opts->links = LINKS_KEEP;
	opts->try_default_passwords = true;
}
