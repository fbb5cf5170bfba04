/*
 * test-archive_cdr - archive sanitizing: names, links, limits, nesting,
 * encryption, rebuilt output re-read with libarchive and zlib.
 *
 * Inputs are built here (a hand-rolled zip writer gives control over
 * both directories and the flags; libarchive writes tar and 7z). The
 * engine is replaced by a stub recurse: archives recurse into
 * archive_cdr, "*.exe" is blocked, "*.lock" held, "*.docm" becomes
 * docx, anything else is copied.
 */
#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "archive_cdr.h"
#include "archive_name.h"
#include "zipdir.h"

/* ---- fixture ---------------------------------------------------------- */

struct fx {
	struct arena *arena;
	struct limits lim;
	struct cdr_options opts;
	struct cdr_ctx ctx;
	struct report *r;
	struct buffer out;
	unsigned max_depth_seen;
};

static struct fx *cur_fx;

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a, b;

	if (s == NULL)
		return false;
	a = strlen(s);
	b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int
stub_recurse(struct cdr_ctx *ctx, struct report *child, const char *name,
    const unsigned char *in, size_t len, struct buffer *out)
{
	if (ctx->depth > cur_fx->max_depth_seen)
		cur_fx->max_depth_seen = ctx->depth;
	if (len >= 4 && memcmp(in, "PK\3\4", 4) == 0 && !ends_with(name, ".docm"))
		return archive_cdr(ctx, child, FT_ZIP, in, len, out);
	if (len >= 2 && in[0] == 0x1f && in[1] == 0x8b)
		return archive_cdr(ctx, child, FT_GZIP, in, len, out);
	if (ends_with(name, ".exe")) {
		report_add(child, "type.executable", FINDING_BLOCKED, NULL,
		    "%s", "program");
		return 0;
	}
	if (ends_with(name, ".lock")) {
		report_add(child, "ooxml.encrypted", FINDING_HELD, NULL, "%s",
		    "password");
		return 0;
	}
	if (ends_with(name, ".docm")) {
		report_add(child, "ooxml.vba", FINDING_REMOVED, NULL, "%s",
		    "macros");
		report_set_new_ext(child, "docx");
	}
	if (!ctx->inspect)
		return buffer_append(out, in, len);
	return 0;
}

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->arena = arena_create(256u << 20);
	assert_non_null(f->arena);
	limits_init(&f->lim);
	cdr_options_init(&f->opts);
	f->ctx.arena = f->arena;
	f->ctx.limits = &f->lim;
	f->ctx.opts = &f->opts;
	f->ctx.recurse = stub_recurse;
	f->r = report_new(f->arena, "top");
	buffer_init(&f->out, f->lim.output_size);
	cur_fx = f;
}

static void
fx_free(struct fx *f)
{
	buffer_free(&f->out);
	arena_destroy(f->arena);
}

static int
fx_run(struct fx *f, enum file_type t, const void *in, size_t len)
{
	buffer_reset(&f->out);
	f->r = report_new(f->arena, "top");
	return archive_cdr(&f->ctx, f->r, t, in, len, &f->out);
}

static unsigned
count_code(const struct report *r, const char *code, enum finding_action a)
{
	const struct report_finding *f;
	unsigned n = 0;

	for (f = r->findings; f != NULL; f = f->next) {
		print_message("  finding %s %s %s: %s\n", f->code,
		    finding_action_name(f->action), f->location, f->detail);
		if (strcmp(f->code, code) == 0 && f->action == a)
			n++;
	}
	return n;
}

/* ---- hand-rolled zip writer -------------------------------------------- */

struct zb {
	struct buffer b, cd;
	unsigned n;
};

static void
put16(struct buffer *b, unsigned v)
{
	unsigned char x[2] = { v & 0xff, (v >> 8) & 0xff };

	assert_int_equal(buffer_append(b, x, 2), 0);
}

static void
put32(struct buffer *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b, v >> 16);
}

static void
zb_init(struct zb *z)
{
	buffer_init(&z->b, 1u << 30);
	buffer_init(&z->cd, 1u << 30);
	z->n = 0;
}

static size_t
raw_deflate(const void *in, size_t len, unsigned char **out_r)
{
	z_stream zs;
	size_t cap = compressBound(len) + 64;
	unsigned char *o = malloc(cap);

	assert_non_null(o);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 9,
	    Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)in;
	zs.avail_in = len;
	zs.next_out = o;
	zs.avail_out = cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	deflateEnd(&zs);
	*out_r = o;
	return cap - zs.avail_out;
}

