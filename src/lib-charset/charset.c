/*
 * charset - decode mail text to UTF-8 whatever its label says.
 *
 * Four parts: the table of supported charsets and their labels; the
 * decoders (strict UTF-8, iconv with U+FFFD for what it rejects, and a
 * hand-written ISO-2022-JP-MS); the choice of charset (label checked
 * against the bytes, mislabel detection, guessing); and the
 * ISO-2022-JP encoder for outgoing notices.
 *
 * Every iconv descriptor is opened once, by charset_prewarm(), because
 * the worker calls us under seccomp where iconv_open() cannot open its
 * gconv modules. Descriptors are reset with iconv(cd, NULL, ...) before
 * each use. The tables are process-global: the worker is
 * single-threaded, other users must prewarm before starting threads.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uchardet.h>

#include "charset.h"

/* uchardet sees at most this much: a guess needs no more, and it keeps
   the cost of a guess bounded whatever the part size. */
#define GUESS_BYTES (256 * 1024)

enum cs_kind { K_ASCII, K_UTF8, K_2022JP, K_ICONV };

#define F_SINGLE	1	/* one byte per character, ASCII-compatible */
#define F_WIDE		2	/* not ASCII-compatible: UTF-16 and UTF-32 */
#define F_NOESC		4	/* uses ESC itself: no ISO-2022-JP sniffing */
#define F_NOC1		8	/* glibc passes stray 0x80-0x9F as C1 controls */

enum cs_id {
	CS_NONE = -1,
	CS_ASCII, CS_UTF8, CS_2022JP, CS_CP932, CS_EUCJP, CS_SJIS2004,
	CS_EUCJIS2004,
	CS_8859_1, CS_8859_2, CS_8859_3, CS_8859_4, CS_8859_5, CS_8859_6,
	CS_8859_7, CS_8859_8, CS_8859_9, CS_8859_10, CS_8859_11, CS_8859_13,
	CS_8859_14, CS_8859_15, CS_8859_16,
	CS_1250, CS_1251, CS_1252, CS_1253, CS_1254, CS_1255, CS_1256,
	CS_1257, CS_1258, CS_KOI8R, CS_KOI8U, CS_CP866, CS_MAC, CS_874,
	CS_GB18030, CS_BIG5, CS_UHC, CS_2022KR,
	CS_UTF16, CS_UTF16LE, CS_UTF16BE, CS_UTF32, CS_UTF32LE, CS_UTF32BE,
	CS_UTF7,
	CS_COUNT
};

struct cs_def {
	const char *name;	/* canonical, reported in charset_result */
	const char *iconv[2];	/* glibc names, second is the fallback */
	unsigned char kind;
	unsigned char flags;
};

#define ICONV1(n, f)	{ n, { n, NULL }, K_ICONV, f }

static const struct cs_def defs[CS_COUNT] = {
	[CS_ASCII] = { "US-ASCII", { NULL, NULL }, K_ASCII, 0 },
	[CS_UTF8] = { "UTF-8", { NULL, NULL }, K_UTF8, 0 },
	[CS_2022JP] = { "ISO-2022-JP-MS", { NULL, NULL }, K_2022JP, F_NOESC },
	[CS_CP932] = ICONV1("CP932", 0),
	[CS_EUCJP] = { "EUC-JP-MS", { "EUC-JP-MS", "EUC-JP" }, K_ICONV, F_NOC1 },
	[CS_SJIS2004] = ICONV1("SHIFT_JISX0213", 0),
	[CS_EUCJIS2004] = ICONV1("EUC-JISX0213", 0),
	[CS_8859_1] = ICONV1("ISO-8859-1", F_SINGLE),
	[CS_8859_2] = ICONV1("ISO-8859-2", F_SINGLE),
	[CS_8859_3] = ICONV1("ISO-8859-3", F_SINGLE),
	[CS_8859_4] = ICONV1("ISO-8859-4", F_SINGLE),
	[CS_8859_5] = ICONV1("ISO-8859-5", F_SINGLE),
	[CS_8859_6] = ICONV1("ISO-8859-6", F_SINGLE),
	[CS_8859_7] = ICONV1("ISO-8859-7", F_SINGLE),
	[CS_8859_8] = ICONV1("ISO-8859-8", F_SINGLE),
	[CS_8859_9] = ICONV1("ISO-8859-9", F_SINGLE),
	[CS_8859_10] = ICONV1("ISO-8859-10", F_SINGLE),
	[CS_8859_11] = ICONV1("ISO-8859-11", F_SINGLE),
	[CS_8859_13] = ICONV1("ISO-8859-13", F_SINGLE),
	[CS_8859_14] = ICONV1("ISO-8859-14", F_SINGLE),
	[CS_8859_15] = ICONV1("ISO-8859-15", F_SINGLE),
	[CS_8859_16] = ICONV1("ISO-8859-16", F_SINGLE),
	[CS_1250] = ICONV1("WINDOWS-1250", F_SINGLE),
	[CS_1251] = ICONV1("WINDOWS-1251", F_SINGLE),
	[CS_1252] = ICONV1("WINDOWS-1252", F_SINGLE),
	[CS_1253] = ICONV1("WINDOWS-1253", F_SINGLE),
	[CS_1254] = ICONV1("WINDOWS-1254", F_SINGLE),
	[CS_1255] = ICONV1("WINDOWS-1255", F_SINGLE),
	[CS_1256] = ICONV1("WINDOWS-1256", F_SINGLE),
	[CS_1257] = ICONV1("WINDOWS-1257", F_SINGLE),
	[CS_1258] = ICONV1("WINDOWS-1258", F_SINGLE),
	[CS_KOI8R] = ICONV1("KOI8-R", F_SINGLE),
	[CS_KOI8U] = ICONV1("KOI8-U", F_SINGLE),
	[CS_CP866] = ICONV1("CP866", F_SINGLE),
	[CS_MAC] = ICONV1("MACINTOSH", F_SINGLE),
	[CS_874] = ICONV1("WINDOWS-874", F_SINGLE),
	/* GB2312 and GBK labels are decoded as their superset GB18030,
	   Big5 as Big5-HKSCS and EUC-KR as UHC (CP949), as browsers do:
	   senders use the extensions under the old labels. */
	[CS_GB18030] = ICONV1("GB18030", 0),
	[CS_BIG5] = ICONV1("BIG5-HKSCS", F_NOC1),
	[CS_UHC] = ICONV1("UHC", 0),
	[CS_2022KR] = ICONV1("ISO-2022-KR", F_NOESC),
	[CS_UTF16] = ICONV1("UTF-16", F_WIDE),
	[CS_UTF16LE] = ICONV1("UTF-16LE", F_WIDE),
	[CS_UTF16BE] = ICONV1("UTF-16BE", F_WIDE),
	[CS_UTF32] = ICONV1("UTF-32", F_WIDE),
	[CS_UTF32LE] = ICONV1("UTF-32LE", F_WIDE),
	[CS_UTF32BE] = ICONV1("UTF-32BE", F_WIDE),
	[CS_UTF7] = ICONV1("UTF-7", F_NOESC),
};

