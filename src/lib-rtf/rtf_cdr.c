/*
 * rtf_cdr - RTF CDR: tokenize, track groups, drop dangerous destinations.
 *
 * One pass over the input. Every group gets a frame that says whether
 * its tokens are copied (KEEP), dropped (DROP), dropped except for the
 * child that holds what Word displays (RESULT: \object and stripped
 * fields) or waiting to learn whether it is that child (PENDING).
 * A decision that comes late (a field instruction is judged when its
 * group ends) rewinds the output to a position saved in a frame; only
 * bytes of groups that are already closed lie past that position.
 *
 * Destination words count wherever they appear in a group, not only
 * first: Word switches destination mid-group, and a parser that looks
 * only at "{\object" is what malware authors test against.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rtf_cdr.h"
#include "sizeops.h"

/* Word reads control words up to 255 letters and \bin counts padded
   with up to 250 zeros (oletools rtfobj tests). Anything longer may be
   read differently by Word and by us, so it is refused. */
#define RTF_WORD_MAX	255
#define RTF_BIN_DIGITS	250
#define RTF_KW_MAX	24	/* field keyword buffer, NUL included */
#define RTF_CLASS_MAX	48	/* \objclass text kept for the report */
#define RTF_FINDINGS_MAX 32	/* findings per code before a summary */
#define RTF_HEX_LINE	64	/* \bin bytes per line when rewritten as hex */

enum rtf_mode { MODE_KEEP, MODE_DROP, MODE_RESULT, MODE_PENDING };
enum kw_state { KW_BEFORE, KW_IN, KW_DONE, KW_BAD };
enum rtf_code { C_OBJECT, C_TEMPLATE, C_DDE, C_COUNT };
enum tok_type { T_OPEN, T_CLOSE, T_WORD, T_SYM, T_TEXT };
enum word_kind {
	W_OTHER, W_OBJECT, W_OBJDATA, W_DATASTORE, W_TEMPLATE, W_MACRO,
	W_FIELD, W_FLDINST, W_PICT, W_UC, W_BIN,
};

#define FR_FIELD	0x01	/* \field seen in this group */
#define FR_FLDINST	0x02	/* \fldinst seen: group is an instruction */
#define FR_OBJECT	0x04	/* \object seen: group was stripped */
#define FR_PICT		0x08	/* inside \pict: \bin is picture data */
#define FR_OBJUPDATE	0x10	/* \objupdate / \objautlink in the object */

struct rtf_frame {
	size_t out_start;	/* output position of this group's '{' */
	size_t in_start;	/* input offset of '{' */
	size_t dest_cut;	/* FLDINST: output position before \fldinst */
	size_t dest_off;	/* input offset of \object or \fldinst */
	enum rtf_mode mode;
	unsigned flags;
	unsigned ntok;		/* tokens seen in this group */
	int uc;			/* \ucN: fallback chars after each \uN */
	int inst;		/* frame collecting instruction text, or -1 */
	int cls;		/* object frame collecting \objclass text, or -1 */
	bool emit_close;	/* the output holds this group's '{' */
	bool after_word;	/* '{' ended an undelimited control word */
	const char *act;	/* RESULT: word that makes a child kept */
	enum kw_state kw;
	unsigned kwlen;
	char kwbuf[RTF_KW_MAX];
	unsigned clslen;
	char clsbuf[RTF_CLASS_MAX];
};

struct rtf_state {
	struct cdr_ctx *ctx;
	struct report *r;
	const unsigned char *in;
	size_t len, pos;
	struct buffer *out;	/* NULL in inspect mode */
	size_t base;		/* out->used on entry */
	size_t opos;		/* output length (counted in inspect mode too) */
	struct rtf_frame *fr;
	unsigned depth, cap;
	size_t star_cut;	/* output position before a \* just copied */
	int uskip;		/* \uN fallback chars still to skip */
	bool word_open;		/* output ends with an undelimited word */
	unsigned counts[C_COUNT];
	bool failed;		/* internal failure: return -1 */
	bool blocked;		/* malformed or over a limit: stop */
};

struct rtf_tok {
	enum tok_type type;
	size_t start, end;	/* the token's input bytes, \bin data included */
	size_t bin_start;	/* W_BIN: the data is [bin_start, end) */
	const char *name;	/* T_WORD letters (not NUL-terminated) */
	size_t namelen;
	bool has_param;
	long param;		/* clamped to [-2^31, 2^31] */
	int sym;		/* T_SYM: the byte after the backslash */
	int hex;		/* T_SYM '\'': the byte it stands for */
};

static const char *const rtf_codes[C_COUNT] = {
	"rtf.object", "rtf.template", "rtf.dde",
};

