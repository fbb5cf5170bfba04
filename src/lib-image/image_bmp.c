/*
 * image_bmp - BMP in, PNG out: a strict BMP decoder feeding image_pngw.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image_bmp.h"
#include "image_pngw.h"
#include "sizeops.h"

#define BMP_FILE_HEADER	14
#define BI_RGB		0
#define BI_RLE8		1
#define BI_RLE4		2
#define BI_BITFIELDS	3
#define BI_JPEG		4
#define BI_PNG		5
#define BI_ALPHABITFIELDS 6
#define LCS_EMBEDDED	0x4d424544	/* 'MBED' */
#define LCS_LINKED	0x4c494e4b	/* 'LINK' */

struct bmp_mask {
	uint32_t mask;
	unsigned shift, bits;
};

struct bmp {
	struct image_job *job;
	uint32_t width, height;
	bool top_down, core, alpha;
	unsigned bpp, compression;
	size_t hsize, off, stride;
	size_t end;		/* end of what the header accounts for */
	struct bmp_mask m[4];	/* red, green, blue, alpha */
	png_color palette[256];
	unsigned colors;
	uint32_t xppm, yppm;
};

/* Header ---------------------------------------------------------------- */

/* Fill a channel mask; returns -1 when the bits are not contiguous. */
static int
bmp_set_mask(struct bmp_mask *m, uint32_t mask)
{
	m->mask = mask;
	m->shift = mask == 0 ? 0 : (unsigned)__builtin_ctz(mask);
	m->bits = (unsigned)__builtin_popcount(mask);
	if (mask != 0 && (mask >> m->shift) != (m->bits == 32 ?
	    0xffffffffU : (1U << m->bits) - 1))
		return -1;
	return 0;
}

/* Masks: from the header (V2+), after it (INFO with bit fields), or
   the defaults (5-5-5, 8-8-8). */
static int
bmp_masks(struct bmp *b)
{
	const unsigned char *in = b->job->in, *p;
	uint32_t v[4] = { 0, 0, 0, 0 };
	size_t need;
	int i;

	if (b->compression == BI_RGB) {
		if (b->bpp == 16) {
			v[0] = 0x7c00; v[1] = 0x3e0; v[2] = 0x1f;
		} else {
			v[0] = 0xff0000; v[1] = 0xff00; v[2] = 0xff;
		}
	} else {
		need = b->compression == BI_ALPHABITFIELDS ? 16 : 12;
		p = in + BMP_FILE_HEADER + (b->hsize >= 52 ? 40 : b->hsize);
		if (b->hsize < 52 && (size_t)(p - in) + need > b->job->len)
			return image_malformed(b->job, "BMP bit fields cut "
			    "short") - 1;
		for (i = 0; i < 3; i++)
			v[i] = image_le32(p + 4 * i);
		if (b->hsize >= 56 || need == 16)
			v[3] = image_le32(p + 12);
	}
	for (i = 0; i < 4; i++) {
		if (bmp_set_mask(&b->m[i], v[i]) < 0)
			return image_malformed(b->job, "BMP bit field 0x%08x "
			    "is not contiguous", v[i]) - 1;
	}
	b->alpha = v[3] != 0;
	return 0;
}

/* The colour table, padded with black to 2^bpp entries so that every
   index of the pixel data is valid in the PNG. 8-bit images are padded
   only up to their largest index (bmp_fit_palette): 768 bytes of black
   entries would often outweigh the image. */
static int
bmp_palette(struct bmp *b)
{
	const unsigned char *in = b->job->in, *p;
	size_t esize = b->core ? 3 : 4, pos, n, i;
	uint32_t used = b->core ? 0 : image_le32(in + BMP_FILE_HEADER + 32);

	n = used == 0 || used > 1U << b->bpp ? 1U << b->bpp : used;
	b->colors = b->bpp == 8 ? (unsigned)n : 1U << b->bpp;
	pos = BMP_FILE_HEADER + b->hsize;
	if (b->compression == BI_BITFIELDS && b->hsize == 40)
		pos += 12;
	if (pos > b->job->len || (b->job->len - pos) / esize < n)
		return image_malformed(b->job, "BMP colour table cut "
		    "short") - 1;
	memset(b->palette, 0, sizeof(b->palette));
	for (i = 0; i < n; i++) {
		p = in + pos + i * esize;
		b->palette[i].red = p[2];
		b->palette[i].green = p[1];
		b->palette[i].blue = p[0];
	}
	return 0;
}

