/*
 * mail_policy - the policy's mail: block as the worker's mail_options:
 * the attachment action per file family (mail.attachments, then
 * mail.attachment_rules by family), the output charset, links and
 * mail.max_size. Shared by `sanso mail` and sansod.
 */
#ifndef SANSO_MAIL_POLICY_H
#define SANSO_MAIL_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "cdr.h"
#include "mail_options.h"

struct policy;

/* Fill mo, opts->links and *max_size (0: none) from p (NULL: defaults).
   Returns 0, or -1 with a message in err for a bad value. */
int mail_policy_apply(const struct policy *p, struct mail_options *mo,
    struct cdr_options *opts, uint64_t *max_size, char *err,
    size_t err_size);

#endif
