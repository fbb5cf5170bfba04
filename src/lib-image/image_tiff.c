/*
 * image_tiff - TIFF in, PNG out: libtiff over a memory stream, pages
 * stacked into one PNG.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

#include "image_pngw.h"
#include "image_tiff.h"
#include "sizeops.h"

struct tiff_job {
	struct image_job *job;
	TIFF *tif;
	uint64_t pos;		/* stream offset, may point past the end */
	bool failed;		/* libtiff reported an error */
	char msg[160];		/* its first error */
	uint32_t width;		/* widest page */
	uint64_t height;	/* sum of page heights */
	unsigned pages;
	bool alpha;		/* some page has an alpha channel */
	struct pngw *w;
	uint32_t *raster;
	unsigned char *row;
};

/* libtiff I/O over job->in --------------------------------------------- */

static tmsize_t
tiff_read(thandle_t h, void *buf, tmsize_t n)
{
	struct tiff_job *s = h;
	uint64_t left;

	if (n <= 0 || s->pos >= s->job->len)
		return 0;
	left = s->job->len - s->pos;
	if ((uint64_t)n > left)
		n = (tmsize_t)left;
	memcpy(buf, s->job->in + s->pos, (size_t)n);
	s->pos += (uint64_t)n;
	return n;
}

static tmsize_t
tiff_write(thandle_t h, void *buf, tmsize_t n)
{
	return -1;
}

static toff_t
tiff_seek(thandle_t h, toff_t off, int whence)
{
	struct tiff_job *s = h;
	uint64_t base = whence == SEEK_CUR ? s->pos :
	    whence == SEEK_END ? s->job->len : 0;

	if (off > UINT64_MAX - base)
		return (toff_t)-1;
	s->pos = base + off;
	return s->pos;
}

static int
tiff_close(thandle_t h)
{
	return 0;
}

static toff_t
tiff_size(thandle_t h)
{
	return ((struct tiff_job *)h)->job->len;
}

static int
tiff_map(thandle_t h, void **base, toff_t *size)
{
	return 0;
}

static void
tiff_unmap(thandle_t h, void *base, toff_t size)
{
}

/* libtiff hands us its own format string: declare it as one. */
static int tiff_error(TIFF *, void *, const char *, const char *, va_list)
	__attribute__((format(printf, 4, 0)));

static int
tiff_error(TIFF *tif, void *user, const char *module, const char *fmt,
    va_list ap)
{
	struct tiff_job *s = user;

	if (!s->failed)
		vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	s->failed = true;
	return 1;
}

static int
tiff_warning(TIFF *tif, void *user, const char *module, const char *fmt,
    va_list ap)
{
	return 1;
}

/* Tags -------------------------------------------------------------------- */

/* Record the descriptive tags of the current directory. Every custom
   tag is something a PNG will not carry; name the well-known ones the
   way people know them. */
static void
tiff_tags(struct tiff_job *s)
{
	int i, n = TIFFGetTagListCount(s->tif);
	uint32_t tag;
	const TIFFField *f;
	const char *name;

	for (i = 0; i < n; i++) {
		tag = TIFFGetTagListEntry(s->tif, i);
		f = TIFFFieldWithTag(s->tif, tag);
		switch (tag) {
		case TIFFTAG_EXIFIFD: name = "EXIF"; break;
		case TIFFTAG_GPSIFD: name = "GPS"; break;
		case TIFFTAG_XMLPACKET: name = "XMP"; break;
		case TIFFTAG_RICHTIFFIPTC: name = "IPTC"; break;
		case TIFFTAG_PHOTOSHOP: name = "Photoshop"; break;
		case TIFFTAG_ICCPROFILE: name = "ICC"; break;
		default:
			name = f == NULL || TIFFFieldIsAnonymous(f) ?
			    "unknown_tags" : TIFFFieldName(f);
			break;
		}
		image_metadata(s->job, name, "TIFF tag %u", (unsigned)tag);
	}
}

/* First pass: findings, page sizes, alpha. Returns 0, or -1 after
   recording a finding. */
static int
tiff_survey(struct tiff_job *s)
{
	uint32_t w, h, subfile;
	uint16_t extra, *info;
	char emsg[1024];

	do {
		tiff_tags(s);
		if (TIFFGetField(s->tif, TIFFTAG_SUBFILETYPE, &subfile) &&
		    (subfile & FILETYPE_REDUCEDIMAGE)) {
			image_metadata(s->job, "thumbnail", "reduced-"
			    "resolution page");
			continue;
		}
		if (!TIFFGetField(s->tif, TIFFTAG_IMAGEWIDTH, &w) ||
		    !TIFFGetField(s->tif, TIFFTAG_IMAGELENGTH, &h) ||
		    w == 0 || h == 0)
			return image_malformed(s->job, "TIFF page without "
			    "size") - 1;
		if (!image_pixels_ok(s->job, w, h))
			return -1;
		if (!TIFFRGBAImageOK(s->tif, emsg))
			return image_malformed(s->job, "TIFF page %u: %s",
			    s->pages, emsg) - 1;
		if (TIFFGetField(s->tif, TIFFTAG_EXTRASAMPLES, &extra,
		    &info) && extra > 0)
			s->alpha = true;
		s->width = w > s->width ? w : s->width;
		s->height += h;
		s->pages++;
	} while (TIFFReadDirectory(s->tif));
	if (s->failed)
		return image_malformed(s->job, "TIFF directory: %s",
		    s->msg) - 1;
	if (s->pages == 0)
		return image_malformed(s->job, "TIFF has no page") - 1;
	return image_pixels_ok(s->job, s->width, s->height) ? 0 : -1;
}

