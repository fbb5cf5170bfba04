/*
 * image_png - PNG in, PNG out: chunk walk for findings, libpng for the
 * pixels, image_pngw for the rebuilt file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "image_png.h"
#include "image_pngw.h"
#include "sizeops.h"

#define PNG_SIG_LEN	8
#define PNG_MAX_CHUNK	0x7fffffffU	/* the spec's limit on a length */

/* Ancillary chunks dropped without a finding: rendering hints that say
   nothing about the author or the machine (kept ones are in the
   writer: tRNS, gAMA, sRGB, pHYs). */
static const char *const png_quiet[] = {
	"tRNS", "gAMA", "sRGB", "pHYs", "cHRM", "bKGD", "sBIT", "hIST",
	"sPLT",
};

/* Metadata chunks and how a report describes them. */
static const struct {
	const char *type, *what;
} png_meta[] = {
	{ "tEXt", "text chunk" },
	{ "zTXt", "compressed text chunk" },
	{ "iTXt", "international text chunk (XMP lives here)" },
	{ "eXIf", "EXIF chunk" },
	{ "iCCP", "ICC profile" },
	{ "tIME", "modification time" },
};

struct png_read {
	struct image_job *job;
	png_structp png;
	png_infop info;
	const unsigned char *data;	/* the PNG up to the end of IEND */
	size_t len, pos;
	struct pngw *w;
	unsigned char *row;		/* one row, or the whole image */
	png_bytep *rows;		/* row pointers when interlaced */
	char msg[128];			/* libpng's error text */
	int werr;			/* errno of a writer failure */
};

/* Record the finding a non-critical chunk deserves, if any. */
static void
png_classify(struct image_job *job, const unsigned char *type)
{
	char name[5];
	size_t i;

	image_name(name, type, 4);
	for (i = 0; i < sizeof(png_quiet) / sizeof(png_quiet[0]); i++) {
		if (strcmp(name, png_quiet[i]) == 0)
			return;
	}
	for (i = 0; i < sizeof(png_meta) / sizeof(png_meta[0]); i++) {
		if (strcmp(name, png_meta[i].type) == 0) {
			image_metadata(job, name, "%s", png_meta[i].what);
			return;
		}
	}
	if (strcmp(name, "acTL") == 0 || strcmp(name, "fcTL") == 0 ||
	    strcmp(name, "fdAT") == 0) {
		image_metadata(job, "APNG", "APNG animation frames removed, "
		    "the default image is kept");
		return;
	}
	image_metadata(job, name, "unknown or private ancillary chunk");
}

/* Walk the chunks up to IEND. Returns the offset just past IEND, or 0
   after recording image.malformed / limit.image_pixels. */
static size_t
png_walk(struct image_job *job)
{
	const unsigned char *p = job->in;
	size_t pos = PNG_SIG_LEN, n = 0, end;
	uint32_t clen;

	for (;; n++) {
		if (job->len - pos < 12) {
			image_malformed(job, "PNG ends without IEND");
			return 0;
		}
		clen = image_be32(p + pos);
		if (clen > PNG_MAX_CHUNK || job->len - pos - 12 < clen) {
			image_malformed(job, "PNG chunk at offset %zu is cut "
			    "short", pos);
			return 0;
		}
		end = pos + 12 + clen;
		if (n == 0 && (memcmp(p + pos + 4, "IHDR", 4) != 0 ||
		    clen != 13)) {
			image_malformed(job, "PNG does not start with IHDR");
			return 0;
		}
		if (n == 0 && !image_pixels_ok(job, image_be32(p + pos + 8),
		    image_be32(p + pos + 12)))
			return 0;
		if (memcmp(p + pos + 4, "IEND", 4) == 0)
			return end;
		/* Bit 5 of the first letter: ancillary. Critical chunks
		   are libpng's to accept or refuse. */
		if (p[pos + 4] & 0x20)
			png_classify(job, p + pos + 4);
		pos = end;
	}
}

static void
png_error_fn(png_structp png, png_const_charp msg)
{
	struct png_read *s = png_get_error_ptr(png);

	snprintf(s->msg, sizeof(s->msg), "%s", msg);
	png_longjmp(png, 1);
}

static void
png_warning_fn(png_structp png, png_const_charp msg)
{
}

static void
png_read_fn(png_structp png, png_bytep dst, png_size_t n)
{
	struct png_read *s = png_get_io_ptr(png);

	if (s->len - s->pos < n)
		png_error(png, "read past the end of the PNG");
	memcpy(dst, s->data + s->pos, n);
	s->pos += n;
}

/* Copy the header and the kept chunks of the input into h. */
static void
png_header(struct png_read *s, struct pngw_header *h)
{
	png_colorp palette;
	png_bytep trans;
	png_color_16p trans_color;
	int num, intent;

	memset(h, 0, sizeof(*h));
	h->width = png_get_image_width(s->png, s->info);
	h->height = png_get_image_height(s->png, s->info);
	h->bit_depth = png_get_bit_depth(s->png, s->info);
	h->color_type = png_get_color_type(s->png, s->info);
	if (png_get_PLTE(s->png, s->info, &palette, &num) != 0) {
		h->palette = palette;
		h->num_palette = num;
	}
	if (png_get_tRNS(s->png, s->info, &trans, &num, &trans_color) != 0) {
		if (h->color_type == PNG_COLOR_TYPE_PALETTE) {
			h->trans = trans;
			h->num_trans = num;
		} else
			h->trans_color = trans_color;
	}
	if (png_get_pHYs(s->png, s->info, &h->phys_x, &h->phys_y,
	    &h->phys_unit) != 0)
		h->has_phys = true;
	if (png_get_sRGB(s->png, s->info, &intent) != 0) {
		h->has_srgb = true;
		h->srgb_intent = intent;
	} else if (png_get_gAMA_fixed(s->png, s->info, &h->gamma) != 0)
		h->has_gamma = true;
}

