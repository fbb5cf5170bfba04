/*
 * pdf_cdr - PDF CDR on MuPDF: JavaScript, running actions, embedded
 * files, rich media and XFA are cut out and a fresh single-revision file
 * is written.
 *
 * Implements the cdr_format_fn contract of cdr.h:
 *  - Findings (one per code and action, with a count): pdf.javascript,
 *    pdf.open_action (a plain destination is kept and reported),
 *    pdf.additional_action, pdf.launch, pdf.submit_form,
 *    pdf.import_data, pdf.goto_remote, pdf.goto_embedded,
 *    pdf.embedded_file, pdf.richmedia, pdf.xfa (all removed), pdf.uri
 *    (reported when ctx->opts->links keeps links, removed otherwise and
 *    always for links that are not http, https, ftp or mailto),
 *    pdf.incremental_update (reported; the output has one revision),
 *    pdf.encrypted (reported when opened with the empty user password and
 *    written decrypted, held when a password or another security
 *    handler is needed, or when opts->try_default_passwords is off).
 *  - pdf.malformed blocked: MuPDF cannot open or rebuild the file, a
 *    repaired file points at missing objects, or MuPDF needed more than
 *    half of limits->job_memory. limit.pdf_objects blocked: more xref
 *    entries than limits->pdf_objects.
 *  - Only objects reachable from the trailer after the cuts are written:
 *    nothing removed survives as an orphan object. Streams are copied
 *    raw. The same input gives the same output bytes; a second pass
 *    over the output removes nothing.
 *  - Returns -1 (with report_set_error) only when the output does not
 *    fit in out (limit.output_size) or MuPDF cannot start. Inspect mode
 *    runs the same write into a counter, so it finds the same.
 *  - Allocates through MuPDF's context only (capped, freed before
 *    return); never prints. Runs in the worker only.
 */
#ifndef SANSO_PDF_CDR_H
#define SANSO_PDF_CDR_H

#include "cdr.h"

int pdf_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