/* V5 colour profile: embedded data or a link to a file, both dropped. */
static void
bmp_profile(struct bmp *b)
{
	const unsigned char *h = b->job->in + BMP_FILE_HEADER;
	uint32_t cstype, off, size;
	size_t end;

	if (b->hsize < 124)
		return;
	cstype = image_le32(h + 56);
	off = image_le32(h + 112);
	size = image_le32(h + 116);
	if (cstype == LCS_EMBEDDED)
		image_metadata(b->job, "ICC", "embedded ICC profile");
	else if (cstype == LCS_LINKED)
		image_metadata(b->job, "ICC_link", "link to a profile file");
	else
		return;
	/* The profile usually sits after the pixels: not trailing. */
	if (size_add(BMP_FILE_HEADER + (size_t)off, size, &end) == 0 &&
	    end <= b->job->len && end > b->end)
		b->end = end;
}

static int
bmp_check_format(struct bmp *b)
{
	struct image_job *job = b->job;
	bool os2v2 = b->hsize == 16 || b->hsize == 64;

	if (b->compression == BI_JPEG || b->compression == BI_PNG ||
	    (os2v2 && b->compression > BI_RLE4))
		return image_unsupported(job, "BMP with compression %u",
		    b->compression) - 1;
	if (b->width == 0 || b->height == 0)
		return image_malformed(job, "BMP of size %ux%u", b->width,
		    b->height) - 1;
	switch (b->bpp) {
	case 1: case 4: case 8: case 24:
		if (b->compression == BI_RGB ||
		    (b->compression == BI_RLE8 && b->bpp == 8) ||
		    (b->compression == BI_RLE4 && b->bpp == 4))
			break;
		/* FALLTHROUGH */
	case 16: case 32:
		if (b->bpp >= 16 && (b->compression == BI_RGB ||
		    b->compression == BI_BITFIELDS ||
		    b->compression == BI_ALPHABITFIELDS))
			break;
		/* FALLTHROUGH */
	default:
		return image_malformed(job, "BMP with %u bits per pixel and "
		    "compression %u", b->bpp, b->compression) - 1;
	}
	if (b->top_down && b->compression != BI_RGB &&
	    b->compression != BI_BITFIELDS &&
	    b->compression != BI_ALPHABITFIELDS)
		return image_malformed(job, "top-down RLE BMP") - 1;
	return 0;
}

/* Parse both headers. Returns 0, or -1 after recording a finding. */
static int
bmp_header(struct bmp *b)
{
	struct image_job *job = b->job;
	const unsigned char *in = job->in, *h = in + BMP_FILE_HEADER;
	int32_t sh;

	if (job->len < BMP_FILE_HEADER + 12 || in[0] != 'B' || in[1] != 'M')
		return image_malformed(job, "no BMP header") - 1;
	b->off = image_le32(in + 10);
	b->hsize = image_le32(h);
	if (b->hsize != 12 && b->hsize != 16 && b->hsize != 40 &&
	    b->hsize != 52 && b->hsize != 56 && b->hsize != 64 &&
	    b->hsize != 108 && b->hsize != 124)
		return image_malformed(job, "BMP header of %zu bytes",
		    b->hsize) - 1;
	if (job->len - BMP_FILE_HEADER < b->hsize)
		return image_malformed(job, "BMP header cut short") - 1;
	b->core = b->hsize == 12;
	if (b->core) {
		b->width = image_le16(h + 4);
		b->height = image_le16(h + 6);
		b->bpp = image_le16(h + 10);
	} else {
		b->width = image_le32(h + 4);
		sh = (int32_t)image_le32(h + 8);
		b->top_down = sh < 0;
		b->height = sh < 0 ? 0U - (uint32_t)sh : (uint32_t)sh;
		b->bpp = image_le16(h + 14);
		b->compression = b->hsize >= 40 ? image_le32(h + 16) : BI_RGB;
		if (b->hsize >= 40) {
			b->xppm = image_le32(h + 24);
			b->yppm = image_le32(h + 28);
		}
	}
	if (b->width > INT32_MAX || b->height > INT32_MAX)
		return image_malformed(job, "BMP size out of range") - 1;
	if (bmp_check_format(b) < 0)
		return -1;
	if (!image_pixels_ok(job, b->width, b->height))
		return -1;
	if (b->bpp <= 8)
		return bmp_palette(b);
	if (b->bpp == 24)
		return 0;
	return bmp_masks(b);
}

