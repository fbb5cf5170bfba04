/* test-text_cdr - text copied, CSV formula cells neutralised and only those. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text_cdr.h"

struct run {
	struct arena *arena;
	struct report *r;
	struct buffer out;
	struct limits limits;
	struct cdr_options opts;
	struct cdr_ctx ctx;
	int ret;
};

static void
run_fn(struct run *t, cdr_format_fn *fn, const void *in, size_t len,
    bool inspect)
{
	memset(t, 0, sizeof(*t));
	t->arena = arena_create(64 << 20);
	assert_non_null(t->arena);
	t->r = report_new(t->arena, "t.csv");
	limits_init(&t->limits);
	cdr_options_init(&t->opts);
	t->ctx.arena = t->arena;
	t->ctx.limits = &t->limits;
	t->ctx.opts = &t->opts;
	t->ctx.inspect = inspect;
	buffer_init(&t->out, 64 << 20);
	t->ret = fn(&t->ctx, t->r, FT_CSV, in, len, &t->out);
}

static void
run_csv(struct run *t, const char *s)
{
	run_fn(t, csv_cdr, s, strlen(s), false);
}

static void
run_free(struct run *t)
{
	buffer_free(&t->out);
	arena_destroy(t->arena);
}

static const char *
out_str(const struct run *t)
{
	return t->out.data != NULL ? (const char *)t->out.data : "";
}

static unsigned
count_code(const struct report *r, const char *code)
{
	const struct report_finding *f;
	unsigned n = 0;

	for (f = r->findings; f != NULL; f = f->next) {
		if (strcmp(f->code, code) == 0 && f->action == FINDING_REMOVED)
			n++;
	}
	return n;
}

/* Records and fields of an RFC 4180 reading, as "3,2,4" (fields per
   record): the structure must not change when quotes are inserted. */
static void
csv_shape(const unsigned char *p, size_t n, char *shape, size_t size)
{
	size_t i = 0, fields = 1, used = 0;
	bool inq = false;

	shape[0] = '\0';
	for (i = 0; i < n; i++) {
		if (inq) {
			if (p[i] == '"' && i + 1 < n && p[i + 1] == '"')
				i++;
			else if (p[i] == '"')
				inq = false;
		} else if (p[i] == '"')
			inq = true;
		else if (p[i] == ',')
			fields++;
		else if (p[i] == '\n' || i + 1 == n) {
			used += (size_t)snprintf(shape + used, size - used,
			    "%zu,", fields);
			fields = 1;
		}
	}
}

/* Second run: nothing found, nothing changed; shape as the input's. */
static void
assert_stable(const struct run *t, const char *in)
{
	char s1[256], s2[256];
	struct run again;

	run_fn(&again, csv_cdr, t->out.data, t->out.used, false);
	assert_int_equal(again.ret, 0);
	assert_null(again.r->findings);
	assert_int_equal(again.out.used, t->out.used);
	assert_memory_equal(again.out.data, t->out.data, t->out.used);
	csv_shape((const unsigned char *)in, strlen(in), s1, sizeof(s1));
	csv_shape(t->out.data, t->out.used, s2, sizeof(s2));
	assert_string_equal(s1, s2);
	run_free(&again);
}

/* A file of the public corpus (shared/corpus beside the checkout, given
   by meson in $SANSO_SHARED_CORPUS); NULL when it is not there. */
static const char *
shared_file(const char *rel)
{
	static char path[4][1024];
	static int slot;
	const char *dir = getenv("SANSO_SHARED_CORPUS");

	if (dir == NULL || dir[0] == '\0')
		return NULL;
	slot = (slot + 1) % 4;
	snprintf(path[slot], sizeof(path[slot]), "%s/%s", dir, rel);
	return path[slot];
}

static void
test_text_copied(void **state)
{
	const char *in = "=cmd|' /c calc'!A0\r\n日本語のテキスト\n";
	struct run t;

	run_fn(&t, text_cdr, in, strlen(in), false);
	assert_int_equal(t.ret, 0);
	assert_null(t.r->findings);
	assert_string_equal(out_str(&t), in);
	run_free(&t);
	run_fn(&t, text_cdr, in, strlen(in), true);
	assert_int_equal(t.out.used, 0);
	run_free(&t);
	run_fn(&t, text_cdr, "", 0, false);
	assert_int_equal(t.ret, 0);
	assert_int_equal(t.out.used, 0);
	run_free(&t);
}

