/* test-charset - labels checked against the bytes, Japanese decoded as
   Windows shows it, mislabels caught, and the ISO-2022-JP encoder. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <seccomp.h>

#include "charset.h"

struct dec {
	struct buffer out;
	struct charset_result res;
	int ret;
};

static void
dec_n(struct dec *d, const char *label, const void *in, size_t len)
{
	buffer_init(&d->out, 1 << 24);
	d->ret = charset_to_utf8(label, in, len, &d->out, &d->res);
}

static const char *
dec_str(const struct dec *d)
{
	return d->out.data != NULL ? (const char *)d->out.data : "";
}

/* Decode, compare text, charset and flags, free. */
static void
check(const char *label, const char *in, size_t len, const char *want,
    const char *used, int mislabelled, int guessed, int invalid)
{
	struct dec d;

	dec_n(&d, label, in, len);
	assert_int_equal(d.ret, 0);
	assert_string_equal(dec_str(&d), want);
	assert_int_equal(d.out.used, strlen(want));
	assert_non_null(d.res.used);
	assert_string_equal(d.res.used, used);
	assert_int_equal(d.res.mislabelled, mislabelled);
	assert_int_equal(d.res.guessed, guessed);
	assert_int_equal(d.res.invalid, invalid);
	buffer_free(&d.out);
}

#define CHECK(label, in, want, used, mis, gu, inv) \
	check(label, in, sizeof(in) - 1, want, used, mis, gu, inv)

static void
test_labels(void **state)
{
	assert_string_equal(charset_canonical("Shift_JIS"), "CP932");
	assert_string_equal(charset_canonical(" \"x-sjis\" "), "CP932");
	assert_string_equal(charset_canonical("Windows-31J"), "CP932");
	assert_string_equal(charset_canonical("ISO-2022-JP*ja"),
	    "ISO-2022-JP-MS");
	assert_string_equal(charset_canonical("cp50221"), "ISO-2022-JP-MS");
	assert_string_equal(charset_canonical("iso-2022-jp-2"),
	    "ISO-2022-JP-MS");
	assert_string_equal(charset_canonical("EUC-JP"), "EUC-JP-MS");
	assert_string_equal(charset_canonical("utf8"), "UTF-8");
	assert_string_equal(charset_canonical("ISO_8859-1"), "ISO-8859-1");
	assert_string_equal(charset_canonical("gb2312"), "GB18030");
	assert_string_equal(charset_canonical("ks_c_5601-1987"), "UHC");
	assert_null(charset_canonical(NULL));
	assert_null(charset_canonical(""));
	assert_null(charset_canonical("unknown-8bit"));
	assert_null(charset_canonical("x-unknown"));
	assert_null(charset_canonical("EBCDIC-US"));
	assert_null(charset_canonical(
	    "a-very-long-label-that-is-no-charset-at-all-and-goes-on"));
}

static void
test_is_utf8(void **state)
{
	assert_true(charset_is_utf8((const unsigned char *)"", 0));
	assert_true(charset_is_utf8((const unsigned char *)"日本 ①😀", 14));
	assert_false(charset_is_utf8((const unsigned char *)"\xC0\x80", 2));
	assert_false(charset_is_utf8((const unsigned char *)"\xE0\x80\xAF", 3));
	assert_false(charset_is_utf8((const unsigned char *)"\xED\xA0\x80", 3));
	assert_false(charset_is_utf8((const unsigned char *)"\xF4\x90\x80\x80",
	    4));
	assert_false(charset_is_utf8((const unsigned char *)"\xE6\x97", 2));
	assert_false(charset_is_utf8((const unsigned char *)"\xFF", 1));
}

/* NEC row 13 and IBM extensions, as Outlook sends them. */
static void
test_nec_ibm(void **state)
{
	/* ISO-2022-JP (CP50221): ① ㈱ Ⅰ are row 13, 纊 ⅰ rows 89/92. */
	CHECK("ISO-2022-JP", "\x1b$B-!-j-5\x1b(B abc",
	    "①㈱Ⅰ abc", "ISO-2022-JP-MS", 0, 0, 0);
	CHECK("iso-2022-jp", "\x1b$By!|q\x1b(B", "纊ⅰ",
	    "ISO-2022-JP-MS", 0, 0, 0);
	/* ～ is U+FF5E, the Windows mapping of 0x2141. */
	CHECK("iso-2022-jp", "\x1b$B!A\x1b(B", "～", "ISO-2022-JP-MS",
	    0, 0, 0);
	/* Shift_JIS labels are CP932. */
	CHECK("Shift_JIS", "\x87\x40\x87\x8a\x87\x54\x81\x60\xed\x40\xfa\x40",
	    "①㈱Ⅰ～纊ⅰ", "CP932", 0, 0, 0);
	CHECK("x-sjis", "\x82\xa0", "あ", "CP932", 0, 0, 0);
}

