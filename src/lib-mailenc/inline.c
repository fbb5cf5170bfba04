/*
 * inline - uuencode, yEnc and BinHex blocks inside mail text.
 *
 * The scan goes line by line. A begin line opens a block that runs to
 * its end line, or to the end of the text when there is none: that is
 * what the clients do (Thunderbird hides everything after an
 * unterminated "begin 644"), so it is what must be cut. Each block is
 * decoded twice, first counting, then storing into an arena buffer of
 * the exact size: a hostile header can then never make us reserve
 * memory for bytes that are not there, and the lim->file_size budget is
 * checked before anything is reserved.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "inline.h"
#include "sizeops.h"

/* One line: [start, end) without its line break; next is just past the
   break (or the end of the text). */
struct line {
	size_t start, end, next;
};

/* Where a block ends and what its body is. */
struct span {
	size_t body_start, body_end;	/* whole lines */
	size_t end, next;		/* block end; scan resumes at next */
	bool terminated;
};

/* Decoded bytes go here; buf NULL only counts. Going past max sets
   over and drops the byte. */
struct sink {
	unsigned char *buf;
	size_t len, max;
	bool over;
};

static const char binhex_phrase[] = "(This file must be converted with BinHex";

const char *
inline_kind_name(enum inline_kind kind)
{
	switch (kind) {
	case INLINE_UUENCODE:
		return "uuencode";
	case INLINE_YENC:
		return "yenc";
	case INLINE_BINHEX:
		return "binhex";
	}
	return "unknown";
}

/* The line starting at pos. LF, CRLF and a lone CR all end a line:
   Thunderbird's line buffer splits on a lone CR too, and a block that
   a client sees must be a block that we see. */