/* One member; lname/cname are the local and central names. */
static void
zb_add_full(struct zb *z, const char *lname, const char *cname,
    const void *data, size_t len, bool deflated, unsigned flags,
    uint32_t unix_mode)
{
	uint32_t crc = crc32(0, data, len), off = z->b.used;
	unsigned char *comp = NULL;
	size_t clen = len;
	const void *payload = data;

	if (deflated) {
		clen = raw_deflate(data, len, &comp);
		payload = comp;
	}
	put32(&z->b, 0x04034b50);
	put16(&z->b, 20);
	put16(&z->b, flags);
	put16(&z->b, deflated ? 8 : 0);
	put16(&z->b, 0);
	put16(&z->b, 0x21);
	put32(&z->b, crc);
	put32(&z->b, clen);
	put32(&z->b, len);
	put16(&z->b, strlen(lname));
	put16(&z->b, 0);
	buffer_append(&z->b, lname, strlen(lname));
	buffer_append(&z->b, payload, clen);

	put32(&z->cd, 0x02014b50);
	put16(&z->cd, unix_mode != 0 ? 0x031e : 20);
	put16(&z->cd, 20);
	put16(&z->cd, flags);
	put16(&z->cd, deflated ? 8 : 0);
	put16(&z->cd, 0);
	put16(&z->cd, 0x21);
	put32(&z->cd, crc);
	put32(&z->cd, clen);
	put32(&z->cd, len);
	put16(&z->cd, strlen(cname));
	put16(&z->cd, 0);
	put16(&z->cd, 0);
	put16(&z->cd, 0);
	put16(&z->cd, 0);
	put32(&z->cd, unix_mode << 16);
	put32(&z->cd, off);
	buffer_append(&z->cd, cname, strlen(cname));
	z->n++;
	free(comp);
}

static void
zb_add(struct zb *z, const char *name, const char *text)
{
	zb_add_full(z, name, name, text, strlen(text), false, 0, 0);
}

/* Finish: the caller owns z->b afterwards. */
static void
zb_finish(struct zb *z)
{
	uint32_t cd_off = z->b.used;

	buffer_append(&z->b, z->cd.data, z->cd.used);
	put32(&z->b, 0x06054b50);
	put16(&z->b, 0);
	put16(&z->b, 0);
	put16(&z->b, z->n);
	put16(&z->b, z->n);
	put32(&z->b, z->cd.used);
	put32(&z->b, cd_off);
	put16(&z->b, 0);
	buffer_free(&z->cd);
}

/* ---- reading outputs back ------------------------------------------------ */

/* "name=content;" for every member of an archive (any format). */
static char *
list_archive(const unsigned char *p, size_t len)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t saved = uselocale(utf8);
	struct buffer s;
	char data[256];
	la_ssize_t n;

	/* libarchive gives UTF-8 names only in a UTF-8 locale */
	assert_true(utf8 != (locale_t)0);
	buffer_init(&s, 1 << 20);
	archive_read_support_format_zip_seekable(a);
	archive_read_support_format_raw(a);
	archive_read_support_filter_gzip(a);
	assert_int_equal(archive_read_open_memory(a, p, len), ARCHIVE_OK);
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		buffer_printf(&s, "%s=", archive_entry_pathname(e));
		while ((n = archive_read_data(a, data, sizeof(data))) > 0)
			buffer_append(&s, data, n);
		assert_true(n == 0);
		buffer_append_str(&s, ";");
	}
	archive_read_free(a);
	uselocale(saved);
	freelocale(utf8);
	if (s.data == NULL)
		buffer_append_str(&s, "");
	return (char *)buffer_steal(&s, NULL);
}

static void
assert_listing(struct fx *f, const char *want)
{
	char *got = list_archive(f->out.data, f->out.used);

	assert_string_equal(got, want);
	free(got);
}

/* Sanitizing the output again finds nothing. */
static void
assert_idempotent(struct fx *f, enum file_type t)
{
	struct buffer first = f->out;
	struct report *r = report_new(f->arena, "again");
	struct buffer out;

	buffer_init(&out, f->lim.output_size);
	assert_int_equal(archive_cdr(&f->ctx, r, t, first.data, first.used,
	    &out), 0);
	assert_int_equal(r->finding_count, 0);
	assert_int_equal(out.used, first.used);
	assert_memory_equal(out.data, first.data, first.used);
	buffer_free(&out);
}

/* ---- libarchive-written inputs (tar, 7z) ---------------------------------- */

static la_ssize_t
w_cb(struct archive *a, void *cookie, const void *buf, size_t n)
{
	buffer_append(cookie, buf, n);
	return n;
}

static struct archive *
w_open(struct buffer *b, int format)
{
	struct archive *a = archive_write_new();

	buffer_init(b, 1u << 30);
	archive_write_set_format(a, format);
	archive_write_set_bytes_per_block(a, 0);
	assert_int_equal(archive_write_open2(a, b, NULL, w_cb, NULL, NULL),
	    ARCHIVE_OK);
	return a;
}