static const struct {
	const char *name;
	enum word_kind kind;
} rtf_words[] = {
	{ "object", W_OBJECT },
	{ "objdata", W_OBJDATA },
	/* \datastore carries an OLE2 blob Word instantiates (used to
	   load COM objects for exploit chains): same as an object. */
	{ "datastore", W_DATASTORE },
	{ "template", W_TEMPLATE },
	/* Form field entry/exit macros name a macro Word runs when the
	   field is entered or left (from Normal.dotm or an add-in). */
	{ "ffentrymcr", W_MACRO },
	{ "ffexitmcr", W_MACRO },
	{ "field", W_FIELD },
	{ "fldinst", W_FLDINST },
	{ "pict", W_PICT },
	{ "uc", W_UC },
	{ "bin", W_BIN },
};

/* Field keywords that only show document data or jump inside it. */
static const char *const rtf_field_safe[] = {
	"=", "ADDRESSBLOCK", "ADVANCE", "ASK", "AUTHOR", "AUTONUM",
	"AUTONUMLGL", "AUTONUMOUT", "BARCODE", "BIBLIOGRAPHY", "BIDIOUTLINE",
	"CITATION", "COMMENTS", "COMPARE", "CREATEDATE", "DATE",
	"DISPLAYBARCODE", "DOCPROPERTY", "DOCVARIABLE", "EDITTIME", "EQ",
	"FILENAME", "FILESIZE", "FILLIN", "FORMCHECKBOX", "FORMDROPDOWN",
	"FORMTEXT", "GREETINGLINE", "HYPERLINK", "IF", "INDEX", "INFO",
	"KEYWORDS", "LASTSAVEDBY", "LISTNUM", "MERGEFIELD", "MERGEREC",
	"MERGESEQ", "NEXT", "NEXTIF", "NOTEREF", "NUMCHARS", "NUMPAGES",
	"NUMWORDS", "PAGE", "PAGEREF", "PRINTDATE", "PRIVATE", "QUOTE", "REF",
	"REVNUM", "SAVEDATE", "SECTION", "SECTIONPAGES", "SEQ", "SET",
	"SHAPE", "SKIPIF", "STYLEREF", "SUBJECT", "SYMBOL", "TA", "TC",
	"TEMPLATE", "TIME", "TITLE", "TOA", "TOC", "USERADDRESS",
	"USERINITIALS", "USERNAME", "XE",
};

/* Field keywords that pull content in from another file or program:
   reported as rtf.object. DDE, DDEAUTO, MACROBUTTON and anything not
   on either list (unknown, obfuscated, computed) are rtf.dde. */
static const char *const rtf_field_embed[] = {
	"DATABASE", "EMBED", "IMPORT", "INCLUDE", "INCLUDEPICTURE",
	"INCLUDETEXT", "LINK", "RD",
};

/* Control words that produce a character inside a field instruction;
   they end a keyword (so "PA\par GE" is not PAGE). */
static const char *const rtf_text_words[] = {
	"bullet", "cell", "emdash", "emspace", "endash", "enspace",
	"ldblquote", "line", "lquote", "page", "par", "qmspace", "rdblquote",
	"row", "rquote", "sect",
};

static bool
rtf_is_alpha(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
rtf_is_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

static int
rtf_hexval(unsigned c)
{
	if (rtf_is_digit(c))
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

/* Case-insensitive: Word's own case rules for these words are not
   documented, and removing too much is the safe side. */
static bool
rtf_word_is(const struct rtf_tok *t, const char *name)
{
	size_t n = strlen(name);

	return t->type == T_WORD && t->namelen == n &&
	    strncasecmp(t->name, name, n) == 0;
}

static enum word_kind
rtf_word_kind(const struct rtf_tok *t)
{
	size_t i;

	for (i = 0; i < sizeof(rtf_words) / sizeof(rtf_words[0]); i++) {
		if (rtf_word_is(t, rtf_words[i].name))
			return rtf_words[i].kind;
	}
	return W_OTHER;
}

static bool
rtf_in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcasecmp(s, list[i]) == 0)
			return true;
	}
	return false;
}

/* ---- findings ---- */

/* Record one removed element; past RTF_FINDINGS_MAX per code only count
   it, so a file with a million objects cannot exhaust the arena. */
