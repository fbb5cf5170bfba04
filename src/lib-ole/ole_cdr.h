/*
 * ole_cdr - OLE2 (CFB) documents: VBA, XLM, embedded objects, encryption.
 *
 * Implements the cdr_format_fn contract of cdr.h.
 */
#ifndef SANSO_OLE_CDR_H
#define SANSO_OLE_CDR_H

#include "cdr.h"

int ole_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