static void
w_add(struct archive *a, const char *name, unsigned type, const char *data,
    const char *link)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_copy_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, 1700000000, 0);
	if (type == AE_IFLNK)
		archive_entry_copy_symlink(e, link);
	else if (link != NULL)
		archive_entry_copy_hardlink(e, link);
	archive_entry_set_size(e, data != NULL ? strlen(data) : 0);
	assert_true(archive_write_header(a, e) >= ARCHIVE_WARN);
	if (data != NULL)
		archive_write_data(a, data, strlen(data));
	archive_entry_free(e);
}

static void
w_close(struct archive *a)
{
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

static void
gzip_make(struct buffer *b, const char *fname, const void *data, size_t len)
{
	unsigned char out[16384];
	gz_header hd;
	z_stream zs;
	int zr;

	buffer_init(b, 1u << 30);
	memset(&zs, 0, sizeof(zs));
	memset(&hd, 0, sizeof(hd));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 31, 9,
	    Z_DEFAULT_STRATEGY), Z_OK);
	hd.name = (Bytef *)fname;
	hd.time = 1700000000;
	deflateSetHeader(&zs, &hd);
	zs.next_in = (Bytef *)data;
	zs.avail_in = len;
	do {
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		zr = deflate(&zs, Z_FINISH);
		buffer_append(b, out, sizeof(out) - zs.avail_out);
	} while (zr == Z_OK);
	assert_int_equal(zr, Z_STREAM_END);
	deflateEnd(&zs);
}

/* The name stored in a gzip header, "" when none. */
static const char *
gzip_fname(const struct buffer *b)
{
	if (b->used < 10 || !(b->data[3] & 0x08))
		return "";
	return (const char *)b->data + 10;
}

/* Bytes a gzip stream inflates to, checked with zlib (not libarchive). */
static size_t
gunzip_size(const struct buffer *b)
{
	unsigned char out[4096];
	size_t total = 0;
	z_stream zs;
	int zr;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(inflateInit2(&zs, 31), Z_OK);
	zs.next_in = b->data;
	zs.avail_in = b->used;
	do {
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		zr = inflate(&zs, Z_NO_FLUSH);
		total += sizeof(out) - zs.avail_out;
	} while (zr == Z_OK);
	assert_int_equal(zr, Z_STREAM_END);
	assert_int_equal(zs.avail_in, 0);
	inflateEnd(&zs);
	return total;
}

/* ---- archive_name ------------------------------------------------------- */

static enum archive_name_kind
kind(const char *name)
{
	enum archive_name_kind k;

	assert_int_equal(archive_name_classify(name, &k), 0);
	return k;
}

static void
test_name_classify(void **state)
{
	static const char *const trav[] = { "../x", "a/../../x", "..\\x",
	    "a\\..\\x", "%2e%2e/x", "%2E%2E%2Fx", "%252e%252e%252fx",
	    "..%2fx", "%u002e%u002e/x", "\xef\xbc\x8e\xef\xbc\x8e/x",
	    "\xef\xbc\x8e\xef\xbc\x8e\xef\xbc\x8fx", "..\xc2\xa5x",
	    "%c0%ae%c0%ae/x", "... /x", ".. /x", "a/. ./b", ".." };
	static const char *const abs[] = { "/etc/passwd", "\\x", "C:\\x",
	    "c:x", "\\\\server\\share\\x", "//server/x", "%2fetc",
	    "\xef\xbc\x8f" "etc", "C\xef\xbc\x9a/x" };
	static const char *const ok[] = { "a.txt", "dir/a.txt", "./a.txt",
	    "a..b.txt", "...txt", "a/.b", "%zz", "日本語/ファイル.txt",
	    "100%.txt" };
	size_t i;

	for (i = 0; i < sizeof(trav) / sizeof(trav[0]); i++) {
		print_message("trav %s\n", trav[i]);
		assert_int_equal(kind(trav[i]), ARCHIVE_NAME_TRAVERSAL);
	}
	for (i = 0; i < sizeof(abs) / sizeof(abs[0]); i++) {
		print_message("abs %s\n", abs[i]);
		assert_int_equal(kind(abs[i]), ARCHIVE_NAME_ABSOLUTE);
	}
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		print_message("ok %s\n", ok[i]);
		assert_int_equal(kind(ok[i]), ARCHIVE_NAME_OK);
	}
}

