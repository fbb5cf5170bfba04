/*
 * text_cdr - plain text passed as it is; CSV formulas get a single quote
 * in front of their sign.
 *
 * CSV is read once per separator a spreadsheet might use (Excel in
 * Japan splits at commas, LibreOffice by default also at ';' and tab),
 * each pass collecting the offsets where a quote must go; the output is
 * the input with those quotes inserted. A quote goes before a sign,
 * never between two double quotes, so it changes the cell structure of
 * no reading; only one reading applies the strict +/- rule, and number
 * checks ignore single quotes, so a second run finds nothing new.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sizeops.h"
#include "text_cdr.h"

#define CSV_FINDINGS_MAX 100	/* csv.formula findings before a summary */
#define CSV_EXCERPT	40	/* bytes of a cell shown in a finding */
/* Bytes some reader strips before it looks for a formula sign (NUL
   too: some drop it). */
#define CSV_LEAD	" \t\r\n\""

enum csv_enc { ENC_UTF8, ENC_SJIS, ENC_EUCJP };

/* The ideographic space and full-width ＝ ＋ － ＠ in each encoding
   (Japanese Excel takes the full-width signs as formula signs). */
static const struct {
	size_t len;
	unsigned char space[3];
	unsigned char sign[4][3];
} csv_fw[] = {
	[ENC_UTF8] = { 3, { 0xe3, 0x80, 0x80 }, { { 0xef, 0xbc, 0x9d },
	    { 0xef, 0xbc, 0x8b }, { 0xef, 0xbc, 0x8d }, { 0xef, 0xbc, 0xa0 } } },
	[ENC_SJIS] = { 2, { 0x81, 0x40 }, { { 0x81, 0x81 }, { 0x81, 0x7b },
	    { 0x81, 0x7c }, { 0x81, 0x97 } } },
	[ENC_EUCJP] = { 2, { 0xa1, 0xa1 }, { { 0xa1, 0xe1 }, { 0xa1, 0xdc },
	    { 0xa1, 0xdd }, { 0xa1, 0xf7 } } },
};
static const char csv_fw_ascii[4] = { '=', '+', '-', '@' };

struct csv_state {
	struct report *r;
	const unsigned char *in;
	size_t len;
	size_t start;		/* first byte after a BOM and a sep= line */
	size_t first_line;	/* line number at start */
	enum csv_enc enc;	/* decides which full-width bytes are signs */
	struct buffer val;	/* scratch: decoded value of one cell */
	size_t *pos;		/* offsets where a quote is inserted */
	size_t npos, nsorted, cap;
	unsigned long found;
	bool failed;
};

struct csv_field {
	size_t vstart;		/* where the value begins (after a quote) */
	size_t end;		/* the delimiter, line end or len */
	bool quoted;
	size_t line, index;
};

struct csv_view {
	unsigned char delim;
	bool strict;		/* the file's real separator: full rules */
};

/* Append with the contract's error handling; -1 once failed. */
static int
text_append(struct report *r, struct buffer *out, const void *p, size_t n)
{
	if (buffer_append(out, p, n) < 0) {
		report_set_error(r, "text: output over its limit or out of "
		    "memory");
		return -1;
	}
	return 0;
}

int
text_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	if (ctx->inspect)
		return 0;
	return text_append(r, out, in, len);
}

/* ---- character classes ---- */

/* c is one of the bytes of set (never true for NUL). */
static bool
csv_in(const char *set, unsigned char c)
{
	return c != '\0' && strchr(set, c) != NULL;
}

static bool
csv_is_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

/* Strict UTF-8 (no overlongs, no surrogates): decides which encoding of
   the full-width signs to look for, so a Shift_JIS kanji is never
   mistaken for a UTF-8 sign or the other way round. */
static bool
csv_valid_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0, k, need;
	unsigned c;

	while (i < n) {
		c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3;
		else
			return false;
		if (n - i <= need)
			return false;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		}
		if ((c == 0xe0 && p[i + 1] < 0xa0) ||
		    (c == 0xed && p[i + 1] >= 0xa0) ||
		    (c == 0xf0 && p[i + 1] < 0x90) ||
		    (c == 0xf4 && p[i + 1] >= 0x90))
			return false;
		i += need + 1;
	}
	return true;
}