/* Labels reduced to lower-case letters and digits ("Shift_JIS" ->
   "shiftjis"), so spelling variants need no entries of their own. */
static const struct {
	const char *key;
	short id;
} aliases[] = {
	{ "usascii", CS_ASCII }, { "ascii", CS_ASCII }, { "us", CS_ASCII },
	{ "csascii", CS_ASCII }, { "ansix341968", CS_ASCII },
	{ "iso646us", CS_ASCII }, { "cp367", CS_ASCII }, { "ibm367", CS_ASCII },
	{ "utf8", CS_UTF8 }, { "unicode11utf8", CS_UTF8 },
	{ "xunicode20utf8", CS_UTF8 }, { "unicode20utf8", CS_UTF8 },
	{ "iso2022jp", CS_2022JP }, { "csiso2022jp", CS_2022JP },
	{ "iso2022jpms", CS_2022JP }, { "cp50220", CS_2022JP },
	{ "cp50221", CS_2022JP }, { "cp50222", CS_2022JP },
	{ "iso2022jp1", CS_2022JP }, { "iso2022jp2", CS_2022JP },
	{ "csiso2022jp2", CS_2022JP }, { "iso2022jp3", CS_2022JP },
	{ "iso2022jp2004", CS_2022JP },
	{ "shiftjis", CS_CP932 }, { "sjis", CS_CP932 }, { "xsjis", CS_CP932 },
	{ "mskanji", CS_CP932 }, { "csshiftjis", CS_CP932 },
	{ "windows31j", CS_CP932 }, { "cswindows31j", CS_CP932 },
	{ "cp932", CS_CP932 }, { "ms932", CS_CP932 }, { "xmscp932", CS_CP932 },
	{ "ibm943", CS_CP932 }, { "sjisopen", CS_CP932 }, { "sjiswin", CS_CP932 },
	{ "xshiftjis", CS_CP932 },
	{ "eucjp", CS_EUCJP }, { "xeucjp", CS_EUCJP },
	{ "cseucpkdfmtjapanese", CS_EUCJP }, { "eucjpms", CS_EUCJP },
	{ "eucjpwin", CS_EUCJP }, { "cp51932", CS_EUCJP },
	{ "shiftjisx0213", CS_SJIS2004 }, { "shiftjis2004", CS_SJIS2004 },
	{ "eucjisx0213", CS_EUCJIS2004 }, { "eucjis2004", CS_EUCJIS2004 },
	{ "iso88591", CS_8859_1 }, { "latin1", CS_8859_1 }, { "l1", CS_8859_1 },
	{ "cp819", CS_8859_1 }, { "ibm819", CS_8859_1 },
	{ "csisolatin1", CS_8859_1 }, { "isoir100", CS_8859_1 },
	{ "iso88592", CS_8859_2 }, { "latin2", CS_8859_2 },
	{ "iso88593", CS_8859_3 }, { "latin3", CS_8859_3 },
	{ "iso88594", CS_8859_4 }, { "latin4", CS_8859_4 },
	{ "iso88595", CS_8859_5 }, { "iso88596", CS_8859_6 },
	{ "iso88597", CS_8859_7 }, { "iso88598", CS_8859_8 },
	{ "iso88598i", CS_8859_8 }, { "iso88599", CS_8859_9 },
	{ "latin5", CS_8859_9 }, { "iso885910", CS_8859_10 },
	{ "latin6", CS_8859_10 }, { "iso885911", CS_8859_11 },
	{ "tis620", CS_874 }, { "iso885913", CS_8859_13 },
	{ "iso885914", CS_8859_14 }, { "iso885915", CS_8859_15 },
	{ "latin9", CS_8859_15 }, { "iso885916", CS_8859_16 },
	{ "windows1250", CS_1250 }, { "cp1250", CS_1250 }, { "xcp1250", CS_1250 },
	{ "windows1251", CS_1251 }, { "cp1251", CS_1251 }, { "xcp1251", CS_1251 },
	{ "windows1252", CS_1252 }, { "cp1252", CS_1252 }, { "xcp1252", CS_1252 },
	{ "windows1253", CS_1253 }, { "cp1253", CS_1253 },
	{ "windows1254", CS_1254 }, { "cp1254", CS_1254 },
	{ "windows1255", CS_1255 }, { "cp1255", CS_1255 },
	{ "windows1256", CS_1256 }, { "cp1256", CS_1256 },
	{ "windows1257", CS_1257 }, { "cp1257", CS_1257 },
	{ "windows1258", CS_1258 }, { "cp1258", CS_1258 },
	{ "koi8r", CS_KOI8R }, { "koi8", CS_KOI8R }, { "cskoi8r", CS_KOI8R },
	{ "koi8u", CS_KOI8U }, { "cp866", CS_CP866 }, { "ibm866", CS_CP866 },
	{ "macintosh", CS_MAC }, { "mac", CS_MAC }, { "xmacroman", CS_MAC },
	{ "windows874", CS_874 }, { "cp874", CS_874 },
	{ "gb2312", CS_GB18030 }, { "gbk", CS_GB18030 },
	{ "gb18030", CS_GB18030 }, { "cp936", CS_GB18030 },
	{ "xgbk", CS_GB18030 }, { "csgb2312", CS_GB18030 },
	{ "euccn", CS_GB18030 }, { "xeuccn", CS_GB18030 },
	{ "gb231280", CS_GB18030 }, { "chinese", CS_GB18030 },
	{ "big5", CS_BIG5 }, { "big5hkscs", CS_BIG5 }, { "cnbig5", CS_BIG5 },
	{ "xxbig5", CS_BIG5 }, { "csbig5", CS_BIG5 }, { "cp950", CS_BIG5 },
	{ "euckr", CS_UHC }, { "cseuckr", CS_UHC }, { "ksc56011987", CS_UHC },
	{ "ksc5601", CS_UHC }, { "cp949", CS_UHC }, { "uhc", CS_UHC },
	{ "windows949", CS_UHC }, { "ksc56011989", CS_UHC },
	{ "iso2022kr", CS_2022KR }, { "csiso2022kr", CS_2022KR },
	{ "utf16", CS_UTF16 }, { "utf16le", CS_UTF16LE },
	{ "utf16be", CS_UTF16BE }, { "utf32", CS_UTF32 },
	{ "utf32le", CS_UTF32LE }, { "utf32be", CS_UTF32BE },
	{ "utf7", CS_UTF7 }, { "unicode11utf7", CS_UTF7 },
	{ "csunicode11utf7", CS_UTF7 },
};