static void
test_name_rewrite(void **state)
{
	static const struct {
		const char *in, *out;
		bool dir, changed;
	} t[] = {
		{ "a.txt", "a.txt", false, false },
		{ "./d//e\\f.txt", "d/e/f.txt", false, false },
		{ "d/", "d/", true, false },
		{ "./", "", true, false },
		{ "CON.txt", "_CON.txt", false, true },
		{ "x/nul", "x/_nul", false, true },
		{ "com1.docx", "_com1.docx", false, true },
		{ "COM\xc2\xb9.txt", "_COM\xc2\xb9.txt", false, true },
		{ "console.txt", "console.txt", false, false },
		{ "a:b.txt", "a_b.txt", false, true },
		{ "evil.txt.", "evil.txt", false, true },
		{ "evil.js  ", "evil.js", false, true },
		{ "d. /f", "d/f", false, true },
		{ "x\x01y", "x_y", false, true },
		{ "a\xe2\x80\xaetxt.exe", "a_txt.exe", false, true },
		{ "q?<>|*\".txt", "q______.txt", false, true },
		{ "日本語.txt", "日本語.txt", false, false },
	};
	struct arena *arena = arena_create(1 << 20);
	bool changed;
	size_t i;
	char *s;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		s = archive_name_rewrite(arena, t[i].in, t[i].dir, &changed);
		print_message("rewrite %s -> %s\n", t[i].in, s);
		assert_string_equal(s, t[i].out);
		assert_int_equal(changed, t[i].changed);
		/* idempotent */
		s = archive_name_rewrite(arena, s, t[i].dir, &changed);
		assert_string_equal(s, t[i].out);
		assert_false(changed);
	}
	assert_string_equal(archive_name_with_ext(arena, "d/a.docm", "docx"),
	    "d/a.docx");
	assert_string_equal(archive_name_with_ext(arena, "d.x/a", "zip"),
	    "d.x/a.zip");
	assert_string_equal(archive_name_with_ext(arena, ".rc", "txt"),
	    ".rc.txt");
	arena_destroy(arena);
}

static void
test_name_utf8_and_set(void **state)
{
	struct arena *arena = arena_create(1 << 20);
	struct archive_name_conv *conv = archive_name_conv_new(arena);
	struct archive_name_set *set = archive_name_set_new(arena);
	char *s, buf[16];
	int i;

	assert_string_equal(archive_name_utf8(conv, "ok.txt"), "ok.txt");
	/* CP932 "日本" (93fa 967b) when iconv has CP932; escaped otherwise */
	s = archive_name_utf8(conv, "\x93\xfa\x96\x7b.txt");
	assert_true(strcmp(s, "日本.txt") == 0 ||
	    strcmp(s, "%93%FA%96{.txt") == 0);
	assert_string_equal(archive_name_utf8(conv, "\xff\xfe" "a"),
	    "%FF%FEa");
	archive_name_conv_free(conv);

	assert_int_equal(archive_name_set_add(set, "Dir/A.txt"), 1);
	assert_int_equal(archive_name_set_add(set, "dir/a.TXT"), 0);
	assert_int_equal(archive_name_set_add(set, "dir/"), 1);
	assert_int_equal(archive_name_set_add(set, "DIR"), 0);
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "f%d", i);
		assert_int_equal(archive_name_set_add(set, buf), 1);
	}
	assert_int_equal(archive_name_set_add(set, "F999"), 0);
	arena_destroy(arena);
}

/* ---- zip ---------------------------------------------------------------- */

static void
test_clean_zip(void **state)
{
	struct fx f;
	struct zb z;

	fx_init(&f);
	zb_init(&z);
	zb_add(&z, "readme.txt", "hello\n");
	zb_add(&z, "docs/", "");
	zb_add(&z, "docs/日本語.txt", "こんにちは\n");
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(f.r->finding_count, 0);
	assert_int_equal(report_verdict(f.r), VERDICT_CLEAN);
	assert_null(f.r->new_ext);
	assert_int_equal(f.max_depth_seen, 1);
	assert_int_equal(f.ctx.depth, 0);
	assert_listing(&f, "readme.txt=hello\n;docs/=;"
	    "docs/日本語.txt=こんにちは\n;");
	assert_non_null(f.r->children);
	assert_string_equal(f.r->children->name, "readme.txt");
	assert_idempotent(&f, FT_ZIP);
	buffer_free(&z.b);
	fx_free(&f);
}

static void
test_member_dropped(void **state)
{
	struct fx f;
	struct zb z;

	fx_init(&f);
	zb_init(&z);
	zb_add(&z, "setup.exe", "MZ...");
	zb_add(&z, "notes.txt", "hi");
	zb_add(&z, "secret.lock", "x");
	zb_add(&z, "macro.docm", "PK\3\4docm");
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "archive.member_dropped",
	    FINDING_REMOVED), 2);
	assert_int_equal(report_verdict(f.r), VERDICT_SANITIZED);
	assert_string_equal(f.r->findings->location, "setup.exe");
	assert_string_equal(f.r->findings->detail, "blocked: type.executable");
	assert_listing(&f, "notes.txt=hi;macro.docx=PK\3\4docm;");
	buffer_free(&z.b);
	fx_free(&f);
}

