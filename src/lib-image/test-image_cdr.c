/* test-image_cdr - every hand-made sample against its .expect, the
   rebuilt output re-read by the libraries (pixels, sizes, frames), the
   idempotence of a second pass, inspect mode, limits, and every
   truncation of every sample. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gif_lib.h>
#include <jpeglib.h>
#include <png.h>

#include "image_cdr.h"

struct run {
	struct limits limits;
	struct cdr_options opts;
	struct cdr_ctx ctx;
	struct arena *arena;
	struct report *r;
	struct buffer out;
	int ret;
};

static unsigned char *
load(const char *name, size_t *len)
{
	char path[512];
	unsigned char *data;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", IMAGE_SAMPLES, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

static enum file_type
type_of(const char *name)
{
	const char *e = strrchr(name, '.');

	if (e == NULL)
		return FT_UNKNOWN;
	if (strcmp(e, ".jpg") == 0)
		return FT_JPEG;
	if (strcmp(e, ".png") == 0)
		return FT_PNG;
	if (strcmp(e, ".gif") == 0)
		return FT_GIF;
	if (strcmp(e, ".bmp") == 0)
		return FT_BMP;
	if (strcmp(e, ".tif") == 0)
		return FT_TIFF;
	if (strcmp(e, ".webp") == 0)
		return FT_WEBP;
	return FT_UNKNOWN;
}

static void
run_init(struct run *x, bool inspect)
{
	memset(x, 0, sizeof(*x));
	limits_init(&x->limits);
	cdr_options_init(&x->opts);
	x->arena = arena_create(1 << 22);
	assert_non_null(x->arena);
	x->r = report_new(x->arena, "sample");
	x->ctx.arena = x->arena;
	x->ctx.limits = &x->limits;
	x->ctx.opts = &x->opts;
	x->ctx.inspect = inspect;
	buffer_init(&x->out, x->limits.output_size);
}

static void
run_go(struct run *x, enum file_type t, const unsigned char *in, size_t len)
{
	x->ret = image_cdr(&x->ctx, x->r, t, in, len, &x->out);
}

static void
run_free(struct run *x)
{
	buffer_free(&x->out);
	arena_destroy(x->arena);
}

static bool
has(const struct report *r, const char *code, enum finding_action a)
{
	const struct report_finding *f;

	for (f = r->findings; f != NULL; f = f->next) {
		if (strcmp(f->code, code) == 0 && f->action == a)
			return true;
	}
	return false;
}

static enum finding_action
action_of(const char *s)
{
	if (strcmp(s, "removed") == 0)
		return FINDING_REMOVED;
	if (strcmp(s, "blocked") == 0)
		return FINDING_BLOCKED;
	if (strcmp(s, "held") == 0)
		return FINDING_HELD;
	return FINDING_REPORTED;
}

/* Check r against the sample's .expect file. */
static void
check_expect(const char *name, const struct report *r)
{
	char path[512], line[256], a[64], b[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.expect", IMAGE_SAMPLES, name);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "verdict %63s", a) == 1) {
			if (strcmp(verdict_name(report_verdict(r)), a) != 0)
				fail_msg("%s: verdict %s, expected %s", name,
				    verdict_name(report_verdict(r)), a);
		} else if (sscanf(line, "finding %63s %63s", a, b) == 2) {
			if (!has(r, a, action_of(b)))
				fail_msg("%s: missing finding %s %s", name, a,
				    b);
		}
	}
	fclose(f);
}

/* Same codes and actions, in the same order. */
static void
check_same_findings(const struct report *a, const struct report *b)
{
	const struct report_finding *x = a->findings, *y = b->findings;

	for (; x != NULL && y != NULL; x = x->next, y = y->next) {
		assert_string_equal(x->code, y->code);
		assert_int_equal(x->action, y->action);
	}
	assert_null(x);
	assert_null(y);
}

static void
check_signature(enum file_type t, const struct buffer *out)
{
	assert_true(out->used > 8);
	if (t == FT_JPEG)
		assert_memory_equal(out->data, "\xff\xd8\xff", 3);
	else if (t == FT_GIF)
		assert_memory_equal(out->data, "GIF89a", 6);
	else
		assert_memory_equal(out->data, "\x89PNG\r\n\x1a\n", 8);
}