static bool ready;
static iconv_t cds[CS_COUNT];
static const char *names[CS_COUNT];	/* defs[].name, or the fallback */
static iconv_t to_cp932 = (iconv_t)-1;	/* UTF-8 -> CP932, for the encoder */

/*
 * JIS X 0208 as Microsoft extends it (NEC row 13, NEC-selected IBM rows
 * 89-92), built at prewarm by decoding every row/cell through glibc's
 * CP932 converter: the mapping data is glibc's, we only own the
 * arithmetic between JIS and Shift_JIS. 0 = undefined cell.
 */
static uint32_t jis0208[94 * 94];
/* The same, sorted by code point, for the encoder. Where a character
   has several cells (≒ in rows 2 and 13, ¬ in rows 2 and 92) the lowest
   wins, which is the standard JIS X 0208 one every reader knows. */
static struct jis_rev {
	uint32_t cp;
	uint16_t cell;
} jis_rev[94 * 94];
static size_t jis_nrev;

/* ---- output ---- */

/* Where decoders write: UTF-8 into out, or nowhere when only counting
   how many bytes a candidate charset rejects. */
struct sink {
	struct buffer *out;	/* NULL: count only */
	size_t invalid;		/* U+FFFD emitted */
	size_t stop;		/* decoders give up past this many */
	bool failed;		/* out refused to grow */
	size_t n;
	unsigned char tmp[4096];
};

#define SINK_DONE(s) ((s)->failed || (s)->invalid > (s)->stop)

static void
sink_flush(struct sink *s)
{
	if (s->n > 0 && s->out != NULL && !s->failed &&
	    buffer_append(s->out, s->tmp, s->n) < 0)
		s->failed = true;
	s->n = 0;
}

static void
sink_put(struct sink *s, const void *p, size_t n)
{
	if (s->out == NULL || s->failed)
		return;
	if (n > sizeof(s->tmp) - s->n) {
		sink_flush(s);
		if (n > sizeof(s->tmp)) {
			if (buffer_append(s->out, p, n) < 0)
				s->failed = true;
			return;
		}
	}
	memcpy(s->tmp + s->n, p, n);
	s->n += n;
}

