/*
 * image_bmp - BMP in, PNG out.
 *
 * No library reads BMP here, so this is a small strict decoder of the
 * Windows and OS/2 headers (12 to 124 bytes), 1/4/8-bit palettes,
 * 16/24/32-bit pixels with or without bit fields, RLE4 and RLE8.
 * Palette images become palette PNGs of the same bit depth (the rows
 * are copied as they are); others become RGB, or RGBA when bit fields
 * give an alpha mask. Embedded JPEG/PNG and OS/2 Huffman/RLE24 are
 * type.unsupported. An embedded or linked ICC profile is
 * image.metadata; non-zero bytes after the pixel data are
 * image.trailing_data. Same return contract as image_common.h.
 */
#ifndef SANSO_IMAGE_BMP_H
#define SANSO_IMAGE_BMP_H

#include "image_common.h"

int image_bmp(struct image_job *job);

#endif