/* Shift_JIS as Windows writes it (CP932), as the detector checks it. */
static bool
csv_valid_sjis(const unsigned char *p, size_t n)
{
	size_t i = 0;
	unsigned c;

	while (i < n) {
		c = p[i];
		if (c < 0x80 || (c >= 0xa1 && c <= 0xdf)) {
			i++;
			continue;
		}
		if (!((c >= 0x81 && c <= 0x9f) || (c >= 0xe0 && c <= 0xfc)) ||
		    i + 1 >= n || p[i + 1] < 0x40 || p[i + 1] == 0x7f ||
		    p[i + 1] > 0xfc)
			return false;
		i += 2;
	}
	return true;
}

/* The encoding in the detector's order: UTF-8, Shift_JIS, EUC-JP. */
static enum csv_enc
csv_encoding(const unsigned char *p, size_t n)
{
	if (csv_valid_utf8(p, n))
		return ENC_UTF8;
	return csv_valid_sjis(p, n) ? ENC_SJIS : ENC_EUCJP;
}

/* CSV_LEAD bytes, NULs and the ideographic space (U+3000). */
static size_t
csv_skip_lead(const struct csv_state *st, const unsigned char *v, size_t n)
{
	size_t i = 0, fl = csv_fw[st->enc].len;

	for (;;) {
		if (i < n && (v[i] == '\0' || csv_in(CSV_LEAD, v[i])))
			i++;
		else if (n - i >= fl &&
		    memcmp(v + i, csv_fw[st->enc].space, fl) == 0)
			i += fl;
		else
			return i;
	}
}

/* The formula sign at v, ASCII or full-width, as its ASCII form (its
   length in *len); 0 when there is none. */
static int
csv_sign(const struct csv_state *st, const unsigned char *v, size_t n,
    size_t *len)
{
	size_t i, fl = csv_fw[st->enc].len;

	if (n == 0)
		return 0;
	if (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
		*len = 1;
		return v[0];
	}
	for (i = 0; i < 4 && n >= fl; i++) {
		if (memcmp(v, csv_fw[st->enc].sign[i], fl) == 0) {
			*len = fl;
			return csv_fw_ascii[i];
		}
	}
	return 0;
}

/* A plain number after its sign: 12, 1,234.5, .5, 1e-3, 12%. */
static bool
csv_is_number(const unsigned char *v, size_t n)
{
	size_t i = 0, digits = 0, exp = 0;

	while (i < n && (csv_is_digit(v[i]) || (v[i] == ',' && digits > 0))) {
		digits += csv_is_digit(v[i]);
		i++;
	}
	if (i < n && v[i] == '.') {
		for (i++; i < n && csv_is_digit(v[i]); i++)
			digits++;
	}
	if (digits == 0)
		return false;
	if (i < n && (v[i] == 'e' || v[i] == 'E')) {
		i++;
		if (i < n && (v[i] == '+' || v[i] == '-'))
			i++;
		for (; i < n && csv_is_digit(v[i]); i++)
			exp++;
		if (exp == 0)
			return false;
	}
	if (i < n && v[i] == '%')
		i++;
	return i == n;
}

/* A phone number after '+': digits with blanks, dots, hyphens and
   parentheses, starting and ending with a digit (+81-3-1234-5678). */
static bool
csv_is_phone(const unsigned char *v, size_t n)
{
	size_t i;

	if (n == 0 || !csv_is_digit(v[0]) || !csv_is_digit(v[n - 1]))
		return false;
	for (i = 0; i < n; i++) {
		if (!csv_is_digit(v[i]) && !csv_in(" .-()", v[i]))
			return false;
	}
	return true;
}

/* Only more of the same sign: "-", "--", "－" placeholders. */
static bool
csv_is_repeat(const unsigned char *v, size_t n, const unsigned char *sign,
    size_t slen)
{
	size_t i;

	if (n % slen != 0)
		return false;
	for (i = 0; i < n; i += slen) {
		if (memcmp(v + i, sign, slen) != 0)
			return false;
	}
	return true;
}

/* A +/- cell that no spreadsheet turns into a call: v is the value from
   its sign on, with trailing blanks and quotes already cut. Single
   quotes are skipped: one inserted for another reading of the file
   must not turn a number into a formula (the second run would flag
   it), and a quote cannot make anything callable. Numbers are short:
   a longer value is not taken as one. */