/* One sample: expectations, inspect mode, then a second pass over the
   output must be clean with no finding at all. */
static void
check_sample(const char *name)
{
	struct run x, i, again;
	unsigned char *in;
	size_t len;
	enum file_type t = type_of(name), tout;

	in = load(name, &len);
	run_init(&x, false);
	run_go(&x, t, in, len);
	assert_int_equal(x.ret, 0);
	assert_null(x.r->error);
	check_expect(name, x.r);

	run_init(&i, true);
	run_go(&i, t, in, len);
	assert_int_equal(i.ret, 0);
	check_same_findings(x.r, i.r);
	assert_int_equal(i.out.used, 0);
	run_free(&i);

	if (report_has_action(x.r, FINDING_BLOCKED)) {
		assert_int_equal(x.out.used, 0);
	} else {
		tout = t == FT_JPEG || t == FT_GIF ? t : FT_PNG;
		if (tout != t)
			assert_string_equal(x.r->new_ext, "png");
		else
			assert_null(x.r->new_ext);
		check_signature(tout, &x.out);
		run_init(&again, false);
		run_go(&again, tout, x.out.data, x.out.used);
		assert_int_equal(again.ret, 0);
		assert_int_equal(again.r->finding_count, 0);
		assert_int_equal(report_verdict(again.r), VERDICT_CLEAN);
		run_free(&again);
	}
	run_free(&x);
	free(in);
}

static void
test_all_samples(void **state)
{
	DIR *d = opendir(IMAGE_SAMPLES);
	struct dirent *e;
	unsigned n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (type_of(e->d_name) == FT_UNKNOWN)
			continue;
		check_sample(e->d_name);
		n++;
	}
	closedir(d);
	assert_true(n >= 30);
}

/* Sanitize a sample, return the run (caller frees). */
static void
sanitize(struct run *x, const char *name)
{
	unsigned char *in;
	size_t len;

	in = load(name, &len);
	run_init(x, false);
	run_go(x, type_of(name), in, len);
	free(in);
	assert_int_equal(x->ret, 0);
}

/* Decode a PNG from memory to RGBA with libpng's simplified API. */
static unsigned char *
png_rgba(const struct buffer *b, png_uint_32 *w, png_uint_32 *h)
{
	png_image im;
	unsigned char *px;

	memset(&im, 0, sizeof(im));
	im.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_memory(&im, b->data, b->used));
	im.format = PNG_FORMAT_RGBA;
	px = malloc(PNG_IMAGE_SIZE(im));
	assert_non_null(px);
	assert_true(png_image_finish_read(&im, NULL, px, 0, NULL));
	*w = im.width;
	*h = im.height;
	return px;
}

/* The generator's pattern: pixel (x, y) = (16x, 16y, 200). */
static void
check_pattern(const unsigned char *px, png_uint_32 w, png_uint_32 x,
    png_uint_32 y, png_uint_32 py)
{
	const unsigned char *p = px + ((size_t)py * w + x) * 4;

	assert_int_equal(p[0], x * 16 % 256);
	assert_int_equal(p[1], y * 16 % 256);
	assert_int_equal(p[2], 200);
	assert_int_equal(p[3], 255);
}

static void
check_png_pattern(const char *name, png_uint_32 ew, png_uint_32 eh)
{
	struct run x;
	unsigned char *px;
	png_uint_32 w, h, i, j;

	sanitize(&x, name);
	px = png_rgba(&x.out, &w, &h);
	assert_int_equal(w, ew);
	assert_int_equal(h, eh);
	for (j = 0; j < h; j++) {
		for (i = 0; i < w; i++)
			check_pattern(px, w, i, j, j);
	}
	free(px);
	run_free(&x);
}

static void
test_lossless_pixels(void **state)
{
	check_png_pattern("png_clean.png", 8, 8);
	check_png_pattern("png_text_after_iend.png", 8, 8);
	check_png_pattern("bmp_24.bmp", 6, 5);
	check_png_pattern("tiff_rgb.tif", 6, 4);
}

