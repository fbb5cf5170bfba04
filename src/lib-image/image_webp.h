/*
 * image_webp - WebP in, PNG out.
 *
 * A RIFF chunk walk records EXIF, XMP, ICCP and unknown chunks and the
 * bytes after the RIFF size; libwebp decodes the (lossy or lossless)
 * still image to RGB, or RGBA when it has alpha. Animated WebP is
 * type.unsupported (blocked): a PNG would keep one frame only, and
 * silently losing the others is not an option. Same return contract as
 * image_common.h.
 */
#ifndef SANSO_IMAGE_WEBP_H
#define SANSO_IMAGE_WEBP_H

#include "image_common.h"

int image_webp(struct image_job *job);

#endif
