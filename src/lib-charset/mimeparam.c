/*
 * mimeparam - RFC 2045/2231 parameter lists, parsed from the raw value.
 *
 * Two passes: split the unfolded value into segments at the ';' outside
 * quoted strings and comments and read each as name=value (raw bytes);
 * then join RFC 2231 continuations, decode every value to UTF-8 and
 * look for duplicates. Where senders and readers disagree (unquoted
 * spaces, unterminated quotes, missing segments) we take the lenient
 * reading and set MIMEPARAM_MALFORMED, so the caller can decide.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "encword.h"
#include "mimeparam.h"
#include "sanso_limits.h"
#include "sizeops.h"

/* One name=value as written, before continuations are joined. */
struct rawp {
	char *name;		/* base name, lower-case */
	int section;		/* RFC 2231 section, -1 when none */
	bool ext;		/* name*= / name*N*=: %XX value */
	char *val;		/* unquoted bytes */
	size_t vlen;
	bool done;		/* already turned into a mime_param */
	struct rawp *next;
};

struct parser {
	struct arena *a;
	struct mime_value *v;
	struct rawp *first, **tail;
	unsigned nraw;
	struct mime_param **ptail;
	size_t dead;		/* no comments from here: see comment_end() */
};

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Index after the comment opened at s[i], or 0 when it is never closed
 * (an unterminated '(' is then an ordinary character: swallowing the
 * rest of the field would hide parameters other readers see). Past the
 * first unclosed '(' (*dead) no comment is recognised any more: that
 * costs nothing for real headers and keeps "( ( ( (..." linear.
 */
static size_t
comment_end(const char *s, size_t n, size_t i, size_t *dead)
{
	unsigned depth = 0;
	size_t start = i;

	if (dead != NULL && i >= *dead)
		return 0;
	for (; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i + 1;
	}
	if (dead != NULL)
		*dead = start;
	return 0;
}

/* Comments count only where CFWS may stand: after a blank, a
   separator or the start, never inside a token like "photo(1).jpg". */
static bool
cfws_position(const char *s, size_t start, size_t i)
{
	return i == start || is_wsp(s[i - 1]) || s[i - 1] == ';' ||
	    s[i - 1] == '=' || s[i - 1] == '"' || s[i - 1] == ')';
}

/* Skip blanks and comments from *i. */
static void
skip_cfws(const char *s, size_t n, size_t start, size_t *i, size_t *dead)
{
	size_t e;

	while (*i < n) {
		if (is_wsp(s[*i])) {
			(*i)++;
		} else if (s[*i] == '(' && cfws_position(s, start, *i) &&
		    (e = comment_end(s, n, *i, dead)) != 0) {
			*i = e;
		} else {
			break;
		}
	}
}

/* Next ';' at top level from i (quoted strings and comments skipped),
   or n. *unterminated is set for a quote that never closes. */
static size_t
find_semicolon(const char *s, size_t n, size_t i, bool *unterminated,
    size_t *dead)
{
	size_t start = i, e;

	while (i < n) {
		if (s[i] == '"') {
			for (i++; i < n && s[i] != '"'; i++)
				if (s[i] == '\\' && i + 1 < n)
					i++;
			if (i >= n) {
				*unterminated = true;
				return n;
			}
			i++;
		} else if (s[i] == '(' && cfws_position(s, start, i) &&
		    (e = comment_end(s, n, i, dead)) != 0) {
			i = e;
		} else if (s[i] == ';') {
			return i;
		} else {
			i++;
		}
	}
	return n;
}

