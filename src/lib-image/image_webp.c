/*
 * image_webp - WebP in, PNG out: RIFF walk for findings, libwebp for the
 * pixels, image_pngw for the rebuilt file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <webp/decode.h>

#include "image_pngw.h"
#include "image_webp.h"
#include "sizeops.h"

#define RIFF_HEADER	12

/* Walk the chunks inside the RIFF. Returns the end of the RIFF, or 0
   after recording a finding. */
static size_t
webp_walk(struct image_job *job)
{
	const unsigned char *in = job->in;
	size_t end, pos = RIFF_HEADER, csize;
	char name[5];

	if (job->len < RIFF_HEADER || memcmp(in, "RIFF", 4) != 0 ||
	    memcmp(in + 8, "WEBP", 4) != 0)
		return image_malformed(job, "no WebP RIFF header");
	end = (size_t)image_le32(in + 4) + 8;
	if (end > job->len || end < RIFF_HEADER + 8)
		return image_malformed(job, "WebP RIFF size %zu does not fit "
		    "the %zu bytes of the file", end, job->len);
	while (end - pos >= 8) {
		csize = image_le32(in + pos + 4);
		if (csize > end - pos - 8)
			return image_malformed(job, "WebP chunk at offset %zu "
			    "is cut short", pos);
		image_name(name, in + pos, 4);
		if (strcmp(name, "ANIM") == 0 || strcmp(name, "ANMF") == 0) {
			image_unsupported(job, "animated WebP");
			return 0;
		}
		if (strcmp(name, "EXIF") == 0)
			image_metadata(job, name, "EXIF chunk");
		else if (strcmp(name, "XMP ") == 0)
			image_metadata(job, "XMP", "XMP chunk");
		else if (strcmp(name, "ICCP") == 0)
			image_metadata(job, "ICC", "ICC profile chunk");
		else if (strcmp(name, "VP8 ") != 0 &&
		    strcmp(name, "VP8L") != 0 && strcmp(name, "VP8X") != 0 &&
		    strcmp(name, "ALPH") != 0)
			image_metadata(job, name, "unknown chunk");
		pos += 8 + csize;
		if (csize & 1 && pos < end)
			pos++;		/* RIFF pads chunks to even sizes */
	}
	return end;
}

/* Write the decoded pixels. */
static int
webp_write(struct image_job *job, const uint8_t *px, int width, int height,
    size_t stride, bool alpha)
{
	struct pngw_header h;
	struct pngw *w;
	int y;

	memset(&h, 0, sizeof(h));
	h.width = (uint32_t)width;
	h.height = (uint32_t)height;
	h.color_type = alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB;
	h.bit_depth = 8;
	w = pngw_begin(job->out, &h);
	for (y = 0; w != NULL && y < height; y++) {
		if (pngw_row(w, px + (size_t)y * stride) < 0) {
			pngw_abort(w);
			w = NULL;
		}
	}
	if (w == NULL || pngw_finish(w) < 0)
		return image_internal(job, "cannot write the PNG: %s",
		    strerror(errno));
	return 0;
}

static int
webp_decode(struct image_job *job, size_t end)
{
	WebPBitstreamFeatures f;
	uint8_t *px;
	size_t stride, n;
	int ret = 0;
	bool ok;

	if (WebPGetFeatures(job->in, end, &f) != VP8_STATUS_OK ||
	    f.width <= 0 || f.height <= 0)
		return image_malformed(job, "WebP header cannot be read");
	if (f.has_animation)
		return image_unsupported(job, "animated WebP");
	if (!image_pixels_ok(job, (uint64_t)f.width, (uint64_t)f.height))
		return 0;
	if (size_mul((size_t)f.width, f.has_alpha ? 4 : 3, &stride) < 0 ||
	    size_mul(stride, (size_t)f.height, &n) < 0 ||
	    (px = malloc(n)) == NULL)
		return image_internal(job, "out of memory");
	ok = f.has_alpha ?
	    WebPDecodeRGBAInto(job->in, end, px, n, (int)stride) != NULL :
	    WebPDecodeRGBInto(job->in, end, px, n, (int)stride) != NULL;
	if (!ok)
		ret = image_malformed(job, "WebP data cannot be decoded");
	else if (job->out != NULL)
		ret = webp_write(job, px, f.width, f.height, stride,
		    f.has_alpha);
	free(px);
	return ret;
}

int
image_webp(struct image_job *job)
{
	size_t end = webp_walk(job);

	if (end == 0)
		return 0;
	if (end < job->len)
		image_trailing(job, "RIFF", end);
	return webp_decode(job, end);
}
