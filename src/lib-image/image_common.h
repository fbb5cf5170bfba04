/*
 * image_common - what every image codec module of lib-image shares: the
 * job it works on and the few ways it records findings.
 *
 * A codec module (image_jpeg, image_png, ...) gets one struct image_job
 * and returns 0 when the image was processed (findings may include a
 * blocked one) or -1 after report_set_error() on internal failure
 * (memory, output over limits->output_size). Findings are recorded
 * through the helpers below so that every module names them the same
 * way and reports each kind of metadata once.
 */
#ifndef SANSO_IMAGE_COMMON_H
#define SANSO_IMAGE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdr.h"

struct image_job {
	struct cdr_ctx *ctx;
	struct report *r;
	const unsigned char *in;
	size_t len;
	struct buffer *out;	/* NULL in inspect mode: decode, write nothing */
};

/* Record image.metadata (removed) for location, once per location: a
   file with 40 tEXt chunks gives one finding "tEXt". location is a
   short name (segment, chunk, tag); detail may be NULL. */
void image_metadata(struct image_job *job, const char *location,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Record image.trailing_data (removed) for the len - end bytes that
   follow the end of the image; after names the end marker ("EOI").
   The detail names a known file signature found there (a polyglot). */
void image_trailing(struct image_job *job, const char *after, size_t end);
/* Record image.malformed (blocked). Returns 0, for "return
   image_malformed(...)" in codec modules. */
int image_malformed(struct image_job *job, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Record type.unsupported (blocked) for a valid image that sanso cannot
   rebuild without losing content. Returns 0. */
int image_unsupported(struct image_job *job, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* True when width x height is within limits->image_pixels; otherwise
   records limit.image_pixels (blocked) and returns false. Zero sizes
   are the caller's business (malformed). */
bool image_pixels_ok(struct image_job *job, uint64_t width, uint64_t height);
/* report_set_error() and return -1. */
int image_internal(struct image_job *job, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Copy n bytes of a chunk or segment name into dst (n + 1 bytes) with
   anything that is not printable ASCII replaced by '?', so a hostile
   name cannot smuggle control bytes into reports. Returns dst. */
char *image_name(char *dst, const unsigned char *src, size_t n);

/* Big- and little-endian readers; the caller checks the bounds. */
static inline uint32_t
image_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t
image_be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
image_le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static inline uint16_t
image_le16(const unsigned char *p)
{
	return (uint16_t)(p[1] << 8 | p[0]);
}

#endif