/* Page 1 is 6x4, page 2 3x2 padded with white to 6 wide. */
static void
test_tiff_pages_stacked(void **state)
{
	struct run x;
	unsigned char *px, *p;
	png_uint_32 w, h, i, j;

	sanitize(&x, "tiff_multipage_meta.tif");
	assert_true(has(x.r, "image.multipage", FINDING_REPORTED));
	px = png_rgba(&x.out, &w, &h);
	assert_int_equal(w, 6);
	assert_int_equal(h, 6);
	for (j = 0; j < 4; j++) {
		for (i = 0; i < 6; i++)
			check_pattern(px, w, i, j, j);
	}
	for (j = 0; j < 2; j++) {
		for (i = 0; i < 3; i++)
			check_pattern(px, w, i, j, j + 4);
		for (i = 3; i < 6; i++) {
			p = px + ((size_t)(j + 4) * w + i) * 4;
			assert_int_equal(p[0] & p[1] & p[2] & p[3], 255);
		}
	}
	free(px);
	run_free(&x);
}

/* Checkerboard of 2x2 cells: green 0x20 or 0xe0, red 0x80, blue 0x40. */
static void
test_webp_pixels(void **state)
{
	struct run x;
	unsigned char *px, *p;
	png_uint_32 w, h, i, j;

	sanitize(&x, "webp_meta_trailing.webp");
	px = png_rgba(&x.out, &w, &h);
	assert_int_equal(w, 8);
	assert_int_equal(h, 6);
	for (j = 0; j < h; j++) {
		for (i = 0; i < w; i++) {
			p = px + ((size_t)j * w + i) * 4;
			assert_int_equal(p[0], 0x80);
			assert_int_equal(p[1], (i / 2 + j / 2) % 2 ? 0xe0 : 0x20);
			assert_int_equal(p[2], 0x40);
		}
	}
	free(px);
	run_free(&x);
}

/* The palette PNG keeps its palette and transparency. */
static void
test_png_palette_kept(void **state)
{
	struct run x;
	unsigned char *px;
	png_uint_32 w, h;

	sanitize(&x, "png_palette_trns_interlaced.png");
	assert_int_equal(x.out.data[25], PNG_COLOR_TYPE_PALETTE);
	assert_int_equal(x.out.data[28], 0);	/* no longer interlaced */
	assert_non_null(memmem(x.out.data, x.out.used, "tRNS", 4));
	px = png_rgba(&x.out, &w, &h);
	/* (0,0): index 0 red, alpha 255; (1,0): index 1 green, alpha 0x80 */
	assert_memory_equal(px, "\xff\x00\x00\xff", 4);
	assert_memory_equal(px + 4, "\x00\xff\x00\x80", 4);
	free(px);
	run_free(&x);
}

static void
jpeg_size(const struct buffer *b, unsigned *w, unsigned *h, int *comps)
{
	struct jpeg_decompress_struct d;
	struct jpeg_error_mgr e;

	d.err = jpeg_std_error(&e);
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, b->data, b->used);
	assert_int_equal(jpeg_read_header(&d, TRUE), JPEG_HEADER_OK);
	*w = d.image_width;
	*h = d.image_height;
	*comps = d.num_components;
	jpeg_destroy_decompress(&d);
}

static void
test_jpeg_orientation_and_colour(void **state)
{
	struct run x;
	unsigned w, h;
	int comps;

	sanitize(&x, "jpeg_orientation6.jpg");
	jpeg_size(&x.out, &w, &h, &comps);
	assert_int_equal(w, 16);
	assert_int_equal(h, 32);
	run_free(&x);
	sanitize(&x, "jpeg_clean.jpg");
	jpeg_size(&x.out, &w, &h, &comps);
	assert_int_equal(w, 32);
	assert_int_equal(h, 16);
	assert_int_equal(comps, 3);
	run_free(&x);
	sanitize(&x, "jpeg_gray.jpg");
	jpeg_size(&x.out, &w, &h, &comps);
	assert_int_equal(comps, 1);
	run_free(&x);
	sanitize(&x, "jpeg_cmyk_adobe.jpg");
	jpeg_size(&x.out, &w, &h, &comps);
	assert_int_equal(comps, 3);
	run_free(&x);
	/* No metadata segment left in the output. */
	sanitize(&x, "jpeg_exif_xmp_com.jpg");
	assert_null(memmem(x.out.data, x.out.used, "Exif", 4));
	assert_null(memmem(x.out.data, x.out.used, "EvilCam", 7));
	assert_null(memmem(x.out.data, x.out.used, "\xff\xfe", 2));
	assert_memory_equal(x.out.data + x.out.used - 2, "\xff\xd9", 2);
	run_free(&x);
}