/* UTF-8 for cp (which must be a scalar value) into b; returns length. */
static size_t
utf8_put(uint32_t cp, unsigned char *b)
{
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (unsigned char)(0xF0 | cp >> 18);
	b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	b[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

static void
sink_cp(struct sink *s, uint32_t cp)
{
	unsigned char b[4];

	sink_put(s, b, utf8_put(cp, b));
}

/* Bytes no decoder accepts: one U+FFFD, counted. */
static void
sink_bad(struct sink *s)
{
	s->invalid++;
	sink_cp(s, 0xFFFD);
}

/* ---- UTF-8 ---- */

/*
 * Length of the well-formed UTF-8 sequence at p (Unicode table 3-7: no
 * overlongs, surrogates or values past U+10FFFF), with its code point
 * in *cp; or 0, with *skip the maximal ill-formed subpart that one
 * U+FFFD replaces (the W3C/Unicode practice, so counts are stable).
 */
static size_t
utf8_len(const unsigned char *p, size_t n, size_t *skip, uint32_t *cp)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		*skip = 1;
		return 0;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || p[i] < lo || p[i] > hi) {
			*skip = i;
			return 0;
		}
		v = v << 6 | (p[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

bool
charset_is_utf8(const unsigned char *in, size_t len)
{
	size_t i = 0, n, skip;
	uint32_t cp;

	while (i < len) {
		if (in[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_len(in + i, len - i, &skip, &cp)) == 0)
			return false;
		i += n;
	}
	return true;
}

/* Ill-formed subparts and multi-byte characters in in[]. */
static void
utf8_stats(const unsigned char *in, size_t len, size_t *bad, size_t *multi)
{
	size_t i = 0, n, skip;
	uint32_t cp;

	*bad = *multi = 0;
	while (i < len) {
		if (in[i] < 0x80) {
			i++;
		} else if ((n = utf8_len(in + i, len - i, &skip, &cp)) == 0) {
			(*bad)++;
			i += skip;
		} else {
			(*multi)++;
			i += n;
		}
	}
}

static void
decode_utf8(const unsigned char *in, size_t len, struct sink *s)
{
	size_t i = 0, run = 0, n, skip;
	uint32_t cp;

	while (i < len && !SINK_DONE(s)) {
		if (in[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_len(in + i, len - i, &skip, &cp)) > 0) {
			i += n;
			continue;
		}
		sink_put(s, in + run, i - run);
		sink_bad(s);
		i += skip;
		run = i;
	}
	if (!SINK_DONE(s))
		sink_put(s, in + run, len - run);
}

static void
decode_ascii(const unsigned char *in, size_t len, struct sink *s)
{
	size_t i, run = 0;

	for (i = 0; i < len && !SINK_DONE(s); i++) {
		if (in[i] >= 0x80) {
			sink_put(s, in + run, i - run);
			sink_bad(s);
			run = i + 1;
		}
	}
	if (!SINK_DONE(s))
		sink_put(s, in + run, len - run);
}

/* ---- iconv ---- */

/*
 * Output of a decoder that passes stray bytes 0x80-0x9F as C1 controls
 * (glibc's EUC-JP, Big5-HKSCS): they are not characters of the
 * charset, and counting them as valid would make any garbage "valid
 * EUC-JP" when guessing. Each becomes U+FFFD.
 */
static void
sink_put_noc1(struct sink *s, const unsigned char *p, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i + 1 < n; i++) {
		if (p[i] == 0xC2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F) {
			sink_put(s, p + run, i - run);
			sink_bad(s);
			run = i + 2;
			i++;
		}
	}
	sink_put(s, p + run, n - run);
}

/*
 * Run in[] through cd. A byte iconv rejects becomes U+FFFD and decoding
 * goes on at the next byte (so an ASCII byte after a bad lead byte
 * survives); an incomplete sequence at the end becomes one U+FFFD.
 */
static void
decode_iconv(iconv_t cd, bool noc1, const unsigned char *in, size_t len,
    struct sink *s)
{
	char obuf[4096], *ip = (char *)(uintptr_t)in, *op;
	size_t il = len, ol, r;
	int e;

	if (cd == (iconv_t)-1) {
		/* Not reachable: labels of unopened charsets are unknown. */
		while (il-- > 0 && !SINK_DONE(s))
			sink_bad(s);
		return;
	}
	iconv(cd, NULL, NULL, NULL, NULL);
	while (il > 0 && !SINK_DONE(s)) {
		op = obuf;
		ol = sizeof(obuf);
		r = iconv(cd, &ip, &il, &op, &ol);
		e = errno;
		if (noc1)
			sink_put_noc1(s, (unsigned char *)obuf,
			    (size_t)(op - obuf));
		else
			sink_put(s, obuf, (size_t)(op - obuf));
		if (r != (size_t)-1)
			break;
		if (e == E2BIG && op != obuf)
			continue;
		if (e == EINVAL) {
			sink_bad(s);
			il = 0;
			break;
		}
		/* EILSEQ, or E2BIG with no progress (cannot happen with
		   4 KiB for one character): skip one byte. */
		sink_bad(s);
		ip++;
		il--;
	}
	/* Stateful decoders (CP1258 combining, UTF-7) may hold a
	   character back until told the input is over. */
	op = obuf;
	ol = sizeof(obuf);
	if (iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1)
		sink_put(s, obuf, (size_t)(op - obuf));
}

/* Convert exactly in[0..n) with cd into UTF-8 in out[] (at least 32
   bytes); returns the output length, 0 when cd rejects any of it. */
static size_t
iconv_one(iconv_t cd, const unsigned char *in, size_t n, unsigned char *out,
    size_t outsize)
{
	char *ip = (char *)(uintptr_t)in, *op = (char *)out;
	size_t il = n, ol = outsize;

	if (cd == (iconv_t)-1)
		return 0;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0)
		return 0;
	if (iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1)
		return 0;
	return outsize - ol;
}

/* ---- ISO-2022-JP-MS ---- */

/*
 * Why by hand: glibc's ISO-2022-JP rejects the NEC row-13 characters
 * (①, ㈱, Ⅰ) and the IBM extensions that Outlook and Windows send
 * (CP50220/CP50221) with EILSEQ, which fails the WHOLE part; its
 * ISO-2022-JP-2/-3 fail the same way:
 *	printf '\x1b$B\x2d\x21\x1b(B' | iconv -f ISO-2022-JP -t UTF-8
 * This decoder follows the escape sequences itself and maps JIS X 0208
 * through the table built from glibc's CP932 (so the characters are
 * the ones Windows shows), and the rarer sets through glibc's EUC
 * converters. An unknown escape or bad pair costs one U+FFFD, never
 * the rest of the text. ESC ( J (JIS X 0201 Roman) is read as ASCII,
 * as Windows does, so a backslash stays a backslash.
 */
enum g0_set {
	G_ASCII, G_KANA, G_X0208, G_X0212, G_X0213_1, G_X0213_2, G_GB2312,
	G_KSC
};
enum g2_set { G2_NONE, G2_LATIN1, G2_GREEK };

/* A two-byte character of a 94x94 set (both bytes 0x21..0x7E). */
static void
jp_pair(int g0, unsigned char b1, unsigned char b2, struct sink *s)
{
	unsigned char b[3], u[32];
	size_t n = 0, m = 0;
	iconv_t cd = (iconv_t)-1;

	switch (g0) {
	case G_X0208:
		if (jis0208[(b1 - 0x21) * 94 + (b2 - 0x21)] != 0)
			sink_cp(s, jis0208[(b1 - 0x21) * 94 + (b2 - 0x21)]);
		else
			sink_bad(s);
		return;
	case G_X0212:
	case G_X0213_2:
		b[n++] = 0x8F;
		cd = cds[g0 == G_X0212 ? CS_EUCJP : CS_EUCJIS2004];
		break;
	case G_X0213_1:
		cd = cds[CS_EUCJIS2004];
		break;
	case G_GB2312:
		cd = cds[CS_GB18030];
		break;
	case G_KSC:
		cd = cds[CS_UHC];
		break;
	}
	b[n++] = b1 | 0x80;
	b[n++] = b2 | 0x80;
	m = iconv_one(cd, b, n, u, sizeof(u));
	if (m > 0)
		sink_put(s, u, m);
	else
		sink_bad(s);
}

/* The escape sequence at in[i]; returns where decoding goes on. */
static size_t
jp_escape(const unsigned char *in, size_t len, size_t i, int *g0, int *g2,
    struct sink *s)
{
	size_t j = i + 1, nim = 0;
	unsigned char im[2] = { 0, 0 }, f, b, u[32];
	size_t m;

	/* ISO 2022 shape: ESC, intermediates 0x20-0x2F, a final 0x30-0x7E. */
	while (j < len && in[j] >= 0x20 && in[j] <= 0x2F) {
		if (nim < 2)
			im[nim] = in[j];
		nim++;
		j++;
	}
	if (j >= len) {
		/* Truncated escape at the end of the text. */
		sink_bad(s);
		return len;
	}
	f = in[j];
	if (f < 0x30 || f > 0x7E) {
		sink_bad(s);
		return j;
	}
	if (nim == 1 && im[0] == '(') {
		if (f == 'B' || f == 'J' || f == 'H') {
			*g0 = G_ASCII;
			return j + 1;
		}
		if (f == 'I') {
			*g0 = G_KANA;
			return j + 1;
		}
	} else if (nim == 1 && im[0] == '$') {
		if (f == '@' || f == 'B') {
			*g0 = G_X0208;
			return j + 1;
		}
		if (f == 'A') {
			*g0 = G_GB2312;
			return j + 1;
		}
	} else if (nim == 1 && im[0] == '&' && f == '@') {
		/* JIS X 0208-1990 announcer before ESC $ B: nothing to do. */
		return j + 1;
	} else if (nim == 1 && im[0] == '.') {
		if (f == 'A' || f == 'F') {
			*g2 = f == 'A' ? G2_LATIN1 : G2_GREEK;
			return j + 1;
		}
	} else if (nim == 2 && im[0] == '$' && im[1] == '(') {
		switch (f) {
		case '@':
		case 'B':
			*g0 = G_X0208;
			return j + 1;
		case 'C':
			*g0 = G_KSC;
			return j + 1;
		case 'D':
			*g0 = G_X0212;
			return j + 1;
		case 'O':
		case 'Q':
			*g0 = G_X0213_1;
			return j + 1;
		case 'P':
			*g0 = G_X0213_2;
			return j + 1;
		}
	} else if (nim == 0 && f == 'N') {
		/* Single shift 2 (ISO-2022-JP-2): one character of G2. */
		if (j + 1 < len && in[j + 1] >= 0x20 && in[j + 1] <= 0x7F &&
		    *g2 != G2_NONE) {
			b = in[j + 1] | 0x80;
			if (*g2 == G2_LATIN1)
				sink_cp(s, b);
			else if ((m = iconv_one(cds[CS_8859_7], &b, 1, u,
			    sizeof(u))) > 0)
				sink_put(s, u, m);
			else
				sink_bad(s);
			return j + 2;
		}
		sink_bad(s);
		return j + 1;
	}
	sink_bad(s);
	return j + 1;
}

static void
decode_2022jp(const unsigned char *in, size_t len, struct sink *s)
{
	int g0 = G_ASCII, g2 = G2_NONE;
	bool so = false;
	size_t i = 0, run;
	unsigned char c;

	while (i < len && !SINK_DONE(s)) {
		c = in[i];
		if (c == 0x1B) {
			i = jp_escape(in, len, i, &g0, &g2, s);
			continue;
		}
		if (c == 0x0E || c == 0x0F) {
			/* SO/SI: half-width katakana of CP50222. */
			so = c == 0x0E;
			i++;
			continue;
		}
		if (c >= 0x80) {
			sink_bad(s);
			i++;
			continue;
		}
		if (c == '\n' || c == '\r') {
			/* RFC 1468: every line ends in ASCII. Resetting
			   here cannot hurt a correct text and keeps a
			   sender's missing ESC ( B from garbling the rest. */
			g0 = G_ASCII;
			so = false;
			sink_put(s, &c, 1);
			i++;
			continue;
		}
		if (g0 == G_ASCII && !so) {
			for (run = i; i < len && in[i] < 0x80 &&
			    in[i] != 0x1B && in[i] != 0x0E && in[i] != 0x0F; i++)
				;
			sink_put(s, in + run, i - run);
			continue;
		}
		if (c < 0x21) {
			/* Space, tab and controls inside a shifted run. */
			sink_put(s, &c, 1);
			i++;
			continue;
		}
		if (so || g0 == G_KANA) {
			if (c <= 0x5F)
				sink_cp(s, 0xFF61 + (uint32_t)(c - 0x21));
			else
				sink_bad(s);
			i++;
			continue;
		}
		if (c == 0x7F || i + 1 >= len || in[i + 1] < 0x21 ||
		    in[i + 1] > 0x7E) {
			sink_bad(s);
			i++;
			continue;
		}
		jp_pair(g0, c, in[i + 1], s);
		i += 2;
	}
}

/* ---- charset table ---- */

/* By code point, then cell, so the first of equals is the lowest cell. */
static int
rev_sort(const void *a, const void *b)
{
	const struct jis_rev *x = a, *y = b;

	if (x->cp != y->cp)
		return x->cp < y->cp ? -1 : 1;
	return x->cell < y->cell ? -1 : x->cell > y->cell;
}

static void
build_jis_tables(void)
{
	unsigned char sj[2], u[32];
	unsigned r, c;
	size_t m, skip, i, j;
	uint32_t cp;

	for (r = 1; r <= 94; r++) {
		for (c = 1; c <= 94; c++) {
			/* JIS row/cell to Shift_JIS: two rows per lead
			   byte, leads 0x81-0x9F then 0xE0-0xEF. */
			sj[0] = (unsigned char)((r + 1) / 2 +
			    (r <= 62 ? 0x80 : 0xC0));
			if (r % 2 == 1)
				sj[1] = (unsigned char)(c + (c <= 63 ? 0x3F : 0x40));
			else
				sj[1] = (unsigned char)(c + 0x9E);
			m = iconv_one(cds[CS_CP932], sj, 2, u, sizeof(u));
			if (m == 0 || utf8_len(u, m, &skip, &cp) != m)
				continue;
			jis0208[(r - 1) * 94 + (c - 1)] = cp;
			jis_rev[jis_nrev].cp = cp;
			jis_rev[jis_nrev].cell = (uint16_t)((r - 1) * 94 + (c - 1));
			jis_nrev++;
		}
	}
	qsort(jis_rev, jis_nrev, sizeof(jis_rev[0]), rev_sort);
	for (i = j = 0; i < jis_nrev; i++)
		if (j == 0 || jis_rev[j - 1].cp != jis_rev[i].cp)
			jis_rev[j++] = jis_rev[i];
	jis_nrev = j;
}

void
charset_prewarm(void)
{
	int id, k;

	if (ready)
		return;
	ready = true;
	for (id = 0; id < CS_COUNT; id++) {
		cds[id] = (iconv_t)-1;
		names[id] = defs[id].name;
		if (defs[id].kind != K_ICONV)
			continue;
		for (k = 0; k < 2 && defs[id].iconv[k] != NULL; k++) {
			cds[id] = iconv_open("UTF-8", defs[id].iconv[k]);
			if (cds[id] != (iconv_t)-1) {
				names[id] = k == 0 ? defs[id].name :
				    defs[id].iconv[k];
				break;
			}
		}
	}
	to_cp932 = iconv_open("CP932", "UTF-8");
	build_jis_tables();
}

/* Label to charset id; CS_NONE when missing, unknown or unavailable. */
static int
label_id(const char *label)
{
	char key[48];
	size_t n = 0, i;
	const char *p;
	unsigned char c;
	int id;

	if (label == NULL)
		return CS_NONE;
	for (p = label; *p != '\0' && *p != '*'; p++) {
		c = (unsigned char)*p;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			continue;
		if (n + 1 >= sizeof(key))
			return CS_NONE;
		key[n++] = (char)c;
	}
	key[n] = '\0';
	if (n == 0)
		return CS_NONE;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(aliases[i].key, key) != 0)
			continue;
		id = aliases[i].id;
		if (defs[id].kind == K_ICONV && cds[id] == (iconv_t)-1)
			return CS_NONE;
		return id;
	}
	return CS_NONE;
}