static bool
csv_harmless_sign(const unsigned char *v, size_t n, int sign, size_t slen)
{
	unsigned char rest[128];
	size_t i, rn = 0;

	for (i = slen; i < n; i++) {
		if (v[i] == '\'')
			continue;
		if (rn == sizeof(rest))
			return false;
		rest[rn++] = v[i];
	}
	if (sign == '-' && csv_is_repeat(rest, rn, v, slen))
		return true;
	if (csv_is_number(rest, rn))
		return true;
	return slen == 1 && sign == '+' && csv_is_phone(rest, rn);
}

/* A function call (a letter right before '('), a DDE pipe or a sheet
   reference: what a formula needs to do more than arithmetic. */
static bool
csv_has_call(const unsigned char *v, size_t n)
{
	size_t i;

	if (memchr(v, '|', n) != NULL || memchr(v, '!', n) != NULL)
		return true;
	for (i = 1; i < n; i++) {
		if (v[i] == '(' && ((v[i - 1] | 0x20) >= 'a' &&
		    (v[i - 1] | 0x20) <= 'z'))
			return true;
	}
	return false;
}

/* Would a spreadsheet evaluate this decoded cell value? */
static bool
csv_is_formula(const struct csv_state *st, const unsigned char *v, size_t n,
    bool strict)
{
	size_t i = csv_skip_lead(st, v, n), slen = 0;
	int sign;

	/* Trailing blanks go, and single quotes: ours, inserted before a
	   sign that is this reading's separator, may end a number cell. */
	while (n > i && (v[n - 1] == '\0' || v[n - 1] == '\'' ||
	    csv_in(CSV_LEAD, v[n - 1])))
		n--;
	sign = csv_sign(st, v + i, n - i, &slen);
	if (sign == '=' || sign == '@')
		return true;
	if (sign != '+' && sign != '-')
		return false;
	if (csv_harmless_sign(v + i, n - i, sign, slen))
		return false;
	/* Outside the real separator, only what can call something. */
	return strict || csv_has_call(v + i, n - i);
}

/* ---- fields ---- */

/* Find where the field at i ends; RFC 4180 quoting, and like Excel any
   bytes after the closing quote belong to the field. */
static void
csv_field_at(const struct csv_state *st, size_t i, unsigned char delim,
    struct csv_field *f)
{
	const unsigned char *p = st->in, *q;
	size_t j = i;

	f->quoted = i < st->len && p[i] == '"';
	f->vstart = f->quoted ? i + 1 : i;
	if (f->quoted) {
		for (j = i + 1; j < st->len; j++) {
			q = memchr(p + j, '"', st->len - j);
			if (q == NULL) {
				j = st->len;
				break;
			}
			j = (size_t)(q - p);
			if (j + 1 < st->len && p[j + 1] == '"')
				j++;
			else {
				j++;
				break;
			}
		}
	}
	while (j < st->len && p[j] != delim && p[j] != '\r' && p[j] != '\n')
		j++;
	f->end = j;
}

/* The value of a field with "" undone, into st->val. */
static int
csv_decode(struct csv_state *st, const struct csv_field *f)
{
	const unsigned char *p = st->in;
	size_t i = f->vstart, run;
	int ret = 0;

	buffer_reset(&st->val);
	if (!f->quoted)
		return buffer_append(&st->val, p + i, f->end - i);
	while (i < f->end && ret == 0) {
		for (run = i; run < f->end && p[run] != '"'; run++)
			;
		ret |= buffer_append(&st->val, p + i, run - i);
		if (run + 1 < f->end && p[run + 1] == '"') {
			ret |= buffer_append(&st->val, "\"", 1);
			i = run + 2;
		} else {
			/* closing quote: the rest is taken as it is */
			if (run < f->end)
				ret |= buffer_append(&st->val, p + run + 1,
				    f->end - run - 1);
			break;
		}
	}
	return ret;
}