static void
rtf_finding(struct rtf_state *st, enum rtf_code c, size_t off,
    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
rtf_finding(struct rtf_state *st, enum rtf_code c, size_t off,
    const char *fmt, ...)
{
	char loc[40], detail[160];
	va_list ap;

	if (st->counts[c]++ >= RTF_FINDINGS_MAX)
		return;
	snprintf(loc, sizeof(loc), "offset %zu", off);
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	report_add(st->r, rtf_codes[c], FINDING_REMOVED, loc, "%s", detail);
}

/* One summary finding per code whose individual findings were capped. */
static void
rtf_summaries(struct rtf_state *st)
{
	int c;

	for (c = 0; c < C_COUNT; c++) {
		if (st->counts[c] <= RTF_FINDINGS_MAX)
			continue;
		report_add(st->r, rtf_codes[c], FINDING_REMOVED, NULL,
		    "%u more removed, not listed one by one",
		    st->counts[c] - RTF_FINDINGS_MAX);
	}
}

/* Block the file; returns -1 so lexer callers can bail out in one line. */
static int
rtf_malformed(struct rtf_state *st, size_t off, const char *why)
{
	char loc[40];

	snprintf(loc, sizeof(loc), "offset %zu", off);
	report_add(st->r, "rtf.malformed", FINDING_BLOCKED, loc, "%s", why);
	st->blocked = true;
	return -1;
}

/* ---- output ---- */

static void
rtf_emit(struct rtf_state *st, const void *data, size_t len)
{
	if (st->failed)
		return;
	if (st->out != NULL && buffer_append(st->out, data, len) < 0) {
		report_set_error(st->r, "rtf: output over its limit or "
		    "out of memory");
		st->failed = true;
		return;
	}
	st->opos += len;
	st->word_open = false;
}

/* Copy a token. A control word copied without its delimiting space
   (next came '{', '\\' ...) is remembered: if what followed is removed,
   a space must stand in, or "\\b{\\*\\template x}1" would become
   "\\b1". */
static void
rtf_emit_tok(struct rtf_state *st, const struct rtf_tok *t)
{
	rtf_emit(st, st->in + t->start, t->end - t->start);
	st->word_open = t->type == T_WORD && st->in[t->end - 1] != ' ' &&
	    (t->bin_start == 0 || t->bin_start == t->end);
}

/* Forget everything written after output position pos. Rewinding
   forward would resurrect dropped bytes: a broken invariant, so the
   job fails rather than pass them. */
static void
rtf_rewind(struct rtf_state *st, size_t pos)
{
	if (pos > st->opos) {
		report_set_error(st->r, "rtf: internal error (rewind)");
		st->failed = true;
		return;
	}
	st->opos = pos;
	if (st->out != NULL && !st->failed) {
		st->out->used = st->base + pos;
		if (st->out->data != NULL)
			st->out->data[st->out->used] = '\0';
	}
}

/* ---- lexer ---- */

/* \binN: N raw bytes follow. Word reads a 32-bit count; a count we might
   read differently (negative, overflowing, absurdly padded, odd case)
   would let data hide from us and be parsed by Word, so it blocks. */
static int
rtf_lex_bin(struct rtf_state *st, struct rtf_tok *t, bool neg,
    size_t digits, uint64_t v)
{
	if (memcmp(t->name, "bin", 3) != 0)
		return rtf_malformed(st, t->start, "\\bin in unusual case");
	t->bin_start = t->end;
	if (digits == 0)
		return 0;
	if (neg || digits > RTF_BIN_DIGITS || v > INT32_MAX)
		return rtf_malformed(st, t->start, "\\bin with a bad count");
	if (v > st->len - t->end)
		return rtf_malformed(st, t->start,
		    "\\bin count past the end of the file");
	t->end += (size_t)v;
	return 0;
}

/* Control word: \letters, optional signed number, optional space. */
static int
rtf_lex_word(struct rtf_state *st, struct rtf_tok *t)
{
	const unsigned char *p = st->in;
	size_t i = t->start + 1, n = st->len, digits = 0;
	uint64_t v = 0;
	bool neg = false;

	while (i < n && rtf_is_alpha(p[i]))
		i++;
	t->type = T_WORD;
	t->name = (const char *)p + t->start + 1;
	t->namelen = i - t->start - 1;
	if (t->namelen > RTF_WORD_MAX)
		return rtf_malformed(st, t->start, "control word too long");
	if (i + 1 < n && p[i] == '-' && rtf_is_digit(p[i + 1])) {
		neg = true;
		i++;
	}
	for (; i < n && rtf_is_digit(p[i]); i++, digits++) {
		if (v <= (uint64_t)INT32_MAX + 1)
			v = v * 10 + (p[i] - '0');
	}
	t->has_param = digits > 0;
	t->param = (long)(v > (uint64_t)INT32_MAX + 1 ?
	    (uint64_t)INT32_MAX + 1 : v);
	if (neg)
		t->param = -t->param;
	if (i < n && p[i] == ' ')
		i++;
	t->end = i;
	if (t->namelen == 3 && strncasecmp(t->name, "bin", 3) == 0)
		return rtf_lex_bin(st, t, neg, digits, v);
	return 0;
}

/* Backslash: control word, \'hh, or a control symbol. */
static int
rtf_lex_escape(struct rtf_state *st, struct rtf_tok *t)
{
	const unsigned char *p = st->in;
	size_t i = t->start + 1;
	int hi, lo;

	if (i >= st->len)
		return rtf_malformed(st, t->start, "backslash at end of file");
	if (rtf_is_alpha(p[i]))
		return rtf_lex_word(st, t);
	t->type = T_SYM;
	t->sym = p[i];
	t->end = i + 1;
	if (p[i] != '\'')
		return 0;
	/* Readers disagree on how much a bad \' swallows (a brace?), so
	   only the well-formed escape is accepted. */
	if (i + 2 >= st->len || (hi = rtf_hexval(p[i + 1])) < 0 ||
	    (lo = rtf_hexval(p[i + 2])) < 0)
		return rtf_malformed(st, t->start,
		    "\\' not followed by two hex digits");
	t->hex = hi * 16 + lo;
	t->end = i + 3;
	return 0;
}

/* Next token at st->pos (which must be < len). -1 when malformed. */
static int
rtf_lex(struct rtf_state *st, struct rtf_tok *t)
{
	const unsigned char *p = st->in;
	size_t i = st->pos;

	memset(t, 0, sizeof(*t));
	t->start = i;
	if (p[i] == '{' || p[i] == '}') {
		t->type = p[i] == '{' ? T_OPEN : T_CLOSE;
		t->end = i + 1;
	} else if (p[i] == '\\') {
		if (rtf_lex_escape(st, t) < 0)
			return -1;
	} else {
		while (i < st->len && p[i] != '{' && p[i] != '}' &&
		    p[i] != '\\')
			i++;
		t->type = T_TEXT;
		t->end = i;
	}
	st->pos = t->end;
	return 0;
}

/* ---- field instructions ---- */

/* Feed one decoded character of an instruction to its keyword.
   The keyword is the first run of ASCII letters (or "="), and it must
   end with a blank, a switch or a quote: anything else makes it BAD,
   and a BAD instruction is removed. */
static void
rtf_kw_char(struct rtf_frame *g, unsigned c)
{
	switch (g->kw) {
	case KW_BEFORE:
		if (c == ' ' || c == '\t')
			return;
		if (c == '=' || rtf_is_alpha(c)) {
			g->kwbuf[g->kwlen++] = (char)c;
			g->kw = c == '=' ? KW_DONE : KW_IN;
		} else
			g->kw = KW_BAD;
		return;
	case KW_IN:
		if (rtf_is_alpha(c) && g->kwlen + 1 < RTF_KW_MAX)
			g->kwbuf[g->kwlen++] = (char)c;
		else if (c == ' ' || c == '\t' || c == '\\' || c == '"')
			g->kw = KW_DONE;
		else
			g->kw = KW_BAD;
		return;
	case KW_DONE:
	case KW_BAD:
		return;
	}
}

/* A character, unless it is \uN fallback text to be skipped. */
static void
rtf_kw_unit(struct rtf_state *st, struct rtf_frame *g, unsigned c)
{
	if (st->uskip > 0) {
		st->uskip--;
		return;
	}
	rtf_kw_char(g, c);
}

/* A group inside the instruction that is not plain text (a nested field,
   a \* destination) before the keyword is complete: the keyword may be
   computed (QUOTE tricks) or hidden, so it cannot be trusted. */
static void
rtf_kw_nested(struct rtf_frame *g)
{
	if (g->kw == KW_BEFORE || g->kw == KW_IN)
		g->kw = KW_BAD;
}

static void
rtf_kw_word(struct rtf_state *st, struct rtf_frame *g,
    const struct rtf_frame *f, const struct rtf_tok *t)
{
	unsigned c;

	if (rtf_word_is(t, "u") && t->has_param) {
		if (st->uskip > 0) {
			st->uskip--;
			return;
		}
		c = (unsigned)(t->param < 0 ? t->param + 65536 : t->param);
		rtf_kw_char(g, c);
		st->uskip = f->uc;
	} else if (rtf_word_is(t, "tab"))
		rtf_kw_unit(st, g, '\t');
	else {
		size_t i, n = sizeof(rtf_text_words) / sizeof(rtf_text_words[0]);

		for (i = 0; i < n; i++) {
			if (rtf_word_is(t, rtf_text_words[i])) {
				rtf_kw_unit(st, g, 0x100);
				return;
			}
		}
		if (st->uskip > 0)
			st->uskip--;
	}
}

/* Feed a token of an instruction group (or of a plain group inside it). */
static void
rtf_kw_token(struct rtf_state *st, struct rtf_frame *g,
    const struct rtf_frame *f, const struct rtf_tok *t)
{
	size_t i;

	switch (t->type) {
	case T_TEXT:
		for (i = t->start; i < t->end; i++) {
			/* Raw CR and LF are not text in RTF: "DDE\nAUTO"
			   is DDEAUTO to Word. */
			if (st->in[i] != '\r' && st->in[i] != '\n')
				rtf_kw_unit(st, g, st->in[i]);
		}
		return;
	case T_SYM:
		if (t->sym == '\'')
			rtf_kw_unit(st, g, (unsigned)t->hex);
		else if (t->sym == '\\' || t->sym == '{' || t->sym == '}')
			rtf_kw_unit(st, g, (unsigned)t->sym);
		else if (t->sym == '-' || t->sym == '*') {
			if (st->uskip > 0)
				st->uskip--;
		} else
			rtf_kw_unit(st, g, 0x100);
		return;
	case T_WORD:
		rtf_kw_word(st, g, f, t);
		return;
	case T_OPEN:
	case T_CLOSE:
		return;
	}
}

/* 0 when the instruction of g is harmless, else 1 and the code. */
static int
rtf_field_judge(struct rtf_frame *g, enum rtf_code *c)
{
	const char *kw = g->kwbuf;

	g->kwbuf[g->kwlen] = '\0';
	if (g->kw == KW_BEFORE)
		return 0;	/* empty instruction: nothing to run */
	*c = C_DDE;
	if (g->kw == KW_BAD)
		return 1;
	if (rtf_in_list(kw, rtf_field_safe,
	    sizeof(rtf_field_safe) / sizeof(rtf_field_safe[0])))
		return 0;
	if (rtf_in_list(kw, rtf_field_embed,
	    sizeof(rtf_field_embed) / sizeof(rtf_field_embed[0])))
		*c = C_OBJECT;
	return 1;
}

/* ---- groups ---- */

static int
rtf_push(struct rtf_state *st, size_t in_off)
{
	unsigned limit = st->ctx->limits->rtf_depth, ncap;
	struct rtf_frame *f, *parent, *nfr;
	size_t bytes;

	if (st->depth >= limit) {
		char loc[40];

		snprintf(loc, sizeof(loc), "offset %zu", in_off);
		report_add(st->r, "limit.rtf_depth", FINDING_BLOCKED, loc,
		    "groups nested deeper than %u", limit);
		st->blocked = true;
		return -1;
	}
	if (st->depth == st->cap) {
		ncap = st->cap == 0 ? 64 : st->cap * 2;
		if (ncap > limit || ncap < st->cap)
			ncap = limit;
		if (size_mul(ncap, sizeof(*nfr), &bytes) < 0 ||
		    (nfr = realloc(st->fr, bytes)) == NULL) {
			report_set_error(st->r, "rtf: out of memory");
			st->failed = true;
			return -1;
		}
		st->fr = nfr;
		st->cap = ncap;
	}
	f = &st->fr[st->depth];
	parent = st->depth > 0 ? &st->fr[st->depth - 1] : NULL;
	memset(f, 0, sizeof(*f));
	f->in_start = in_off;
	f->out_start = st->opos;
	f->inst = -1;
	f->cls = -1;
	f->uc = 1;
	f->mode = MODE_KEEP;
	if (parent != NULL) {
		static const enum rtf_mode child[] = {
			[MODE_KEEP] = MODE_KEEP, [MODE_DROP] = MODE_DROP,
			[MODE_RESULT] = MODE_PENDING, [MODE_PENDING] = MODE_DROP,
		};

		f->mode = child[parent->mode];
		f->uc = parent->uc;
		f->flags = parent->flags & FR_PICT;
		if (parent->mode == MODE_KEEP)
			f->inst = parent->inst;
	}
	st->depth++;
	if (f->mode == MODE_KEEP) {
		f->after_word = st->word_open;
		rtf_emit(st, "{", 1);
		f->emit_close = true;
	}
	return 0;
}

/* Take a group out of the output entirely, '{' included. */
static void
rtf_swallow(struct rtf_state *st, struct rtf_frame *f)
{
	rtf_rewind(st, f->out_start);
	f->emit_close = false;
	if (f->after_word)
		rtf_emit(st, " ", 1);
	f->out_start = st->opos;
}

/* Stop copying the current group from this token on (or from the \*
   just before it); a group left with nothing of ours goes entirely. */
static void
rtf_cut(struct rtf_state *st, struct rtf_frame *f, size_t star,
    enum rtf_mode mode)
{
	size_t cut = star != SIZE_MAX ? star : st->opos;

	if (f->emit_close && f != st->fr && cut == f->out_start + 1)
		rtf_swallow(st, f);
	else
		rtf_rewind(st, cut);
	f->mode = mode;
}

static void
rtf_report_object(struct rtf_state *st, const struct rtf_frame *f)
{
	const char *cls = f->clsbuf;
	bool eq = strncasecmp(cls, "Equation", 8) == 0;

	rtf_finding(st, C_OBJECT, f->dest_off, "\\object%s%s%s%s%s",
	    cls[0] != '\0' ? " class " : "", cls,
	    eq ? " (Equation Editor, CVE-2017-11882)" : "",
	    (f->flags & FR_OBJUPDATE) ? ", updates itself on open" : "",
	    f->emit_close ? ", displayed result kept" : "");
}

/* Close an instruction group whose keyword is not harmless: the whole
   field becomes a plain group holding only its \fldrslt, or (no field
   around it) the instruction alone goes. */
static void
rtf_strip_fldinst(struct rtf_state *st, struct rtf_frame *f,
    enum rtf_code c)
{
	struct rtf_frame *field = st->depth >= 3 ? f - 1 : NULL;

	f->kwbuf[f->kwlen] = '\0';
	rtf_finding(st, c, f->dest_off, "field instruction %s%s",
	    f->kw == KW_BAD ? "obfuscated or computed" : f->kwbuf,
	    c == C_OBJECT ? " (pulls in outside content)" : "");
	if (field != NULL && (field->flags & FR_FIELD) &&
	    field->mode == MODE_KEEP && !(f->flags & FR_FIELD)) {
		rtf_rewind(st, field->out_start);
		rtf_emit(st, "{", 1);
		field->emit_close = true;
		/* Its own instruction text, if any, went with the rewind. */
		field->flags &= ~FR_FLDINST;
		field->mode = MODE_RESULT;
		field->act = "fldrslt";
	} else if (f != st->fr && f->dest_cut == f->out_start + 1)
		rtf_swallow(st, f);
	else {
		rtf_rewind(st, f->dest_cut);
		rtf_emit(st, "}", 1);
	}
	st->depth--;
}

static void
rtf_pop(struct rtf_state *st)
{
	struct rtf_frame *f = &st->fr[st->depth - 1];
	enum rtf_code c;

	st->uskip = 0;
	if (f->flags & FR_OBJECT)
		rtf_report_object(st, f);
	if ((f->flags & FR_FLDINST) && f->emit_close &&
	    rtf_field_judge(f, &c)) {
		rtf_strip_fldinst(st, f, c);
		return;
	}
	if (f->mode != MODE_KEEP && f->emit_close && f != st->fr &&
	    st->opos == f->out_start + 1)
		rtf_swallow(st, f);
	if (f->emit_close)
		rtf_emit(st, "}", 1);
	st->depth--;
}

/* ---- tokens by mode ---- */

/* \bin data copied into the output. Data holding RTF syntax bytes is
   where readers may disagree (some skip it, some parse it), so inside a
   picture it becomes the equivalent hex, elsewhere it blocks. */
static void
rtf_keep_bin(struct rtf_state *st, struct rtf_frame *f,
    const struct rtf_tok *t)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *d = st->in + t->bin_start;
	size_t n = t->end - t->bin_start, i;
	char pair[2];

	if (f->inst >= 0)
		st->fr[f->inst].kw = st->fr[f->inst].kw == KW_DONE ?
		    KW_DONE : KW_BAD;
	if (memchr(d, '{', n) == NULL && memchr(d, '}', n) == NULL &&
	    memchr(d, '\\', n) == NULL) {
		rtf_emit_tok(st, t);
		return;
	}
	if (!(f->flags & FR_PICT)) {
		rtf_malformed(st, t->start,
		    "\\bin data with RTF syntax bytes outside a picture");
		return;
	}
	rtf_emit(st, " ", 1);
	for (i = 0; i < n && !st->failed; i++) {
		pair[0] = hex[d[i] >> 4];
		pair[1] = hex[d[i] & 15];
		rtf_emit(st, pair, 2);
		if ((i + 1) % RTF_HEX_LINE == 0)
			rtf_emit(st, "\r\n", 2);
	}
}

