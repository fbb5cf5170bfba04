/*
 * image_gif - GIF in, GIF out through giflib's record-level API.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>

#include "image_gif.h"
#include "sizeops.h"

#define GIF_MAX_WIDTH	65535	/* widths are 16-bit in GIF */

struct gif_job {
	struct image_job *job;
	size_t pos;		/* read offset in job->in */
	GifFileType *d, *e;	/* decoder, encoder (NULL in inspect) */
	int werr;		/* errno of an output failure */
	GifPixelType *line;
	size_t pixels;		/* sum of frame sizes so far */
	unsigned frames;
	bool gce_pending, loop_written;
	GifByteType gce[4];
};

/* giflib I/O ------------------------------------------------------------ */

static int
gif_read(GifFileType *g, GifByteType *buf, int n)
{
	struct gif_job *s = g->UserData;
	size_t left = s->job->len - s->pos, k = n < 0 ? 0 : (size_t)n;

	if (k > left)
		k = left;
	memcpy(buf, s->job->in + s->pos, k);
	s->pos += k;
	return (int)k;
}

static int
gif_write(GifFileType *g, const GifByteType *buf, int n)
{
	struct gif_job *s = g->UserData;

	if (s->werr != 0)
		return 0;
	if (n > 0 && buffer_append(s->job->out, buf, (size_t)n) < 0) {
		s->werr = errno == EFBIG ? EFBIG : ENOMEM;
		return 0;
	}
	return n;
}

/* Returns -1 after an encoder failure, recorded as internal. */
static int
gif_put_failed(struct gif_job *s)
{
	if (s->werr == 0)
		s->werr = ENOMEM;
	return -1;
}

/* Extensions ------------------------------------------------------------ */

/* Read the sub-blocks of the current extension to its end. Returns
   the number read (0 or more), or -1 when the input breaks. */
static int
gif_skip_blocks(struct gif_job *s, GifByteType *block)
{
	int n = 0;

	while (block != NULL) {
		if (DGifGetExtensionNext(s->d, &block) == GIF_ERROR)
			return -1;
		if (block != NULL)
			n++;
	}
	return n;
}

/* Write the canonical NETSCAPE2.0 looping extension once. */
static int
gif_put_loop(struct gif_job *s, unsigned loops)
{
	GifByteType sub[3] = { 1, loops & 0xff, (loops >> 8) & 0xff };

	if (s->e == NULL || s->loop_written)
		return 0;
	s->loop_written = true;
	if (EGifPutExtensionLeader(s->e, APPLICATION_EXT_FUNC_CODE) ==
	    GIF_ERROR ||
	    EGifPutExtensionBlock(s->e, 11, "NETSCAPE2.0") == GIF_ERROR ||
	    EGifPutExtensionBlock(s->e, 3, sub) == GIF_ERROR ||
	    EGifPutExtensionTrailer(s->e) == GIF_ERROR)
		return gif_put_failed(s);
	return 0;
}

/* An application extension: keep the loop count, drop the rest.
   Returns 0, 1 when the input breaks, -1 on output failure. */
static int
gif_application(struct gif_job *s, GifByteType *block)
{
	char name[12];
	GifByteType *sub = NULL;
	int extra;
	unsigned loops = 0;

	if (block == NULL || block[0] != 11) {
		image_metadata(s->job, "application", "application "
		    "extension with a malformed identifier");
		return gif_skip_blocks(s, block) < 0;
	}
	image_name(name, block + 1, 11);
	if (strcmp(name, "NETSCAPE2.0") != 0 &&
	    strcmp(name, "ANIMEXTS1.0") != 0) {
		image_metadata(s->job, name, "application extension");
		return gif_skip_blocks(s, block) < 0;
	}
	if (DGifGetExtensionNext(s->d, &sub) == GIF_ERROR)
		return 1;
	if (sub != NULL && sub[0] == 3 && sub[1] == 1)
		loops = (unsigned)sub[2] | (unsigned)sub[3] << 8;
	extra = sub == NULL ? 0 : gif_skip_blocks(s, sub);
	if (extra < 0)
		return 1;
	if (extra > 0 || (sub != NULL && (sub[0] != 3 || sub[1] != 1)))
		image_metadata(s->job, name, "extra data in the looping "
		    "extension");
	return gif_put_loop(s, loops) < 0 ? -1 : 0;
}

