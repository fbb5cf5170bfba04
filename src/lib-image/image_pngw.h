/*
 * image_pngw - streaming PNG encoder into a struct buffer.
 *
 * Every rebuilt PNG (from PNG, BMP, TIFF, WebP) leaves through here, so
 * the output only ever holds IHDR, PLTE, tRNS, gAMA, sRGB, pHYs, IDAT
 * and IEND: no text, no profile, nothing after IEND. Rows are written
 * as they are decoded, so no full image copy is needed for formats that
 * decode row by row. libpng's errors are caught inside each call
 * (setjmp in the function that calls libpng); nothing is printed.
 */
#ifndef SANSO_IMAGE_PNGW_H
#define SANSO_IMAGE_PNGW_H

#include <stdbool.h>
#include <stdint.h>

#include <png.h>

#include "buffer.h"

struct pngw_header {
	uint32_t width, height;	/* both >= 1 */
	int color_type;		/* PNG_COLOR_TYPE_*; never interlaced */
	int bit_depth;
	const png_color *palette;	/* NULL, or num_palette entries */
	int num_palette;
	const png_byte *trans;	/* palette alpha, num_trans entries */
	int num_trans;
	const png_color_16 *trans_color;	/* grey/RGB tRNS or NULL */
	bool has_phys;
	png_uint_32 phys_x, phys_y;
	int phys_unit;
	bool has_gamma;
	png_fixed_point gamma;
	bool has_srgb;
	int srgb_intent;
};

struct pngw;

/* Start a PNG in out (appended). Returns NULL on failure: errno is
   EFBIG when out is full (limits->output_size), ENOMEM otherwise. */
struct pngw *pngw_begin(struct buffer *out, const struct pngw_header *h);
/* Write the next row (png_get_rowbytes() bytes in PNG layout).
   Returns 0, or -1 with errno set as above; the writer must then
   still be given to pngw_abort(). */
int pngw_row(struct pngw *w, const unsigned char *row);
/* Write IEND and free the writer. Returns 0, or -1 (errno as above). */
int pngw_finish(struct pngw *w);
/* Free a writer after a failure; NULL is ok. */
void pngw_abort(struct pngw *w);

#endif
