/*
 * markup_cdr - HTML and SVG made inert: no scripts, handlers, dangerous
 * URLs, frames, forms or external resources.
 *
 * Implements the cdr_format_fn contract of cdr.h. Both formats are
 * rebuilt from a parsed tree through allow-lists (html_clean.h,
 * svg_clean.h), never patched in place, and always written as UTF-8.
 * HTML never fails to parse (the HTML5 algorithm accepts any bytes), so
 * html.malformed is not raised; SVG that is not well-formed XML, or
 * whose DOCTYPE declares entities, is svg.malformed blocked.
 * Links (<a href> to http, https or mailto) follow ctx->opts->links:
 * html.link / svg.external_resource, "reported" when kept, "removed"
 * otherwise.
 */
#ifndef SANSO_MARKUP_CDR_H
#define SANSO_MARKUP_CDR_H

#include "cdr.h"

int html_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);
int svg_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
