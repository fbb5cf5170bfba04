/*
 * encword - RFC 2047 decoding of header fields, lenient where senders
 * are broken and strict where the address structure is at stake.
 *
 * Pipeline: unfold; if the field holds raw 8-bit bytes or escapes,
 * decode the whole field once through a guessed charset (so a
 * Shift_JIS trail byte 0x5C or 0x40 can never be mistaken for '\' or
 * '@' later: in UTF-8 no byte of a multibyte character is ASCII); then
 * find the encoded words in that UTF-8 text.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "encword.h"
#include "sizeops.h"

/* RFC 2047 caps a whole word at 75 characters; charsets are short.
   A longer "charset" is not one, and the word stays literal. */
#define EW_CHARSET_MAX 64

struct ew {
	const char *cs;		/* charset label, without *lang */
	size_t cslen;
	char enc;		/* 'B' or 'Q' */
	const char *text;
	size_t textlen;
	size_t end;		/* offset just past "?=" */
};

struct ewctx {
	struct buffer *out;
	struct charset_result *res;
	struct buffer bytes;	/* decoded bytes of the pending run */
	char cs[EW_CHARSET_MAX + 1];	/* charset of the pending run */
	char enc;
	bool pending;
	unsigned words;
};

/* Bound for temporary buffers derived from n input bytes: no decoder
   makes more than 4 bytes of UTF-8 from one input byte. */
static size_t
tmp_max(size_t n)
{
	size_t m;

	if (size_mul(n, 4, &m) < 0 || size_add(m, 64, &m) < 0)
		return SIZE_MAX / 2;
	return m;
}

static void
res_merge(struct charset_result *dst, const struct charset_result *r)
{
	if (dst == NULL)
		return;
	if (r->used != NULL)
		dst->used = r->used;
	dst->mislabelled |= r->mislabelled;
	dst->guessed |= r->guessed;
	dst->invalid |= r->invalid;
}

/* Controls in out->data[start..) become spaces (TAB stays), C1 ones
   included, so nothing decoded can end or fold a header line. */
static void
clean_tail(struct buffer *out, size_t start)
{
	unsigned char *p = out->data, c;
	size_t i, j;

	if (p == NULL)
		return;
	for (i = j = start; i < out->used; i++) {
		c = p[i];
		if (c == 0xC2 && i + 1 < out->used && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9F) {
			p[j++] = ' ';
			i++;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			c = ' ';
		p[j++] = c;
	}
	out->used = j;
	p[j] = '\0';
}

static int
put_clean(struct buffer *out, const void *p, size_t n)
{
	size_t start = out->used;

	if (n == 0)
		return 0;
	if (buffer_append(out, p, n) < 0)
		return -1;
	clean_tail(out, start);
	return 0;
}

/* Append p[0..n) with a backslash before each byte in specials. */
static int
put_escaped(struct buffer *out, const unsigned char *p, size_t n,
    const char *specials)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '\0' || strchr(specials, p[i]) == NULL)
			continue;
		if (buffer_append(out, p + run, i - run) < 0 ||
		    buffer_append(out, "\\", 1) < 0)
			return -1;
		run = i;
	}
	return buffer_append(out, p + run, n - run);
}

/* ---- one encoded word ---- */

/* "=?charset?B|Q?text?=" at s[i]: charset and text printable ASCII
   without '?' or white space. */