const char *
charset_canonical(const char *label)
{
	int id;

	charset_prewarm();
	id = label_id(label);
	return id == CS_NONE ? NULL : names[id];
}

/* ---- choosing ---- */

static void
decode_as(int id, const unsigned char *in, size_t len, struct sink *s)
{
	switch (defs[id].kind) {
	case K_ASCII:
		decode_ascii(in, len, s);
		break;
	case K_UTF8:
		decode_utf8(in, len, s);
		break;
	case K_2022JP:
		decode_2022jp(in, len, s);
		break;
	default:
		decode_iconv(cds[id], (defs[id].flags & F_NOC1) != 0, in, len,
		    s);
		break;
	}
	sink_flush(s);
}

/* How many U+FFFD id would produce for in[] (counting stops past stop). */
static size_t
count_invalid(int id, const unsigned char *in, size_t len, size_t stop)
{
	struct sink s;

	s.out = NULL;
	s.invalid = 0;
	s.stop = stop;
	s.failed = false;
	s.n = 0;
	decode_as(id, in, len, &s);
	return s.invalid;
}

static bool
valid_in(int id, const unsigned char *in, size_t len)
{
	return count_invalid(id, in, len, 0) == 0;
}

static bool
has_8bit(const unsigned char *in, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (in[i] >= 0x80)
			return true;
	return false;
}

