/* test-tnef - TNEF files, names, bodies, compressed RTF, damage and limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tnef.h"

/* Samples and their .expect files, from tests/corpus/gen/mailenc.py. */
static const char *samples_dir;

/* MS-OXRTFCP 4.1 and 4.2. */
static const unsigned char rtf41[] = {
	0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46,
	0x75, 0xf1, 0xc5, 0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63,
	0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20, 0x68,
	0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64,
	0x7d, 0x0a, 0x80, 0x0f, 0xa0
};
static const char rtf41_plain[] =
    "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n";
static const unsigned char rtf42[] = {
	0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46,
	0x75, 0xe2, 0xd4, 0x4b, 0x51, 0x41, 0x00, 0x04, 0x20, 0x57, 0x58,
	0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0
};
static const char rtf42_plain[] = "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}";

static unsigned char *
load_ok(const char *name, size_t *len)
{
	char path[4096];
	unsigned char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", samples_dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("sample %s missing: run tests/corpus/gen/mailenc.py",
		    name);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
unhex(const char *hex, char *out, size_t cap)
{
	size_t i = 0;
	unsigned v;

	if (strcmp(hex, "-") == 0) {
		out[0] = '\0';
		return;
	}
	for (; hex[0] && hex[1] && i + 1 < cap; hex += 2) {
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		out[i++] = (char)v;
	}
	out[i] = '\0';
}

struct run {
	struct arena *a;
	struct limits lim;
	struct tnef_result res;
	unsigned char *in;
	size_t len;
	int ret;
};

static void
run_sample(struct run *r, const char *name)
{
	r->in = load_ok(name, &r->len);
	r->a = arena_create(256 << 20);
	assert_non_null(r->a);
	r->ret = tnef_unpack(r->a, &r->lim, r->in, r->len, &r->res);
}

static void
run_free(struct run *r)
{
	arena_destroy(r->a);
	free(r->in);
}

/* Compare tnef_unpack on sample name with name.expect. */
static void
check_sample(const char *name)
{
	char ename[256], line[4096], nhex[2048], pname[256], wname[1024];
	const struct tnef_file *f;
	unsigned char *want;
	size_t wlen;
	unsigned n = 0, seen = 0;
	int v;
	struct run r;
	FILE *ef;

	limits_init(&r.lim);
	run_sample(&r, name);
	assert_int_equal(r.ret, 0);
	snprintf(ename, sizeof(ename), "%s/%s.expect", samples_dir, name);
	ef = fopen(ename, "r");
	assert_non_null(ef);
	f = r.res.files;
	while (fgets(line, sizeof(line), ef) != NULL) {
		if (sscanf(line, "file %2047s %255s", nhex, pname) == 2) {
			n++;
			if (f == NULL)
				fail_msg("%s: file %u missing", name, n);
			unhex(nhex, wname, sizeof(wname));
			assert_string_equal(f->name, wname);
			want = load_ok(pname, &wlen);
			assert_int_equal(f->len, wlen);
			if (wlen > 0)
				assert_memory_equal(f->data, want, wlen);
			else
				assert_null(f->data);
			free(want);
			f = f->next;
		} else if (sscanf(line, "body %2047s", nhex) == 1) {
			unhex(nhex, wname, sizeof(wname));
			seen |= 1;
			assert_non_null(r.res.body_text);
			assert_string_equal(r.res.body_text, wname);
		} else if (sscanf(line, "rtf %255s", pname) == 1) {
			want = load_ok(pname, &wlen);
			seen |= 2;
			assert_non_null(r.res.body_rtf);
			assert_int_equal(r.res.body_rtf_len, wlen);
			assert_memory_equal(r.res.body_rtf, want, wlen);
			free(want);
		} else if (sscanf(line, "html %255s", pname) == 1) {
			want = load_ok(pname, &wlen);
			seen |= 4;
			assert_int_equal(r.res.body_html_len, wlen);
			assert_memory_equal(r.res.body_html, want, wlen);
			free(want);
		} else if (sscanf(line, "malformed %d", &v) == 1) {
			if ((int)r.res.malformed != v)
				fail_msg("%s: malformed %d, want %d", name,
				    r.res.malformed, v);
		} else if (sscanf(line, "limit %d", &v) == 1)
			assert_int_equal(r.res.limit_hit, v);
	}
	fclose(ef);
	if (!(seen & 1))
		assert_null(r.res.body_text);
	if (!(seen & 2))
		assert_null(r.res.body_rtf);
	if (!(seen & 4))
		assert_null(r.res.body_html);
	assert_null(f);
	assert_int_equal(r.res.count, n);
	run_free(&r);
}

