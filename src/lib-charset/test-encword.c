/* test-encword - RFC 2047 as senders write it; decoded specials never
   change an address list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "encword.h"

/* Decode raw as text (phrase = 0) or address list, compare, free. */
static void
check(int phrase, const char *raw, const char *want,
    struct charset_result *res_r)
{
	struct buffer out;
	struct charset_result res;
	int ret;

	buffer_init(&out, 1 << 20);
	if (phrase)
		ret = encword_decode_phrase(raw, strlen(raw), &out, &res);
	else
		ret = encword_decode_text(raw, strlen(raw), &out, &res);
	assert_int_equal(ret, 0);
	assert_string_equal(out.data != NULL ? (char *)out.data : "", want);
	if (out.used > 0) {
		assert_null(memchr(out.data, '\r', out.used));
		assert_null(memchr(out.data, '\n', out.used));
	}
	if (res_r != NULL)
		*res_r = res;
	buffer_free(&out);
}

static void
test_basic(void **state)
{
	struct charset_result r;

	check(0, "=?UTF-8?B?5pel5pys6Kqe?= test", "日本語 test", &r);
	assert_string_equal(r.used, "UTF-8");
	assert_false(r.guessed || r.mislabelled || r.invalid);
	/* Q: '_' is a space, =XX a byte, a stray '=' stays. */
	check(0, "=?iso-8859-1?Q?caf=E9_cr=E8me_a=b?=", "café crème a=b", &r);
	assert_string_equal(r.used, "ISO-8859-1");
	check(0, "=?utf-8?q?x?=", "x", NULL);
	/* charset*language (RFC 2231 section 5). */
	check(0, "=?UTF-8*ja?Q?=E6=97=A5?=", "日", NULL);
	/* Plain ASCII: nothing used. */
	check(0, "Hello world", "Hello world", &r);
	assert_null(r.used);
	assert_false(r.guessed);
	check(0, "", "", NULL);
}

static void
test_whitespace(void **state)
{
	/* Dropped between words, kept between a word and text, and
	   folding removed. */
	check(0, "=?utf-8?Q?a?= =?utf-8?Q?b?=\r\n\t=?utf-8?Q?c?= d",
	    "abc d", NULL);
	check(0, "x =?utf-8?Q?a?= y", "x a y", NULL);
	check(0, "Subject text\r\n continued", "Subject text continued", NULL);
	/* Different charsets still join without the space. */
	check(0, "=?utf-8?Q?a?= =?iso-8859-1?Q?=E9?=", "aé", NULL);
	/* Glued to text, as some mobile mailers write. */
	check(0, "re:=?utf-8?B?5pel?=!", "re:日!", NULL);
}

/* Senders split characters and escape runs across words. */
static void
test_split(void **state)
{
	struct charset_result r;

	/* 日 = E6 97 | A5, 本 in the second word. */
	check(0, "=?UTF-8?B?5pc=?= =?UTF-8?B?peacrA==?=", "日本", &r);
	assert_false(r.invalid);
	/* ISO-2022-JP: ESC $ B F | in one word, K \ ESC ( B in the next. */
	check(0, "=?ISO-2022-JP?B?GyRCRnw=?=\r\n =?ISO-2022-JP?B?S1wbKEI=?=",
	    "日本", &r);
	assert_string_equal(r.used, "ISO-2022-JP-MS");
	assert_false(r.invalid);
	/* Same split in Q, charset spelled differently. */
	check(0, "=?utf-8?Q?=E6=97?= =?UTF8?Q?=A5?=", "日", NULL);
	/* CP932 NEC row 13 in base64. */
	check(0, "=?shift_jis?B?h0CHig==?=", "①㈱", &r);
	assert_string_equal(r.used, "CP932");
}

static void
test_malformed(void **state)
{
	/* Bad encoding letter, bad base64, no end: literal. */
	check(0, "a =?bad?X?zz?= b =?utf-8?B?!!?= c =?utf-8?Q?open",
	    "a =?bad?X?zz?= b =?utf-8?B?!!?= c =?utf-8?Q?open", NULL);
	/* A malformed word between two good ones breaks the run. */
	check(0, "=?utf-8?Q?a?= =?x?Y?b?= =?utf-8?Q?c?=",
	    "a =?x?Y?b?= c", NULL);
	/* Empty text. */
	check(0, "=?utf-8?B?\?=x", "x", NULL);
	assert_int_equal(encword_count("=?utf-8?B?!!?= =?a?Q?b?= =?a?B?YQ?=",
	    35), 2);
}