/* ISO-2022-JP designations: ESC $ @, ESC $ B, ESC $ ( D, ESC ( I. */
static bool
has_jis_escape(const unsigned char *in, size_t len)
{
	size_t i;

	for (i = 0; i + 2 < len; i++) {
		if (in[i] != 0x1B)
			continue;
		if (in[i + 1] == '$' && (in[i + 2] == '@' || in[i + 2] == 'B' ||
		    in[i + 2] == '('))
			return true;
		if (in[i + 1] == '(' && in[i + 2] == 'I')
			return true;
	}
	return false;
}

/* uchardet's opinion, restricted to ASCII-compatible charsets we have
   and that the caller has not already ruled out. */
static int
uchardet_id(const unsigned char *in, size_t len)
{
	uchardet_t u;
	int id = CS_NONE;

	if ((u = uchardet_new()) == NULL)
		return CS_NONE;
	if (uchardet_handle_data(u, (const char *)in,
	    len < GUESS_BYTES ? len : GUESS_BYTES) == 0) {
		uchardet_data_end(u);
		id = label_id(uchardet_get_charset(u));
	}
	uchardet_delete(u);
	if (id != CS_NONE && (defs[id].kind != K_ICONV ||
	    (defs[id].flags & (F_WIDE | F_NOESC)) != 0))
		id = CS_NONE;
	return id;
}

