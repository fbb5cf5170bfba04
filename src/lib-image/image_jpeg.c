/*
 * image_jpeg - JPEG in, JPEG out: marker walk for findings, libjpeg-turbo
 * for the pixels in both directions.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "image_jpeg.h"
#include "sizeops.h"

#define JPEG_QUALITY		90
/* A progressive JPEG needs about ten scans; thousands of tiny scans
   make libjpeg redo the whole coefficient pass for each (a known CPU
   bomb). 500 is the cap libjpeg-turbo's own fuzzers use. This bounds
   the structure, not a policy, so it is not in limits.h. */
#define JPEG_MAX_SCANS		500
#define JPEG_OUT_CHUNK		65536

/* What the marker walk learned. */
struct jpeg_walk {
	size_t end;		/* offset just past EOI */
	int orientation;	/* EXIF orientation 1..8 */
	bool seen_exif;
};

struct jpeg_err {
	struct jpeg_error_mgr pub;
	struct jpeg_job *s;
};

struct jpeg_job {
	struct image_job *job;
	const struct jpeg_walk *walk;
	struct jpeg_decompress_struct d;
	struct jpeg_compress_struct c;
	struct jpeg_err derr, cerr;
	struct jpeg_destination_mgr dest;
	bool d_made, c_made;
	bool truncated;		/* libjpeg ran out of data */
	int failed;		/* 1 decoder, 2 encoder (werr) */
	int werr;
	jmp_buf jb;
	unsigned char *stage;	/* compressed bytes on their way to out */
	unsigned char *in_row;	/* one decoded row (CMYK needs 4 bytes) */
	unsigned char *image;	/* whole image when the orientation moves
				   pixels across rows */
	unsigned char *out_row;
	char msg[JMSG_LENGTH_MAX];
};

/* Walk ----------------------------------------------------------------- */

/* EXIF orientation from the TIFF structure of an APP1 Exif payload
   (after "Exif\0\0"). Anything odd gives 1: a wrong guess only turns
   the picture, it never reads out of bounds. */
static int
jpeg_exif_orientation(const unsigned char *t, size_t n)
{
	bool le;
	uint32_t ifd;
	uint16_t count, i;
	const unsigned char *e;

	if (n < 8 || (memcmp(t, "II*\0", 4) != 0 && memcmp(t, "MM\0*", 4) != 0))
		return 1;
	le = t[0] == 'I';
	ifd = le ? image_le32(t + 4) : image_be32(t + 4);
	if (ifd > n || n - ifd < 2)
		return 1;
	count = le ? image_le16(t + ifd) : image_be16(t + ifd);
	for (i = 0; i < count; i++) {
		if ((n - ifd - 2) / 12 <= i)
			return 1;
		e = t + ifd + 2 + (size_t)i * 12;
		if ((le ? image_le16(e) : image_be16(e)) != 0x0112)
			continue;
		if ((le ? image_le16(e + 2) : image_be16(e + 2)) != 3)
			return 1;
		i = le ? image_le16(e + 8) : image_be16(e + 8);
		return i >= 1 && i <= 8 ? i : 1;
	}
	return 1;
}

static bool
jpeg_has_id(const unsigned char *p, size_t n, const char *id, size_t idlen)
{
	return n >= idlen && memcmp(p, id, idlen) == 0;
}

/* Record the finding an APPn or COM segment deserves. */
static void
jpeg_classify(struct image_job *job, struct jpeg_walk *w, int m,
    const unsigned char *p, size_t n)
{
	char name[8];

	if (m == 0xe0 && jpeg_has_id(p, n, "JFIF\0", 5))
		return;		/* density and version: kept */
	if (m == 0xee && jpeg_has_id(p, n, "Adobe", 5))
		return;		/* colour transform flag, used by libjpeg */
	if (m == 0xfe) {
		image_metadata(job, "COM", "comment");
	} else if (m == 0xe0 && jpeg_has_id(p, n, "JFXX\0", 5)) {
		image_metadata(job, "JFXX", "JFIF thumbnail");
	} else if (m == 0xe1 && jpeg_has_id(p, n, "Exif\0", 5)) {
		image_metadata(job, "EXIF", "EXIF (camera, GPS, thumbnail)");
		if (!w->seen_exif && n >= 6)
			w->orientation = jpeg_exif_orientation(p + 6, n - 6);
		w->seen_exif = true;
	} else if (m == 0xe1 && (jpeg_has_id(p, n,
	    "http://ns.adobe.com/xap/1.0/", 28) || jpeg_has_id(p, n,
	    "http://ns.adobe.com/xmp/extension/", 34))) {
		image_metadata(job, "XMP", "XMP packet");
	} else if (m == 0xe2 && jpeg_has_id(p, n, "ICC_PROFILE\0", 12)) {
		image_metadata(job, "ICC", "ICC profile");
	} else if (m == 0xe2 && jpeg_has_id(p, n, "MPF\0", 4)) {
		image_metadata(job, "MPF", "multi-picture index");
	} else if (m == 0xed && jpeg_has_id(p, n, "Photoshop 3.0\0", 14)) {
		image_metadata(job, "IPTC", "Photoshop resources (IPTC)");
	} else {
		snprintf(name, sizeof(name), "APP%u", (unsigned)(m - 0xe0) & 0xfu);
		image_metadata(job, name, "application segment");
	}
}

