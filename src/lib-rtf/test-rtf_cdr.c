/* test-rtf_cdr - objects, templates and fields go, text stays, tricks fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rtf_cdr.h"

struct run {
	struct arena *arena;
	struct report *r;
	struct buffer out;
	struct limits limits;
	struct cdr_options opts;
	struct cdr_ctx ctx;
	int ret;
};

/* Run rtf_cdr on len bytes (sanitize unless inspect). */
static void
run_rtf(struct run *t, const void *in, size_t len, bool inspect,
    unsigned depth)
{
	memset(t, 0, sizeof(*t));
	t->arena = arena_create(64 << 20);
	assert_non_null(t->arena);
	t->r = report_new(t->arena, "t.rtf");
	limits_init(&t->limits);
	if (depth != 0)
		t->limits.rtf_depth = depth;
	cdr_options_init(&t->opts);
	t->ctx.arena = t->arena;
	t->ctx.limits = &t->limits;
	t->ctx.opts = &t->opts;
	t->ctx.inspect = inspect;
	buffer_init(&t->out, 64 << 20);
	t->ret = rtf_cdr(&t->ctx, t->r, FT_RTF, in, len, &t->out);
}

static void
run_str(struct run *t, const char *s)
{
	run_rtf(t, s, strlen(s), false, 0);
}

static void
run_free(struct run *t)
{
	buffer_free(&t->out);
	arena_destroy(t->arena);
}

static unsigned
count_code(const struct report *r, const char *code,
    enum finding_action action)
{
	const struct report_finding *f;
	unsigned n = 0;

	for (f = r->findings; f != NULL; f = f->next) {
		if (strcmp(f->code, code) == 0 && f->action == action)
			n++;
	}
	return n;
}

static const char *
out_str(const struct run *t)
{
	return t->out.data != NULL ? (const char *)t->out.data : "";
}

/* The output starts with {\rtf1 and its braces balance (\bin aware). */
static void
assert_rtf_shape(const struct run *t)
{
	const unsigned char *p = t->out.data;
	size_t i, n = t->out.used;
	long depth = 0;

	assert_true(n >= 7);
	assert_memory_equal(p, "{\\rtf1", 6);
	for (i = 0; i < n; i++) {
		if (p[i] == '\\') {
			i++;
			continue;
		}
		if (p[i] == '{')
			depth++;
		if (p[i] == '}') {
			depth--;
			assert_true(depth > 0 || i == n - 1 ||
			    strspn((const char *)p + i + 1, " \r\n") == n - i - 1);
		}
	}
	assert_int_equal(depth, 0);
}