/*
 * The charset 8-bit text is fully valid in, or CS_NONE; *u_r gets
 * uchardet's answer. uchardet is weak on short Japanese text (it calls
 * a CP932 "日本語" windows-1252), and this gateway mostly sees
 * Japanese, so a multi-byte answer of uchardet is trusted, then
 * EUC-JP (Shift_JIS text is almost never valid EUC-JP, its leads
 * 0x81-0x9F are not EUC), then CP932, and a single-byte answer last.
 */
static int
guess_valid(const unsigned char *in, size_t len, int *u_r)
{
	int u = uchardet_id(in, len);

	*u_r = u;
	if (u != CS_NONE && !(defs[u].flags & F_SINGLE) && valid_in(u, in, len))
		return u;
	if (valid_in(CS_EUCJP, in, len))
		return CS_EUCJP;
	if (valid_in(CS_CP932, in, len))
		return CS_CP932;
	if (u != CS_NONE && (defs[u].flags & F_SINGLE) && valid_in(u, in, len))
		return u;
	return CS_NONE;
}

/* The candidate producing the fewest U+FFFD; earlier ones win ties. */
static int
least_invalid(const int *cand, size_t ncand, const unsigned char *in,
    size_t len)
{
	size_t i, j, n, best_n = SIZE_MAX;
	int best = CS_NONE;

	for (i = 0; i < ncand; i++) {
		if (cand[i] == CS_NONE)
			continue;
		for (j = 0; j < i && cand[j] != cand[i]; j++)
			;
		if (j < i)
			continue;
		n = count_invalid(cand[i], in, len,
		    best_n == SIZE_MAX ? SIZE_MAX : best_n - 1);
		if (n < best_n) {
			best = cand[i];
			best_n = n;
			if (n == 0)
				break;
		}
	}
	return best;
}

/* Text not valid in its label lab (or labelled us-ascii with 8-bit
   bytes): UTF-8, then a guess, then whatever rejects the least. */
static int
fallback(int lab, const unsigned char *in, size_t len,
    struct charset_result *r)
{
	int g, u, cand[5];

	if (lab != CS_UTF8 && charset_is_utf8(in, len))
		g = CS_UTF8;
	else if ((g = guess_valid(in, len, &u)) == CS_NONE) {
		cand[0] = lab;
		cand[1] = CS_CP932;
		cand[2] = CS_EUCJP;
		cand[3] = u;
		cand[4] = CS_UTF8;
		g = least_invalid(cand, 5, in, len);
	}
	if (g != lab)
		r->mislabelled = true;
	return g;
}

/* The charset to decode in[] with, given the label's id. */
static int
choose(int lab, const unsigned char *in, size_t len, struct charset_result *r)
{
	bool eight = has_8bit(in, len);
	size_t bad, multi, i;
	int g, u, cand[4];

	if (lab == CS_NONE) {
		if (!eight) {
			if (has_jis_escape(in, len)) {
				r->guessed = true;
				return CS_2022JP;
			}
			/* RFC 2045's default: nothing was guessed. */
			return CS_ASCII;
		}
		r->guessed = true;
		if (charset_is_utf8(in, len))
			return CS_UTF8;
		if ((g = guess_valid(in, len, &u)) != CS_NONE)
			return g;
		cand[0] = CS_CP932;
		cand[1] = CS_EUCJP;
		cand[2] = u;
		cand[3] = CS_UTF8;
		return least_invalid(cand, 4, in, len);
	}
	if (defs[lab].flags & F_WIDE)
		return lab;
	/* ISO-2022-JP under another label (often utf-8 or us-ascii). */
	if (!eight && lab != CS_2022JP && !(defs[lab].flags & F_NOESC) &&
	    has_jis_escape(in, len)) {
		r->mislabelled = true;
		return CS_2022JP;
	}
	switch (defs[lab].kind) {
	case K_ASCII:
	case K_2022JP:
		return eight ? fallback(lab, in, len, r) : lab;
	case K_UTF8:
		utf8_stats(in, len, &bad, &multi);
		/* A few broken sequences in UTF-8 text are damage, not
		   another charset: Shift_JIS read as UTF-8 breaks at
		   nearly every character (twice for most) and forms
		   almost no valid sequence. One lone break proves
		   nothing either way, and the label wins. */
		if (bad < 2 || multi >= bad)
			return lab;
		return fallback(lab, in, len, r);
	default:
		break;
	}
	if (defs[lab].flags & F_SINGLE) {
		/* UTF-8 under a legacy 8-bit label: Latin or Cyrillic
		   text almost never forms valid multi-byte UTF-8. */
		if (eight && charset_is_utf8(in, len)) {
			r->mislabelled = true;
			return CS_UTF8;
		}
		/* iso-8859-1 with C1 bytes is windows-1252 (Outlook's €
		   and smart quotes), as every browser reads it. */
		if (lab == CS_8859_1) {
			for (i = 0; i < len && (in[i] < 0x80 || in[i] > 0x9F); i++)
				;
			if (i < len && valid_in(CS_1252, in, len))
				return CS_1252;
		}
	}
	if (valid_in(lab, in, len))
		return lab;
	return fallback(lab, in, len, r);
}

/* UTF-16 with no byte order mark: glibc assumes big-endian, Windows
   writes little-endian; the zero high bytes of Latin text tell. */