/* A control word in a copied group; true when it was consumed. */
static bool
rtf_keep_word(struct rtf_state *st, struct rtf_frame *f,
    const struct rtf_tok *t, size_t star)
{
	switch (rtf_word_kind(t)) {
	case W_OBJECT:
		f->flags |= FR_OBJECT;
		f->dest_off = t->start;
		f->act = "result";
		rtf_cut(st, f, star, MODE_RESULT);
		return true;
	case W_OBJDATA:
	case W_DATASTORE:
		rtf_finding(st, C_OBJECT, t->start, "\\%.*s outside an object",
		    (int)t->namelen, t->name);
		rtf_cut(st, f, star, MODE_DROP);
		return true;
	case W_TEMPLATE:
		rtf_finding(st, C_TEMPLATE, t->start, "attached template");
		rtf_cut(st, f, star, MODE_DROP);
		return true;
	case W_MACRO:
		rtf_finding(st, C_DDE, t->start, "form field macro \\%.*s",
		    (int)t->namelen, t->name);
		rtf_cut(st, f, star, MODE_DROP);
		return true;
	case W_FIELD:
		f->flags |= FR_FIELD;
		if (f->inst >= 0)
			rtf_kw_nested(&st->fr[f->inst]);
		f->inst = -1;
		return false;
	case W_FLDINST:
		/* A second \fldinst in the group continues the first
		   instruction: the text before it is part of what Word runs. */
		if (f->flags & FR_FLDINST)
			return false;
		f->flags |= FR_FLDINST;
		f->dest_cut = star != SIZE_MAX ? star : st->opos;
		f->dest_off = t->start;
		f->inst = (int)(f - st->fr);
		f->kw = KW_BEFORE;
		f->kwlen = 0;
		return false;
	case W_PICT:
		f->flags |= FR_PICT;
		return false;
	case W_UC:
		if (t->has_param)
			f->uc = t->param < 0 ? 0 : t->param > 64 ? 64 :
			    (int)t->param;
		return false;
	case W_BIN:
		rtf_keep_bin(st, f, t);
		return true;
	case W_OTHER:
		return false;
	}
	return false;
}

