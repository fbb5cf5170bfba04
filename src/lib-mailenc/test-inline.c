/* test-inline - uuencode/yEnc/BinHex blocks: exact ranges, bytes, damage, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "inline.h"

/* Samples and their .expect files, from tests/corpus/gen/mailenc.py. */
static const char *samples_dir;

/* Read a sample file whole; NULL when it is missing. */
static unsigned char *
load(const char *name, size_t *len)
{
	char path[4096];
	unsigned char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", samples_dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static unsigned char *
load_ok(const char *name, size_t *len)
{
	unsigned char *b = load(name, len);

	if (b == NULL)
		fail_msg("sample %s missing: run tests/corpus/gen/mailenc.py",
		    name);
	return b;
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
	struct inline_result res;
	int ret;
};

static void
run(struct run *r, const void *text, size_t len)
{
	r->a = arena_create(256 << 20);
	assert_non_null(r->a);
	r->ret = inline_find(r->a, &r->lim, text, len, &r->res);
}

/* Compare inline_find on sample name with name.expect, line by line. */
static void
check_sample(const char *name)
{
	char ename[256], line[1024], kind[32], nhex[512], pname[256];
	char want_name[256], limit[16];
	const struct inline_block *b;
	unsigned char *text, *want;
	size_t len, wlen, start, end;
	unsigned n = 0, rest;
	int damaged, k;
	struct run r;
	FILE *f;

	limits_init(&r.lim);
	text = load_ok(name, &len);
	run(&r, text, len);
	assert_int_equal(r.ret, 0);
	snprintf(ename, sizeof(ename), "%s/%s.expect", samples_dir, name);
	f = fopen(ename, "r");
	assert_non_null(f);
	b = r.res.blocks;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "block %31s %zu %zu %d %511s %255s", kind,
		    &start, &end, &damaged, nhex, pname) == 6) {
			n++;
			if (b == NULL)
				fail_msg("%s: block %u missing", name, n);
			assert_string_equal(inline_kind_name(b->kind), kind);
			assert_int_equal(b->start, start);
			assert_int_equal(b->end, end);
			if ((int)b->damaged != damaged)
				fail_msg("%s: block %u damaged %d, want %d",
				    name, n, b->damaged, damaged);
			unhex(nhex, want_name, sizeof(want_name));
			assert_string_equal(b->name, want_name);
			assert_false(b->too_big);
			want = load_ok(pname, &wlen);
			assert_int_equal(b->len, wlen);
			assert_memory_equal(b->data, want, wlen);
			free(want);
			b = b->next;
		} else if ((k = sscanf(line, "limit %15s %u", limit,
		    &rest)) >= 1) {
			assert_int_equal(r.res.limit_parts,
			    strcmp(limit, "parts") == 0);
			assert_int_equal(r.res.limit_size,
			    strcmp(limit, "size") == 0);
			assert_int_equal(r.res.rest, k == 2 ? rest : len);
		}
	}
	fclose(f);
	assert_null(b);
	assert_int_equal(r.res.count, n);
	arena_destroy(r.a);
	free(text);
}