static void
test_eucjp(void **state)
{
	CHECK("EUC-JP", "\xa4\xb3\xa4\xf3\xa4\xcb\xa4\xc1\xa4\xcf\xad\xa1",
	    "こんにちは①", "EUC-JP-MS", 0, 0, 0);
	CHECK("x-euc-jp", "\x8f\xb0\xa1", "丂", "EUC-JP-MS", 0, 0, 0);
}

static void
test_iso2022jp_details(void **state)
{
	/* Half-width katakana: ESC ( I, and SO/SI (CP50222). */
	CHECK("iso-2022-jp", "\x1b(I123\x1b(Bx", "ｱｲｳx", "ISO-2022-JP-MS",
	    0, 0, 0);
	CHECK("iso-2022-jp", "\x1b$B$3\x1b(B\x0e\x31\x32\x0fz", "こｱｲz",
	    "ISO-2022-JP-MS", 0, 0, 0);
	/* JIS X 0212, ESC ( J read as ASCII, the 1990 announcer. */
	CHECK("iso-2022-jp", "\x1b$(D\x30\x21\x1b(J\\\x1b&@\x1b$B$\"\x1b(B",
	    "丂\\あ", "ISO-2022-JP-MS", 0, 0, 0);
	/* Truncated escape: one U+FFFD, the text before it kept. */
	CHECK("iso-2022-jp", "abc\x1b$", "abc\xEF\xBF\xBD",
	    "ISO-2022-JP-MS", 0, 0, 1);
	/* Unknown escape and an undefined cell (row 85): U+FFFD, and
	   the rest of the part survives (glibc would fail it all). */
	CHECK("iso-2022-jp", "a\x1b$Zb\x1b$Bu!$\"\x1b(Bc",
	    "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "あc", "ISO-2022-JP-MS", 0, 0, 1);
	/* Lone first byte of a pair at the end of a line: U+FFFD, and the
	   line end returns to ASCII though the sender forgot ESC ( B. */
	CHECK("iso-2022-jp", "\x1b$B$\"$\nabc", "あ\xEF\xBF\xBD\nabc",
	    "ISO-2022-JP-MS", 0, 0, 1);
	/* ISO-2022-JP-2 single shift to Latin-1 in G2. */
	CHECK("iso-2022-jp-2", "caf\x1b.A\x1bNi", "café", "ISO-2022-JP-MS",
	    0, 0, 0);
}

static void
test_utf8(void **state)
{
	CHECK("utf-8", "\xef\xbb\xbf日本", "日本", "UTF-8", 0, 0, 0);
	/* Damage in UTF-8 text stays UTF-8 with U+FFFD. */
	CHECK("UTF-8", "日本語のテキスト\xff です", "日本語のテキスト\xEF\xBF\xBD です",
	    "UTF-8", 0, 0, 1);
	CHECK("utf-8", "\xe6\x97", "\xEF\xBF\xBD", "UTF-8", 0, 0, 1);
}

static void
test_mislabels(void **state)
{
	/* UTF-8 labelled iso-2022-jp, latin-1, us-ascii, Shift_JIS. */
	CHECK("iso-2022-jp", "日本語です", "日本語です", "UTF-8", 1, 0, 0);
	CHECK("ISO-8859-1", "caf\xc3\xa9", "café", "UTF-8", 1, 0, 0);
	CHECK("us-ascii", "naïve", "naïve", "UTF-8", 1, 0, 0);
	CHECK("shift_jis", "日本語", "日本語", "UTF-8", 1, 0, 0);
	/* Real Latin-1 is not mislabelled; C1 bytes mean windows-1252. */
	CHECK("iso-8859-1", "caf\xe9", "café", "ISO-8859-1", 0, 0, 0);
	CHECK("iso-8859-1", "caf\xe9 \x80", "café €", "WINDOWS-1252",
	    0, 0, 0);
	/* Shift_JIS labelled UTF-8. */
	CHECK("utf-8", "\x82\xa0\x82\xa2\x82\xa4\x82\xa6\x82\xa8",
	    "あいうえお", "CP932", 1, 0, 0);
	/* ISO-2022-JP labelled us-ascii or utf-8. */
	CHECK("us-ascii", "abc\x1b$B$3$s\x1b(B", "abcこん",
	    "ISO-2022-JP-MS", 1, 0, 0);
	CHECK("utf-8", "\x1b$B$3$s\x1b(B", "こん", "ISO-2022-JP-MS", 1, 0, 0);
	/* EUC-JP labelled Shift_JIS. */
	CHECK("shift_jis", "\xc5\xec\xb5\xfe\xc5\xd4\xc0\xe9\xc2\xe5\xc5\xc4"
	    "\xb6\xe8", "東京都千代田区", "EUC-JP-MS", 1, 0, 0);
	/* Valid in no candidate: the label wins ties, U+FFFD left. */
	CHECK("windows-1252", "a\x81", "a\xEF\xBF\xBD", "WINDOWS-1252",
	    0, 0, 1);
	/* Labelled us-ascii, 8-bit Shift_JIS. */
	CHECK("us-ascii", "\x83\x65\x83\x58\x83\x67", "テスト", "CP932",
	    1, 0, 0);
}

static void
test_no_label(void **state)
{
	static const char sjis[] = "\x89\xef\x8b\x63\x82\xcc\x8e\x91\x97\xbf"
	    "\x82\xf0\x91\x97\x82\xe8\x82\xdc\x82\xb7\x81\x42\x82\xb2\x8a\x6d"
	    "\x94\x46\x82\xad\x82\xbe\x82\xb3\x82\xa2\x81\x42";
	static const char euc[] = "\xb2\xf1\xb5\xc4\xa4\xce\xbb\xf1\xce\xc1"
	    "\xa4\xf2\xc1\xf7\xa4\xea\xa4\xde\xa4\xb9\xa1\xa3\xa4\xb4\xb3\xce"
	    "\xc7\xa7\xa4\xaf\xa4\xc0\xa4\xb5\xa4\xa4\xa1\xa3";
	const char *want = "会議の資料を送ります。ご確認ください。";

	CHECK(NULL, sjis, want, "CP932", 0, 1, 0);
	CHECK("unknown-8bit", sjis, want, "CP932", 0, 1, 0);
	CHECK("", euc, want, "EUC-JP-MS", 0, 1, 0);
	/* Short Shift_JIS uchardet calls windows-1252. */
	CHECK("x-unknown", "\x93\xfa\x96\x7b\x8c\xea", "日本語", "CP932",
	    0, 1, 0);
	CHECK(NULL, "日本語", "日本語", "UTF-8", 0, 1, 0);
	CHECK("nonsense", "\x1b$BF|K\\\x1b(B", "日本", "ISO-2022-JP-MS",
	    0, 1, 0);
	/* Pure ASCII: RFC 2045's default, nothing guessed. */
	CHECK(NULL, "plain text", "plain text", "US-ASCII", 0, 0, 0);
	CHECK("", "", "", "US-ASCII", 0, 0, 0);
	assert_string_equal(charset_guess((const unsigned char *)sjis,
	    sizeof(sjis) - 1), "CP932");
}

static void
test_others(void **state)
{
	check("utf-16", "\xff\xfe" "a\0\x87\x65", 6, "a文", "UTF-16", 0, 0, 0);
	check("utf-16", "a\0b\0", 4, "ab", "UTF-16LE", 0, 0, 0);
	check("UTF-16BE", "\xfe\xff\0a", 4, "a", "UTF-16BE", 0, 0, 0);
	CHECK("koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет", "KOI8-R",
	    0, 0, 0);
	CHECK("gb2312", "\xc4\xe3\xba\xc3", "你好", "GB18030", 0, 0, 0);
	CHECK("big5", "\xa7\x41\xa6\x6e", "你好", "BIG5-HKSCS", 0, 0, 0);
	CHECK("euc-kr", "\xbe\xc8\xb3\xe7", "안녕", "UHC", 0, 0, 0);
	CHECK("windows-1258", "Vi\xea\xf2t", "Việt", "WINDOWS-1258", 0, 0, 0);
}

/* A full buffer is an error, never a silent truncation. */
static void
test_buffer_refused(void **state)
{
	struct buffer out;
	struct charset_result r;

	buffer_init(&out, 8);
	assert_int_equal(charset_to_utf8("shift_jis",
	    (const unsigned char *)"\x82\xa0\x82\xa0\x82\xa0", 6, &out, &r), -1);
	buffer_free(&out);
	buffer_init(&out, 9);
	assert_int_equal(charset_to_utf8("shift_jis",
	    (const unsigned char *)"\x82\xa0\x82\xa0\x82\xa0", 6, &out, &r), 0);
	assert_string_equal((const char *)out.data, "あああ");
	buffer_free(&out);
}

static int
enc(const char *in, struct buffer *out)
{
	buffer_init(out, 1 << 20);
	return charset_utf8_to_iso2022jp(in, strlen(in), out);
}

static void
test_encoder(void **state)
{
	const char *text = "①㈱Ⅰ 日本語～ abc\r\nⅰ纊≒￢";
	struct buffer out;
	struct dec d;

	assert_int_equal(enc(text, &out), 0);
	/* NEC row 13 as CP50221 writes it, ends in ASCII. */
	assert_memory_equal(out.data, "\x1b$B-!-j-5\x1b(B \x1b$BF|K\\8l!A",
	    24);
	assert_memory_equal(out.data + out.used - 3, "\x1b(B", 3);
	/* ≒ and ¬ take their standard row-2 cells, not rows 13/92. */
	assert_non_null(strstr((const char *)out.data, "|qy!\"b\"L\x1b(B"));
	dec_n(&d, "iso-2022-jp", out.data, out.used);
	assert_string_equal(dec_str(&d), text);
	assert_false(d.res.invalid);
	buffer_free(&d.out);
	buffer_free(&out);

	/* Windows' one-way mappings: WAVE DASH goes out as ～, ¬ as ￢. */
	assert_int_equal(enc("〜¬", &out), 0);
	assert_memory_equal(out.data, "\x1b$B!A\"L\x1b(B", 10);
	buffer_free(&out);

	assert_int_equal(enc("hello", &out), 0);
	assert_string_equal((const char *)out.data, "hello");
	buffer_free(&out);

	/* Not representable: the caller falls back to UTF-8. */
	assert_int_equal(enc("絵文字😀", &out), 1);
	buffer_free(&out);
	assert_int_equal(enc("ｱｲｳ", &out), 1);
	buffer_free(&out);
	assert_int_equal(enc("¥100", &out), 1);
	buffer_free(&out);
	assert_int_equal(enc("a\x1b$Bb", &out), 1);
	buffer_free(&out);
	assert_int_equal(enc("\xff", &out), 1);
	buffer_free(&out);

	buffer_init(&out, 4);
	assert_int_equal(charset_utf8_to_iso2022jp("①①", 6, &out), -1);
	buffer_free(&out);
}

static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
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

/* The same text in three charsets decodes to identical UTF-8, under
   its label and with none. */
static void
test_corpus(void **state)
{
	static const struct {
		const char *file, *label, *used;
	} files[] = {
		{ "gmime-japanese.iso-2022-jp.txt", "iso-2022-jp",
		    "ISO-2022-JP-MS" },
		{ "gmime-japanese.shift-jis.txt", "shift_jis", "CP932" },
		{ "gmime-japanese.utf-8.txt", "utf-8", "UTF-8" },
	};
	const char *dir = getenv("SANSO_SHARED_CORPUS");
	unsigned char *ref, *in;
	size_t reflen, len, i;
	char path[1024];
	struct dec d;
	struct buffer out;

	if (dir == NULL || dir[0] == '\0') {
		skip();
		return;
	}
	snprintf(path, sizeof(path), "%s/japanese/%s", dir, files[2].file);
	if ((ref = read_file(path, &reflen)) == NULL) {
		skip();
		return;
	}
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/japanese/%s", dir,
		    files[i].file);
		in = read_file(path, &len);
		assert_non_null(in);
		dec_n(&d, files[i].label, in, len);
		assert_int_equal(d.ret, 0);
		assert_string_equal(d.res.used, files[i].used);
		assert_false(d.res.mislabelled || d.res.invalid ||
		    d.res.guessed);
		assert_int_equal(d.out.used, reflen);
		assert_memory_equal(d.out.data, ref, reflen);
		buffer_free(&d.out);
		dec_n(&d, NULL, in, len);
		assert_true(d.res.guessed);
		assert_string_equal(d.res.used, files[i].used);
		assert_int_equal(d.out.used, reflen);
		assert_memory_equal(d.out.data, ref, reflen);
		buffer_free(&d.out);
		free(in);
	}
	/* And back: the UTF-8 text encodes to ISO-2022-JP that decodes to
	   the same text. */
	buffer_init(&out, 1 << 20);
	assert_int_equal(charset_utf8_to_iso2022jp((const char *)ref, reflen,
	    &out), 0);
	dec_n(&d, "iso-2022-jp", out.data, out.used);
	assert_int_equal(d.out.used, reflen);
	assert_memory_equal(d.out.data, ref, reflen);
	buffer_free(&d.out);
	buffer_free(&out);
	free(ref);
}