/* Skip entropy-coded data from pos: returns the offset of the 0xFF
   that starts the next marker, or 0 when the data runs out. */
static size_t
jpeg_skip_scan(const unsigned char *in, size_t len, size_t pos)
{
	const unsigned char *q;
	unsigned char b;

	for (;;) {
		q = memchr(in + pos, 0xff, len - pos);
		if (q == NULL)
			return 0;
		pos = (size_t)(q - in);
		if (len - pos < 2)
			return 0;
		b = in[pos + 1];
		if (b == 0x00 || (b >= 0xd0 && b <= 0xd7))
			pos += 2;	/* stuffed byte or restart */
		else if (b == 0xff)
			pos++;		/* fill byte before a marker */
		else
			return pos;
	}
}

/* Start of frame: C0-CF but DHT (C4), JPG (C8) and DAC (CC). */
static bool
jpeg_is_sof(int m)
{
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/* Walk the markers from SOI to EOI. The frame size is checked against
   the pixel limit here, before libjpeg sees the file. Returns 0, or -1
   after recording image.malformed or limit.image_pixels. */
static int
jpeg_walk(struct image_job *job, struct jpeg_walk *w)
{
	const unsigned char *in = job->in;
	size_t len = job->len, pos = 2, seglen;
	unsigned scans = 0;
	int m;

	for (;;) {
		while (pos < len && in[pos] != 0xff)
			pos++;		/* junk between segments, as libjpeg */
		while (pos < len && in[pos] == 0xff)
			pos++;
		if (pos >= len)
			return image_malformed(job, "JPEG ends without EOI") - 1;
		m = in[pos++];
		if (m == 0xd9) {
			w->end = pos;
			return 0;
		}
		if ((m >= 0xd0 && m <= 0xd7) || m == 0x01)
			continue;
		if (m == 0xd8 || m == 0x00)
			return image_malformed(job, "JPEG marker 0x%02x out of "
			    "place at offset %zu", m, pos - 1) - 1;
		if (len - pos < 2 || (seglen = image_be16(in + pos)) < 2 ||
		    len - pos < seglen)
			return image_malformed(job, "JPEG segment 0x%02x at "
			    "offset %zu is cut short", m, pos - 1) - 1;
		if ((m >= 0xe0 && m <= 0xef) || m == 0xfe)
			jpeg_classify(job, w, m, in + pos + 2, seglen - 2);
		if (jpeg_is_sof(m) && seglen >= 7 &&
		    !image_pixels_ok(job, image_be16(in + pos + 5),
		    image_be16(in + pos + 3)))
			return -1;
		pos += seglen;
		if (m != 0xda)
			continue;
		if (++scans > JPEG_MAX_SCANS)
			return image_malformed(job, "JPEG has more than %d "
			    "scans", JPEG_MAX_SCANS) - 1;
		pos = jpeg_skip_scan(in, len, pos);
		if (pos == 0)
			return image_malformed(job, "JPEG ends inside scan "
			    "data (no EOI)") - 1;
	}
}

/* libjpeg callbacks ----------------------------------------------------- */

static void
jpeg_error_exit(j_common_ptr cinfo)
{
	struct jpeg_err *e = (struct jpeg_err *)cinfo->err;

	if (e->s->failed == 0) {
		e->s->failed = cinfo->is_decompressor ? 1 : 2;
		(*cinfo->err->format_message)(cinfo, e->s->msg);
	}
	longjmp(e->s->jb, 1);
}

/* Warnings are never printed. Running out of data is remembered: the
   image would otherwise come out silently grey at the bottom. */
static void
jpeg_emit_message(j_common_ptr cinfo, int level)
{
	struct jpeg_err *e = (struct jpeg_err *)cinfo->err;

	if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF)
		e->s->truncated = true;
}

static void
jpeg_output_message(j_common_ptr cinfo)
{
}

static void
jpeg_dest_init(j_compress_ptr c)
{
	c->dest->next_output_byte = ((struct jpeg_job *)c->client_data)->stage;
	c->dest->free_in_buffer = JPEG_OUT_CHUNK;
}

