/*
 * text_cdr - plain text and CSV: text passed as it is, CSV formula cells neutralised.
 *
 * Implements the cdr_format_fn contract of cdr.h.
 */
#ifndef SANSO_TEXT_CDR_H
#define SANSO_TEXT_CDR_H

#include "cdr.h"

int text_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);
int csv_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