static void
test_csv_formulas(void **state)
{
	const char *in = "a,b,c,d\r\n"
	    "=HYPERLINK(\"http://x\",\"y\"),@SUM(A1),-2+3,+cmd|x!A0\r\n"
	    "\"=1+1\",\"  -1+x\",\" \"\"@x\"\"\",\t=A1\r\n";
	struct run t;

	run_csv(&t, in);
	assert_int_equal(t.ret, 0);
	assert_int_equal(count_code(t.r, "csv.formula"), 8);
	assert_int_equal(report_verdict(t.r), VERDICT_SANITIZED);
	assert_string_equal(out_str(&t), "a,b,c,d\r\n"
	    "'=HYPERLINK(\"http://x\",\"y\"),'@SUM(A1),'-2+3,'+cmd|x!A0\r\n"
	    "\"'=1+1\",\"  '-1+x\",\" \"\"'@x\"\"\",\t'=A1\r\n");
	assert_stable(&t, in);
	run_free(&t);
}

static void
test_csv_harmless(void **state)
{
	const char *in = "n,phone,x\r\n-12.5,+81-3-1234-5678,-\r\n"
	    "+81,\"-1,234\",--\r\n-1e-3,12%,\"a, \"\"b\"\"\r\nc=d\"\r\n"
	    "\"+81 (3) 1234 5678\",-0.5%,x-1\r\n";
	struct run t;

	run_csv(&t, in);
	assert_int_equal(t.ret, 0);
	assert_null(t.r->findings);
	assert_int_equal(report_verdict(t.r), VERDICT_CLEAN);
	assert_string_equal(out_str(&t), in);
	run_free(&t);
}

static void
test_csv_fullwidth(void **state)
{
	/* UTF-8 ＝ and ＠, an ideographic space before －, a － placeholder. */
	const char *utf8 = "\xef\xbc\x9dSUM(1),\xef\xbc\xa0x,"
	    "\xe3\x80\x80\xef\xbc\x8d" "cmd|x,\xef\xbc\x8d,\xe6\x97\xa5\n";
	/* Shift_JIS ＝ (81 81), ＋ (81 7b) and 日本 (93 fa 96 7b). */
	const char *sjis = "\x81\x81" "A1,\x81\x7b" "1+1,\x93\xfa\x96\x7b\n";
	struct run t;

	run_csv(&t, utf8);
	assert_int_equal(count_code(t.r, "csv.formula"), 3);
	assert_string_equal(out_str(&t), "'\xef\xbc\x9dSUM(1),'\xef\xbc\xa0x,"
	    "\xe3\x80\x80'\xef\xbc\x8d" "cmd|x,\xef\xbc\x8d,\xe6\x97\xa5\n");
	assert_stable(&t, utf8);
	run_free(&t);
	run_csv(&t, sjis);
	assert_int_equal(count_code(t.r, "csv.formula"), 2);
	assert_string_equal(out_str(&t),
	    "'\x81\x81" "A1,'\x81\x7b" "1+1,\x93\xfa\x96\x7b\n");
	run_free(&t);
}

static void
test_csv_other_separators(void **state)
{
	const char *in = "a;=1+1;-5\nb\t@x\tc;-x(1)\n";
	const char *sep = "sep=;\na;-2+3;+1\n";
	struct run t;

	run_csv(&t, in);
	assert_int_equal(count_code(t.r, "csv.formula"), 3);
	assert_string_equal(out_str(&t), "a;'=1+1;-5\nb\t'@x\tc;'-x(1)\n");
	assert_stable(&t, in);
	run_free(&t);
	/* With sep=; the semicolon is the real separator: full rules. */
	run_csv(&t, sep);
	assert_int_equal(count_code(t.r, "csv.formula"), 1);
	assert_string_equal(out_str(&t), "sep=;\na;'-2+3;+1\n");
	run_free(&t);
}

static void
test_csv_tsv_euc_utf16(void **state)
{
	/* UTF-16LE with BOM: "=1,-3\r\n\u65e5,x\t-2+3\r\n". */
	static const unsigned char u16[] = {
		0xff, 0xfe, '=', 0, '1', 0, ',', 0, '-', 0, '3', 0, '\r', 0,
		'\n', 0, 0xe5, 0x65, ',', 0, 'x', 0, '\t', 0, '-', 0, '2', 0,
		'+', 0, '3', 0, '\r', 0, '\n', 0,
	};
	/* EUC-JP ＝ (a1 e1) and 日本語 (not valid Shift_JIS: ec 0a). */
	const char *euc = "\xa1\xe1" "A1,\xc6\xfc\xcb\xdc\xb8\xec\n";
	struct run t;

	/* Tab-separated (.tsv reaches csv_cdr too): full rules for tabs. */
	run_csv(&t, "a\tb\nx\t-2+3\ny\t-4\n");
	assert_int_equal(count_code(t.r, "csv.formula"), 1);
	assert_string_equal(out_str(&t), "a\tb\nx\t'-2+3\ny\t-4\n");
	run_free(&t);
	run_csv(&t, euc);
	assert_int_equal(count_code(t.r, "csv.formula"), 1);
	assert_string_equal(out_str(&t),
	    "'\xa1\xe1" "A1,\xc6\xfc\xcb\xdc\xb8\xec\n");
	run_free(&t);
	run_fn(&t, csv_cdr, u16, sizeof(u16), false);
	assert_int_equal(count_code(t.r, "csv.formula"), 1);
	assert_int_equal(t.out.used, sizeof(u16) + 2);
	assert_memory_equal(t.out.data, "\xff\xfe'\0=\0", 6);
	assert_memory_equal(t.out.data + 6, u16 + 4, sizeof(u16) - 4);
	run_free(&t);
}