static void
rtf_keep_token(struct rtf_state *st, struct rtf_frame *f,
    const struct rtf_tok *t, size_t star)
{
	if (t->type == T_WORD && rtf_keep_word(st, f, t, star))
		return;
	if (t->type == T_SYM && t->sym == '*' && f->ntok == 1 &&
	    f->inst >= 0) {
		rtf_kw_nested(&st->fr[f->inst]);
		f->inst = -1;
	}
	if (f->inst >= 0)
		rtf_kw_token(st, &st->fr[f->inst], f, t);
	if (t->type == T_SYM && t->sym == '*')
		st->star_cut = st->opos;
	rtf_emit_tok(st, t);
}

/* A child of a stripped object or field: kept from its \result or
   \fldrslt word on (the word itself is left out, so the output holds no
   object or field for a second pass to find). */
static void
rtf_pending_token(struct rtf_state *st, struct rtf_frame *f,
    const struct rtf_tok *t)
{
	struct rtf_frame *parent = f - 1;
	size_t i;

	if (t->type == T_WORD && rtf_word_is(t, parent->act)) {
		if (!parent->emit_close) {
			parent->out_start = st->opos;
			rtf_emit(st, "{", 1);
			parent->emit_close = true;
		}
		f->out_start = st->opos;
		rtf_emit(st, "{", 1);
		f->emit_close = true;
		f->mode = MODE_KEEP;
		f->cls = -1;
		return;
	}
	if ((parent->flags & FR_OBJECT) && rtf_word_is(t, "objclass")) {
		f->cls = (int)(parent - st->fr);
		return;
	}
	if (t->type != T_TEXT || f->cls < 0)
		return;
	parent = &st->fr[f->cls];
	for (i = t->start; i < t->end; i++) {
		unsigned char b = st->in[i];

		if (b == '\r' || b == '\n' || parent->clslen + 1 >= RTF_CLASS_MAX)
			continue;
		parent->clsbuf[parent->clslen++] =
		    b >= 0x20 && b < 0x7f ? (char)b : '?';
	}
}

