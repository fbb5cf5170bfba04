/* test-mimeparam - parameters as written, duplicates and all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mimeparam.h"

struct run {
	struct arena *a;
	struct mime_value v;
	int ret;
};

static void
parse(struct run *t, const char *raw)
{
	t->a = arena_create(16 << 20);
	assert_non_null(t->a);
	t->ret = mimeparam_parse(t->a, raw, strlen(raw), &t->v);
}

static void
done(struct run *t)
{
	arena_destroy(t->a);
}

static const struct mime_param *
nth(const struct run *t, unsigned n)
{
	const struct mime_param *p = t->v.params;

	while (p != NULL && n-- > 0)
		p = p->next;
	assert_non_null(p);
	return p;
}

static void
test_simple(void **state)
{
	struct run t;

	parse(&t, "Multipart/Mixed; BOUNDARY=\"----=_Part_0 A\"; "
	    "charset=us-ascii (Plain text)");
	assert_int_equal(t.ret, 0);
	assert_string_equal(t.v.token, "multipart/mixed");
	assert_int_equal(t.v.flags, 0);
	assert_string_equal(mimeparam_first(&t.v, "boundary"), "----=_Part_0 A");
	assert_string_equal(mimeparam_first(&t.v, "Charset"), "us-ascii");
	assert_null(mimeparam_first(&t.v, "name"));
	assert_int_equal(mimeparam_count(&t.v, "boundary"), 1);
	assert_false(nth(&t, 0)->rfc2231);
	done(&t);

	/* Folding, quoted-pair, comments between the parts. */
	parse(&t, "text/plain (body);\r\n\tname=\"a\\\"b\r\n c.txt\"");
	assert_string_equal(t.v.token, "text/plain");
	assert_string_equal(mimeparam_first(&t.v, "name"), "a\"b c.txt");
	assert_int_equal(t.v.flags, 0);
	done(&t);

	/* A trailing ';' is common and not flagged. */
	parse(&t, "inline;");
	assert_string_equal(t.v.token, "inline");
	assert_null(t.v.params);
	assert_int_equal(t.v.flags, 0);
	done(&t);

	parse(&t, "");
	assert_string_equal(t.v.token, "");
	assert_null(t.v.params);
	done(&t);
}

/* Continuations in any order, %-encoded Shift_JIS. */
static void
test_rfc2231(void **state)
{
	struct run t;

	parse(&t, "attachment; filename*1*=%83%67%2E%74%78%74;\r\n"
	    " filename*0*=shift_jis'ja'%83%65%83%58; size=12");
	assert_int_equal(t.ret, 0);
	assert_int_equal(t.v.flags, 0);
	assert_string_equal(nth(&t, 0)->name, "filename");
	assert_string_equal(nth(&t, 0)->value, "テスト.txt");
	assert_true(nth(&t, 0)->rfc2231);
	assert_string_equal(nth(&t, 1)->name, "size");
	done(&t);

	parse(&t, "attachment; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf");
	assert_string_equal(mimeparam_first(&t.v, "filename"), "日本.pdf");
	assert_int_equal(t.v.flags, 0);
	done(&t);

	/* Plain continuations (no '*'), mixed with extended ones. */
	parse(&t, "inline; name*0=\"long \"; name*1=\"name\"; "
	    "title*0*=us-ascii'en'This%20is; title*1=\" fun\"");
	assert_string_equal(mimeparam_first(&t.v, "name"), "long name");
	assert_string_equal(mimeparam_first(&t.v, "title"), "This is fun");
	assert_int_equal(t.v.flags, 0);
	done(&t);

	/* A missing segment, and a missing charset quote: flagged, what
	   is there is kept. */
	parse(&t, "attachment; filename*0=a; filename*2=c; x*=%41");
	assert_string_equal(mimeparam_first(&t.v, "filename"), "ac");
	assert_string_equal(mimeparam_first(&t.v, "x"), "A");
	assert_true(t.v.flags & MIMEPARAM_MALFORMED);
	done(&t);

	/* A section past the limit is dropped, flagged. */
	parse(&t, "attachment; filename*0=a; filename*5000=b");
	assert_string_equal(mimeparam_first(&t.v, "filename"), "a");
	assert_true(t.v.flags & MIMEPARAM_MALFORMED);
	done(&t);

	/* CR LF smuggled in %-encoding becomes spaces. */
	parse(&t, "attachment; filename*=utf-8''a%0D%0Ab%00.txt");
	assert_string_equal(mimeparam_first(&t.v, "filename"), "a  b .txt");
	done(&t);
}

static void
test_duplicates(void **state)
{
	struct run t;

	parse(&t, "attachment; filename=\"invoice.pdf\"; filename=\"x.exe\"");
	assert_int_equal(mimeparam_count(&t.v, "filename"), 2);
	assert_string_equal(mimeparam_first(&t.v, "filename"), "invoice.pdf");
	assert_string_equal(nth(&t, 1)->value, "x.exe");
	assert_int_equal(t.v.flags, MIMEPARAM_DUPLICATE | MIMEPARAM_CONFLICT);
	done(&t);

	parse(&t, "attachment; filename=a.txt; FILENAME=\"a.txt\"");
	assert_int_equal(t.v.flags, MIMEPARAM_DUPLICATE);
	done(&t);

	/* name and name* disagree. */
	parse(&t, "attachment; filename=\"report.pdf\"; "
	    "filename*=UTF-8''report.pdf.exe");
	assert_int_equal(mimeparam_count(&t.v, "filename"), 2);
	assert_false(nth(&t, 0)->rfc2231);
	assert_true(nth(&t, 1)->rfc2231);
	assert_int_equal(t.v.flags, MIMEPARAM_DUPLICATE | MIMEPARAM_CONFLICT);
	done(&t);

	/* Same text both ways: duplicate, no conflict. */
	parse(&t, "attachment; filename=\"=?UTF-8?B?5pel5pys?=.pdf\"; "
	    "filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf");
	assert_int_equal(t.v.flags, MIMEPARAM_DUPLICATE);
	done(&t);
}