static void
test_csv_sylk(void **state)
{
	struct run t;

	run_csv(&t, "ID;PWXL;N;E\r\nC;X1;Y1;EEXEC(\"calc\")\r\n");
	assert_int_equal(count_code(t.r, "csv.formula"), 1);
	assert_memory_equal(out_str(&t), "'ID;PWXL", 8);
	run_free(&t);
	run_csv(&t, "ID,name\r\n1,a\r\n");
	assert_null(t.r->findings);
	run_free(&t);
}

static void
test_csv_japanese_files(void **state)
{
	const char *const files[] = {
		shared_file("japanese/gmime-japanese.shift-jis.txt"),
		shared_file("japanese/gmime-japanese.utf-8.txt"),
	};
	unsigned char buf[1 << 16];
	struct run t;
	size_t i, n;
	FILE *f;

	for (i = 0; i < 2; i++) {
		f = files[i] != NULL ? fopen(files[i], "rb") : NULL;
		if (f == NULL)
			skip();
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		run_fn(&t, csv_cdr, buf, n, false);
		assert_null(t.r->findings);
		assert_int_equal(t.out.used, n);
		assert_memory_equal(t.out.data, buf, n);
		run_free(&t);
	}
}

static void
test_csv_dde_regression(void **state)
{
	const char *path = shared_file("oletools/msodde/dde-in-csv.csv");
	unsigned char buf[4096];
	struct run t;
	size_t n;
	FILE *f;

	f = path != NULL ? fopen(path, "rb") : NULL;
	if (f == NULL)
		skip();
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	run_fn(&t, csv_cdr, buf, n, false);
	assert_int_equal(count_code(t.r, "csv.formula"), 1);
	assert_int_equal(t.out.used, n + 1);
	assert_int_equal(t.out.data[0], '\'');
	assert_memory_equal(t.out.data + 1, buf, n);
	run_free(&t);
}

static void
test_csv_capped_and_inspect(void **state)
{
	struct buffer in;
	struct run t, i;
	int k;

	buffer_init(&in, 1 << 20);
	for (k = 0; k < 1000; k++)
		buffer_append_str(&in, "=1,-x\n");
	run_fn(&t, csv_cdr, in.data, in.used, false);
	assert_int_equal(t.r->finding_count, 101);
	assert_non_null(strstr(t.r->findings_tail->detail, "1900 more"));
	assert_int_equal(t.out.used, in.used + 2000);
	run_fn(&i, csv_cdr, in.data, in.used, true);
	assert_int_equal(i.r->finding_count, 101);
	assert_int_equal(i.out.used, 0);
	run_free(&t);
	run_free(&i);
	buffer_free(&in);
}

static void
test_csv_edges(void **state)
{
	/* Unterminated quote, empty file, lone CR line ends, NUL bytes. */
	static const char nul[] = "a,\0=1\n-\0\n";
	struct run t;

	run_csv(&t, "\"=x,\ny");
	assert_int_equal(count_code(t.r, "csv.formula"), 1);
	assert_string_equal(out_str(&t), "\"'=x,\ny");
	run_free(&t);
	run_csv(&t, "");
	assert_null(t.r->findings);
	assert_int_equal(t.out.used, 0);
	run_free(&t);
	run_csv(&t, "a\r=b\r-3\r");
	assert_int_equal(count_code(t.r, "csv.formula"), 1);
	assert_string_equal(out_str(&t), "a\r'=b\r-3\r");
	run_free(&t);
	run_fn(&t, csv_cdr, nul, sizeof(nul) - 1, false);
	assert_int_equal(count_code(t.r, "csv.formula"), 1);
	assert_int_equal(t.out.used, sizeof(nul));
	run_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_copied),
		cmocka_unit_test(test_csv_formulas),
		cmocka_unit_test(test_csv_harmless),
		cmocka_unit_test(test_csv_fullwidth),
		cmocka_unit_test(test_csv_other_separators),
		cmocka_unit_test(test_csv_tsv_euc_utf16),
		cmocka_unit_test(test_csv_sylk),
		cmocka_unit_test(test_csv_japanese_files),
		cmocka_unit_test(test_csv_dde_regression),
		cmocka_unit_test(test_csv_capped_and_inspect),
		cmocka_unit_test(test_csv_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