static void
rtf_token(struct rtf_state *st, const struct rtf_tok *t)
{
	struct rtf_frame *f = &st->fr[st->depth - 1];
	size_t star = st->star_cut;

	st->star_cut = SIZE_MAX;
	f->ntok++;
	switch (f->mode) {
	case MODE_KEEP:
		rtf_keep_token(st, f, t, star);
		break;
	case MODE_PENDING:
		rtf_pending_token(st, f, t);
		break;
	case MODE_RESULT:
		if (rtf_word_is(t, "objupdate") || rtf_word_is(t, "objautlink"))
			f->flags |= FR_OBJUPDATE;
		break;
	case MODE_DROP:
		break;
	}
}

/* ---- document ---- */

/* The first word: "{\rtf1" is copied, any other "{\rt..." header Word
   would open is rewritten so every reader agrees it is RTF. */
static void
rtf_header(struct rtf_state *st, const struct rtf_tok *t)
{
	if (t->namelen == 3 && memcmp(t->name, "rtf", 3) == 0 &&
	    t->param == 1 && t->end - t->start <= 6 &&
	    st->in[t->start + 4] == '1') {
		rtf_emit_tok(st, t);
		return;
	}
	rtf_emit(st, "\\rtf1", 5);
	if (st->in[t->end - 1] == ' ')
		rtf_emit(st, " ", 1);
	else
		st->word_open = true;
}