static bool
ew_parse(const char *s, size_t n, size_t i, struct ew *w)
{
	size_t j, cs0;
	const char *star;
	unsigned char c;

	if (i + 1 >= n || s[i] != '=' || s[i + 1] != '?')
		return false;
	cs0 = j = i + 2;
	while (j < n && j - cs0 <= EW_CHARSET_MAX && s[j] != '?' &&
	    (unsigned char)s[j] > 0x20 && (unsigned char)s[j] < 0x7F)
		j++;
	if (j >= n || s[j] != '?' || j == cs0 || j - cs0 > EW_CHARSET_MAX)
		return false;
	w->cs = s + cs0;
	w->cslen = j - cs0;
	/* RFC 2231 section 5: charset*language. */
	if ((star = memchr(w->cs, '*', w->cslen)) != NULL)
		w->cslen = (size_t)(star - w->cs);
	if (w->cslen == 0)
		return false;
	j++;
	if (j + 1 >= n || s[j + 1] != '?')
		return false;
	c = (unsigned char)s[j];
	if (c == 'b' || c == 'B')
		w->enc = 'B';
	else if (c == 'q' || c == 'Q')
		w->enc = 'Q';
	else
		return false;
	j += 2;
	w->text = s + j;
	while (j < n && s[j] != '?' && (unsigned char)s[j] > 0x20 &&
	    (unsigned char)s[j] < 0x7F)
		j++;
	if (j + 1 >= n || s[j] != '?' || s[j + 1] != '=')
		return false;
	w->textlen = (size_t)(s + j - w->text);
	w->end = j + 2;
	return true;
}

static int
b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int
hex_val(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * The word's bytes appended to b. 1 on success, 0 when the B text is
 * not base64 (the word is then literal text), -1 when b is full.
 * Padding may be missing; '=' ends a quantum, so words some senders
 * build by gluing base64 blocks still decode.
 */
static int
ew_bytes(const struct ew *w, struct buffer *b)
{
	const unsigned char *t = (const unsigned char *)w->text;
	unsigned char byte;
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t i;
	int v, h, l;

	if (w->enc == 'B') {
		for (i = 0; i < w->textlen; i++) {
			if (t[i] == '=') {
				acc = 0;
				bits = 0;
				continue;
			}
			if ((v = b64_val(t[i])) < 0)
				return 0;
			acc = acc << 6 | (uint32_t)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				byte = (unsigned char)(acc >> bits);
				acc &= (1u << bits) - 1;
				if (buffer_append(b, &byte, 1) < 0)
					return -1;
			}
		}
		return 1;
	}
	for (i = 0; i < w->textlen; i++) {
		byte = t[i];
		if (byte == '_') {
			byte = ' ';
		} else if (byte == '=' && i + 2 < w->textlen &&
		    (h = hex_val(t[i + 1])) >= 0 &&
		    (l = hex_val(t[i + 2])) >= 0) {
			byte = (unsigned char)(h << 4 | l);
			i += 2;
		}
		if (buffer_append(b, &byte, 1) < 0)
			return -1;
	}
	return 1;
}

/* ---- runs of encoded words ---- */

/* Same charset for joining: same canonical name, or the same label. */
static bool
same_charset(const char *a, const char *b, size_t blen)
{
	char bb[EW_CHARSET_MAX + 1];
	const char *ca, *cb;

	memcpy(bb, b, blen);
	bb[blen] = '\0';
	if (strcasecmp(a, bb) == 0)
		return true;
	ca = charset_canonical(a);
	cb = charset_canonical(bb);
	return ca != NULL && ca == cb;
}

/* Decode the pending bytes through their charset into c->out. */
static int
run_flush(struct ewctx *c)
{
	struct charset_result r;
	size_t start = c->out->used;

	if (!c->pending)
		return 0;
	c->pending = false;
	if (charset_to_utf8(c->cs, c->bytes.data, c->bytes.used, c->out,
	    &r) < 0)
		return -1;
	clean_tail(c->out, start);
	res_merge(c->res, &r);
	buffer_reset(&c->bytes);
	return 0;
}

/*
 * Add one word to the pending run, starting a new run unless it has the
 * same charset: senders split a multibyte character, or an ISO-2022-JP
 * escape run, across words (even a B word and a Q word, as mail clients
 * join them), so the decoded bytes are joined before any charset
 * decoding. Returns 1, 0 (word malformed, nothing added) or
 * -1.
 */