static void
test_traversal_absolute(void **state)
{
	static const char *const bad[] = { "../evil.txt", "a/../../x.txt",
	    "..\\win.txt", "%2e%2e%2fenc.txt", "\xef\xbc\x8e\xef\xbc\x8e/fw.txt",
	    "... /dots.txt" };
	static const char *const abs[] = { "/etc/passwd", "C:\\boot.ini",
	    "\\\\server\\share\\x.txt" };
	struct fx f;
	struct zb z;
	size_t i;

	fx_init(&f);
	zb_init(&z);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		zb_add(&z, bad[i], "x");
	for (i = 0; i < sizeof(abs) / sizeof(abs[0]); i++)
		zb_add(&z, abs[i], "x");
	zb_add(&z, "ok.txt", "ok");
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "archive.path_traversal",
	    FINDING_REMOVED), 6);
	assert_int_equal(count_code(f.r, "archive.absolute_path",
	    FINDING_REMOVED), 3);
	assert_int_equal(report_verdict(f.r), VERDICT_SANITIZED);
	assert_listing(&f, "ok.txt=ok;");
	assert_idempotent(&f, FT_ZIP);
	buffer_free(&z.b);
	fx_free(&f);
}

static void
test_duplicates_and_unsafe(void **state)
{
	struct fx f;
	struct zb z;

	fx_init(&f);
	zb_init(&z);
	zb_add(&z, "A.txt", "first");
	zb_add(&z, "a.txt", "second");
	zb_add(&z, "a.TXT ", "third");
	zb_add(&z, "dir\\b.txt", "b1");
	zb_add(&z, "dir/b.txt", "b2");
	zb_add(&z, "CON.txt", "dev");
	zb_add(&z, "xy:stream.txt", "ads");
	zb_add(&z, "invoice\xe2\x80\xaetxt.js", "rlo");
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "archive.duplicate_name",
	    FINDING_REMOVED), 3);
	assert_int_equal(count_code(f.r, "archive.unsafe_name",
	    FINDING_REMOVED), 3);
	assert_listing(&f, "A.txt=first;dir/b.txt=b1;_CON.txt=dev;"
	    "xy_stream.txt=ads;invoice_txt.js=rlo;");
	assert_idempotent(&f, FT_ZIP);
	buffer_free(&z.b);
	fx_free(&f);
}

static void
test_zip_mismatch_overlap(void **state)
{
	struct fx f;
	struct zb z;

	fx_init(&f);
	zb_init(&z);
	zb_add_full(&z, "evil.exe", "readme.txt", "MZ", 2, false, 0, 0);
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "archive.malformed",
	    FINDING_BLOCKED), 1);
	assert_string_equal(f.r->findings->location, "readme.txt");
	assert_non_null(strstr(f.r->findings->detail, "evil.exe"));
	assert_int_equal(f.out.used, 0);
	assert_null(f.r->children);
	buffer_free(&z.b);

	/* Two directory entries for one local entry. */
	zb_init(&z);
	zb_add(&z, "a.txt", "aaaa");
	buffer_append(&z.cd, z.cd.data, z.cd.used);
	z.n++;
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "archive.malformed",
	    FINDING_BLOCKED), 1);
	assert_non_null(strstr(f.r->findings->detail, "overlap"));
	buffer_free(&z.b);
	fx_free(&f);
}

static void
test_encrypted_and_broken(void **state)
{
	struct fx f;
	struct zb z;

	fx_init(&f);
	zb_init(&z);
	zb_add(&z, "plain.txt", "x");
	zb_add_full(&z, "enc.txt", "enc.txt", "\x01\x02\x03\x04\x05\x06\x07"
	    "\x08\x09\x0a\x0b\x0cxyz", 15, false, 1, 0);
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "archive.encrypted", FINDING_HELD), 1);
	assert_int_equal(report_verdict(f.r), VERDICT_HELD);
	assert_int_equal(f.out.used, 0);

	/* inspect mode: the same */
	f.ctx.inspect = true;
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(report_verdict(f.r), VERDICT_HELD);
	f.ctx.inspect = false;

	/* truncated */
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used - 30), 0);
	assert_int_equal(count_code(f.r, "archive.malformed",
	    FINDING_BLOCKED), 1);
	/* garbage */
	assert_int_equal(fx_run(&f, FT_ZIP, "PK\3\4garbage", 11), 0);
	assert_int_equal(report_verdict(f.r), VERDICT_BLOCKED);
	/* bad CRC: libarchive notices while inflating */
	buffer_free(&z.b);
	zb_init(&z);
	zb_add(&z, "a.txt", "hello");
	zb_finish(&z);
	z.b.data[30 + 5] ^= 1;
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "archive.malformed",
	    FINDING_BLOCKED), 1);
	buffer_free(&z.b);
	fx_free(&f);
}