static void
test_encoded_words(void **state)
{
	struct run t;

	/* RFC 2047 in a quoted filename (Outlook, Thunderbird). */
	parse(&t, "attachment; filename=\"=?ISO-2022-JP?B?GyRCN29MPiVGJTklSBsoQg==?=.txt\"");
	assert_string_equal(mimeparam_first(&t.v, "filename"), "件名テスト.txt");
	assert_true(nth(&t, 0)->encoded_word);
	assert_false(nth(&t, 0)->rfc2231);
	assert_int_equal(t.v.flags, 0);
	done(&t);

	/* Unquoted, split over two words. */
	parse(&t, "application/pdf; name==?UTF-8?B?5pc=?==?UTF-8?B?peacrA==?=");
	assert_string_equal(mimeparam_first(&t.v, "name"), "日本");
	assert_true(nth(&t, 0)->encoded_word);
	done(&t);

	/* A boundary is never decoded. */
	parse(&t, "multipart/mixed; boundary=\"=?utf-8?Q?x?=\"");
	assert_string_equal(mimeparam_first(&t.v, "boundary"), "=?utf-8?Q?x?=");
	done(&t);

	/* Raw 8-bit values: UTF-8 and Shift_JIS. */
	parse(&t, "attachment; filename=\"請求書.pdf\"; "
	    "name=\"\x90\xbf\x8b\x81\x8f\x91.pdf\"");
	assert_string_equal(mimeparam_first(&t.v, "filename"), "請求書.pdf");
	assert_string_equal(mimeparam_first(&t.v, "name"), "請求書.pdf");
	assert_false(nth(&t, 0)->encoded_word);
	done(&t);
}

static void
test_malformed(void **state)
{
	struct run t;

	/* Stray ';', no '=', "=value": flagged, the rest parsed. */
	parse(&t, "text/plain;; charset=x; foo; =bar; format=flowed");
	assert_string_equal(t.v.token, "text/plain");
	assert_int_equal(t.v.flags, MIMEPARAM_MALFORMED);
	assert_string_equal(mimeparam_first(&t.v, "charset"), "x");
	assert_string_equal(mimeparam_first(&t.v, "format"), "flowed");
	assert_int_equal(mimeparam_count(&t.v, "foo"), 0);
	done(&t);

	/* Unquoted space: kept whole, flagged. */
	parse(&t, "attachment; filename=my file.txt");
	assert_string_equal(mimeparam_first(&t.v, "filename"), "my file.txt");
	assert_int_equal(t.v.flags, MIMEPARAM_MALFORMED);
	done(&t);

	/* A '(' inside a token is not a comment. */
	parse(&t, "attachment; filename=photo(1).jpg; size=3");
	assert_string_equal(mimeparam_first(&t.v, "filename"), "photo(1).jpg");
	assert_string_equal(mimeparam_first(&t.v, "size"), "3");
	done(&t);

	/* An unclosed comment does not swallow parameters. */
	parse(&t, "attachment; a=1 (oops; filename=x.exe");
	assert_string_equal(mimeparam_first(&t.v, "filename"), "x.exe");
	done(&t);

	/* An unclosed quote runs to the end. */
	parse(&t, "text/plain; name=\"open; x=y");
	assert_string_equal(mimeparam_first(&t.v, "name"), "open; x=y");
	assert_true(t.v.flags & MIMEPARAM_MALFORMED);
	done(&t);

	/* A NUL in a name or the token cannot hide silently. */
	t.a = arena_create(1 << 20);
	assert_int_equal(mimeparam_parse(t.a, "text/plain; file\0name=a.exe",
	    27, &t.v), 0);
	assert_true(t.v.flags & MIMEPARAM_MALFORMED);
	done(&t);
	t.a = arena_create(1 << 20);
	assert_int_equal(mimeparam_parse(t.a, "text/html\0x; a=b", 16, &t.v),
	    0);
	assert_true(t.v.flags & MIMEPARAM_MALFORMED);
	done(&t);

	/* No disposition type. */
	parse(&t, "filename=x.exe");
	assert_string_equal(t.v.token, "");
	assert_string_equal(mimeparam_first(&t.v, "filename"), "x.exe");
	assert_true(t.v.flags & MIMEPARAM_MALFORMED);
	done(&t);
}

static void
test_limits(void **state)
{
	static char big[64 * 1024];
	struct run t;
	size_t n = 0;
	unsigned i;

	n += (size_t)snprintf(big, sizeof(big), "text/plain");
	for (i = 0; i < 1200; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "; p%u=v", i);
	parse(&t, big);
	assert_int_equal(t.ret, 0);
	assert_int_equal(mimeparam_count(&t.v, "p999"), 1);
	assert_int_equal(mimeparam_count(&t.v, "p1000"), 0);
	assert_true(t.v.flags & MIMEPARAM_MALFORMED);
	done(&t);

	/* Arena exhausted: -1, never a crash. */
	t.a = arena_create(64);
	assert_int_equal(mimeparam_parse(t.a, big, n, &t.v), -1);
	arena_destroy(t.a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_rfc2231),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