struct gif_src {
	const struct buffer *b;
	size_t pos;
};

static int
gif_mem_read(GifFileType *g, GifByteType *buf, int n)
{
	struct gif_src *s = g->UserData;

	if ((size_t)n > s->b->used - s->pos)
		n = (int)(s->b->used - s->pos);
	memcpy(buf, s->b->data + s->pos, (size_t)n);
	s->pos += (size_t)n;
	return n;
}

static void
test_gif_frames_kept(void **state)
{
	struct run x;
	struct gif_src src;
	GifFileType *g;
	GraphicsControlBlock gcb;
	int err, i;

	sanitize(&x, "gif_animated.gif");
	src.b = &x.out;
	src.pos = 0;
	g = DGifOpen(&src, gif_mem_read, &err);
	assert_non_null(g);
	assert_int_equal(DGifSlurp(g), GIF_OK);
	assert_int_equal(g->ImageCount, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(DGifSavedExtensionToGCB(g, i, &gcb), GIF_OK);
		assert_int_equal(gcb.DelayTime, 10 * (i + 1));
	}
	assert_non_null(memmem(x.out.data, x.out.used, "NETSCAPE2.0", 11));
	DGifCloseFile(g, &err);
	run_free(&x);
	sanitize(&x, "gif_xmp_netscape_extra.gif");
	assert_null(memmem(x.out.data, x.out.used, "XMP", 3));
	assert_null(memmem(x.out.data, x.out.used, "hide", 4));
	assert_null(memmem(x.out.data, x.out.used, "later", 5));
	assert_non_null(memmem(x.out.data, x.out.used, "NETSCAPE2.0", 11));
	run_free(&x);
}

static GifFileType *
gif_slurp(struct gif_src *src, const struct buffer *b)
{
	GifFileType *g;
	int err;

	src->b = b;
	src->pos = 0;
	g = DGifOpen(src, gif_mem_read, &err);
	assert_non_null(g);
	assert_int_equal(DGifSlurp(g), GIF_OK);
	return g;
}

/* Every passing GIF sample: same frames, places, pixels and delays. */
static void
check_gif_same(const char *name)
{
	struct run x;
	struct buffer in;
	struct gif_src s1, s2;
	GifFileType *a, *b;
	GraphicsControlBlock ga, gb;
	size_t len;
	int i, err;

	sanitize(&x, name);
	if (x.out.used == 0) {
		run_free(&x);
		return;
	}
	buffer_init(&in, 1 << 20);
	in.data = load(name, &len);
	in.used = len;
	a = gif_slurp(&s1, &in);
	b = gif_slurp(&s2, &x.out);
	assert_int_equal(a->ImageCount, b->ImageCount);
	for (i = 0; i < a->ImageCount; i++) {
		const GifImageDesc *da = &a->SavedImages[i].ImageDesc;
		const GifImageDesc *db = &b->SavedImages[i].ImageDesc;

		assert_int_equal(da->Left, db->Left);
		assert_int_equal(da->Top, db->Top);
		assert_int_equal(da->Width, db->Width);
		assert_int_equal(da->Height, db->Height);
		assert_int_equal(da->Interlace, db->Interlace);
		assert_memory_equal(a->SavedImages[i].RasterBits,
		    b->SavedImages[i].RasterBits,
		    (size_t)da->Width * (size_t)da->Height);
		if (DGifSavedExtensionToGCB(a, i, &ga) == GIF_OK) {
			assert_int_equal(DGifSavedExtensionToGCB(b, i, &gb),
			    GIF_OK);
			assert_int_equal(ga.DelayTime, gb.DelayTime);
			assert_int_equal(ga.DisposalMode, gb.DisposalMode);
		}
	}
	DGifCloseFile(a, &err);
	DGifCloseFile(b, &err);
	free(in.data);
	run_free(&x);
}