/* A zip nested n deep around one text file. */
static void
nested_zip(struct buffer *b, int n)
{
	struct zb z;
	struct buffer inner;
	char name[32];
	int i;

	zb_init(&z);
	zb_add(&z, "core.txt", "deep");
	zb_finish(&z);
	for (i = 1; i < n; i++) {
		inner = z.b;
		zb_init(&z);
		snprintf(name, sizeof(name), "level%d.zip", i);
		zb_add_full(&z, name, name, inner.data, inner.used, false, 0, 0);
		zb_finish(&z);
		buffer_free(&inner);
	}
	*b = z.b;
}

static void
test_depth(void **state)
{
	struct buffer b;
	struct fx f;

	fx_init(&f);
	nested_zip(&b, 5);	/* depths 0..4: allowed with the default 5 */
	assert_int_equal(fx_run(&f, FT_ZIP, b.data, b.used), 0);
	assert_int_equal(report_verdict(f.r), VERDICT_CLEAN);
	buffer_free(&b);

	nested_zip(&b, 7);
	assert_int_equal(fx_run(&f, FT_ZIP, b.data, b.used), 0);
	assert_int_equal(count_code(f.r, "limit.archive_depth",
	    FINDING_BLOCKED), 1);
	assert_int_equal(f.out.used, 0);
	assert_int_equal(f.ctx.depth, 0);
	buffer_free(&b);
	fx_free(&f);
}

static void
test_limits(void **state)
{
	unsigned char *zeros = calloc(1, 20 << 20);
	struct buffer b;
	struct fx f;
	struct zb z;

	fx_init(&f);
	/* ratio from the declared size, before inflating */
	zb_init(&z);
	zb_add_full(&z, "zeros.bin", "zeros.bin", zeros, 20 << 20, true, 0, 0);
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "limit.archive_ratio",
	    FINDING_BLOCKED), 1);
	assert_non_null(strstr(f.r->findings->detail, "declares"));

	/* the same bomb inside a zip stops the outer one too */
	b = z.b;
	zb_init(&z);
	zb_add_full(&z, "inner.zip", "inner.zip", b.data, b.used, false, 0, 0);
	zb_add(&z, "after.txt", "x");
	zb_finish(&z);
	buffer_free(&b);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "limit.archive_ratio",
	    FINDING_BLOCKED), 1);
	assert_int_equal(report_verdict(f.r), VERDICT_BLOCKED);
	buffer_free(&z.b);

	/* ratio while inflating: gzip has no declared size */
	gzip_make(&b, "zeros.bin", zeros, 20 << 20);
	assert_int_equal(fx_run(&f, FT_GZIP, b.data, b.used), 0);
	assert_int_equal(count_code(f.r, "limit.archive_ratio",
	    FINDING_BLOCKED), 1);
	assert_non_null(strstr(f.r->findings->detail, "inflates"));
	buffer_free(&b);

	/* per-member size, total, entries */
	f.lim.file_size = 1000;
	zb_init(&z);
	zb_add_full(&z, "big.txt", "big.txt", zeros, 2000, false, 0, 0);
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "limit.file_size", FINDING_BLOCKED), 1);
	buffer_free(&z.b);
	limits_init(&f.lim);
	f.lim.archive_total = 100;
	zb_init(&z);
	zb_add_full(&z, "a.txt", "a.txt", zeros, 60, false, 0, 0);
	zb_add_full(&z, "b.txt", "b.txt", zeros, 60, false, 0, 0);
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "limit.archive_total",
	    FINDING_BLOCKED), 1);
	limits_init(&f.lim);
	f.lim.archive_entries = 1;
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(count_code(f.r, "limit.archive_entries",
	    FINDING_BLOCKED), 1);
	buffer_free(&z.b);
	limits_init(&f.lim);

	/* output over the limit is an internal failure, never truncation */
	f.lim.output_size = 100;
	zb_init(&z);
	zb_add_full(&z, "a.txt", "a.txt", "0123456789abcdef0123456789", 26,
	    false, 0, 0);
	zb_add_full(&z, "b.txt", "b.txt", "0123456789abcdef0123456789", 26,
	    false, 0, 0);
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), -1);
	assert_non_null(f.r->error);
	assert_int_equal(f.out.used, 0);
	buffer_free(&z.b);
	limits_init(&f.lim);
	free(zeros);
	fx_free(&f);
}

/* ---- tar, gzip, 7z ---------------------------------------------------- */