static int
run_add(struct ewctx *c, const struct ew *w)
{
	size_t mark;
	int ret;

	if (c->pending && !same_charset(c->cs, w->cs, w->cslen)) {
		if (run_flush(c) < 0)
			return -1;
	}
	mark = c->bytes.used;
	if ((ret = ew_bytes(w, &c->bytes)) <= 0) {
		c->bytes.used = mark;
		if (c->bytes.data != NULL)
			c->bytes.data[mark] = '\0';
		return ret;
	}
	if (!c->pending) {
		memcpy(c->cs, w->cs, w->cslen);
		c->cs[w->cslen] = '\0';
		c->enc = w->enc;
		c->pending = true;
	}
	c->words++;
	return 1;
}

static bool
all_wsp(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/*
 * Decode the encoded words of s[0..n) (UTF-8 or ASCII), appending to
 * c->out. Words are taken wherever they stand, even glued to text, as
 * lenient readers do; white space between two words is dropped.
 */
static int
ew_text(struct ewctx *c, const char *s, size_t n)
{
	size_t i = 0, lit = 0;
	bool last_ew = false;
	struct ew w;
	int ret;

	while (i < n) {
		if (s[i] != '=' || !ew_parse(s, n, i, &w)) {
			i++;
			continue;
		}
		if (!(last_ew && all_wsp(s + lit, i - lit))) {
			if (run_flush(c) < 0 ||
			    put_clean(c->out, s + lit, i - lit) < 0)
				return -1;
		}
		if ((ret = run_add(c, &w)) < 0)
			return -1;
		if (ret == 0) {
			/* Malformed: literal, and it breaks the run. */
			if (run_flush(c) < 0 ||
			    put_clean(c->out, s + i, w.end - i) < 0)
				return -1;
			last_ew = false;
		} else {
			last_ew = true;
		}
		i = lit = w.end;
	}
	if (run_flush(c) < 0 || put_clean(c->out, s + lit, n - lit) < 0)
		return -1;
	return 0;
}

/* ---- shared front end ---- */

/* CRLF, LF or CR followed by white space is folding: removed. Any
   other line break becomes a space. */
static int
unfold(const char *raw, size_t len, struct buffer *u)
{
	size_t i = 0, j, run = 0;

	while (i < len) {
		if (raw[i] != '\r' && raw[i] != '\n') {
			i++;
			continue;
		}
		if (buffer_append(u, raw + run, i - run) < 0)
			return -1;
		j = i;
		if (raw[j] == '\r')
			j++;
		if (j < len && raw[j] == '\n')
			j++;
		if (!(j < len && (raw[j] == ' ' || raw[j] == '\t')) &&
		    buffer_append(u, " ", 1) < 0)
			return -1;
		i = run = j;
	}
	if (buffer_append(u, raw + run, len - run) < 0)
		return -1;
	/* An empty field still gets a NUL-terminated buffer. */
	return buffer_reserve(u, 0);
}

/*
 * Unfold raw into u and, when it holds 8-bit bytes or ESC, decode it
 * whole through a guessed charset into d. *src_r / *n_r get the text to
 * look for encoded words in.
 */
static int
prepare(const char *raw, size_t len, struct buffer *u, struct buffer *d,
    struct charset_result *res, const char **src_r, size_t *n_r)
{
	struct charset_result r;
	size_t i;

	buffer_init(u, len + 1);
	buffer_init(d, tmp_max(len));
	if (unfold(raw, len, u) < 0)
		return -1;
	*src_r = (const char *)u->data;
	*n_r = u->used;
	for (i = 0; i < u->used; i++)
		if (u->data[i] >= 0x80 || u->data[i] == 0x1B)
			break;
	if (i == u->used)
		return 0;
	if (charset_to_utf8(NULL, u->data, u->used, d, &r) < 0 ||
	    buffer_reserve(d, 0) < 0)
		return -1;
	res_merge(res, &r);
	*src_r = (const char *)d->data;
	*n_r = d->used;
	return 0;
}

static void
ctx_init(struct ewctx *c, struct buffer *out, struct charset_result *res,
    size_t len)
{
	memset(c, 0, sizeof(*c));
	c->out = out;
	c->res = res;
	buffer_init(&c->bytes, tmp_max(len));
}

int
encword_decode_text(const char *raw, size_t len, struct buffer *out,
    struct charset_result *res)
{
	struct charset_result dummy;
	struct buffer u, d;
	struct ewctx c;
	const char *src;
	size_t n;
	int ret = -1;

	if (res == NULL)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	ctx_init(&c, out, res, len);
	if (prepare(raw, len, &u, &d, res, &src, &n) == 0 &&
	    ew_text(&c, src, n) == 0)
		ret = 0;
	buffer_free(&c.bytes);
	buffer_free(&u);
	buffer_free(&d);
	return ret;
}

unsigned
encword_count(const char *raw, size_t len)
{
	struct buffer u, d, b;
	const char *src;
	size_t n, i = 0;
	unsigned count = 0;
	struct ew w;

	buffer_init(&b, tmp_max(len));
	if (prepare(raw, len, &u, &d, NULL, &src, &n) == 0) {
		while (i < n) {
			if (src[i] != '=' || !ew_parse(src, n, i, &w)) {
				i++;
				continue;
			}
			buffer_reset(&b);
			if (ew_bytes(&w, &b) > 0)
				count++;
			i = w.end;
		}
	}
	buffer_free(&b);
	buffer_free(&u);
	buffer_free(&d);
	return count;
}

/* ---- address lists ---- */

/* Decode s[0..n) as text into a fresh buffer, then append it to c->out
   with a backslash before each of specials. */
static int
put_decoded(struct ewctx *c, const char *s, size_t n, const char *specials)
{
	struct ewctx sub;
	struct buffer tmp;
	int ret = -1;

	buffer_init(&tmp, tmp_max(n));
	ctx_init(&sub, &tmp, c->res, n);
	if (ew_text(&sub, s, n) == 0 && put_escaped(c->out,
	    tmp.data != NULL ? tmp.data : (const unsigned char *)"", tmp.used,
	    specials) == 0)
		ret = 0;
	c->words += sub.words;
	buffer_free(&sub.bytes);
	buffer_free(&tmp);
	return ret;
}

/* End of the run of encoded words (separated by white space only)
   starting with the word at s[i]. */
static size_t
ew_run_end(const char *s, size_t n, size_t i)
{
	struct ew w;
	size_t end = i, j;

	while (ew_parse(s, n, i, &w)) {
		end = w.end;
		for (j = end; j < n && (s[j] == ' ' || s[j] == '\t'); j++)
			;
		i = j;
	}
	return end;
}

/* A word right against '.' or '@' (or with only white space before an
   '@') is part of an addr-spec, where RFC 2047 words are not allowed
   and decoding would change the address. */
static bool
in_addr_spec(const char *s, size_t n, size_t start, size_t end)
{
	size_t j;

	if (start > 0 && (s[start - 1] == '.' || s[start - 1] == '@'))
		return true;
	if (end < n && (s[end] == '.' || s[end] == '@'))
		return true;
	for (j = start; j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'); j--)
		;
	if (j > 0 && s[j - 1] == '@')
		return true;
	for (j = end; j < n && (s[j] == ' ' || s[j] == '\t'); j++)
		;
	return j < n && s[j] == '@';
}

/* Quoted string at s[i]: unescaped, decoded, re-escaped and re-quoted.
   An unterminated one is closed. Returns where parsing goes on. */
static size_t
phrase_quoted(struct ewctx *c, const char *s, size_t n, size_t i, int *err)
{
	struct buffer q;
	size_t j = i + 1;

	buffer_init(&q, n + 1);
	while (j < n && s[j] != '"') {
		if (s[j] == '\\' && j + 1 < n)
			j++;
		if (buffer_append(&q, s + j, 1) < 0)
			*err = -1;
		j++;
	}
	if (buffer_append(c->out, "\"", 1) < 0 ||
	    put_decoded(c, q.data != NULL ? (const char *)q.data : "", q.used,
	    "\"\\") < 0 || buffer_append(c->out, "\"", 1) < 0)
		*err = -1;
	buffer_free(&q);
	return j < n ? j + 1 : n;
}

/* Comment at s[i], nested, with its encoded words decoded (RFC 2047
   section 5 (2) allows them there) and ( ) \ escaped. */
static size_t
phrase_comment(struct ewctx *c, const char *s, size_t n, size_t i, int *err)
{
	size_t j = i + 1, run, end;
	unsigned depth = 1;
	struct ew w;

	if (buffer_append(c->out, "(", 1) < 0)
		*err = -1;
	run = j;
	while (j < n && depth > 0 && *err == 0) {
		if (s[j] == '\\' && j + 1 < n) {
			j += 2;
			continue;
		}
		if (s[j] == '(' || s[j] == ')') {
			depth += s[j] == '(' ? 1 : -1;
			j++;
			continue;
		}
		if (s[j] != '=' || !ew_parse(s, n, j, &w)) {
			j++;
			continue;
		}
		end = ew_run_end(s, n, j);
		if (put_clean(c->out, s + run, j - run) < 0 ||
		    put_decoded(c, s + j, end - j, "()\\") < 0)
			*err = -1;
		j = run = end;
	}
	if (put_clean(c->out, s + run, j - run) < 0)
		*err = -1;
	/* Close what the sender left open, so the rest of the field
	   cannot be swallowed by (or escape from) the comment. */
	while (depth-- > 0 && j >= n)
		if (buffer_append(c->out, ")", 1) < 0)
			*err = -1;
	return j;
}

/* Angle address at s[i]: copied, quoted local parts included. */
static size_t
phrase_angle(struct ewctx *c, const char *s, size_t n, size_t i, int *err)
{
	size_t j = i + 1;

	while (j < n && s[j] != '>') {
		if (s[j] == '"') {
			for (j++; j < n && s[j] != '"'; j++)
				if (s[j] == '\\' && j + 1 < n)
					j++;
		}
		if (j < n)
			j++;
	}
	if (j < n)
		j++;
	if (put_clean(c->out, s + i, j - i) < 0)
		*err = -1;
	return j;
}

static int
phrase(struct ewctx *c, const char *s, size_t n)
{
	size_t i = 0, run = 0, end;
	int err = 0;
	struct ew w;

	while (i < n && err == 0) {
		if (s[i] != '"' && s[i] != '(' && s[i] != '<' && s[i] != '=') {
			i++;
			continue;
		}
		if (s[i] == '=' && !ew_parse(s, n, i, &w)) {
			i++;
			continue;
		}
		if (s[i] == '=' && in_addr_spec(s, n, i,
		    (end = ew_run_end(s, n, i)))) {
			/* The whole run stays literal (and is scanned once:
			   a run of words before an '@' costs linear time). */
			i = end;
			continue;
		}
		if (put_clean(c->out, s + run, i - run) < 0)
			return -1;
		switch (s[i]) {
		case '"':
			i = phrase_quoted(c, s, n, i, &err);
			break;
		case '(':
			i = phrase_comment(c, s, n, i, &err);
			break;
		case '<':
			i = phrase_angle(c, s, n, i, &err);
			break;
		default:
			/* The phrase's run of words becomes one
			   quoted-string: decoded specials stay text. */
			end = ew_run_end(s, n, i);
			if (buffer_append(c->out, "\"", 1) < 0 ||
			    put_decoded(c, s + i, end - i, "\"\\") < 0 ||
			    buffer_append(c->out, "\"", 1) < 0)
				err = -1;
			i = end;
			break;
		}
		run = i;
	}
	if (err == 0 && put_clean(c->out, s + run, n - run) < 0)
		err = -1;
	return err;
}

int
encword_decode_phrase(const char *raw, size_t len, struct buffer *out,
    struct charset_result *res)
{
	struct charset_result dummy;
	struct buffer u, d;
	struct ewctx c;
	const char *src;
	size_t n;
	int ret = -1;

	if (res == NULL)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	ctx_init(&c, out, res, len);
	if (prepare(raw, len, &u, &d, res, &src, &n) == 0 &&
	    phrase(&c, src, n) == 0)
		ret = 0;
	buffer_free(&c.bytes);
	buffer_free(&u);
	buffer_free(&d);
	return ret;
}
