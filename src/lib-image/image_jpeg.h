/*
 * image_jpeg - JPEG in, JPEG out (quality 90, baseline).
 *
 * A marker walk records the metadata segments (EXIF, XMP, ICC, IPTC,
 * COM, other APPn) and the bytes after EOI; libjpeg-turbo then decodes
 * the pixels, which are re-encoded row by row. Grey stays grey; CMYK
 * and YCCK become RGB. The EXIF orientation is applied to the pixels
 * (the EXIF that carried it is dropped, and a viewer would otherwise
 * show a phone photo sideways), so orientations 5-8 swap width and
 * height. Same return contract as image_common.h.
 */
#ifndef SANSO_IMAGE_JPEG_H
#define SANSO_IMAGE_JPEG_H

#include "image_common.h"

int image_jpeg(struct image_job *job);

#endif
