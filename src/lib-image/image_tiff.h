/*
 * image_tiff - TIFF in, PNG out, every page kept.
 *
 * libtiff reads from memory (TIFFClientOpenExt) with its error and
 * warning handlers silenced, and renders each page to RGBA with
 * TIFFReadRGBAImageOriented (any photometric, bit depth, compression it
 * supports; orientation applied). A TIFF of several pages (a fax, a
 * scan) becomes one PNG with the pages stacked top to bottom, narrower
 * pages padded on the right, and an image.multipage finding (reported):
 * nothing is lost, and a PNG has no pages. Reduced-resolution pages
 * (thumbnails) are dropped as image.metadata, as are the descriptive
 * tags (EXIF, GPS, XMP, IPTC, Photoshop, ICC, ImageDescription, Artist,
 * Software ...), one finding per tag name. The pixel limit applies to
 * each page and to the stacked result. Same return contract as
 * image_common.h.
 */
#ifndef SANSO_IMAGE_TIFF_H
#define SANSO_IMAGE_TIFF_H

#include "image_common.h"

int image_tiff(struct image_job *job);

#endif