static void
test_tar(void **state)
{
	struct archive *a;
	struct buffer b;
	struct fx f;

	fx_init(&f);
	a = w_open(&b, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	w_add(a, "./", AE_IFDIR, NULL, NULL);
	w_add(a, "./doc.pdf", AE_IFREG, "%PDF-1.4\n", NULL);
	w_add(a, "./link", AE_IFLNK, NULL, "/etc/passwd");
	w_add(a, "./hard", AE_IFREG, NULL, "./doc.pdf");
	w_add(a, "./fifo", AE_IFIFO, NULL, NULL);
	w_add(a, "./名前.txt", AE_IFREG, "utf8", NULL);
	w_close(a);
	assert_int_equal(fx_run(&f, FT_TAR, b.data, b.used), 0);
	assert_int_equal(count_code(f.r, "archive.symlink", FINDING_REMOVED), 2);
	assert_int_equal(count_code(f.r, "archive.member_dropped",
	    FINDING_REMOVED), 1);
	assert_int_equal(report_verdict(f.r), VERDICT_SANITIZED);
	assert_string_equal(f.r->new_ext, "zip");
	assert_listing(&f, "doc.pdf=%PDF-1.4\n;名前.txt=utf8;");
	assert_idempotent(&f, FT_ZIP);
	buffer_free(&b);

	/* the same tar, gzipped: still a zip out */
	a = w_open(&b, ARCHIVE_FORMAT_TAR_USTAR);
	w_add(a, "../up.txt", AE_IFREG, "up", NULL);
	w_add(a, "in.txt", AE_IFREG, "in", NULL);
	w_close(a);
	{
		struct buffer gz;

		gzip_make(&gz, "x.tar", b.data, b.used);
		assert_int_equal(fx_run(&f, FT_GZIP, gz.data, gz.used), 0);
		buffer_free(&gz);
	}
	assert_int_equal(count_code(f.r, "archive.path_traversal",
	    FINDING_REMOVED), 1);
	assert_string_equal(f.r->new_ext, "zip");
	assert_listing(&f, "in.txt=in;");
	buffer_free(&b);
	fx_free(&f);
}

static void
test_gzip_single(void **state)
{
	struct buffer gz;
	struct fx f;
	char *got;

	fx_init(&f);
	gzip_make(&gz, "report.txt", "hello gzip\n", 11);
	assert_int_equal(fx_run(&f, FT_GZIP, gz.data, gz.used), 0);
	assert_int_equal(f.r->finding_count, 0);
	assert_null(f.r->new_ext);
	assert_string_equal(gzip_fname(&f.out), "report.txt");
	got = list_archive(f.out.data, f.out.used);
	assert_string_equal(got, "report.txt=hello gzip\n;");
	free(got);
	assert_string_equal(f.r->children->name, "report.txt");
	assert_idempotent(&f, FT_GZIP);
	buffer_free(&gz);

	/* zero blocks look like an empty tar; the content must survive */
	{
		static const unsigned char zero[4096];
		gzip_make(&gz, "blank.bin", zero, sizeof(zero));
		assert_int_equal(fx_run(&f, FT_GZIP, gz.data, gz.used), 0);
		assert_int_equal(f.r->finding_count, 0);
		assert_null(f.r->new_ext);
		assert_int_equal(gunzip_size(&f.out), sizeof(zero));
		buffer_free(&gz);
		gzip_make(&gz, "empty.txt", "", 0);
		assert_int_equal(fx_run(&f, FT_GZIP, gz.data, gz.used), 0);
		assert_int_equal(f.r->finding_count, 0);
		assert_int_equal(gunzip_size(&f.out), 0);
		assert_string_equal(gzip_fname(&f.out), "empty.txt");
		buffer_free(&gz);
	}

	gzip_make(&gz, "../../etc/cron.d/x.txt", "x", 1);
	assert_int_equal(fx_run(&f, FT_GZIP, gz.data, gz.used), 0);
	assert_int_equal(count_code(f.r, "archive.path_traversal",
	    FINDING_REMOVED), 1);
	assert_string_equal(gzip_fname(&f.out), "x.txt");
	buffer_free(&gz);

	gzip_make(&gz, "tool.exe", "MZ", 2);
	assert_int_equal(fx_run(&f, FT_GZIP, gz.data, gz.used), 0);
	assert_int_equal(count_code(f.r, "archive.member_dropped",
	    FINDING_BLOCKED), 1);
	assert_int_equal(f.out.used, 0);
	gz.data[gz.used - 5] ^= 0x55;	/* break the length trailer */
	assert_int_equal(fx_run(&f, FT_GZIP, gz.data, gz.used), 0);
	assert_int_equal(report_verdict(f.r), VERDICT_BLOCKED);
	buffer_free(&gz);
	fx_free(&f);
}

static void
test_7z(void **state)
{
	struct archive *a;
	struct buffer b;
	struct fx f;

	fx_init(&f);
	a = w_open(&b, ARCHIVE_FORMAT_7ZIP);
	w_add(a, "a.txt", AE_IFREG, "seven", NULL);
	w_add(a, "run.exe", AE_IFREG, "MZ", NULL);
	w_close(a);
	assert_int_equal(fx_run(&f, FT_7Z, b.data, b.used), 0);
	assert_int_equal(count_code(f.r, "archive.member_dropped",
	    FINDING_REMOVED), 1);
	assert_string_equal(f.r->new_ext, "zip");
	assert_listing(&f, "a.txt=seven;");
	/* read as the wrong type: malformed, not a crash */
	assert_int_equal(fx_run(&f, FT_RAR, b.data, b.used), 0);
	assert_int_equal(report_verdict(f.r), VERDICT_BLOCKED);
	buffer_free(&b);
	fx_free(&f);
}

static void
test_cp932_name(void **state)
{
	struct fx f;
	struct zb z;
	char *got;

	fx_init(&f);
	zb_init(&z);
	zb_add(&z, "\x93\xfa\x96\x7b.txt", "sjis");
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	assert_int_equal(f.r->finding_count, 0);
	got = list_archive(f.out.data, f.out.used);
	assert_true(strcmp(got, "日本.txt=sjis;") == 0 ||
	    strcmp(got, "%93%FA%96{.txt=sjis;") == 0);
	free(got);
	buffer_free(&z.b);
	fx_free(&f);
}

/* "code/action;" for every finding of a node. */
static char *
finding_list(const struct report *r)
{
	const struct report_finding *f;
	struct buffer b;

	buffer_init(&b, 1 << 20);
	buffer_append_str(&b, "");
	for (f = r->findings; f != NULL; f = f->next)
		buffer_printf(&b, "%s/%s;", f->code,
		    finding_action_name(f->action));
	return (char *)buffer_steal(&b, NULL);
}

/* Inspect mode finds exactly what sanitize does, and writes nothing. */
static void
test_inspect_parity(void **state)
{
	struct fx f;
	struct zb z;
	char *a, *b;

	fx_init(&f);
	zb_init(&z);
	zb_add(&z, "a.docx", "docx");
	zb_add(&z, "a.docm", "docm");	/* becomes a.docx: collides */
	zb_add(&z, "../up.txt", "x");
	zb_add(&z, "run.exe", "MZ");
	zb_add(&z, "CON", "x");
	zb_add(&z, "con", "x");
	zb_finish(&z);
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	a = finding_list(f.r);
	assert_string_equal(a, "archive.duplicate_name/removed;"
	    "archive.path_traversal/removed;archive.member_dropped/removed;"
	    "archive.unsafe_name/removed;archive.duplicate_name/removed;");
	assert_listing(&f, "a.docx=docx;_CON=x;");
	f.ctx.inspect = true;
	assert_int_equal(fx_run(&f, FT_ZIP, z.b.data, z.b.used), 0);
	b = finding_list(f.r);
	assert_string_equal(a, b);
	assert_int_equal(f.out.used, 0);
	free(a);
	free(b);
	buffer_free(&z.b);
	fx_free(&f);
}

static void
test_zipdir(void **state)
{
	struct arena *arena = arena_create(1 << 20);
	struct zipdir_info zi;
	struct zb z;
	struct buffer pre;

	zb_init(&z);
	zb_add(&z, "a", "1");
	zb_add(&z, "b", "2");
	zb_finish(&z);
	assert_int_equal(zipdir_check(arena, z.b.data, z.b.used, 10, &zi), 0);
	assert_null(zi.problem);
	assert_int_equal(zi.entries, 2);
	assert_int_equal(zipdir_check(arena, z.b.data, z.b.used, 1, &zi), 0);
	assert_int_equal(zi.entries, 2);
	/* prepended bytes (self-extractor) are fine */
	buffer_init(&pre, 1 << 20);
	buffer_append(&pre, "MZ-stub-MZ-stub", 15);
	buffer_append(&pre, z.b.data, z.b.used);
	assert_int_equal(zipdir_check(arena, pre.data, pre.used, 10, &zi), 0);
	assert_null(zi.problem);
	/* every truncation is refused, never read out of bounds */
	for (size_t n = 0; n < z.b.used; n++) {
		assert_int_equal(zipdir_check(arena, z.b.data, n, 10, &zi), 0);
		assert_non_null(zi.problem);
	}
	buffer_free(&pre);
	buffer_free(&z.b);
	arena_destroy(arena);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_classify),
		cmocka_unit_test(test_name_rewrite),
		cmocka_unit_test(test_name_utf8_and_set),
		cmocka_unit_test(test_zipdir),
		cmocka_unit_test(test_clean_zip),
		cmocka_unit_test(test_member_dropped),
		cmocka_unit_test(test_traversal_absolute),
		cmocka_unit_test(test_duplicates_and_unsafe),
		cmocka_unit_test(test_zip_mismatch_overlap),
		cmocka_unit_test(test_encrypted_and_broken),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_tar),
		cmocka_unit_test(test_gzip_single),
		cmocka_unit_test(test_7z),
		cmocka_unit_test(test_cp932_name),
		cmocka_unit_test(test_inspect_parity),
	};

	/* The process stays in the C locale (as the worker does): the
	   module must decode UTF-8 names by itself. */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