/* One extension record. Returns 0, 1 when the input breaks, -1 on
   output failure. */
static int
gif_extension(struct gif_job *s)
{
	GifByteType *block;
	int code;
	char name[24];

	if (DGifGetExtension(s->d, &code, &block) == GIF_ERROR)
		return 1;
	switch (code) {
	case GRAPHICS_EXT_FUNC_CODE:
		/* Kept for the next frame; only the defined bits of the
		   packed byte survive. */
		if (block != NULL && block[0] >= 4) {
			s->gce[0] = block[1] & 0x1f;
			memcpy(s->gce + 1, block + 2, 3);
			s->gce_pending = true;
		}
		return gif_skip_blocks(s, block) < 0;
	case APPLICATION_EXT_FUNC_CODE:
		return gif_application(s, block);
	case COMMENT_EXT_FUNC_CODE:
		image_metadata(s->job, "comment", "comment extension");
		break;
	case PLAINTEXT_EXT_FUNC_CODE:
		image_metadata(s->job, "plain_text", "plain text extension");
		break;
	default:
		snprintf(name, sizeof(name), "extension_0x%02x", code & 0xff);
		image_metadata(s->job, name, "unknown extension");
		break;
	}
	return gif_skip_blocks(s, block) < 0;
}

/* Frames ---------------------------------------------------------------- */

/* Check one frame against the pixel limit, alone and summed. */
static bool
gif_frame_ok(struct gif_job *s, const GifImageDesc *im)
{
	size_t n = (size_t)im->Width * (size_t)im->Height;
	struct image_job *job = s->job;

	if (!image_pixels_ok(job, (uint64_t)im->Width, (uint64_t)im->Height))
		return false;
	if (size_add(s->pixels, n, &s->pixels) < 0 ||
	    s->pixels > job->ctx->limits->image_pixels) {
		report_add(job->r, "limit.image_pixels", FINDING_BLOCKED,
		    NULL, "animation frames add up to more than %llu pixels",
		    (unsigned long long)job->ctx->limits->image_pixels);
		return false;
	}
	return true;
}

/* Write the pending graphic control and the image descriptor. */
static int
gif_put_desc(struct gif_job *s, const GifImageDesc *im)
{
	if (s->gce_pending && EGifPutExtension(s->e, GRAPHICS_EXT_FUNC_CODE,
	    4, s->gce) == GIF_ERROR)
		return gif_put_failed(s);
	s->gce_pending = false;
	if (EGifPutImageDesc(s->e, im->Left, im->Top, im->Width, im->Height,
	    im->Interlace, im->ColorMap) == GIF_ERROR)
		return gif_put_failed(s);
	return 0;
}

/* One image record. Returns 0, 1 when the input breaks or a limit
   stops it (finding recorded), -1 on output failure. Lines go out in
   the order they come in, so interlaced frames stay interlaced. */
static int
gif_frame(struct gif_job *s)
{
	const GifImageDesc *im = &s->d->Image;
	int y;

	if (DGifGetImageHeader(s->d) == GIF_ERROR) {
		image_malformed(s->job, "GIF image descriptor: %s",
		    GifErrorString(s->d->Error));
		return 1;
	}
	if (im->Width <= 0 || im->Height <= 0 || im->Width > GIF_MAX_WIDTH) {
		image_malformed(s->job, "GIF frame of size %dx%d", im->Width,
		    im->Height);
		return 1;
	}
	if (im->ColorMap == NULL && s->d->SColorMap == NULL) {
		image_malformed(s->job, "GIF frame without colour map");
		return 1;
	}
	if (!gif_frame_ok(s, im))
		return 1;
	if (s->e != NULL && gif_put_desc(s, im) < 0)
		return -1;
	for (y = 0; y < im->Height; y++) {
		if (DGifGetLine(s->d, s->line, im->Width) == GIF_ERROR) {
			image_malformed(s->job, "GIF frame %u: %s", s->frames,
			    GifErrorString(s->d->Error));
			return 1;
		}
		if (s->e != NULL &&
		    EGifPutLine(s->e, s->line, im->Width) == GIF_ERROR)
			return gif_put_failed(s);
	}
	s->frames++;
	return 0;
}

