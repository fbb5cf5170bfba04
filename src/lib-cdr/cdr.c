/*
 * cdr - defaults of the per-job options (files and mail).
 */
#include <stdio.h>
#include <string.h>

#include "cdr.h"
#include "mail_options.h"

void
cdr_options_init(struct cdr_options *opts)
{
	opts->links = LINKS_KEEP;
	opts->try_default_passwords = true;
}

void
mail_options_init(struct mail_options *mo)
{
	memset(mo, 0, sizeof(*mo));
	mo->output_charset = MAIL_CHARSET_UTF8;
	/* Without a policy the outbound rules take the stricter choice. */
	mo->outbound.confidential3 = OUTBOUND_REJECT;
	mo->outbound.confidential2 = OUTBOUND_HOLD;
	mo->outbound.external_action = OUTBOUND_HOLD;
	mo->outbound.auto_forward = OUTBOUND_REJECT;
	snprintf(mo->outbound.header, sizeof(mo->outbound.header), "%s",
	    "X-Classification");
}

const char *
attach_action_name(enum attach_action a)
{
	switch (a) {
	case ATTACH_SANITIZE:
		return "sanitize";
	case ATTACH_HOLD:
		return "hold";
	case ATTACH_REMOVE:
		break;
	}
	return "remove";
}