static void
jpeg_dest_flush(j_compress_ptr c, size_t n)
{
	struct jpeg_job *s = c->client_data;

	if (buffer_append(s->job->out, s->stage, n) < 0) {
		s->werr = errno == EFBIG ? EFBIG : ENOMEM;
		ERREXIT(c, JERR_FILE_WRITE);
	}
}

static boolean
jpeg_dest_empty(j_compress_ptr c)
{
	jpeg_dest_flush(c, JPEG_OUT_CHUNK);
	jpeg_dest_init(c);
	return TRUE;
}

static void
jpeg_dest_term(j_compress_ptr c)
{
	jpeg_dest_flush(c, JPEG_OUT_CHUNK - c->dest->free_in_buffer);
}

static void
jpeg_err_init(struct jpeg_job *s, struct jpeg_err *e)
{
	jpeg_std_error(&e->pub);
	e->pub.error_exit = jpeg_error_exit;
	e->pub.emit_message = jpeg_emit_message;
	e->pub.output_message = jpeg_output_message;
	e->s = s;
}

/* Pixels --------------------------------------------------------------- */

/* CMYK (Adobe files store it inverted) to RGB, naive but what every
   viewer without colour management shows. */
static void
jpeg_cmyk_row(const struct jpeg_job *s, const unsigned char *src,
    unsigned char *dst)
{
	JDIMENSION x, n = s->d.output_width;
	bool inv = s->d.saw_Adobe_marker;
	unsigned c, m, y, k;

	for (x = 0; x < n; x++, src += 4, dst += 3) {
		c = inv ? src[0] : 255 - src[0];
		m = inv ? src[1] : 255 - src[1];
		y = inv ? src[2] : 255 - src[2];
		k = inv ? src[3] : 255 - src[3];
		dst[0] = (unsigned char)((c * k + 127) / 255);
		dst[1] = (unsigned char)((m * k + 127) / 255);
		dst[2] = (unsigned char)((y * k + 127) / 255);
	}
}

/* Decode the next row into dst (out_components bytes per pixel). */
static void
jpeg_next_row(struct jpeg_job *s, unsigned char *dst)
{
	JSAMPROW row = s->d.out_color_space == JCS_CMYK ? s->in_row : dst;

	/* A memory source never suspends: no row means a broken stream. */
	if (jpeg_read_scanlines(&s->d, &row, 1) != 1)
		ERREXIT(&s->d, JERR_INPUT_EMPTY);
	if (s->d.out_color_space == JCS_CMYK)
		jpeg_cmyk_row(s, s->in_row, dst);
}

/* Output row y of the oriented image, built from the whole image. */
static void
jpeg_orient_row(struct jpeg_job *s, JDIMENSION y, int comps)
{
	size_t w = s->d.output_width, h = s->d.output_height;
	size_t ow = s->c.image_width, x, sx, sy;
	int o = s->walk->orientation, k;

	for (x = 0; x < ow; x++) {
		switch (o) {
		case 2: sx = w - 1 - x; sy = y; break;
		case 3: sx = w - 1 - x; sy = h - 1 - y; break;
		case 4: sx = x; sy = h - 1 - y; break;
		case 5: sx = y; sy = x; break;
		case 6: sx = y; sy = h - 1 - x; break;
		case 7: sx = w - 1 - y; sy = h - 1 - x; break;
		case 8: sx = w - 1 - y; sy = x; break;
		default: sx = x; sy = y; break;
		}
		for (k = 0; k < comps; k++)
			s->out_row[x * comps + k] =
			    s->image[(sy * w + sx) * comps + k];
	}
}

static void
jpeg_alloc(struct jpeg_job *s, unsigned char **p, size_t a, size_t b)
{
	size_t n;

	if (size_mul(a, b, &n) < 0 || (*p = malloc(n)) == NULL) {
		s->werr = ENOMEM;
		ERREXIT(&s->c, JERR_OUT_OF_MEMORY);
	}
}

/* Set up the encoder for the decoded image, oriented. */
static void
jpeg_start_encoder(struct jpeg_job *s, int comps)
{
	bool swap = s->walk->orientation >= 5;

	jpeg_create_compress(&s->c);
	s->c_made = true;
	s->c.client_data = s;
	s->dest.init_destination = jpeg_dest_init;
	s->dest.empty_output_buffer = jpeg_dest_empty;
	s->dest.term_destination = jpeg_dest_term;
	s->c.dest = &s->dest;
	jpeg_alloc(s, &s->stage, 1, JPEG_OUT_CHUNK);
	s->c.image_width = swap ? s->d.output_height : s->d.output_width;
	s->c.image_height = swap ? s->d.output_width : s->d.output_height;
	s->c.input_components = comps;
	s->c.in_color_space = comps == 1 ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_set_defaults(&s->c);
	jpeg_set_quality(&s->c, JPEG_QUALITY, TRUE);
	if (s->d.saw_JFIF_marker) {
		s->c.density_unit = s->d.density_unit;
		s->c.X_density = swap ? s->d.Y_density : s->d.X_density;
		s->c.Y_density = swap ? s->d.X_density : s->d.Y_density;
	}
	jpeg_start_compress(&s->c, TRUE);
}