/* Rows ------------------------------------------------------------------ */

static unsigned char
bmp_channel(const struct bmp_mask *m, uint32_t px, unsigned char none)
{
	uint32_t v;
	unsigned bits = m->bits;

	if (m->mask == 0)
		return none;
	v = (px & m->mask) >> m->shift;
	if (bits > 8) {
		v >>= bits - 8;
		bits = 8;
	}
	return (unsigned char)(v * 255 / ((1U << bits) - 1));
}

/* One source row of a direct-colour BMP into RGB(A). */
static void
bmp_convert_row(const struct bmp *b, const unsigned char *src,
    unsigned char *dst)
{
	uint32_t x, px;
	unsigned comps = b->alpha ? 4 : 3;

	for (x = 0; x < b->width; x++, dst += comps) {
		if (b->bpp == 24) {
			dst[0] = src[3 * x + 2];
			dst[1] = src[3 * x + 1];
			dst[2] = src[3 * x];
			continue;
		}
		px = b->bpp == 16 ? image_le16(src + 2 * x) :
		    image_le32(src + 4 * x);
		dst[0] = bmp_channel(&b->m[0], px, 0);
		dst[1] = bmp_channel(&b->m[1], px, 0);
		dst[2] = bmp_channel(&b->m[2], px, 0);
		if (b->alpha)
			dst[3] = bmp_channel(&b->m[3], px, 255);
	}
}

static void
bmp_png_header(const struct bmp *b, struct pngw_header *h, bool rle)
{
	memset(h, 0, sizeof(*h));
	h->width = b->width;
	h->height = b->height;
	if (b->bpp <= 8) {
		h->color_type = PNG_COLOR_TYPE_PALETTE;
		h->bit_depth = rle ? 8 : (int)b->bpp;
		h->palette = b->palette;
		h->num_palette = (int)b->colors;
	} else {
		h->color_type = b->alpha ? PNG_COLOR_TYPE_RGB_ALPHA :
		    PNG_COLOR_TYPE_RGB;
		h->bit_depth = 8;
	}
	if (b->xppm != 0 && b->yppm != 0) {
		h->has_phys = true;
		h->phys_x = b->xppm;
		h->phys_y = b->yppm;
		h->phys_unit = PNG_RESOLUTION_METER;
	}
}

/* Grow an 8-bit palette to cover the largest index of the pixels. */
static void
bmp_fit_palette(struct bmp *b, const unsigned char *base, size_t stride)
{
	uint32_t x, y;
	const unsigned char *row;

	if (b->bpp != 8)
		return;
	for (y = 0; y < b->height; y++) {
		row = base + (size_t)y * stride;
		for (x = 0; x < b->width; x++) {
			if (row[x] >= b->colors)
				b->colors = row[x] + 1U;
		}
	}
}

/* Write rows top to bottom, each from wherever the decoder put it. */
static int
bmp_write(struct bmp *b, const unsigned char *base, size_t stride,
    bool bottom_up, bool rle)
{
	struct pngw_header h;
	struct pngw *w;
	unsigned char *row = NULL;
	const unsigned char *src;
	uint32_t y;
	size_t rowlen;

	bmp_fit_palette(b, base, stride);
	bmp_png_header(b, &h, rle);
	if (b->bpp > 8 && size_mul(b->width, b->alpha ? 4 : 3, &rowlen) == 0)
		row = malloc(rowlen);
	if (b->bpp > 8 && row == NULL)
		return image_internal(b->job, "out of memory");
	w = pngw_begin(b->job->out, &h);
	for (y = 0; w != NULL && y < b->height; y++) {
		src = base + (size_t)(bottom_up ? b->height - 1 - y : y) *
		    stride;
		if (row != NULL)
			bmp_convert_row(b, src, row);
		if (pngw_row(w, row != NULL ? row : src) < 0) {
			pngw_abort(w);
			w = NULL;
		}
	}
	free(row);
	if (w == NULL || pngw_finish(w) < 0)
		return image_internal(b->job, "cannot write the PNG: %s",
		    strerror(errno));
	return 0;
}

/* RLE -------------------------------------------------------------------- */

static void
bmp_rle_put(const struct bmp *b, unsigned char *img, size_t x, size_t y,
    unsigned char v)
{
	if (x < b->width && y < b->height)
		img[(b->height - 1 - y) * b->width + x] = v;
}