static void
lower(char *p)
{
	for (; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

/* Control characters (C1 included) to spaces, TAB kept: a value must
   not end a header line when written again, nor hide a NUL. */
static void
clean_controls(unsigned char *p, size_t *n)
{
	size_t i, j;

	for (i = j = 0; i < *n; i++) {
		if (p[i] == 0xC2 && i + 1 < *n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9F) {
			p[j++] = ' ';
			i++;
		} else if ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7F) {
			p[j++] = ' ';
		} else {
			p[j++] = p[i];
		}
	}
	*n = j;
}

/* Arena copy of p[0..n) as a string (p may hold NULs: the caller has
   cleaned them when it matters). */
static char *
copy_bytes(struct arena *a, const void *p, size_t n)
{
	size_t sz;
	char *d;

	if (size_add(n, 1, &sz) < 0 || (d = arena_alloc(a, sz)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

static size_t
tmp_max(size_t n)
{
	size_t m;

	if (size_mul(n, 4, &m) < 0 || size_add(m, 64, &m) < 0)
		return SIZE_MAX / 2;
	return m;
}

/* ---- pass 1: segments ---- */

/* Split "name*N*" into base, section and ext. */
static int
split_name(struct parser *p, char *name, int *section, bool *ext)
{
	char *star = strchr(name, '*'), *d;
	unsigned long num = 0;

	*section = -1;
	*ext = false;
	if (star == NULL)
		return 0;
	d = star + 1;
	if (*d == '\0') {
		*ext = true;
	} else if (*d >= '0' && *d <= '9') {
		if (*d == '0' && d[1] >= '0' && d[1] <= '9')
			p->v->flags |= MIMEPARAM_MALFORMED;	/* "*01" */
		for (; *d >= '0' && *d <= '9'; d++) {
			num = num * 10 + (unsigned long)(*d - '0');
			if (num > MIMEPARAM_MAX_SECTION) {
				p->v->flags |= MIMEPARAM_MALFORMED;
				return -1;
			}
		}
		if (*d == '*' && d[1] == '\0')
			*ext = true;
		else if (*d != '\0') {
			/* "name*1x": not RFC 2231, keep the name whole. */
			p->v->flags |= MIMEPARAM_MALFORMED;
			return 0;
		}
		*section = (int)num;
	} else {
		p->v->flags |= MIMEPARAM_MALFORMED;
		return 0;
	}
	*star = '\0';
	if (*name == '\0') {
		p->v->flags |= MIMEPARAM_MALFORMED;
		return -1;
	}
	return 0;
}

/*
 * One segment s[b..e) ("name=value" with blanks and comments): appended
 * to the raw list. Returns 0, or -1 when the arena is exhausted.
 */
static int
segment(struct parser *p, const char *s, size_t b, size_t e)
{
	struct rawp *r;
	size_t i = b, nend, j, k, t;
	char *val;
	size_t vlen = 0;

	skip_cfws(s, e, b, &i, &p->dead);
	for (nend = i; nend < e && s[nend] != '=' && !is_wsp(s[nend]) &&
	    s[nend] != '"' && s[nend] != '('; nend++)
		;
	k = nend;
	skip_cfws(s, e, b, &k, &p->dead);
	if (nend == i || k >= e || s[k] != '=') {
		/* "name" with no '=', or "=value": skipped. */
		p->v->flags |= MIMEPARAM_MALFORMED;
		return 0;
	}
	if (p->nraw >= MIMEPARAM_MAX_PARAMS) {
		p->v->flags |= MIMEPARAM_MALFORMED;
		return 0;
	}
	k++;
	skip_cfws(s, e, b, &k, &p->dead);
	if ((val = arena_alloc(p->a, e - k + 1)) == NULL)
		return -1;
	if (k < e && s[k] == '"') {
		for (t = k + 1; t < e && s[t] != '"'; t++) {
			if (s[t] == '\\' && t + 1 < e)
				t++;
			val[vlen++] = s[t];
		}
		if (t >= e) {
			p->v->flags |= MIMEPARAM_MALFORMED;
		} else {
			t++;
			skip_cfws(s, e, b, &t, &p->dead);
			if (t < e)	/* text after the closing quote */
				p->v->flags |= MIMEPARAM_MALFORMED;
		}
	} else {
		/* Unquoted: up to the ';', less trailing blanks and a
		   trailing comment (RFC 2045's "us-ascii (Plain text)").
		   Blanks or quotes left inside are kept, as lenient readers
		   do with "filename=my file.txt", and flagged: readers
		   disagree on them. */
		t = e;
		for (;;) {
			while (t > k && is_wsp(s[t - 1]))
				t--;
			if (t > k && s[t - 1] == ')') {
				for (j = t - 1; j > k && s[j] != '('; j--)
					;
				if (s[j] == '(' && j > k && is_wsp(s[j - 1]) &&
				    comment_end(s, t, j, NULL) == t) {
					t = j;
					continue;
				}
			}
			break;
		}
		for (j = k; j < t; j++) {
			if (is_wsp(s[j]) || s[j] == '"')
				p->v->flags |= MIMEPARAM_MALFORMED;
			val[vlen++] = s[j];
		}
	}
	val[vlen] = '\0';
	if ((r = arena_alloc(p->a, sizeof(*r))) == NULL ||
	    (r->name = copy_bytes(p->a, s + i, nend - i)) == NULL)
		return -1;
	for (j = i; j < nend; j++)
		if ((unsigned char)s[j] <= 0x20 || (unsigned char)s[j] >= 0x7F)
			p->v->flags |= MIMEPARAM_MALFORMED;	/* NUL too */
	lower(r->name);
	if (split_name(p, r->name, &r->section, &r->ext) < 0)
		return 0;	/* flagged, dropped */
	r->val = val;
	r->vlen = vlen;
	*p->tail = r;
	p->tail = &r->next;
	p->nraw++;
	return 0;
}

/* ---- pass 2: values ---- */

/* %XX decoded in place; a stray '%' stays and is flagged. */
static size_t
percent_decode(struct parser *p, char *v, size_t n)
{
	static const char hex[] = "0123456789abcdef0123456789ABCDEF";
	const char *h, *l;
	size_t i, j;

	for (i = j = 0; i < n; i++) {
		if (v[i] == '%' && i + 2 < n && v[i + 1] != '\0' &&
		    (h = strchr(hex, v[i + 1])) != NULL && v[i + 2] != '\0' &&
		    (l = strchr(hex, v[i + 2])) != NULL) {
			v[j++] = (char)(((h - hex) % 16) << 4 | (l - hex) % 16);
			i += 2;
			continue;
		}
		if (v[i] == '%')
			p->v->flags |= MIMEPARAM_MALFORMED;
		v[j++] = v[i];
	}
	return j;
}

/* Decoded bytes through charset (NULL: guessed), cleaned, into the
   arena. */
static char *
decode_charset(struct parser *p, const char *charset, const char *b,
    size_t n)
{
	struct buffer out;
	char *d = NULL;
	size_t len;

	buffer_init(&out, tmp_max(n));
	if (charset_to_utf8(charset, (const unsigned char *)b, n, &out,
	    NULL) == 0) {
		len = out.used;
		if (out.data != NULL)
			clean_controls(out.data, &len);
		d = copy_bytes(p->a, out.data != NULL ? out.data :
		    (unsigned char *)"", len);
	}
	buffer_free(&out);
	return d;
}

/*
 * A value as written (quoted string already unquoted): RFC 2047 words
 * and raw 8-bit text decoded, as Outlook and Thunderbird write and
 * read them. "boundary" is kept byte for byte: it must match the body.
 */
static char *
decode_plain(struct parser *p, const char *name, const char *b, size_t n,
    bool *encoded_word)
{
	struct buffer out;
	char *d = NULL;
	size_t i;
	bool plain = true;

	*encoded_word = false;
	if (strcmp(name, "boundary") == 0) {
		if ((d = copy_bytes(p->a, b, n)) == NULL)
			return NULL;
		for (i = 0; i < n; i++) {
			if (d[i] == '\0' || d[i] == '\r' || d[i] == '\n') {
				d[i] = ' ';
				p->v->flags |= MIMEPARAM_MALFORMED;
			}
		}
		return d;
	}
	for (i = 0; i < n && plain; i++)
		if ((unsigned char)b[i] >= 0x7F || (unsigned char)b[i] < 0x20 ||
		    (b[i] == '=' && i + 1 < n && b[i + 1] == '?'))
			plain = false;
	if (plain)
		return copy_bytes(p->a, b, n);
	buffer_init(&out, tmp_max(n));
	if (encword_decode_text(b, n, &out, NULL) == 0) {
		d = copy_bytes(p->a, out.data != NULL ? out.data :
		    (unsigned char *)"", out.used);
		*encoded_word = encword_count(b, n) > 0;
	}
	buffer_free(&out);
	return d;
}

/* charset'language'rest of an RFC 2231 first segment; *rest_r points
   into v. A missing quote is flagged and the value guessed. */
static int
split_charset(struct parser *p, char *v, size_t n, char **charset_r,
    char **rest_r, size_t *restlen_r)
{
	char *q1, *q2;

	*charset_r = NULL;
	*rest_r = v;
	*restlen_r = n;
	if ((q1 = memchr(v, '\'', n)) == NULL ||
	    (q2 = memchr(q1 + 1, '\'', n - (size_t)(q1 + 1 - v))) == NULL) {
		p->v->flags |= MIMEPARAM_MALFORMED;
		return 0;
	}
	if (q1 > v && (*charset_r = copy_bytes(p->a, v,
	    (size_t)(q1 - v))) == NULL)
		return -1;
	*rest_r = q2 + 1;
	*restlen_r = n - (size_t)(q2 + 1 - v);
	return 0;
}

static int
add_param(struct parser *p, const char *name, char *value, bool rfc2231,
    bool encoded_word)
{
	struct mime_param *mp;

	if (value == NULL || (mp = arena_alloc(p->a, sizeof(*mp))) == NULL)
		return -1;
	mp->name = name;
	mp->value = value;
	mp->rfc2231 = rfc2231;
	mp->encoded_word = encoded_word;
	*p->ptail = mp;
	p->ptail = &mp->next;
	return 0;
}

/* name*= (one extended value, no continuation). */
static int
single_2231(struct parser *p, struct rawp *r)
{
	char *charset, *rest;
	size_t n;

	if (split_charset(p, r->val, r->vlen, &charset, &rest, &n) < 0)
		return -1;
	n = percent_decode(p, rest, n);
	return add_param(p, r->name, decode_charset(p, charset, rest, n),
	    true, false);
}

/*
 * name*0=, name*1*=, ... in any order: joined by section number. A
 * section given twice keeps its first value; a gap, or no section 0,
 * is flagged and the segments present are joined.
 */
static int
continuation(struct parser *p, struct rawp *first)
{
	struct rawp *r, **seg, *t;
	size_t nseg = 0, i, j, total = 0, n;
	char *buf, *charset = NULL, *rest, *val;
	bool any_ext = false, ew;
	int expect = 0;

	for (r = first; r != NULL; r = r->next)
		if (!r->done && r->section >= 0 && strcmp(r->name,
		    first->name) == 0)
			nseg++;
	if ((seg = arena_alloc(p->a, nseg * sizeof(*seg))) == NULL)
		return -1;
	for (r = first, n = 0; r != NULL; r = r->next) {
		if (r->done || r->section < 0 || strcmp(r->name,
		    first->name) != 0)
			continue;
		r->done = true;
		/* Insertion sort by section: nseg <= MAX_PARAMS. */
		for (j = n; j > 0 && seg[j - 1]->section > r->section; j--)
			seg[j] = seg[j - 1];
		seg[j] = r;
		n++;
	}
	for (i = j = 0; i < nseg; i++) {
		t = seg[i];
		if (j > 0 && seg[j - 1]->section == t->section) {
			p->v->flags |= MIMEPARAM_MALFORMED;
			continue;
		}
		if (t->section != expect)
			p->v->flags |= MIMEPARAM_MALFORMED;
		expect = t->section + 1;
		any_ext |= t->ext;
		seg[j++] = t;
	}
	nseg = j;
	for (i = 0; i < nseg; i++)
		total += seg[i]->vlen;	/* <= the field length */
	if ((buf = arena_alloc(p->a, total + 1)) == NULL)
		return -1;
	for (i = 0, n = 0; i < nseg; i++) {
		rest = seg[i]->val;
		j = seg[i]->vlen;
		if (seg[i]->ext && seg[i]->section == 0 &&
		    split_charset(p, seg[i]->val, seg[i]->vlen, &charset,
		    &rest, &j) < 0)
			return -1;
		if (seg[i]->ext)
			j = percent_decode(p, rest, j);
		memcpy(buf + n, rest, j);
		n += j;
	}
	buf[n] = '\0';
	if (!any_ext) {
		val = decode_plain(p, first->name, buf, n, &ew);
		return add_param(p, first->name, val, true, ew);
	}
	return add_param(p, first->name, decode_charset(p, charset, buf, n),
	    true, false);
}

/* The same name twice (name and name* included): DUPLICATE, and
   CONFLICT when the decoded values differ. */
static void
find_duplicates(struct mime_value *v)
{
	struct mime_param *a, *b;

	for (a = v->params; a != NULL; a = a->next) {
		for (b = v->params; b != a; b = b->next) {
			if (strcmp(a->name, b->name) != 0)
				continue;
			v->flags |= MIMEPARAM_DUPLICATE;
			if (strcmp(a->value, b->value) != 0)
				v->flags |= MIMEPARAM_CONFLICT;
			break;
		}
	}
}

/* Unfolded copy of raw in the arena: a line break followed by a blank
   is removed, any other becomes a space. */
static char *
unfold(struct arena *a, const char *raw, size_t len, size_t *n_r)
{
	char *s;
	size_t i, j = 0, k;

	if ((s = arena_alloc(a, len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (raw[i] != '\r' && raw[i] != '\n') {
			s[j++] = raw[i];
			continue;
		}
		k = i;
		if (raw[k] == '\r' && k + 1 < len && raw[k + 1] == '\n')
			k++;
		if (!(k + 1 < len && is_wsp(raw[k + 1])))
			s[j++] = ' ';
		i = k;
	}
	s[j] = '\0';
	*n_r = j;
	return s;
}

/* The first token ("type/subtype", "attachment"), blanks and comments
   removed, lower-cased; "" when the value starts with a parameter. */
static int
first_token(struct parser *p, const char *s, size_t n, size_t *pos)
{
	bool unterminated = false;
	size_t end = find_semicolon(s, n, 0, &unterminated, &p->dead), i;
	size_t j = 0, e;
	char *tok;

	for (i = 0; i < end; i++) {
		if (s[i] == '"')
			break;
		if (s[i] == '=') {
			/* "Content-Disposition: filename=x": no token. */
			p->v->flags |= MIMEPARAM_MALFORMED;
			*pos = 0;
			return 0;
		}
	}
	if ((tok = arena_alloc(p->a, end + 1)) == NULL)
		return -1;
	for (i = 0; i < end; ) {
		if (is_wsp(s[i])) {
			i++;
		} else if (s[i] == '(' && cfws_position(s, 0, i) &&
		    (e = comment_end(s, end, i, &p->dead)) != 0) {
			i = e;
		} else {
			/* A NUL or control would cut or bend the token. */
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
				p->v->flags |= MIMEPARAM_MALFORMED;
			tok[j++] = s[i++];
		}
	}
	tok[j] = '\0';
	lower(tok);
	p->v->token = tok;
	if (unterminated)
		p->v->flags |= MIMEPARAM_MALFORMED;
	*pos = end;
	return 0;
}

int
mimeparam_parse(struct arena *a, const char *raw, size_t len,
    struct mime_value *v)
{
	struct parser p;
	struct rawp *r;
	const char *s;
	char *val;
	size_t n, pos, end, k;
	bool unterminated = false;
	bool ew;

	memset(&p, 0, sizeof(p));
	p.a = a;
	p.v = v;
	p.tail = &p.first;
	p.ptail = &v->params;
	p.dead = SIZE_MAX;
	v->token = "";
	v->params = NULL;
	v->flags = 0;
	if (len > LIMIT_HEADER_BYTES_DEFAULT) {
		/* Over limits.header_bytes: the caller has raised the
		   limit finding; parse what fits, never more. */
		len = LIMIT_HEADER_BYTES_DEFAULT;
		v->flags |= MIMEPARAM_MALFORMED;
	}
	if ((s = unfold(a, raw, len, &n)) == NULL ||
	    first_token(&p, s, n, &pos) < 0)
		return -1;
	while (pos < n) {
		if (s[pos] == ';')
			pos++;
		end = find_semicolon(s, n, pos, &unterminated, &p.dead);
		k = pos;
		skip_cfws(s, end, pos, &k, &p.dead);
		if (k == end) {
			/* Empty segment: ";;" is flagged, one ';' at the
			   very end is too common to be worth a finding. */
			if (end < n)
				v->flags |= MIMEPARAM_MALFORMED;
		} else if (segment(&p, s, pos, end) < 0) {
			return -1;
		}
		pos = end;
	}
	if (unterminated)
		v->flags |= MIMEPARAM_MALFORMED;
	for (r = p.first; r != NULL; r = r->next) {
		if (r->done)
			continue;
		if (r->section >= 0) {
			if (continuation(&p, r) < 0)
				return -1;
			continue;
		}
		r->done = true;
		if (r->ext) {
			if (single_2231(&p, r) < 0)
				return -1;
		} else {
			val = decode_plain(&p, r->name, r->val, r->vlen, &ew);
			if (add_param(&p, r->name, val, false, ew) < 0)
				return -1;
		}
	}
	find_duplicates(v);
	return 0;
}

const char *
mimeparam_first(const struct mime_value *v, const char *name)
{
	const struct mime_param *mp;

	for (mp = v->params; mp != NULL; mp = mp->next)
		if (strcasecmp(mp->name, name) == 0)
			return mp->value;
	return NULL;
}

unsigned
mimeparam_count(const struct mime_value *v, const char *name)
{
	const struct mime_param *mp;
	unsigned n = 0;

	for (mp = v->params; mp != NULL; mp = mp->next)
		n += strcasecmp(mp->name, name) == 0;
	return n;
}