static void
test_controls(void **state)
{
	/* Decoded CR LF, NUL and C1 become spaces, TAB stays. */
	check(0, "=?utf-8?Q?a=0D=0Ab=00c=09d=C2=85e?=", "a  b c\td e", NULL);
	check(0, "line1\r\nline2\x01", "line1 line2 ", NULL);
}

static void
test_raw_8bit(void **state)
{
	struct charset_result r;

	/* Raw Shift_JIS, guessed. */
	check(0, "\x93\xfa\x96\x7b\x8c\xea\x82\xcc\x8c\x8f\x96\xbc",
	    "日本語の件名", &r);
	assert_true(r.guessed);
	assert_string_equal(r.used, "CP932");
	/* Raw UTF-8 next to an encoded word. */
	check(0, "件名 =?utf-8?Q?x?=", "件名 x", &r);
	assert_true(r.guessed);
	/* Raw ISO-2022-JP in a header. */
	check(0, "\x1b$B7oL>\x1b(B test", "件名 test", &r);
	assert_true(r.guessed);
	assert_string_equal(r.used, "ISO-2022-JP-MS");
	/* NULL res is fine. */
	{
		struct buffer out;

		buffer_init(&out, 100);
		assert_int_equal(encword_decode_text("\x82\xa0", 2, &out,
		    NULL), 0);
		buffer_free(&out);
	}
}

static void
test_phrase(void **state)
{
	struct charset_result r;

	/* Decoded comma and quotes stay inside one quoted-string. */
	check(1, "=?UTF-8?Q?Doe=2C_John_=22JD=22?= <john@example.com>, b@c",
	    "\"Doe, John \\\"JD\\\"\" <john@example.com>, b@c", &r);
	assert_string_equal(r.used, "UTF-8");
	/* A decoded address cannot become the address. */
	check(1, "=?UTF-8?Q?evil=40attacker.com_=3Cx=40y=3E?= "
	    "<real@example.jp>",
	    "\"evil@attacker.com <x@y>\" <real@example.jp>", NULL);
	/* A run of words is one quoted-string; plain words stay. */
	check(1, "Taro =?ISO-2022-JP?B?GyRCRnxLXBsoQg==?=\r\n "
	    "=?ISO-2022-JP?B?GyRCOGwbKEI=?= <a@b>",
	    "Taro \"日本語\" <a@b>", NULL);
	/* Words inside a quoted string (Outlook): decoded in place. */
	check(1, "\"=?UTF-8?B?5pel5pys?= \\\"T\\\"\" <t@x>",
	    "\"日本 \\\"T\\\"\" <t@x>", NULL);
	/* In comments, with ( ) \ escaped; unterminated comment closed. */
	check(1, "t@x (=?UTF-8?Q?a=29b?=)", "t@x (a\\)b)", NULL);
	check(1, "t@x (open", "t@x (open)", NULL);
	/* Words in an addr-spec are not decoded. */
	check(1, "=?utf-8?Q?x?=@example.com", "=?utf-8?Q?x?=@example.com",
	    NULL);
	check(1, "a@=?utf-8?Q?x?=", "a@=?utf-8?Q?x?=", NULL);
	check(1, "<=?utf-8?Q?x?=@y>", "<=?utf-8?Q?x?=@y>", NULL);
	/* Group syntax. */
	check(1, "=?utf-8?Q?Team?=: a@b, c@d;", "\"Team\": a@b, c@d;", NULL);
	/* Raw Shift_JIS whose trail byte is 0x5C ('\'): decoded first,
	   so it is not an escape. */
	check(1, "\x95\x5c\x8e\xa6 <a@b>", "表示 <a@b>", &r);
	assert_true(r.guessed);
	/* Angle address with a quoted local part holding '>'. */
	check(1, "x <\"a>b\"@c>", "x <\"a>b\"@c>", NULL);
}

static void
test_refused(void **state)
{
	struct buffer out;

	buffer_init(&out, 4);
	assert_int_equal(encword_decode_text("=?utf-8?B?5pel5pys?=", 20, &out,
	    NULL), -1);
	buffer_free(&out);
	buffer_init(&out, 4);
	assert_int_equal(encword_decode_phrase("=?utf-8?B?5pel5pys?= <a@b>",
	    26, &out, NULL), -1);
	buffer_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_raw_8bit),
		cmocka_unit_test(test_phrase),
		cmocka_unit_test(test_refused),
	};

	charset_prewarm();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