/* Copy the pixels: row by row, or through the whole image when the
   orientation moves them across rows. */
static void
jpeg_copy_pixels(struct jpeg_job *s, int comps)
{
	JDIMENSION y, h = s->d.output_height;
	bool whole = s->job->out != NULL && s->walk->orientation != 1;
	JSAMPROW row;

	if (whole) {
		jpeg_alloc(s, &s->image, (size_t)s->d.output_width * comps, h);
		for (y = 0; y < h; y++)
			jpeg_next_row(s, s->image +
			    (size_t)y * s->d.output_width * comps);
		jpeg_alloc(s, &s->out_row, s->c.image_width, comps);
		for (y = 0; y < s->c.image_height; y++) {
			jpeg_orient_row(s, y, comps);
			row = s->out_row;
			jpeg_write_scanlines(&s->c, &row, 1);
		}
		return;
	}
	jpeg_alloc(s, &s->out_row, s->d.output_width, comps);
	for (y = 0; y < h; y++) {
		jpeg_next_row(s, s->out_row);
		row = s->out_row;
		if (s->job->out != NULL)
			jpeg_write_scanlines(&s->c, &row, 1);
	}
}

/* Decode and re-encode. Returns 0, 1 when the pixel limit stopped it
   (finding recorded), -1 after a libjpeg error (s->failed says whose).
   The setjmp is here; only *s outlives the jump. */
static int
jpeg_transcode(struct jpeg_job *s)
{
	int comps;

	if (setjmp(s->jb))
		return -1;
	jpeg_create_decompress(&s->d);
	s->d_made = true;
	jpeg_mem_src(&s->d, s->job->in, s->walk->end);
	if (jpeg_read_header(&s->d, TRUE) != JPEG_HEADER_OK)
		ERREXIT(&s->d, JERR_NO_IMAGE);
	if (!image_pixels_ok(s->job, s->d.image_width, s->d.image_height))
		return 1;
	if (s->d.jpeg_color_space == JCS_GRAYSCALE)
		s->d.out_color_space = JCS_GRAYSCALE;
	else if (s->d.jpeg_color_space == JCS_CMYK ||
	    s->d.jpeg_color_space == JCS_YCCK)
		s->d.out_color_space = JCS_CMYK;
	else
		s->d.out_color_space = JCS_RGB;
	jpeg_start_decompress(&s->d);
	comps = s->d.out_color_space == JCS_GRAYSCALE ? 1 : 3;
	if (s->d.out_color_space == JCS_CMYK)
		jpeg_alloc(s, &s->in_row, s->d.output_width, 4);
	if (s->job->out != NULL)
		jpeg_start_encoder(s, comps);
	jpeg_copy_pixels(s, comps);
	jpeg_finish_decompress(&s->d);
	if (s->job->out != NULL)
		jpeg_finish_compress(&s->c);
	return 0;
}

static int
jpeg_run(struct image_job *job, const struct jpeg_walk *walk)
{
	struct jpeg_job *s;
	int ret;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return image_internal(job, "out of memory");
	s->job = job;
	s->walk = walk;
	jpeg_err_init(s, &s->derr);
	jpeg_err_init(s, &s->cerr);
	s->d.err = &s->derr.pub;
	s->c.err = &s->cerr.pub;
	ret = jpeg_transcode(s);
	if (s->d_made)
		jpeg_destroy_decompress(&s->d);
	if (s->c_made)
		jpeg_destroy_compress(&s->c);
	free(s->stage);
	free(s->in_row);
	free(s->image);
	free(s->out_row);
	if (ret == 1)
		ret = 0;
	else if (ret < 0 && s->failed == 2)
		ret = image_internal(job, "cannot write the rebuilt JPEG: %s",
		    s->werr != 0 ? strerror(s->werr) : s->msg);
	else if (ret < 0)
		ret = image_malformed(job, "JPEG cannot be decoded: %s",
		    s->msg);
	else if (s->truncated)
		ret = image_malformed(job, "JPEG data ends too early");
	free(s);
	return ret;
}

int
image_jpeg(struct image_job *job)
{
	struct jpeg_walk walk = { .orientation = 1 };

	if (job->len < 3 || job->in[0] != 0xff || job->in[1] != 0xd8)
		return image_malformed(job, "no JPEG SOI marker");
	if (jpeg_walk(job, &walk) < 0)
		return 0;
	if (walk.end < job->len)
		image_trailing(job, "EOI", walk.end);
	return jpeg_run(job, &walk);
}
