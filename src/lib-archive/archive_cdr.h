/*
 * archive_cdr - archives read with libarchive, members sanitized recursively, rebuilt as zip.
 *
 * Implements the cdr_format_fn contract of cdr.h.
 */
#ifndef SANSO_ARCHIVE_CDR_H
#define SANSO_ARCHIVE_CDR_H

#include "cdr.h"

int archive_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