static void
line_at(const char *t, size_t len, size_t pos, struct line *l)
{
	size_t i = pos;

	while (i < len && t[i] != '\n' && t[i] != '\r')
		i++;
	l->start = pos;
	l->end = i;
	if (i + 1 < len && t[i] == '\r' && t[i + 1] == '\n')
		i += 2;
	else if (i < len)
		i++;
	l->next = i;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Line [s, e) starts with word (any case) followed by a blank or the
   end of the line. */
static bool
starts_word(const char *t, size_t s, size_t e, const char *word)
{
	size_t n = strlen(word);

	if (e - s < n || strncasecmp(t + s, word, n) != 0)
		return false;
	return e - s == n || is_blank(t[s + n]);
}

/* Line [s, e) is word, maybe with trailing blanks. */
static bool
is_word_line(const char *t, size_t s, size_t e, const char *word)
{
	size_t n = strlen(word);

	while (e > s && is_blank(t[e - 1]))
		e--;
	return e - s == n && memcmp(t + s, word, n) == 0;
}

/* Case-insensitive search of needle in [s, e). The needle's first
   character occurs in it only once, so the naive search stays linear
   in e - s. Returns the offset or SIZE_MAX. */
static size_t
find_ci(const char *t, size_t s, size_t e, const char *needle)
{
	size_t n = strlen(needle), i;

	if (e - s < n)
		return SIZE_MAX;
	for (i = s; i + n <= e; i++)
		if (t[i] == needle[0] && strncasecmp(t + i, needle, n) == 0)
			return i;
	return SIZE_MAX;
}

/* Copy [s, e) without trailing blanks into the arena. */
static const char *
name_dup(struct arena *a, const char *t, size_t s, size_t e)
{
	while (e > s && is_blank(t[e - 1]))
		e--;
	return arena_strndup(a, t + s, e - s);
}

static void
sink_put(struct sink *s, unsigned char c)
{
	if (s->len >= s->max) {
		s->over = true;
		return;
	}
	if (s->buf != NULL)
		s->buf[s->len] = c;
	s->len++;
}

/* Run from body_start to the end line (for which is_end says yes) or
   to the end of the text. The block's last line is the end line, else
   the last line of the text (last_end: end of the header lines). */
static void
span_to_end(const char *t, size_t len, size_t last_end, size_t body_start,
    bool (*is_end)(const char *, const struct line *), struct span *sp)
{
	struct line l;
	size_t pos = body_start;

	sp->body_start = body_start;
	while (pos < len) {
		line_at(t, len, pos, &l);
		if (is_end(t, &l)) {
			sp->body_end = l.start;
			sp->end = l.end;
			sp->next = l.next;
			sp->terminated = true;
			return;
		}
		last_end = l.end;
		pos = l.next;
	}
	sp->body_end = len;
	sp->end = last_end;
	sp->next = len;
	sp->terminated = false;
}

/* ------------------------------------------------------------ uuencode */

/* "begin" or "begin-base64", blanks, a mode of 3 or 4 octal digits
   (Thunderbird's test), then blanks and the name, which may be empty.
   Any case: a lenient decoder must not find a block we missed. */
static bool
uu_begin(const char *t, const struct line *l, bool *b64, size_t *name_s)
{
	size_t i = l->start, e = l->end, d;

	if (e - i < 5 || strncasecmp(t + i, "begin", 5) != 0)
		return false;
	i += 5;
	*b64 = false;
	if (e - i >= 7 && strncasecmp(t + i, "-base64", 7) == 0) {
		*b64 = true;
		i += 7;
	}
	if (i >= e || !is_blank(t[i]))
		return false;
	while (i < e && is_blank(t[i]))
		i++;
	d = i;
	while (i < e && t[i] >= '0' && t[i] <= '7')
		i++;
	if (i - d < 3 || i - d > 4 || (i < e && !is_blank(t[i])))
		return false;
	while (i < e && is_blank(t[i]))
		i++;
	*name_s = i;
	return true;
}

static bool
uu_is_end(const char *t, const struct line *l)
{
	return is_word_line(t, l->start, l->end, "end");
}

static bool
b64_is_end(const char *t, const struct line *l)
{
	return is_word_line(t, l->start, l->end, "====");
}

/* Decode classic uuencode lines. A line shorter than its length
   character says is padded with zeros: transports strip trailing
   spaces, which encode zero bits. */
static bool
uu_decode(const char *t, size_t s, size_t e, struct sink *out)
{
	struct line l;
	bool damaged = false;
	size_t pos, p, q;
	unsigned n, i, k, v[4];
	unsigned char c, o[3];

	for (pos = s; pos < e; pos = l.next) {
		line_at(t, e, pos, &l);
		if (l.end == l.start)
			continue;
		c = (unsigned char)t[l.start];
		if (c < 0x20 || c > 0x60) {
			damaged = true;
			continue;
		}
		n = (c - 0x20) & 0x3f;
		p = l.start + 1;
		for (i = 0; i < n; i += 3, p += 4) {
			for (k = 0; k < 4; k++) {
				q = p + k;
				c = q < l.end ? (unsigned char)t[q] : ' ';
				if (c < 0x20 || c > 0x60)
					damaged = true;
				v[k] = (c - 0x20) & 0x3f;
			}
			o[0] = (unsigned char)(v[0] << 2 | v[1] >> 4);
			o[1] = (unsigned char)(v[1] << 4 | v[2] >> 2);
			o[2] = (unsigned char)(v[2] << 6 | v[3]);
			for (k = 0; k < 3 && i + k < n; k++)
				sink_put(out, o[k]);
		}
	}
	return damaged;
}

static int
b64_value(unsigned char c)
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

/* Decode the base64 body of begin-base64 (sharutils uuencode -m). */
static bool
b64_decode(const char *t, size_t s, size_t e, struct sink *out)
{
	bool damaged = false;
	uint32_t acc = 0;
	unsigned bits = 0, nchar = 0;
	size_t i;
	int v;

	for (i = s; i < e; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c == '\r' || c == '\n' || is_blank((char)c))
			continue;
		if (c == '=') {
			/* Padding ends a quantum; a lone char is broken. */
			if (nchar % 4 == 1)
				damaged = true;
			acc = 0;
			bits = 0;
			nchar = 0;
			continue;
		}
		if ((v = b64_value(c)) < 0) {
			damaged = true;
			continue;
		}
		nchar++;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			sink_put(out, (unsigned char)(acc >> bits));
			acc &= (1u << bits) - 1;
		}
	}
	if (nchar % 4 == 1)
		damaged = true;
	return damaged;
}

/* ---------------------------------------------------------------- yEnc */

struct ykeys {
	bool has_size, has_part, has_begin, has_end, has_crc, has_pcrc;
	bool bad;
	uint64_t size, part, begin, end;
	uint32_t crc, pcrc;
	size_t name_s, name_e;
};

