/*
 * markup_cdr - HTML and SVG made inert: no scripts, handlers, dangerous URLs, frames, forms or external resources.
 *
 * Implements the cdr_format_fn contract of cdr.h.
 */
#ifndef SANSO_MARKUP_CDR_H
#define SANSO_MARKUP_CDR_H

#include "cdr.h"

int html_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);
int svg_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