/* Sanitizing the output again finds nothing and changes nothing. */
static void
assert_idempotent(const struct run *t)
{
	struct run again;

	run_rtf(&again, t->out.data, t->out.used, false, 0);
	assert_int_equal(again.ret, 0);
	assert_null(again.r->findings);
	assert_int_equal(again.out.used, t->out.used);
	assert_memory_equal(again.out.data, t->out.data, t->out.used);
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
test_clean_copied(void **state)
{
	/* Japanese in Shift_JIS hex escapes, a harmless PAGE field, a
	   HYPERLINK and unicode with fallback. */
	const char *in = "{\\rtf1\\ansi\\ansicpg932\\deff0{\\fonttbl{\\f0"
	    "\\fnil\\fcharset128 MS Mincho;}}\r\n\\f0 \\'93\\'fa\\'96\\'7b"
	    "\\'8c\\'ea \\u26085?\\par {\\field{\\*\\fldinst { PAGE }}"
	    "{\\fldrslt 1}}{\\field{\\*\\fldinst HYPERLINK \"https://"
	    "example.jp/\"}{\\fldrslt link}}\\par}\r\n";
	struct run t;

	run_str(&t, in);
	assert_int_equal(t.ret, 0);
	assert_null(t.r->findings);
	assert_int_equal(report_verdict(t.r), VERDICT_CLEAN);
	assert_int_equal(t.out.used, strlen(in));
	assert_memory_equal(t.out.data, in, strlen(in));
	run_free(&t);
}

static void
test_object_result_kept(void **state)
{
	const char *in = "{\\rtf1 before {\\object\\objemb\\objupdate"
	    "{\\*\\objclass Equation.3}\\objw10\\objh10{\\*\\objdata "
	    "0105000002000000 0b000000 4571756174696f6e2e3300}"
	    "{\\result {\\pict\\wmetafile8 0100}}} after\\par}";
	struct run t;

	run_str(&t, in);
	assert_int_equal(t.ret, 0);
	assert_int_equal(count_code(t.r, "rtf.object", FINDING_REMOVED), 1);
	assert_non_null(strstr(t.r->findings->detail, "Equation.3"));
	assert_non_null(strstr(t.r->findings->detail, "updates itself"));
	assert_int_equal(report_verdict(t.r), VERDICT_SANITIZED);
	assert_string_equal(out_str(&t), "{\\rtf1 before {{{\\pict"
	    "\\wmetafile8 0100}}} after\\par}");
	assert_rtf_shape(&t);
	assert_idempotent(&t);
	run_free(&t);
}

static void
test_object_no_result_vanishes(void **state)
{
	struct run t;

	run_str(&t, "{\\rtf1 a{\\object\\objautlink{\\*\\objdata 01050000}}b}");
	assert_int_equal(count_code(t.r, "rtf.object", FINDING_REMOVED), 1);
	assert_string_equal(out_str(&t), "{\\rtf1 ab}");
	run_free(&t);
}

static void
test_objdata_anywhere(void **state)
{
	struct run t;

	/* Mid-group and inside a picture, with hex split by junk words. */
	run_str(&t, "{\\rtf1 x{\\pict\\wmetafile8 00{\\*\\objdata 01\\par 05"
	    "{\\x}00}}{\\rtlch y\\objdata 0105}z}");
	assert_int_equal(count_code(t.r, "rtf.object", FINDING_REMOVED), 2);
	assert_string_equal(out_str(&t),
	    "{\\rtf1 x{\\pict\\wmetafile8 00}{\\rtlch y}z}");
	assert_idempotent(&t);
	run_free(&t);
}

static void
test_datastore_template_macro(void **state)
{
	struct run t;

	run_str(&t, "{\\rtf1{\\*\\template http://evil.example/t.dotm}"
	    "{\\*\\datastore 0105}{\\*\\ffentrymcr AutoRun}ok}");
	assert_int_equal(count_code(t.r, "rtf.template", FINDING_REMOVED), 1);
	assert_int_equal(count_code(t.r, "rtf.object", FINDING_REMOVED), 1);
	assert_int_equal(count_code(t.r, "rtf.dde", FINDING_REMOVED), 1);
	assert_string_equal(out_str(&t), "{\\rtf1 ok}");
	assert_idempotent(&t);
	run_free(&t);
}

static void
test_ddeauto_split(void **state)
{
	struct run t;

	/* DDEAUTO split across groups, a raw newline and a hex escape. */
	run_str(&t, "{\\rtf1{\\field\\fldlock{\\*\\fldinst {\\rtlch DD}"
	    "{\\b E\r\nA}\\'55TO c:\\\\windows\\\\system32\\\\cmd.exe \"/k "
	    "calc\"}{\\fldrslt {\\b shown}}}\\par}");
	assert_int_equal(count_code(t.r, "rtf.dde", FINDING_REMOVED), 1);
	assert_non_null(strstr(t.r->findings->detail, "DDEAUTO"));
	assert_string_equal(out_str(&t), "{\\rtf1{{{\\b shown}}}\\par}");
	assert_rtf_shape(&t);
	assert_idempotent(&t);
	run_free(&t);
}

static void
test_dde_unicode_and_case(void **state)
{
	struct run t;

	run_str(&t, "{\\rtf1{\\field{\\*\\fldinst \\u100 x\\u68 ?e  "
	    "\"x\"}{\\fldrslt r}}}");
	assert_int_equal(count_code(t.r, "rtf.dde", FINDING_REMOVED), 1);
	assert_string_equal(out_str(&t), "{\\rtf1{{r}}}");
	run_free(&t);
}

static void
test_includetext_is_object(void **state)
{
	struct run t;

	run_str(&t, "{\\rtf1{\\field{\\*\\fldinst INCLUDETEXT \"\\\\\\\\host"
	    "\\\\share\\\\a.docx\"}{\\fldrslt old}}{\\field{\\*\\fldinst "
	    "INCLUDEPICTURE \"http://x/y.png\" \\\\d}{\\fldrslt }}}");
	assert_int_equal(count_code(t.r, "rtf.object", FINDING_REMOVED), 2);
	assert_string_equal(out_str(&t), "{\\rtf1{{old}}{{}}}");
	run_free(&t);
}

static void
test_computed_keyword(void **state)
{
	struct run t;

	/* The keyword is the result of a nested field: not trusted. */
	run_str(&t, "{\\rtf1{\\field{\\*\\fldinst {\\field{\\*\\fldinst "
	    "QUOTE 68 68 69}{\\fldrslt DDE}}AUTO calc}{\\fldrslt r}}"
	    "{\\field{\\*\\fldinst IF {\\field{\\*\\fldinst PAGE}{\\fldrslt "
	    "1}} = 1 \"a\"}{\\fldrslt a}}}");
	assert_int_equal(count_code(t.r, "rtf.dde", FINDING_REMOVED), 1);
	assert_string_equal(out_str(&t), "{\\rtf1{{r}}{\\field{\\*\\fldinst "
	    "IF {\\field{\\*\\fldinst PAGE}{\\fldrslt 1}} = 1 \"a\"}"
	    "{\\fldrslt a}}}");
	run_free(&t);
}

static void
test_macrobutton_and_unknown(void **state)
{
	struct run t;

	run_str(&t, "{\\rtf1{\\field{\\*\\fldinst MACROBUTTON Run x}"
	    "{\\fldrslt x}}{\\field{\\*\\fldinst FOO}{\\fldrslt y}}"
	    "{\\field{\\*\\fldinst PA\\-GE}{\\fldrslt 2}}"
	    "{\\field{\\*\\fldinst PAGE\\'00DDE}{\\fldrslt 3}}}");
	assert_int_equal(count_code(t.r, "rtf.dde", FINDING_REMOVED), 3);
	assert_string_equal(out_str(&t), "{\\rtf1{{x}}{{y}}{\\field"
	    "{\\*\\fldinst PA\\-GE}{\\fldrslt 2}}{{3}}}");
	run_free(&t);
}

static void
test_bin(void **state)
{
	struct run t;

	/* Braces inside \bin are data: a brace counter that ignores \bin
	   sees the object as closed; inside a picture they become hex. */
	run_str(&t, "{\\rtf1{\\pict\\bin3 }}{}{\\object\\bin2 }}{\\*\\objdata 01}}"
	    "ok}");
	assert_int_equal(t.ret, 0);
	assert_int_equal(count_code(t.r, "rtf.object", FINDING_REMOVED), 1);
	assert_string_equal(out_str(&t), "{\\rtf1{\\pict 7d7d7b}ok}");
	assert_idempotent(&t);
	run_free(&t);

	run_str(&t, "{\\rtf1 \\bin4 x}{a}");
	assert_int_equal(count_code(t.r, "rtf.malformed", FINDING_BLOCKED), 1);
	assert_int_equal(t.out.used, 0);
	run_free(&t);

	run_str(&t, "{\\rtf1 \\bin99 x}");
	assert_int_equal(count_code(t.r, "rtf.malformed", FINDING_BLOCKED), 1);
	run_free(&t);

	run_str(&t, "{\\rtf1 \\BIN2 x}}");
	assert_int_equal(count_code(t.r, "rtf.malformed", FINDING_BLOCKED), 1);
	run_free(&t);

	run_str(&t, "{\\rtf1 \\bin4294967298 x}");
	assert_int_equal(count_code(t.r, "rtf.malformed", FINDING_BLOCKED), 1);
	run_free(&t);

	/* Binary without RTF syntax bytes is copied as it is. */
	run_str(&t, "{\\rtf1{\\pict\\bin3 abc}}");
	assert_null(t.r->findings);
	assert_string_equal(out_str(&t), "{\\rtf1{\\pict\\bin3 abc}}");
	run_free(&t);
}

static void
test_depth_limit(void **state)
{
	char buf[256];
	struct run t;
	int i, n = 0;

	n += snprintf(buf + n, sizeof(buf) - n, "{\\rtf1 ");
	for (i = 0; i < 20; i++)
		buf[n++] = '{';
	for (i = 0; i < 21; i++)
		buf[n++] = '}';
	run_rtf(&t, buf, (size_t)n, false, 20);
	assert_int_equal(t.ret, 0);
	assert_int_equal(count_code(t.r, "limit.rtf_depth", FINDING_BLOCKED), 1);
	assert_int_equal(report_verdict(t.r), VERDICT_BLOCKED);
	run_free(&t);

	run_rtf(&t, buf, (size_t)n, false, 21);
	assert_null(t.r->findings);
	assert_int_equal(t.out.used, (size_t)n);
	run_free(&t);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"{\\rtf1 open", "{\\rtf1 x}}", "{\\rtf1 x} trailing",
		"{\\rtf1 x}{\\object}", "{\\rtf1 \\'4", "{\\rtf1 \\'zz}",
		"{\\rtf1 \\", "hello", "{\\rt",
	};
	char longword[300];
	struct run t;
	size_t i;

	/* A control word longer than Word reads: readers may split it. */
	memset(longword, 'a', sizeof(longword));
	memcpy(longword, "{\\rtf1 \\", 8);
	run_rtf(&t, longword, sizeof(longword), false, 0);
	assert_int_equal(count_code(t.r, "rtf.malformed", FINDING_BLOCKED), 1);
	run_free(&t);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run_str(&t, bad[i]);
		assert_int_equal(t.ret, 0);
		assert_int_equal(count_code(t.r, "rtf.malformed",
		    FINDING_BLOCKED), 1);
		assert_int_equal(t.out.used, 0);
		run_free(&t);
	}
	/* Trailing blanks and NULs are fine and copied. */
	run_rtf(&t, "{\\rtf1 x}\r\n\0", 12, false, 0);
	assert_null(t.r->findings);
	assert_int_equal(t.out.used, 12);
	run_free(&t);
}