/* Every passing PNG sample: the same RGBA pixels come out. */
static void
check_png_same(const char *name)
{
	struct run x;
	struct buffer in;
	unsigned char *pa, *pb;
	png_uint_32 wa, ha, wb, hb;
	size_t len;

	sanitize(&x, name);
	if (x.out.used == 0) {
		run_free(&x);
		return;
	}
	in.data = load(name, &len);
	in.used = len;
	pa = png_rgba(&in, &wa, &ha);
	pb = png_rgba(&x.out, &wb, &hb);
	assert_int_equal(wa, wb);
	assert_int_equal(ha, hb);
	assert_memory_equal(pa, pb, (size_t)wa * ha * 4);
	free(pa);
	free(pb);
	free(in.data);
	run_free(&x);
}

static void
test_lossless_same_pixels(void **state)
{
	DIR *d = opendir(IMAGE_SAMPLES);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (type_of(e->d_name) == FT_GIF)
			check_gif_same(e->d_name);
		else if (type_of(e->d_name) == FT_PNG)
			check_png_same(e->d_name);
	}
	closedir(d);
}

static void
test_limits(void **state)
{
	struct run x;
	unsigned char *in;
	size_t len;

	in = load("png_clean.png", &len);
	run_init(&x, false);
	x.limits.image_pixels = 63;
	run_go(&x, FT_PNG, in, len);
	assert_int_equal(x.ret, 0);
	assert_true(has(x.r, "limit.image_pixels", FINDING_BLOCKED));
	assert_int_equal(x.out.used, 0);
	run_free(&x);
	/* An output over limits->output_size is an internal failure. */
	run_init(&x, false);
	x.out.max = 20;
	run_go(&x, FT_PNG, in, len);
	assert_int_equal(x.ret, -1);
	assert_non_null(x.r->error);
	assert_int_equal(x.out.used, 0);
	run_free(&x);
	free(in);
	/* The sum of the frames of an animation counts too. */
	in = load("gif_animated.gif", &len);
	run_init(&x, false);
	x.limits.image_pixels = 150;	/* one 8x8 frame fits, three do not */
	run_go(&x, FT_GIF, in, len);
	assert_true(has(x.r, "limit.image_pixels", FINDING_BLOCKED));
	run_free(&x);
	free(in);
	/* Not an image type at all. */
	run_init(&x, false);
	run_go(&x, FT_PDF, (const unsigned char *)"%PDF-", 5);
	assert_int_equal(x.ret, -1);
	run_free(&x);
}

/* Every prefix of every sample: no crash, no internal error, never an
   output for a cut file unless it still decodes whole. */
static void
test_truncations(void **state)
{
	DIR *d = opendir(IMAGE_SAMPLES);
	struct dirent *e;
	struct run x;
	unsigned char *in, *cut;
	size_t len, n;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (type_of(e->d_name) == FT_UNKNOWN)
			continue;
		in = load(e->d_name, &len);
		for (n = 0; n < len; n++) {
			/* A copy, so ASan sees reads past the cut. */
			cut = malloc(n + 1);
			memcpy(cut, in, n);
			run_init(&x, false);
			run_go(&x, type_of(e->d_name), cut, n);
			assert_int_equal(x.ret, 0);
			if (report_has_action(x.r, FINDING_BLOCKED))
				assert_int_equal(x.out.used, 0);
			run_free(&x);
			free(cut);
		}
		free(in);
	}
	closedir(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_samples),
		cmocka_unit_test(test_lossless_pixels),
		cmocka_unit_test(test_tiff_pages_stacked),
		cmocka_unit_test(test_webp_pixels),
		cmocka_unit_test(test_png_palette_kept),
		cmocka_unit_test(test_jpeg_orientation_and_colour),
		cmocka_unit_test(test_gif_frames_kept),
		cmocka_unit_test(test_lossless_same_pixels),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_truncations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