static void
test_samples(void **state)
{
	static const char *names[] = {
		"uu_japanese.txt", "uu_crlf_sjis.txt", "uu_unterminated.txt",
		"uu_two.txt", "uu_base64.txt", "yenc_ok.txt",
		"yenc_badcrc.txt", "yenc_part.txt", "binhex_ok.txt",
		"binhex_badcrc.txt", "mixed.txt", "plain.txt",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_sample(names[i]);
}

/* The Japanese sample, checked by hand as well: the cut leaves the
   text around it intact. */
static void
test_uu_japanese_cut(void **state)
{
	static const char before[] = "資料は以下の通りです:\n";
	static const char after[] = "\n以上、よろしくお願いいたします。\n";
	unsigned char *text;
	size_t len;
	struct run r;
	const struct inline_block *b;

	(void)state;
	limits_init(&r.lim);
	text = load_ok("uu_japanese.txt", &len);
	run(&r, text, len);
	assert_int_equal(r.res.count, 1);
	b = r.res.blocks;
	assert_int_equal(b->kind, INLINE_UUENCODE);
	assert_true(b->start >= sizeof(before) - 1);
	assert_memory_equal(text + b->start - (sizeof(before) - 1), before,
	    sizeof(before) - 1);
	assert_memory_equal(text + b->start, "begin 644 ", 10);
	assert_memory_equal(text + b->end - 3, "end", 3);
	assert_memory_equal(text + b->end, after, sizeof(after) - 1);
	assert_string_equal(b->name, "資料.bin");
	assert_int_equal(b->len, 300);
	assert_int_equal(b->data[0], 0);
	assert_int_equal(b->data[1], 7);
	assert_int_equal(b->data[299], (299 * 7 + 1) & 0xff);
	assert_false(b->damaged);
	arena_destroy(r.a);
	free(text);
}

static void
test_crlf_and_lone_cr(void **state)
{
	static const char crlf[] =
	    "a\r\nbegin 644 x y.txt\r\n#86)C\r\n`\r\nend\r\nb\r\n";
	static const char cr[] = "x\rbegin 644 f\r#86)C\r`\rend\rtail";
	struct run r;

	(void)state;
	limits_init(&r.lim);
	run(&r, crlf, sizeof(crlf) - 1);
	assert_int_equal(r.res.count, 1);
	assert_int_equal(r.res.blocks->start, 3);
	assert_int_equal(r.res.blocks->end, sizeof(crlf) - 1 - 5);
	assert_string_equal(r.res.blocks->name, "x y.txt");
	assert_int_equal(r.res.blocks->len, 3);
	assert_memory_equal(r.res.blocks->data, "abc", 3);
	assert_false(r.res.blocks->damaged);
	arena_destroy(r.a);

	run(&r, cr, sizeof(cr) - 1);
	assert_int_equal(r.res.count, 1);
	assert_int_equal(r.res.blocks->start, 2);
	assert_memory_equal(cr + r.res.blocks->end, "\rtail", 5);
	assert_memory_equal(r.res.blocks->data, "abc", 3);
	arena_destroy(r.a);
}

/* Mentions, quotes and near misses are text, not blocks. */
static void
test_not_blocks(void **state)
{
	static const char t[] =
	    "Let us begin 644 tests today.\n"
	    "> begin 644 quoted.txt\n"
	    " begin 644 indented\n"
	    "begin 64 x\n"
	    "begin 64444 x\n"
	    "begin 648 x\n"
	    "beginning 644 y\n"
	    "=ybeginning\n"
	    "about BinHex 4.0 files\n";
	struct run r;

	(void)state;
	limits_init(&r.lim);
	run(&r, t, sizeof(t) - 1);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.res.count, 0);
	assert_null(r.res.blocks);
	assert_int_equal(r.res.rest, sizeof(t) - 1);
	arena_destroy(r.a);
}

/* Detection is wide: any case, 4-digit modes, no name at all. */
static void
test_wide_detection(void **state)
{
	static const char t[] = "BEGIN 0644\n#86)C\nend\n"
	    "=YBEGIN size=3\n"
	    "\x8b\x8c\x8d\n=yend size=3\n";
	struct run r;

	(void)state;
	limits_init(&r.lim);
	run(&r, t, sizeof(t) - 1);
	assert_int_equal(r.res.count, 2);
	assert_string_equal(r.res.blocks->name, "");
	assert_memory_equal(r.res.blocks->data, "abc", 3);
	assert_int_equal(r.res.blocks->next->kind, INLINE_YENC);
	assert_int_equal(r.res.blocks->next->len, 3);
	assert_memory_equal(r.res.blocks->next->data, "abc", 3);
	assert_false(r.res.blocks->next->damaged);	/* no crc is fine */
	arena_destroy(r.a);
}

static void
test_yenc_unterminated_and_bad_size(void **state)
{
	static const char open[] = "=ybegin size=3 name=a b\n\x8b\x8c\x8d\n";
	static const char size[] = "=ybegin size=4 name=s\n\x8b\x8c\x8d\n"
	    "=yend size=3\nafter\n";
	struct run r;

	(void)state;
	limits_init(&r.lim);
	run(&r, open, sizeof(open) - 1);
	assert_int_equal(r.res.count, 1);
	assert_true(r.res.blocks->damaged);
	assert_string_equal(r.res.blocks->name, "a b");
	assert_int_equal(r.res.blocks->end, sizeof(open) - 2);
	assert_memory_equal(r.res.blocks->data, "abc", 3);
	arena_destroy(r.a);

	run(&r, size, sizeof(size) - 1);
	assert_int_equal(r.res.count, 1);
	assert_true(r.res.blocks->damaged);
	assert_memory_equal(size + r.res.blocks->end, "\nafter", 6);
	arena_destroy(r.a);
}

