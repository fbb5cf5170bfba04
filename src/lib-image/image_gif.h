/*
 * image_gif - GIF in, GIF out, every frame kept.
 *
 * giflib decodes frame by frame, line by line, and each line is
 * LZW-encoded again at once: no frame is held in memory. Kept: screen
 * and colour maps, frame positions, interlacing, graphic control
 * (delay, disposal, transparency) and the NETSCAPE2.0 loop count,
 * rewritten in its canonical form. Dropped with image.metadata:
 * comments, plain text, every other application extension (XMP, ICC,
 * ...). Bytes after the trailer give image.trailing_data. The pixel
 * limit applies to the screen, to each frame and to the sum of all
 * frames, which bounds the decoding work of an animation. Same return
 * contract as image_common.h.
 */
#ifndef SANSO_IMAGE_GIF_H
#define SANSO_IMAGE_GIF_H

#include "image_common.h"

int image_gif(struct image_job *job);

#endif