static int
csv_cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Remember an insertion offset and report the cell, once per offset. */
static void
csv_record(struct csv_state *st, size_t at, const struct csv_field *f,
    const struct csv_view *view, const char *why)
{
	char loc[64], excerpt[CSV_EXCERPT + 1];
	size_t i, n, bytes, *np;

	if (st->nsorted > 0 && bsearch(&at, st->pos, st->nsorted,
	    sizeof(size_t), csv_cmp_size) != NULL)
		return;		/* already found reading another separator */
	if (st->npos == st->cap) {
		n = st->cap == 0 ? 64 : st->cap * 2;
		if (size_mul(n, sizeof(size_t), &bytes) < 0 ||
		    (np = realloc(st->pos, bytes)) == NULL) {
			report_set_error(st->r, "csv: out of memory");
			st->failed = true;
			return;
		}
		st->pos = np;
		st->cap = n;
	}
	st->pos[st->npos++] = at;
	if (++st->found > CSV_FINDINGS_MAX)
		return;
	n = st->val.used < CSV_EXCERPT ? st->val.used : CSV_EXCERPT;
	for (i = 0; i < n; i++) {
		unsigned char c = st->val.data[i];

		excerpt[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	excerpt[n] = '\0';
	snprintf(loc, sizeof(loc), "line %zu field %zu%s", f->line, f->index,
	    view->delim == ',' ? "" : view->delim == '\t' ?
	    " (tab-separated)" : view->delim == ';' ? " (';'-separated)" :
	    " (sep= separator)");
	report_add(st->r, "csv.formula", FINDING_REMOVED, loc, "%s: %s%s", why,
	    excerpt, st->val.used > CSV_EXCERPT ? "..." : "");
}

/* Check one field; most cells are decided by their first byte. */
static void
csv_check(struct csv_state *st, const struct csv_field *f,
    const struct csv_view *view)
{
	const unsigned char *p = st->in;
	size_t k;
	unsigned char b;

	/* The raw bytes skipped are the decoded ones (quotes, escaped or
	   not, are all skipped), so k is where the sign is. */
	k = f->vstart + csv_skip_lead(st, p + f->vstart, f->end - f->vstart);
	if (k >= f->end)
		return;
	b = p[k];
	if (b < 0x80 && b != '=' && b != '+' && b != '-' && b != '@')
		return;
	if (csv_decode(st, f) < 0) {
		report_set_error(st->r, "csv: out of memory");
		st->failed = true;
		return;
	}
	if (csv_is_formula(st, st->val.data, st->val.used, view->strict))
		csv_record(st, k, f, view, "formula cell");
}

/* One reading of the file with one separator. */
static void
csv_scan(struct csv_state *st, const struct csv_view *view)
{
	struct csv_field f;
	size_t i = st->start, line = st->first_line, index = 1;

	for (;;) {
		memset(&f, 0, sizeof(f));
		f.line = line;
		f.index = index;
		csv_field_at(st, i, view->delim, &f);
		csv_check(st, &f, view);
		if (st->failed || f.end >= st->len)
			break;
		i = f.end + 1;
		if (st->in[f.end] == view->delim) {
			index++;
			continue;
		}
		if (st->in[f.end] == '\r' && i < st->len && st->in[i] == '\n')
			i++;
		line++;
		index = 1;
		if (i >= st->len)
			break;
	}
	if (st->npos > 0)
		qsort(st->pos, st->npos, sizeof(size_t), csv_cmp_size);
	st->nsorted = st->npos;
}

/* "ID;..." or "ID" alone on the first line makes Excel read the file as
   SYLK, a format that carries formulas and macros whatever the name. */
static void
csv_check_sylk(struct csv_state *st)
{
	static const struct csv_view view = { ',', true };
	const unsigned char *p = st->in + st->start;
	size_t n = st->len - st->start;
	struct csv_field f = { .vstart = st->start, .line = 1, .index = 1 };

	if (n < 2 || p[0] != 'I' || p[1] != 'D')
		return;
	if (n > 2 && p[2] != ';' && p[2] != '\r' && p[2] != '\n')
		return;
	buffer_reset(&st->val);
	if (buffer_append(&st->val, p, 2) < 0)
		return;
	csv_record(st, st->start, &f, &view,
	    "SYLK header, Excel would run it as SYLK");
	st->nsorted = st->npos;
}

/* The separator named by an Excel "sep=X" first line, or 0. */
static unsigned char
csv_sep_line(const struct csv_state *st)
{
	const unsigned char *p = st->in + st->start;
	size_t n = st->len - st->start;

	if (n < 5 || strncasecmp((const char *)p, "sep=", 4) != 0)
		return 0;
	if (n > 5 && p[5] != '\r' && p[5] != '\n')
		return 0;
	/* A quote as separator would let our own inserted quotes split
	   cells; no real file does that. */
	if (p[4] == '"' || p[4] == '\'' || p[4] == '\r' || p[4] == '\n' ||
	    p[4] == '\0')
		return 0;
	return p[4];
}

/* The file's own separator when it is not the comma: the sep= line, or
   tab or ';' when the first line has some and no comma (.tsv files and
   European CSV reach csv_cdr as FT_CSV too). 0 means comma. */
static unsigned char
csv_real_sep(const struct csv_state *st)
{
	const unsigned char *p = st->in;
	size_t i, commas = 0, semis = 0, tabs = 0;
	unsigned char sep = csv_sep_line(st);
	bool inq = false;

	if (sep != 0)
		return sep;
	for (i = st->start; i < st->len; i++) {
		if (p[i] == '"')
			inq = !inq;
		else if (inq)
			continue;
		else if (p[i] == '\n' || p[i] == '\r')
			break;
		else if (p[i] == ',')
			commas++;
		else if (p[i] == ';')
			semis++;
		else if (p[i] == '\t')
			tabs++;
	}
	if (commas > 0)
		return 0;
	if (tabs > 0 && tabs >= semis)
		return '\t';
	return semis > 0 ? ';' : 0;
}

/* Every reading of the file: st->pos and the findings filled. Exactly
   one reading (the file's own separator) is strict: a quote inserted
   for another reading can then never turn a harmless strict cell (a
   number) into a flagged one, which keeps a second run silent. */
static void
csv_analyse(struct csv_state *st)
{
	struct csv_view views[4] = {
		{ ',', false }, { ';', false }, { '\t', false }, { 0, true },
	};
	unsigned char sep = csv_real_sep(st);
	size_t v;

	/* The sep= line is a directive to Excel, not cells: skip it, or a
	   quote put into it would change the separator of the next run. */
	st->first_line = 1;
	if (csv_sep_line(st) != 0) {
		st->first_line = 2;
		while (st->start < st->len && st->in[st->start] != '\r' &&
		    st->in[st->start] != '\n')
			st->start++;
		if (st->start < st->len && st->in[st->start] == '\r')
			st->start++;
		if (st->start < st->len && st->in[st->start] == '\n')
			st->start++;
	}
	if (sep == 0)
		sep = ',';
	for (v = 0; v < 3; v++) {
		if (views[v].delim == sep)
			views[v].strict = true;
	}
	if (sep != ',' && sep != ';' && sep != '\t')
		views[3].delim = sep;
	csv_check_sylk(st);
	for (v = 0; v < 4 && !st->failed; v++) {
		if (views[v].delim != 0)
			csv_scan(st, &views[v]);
	}
	if (!st->failed && st->found > CSV_FINDINGS_MAX)
		report_add(st->r, "csv.formula", FINDING_REMOVED, NULL,
		    "%lu more formula cells neutralised, not listed one by one",
		    st->found - CSV_FINDINGS_MAX);
}

/* The input with a quote at every recorded offset. */
static int
csv_write(struct csv_state *st, struct buffer *out)
{
	size_t i, prev = 0;

	for (i = 0; i < st->npos; i++) {
		if (text_append(st->r, out, st->in + prev, st->pos[i] - prev) < 0 ||
		    text_append(st->r, out, "'", 1) < 0)
			return -1;
		prev = st->pos[i];
	}
	return text_append(st->r, out, st->in + prev, st->len - prev);
}

/* ---- UTF-16 ---- */

/* The character at in[i] (i < len - 1): its code point in *cp (U+FFFD
   for a lone surrogate) and the bytes it takes. */
static size_t
csv_u16_char(const unsigned char *in, size_t len, size_t i, bool be,
    unsigned *cp)
{
	unsigned u, u2;

	u = be ? (unsigned)(in[i] << 8 | in[i + 1]) :
	    (unsigned)(in[i + 1] << 8 | in[i]);
	*cp = u;
	if (u < 0xd800 || u > 0xdfff)
		return 2;
	*cp = 0xfffd;
	if (u > 0xdbff || i + 3 >= len)
		return 2;
	u2 = be ? (unsigned)(in[i + 2] << 8 | in[i + 3]) :
	    (unsigned)(in[i + 3] << 8 | in[i + 2]);
	if (u2 < 0xdc00 || u2 > 0xdfff)
		return 2;
	*cp = 0x10000 + ((u - 0xd800) << 10) + (u2 - 0xdc00);
	return 4;
}

/* Encode cp as UTF-8 into p (room for 4); returns its length. */
static size_t
csv_put_utf8(unsigned char *p, unsigned cp)
{
	if (cp < 0x80) {
		p[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (unsigned char)(0xc0 | cp >> 6);
		p[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (unsigned char)(0xe0 | cp >> 12);
		p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		p[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	p[0] = (unsigned char)(0xf0 | cp >> 18);
	p[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	p[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	p[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The UTF-16 text after its BOM as UTF-8 (at most 2 bytes per input
   byte); NULL when memory runs out. */
static unsigned char *
csv_u16_to_utf8(const unsigned char *in, size_t len, bool be, size_t *n)
{
	unsigned char *u8;
	size_t i, size;
	unsigned cp;

	if (size_mul(len, 2, &size) < 0 || (u8 = malloc(size + 1)) == NULL)
		return NULL;
	*n = 0;
	for (i = 2; i + 1 < len; ) {
		i += csv_u16_char(in, len, i, be, &cp);
		*n += csv_put_utf8(u8 + *n, cp);
	}
	return u8;
}

/* The UTF-16 input with a quote unit at each recorded UTF-8 offset
   (always a character start, so the mapping is exact). */
static int
csv_write16(struct csv_state *st, const unsigned char *in, size_t len,
    bool be, struct buffer *out)
{
	static const unsigned char q_le[2] = { '\'', 0 }, q_be[2] = { 0, '\'' };
	unsigned char tmp[4];
	size_t i = 2, prev = 0, u8 = 0, k = 0;
	unsigned cp;

	for (;;) {
		for (; k < st->npos && st->pos[k] == u8; k++) {
			if (text_append(st->r, out, in + prev, i - prev) < 0 ||
			    text_append(st->r, out, be ? q_be : q_le, 2) < 0)
				return -1;
			prev = i;
		}
		if (i + 1 >= len)
			break;
		i += csv_u16_char(in, len, i, be, &cp);
		u8 += csv_put_utf8(tmp, cp);
	}
	return text_append(st->r, out, in + prev, len - prev);
}

/* UTF-16 with a BOM (the detector's only UTF-16 text): analysed as
   UTF-8, quotes written back as UTF-16 code units. */
static int
csv_utf16(struct csv_state *st, const unsigned char *in, size_t len,
    struct buffer *out)
{
	bool be = in[0] == 0xfe;
	unsigned char *u8;
	size_t n;
	int ret = 0;

	if ((u8 = csv_u16_to_utf8(in, len, be, &n)) == NULL) {
		report_set_error(st->r, "csv: out of memory");
		return -1;
	}
	st->in = u8;
	st->len = n;
	st->enc = ENC_UTF8;
	csv_analyse(st);
	if (st->failed)
		ret = -1;
	else if (out != NULL)
		ret = csv_write16(st, in, len, be, out);
	free(u8);
	return ret;
}

int
csv_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	struct csv_state st;
	int ret = 0;

	memset(&st, 0, sizeof(st));
	st.r = r;
	buffer_init(&st.val, SIZE_MAX / 2);
	if (len >= 2 && ((in[0] == 0xff && in[1] == 0xfe) ||
	    (in[0] == 0xfe && in[1] == 0xff)))
		ret = csv_utf16(&st, in, len, ctx->inspect ? NULL : out);
	else {
		st.in = in;
		st.len = len;
		st.enc = csv_encoding(in, len);
		if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
			st.start = 3;
		csv_analyse(&st);
		if (st.failed)
			ret = -1;
		else if (!ctx->inspect)
			ret = csv_write(&st, out);
	}
	free(st.pos);
	buffer_free(&st.val);
	return ret;
}