static void
test_binhex_no_colon(void **state)
{
	static const char t[] = "hi\n(This file must be converted with "
	    "BinHex 4.0)\nnothing follows\n";
	static const char many[] =
	    "(This file must be converted with BinHex 4.0)\nx\n"
	    "(This file must be converted with BinHex 4.0)\nyyyy\n"
	    "(this file must be converted with binhex 5)\n";
	struct run r;

	(void)state;
	limits_init(&r.lim);
	run(&r, t, sizeof(t) - 1);
	assert_int_equal(r.res.count, 1);
	assert_int_equal(r.res.blocks->kind, INLINE_BINHEX);
	assert_int_equal(r.res.blocks->start, 3);
	assert_memory_equal(t + r.res.blocks->end, "\nnothing", 8);
	assert_true(r.res.blocks->damaged);
	assert_null(r.res.blocks->data);
	arena_destroy(r.a);

	/* Several: each is its header line alone. */
	run(&r, many, sizeof(many) - 1);
	assert_int_equal(r.res.count, 3);
	assert_int_equal(r.res.blocks->next->start, 48);
	assert_int_equal(r.res.blocks->next->end, 93);
	assert_int_equal(r.res.blocks->next->next->start, 99);
	arena_destroy(r.a);
}

/* mime_parts stops the scan and says where; nothing is lost quietly. */
static void
test_limit_parts(void **state)
{
	unsigned char *text;
	size_t len;
	struct run r;

	(void)state;
	limits_init(&r.lim);
	r.lim.mime_parts = 1;
	text = load_ok("uu_two.txt", &len);
	run(&r, text, len);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.res.count, 1);
	assert_true(r.res.limit_parts);
	assert_int_equal(r.res.rest, 138);	/* the second begin line */
	assert_memory_equal(text + r.res.rest, "begin 755 b.sh", 14);
	arena_destroy(r.a);

	r.lim.mime_parts = 0;
	run(&r, text, len);
	assert_int_equal(r.res.count, 0);
	assert_true(r.res.limit_parts);
	assert_int_equal(r.res.rest, 7);
	arena_destroy(r.a);
	free(text);
}

/* file_size: a block that does not fit is cut but not decoded. */
static void
test_limit_size(void **state)
{
	unsigned char *text;
	size_t len;
	struct run r;

	(void)state;
	limits_init(&r.lim);
	r.lim.file_size = 60;	/* a.txt (45) fits, b.sh (100) does not */
	text = load_ok("uu_two.txt", &len);
	run(&r, text, len);
	assert_int_equal(r.res.count, 2);
	assert_true(r.res.limit_size);
	assert_false(r.res.limit_parts);
	assert_false(r.res.blocks->too_big);
	assert_int_equal(r.res.blocks->len, 45);
	assert_true(r.res.blocks->next->too_big);
	assert_null(r.res.blocks->next->data);
	assert_int_equal(r.res.blocks->next->start, 138);
	assert_int_equal(r.res.blocks->next->end, 300);
	arena_destroy(r.a);
	free(text);

	/* BinHex: the header's fork sizes are checked before decoding. */
	text = load_ok("binhex_ok.txt", &len);
	r.lim.file_size = 100;
	run(&r, text, len);
	assert_int_equal(r.res.count, 1);
	assert_true(r.res.blocks->too_big);
	assert_string_equal(r.res.blocks->name, "Read Me.txt");
	arena_destroy(r.a);
	free(text);
}

static void
test_arena_exhausted(void **state)
{
	unsigned char *text;
	size_t len;
	struct arena *a;
	struct limits lim;
	struct inline_result res;

	(void)state;
	limits_init(&lim);
	text = load_ok("yenc_ok.txt", &len);
	a = arena_create(200);
	assert_non_null(a);
	assert_int_equal(inline_find(a, &lim, (char *)text, len, &res), -1);
	arena_destroy(a);
	free(text);
}

/* Every prefix of every block kind: no crash, ranges stay in bounds. */
static void
test_prefixes(void **state)
{
	unsigned char *text;
	size_t len, n;
	struct run r;
	const struct inline_block *b;

	(void)state;
	limits_init(&r.lim);
	text = load_ok("mixed.txt", &len);
	for (n = 0; n <= len; n++) {
		run(&r, text, n);
		assert_int_equal(r.ret, 0);
		for (b = r.res.blocks; b != NULL; b = b->next) {
			assert_true(b->start <= b->end && b->end <= n);
			if (b->next != NULL)
				assert_true(b->end < b->next->start);
		}
		arena_destroy(r.a);
	}
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_uu_japanese_cut),
		cmocka_unit_test(test_crlf_and_lone_cr),
		cmocka_unit_test(test_not_blocks),
		cmocka_unit_test(test_wide_detection),
		cmocka_unit_test(test_yenc_unterminated_and_bad_size),
		cmocka_unit_test(test_binhex_no_colon),
		cmocka_unit_test(test_limit_parts),
		cmocka_unit_test(test_limit_size),
		cmocka_unit_test(test_arena_exhausted),
		cmocka_unit_test(test_prefixes),
	};

	if ((samples_dir = getenv("SANSO_MAILENC_SAMPLES")) == NULL) {
		fprintf(stderr, "SANSO_MAILENC_SAMPLES not set: skipped\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