static int
utf16_order(int lab, const unsigned char *in, size_t len)
{
	size_t i, even = 0, odd = 0;

	if (lab != CS_UTF16 || len < 2 ||
	    (in[0] == 0xFF && in[1] == 0xFE) || (in[0] == 0xFE && in[1] == 0xFF))
		return lab;
	for (i = 0; i + 1 < len; i += 2) {
		even += in[i] == 0;
		odd += in[i + 1] == 0;
	}
	return odd > even ? CS_UTF16LE : CS_UTF16BE;
}

int
charset_to_utf8(const char *label, const unsigned char *in, size_t len,
    struct buffer *out, struct charset_result *res)
{
	struct charset_result r = { NULL, false, false, false };
	struct sink sink;
	size_t start = out->used;
	int lab, id;

	charset_prewarm();
	if (in == NULL)		/* an empty buffer's data */
		in = (const unsigned char *)"";
	lab = label_id(label);
	if (len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF &&
	    (lab == CS_NONE || !(defs[lab].flags & F_WIDE))) {
		in += 3;
		len -= 3;
		/* A UTF-8 BOM is the strongest label there is. */
		if (lab != CS_NONE && lab != CS_UTF8 && lab != CS_ASCII &&
		    charset_is_utf8(in, len)) {
			lab = CS_UTF8;
			r.mislabelled = true;
		}
	}
	id = choose(lab, in, len, &r);
	if (id == CS_NONE)
		id = CS_CP932;	/* not reachable: CP932 is a candidate */
	id = utf16_order(id, in, len);
	sink.out = out;
	sink.invalid = 0;
	sink.stop = SIZE_MAX;
	sink.failed = false;
	sink.n = 0;
	decode_as(id, in, len, &sink);
	if (sink.failed)
		return -1;
	/* UTF-16/32 decoders pass a byte order mark through as U+FEFF. */
	if ((defs[id].flags & F_WIDE) && out->used - start >= 3 &&
	    memcmp(out->data + start, "\xEF\xBB\xBF", 3) == 0) {
		memmove(out->data + start, out->data + start + 3,
		    out->used - start - 3);
		out->used -= 3;
		out->data[out->used] = '\0';
	}
	r.used = names[id];
	r.invalid = sink.invalid > 0;
	if (res != NULL)
		*res = r;
	return 0;
}

const char *
charset_guess(const unsigned char *in, size_t len)
{
	struct charset_result r;
	int id;

	charset_prewarm();
	if (in == NULL)
		in = (const unsigned char *)"";
	if (len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) {
		in += 3;
		len -= 3;
	}
	id = choose(CS_NONE, in, len, &r);
	return names[id == CS_NONE ? CS_CP932 : id];
}

/* ---- ISO-2022-JP encoder ---- */

static int
rev_cmp(const void *k, const void *e)
{
	uint32_t cp = *(const uint32_t *)k;
	const struct jis_rev *r = e;

	return cp < r->cp ? -1 : cp > r->cp;
}

/*
 * JIS cell (row * 94 + cell, 0-based) for cp, or -1. First the exact
 * CP932 table; then glibc's CP932 encoder, whose one-way mappings turn
 * U+301C WAVE DASH into ～ and U+2016 into ∥ the way Windows does, but
 * only when that gives a double-byte character (never ¥ -> '\').
 */
static int
jis_cell(uint32_t cp)
{
	const struct jis_rev *r;
	unsigned char u[4], sj[8], back[32];
	char *ip = (char *)u, *op = (char *)sj;
	size_t il, ol = sizeof(sj), m, skip;
	uint32_t cp2;

	r = bsearch(&cp, jis_rev, jis_nrev, sizeof(jis_rev[0]), rev_cmp);
	if (r != NULL)
		return r->cell;
	if (to_cp932 == (iconv_t)-1)
		return -1;
	il = utf8_put(cp, u);
	iconv(to_cp932, NULL, NULL, NULL, NULL);
	if (iconv(to_cp932, &ip, &il, &op, &ol) == (size_t)-1 ||
	    sizeof(sj) - ol != 2)
		return -1;
	m = iconv_one(cds[CS_CP932], sj, 2, back, sizeof(back));
	if (m == 0 || utf8_len(back, m, &skip, &cp2) != m || cp2 == cp)
		return -1;
	r = bsearch(&cp2, jis_rev, jis_nrev, sizeof(jis_rev[0]), rev_cmp);
	return r != NULL ? r->cell : -1;
}

int
charset_utf8_to_iso2022jp(const char *utf8, size_t len, struct buffer *out)
{
	const unsigned char *p = (const unsigned char *)utf8;
	struct sink sink, *s = &sink;
	bool jis = false;
	size_t i = 0, n, skip;
	uint32_t cp;
	unsigned char b[2];
	int cell;

	charset_prewarm();
	s->out = out;
	s->invalid = 0;
	s->stop = SIZE_MAX;
	s->failed = false;
	s->n = 0;
	while (i < len && !s->failed) {
		if ((n = utf8_len(p + i, len - i, &skip, &cp)) == 0)
			return 1;
		if (cp < 0x80) {
			/* ESC, SO and SI would be read as shifts. */
			if (cp == 0x1B || cp == 0x0E || cp == 0x0F)
				return 1;
			if (jis) {
				sink_put(s, "\x1b(B", 3);
				jis = false;
			}
			b[0] = (unsigned char)cp;
			sink_put(s, b, 1);
		} else {
			if ((cell = jis_cell(cp)) < 0)
				return 1;
			if (!jis) {
				sink_put(s, "\x1b$B", 3);
				jis = true;
			}
			b[0] = (unsigned char)(0x21 + cell / 94);
			b[1] = (unsigned char)(0x21 + cell % 94);
			sink_put(s, b, 2);
		}
		i += n;
	}
	if (jis)
		sink_put(s, "\x1b(B", 3);
	sink_flush(s);
	return s->failed ? -1 : 0;
}