/* Pixels ------------------------------------------------------------------ */

/* One PNG row from a page row, padded to the widest page with white
   (or transparency when the PNG has alpha). */
static void
tiff_row(struct tiff_job *s, const uint32_t *src, uint32_t w)
{
	unsigned comps = s->alpha ? 4 : 3;
	unsigned char *d = s->row;
	uint32_t x;

	for (x = 0; x < w; x++, d += comps) {
		d[0] = TIFFGetR(src[x]);
		d[1] = TIFFGetG(src[x]);
		d[2] = TIFFGetB(src[x]);
		if (s->alpha)
			d[3] = TIFFGetA(src[x]);
	}
	memset(d, s->alpha ? 0 : 255, (size_t)(s->width - w) * comps);
}

/* Decode the current page and write its rows. Returns 0, or -1 after
   recording a finding or an error. */
static int
tiff_page(struct tiff_job *s)
{
	uint32_t w, h, y;
	size_t n;

	TIFFGetField(s->tif, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(s->tif, TIFFTAG_IMAGELENGTH, &h);
	if (size_mul(w, h, &n) < 0 || size_mul(n, 4, &n) < 0 ||
	    (s->raster = malloc(n)) == NULL)
		return image_internal(s->job, "out of memory");
	if (!TIFFReadRGBAImageOriented(s->tif, w, h, s->raster,
	    ORIENTATION_TOPLEFT, 1) || s->failed) {
		free(s->raster);
		s->raster = NULL;
		return image_malformed(s->job, "TIFF page cannot be decoded: "
		    "%s", s->msg) - 1;
	}
	for (y = 0; s->w != NULL && y < h; y++) {
		tiff_row(s, s->raster + (size_t)y * w, w);
		if (pngw_row(s->w, s->row) < 0) {
			free(s->raster);
			s->raster = NULL;
			return image_internal(s->job, "cannot write the PNG: "
			    "%s", strerror(errno));
		}
	}
	free(s->raster);
	s->raster = NULL;
	return 0;
}

static int
tiff_begin_png(struct tiff_job *s)
{
	struct pngw_header h;
	size_t n;

	if (s->job->out == NULL)
		return 0;
	if (size_mul(s->width, 4, &n) < 0 || (s->row = malloc(n)) == NULL)
		return image_internal(s->job, "out of memory");
	memset(&h, 0, sizeof(h));
	h.width = s->width;
	h.height = (uint32_t)s->height;
	h.color_type = s->alpha ? PNG_COLOR_TYPE_RGB_ALPHA :
	    PNG_COLOR_TYPE_RGB;
	h.bit_depth = 8;
	s->w = pngw_begin(s->job->out, &h);
	if (s->w == NULL)
		return image_internal(s->job, "cannot write the PNG: %s",
		    strerror(errno));
	return 0;
}

/* Second pass: every page, in order, into one PNG. */
static int
tiff_render(struct tiff_job *s)
{
	uint32_t subfile;

	if (s->height > UINT32_MAX)
		return image_malformed(s->job, "TIFF pages too tall "
		    "together") - 1;
	if (tiff_begin_png(s) < 0)
		return -1;
	if (!TIFFSetDirectory(s->tif, 0))
		return image_malformed(s->job, "TIFF directory: %s",
		    s->msg) - 1;
	do {
		if (TIFFGetField(s->tif, TIFFTAG_SUBFILETYPE, &subfile) &&
		    (subfile & FILETYPE_REDUCEDIMAGE))
			continue;
		if (tiff_page(s) < 0)
			return -1;
	} while (TIFFReadDirectory(s->tif));
	if (s->w != NULL) {
		if (pngw_finish(s->w) < 0) {
			s->w = NULL;
			return image_internal(s->job, "cannot write the PNG: "
			    "%s", strerror(errno));
		}
		s->w = NULL;
	}
	return 0;
}

static TIFF *
tiff_open(struct tiff_job *s)
{
	TIFFOpenOptions *o;
	TIFF *tif;

	/* The process-wide handlers print to stderr; a few libtiff paths
	   still use them before the per-handle ones exist. */
	TIFFSetErrorHandler(NULL);
	TIFFSetWarningHandler(NULL);
	o = TIFFOpenOptionsAlloc();
	if (o == NULL)
		return NULL;
	TIFFOpenOptionsSetErrorHandlerExtR(o, tiff_error, s);
	TIFFOpenOptionsSetWarningHandlerExtR(o, tiff_warning, s);
	tif = TIFFClientOpenExt("input", "rm", s, tiff_read, tiff_write,
	    tiff_seek, tiff_close, tiff_size, tiff_map, tiff_unmap, o);
	TIFFOpenOptionsFree(o);
	return tif;
}

int
image_tiff(struct image_job *job)
{
	struct tiff_job s;
	int ret = 0;

	memset(&s, 0, sizeof(s));
	s.job = job;
	s.tif = tiff_open(&s);
	if (s.tif == NULL)
		return image_malformed(job, "TIFF cannot be opened: %s",
		    s.failed ? s.msg : "no memory");
	if (tiff_survey(&s) == 0) {
		if (s.pages > 1)
			report_add(job->r, "image.multipage", FINDING_REPORTED,
			    NULL, "%u pages stacked top to bottom into one "
			    "PNG", s.pages);
		if (tiff_render(&s) < 0 && job->r->error != NULL)
			ret = -1;
	}
	pngw_abort(s.w);
	free(s.row);
	TIFFClose(s.tif);
	return ret;
}