/* In the child: every label decodes, with the charset it names, once
   open() fails as it does under the worker's seccomp filter. */
static int
sandboxed_child(void)
{
	static const char *const labels[] = {
		"us-ascii", "utf-8", "iso-2022-jp", "shift_jis", "euc-jp",
		"shift_jisx0213", "euc-jisx0213", "iso-8859-1", "iso-8859-2",
		"iso-8859-3", "iso-8859-4", "iso-8859-5", "iso-8859-6",
		"iso-8859-7", "iso-8859-8", "iso-8859-9", "iso-8859-10",
		"iso-8859-11", "iso-8859-13", "iso-8859-14", "iso-8859-15",
		"iso-8859-16", "windows-1250", "windows-1251", "windows-1252",
		"windows-1253", "windows-1254", "windows-1255", "windows-1256",
		"windows-1257", "windows-1258", "koi8-r", "koi8-u", "cp866",
		"macintosh", "windows-874", "gb2312", "big5", "euc-kr",
		"iso-2022-kr", "utf-7",
	};
	struct buffer out;
	struct charset_result r;
	const char *canon;
	size_t i;

	if (open("/dev/null", O_RDONLY) >= 0)
		return 2;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		canon = charset_canonical(labels[i]);
		buffer_init(&out, 1024);
		if (canon == NULL || charset_to_utf8(labels[i],
		    (const unsigned char *)"abc", 3, &out, &r) != 0 ||
		    strcmp(r.used, canon) != 0 || r.guessed || r.invalid ||
		    strcmp((const char *)out.data, "abc") != 0)
			return 3;
		buffer_free(&out);
	}
	buffer_init(&out, 1024);
	if (charset_to_utf8("iso-2022-jp",
	    (const unsigned char *)"\x1b$B-!\x1b$(D0!\x1b$(Q-!\x1b(B", 20,
	    &out, &r) != 0 || strcmp((const char *)out.data, "①丂①") != 0)
		return 4;
	buffer_reset(&out);
	if (charset_to_utf8("utf-16le", (const unsigned char *)"a\0", 2, &out,
	    &r) != 0 || strcmp((const char *)out.data, "a") != 0)
		return 5;
	buffer_reset(&out);
	/* uchardet and the guessing path. */
	if (charset_to_utf8(NULL, (const unsigned char *)"\x93\xfa\x96\x7b",
	    4, &out, &r) != 0 || strcmp((const char *)out.data, "日本") != 0)
		return 6;
	buffer_reset(&out);
	if (charset_utf8_to_iso2022jp("〜①", 6, &out) != 0 ||
	    memcmp(out.data, "\x1b$B!A-!\x1b(B", 10) != 0)
		return 7;
	buffer_free(&out);
	return 0;
}

static void
test_sandboxed(void **state)
{
	scmp_filter_ctx ctx;
	pid_t pid;
	int status;

	fflush(NULL);
	if ((pid = fork()) == 0) {
		ctx = seccomp_init(SCMP_ACT_ALLOW);
		if (ctx == NULL ||
		    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
		    SCMP_SYS(openat), 0) != 0 ||
		    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
		    SCMP_SYS(open), 0) != 0 ||
		    seccomp_load(ctx) != 0)
			_exit(77);
		_exit(sandboxed_child());
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77) {
		skip();
		return;
	}
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_is_utf8),
		cmocka_unit_test(test_nec_ibm),
		cmocka_unit_test(test_eucjp),
		cmocka_unit_test(test_iso2022jp_details),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_mislabels),
		cmocka_unit_test(test_no_label),
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_buffer_refused),
		cmocka_unit_test(test_encoder),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_sandboxed),
	};

	charset_prewarm();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