/* After the document's last brace only blanks, NULs and ^Z may follow:
   anything else is data no reader shows, a classic hiding place. */
static void
rtf_trailer(struct rtf_state *st)
{
	size_t i;

	for (i = st->pos; i < st->len; i++) {
		unsigned char b = st->in[i];

		if (b != ' ' && b != '\t' && b != '\r' && b != '\n' &&
		    b != '\0' && b != 0x1a) {
			rtf_malformed(st, i, "data after the end of the document");
			return;
		}
	}
	rtf_emit(st, st->in + st->pos, st->len - st->pos);
}

static void
rtf_run(struct rtf_state *st)
{
	struct rtf_tok t;

	/* "{\rt" was checked at st->pos: '{', then a word. */
	if (rtf_push(st, st->pos++) < 0 || rtf_lex(st, &t) < 0)
		return;
	rtf_header(st, &t);
	while (st->depth > 0 && !st->blocked && !st->failed) {
		if (st->pos >= st->len) {
			rtf_malformed(st, st->len, "unbalanced groups: "
			    "file ends inside a group");
			return;
		}
		if (rtf_lex(st, &t) < 0)
			return;
		if (t.type == T_OPEN) {
			st->star_cut = SIZE_MAX;
			st->uskip = 0;
			st->fr[st->depth - 1].ntok++;
			rtf_push(st, t.start);
		} else if (t.type == T_CLOSE) {
			st->star_cut = SIZE_MAX;
			rtf_pop(st);
		} else
			rtf_token(st, &t);
	}
	if (!st->blocked && !st->failed)
		rtf_trailer(st);
}