static void
test_header_variants(void **state)
{
	static const char *const in[] = {
		"{\\rt x}", "{\\rtf x}", "{\\rtf2 x}", "{\\rtfxyz x}",
		"{\\rtf01 x}",
	};
	struct run t;
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		run_str(&t, in[i]);
		assert_null(t.r->findings);
		assert_string_equal(out_str(&t), "{\\rtf1 x}");
		run_free(&t);
	}
	run_str(&t, "\xef\xbb\xbf{\\rtf1 x}");
	assert_null(t.r->findings);
	assert_string_equal(out_str(&t), "{\\rtf1 x}");
	run_free(&t);
	run_str(&t, "{\\rtfobject\\objdata 01}");
	assert_int_equal(count_code(t.r, "rtf.object", FINDING_REMOVED), 1);
	assert_string_equal(out_str(&t), "{\\rtf1}");
	run_free(&t);
}

static void
test_inspect_same_findings(void **state)
{
	const char *in = "{\\rtf1{\\*\\template x.dot}{\\field{\\*\\fldinst "
	    "DDE a b}{\\fldrslt r}}{\\object{\\result x}}}";
	struct run s, i;

	run_str(&s, in);
	run_rtf(&i, in, strlen(in), true, 0);
	assert_int_equal(i.ret, 0);
	assert_int_equal(i.out.used, 0);
	assert_int_equal(i.r->finding_count, s.r->finding_count);
	assert_int_equal(count_code(i.r, "rtf.template", FINDING_REMOVED), 1);
	assert_int_equal(count_code(i.r, "rtf.dde", FINDING_REMOVED), 1);
	assert_int_equal(count_code(i.r, "rtf.object", FINDING_REMOVED), 1);
	run_free(&s);
	run_free(&i);
}

