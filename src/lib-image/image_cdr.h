/*
 * image_cdr - images decoded to pixels and re-encoded: no metadata, no trailing bytes.
 *
 * Implements the cdr_format_fn contract of cdr.h.
 */
#ifndef SANSO_IMAGE_CDR_H
#define SANSO_IMAGE_CDR_H

#include "cdr.h"

int image_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