static bool
parse_dec(const char *t, size_t s, size_t e, uint64_t *v)
{
	uint64_t n = 0;

	if (s == e)
		return false;
	for (; s < e; s++) {
		if (t[s] < '0' || t[s] > '9' || n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(t[s] - '0');
	}
	*v = n;
	return true;
}

static bool
parse_hex32(const char *t, size_t s, size_t e, uint32_t *v)
{
	uint32_t n = 0;
	int d;

	if (s == e || e - s > 8)
		return false;
	for (; s < e; s++) {
		char c = t[s];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		n = n << 4 | (uint32_t)d;
	}
	*v = n;
	return true;
}

/* Keywords of a =ybegin/=ypart/=yend line, from s (just past the
   marker). name= takes the rest of the line: names hold blanks. */
static void
ykeys_parse(const char *t, size_t s, size_t e, struct ykeys *k)
{
	size_t ts, te, eq;
	bool ok;

	memset(k, 0, sizeof(*k));
	for (;;) {
		while (s < e && is_blank(t[s]))
			s++;
		if (s >= e)
			return;
		ts = s;
		if (e - ts >= 5 && memcmp(t + ts, "name=", 5) == 0) {
			k->name_s = ts + 5;
			k->name_e = e;
			return;
		}
		while (s < e && !is_blank(t[s]))
			s++;
		te = s;
		for (eq = ts; eq < te && t[eq] != '='; eq++)
			;
		if (eq == te)
			continue;
		/* A known key whose value does not parse makes k bad. */
#define YKEY(w) (eq - ts == sizeof(w) - 1 && memcmp(t + ts, w, eq - ts) == 0)
		if (YKEY("size"))
			ok = k->has_size = parse_dec(t, eq + 1, te, &k->size);
		else if (YKEY("part"))
			ok = k->has_part = parse_dec(t, eq + 1, te, &k->part);
		else if (YKEY("begin"))
			ok = k->has_begin = parse_dec(t, eq + 1, te, &k->begin);
		else if (YKEY("end"))
			ok = k->has_end = parse_dec(t, eq + 1, te, &k->end);
		else if (YKEY("crc32"))
			ok = k->has_crc = parse_hex32(t, eq + 1, te, &k->crc);
		else if (YKEY("pcrc32"))
			ok = k->has_pcrc = parse_hex32(t, eq + 1, te, &k->pcrc);
		else
			ok = true;	/* line=, total=, others: unchecked */
#undef YKEY
		if (!ok)
			k->bad = true;
	}
}

static bool
yenc_is_end(const char *t, const struct line *l)
{
	return starts_word(t, l->start, l->end, "=yend");
}

/* Decode yEnc lines: byte - 42, or after '=' byte - 106. */
static bool
yenc_decode(const char *t, size_t s, size_t e, struct sink *out)
{
	struct line l;
	bool damaged = false;
	size_t pos, i;

	for (pos = s; pos < e; pos = l.next) {
		line_at(t, e, pos, &l);
		for (i = l.start; i < l.end; i++) {
			unsigned char c = (unsigned char)t[i];

			if (c == '=') {
				if (++i >= l.end) {
					damaged = true;	/* escape at EOL */
					break;
				}
				c = (unsigned char)((unsigned char)t[i] - 64);
			}
			sink_put(out, (unsigned char)(c - 42));
		}
	}
	return damaged;
}

/* ------------------------------------------------------------- BinHex */

static const char hqx_alphabet[] =
    "!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr";

enum hqx_state { HQ_NLEN, HQ_HEAD, HQ_DATA, HQ_DCRC, HQ_RSRC, HQ_RCRC,
	HQ_DONE };

/* The three layers of BinHex 4.0: 6-bit characters, RLE with 0x90 as
   marker, and the stream (header, data fork, resource fork, each with
   a CRC-16/XMODEM). */
struct hqx {
	uint32_t acc;
	unsigned bits;
	int last;		/* previous RLE output byte, -1 at start */
	bool marker;		/* 0x90 seen, its count byte is next */
	enum hqx_state st;
	unsigned char head[1 + 255 + 1 + 4 + 4 + 2 + 4 + 4 + 2];
	size_t hlen, hneed;
	uint64_t dlen, rlen, n;
	uint16_t crc, want;
	size_t budget;		/* bytes of both forks we may decode */
	struct sink *out;	/* the data fork */
	bool damaged, too_big;
};

static uint16_t
crc16_byte(uint16_t crc, unsigned char c)
{
	unsigned k;

	crc ^= (uint16_t)(c << 8);
	for (k = 0; k < 8; k++)
		crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
	return crc;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* One byte of the decompressed stream. */
static void
hqx_stream(struct hqx *h, unsigned char c)
{
	size_t i, nl;

	switch (h->st) {
	case HQ_NLEN:
		h->head[0] = c;
		h->hlen = 1;
		h->hneed = 1 + (size_t)c + 1 + 4 + 4 + 2 + 4 + 4 + 2;
		if (c == 0 || c > 63)
			h->damaged = true;
		h->st = HQ_HEAD;
		break;
	case HQ_HEAD:
		h->head[h->hlen++] = c;
		if (h->hlen < h->hneed)
			break;
		h->crc = 0;
		for (i = 0; i + 2 < h->hneed; i++)
			h->crc = crc16_byte(h->crc, h->head[i]);
		if (h->crc != (h->head[h->hneed - 2] << 8 |
		    h->head[h->hneed - 1]))
			h->damaged = true;
		nl = h->head[0];
		h->dlen = be32(h->head + 1 + nl + 1 + 10);
		h->rlen = be32(h->head + 1 + nl + 1 + 14);
		/* Both forks count against the budget: the resource fork
		   is decoded too (for its CRC), and RLE lets a few bytes of
		   text claim megabytes. */
		if (h->dlen + h->rlen > h->budget) {
			h->too_big = true;
			h->st = HQ_DONE;
			break;
		}
		h->crc = 0;
		h->n = 0;
		h->st = h->dlen > 0 ? HQ_DATA : HQ_DCRC;
		break;
	case HQ_DATA:
		sink_put(h->out, c);
		h->crc = crc16_byte(h->crc, c);
		if (++h->n == h->dlen) {
			h->n = 0;
			h->st = HQ_DCRC;
		}
		break;
	case HQ_DCRC:
	case HQ_RCRC:
		h->want = (uint16_t)(h->want << 8 | c);
		if (++h->n < 2)
			break;
		if (h->want != h->crc)
			h->damaged = true;
		h->crc = 0;
		h->n = 0;
		if (h->st == HQ_RCRC)
			h->st = HQ_DONE;
		else
			h->st = h->rlen > 0 ? HQ_RSRC : HQ_RCRC;
		break;
	case HQ_RSRC:
		h->crc = crc16_byte(h->crc, c);
		if (++h->n == h->rlen) {
			h->n = 0;
			h->st = HQ_RCRC;
		}
		break;
	case HQ_DONE:
		break;	/* encoders may pad after the last CRC */
	}
}

/* One byte of the RLE layer: 0x90 n repeats the previous byte n-1 more
   times, 0x90 0 is a literal 0x90. */
static void
hqx_rle(struct hqx *h, unsigned char c)
{
	unsigned k;

	if (h->marker) {
		h->marker = false;
		if (c == 0) {
			h->last = 0x90;
			hqx_stream(h, 0x90);
			return;
		}
		if (h->last < 0) {
			h->damaged = true;
			return;
		}
		for (k = 1; k < c && h->st != HQ_DONE; k++)
			hqx_stream(h, (unsigned char)h->last);
		return;
	}
	if (c == 0x90) {
		h->marker = true;
		return;
	}
	h->last = c;
	hqx_stream(h, c);
}

/* Decode the characters strictly between the two colons. */
static void
hqx_decode(const char *t, size_t s, size_t e, struct hqx *h)
{
	signed char val[256];
	size_t i;

	/* Built per call (cheap) so that no static state is shared. */
	memset(val, -1, sizeof(val));
	for (i = 0; i < sizeof(hqx_alphabet) - 1; i++)
		val[(unsigned char)hqx_alphabet[i]] = (signed char)i;
	for (i = s; i < e && h->st != HQ_DONE; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c == '\r' || c == '\n' || is_blank((char)c))
			continue;
		if (val[c] < 0) {
			h->damaged = true;
			continue;
		}
		h->acc = (h->acc << 6) | (uint32_t)val[c];
		h->bits += 6;
		if (h->bits >= 8) {
			h->bits -= 8;
			hqx_rle(h, (unsigned char)(h->acc >> h->bits));
			h->acc &= (1u << h->bits) - 1;
		}
	}
	if (h->marker || (h->st != HQ_DONE && !h->too_big))
		h->damaged = true;	/* the stream stopped short */
}

/* Offset just before the final line break of the text. */
static size_t
text_last_end(const char *t, size_t len)
{
	if (len > 0 && t[len - 1] == '\n')
		len--;
	if (len > 0 && t[len - 1] == '\r')
		len--;
	return len;
}

/* --------------------------------------------------------- the blocks */

/* Count, check the budget, then store. decode() must be deterministic
   so that both passes agree. */
static int
decode_twice(struct arena *a, const char *t, const struct span *sp,
    bool (*decode)(const char *, size_t, size_t, struct sink *),
    size_t *budget, struct inline_block *b)
{
	struct sink s = { .max = *budget };
	unsigned char *buf;

	b->damaged = decode(t, sp->body_start, sp->body_end, &s);
	if (s.over) {
		b->too_big = true;
		return 0;
	}
	if (s.len == 0)
		return 0;
	if ((buf = arena_alloc(a, s.len)) == NULL)
		return -1;
	s = (struct sink){ .buf = buf, .max = s.len };
	(void)decode(t, sp->body_start, sp->body_end, &s);
	b->data = buf;
	b->len = s.len;
	*budget -= s.len;
	return 0;
}

static int
uu_block(struct arena *a, const char *t, size_t len, const struct line *l,
    bool b64, size_t name_s, size_t *budget, struct inline_block *b,
    size_t *next_r)
{
	struct span sp;

	b->kind = INLINE_UUENCODE;
	if ((b->name = name_dup(a, t, name_s, l->end)) == NULL)
		return -1;
	span_to_end(t, len, l->end, l->next, b64 ? b64_is_end : uu_is_end,
	    &sp);
	b->end = sp.end;
	*next_r = sp.next;
	if (decode_twice(a, t, &sp, b64 ? b64_decode : uu_decode, budget,
	    b) < 0)
		return -1;
	if (!sp.terminated)
		b->damaged = true;
	return 0;
}

/* Whole-file checks of a yEnc block against its keywords. A part of a
   multipart post is damaged: it is a fragment of a file, not one. */
static bool
yenc_check(const struct ykeys *kb, const struct ykeys *kp, bool has_ypart,
    const struct ykeys *ke, const unsigned char *data, size_t len)
{
	uint32_t crc = (uint32_t)crc32(0L, Z_NULL, 0);
	size_t done = 0;

	while (done < len) {
		uInt chunk = len - done > 0x40000000 ? 0x40000000 :
		    (uInt)(len - done);

		crc = (uint32_t)crc32(crc, data + done, chunk);
		done += chunk;
	}
	if (kb->bad || ke->bad || (has_ypart && kp->bad))
		return true;
	if (!ke->has_size || ke->size != len)
		return true;
	if (ke->has_pcrc && ke->pcrc != crc)
		return true;
	if (kb->has_part || has_ypart) {
		if (!has_ypart || !kb->has_size || kp->begin != 1 ||
		    kp->end != kb->size || kb->size != len)
			return true;
	} else if (!kb->has_size || kb->size != len)
		return true;
	if (ke->has_crc && ke->crc != crc)
		return true;
	return false;
}

static int
yenc_block(struct arena *a, const char *t, size_t len, const struct line *l,
    size_t *budget, struct inline_block *b, size_t *next_r)
{
	struct ykeys kb, kp, ke;
	struct line pl, el;
	struct span sp;
	size_t body = l->next;
	bool has_ypart = false;

	b->kind = INLINE_YENC;
	ykeys_parse(t, l->start + 7, l->end, &kb);
	b->name = kb.name_s != 0 ? name_dup(a, t, kb.name_s, kb.name_e) :
	    arena_strdup(a, "");
	if (b->name == NULL)
		return -1;
	memset(&kp, 0, sizeof(kp));
	if (body < len) {
		line_at(t, len, body, &pl);
		if (starts_word(t, pl.start, pl.end, "=ypart")) {
			ykeys_parse(t, pl.start + 6, pl.end, &kp);
			has_ypart = true;
			body = pl.next;
		}
	}
	span_to_end(t, len, has_ypart ? pl.end : l->end, body, yenc_is_end,
	    &sp);
	b->end = sp.end;
	*next_r = sp.next;
	if (decode_twice(a, t, &sp, yenc_decode, budget, b) < 0)
		return -1;
	if (!sp.terminated) {
		b->damaged = true;
		return 0;
	}
	if (b->too_big)
		return 0;
	line_at(t, len, sp.body_end, &el);
	ykeys_parse(t, el.start + 5, el.end, &ke);
	if (yenc_check(&kb, &kp, has_ypart, &ke, b->data, b->len))
		b->damaged = true;
	return 0;
}

/* The header phrase, then the stream from the first colon after it to
   the next one. No opening colon: the block is the header line.
   *no_colon remembers where the text was found to hold no more colons,
   so that a thousand header lines cannot each search to the end. */
static int
binhex_block(struct arena *a, const char *t, size_t len, const struct line *l,
    size_t phrase, size_t *no_colon, size_t *budget, struct inline_block *b,
    size_t *next_r)
{
	struct hqx h;
	struct sink s;
	struct line cl;
	const char *o, *c;
	size_t open, close, used = 0;
	unsigned char *buf;

	b->kind = INLINE_BINHEX;
	b->damaged = true;
	b->end = l->end;
	*next_r = l->next;
	open = phrase + sizeof(binhex_phrase) - 1;
	if (open >= *no_colon ||
	    (o = memchr(t + open, ':', len - open)) == NULL) {
		*no_colon = open < *no_colon ? open : *no_colon;
		return (b->name = arena_strdup(a, "")) == NULL ? -1 : 0;
	}
	open = (size_t)(o - t) + 1;
	c = memchr(t + open, ':', len - open);
	if (c != NULL) {
		close = (size_t)(c - t);
		/* The block ends with the line holding the closing colon. */
		cl.start = close;
		while (cl.start > 0 && t[cl.start - 1] != '\n' &&
		    t[cl.start - 1] != '\r')
			cl.start--;
		line_at(t, len, cl.start, &cl);
		b->end = cl.end;
		*next_r = cl.next;
	} else {
		close = len;
		b->end = text_last_end(t, len);
		if (b->end < l->end)
			b->end = l->end;
		*next_r = len;
	}

	memset(&h, 0, sizeof(h));
	memset(&s, 0, sizeof(s));
	h.last = -1;
	h.budget = *budget;
	s.max = *budget;
	h.out = &s;
	hqx_decode(t, open, close, &h);
	b->damaged = h.damaged || c == NULL;
	b->too_big = h.too_big;
	if (h.hlen > 1 && h.hlen == h.hneed) {
		b->name = arena_strndup(a, (const char *)h.head + 1, h.head[0]);
		b->rsrc_len = (size_t)h.rlen;
		if (!h.too_big)
			used = (size_t)(h.dlen + h.rlen);	/* <= budget */
	} else
		b->name = arena_strdup(a, "");
	if (b->name == NULL)
		return -1;
	if (h.too_big || s.len == 0) {
		*budget -= used;
		return 0;
	}

	if ((buf = arena_alloc(a, s.len)) == NULL)
		return -1;
	memset(&h, 0, sizeof(h));
	h.last = -1;
	h.budget = *budget;
	s = (struct sink){ .buf = buf, .max = s.len };
	h.out = &s;
	hqx_decode(t, open, close, &h);
	b->data = buf;
	b->len = s.len;
	*budget -= used;
	return 0;
}

int
inline_find(struct arena *a, const struct limits *lim, const char *text,
    size_t len, struct inline_result *res)
{
	struct inline_block *b, **tail;
	struct line l;
	size_t pos = 0, next, name_s, phrase, no_colon = SIZE_MAX;
	size_t budget;
	bool uu, b64 = false;
	int r;

	memset(res, 0, sizeof(*res));
	res->rest = len;
	tail = &res->blocks;
	budget = lim->file_size > SIZE_MAX ? SIZE_MAX : (size_t)lim->file_size;
	while (pos < len) {
		line_at(text, len, pos, &l);
		phrase = SIZE_MAX;
		if (!(uu = uu_begin(text, &l, &b64, &name_s)) &&
		    !starts_word(text, l.start, l.end, "=ybegin") &&
		    (phrase = find_ci(text, l.start, l.end, binhex_phrase)) ==
		    SIZE_MAX) {
			pos = l.next;
			continue;
		}
		if (res->count >= lim->mime_parts) {
			res->limit_parts = true;
			res->rest = l.start;
			break;
		}
		if ((b = arena_alloc(a, sizeof(*b))) == NULL)
			return -1;
		b->start = l.start;
		if (uu)
			r = uu_block(a, text, len, &l, b64, name_s, &budget, b,
			    &next);
		else if (phrase == SIZE_MAX)
			r = yenc_block(a, text, len, &l, &budget, b, &next);
		else
			r = binhex_block(a, text, len, &l, phrase, &no_colon,
			    &budget, b, &next);
		if (r < 0)
			return -1;
		if (b->too_big)
			res->limit_size = true;
		*tail = b;
		tail = &b->next;
		res->count++;
		pos = next;
	}
	return 0;
}
