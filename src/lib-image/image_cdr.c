/*
 * image_cdr - dispatch an image to its codec module and keep the
 * output consistent with the findings.
 */
#include "image_bmp.h"
#include "image_cdr.h"
#include "image_common.h"
#include "image_gif.h"
#include "image_jpeg.h"
#include "image_png.h"
#include "image_tiff.h"
#include "image_webp.h"

int
image_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	struct image_job job = {
		.ctx = ctx, .r = r, .in = in, .len = len,
		.out = ctx->inspect ? NULL : out,
	};
	const char *new_ext = "png";
	int ret;

	switch (type) {
	case FT_JPEG:
		ret = image_jpeg(&job);
		new_ext = NULL;
		break;
	case FT_PNG:
		ret = image_png(&job);
		new_ext = NULL;
		break;
	case FT_GIF:
		ret = image_gif(&job);
		new_ext = NULL;
		break;
	case FT_BMP:
		ret = image_bmp(&job);
		break;
	case FT_TIFF:
		ret = image_tiff(&job);
		break;
	case FT_WEBP:
		ret = image_webp(&job);
		break;
	default:
		report_set_error(r, "image_cdr: %s is not an image type",
		    filetype_name(type));
		return -1;
	}
	/* A blocked image or a failed rebuild leaves no partial output. */
	if (ret < 0 || report_has_action(r, FINDING_BLOCKED)) {
		if (!ctx->inspect)
			buffer_reset(out);
		return ret;
	}
	if (new_ext != NULL && !ctx->inspect)
		report_set_new_ext(r, new_ext);
	return 0;
}
