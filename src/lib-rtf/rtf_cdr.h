/*
 * rtf_cdr - RTF CDR: a real tokenizer; objects, templates and DDE fields removed, text kept.
 *
 * Implements the cdr_format_fn contract of cdr.h.
 */
#ifndef SANSO_RTF_CDR_H
#define SANSO_RTF_CDR_H

#include "cdr.h"

int rtf_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
