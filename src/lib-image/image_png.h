/*
 * image_png - PNG in, PNG out.
 *
 * A chunk walk first records the metadata chunks (tEXt, zTXt, iTXt,
 * eXIf, iCCP, tIME, private and unknown ancillary chunks, APNG frames)
 * and the bytes after IEND; then libpng decodes the rows, which go out
 * through image_pngw unchanged: same colour type and bit depth, palette
 * and tRNS kept, interlacing undone. Only gAMA, sRGB and pHYs survive
 * among the ancillary chunks. Same return contract as image_common.h.
 */
#ifndef SANSO_IMAGE_PNG_H
#define SANSO_IMAGE_PNG_H

#include "image_common.h"

int image_png(struct image_job *job);

#endif