static void
test_findings_capped(void **state)
{
	struct buffer in;
	struct run t;
	int i;

	buffer_init(&in, 1 << 20);
	buffer_append_str(&in, "{\\rtf1 ");
	for (i = 0; i < 1000; i++)
		buffer_append_str(&in, "{\\object{\\*\\objdata 01}}");
	buffer_append_str(&in, "}");
	run_rtf(&t, in.data, in.used, false, 0);
	assert_true(t.r->finding_count <= 40);
	assert_int_equal(count_code(t.r, "rtf.object", FINDING_REMOVED),
	    t.r->finding_count);
	assert_non_null(strstr(t.r->findings_tail->detail, "968 more"));
	assert_string_equal(out_str(&t), "{\\rtf1 }");
	run_free(&t);
	buffer_free(&in);
}

/* Read a regression file; NULL when the shared corpus is absent. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = path != NULL ? fopen(path, "rb") : NULL;
	unsigned char *p;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void
test_regression_issue_251(void **state)
{
	unsigned char *in;
	struct run t;
	size_t len;

	in = slurp(shared_file("oletools/rtfobj/issue_251.rtf"), &len);
	if (in == NULL)
		skip();
	run_rtf(&t, in, len, false, 0);
	assert_int_equal(t.ret, 0);
	assert_int_equal(report_verdict(t.r), VERDICT_SANITIZED);
	assert_int_equal(count_code(t.r, "rtf.object", FINDING_REMOVED), 1);
	assert_null(strstr(out_str(&t), "objdata"));
	assert_null(strstr(out_str(&t), "object"));
	assert_non_null(strstr(out_str(&t), "\\pict"));
	assert_rtf_shape(&t);
	assert_idempotent(&t);
	run_free(&t);
	free(in);
}

static void
test_regression_spec(void **state)
{
	unsigned char *in;
	struct run t;
	size_t len;

	in = slurp(shared_file("oletools/msodde/RTF-Spec-1.7.rtf"),
	    &len);
	if (in == NULL)
		skip();
	run_rtf(&t, in, len, false, 0);
	assert_int_equal(t.ret, 0);
	assert_int_equal(report_has_action(t.r, FINDING_BLOCKED), false);
	assert_rtf_shape(&t);
	assert_idempotent(&t);
	run_free(&t);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_copied),
		cmocka_unit_test(test_object_result_kept),
		cmocka_unit_test(test_object_no_result_vanishes),
		cmocka_unit_test(test_objdata_anywhere),
		cmocka_unit_test(test_datastore_template_macro),
		cmocka_unit_test(test_ddeauto_split),
		cmocka_unit_test(test_dde_unicode_and_case),
		cmocka_unit_test(test_includetext_is_object),
		cmocka_unit_test(test_computed_keyword),
		cmocka_unit_test(test_macrobutton_and_unknown),
		cmocka_unit_test(test_bin),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_header_variants),
		cmocka_unit_test(test_inspect_same_findings),
		cmocka_unit_test(test_findings_capped),
		cmocka_unit_test(test_regression_issue_251),
		cmocka_unit_test(test_regression_spec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
