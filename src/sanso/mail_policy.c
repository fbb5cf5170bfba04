/*
 * mail_policy - see mail_policy.h.
 */
#include <stdio.h>
#include <string.h>

#include "filetype.h"
#include "mail_policy.h"
#include "policy.h"

static int
action_parse(const char *s, enum attach_action *a)
{
	if (strcmp(s, "remove") == 0)
		*a = ATTACH_REMOVE;
	else if (strcmp(s, "sanitize") == 0)
		*a = ATTACH_SANITIZE;
	else if (strcmp(s, "hold") == 0)
		*a = ATTACH_HOLD;
	else
		return -1;
	return 0;
}

/* The policy's family names onto the engine's. */
static bool
family_in(const char *name, enum file_family f)
{
	if (strcmp(name, "pdf") == 0)
		return f == FAMILY_PDF;
	if (strcmp(name, "office") == 0)
		return f == FAMILY_OOXML || f == FAMILY_OLE || f == FAMILY_RTF;
	if (strcmp(name, "image") == 0)
		return f == FAMILY_IMAGE || f == FAMILY_SVG;
	if (strcmp(name, "text") == 0)
		return f == FAMILY_TEXT || f == FAMILY_CSV;
	if (strcmp(name, "archive") == 0)
		return f == FAMILY_ARCHIVE;
	if (strcmp(name, "html") == 0)
		return f == FAMILY_HTML;
	return strcmp(name, "other") == 0 && f == FAMILY_UNKNOWN;
}

static enum outbound_action
outbound_action(enum policy_action a, enum outbound_action unset)
{
	switch (a) {
	case POLICY_ACTION_REJECT:
		return OUTBOUND_REJECT;
	case POLICY_ACTION_HOLD:
		return OUTBOUND_HOLD;
	case POLICY_ACTION_REQUIRE_ENCRYPTION:
		return OUTBOUND_REQUIRE_ENCRYPTION;
	case POLICY_ACTION_BCC:
		return OUTBOUND_BCC;
	case POLICY_ACTION_ALLOW:
		return OUTBOUND_ALLOW;
	default:
		return unset;
	}
}

/* mail.outbound, mail.internal_domains, classification: the runtime
   defaults are the policy header's (absent = the stricter choice). */
static int
outbound_apply(const struct policy *p, struct outbound_options *o,
    uint64_t max_size, char *err, size_t err_size)
{
	const struct policy_mail *m = p->mail;
	const struct policy_outbound *ob = m->outbound;
	unsigned i;

	memset(o, 0, sizeof(*o));
	o->max_size = max_size;
	o->scheme = p->classification_id == POLICY_CLASS_R6 ?
	    CLASSIFICATION_R6 : CLASSIFICATION_SEED;
	snprintf(o->header, sizeof(o->header), "%s",
	    m->classification_header != NULL ? m->classification_header :
	    "X-Classification");
	o->confidential3 = OUTBOUND_REJECT;
	o->confidential2 = OUTBOUND_HOLD;
	o->external_action = OUTBOUND_HOLD;
	o->auto_forward = OUTBOUND_REJECT;
	if (ob != NULL) {
		o->confidential3 = outbound_action(ob->confidential3_id,
		    OUTBOUND_REJECT);
		o->confidential2 = outbound_action(ob->confidential2_id,
		    OUTBOUND_HOLD);
		o->external_max = ob->external_recipients_max;
		o->external_action = outbound_action(
		    ob->external_recipients_action_id, OUTBOUND_HOLD);
		o->auto_forward = outbound_action(ob->auto_forward_id,
		    OUTBOUND_REJECT);
	}
	if (m->internal_domains_count > MAIL_DOMAINS_MAX) {
		snprintf(err, err_size, "mail.internal_domains: at most %d",
		    MAIL_DOMAINS_MAX);
		return -1;
	}
	for (i = 0; i < m->internal_domains_count; i++) {
		if (strlen(m->internal_domains[i]) >= MAIL_DOMAIN_SIZE) {
			snprintf(err, err_size, "mail.internal_domains: %s is"
			    " too long", m->internal_domains[i]);
			return -1;
		}
		snprintf(o->domains[i], MAIL_DOMAIN_SIZE, "%s",
		    m->internal_domains[i]);
	}
	o->ndomains = m->internal_domains_count;
	return 0;
}

int
mail_policy_apply(const struct policy *p, struct mail_options *mo,
    struct cdr_options *opts, uint64_t *max_size, char *err,
    size_t err_size)
{
	const struct policy_mail *m = p != NULL ? p->mail : NULL;
	enum attach_action def = ATTACH_REMOVE, a;
	unsigned f, i;

	*max_size = 0;
	if (m == NULL)
		return 0;
	if (m->max_size != NULL && policy_parse_size(m->max_size,
	    max_size) < 0) {
		snprintf(err, err_size, "mail.max_size: bad size %s",
		    m->max_size);
		return -1;
	}
	if (m->attachments != NULL && action_parse(m->attachments, &def) < 0) {
		snprintf(err, err_size, "mail.attachments: %s is not remove,"
		    " sanitize or hold", m->attachments);
		return -1;
	}
	for (f = 0; f < MAIL_FAMILY_SLOTS; f++)
		mo->attach[f] = def;
	for (i = 0; i < m->attachment_rules_count; i++) {
		const struct policy_attachment_rule *rule =
		    &m->attachment_rules[i];

		if (action_parse(rule->action, &a) < 0) {
			snprintf(err, err_size, "mail.attachment_rules: bad"
			    " action %s", rule->action);
			return -1;
		}
		for (f = 0; f < MAIL_FAMILY_SLOTS; f++)
			if (family_in(rule->type, (enum file_family)f))
				mo->attach[f] = a;
	}
	/* Programs, scripts, shortcuts and disk images never go out. */
	mo->attach[FAMILY_EXECUTABLE] = ATTACH_REMOVE;
	mo->attach[FAMILY_SCRIPT] = ATTACH_REMOVE;
	mo->attach[FAMILY_SHORTCUT] = ATTACH_REMOVE;
	mo->attach[FAMILY_DISK_IMAGE] = ATTACH_REMOVE;
	if (m->output_charset != NULL &&
	    strcmp(m->output_charset, "iso-2022-jp") == 0)
		mo->output_charset = MAIL_CHARSET_ISO2022JP;
	if (m->links == NULL)
		opts->links = LINKS_DEFANG;
	return outbound_apply(p, &mo->outbound, *max_size, err, err_size);
}