/* One tokenizer pass over in; out may be NULL (count only). Same
   returns as rtf_cdr(). */
static int
rtf_pass(struct cdr_ctx *ctx, struct report *r, const unsigned char *in,
    size_t len, struct buffer *out)
{
	struct rtf_state st;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.r = r;
	st.in = in;
	st.len = len;
	st.out = out;
	st.base = st.out != NULL ? st.out->used : 0;
	st.star_cut = SIZE_MAX;
	/* Word skips a UTF-8 BOM (so does the detector); the output starts
	   with "{\\rtf1" and has none. */
	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		st.pos = 3;
	if (len - st.pos < 4 || memcmp(in + st.pos, "{\\rt", 4) != 0)
		rtf_malformed(&st, 0, "does not start with {\\rt");
	else
		rtf_run(&st);
	free(st.fr);
	if (st.failed)
		return -1;
	rtf_summaries(&st);
	if (st.blocked)
		rtf_rewind(&st, 0);
	return 0;
}

/* Copy the findings of a later pass into the job's report. */
static void
rtf_merge(struct report *r, const struct report *from)
{
	const struct report_finding *f;

	for (f = from->findings; f != NULL; f = f->next)
		report_add(r, f->code, f->action, f->location,
		    f->detail != NULL ? "%s" : NULL, f->detail);
	if (from->error != NULL)
		report_set_error(r, "%s", from->error);
}

/*
 * Removing a group can make what was around it dangerous in a new way:
 * a field instruction that held only an object is a bare word once the
 * object is gone, and Word reads the result as it is. So the passes
 * repeat on their own output until one removes nothing (then its output
 * equals its input, which makes sanitizing idempotent), at most
 * RTF_MAX_PASSES times; a file that keeps changing is blocked. Inspect
 * mode runs the same passes so that it reports the same findings.
 */
#define RTF_MAX_PASSES 4

int
rtf_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	struct buffer cur, next;
	struct report *more;
	int pass, ret;

	buffer_init(&cur, ctx->limits->output_size);
	ret = rtf_pass(ctx, r, in, len, &cur);
	for (pass = 1; ret == 0 && report_verdict(r) == VERDICT_SANITIZED;
	    pass++) {
		more = report_new(ctx->arena, NULL);
		if (more == NULL) {
			report_set_error(r, "out of job memory");
			ret = -1;
			break;
		}
		if (pass == RTF_MAX_PASSES) {
			report_add(r, "rtf.malformed", FINDING_BLOCKED, NULL,
			    "still changing after %d passes", pass);
			break;
		}
		buffer_init(&next, ctx->limits->output_size);
		ret = rtf_pass(ctx, more, cur.data, cur.used, &next);
		rtf_merge(r, more);
		if (more->findings == NULL) {
			buffer_free(&next);
			break;
		}
		buffer_free(&cur);
		cur = next;
	}
	if (ret == 0 && !ctx->inspect && !report_has_action(r,
	    FINDING_BLOCKED) && buffer_append(out, cur.data, cur.used) < 0) {
		report_add(r, "limit.output_size", FINDING_BLOCKED, NULL,
		    "rebuilt RTF over limits.output_size");
		report_set_error(r, "output over limits.output_size");
		ret = -1;
	}
	buffer_free(&cur);
	return ret;
}