/* An absolute run of n pixels at in[*pos]. Returns -1 if cut short. */
static int
bmp_rle_literal(const struct bmp *b, unsigned char *img, size_t *pos,
    size_t *x, size_t y, unsigned n)
{
	const unsigned char *in = b->job->in;
	size_t bytes = b->compression == BI_RLE8 ? n : (n + 1) / 2, i;

	bytes += bytes & 1;	/* runs are padded to 16 bits */
	if (b->job->len - *pos < bytes)
		return -1;
	for (i = 0; i < n; i++, (*x)++)
		bmp_rle_put(b, img, *x, y, b->compression == BI_RLE8 ?
		    in[*pos + i] : (i & 1 ? in[*pos + i / 2] & 0x0f :
		    in[*pos + i / 2] >> 4));
	*pos += bytes;
	return 0;
}

/* Decode RLE into img (width x height indices, top row first).
   Returns the offset after the end-of-bitmap code, or 0 if malformed.
   Pixels past the right edge are dropped, as every decoder does. */
static size_t
bmp_rle(const struct bmp *b, unsigned char *img)
{
	const unsigned char *in = b->job->in;
	size_t pos = b->off, len = b->job->len, x = 0, y = 0, i;
	unsigned c, d;

	while (len - pos >= 2) {
		c = in[pos];
		d = in[pos + 1];
		pos += 2;
		if (c > 0) {
			for (i = 0; i < c; i++, x++)
				bmp_rle_put(b, img, x, y,
				    b->compression == BI_RLE8 ? (unsigned char)d :
				    (unsigned char)(i & 1 ? d & 0x0f : d >> 4));
		} else if (d == 0) {
			x = 0;
			y++;
		} else if (d == 1) {
			return pos;
		} else if (d == 2) {
			if (len - pos < 2)
				return 0;
			x += in[pos];
			y += in[pos + 1];
			pos += 2;
		} else if (bmp_rle_literal(b, img, &pos, &x, y, d) < 0)
			return 0;
	}
	return 0;
}

static int
bmp_decode_rle(struct bmp *b)
{
	unsigned char *img;
	size_t n;
	int ret = 0;

	if (b->off >= b->job->len)
		return image_malformed(b->job, "BMP pixel data missing");
	if (size_mul(b->width, b->height, &n) < 0 ||
	    (img = calloc(1, n)) == NULL)
		return image_internal(b->job, "out of memory");
	b->end = bmp_rle(b, img);
	if (b->end == 0)
		ret = image_malformed(b->job, "BMP RLE data without end of "
		    "bitmap");
	else {
		bmp_profile(b);
		if (b->job->out != NULL)
			ret = bmp_write(b, img, b->width, false, true);
	}
	free(img);
	return ret;
}

/* Uncompressed -------------------------------------------------------- */

static int
bmp_decode_plain(struct bmp *b)
{
	size_t bits, total;

	if (size_mul(b->width, b->bpp, &bits) < 0 ||
	    size_add(bits, 31, &bits) < 0)
		return image_malformed(b->job, "BMP row too long");
	b->stride = bits / 32 * 4;
	if (size_mul(b->stride, b->height, &total) < 0 ||
	    size_add(total, b->off, &b->end) < 0 || b->end > b->job->len)
		return image_malformed(b->job, "BMP pixel data cut short");
	bmp_profile(b);
	if (b->job->out == NULL)
		return 0;
	return bmp_write(b, b->job->in + b->off, b->stride, !b->top_down,
	    false);
}

/* True when any byte from the end of the bitmap on is not zero: some
   writers pad files, which hides nothing. */
static bool
bmp_has_trailing(const struct bmp *b)
{
	size_t i;

	for (i = b->end; i < b->job->len; i++) {
		if (b->job->in[i] != 0)
			return true;
	}
	return false;
}

int
image_bmp(struct image_job *job)
{
	struct bmp b;
	int ret;

	memset(&b, 0, sizeof(b));
	b.job = job;
	if (bmp_header(&b) < 0)
		return 0;
	if (b.compression == BI_RLE8 || b.compression == BI_RLE4)
		ret = bmp_decode_rle(&b);
	else
		ret = bmp_decode_plain(&b);
	if (ret == 0 && !report_has_action(job->r, FINDING_BLOCKED) &&
	    bmp_has_trailing(&b))
		image_trailing(job, "pixel data", b.end);
	return ret;
}
