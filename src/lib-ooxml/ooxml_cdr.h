/*
 * ooxml_cdr - OOXML CDR on libzip + libxml2: macros, ActiveX, OLE, external relationships, DDE, field codes.
 *
 * Implements the cdr_format_fn contract of cdr.h.
 */
#ifndef SANSO_OOXML_CDR_H
#define SANSO_OOXML_CDR_H

#include "cdr.h"

int ooxml_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
