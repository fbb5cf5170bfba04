/*
 * text_cdr - plain text and CSV: text passed as it is, CSV formula cells
 * neutralised.
 *
 * Both implement the cdr_format_fn contract of cdr.h.
 *
 * text_cdr copies its input unchanged and raises no finding: deciding
 * that bytes are text (no NULs, not binary) is the detector's job.
 *
 * csv_cdr puts a single quote in front of every formula a spreadsheet
 * would run (CSV / DDE injection): a cell whose value starts with
 * = + - @ or their full-width forms (UTF-8, Shift_JIS, EUC-JP or UTF-16
 * with a BOM), also after leading blanks, tabs, CRs, NULs, double quotes
 * and ideographic spaces; the quote goes right before the sign, inside
 * the cell, so quoting, line ends and every other byte stay as they
 * are. A +/- cell that is only a number (-12.5, +81), a phone number
 * (+81-3-1234-5678) or a "-" placeholder stays. A first line "ID"
 * (Excel would read SYLK) is quoted too. Cells are read with the file's
 * own separator (a sep= line, else tab or ';' when the first line has
 * no comma, else comma, RFC 4180 quoting) and, since LibreOffice splits
 * at all of them by default, also with the others, where only =, @ and
 * +/- with a call, pipe or '!' count. One csv.formula finding per cell
 * up to a cap, then one summary finding. Time is linear in len (one
 * pass per separator); memory is the output plus one offset per
 * formula cell.
 */
#ifndef SANSO_TEXT_CDR_H
#define SANSO_TEXT_CDR_H

#include "cdr.h"

/* The cdr_format_fn for FT_TEXT and FT_EMPTY (type is not used). */
int text_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);
/* The cdr_format_fn for FT_CSV (type is not used). */
int csv_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