/* Stream ----------------------------------------------------------------- */

/* Read records up to the trailer. Returns 0, 1 when stopped by a
   finding, -1 on output failure. */
static int
gif_records(struct gif_job *s)
{
	GifRecordType type;
	int ret;

	for (;;) {
		if (DGifGetRecordType(s->d, &type) == GIF_ERROR) {
			/* A missing trailer after whole frames is common
			   and harmless: the output gets one. */
			if (s->pos == s->job->len && s->frames > 0)
				return 0;
			image_malformed(s->job, "GIF record at offset %zu: %s",
			    s->pos, GifErrorString(s->d->Error));
			return 1;
		}
		if (type == TERMINATE_RECORD_TYPE)
			return 0;
		ret = type == IMAGE_DESC_RECORD_TYPE ? gif_frame(s) :
		    gif_extension(s);
		if (ret == 1 && type == EXTENSION_RECORD_TYPE)
			image_malformed(s->job, "GIF extension at offset %zu: "
			    "%s", s->pos, GifErrorString(s->d->Error));
		if (ret != 0)
			return ret;
	}
}

/* Open both ends. Returns 0, 1 when the input is refused, -1. */
static int
gif_open(struct gif_job *s)
{
	int err = 0;
	GifFileType *d;

	s->d = DGifOpen(s, gif_read, &err);
	if (s->d == NULL) {
		if (err == D_GIF_ERR_NOT_ENOUGH_MEM)
			return gif_put_failed(s);
		image_malformed(s->job, "GIF header: %s", GifErrorString(err));
		return 1;
	}
	d = s->d;
	if (!image_pixels_ok(s->job, (uint64_t)d->SWidth,
	    (uint64_t)d->SHeight))
		return 1;
	s->line = malloc(GIF_MAX_WIDTH);
	if (s->line == NULL)
		return gif_put_failed(s);
	if (s->job->out == NULL)
		return 0;
	s->e = EGifOpen(s, gif_write, &err);
	if (s->e == NULL)
		return gif_put_failed(s);
	EGifSetGifVersion(s->e, true);
	if (EGifPutScreenDesc(s->e, d->SWidth, d->SHeight,
	    d->SColorResolution, d->SBackGroundColor, d->SColorMap) ==
	    GIF_ERROR)
		return gif_put_failed(s);
	return 0;
}

/* Close both ends; the encoder writes the trailer. Returns 0 or -1. */
static int
gif_close(struct gif_job *s, bool ok)
{
	int err, ret = 0;

	if (s->e != NULL) {
		if (ok && s->werr == 0) {
			if (EGifCloseFile(s->e, &err) == GIF_ERROR ||
			    s->werr != 0)
				ret = gif_put_failed(s);
		} else {
			/* A failed stream: free without a trailer. */
			s->werr = s->werr != 0 ? s->werr : EIO;
			EGifCloseFile(s->e, &err);
		}
	}
	if (s->d != NULL)
		DGifCloseFile(s->d, &err);
	free(s->line);
	return ret;
}

int
image_gif(struct image_job *job)
{
	struct gif_job s;
	size_t end;
	int ret;

	memset(&s, 0, sizeof(s));
	s.job = job;
	ret = gif_open(&s);
	if (ret == 0)
		ret = gif_records(&s);
	end = s.pos;
	if (ret == 0 && s.frames == 0) {
		image_malformed(job, "GIF has no image");
		ret = 1;
	}
	if (gif_close(&s, ret == 0) < 0 || ret < 0)
		return image_internal(job, "cannot write the rebuilt GIF: %s",
		    strerror(s.werr));
	if (ret == 0 && end < job->len)
		image_trailing(job, "trailer", end);
	return 0;
}