static void
test_samples(void **state)
{
	static const char *names[] = {
		"tnef_two.tnef", "tnef_longname.tnef", "tnef_truncated.tnef",
		"tnef_embedded.tnef", "tnef_badsum.tnef", "tnef_nosig.tnef",
		"tnef_conflict.tnef",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_sample(names[i]);
}

/* The same facts written out, so a wrong generator cannot hide a bug. */
static void
test_two_attachments(void **state)
{
	struct run r;
	const struct tnef_file *f;

	(void)state;
	limits_init(&r.lim);
	run_sample(&r, "tnef_two.tnef");
	assert_int_equal(r.ret, 0);
	assert_false(r.res.malformed);
	assert_false(r.res.limit_hit);
	assert_int_equal(r.res.count, 2);
	f = r.res.files;
	assert_string_equal(f->name, "report.pdf");
	assert_int_equal(f->len, 24 + 2000);
	assert_memory_equal(f->data, "%PDF-1.4\n", 9);
	/* Zero copy: the data lies inside the input. */
	assert_true(f->data > r.in && f->data + f->len <= r.in + r.len);
	f = f->next;
	assert_string_equal(f->name, "yoyaku.txt");
	assert_int_equal(f->len, 20 * 22);
	assert_memory_equal(f->data, "\x89\xef\x8b\x63\x8e\xba", 6);
	assert_null(f->next);
	/* PR_BODY (Unicode) wins over the legacy attBody. */
	assert_string_equal(r.res.body_text,
	    "本文です。TNEF の中のプレーンテキスト。\r\n");
	assert_int_equal(r.res.body_rtf_len, sizeof(rtf41_plain) - 1);
	assert_memory_equal(r.res.body_rtf, rtf41_plain,
	    sizeof(rtf41_plain) - 1);
	assert_null(r.res.body_html);
	run_free(&r);
}

static void
test_long_filename(void **state)
{
	struct run r;

	(void)state;
	limits_init(&r.lim);
	run_sample(&r, "tnef_longname.tnef");
	assert_int_equal(r.res.count, 1);
	assert_string_equal(r.res.files->name,
	    "令和6年度_予算案（最終版）.xlsx");
	assert_int_equal(r.res.files->len, 504);
	assert_memory_equal(r.res.files->data, "PK\x03\x04", 4);
	assert_string_equal(r.res.body_text, "\x96\x7b\x95\xb6\r\n");
	assert_memory_equal(r.res.body_rtf, rtf42_plain,
	    sizeof(rtf42_plain) - 1);
	run_free(&r);
}

/* Every prefix of a stream: never a crash, and reported unless the
   cut falls between two attributes (TNEF has no end marker, so such a
   prefix is a valid, shorter stream). */
static void
test_truncated_everywhere(void **state)
{
	struct run r;
	struct tnef_result res;
	size_t n, next = 6;
	bool boundary;

	(void)state;
	limits_init(&r.lim);
	run_sample(&r, "tnef_two.tnef");
	for (n = 0; n < r.len; n++) {
		unsigned char *cut = malloc(n + 1);

		assert_non_null(cut);
		memcpy(cut, r.in, n);
		boundary = n == next;
		if (boundary)	/* level, id, length, data, checksum */
			next += 11 + (size_t)(r.in[n + 5] |
			    r.in[n + 6] << 8 | r.in[n + 7] << 16);
		assert_int_equal(tnef_unpack(r.a, &r.lim, cut, n, &res), 0);
		if (res.malformed == boundary)
			fail_msg("prefix %zu: malformed %d", n, res.malformed);
		assert_true(res.count <= 2);
		free(cut);
	}
	assert_int_equal(next, r.len);
	run_free(&r);
}

static void
test_limits(void **state)
{
	struct run r;

	(void)state;
	limits_init(&r.lim);
	r.lim.mime_parts = 1;
	run_sample(&r, "tnef_two.tnef");
	assert_int_equal(r.res.count, 1);
	assert_true(r.res.limit_hit);
	assert_string_equal(r.res.limit_code, "limit.mime_parts");
	assert_string_equal(r.res.files->name, "report.pdf");
	run_free(&r);

	limits_init(&r.lim);
	r.lim.file_size = 100;
	run_sample(&r, "tnef_two.tnef");
	assert_int_equal(r.res.count, 0);
	assert_true(r.res.limit_hit);
	assert_string_equal(r.res.limit_code, "limit.file_size");
	run_free(&r);

	/* An embedded message one level too deep is not read. */
	limits_init(&r.lim);
	r.lim.mime_depth = 1;
	run_sample(&r, "tnef_embedded.tnef");
	assert_int_equal(r.res.count, 0);
	assert_true(r.res.limit_hit);
	assert_string_equal(r.res.limit_code, "limit.mime_depth");
	run_free(&r);

	limits_init(&r.lim);
	r.lim.mime_depth = 2;
	run_sample(&r, "tnef_embedded.tnef");
	assert_int_equal(r.res.count, 1);
	assert_string_equal(r.res.files->name, "inner.txt");
	assert_false(r.res.limit_hit);
	assert_null(r.res.limit_code);
	run_free(&r);
}

static void
test_lzfu_vectors(void **state)
{
	struct arena *a = arena_create(1 << 20);
	struct limits lim;
	const unsigned char *out;
	unsigned char bad[sizeof(rtf41)];
	size_t len;
	bool limit;

	(void)state;
	limits_init(&lim);
	assert_int_equal(tnef_rtf_decompress(a, &lim, rtf41, sizeof(rtf41),
	    &out, &len, &limit), 0);
	assert_int_equal(len, sizeof(rtf41_plain) - 1);
	assert_memory_equal(out, rtf41_plain, len);
	assert_int_equal(tnef_rtf_decompress(a, &lim, rtf42, sizeof(rtf42),
	    &out, &len, &limit), 0);
	assert_int_equal(len, sizeof(rtf42_plain) - 1);
	assert_memory_equal(out, rtf42_plain, len);

	/* One flipped bit: the CRC says no. */
	memcpy(bad, rtf41, sizeof(bad));
	bad[30] ^= 1;
	assert_int_equal(tnef_rtf_decompress(a, &lim, bad, sizeof(bad), &out,
	    &len, &limit), 1);
	assert_false(limit);
	assert_null(out);
	/* A raw size that cannot come from so few bytes. */
	memcpy(bad, rtf41, sizeof(bad));
	bad[6] = 0x10;
	assert_int_equal(tnef_rtf_decompress(a, &lim, bad, sizeof(bad), &out,
	    &len, &limit), 1);
	/* Truncated. */
	assert_int_equal(tnef_rtf_decompress(a, &lim, rtf41, 30, &out, &len,
	    &limit), 1);
	/* Over file_size. */
	lim.file_size = 10;
	assert_int_equal(tnef_rtf_decompress(a, &lim, rtf41, sizeof(rtf41),
	    &out, &len, &limit), 1);
	assert_true(limit);
	arena_destroy(a);
}

static void
test_arena_exhausted(void **state)
{
	struct limits lim;
	struct tnef_result res;
	unsigned char *in;
	size_t len;
	struct arena *a;

	(void)state;
	limits_init(&lim);
	in = load_ok("tnef_two.tnef", &len);
	a = arena_create(100);
	assert_non_null(a);
	assert_int_equal(tnef_unpack(a, &lim, in, len, &res), -1);
	arena_destroy(a);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_two_attachments),
		cmocka_unit_test(test_long_filename),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_lzfu_vectors),
		cmocka_unit_test(test_arena_exhausted),
	};

	if ((samples_dir = getenv("SANSO_MAILENC_SAMPLES")) == NULL) {
		fprintf(stderr, "SANSO_MAILENC_SAMPLES not set: skipped\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
