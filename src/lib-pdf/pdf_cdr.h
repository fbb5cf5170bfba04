/*
 * pdf_cdr - PDF CDR on MuPDF: actions, JavaScript, embedded files removed, fresh single-revision file written.
 *
 * Implements the cdr_format_fn contract of cdr.h.
 */
#ifndef SANSO_PDF_CDR_H
#define SANSO_PDF_CDR_H

#include "cdr.h"

int pdf_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