/* Rows of an interlaced PNG arrive in seven passes: decode the whole
   image, then write it. Sizes were bounded by the pixel limit. Returns
   0, or -1 with errno when memory or the writer fails. */
static int
png_copy_interlaced(struct png_read *s, size_t rowbytes, uint32_t height)
{
	size_t total, ptrs, y;

	if (size_mul(rowbytes, height, &total) < 0 ||
	    size_mul(sizeof(png_bytep), height, &ptrs) < 0) {
		errno = ENOMEM;
		return -1;
	}
	s->row = malloc(total);
	s->rows = malloc(ptrs);
	if (s->row == NULL || s->rows == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (y = 0; y < height; y++)
		s->rows[y] = s->row + y * rowbytes;
	png_read_image(s->png, s->rows);
	for (y = 0; s->w != NULL && y < height; y++) {
		if (pngw_row(s->w, s->rows[y]) < 0)
			return -1;
	}
	return 0;
}

/* Plain PNG: one row in, one row out. Returns as above. */
static int
png_copy_rows(struct png_read *s, size_t rowbytes, uint32_t height)
{
	uint32_t y;

	s->row = malloc(rowbytes);
	if (s->row == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (y = 0; y < height; y++) {
		png_read_row(s->png, s->row, NULL);
		if (s->w != NULL && pngw_row(s->w, s->row) < 0)
			return -1;
	}
	return 0;
}

/* Decode (and re-encode when job->out is set). Returns 0, -1 when
   libpng refused the input (s->msg says why), -2 when the writer
   failed (s->werr). The setjmp is here and only *s outlives it. */
static int
png_decode(struct png_read *s)
{
	struct pngw_header h;
	int ret;

	if (setjmp(png_jmpbuf(s->png)))
		return -1;
	png_set_read_fn(s->png, s, png_read_fn);
	/* Let libpng skip every ancillary chunk but the few we keep:
	   no zTXt/iCCP inflating, no text kept in memory. */
	png_set_keep_unknown_chunks(s->png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
	png_set_keep_unknown_chunks(s->png, PNG_HANDLE_CHUNK_AS_DEFAULT,
	    (png_const_bytep)"gAMA\0sRGB\0pHYs\0", 3);
	png_set_user_limits(s->png, PNG_MAX_CHUNK, PNG_MAX_CHUNK);
	png_read_info(s->png, s->info);
	png_header(s, &h);
	if (png_get_interlace_type(s->png, s->info) != PNG_INTERLACE_NONE)
		png_set_interlace_handling(s->png);
	png_read_update_info(s->png, s->info);
	if (s->job->out != NULL) {
		s->w = pngw_begin(s->job->out, &h);
		if (s->w == NULL) {
			s->werr = errno;
			return -2;
		}
	}
	if (png_get_interlace_type(s->png, s->info) != PNG_INTERLACE_NONE)
		ret = png_copy_interlaced(s, png_get_rowbytes(s->png, s->info),
		    h.height);
	else
		ret = png_copy_rows(s, png_get_rowbytes(s->png, s->info),
		    h.height);
	if (ret < 0) {
		s->werr = errno;
		return -2;
	}
	/* Reads the chunks after the image data: checks their CRCs and
	   that IDAT really ended. */
	png_read_end(s->png, NULL);
	return 0;
}

static int
png_finish(struct png_read *s)
{
	struct image_job *job = s->job;
	int ret = png_decode(s);

	if (ret == 0 && s->w != NULL) {
		ret = pngw_finish(s->w);
		s->w = NULL;
		if (ret < 0) {
			s->werr = errno;
			ret = -2;
		}
	}
	pngw_abort(s->w);
	free(s->row);
	free(s->rows);
	png_destroy_read_struct(&s->png, &s->info, NULL);
	if (ret == -1)
		return image_malformed(job, "PNG cannot be decoded: %s",
		    s->msg);
	if (ret == -2)
		return image_internal(job, "cannot write the rebuilt PNG: %s",
		    strerror(s->werr));
	return 0;
}

int
image_png(struct image_job *job)
{
	struct png_read s;
	size_t end;

	if (job->len < PNG_SIG_LEN ||
	    memcmp(job->in, "\x89PNG\r\n\x1a\n", PNG_SIG_LEN) != 0)
		return image_malformed(job, "no PNG signature");
	end = png_walk(job);
	if (end == 0)
		return 0;
	if (end < job->len)
		image_trailing(job, "IEND", end);
	memset(&s, 0, sizeof(s));
	s.job = job;
	s.data = job->in;
	s.len = end;
	s.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &s,
	    png_error_fn, png_warning_fn);
	if (s.png == NULL)
		return image_internal(job, "out of memory");
	s.info = png_create_info_struct(s.png);
	if (s.info == NULL) {
		png_destroy_read_struct(&s.png, NULL, NULL);
		return image_internal(job, "out of memory");
	}
	return png_finish(&s);
}
