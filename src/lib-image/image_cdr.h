/*
 * image_cdr - images decoded to pixels and re-encoded: no metadata, no
 * trailing bytes.
 *
 * Implements the cdr_format_fn contract of cdr.h for FT_JPEG, FT_PNG,
 * FT_GIF (same type out), FT_BMP, FT_TIFF and FT_WEBP (PNG out, with
 * report_set_new_ext(r, "png")). The output is always rebuilt from the
 * decoded pixels, so a finding-free image still comes out re-encoded
 * (verdict clean): the pixel rebuild is what disarms parser exploits
 * and steganographic tails. Findings: image.metadata and
 * image.trailing_data (removed), image.malformed, limit.image_pixels
 * and type.unsupported (blocked), image.multipage (reported, TIFF).
 * Each codec lives in its own image_<fmt>.c; see their headers.
 */
#ifndef SANSO_IMAGE_CDR_H
#define SANSO_IMAGE_CDR_H

#include "cdr.h"

int image_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
