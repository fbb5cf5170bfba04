/*
 * htmltext - HTML mail to readable, inert text (see htmltext.h for the
 * shape and the findings).
 *
 * Two layers. The walker visits gumbo's tree depth first with an
 * explicit stack and decides what each element means (a paragraph, a
 * list item, a hidden block, a link...). The emitter turns that into
 * lines: it collapses whitespace, keeps line and blank-line requests
 * pending until text comes (so empty elements add nothing), writes the
 * prefixes of quotes and lists at each line start, and holds the text
 * of the current line in a "run" that goes through textlinks_rewrite()
 * whole, so a URL is found however the markup cut it into pieces.
 * Generated text (link targets, separators, markers) is written
 * outside runs, always after a space or at a line start, so it can
 * neither hide a URL nor form one with the text around it.
 */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gumbo.h>

#include "defang.h"
#include "gmem.h"
#include "htmltext.h"
#include "sizeops.h"
#include "url_check.h"

#define HR_LINE "----------------------------------------"


/* ---------------------------------------------------------------- */
/* characters                                                        */

/* Decode one UTF-8 sequence; invalid bytes read as U+FFFD, length 1. */
static size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *cp_r)
{
	uint32_t cp, min;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp_r = s[0];
		return 1;
	}
	*cp_r = 0xfffd;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else
		return 1;
	if (n < len)
		return 1;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 1;
	*cp_r = cp;
	return len;
}

/* East Asian wide and full-width characters: a line break in the
   source between two of them is not a space (CSS Text 3). */
static bool
cp_wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) ||
	    (cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
}

/* Controls that never reach the text (tab and LF are whitespace). */
static bool
cp_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

static bool
ascii_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == '\f';
}

/* ---------------------------------------------------------------- */
/* emitter                                                           */

/* A line prefix: quote marks, list markers and indents, heading marks.
   first is written on the first line that has text, rest after. */
struct prefix {
	char first[24];
	char rest[4];
	bool used;
};

struct emit {
	struct buffer *out;
	size_t base; /* out->used when we started */
	enum link_policy links;
	struct buffer run; /* text of the line not yet scanned for URLs */
	struct prefix *pfx;
	size_t npfx, pfx_cap, pfx_max;
	size_t line_start; /* offset in out of the current line */
	size_t content_start; /* ... and of its text, after the prefix */
	size_t last_content_end; /* after the LF of the last non-blank line */
	bool line_open; /* prefix written, line not ended */
	bool inline_started; /* the line has text */
	unsigned pend_break; /* 1 = line break, 2 = blank line */
	bool pend_space, pend_nl, pend_sep;
	/* Text right after a link target: 1 = a letter or digit gets a
	   space first (looks), 2 = any URL character does (a mailto:
	   target must not take in the "…@x" that follows it). */
	unsigned guard;
	uint32_t last_cp;
	unsigned blank_in_row;
	unsigned long content; /* visible writes so far */
	unsigned long flushes; /* runs flushed so far */
	unsigned links_found; /* URLs found in text runs */
	int err; /* 0, EFBIG (over the output limit), ENOMEM */
};

static void
emit_fail(struct emit *e)
{
	if (e->err == 0)
		e->err = errno == EFBIG ? EFBIG : ENOMEM;
}

static void
out_put(struct emit *e, const void *s, size_t n)
{
	if (e->err == 0 && buffer_append(e->out, s, n) < 0)
		emit_fail(e);
}

static void
out_str(struct emit *e, const char *s)
{
	out_put(e, s, strlen(s));
}

static void
run_put(struct emit *e, const void *s, size_t n)
{
	if (e->err == 0 && buffer_append(&e->run, s, n) < 0)
		emit_fail(e);
}

/* Cut out back to offset at (which is within this call's output). */
static void
out_truncate(struct emit *e, size_t at)
{
	if (at < e->out->used) {
		e->out->used = at;
		e->out->data[at] = '\0';
	}
}

/* The line's text so far, with every URL rewritten per the policy. */
static void
flush_run(struct emit *e)
{
	unsigned n = 0;

	if (e->run.used == 0 || e->err != 0)
		return;
	if (textlinks_rewrite((const char *)e->run.data, e->run.used, e->links,
		e->out, &n) < 0)
		emit_fail(e);
	e->links_found += n;
	e->flushes++;
	buffer_reset(&e->run);
}

/* Start a line with the prefixes; a blank line shows no list marker. */
static void
begin_line(struct emit *e, bool blank)
{
	size_t i;

	e->line_start = e->out->used;
	for (i = 0; i < e->npfx; i++) {
		if (blank || e->pfx[i].used)
			out_str(e, e->pfx[i].rest);
		else {
			out_str(e, e->pfx[i].first);
			e->pfx[i].used = true;
		}
	}
	e->content_start = e->out->used;
	e->line_open = true;
	e->inline_started = false;
}

/* End the line: no trailing blanks, and a blank line only when the
   previous line was not blank (nor the start of the text). */
static void
end_line(struct emit *e)
{
	unsigned char *d;
	size_t n;

	flush_run(e);
	if (e->err != 0)
		return;
	d = e->out->data;
	n = e->out->used;
	while (n > e->line_start && (d[n - 1] == ' ' || d[n - 1] == '\t'))
		n--;
	out_truncate(e, n);
	if (n <= e->content_start) {
		if (e->blank_in_row >= 1)
			out_truncate(e, e->line_start);
		else {
			out_put(e, "\n", 1);
			e->blank_in_row++;
		}
	} else {
		out_put(e, "\n", 1);
		e->blank_in_row = 0;
		e->last_content_end = e->out->used;
	}
	e->line_open = e->inline_started = false;
	e->pend_space = e->pend_nl = e->pend_sep = false;
	e->guard = 0;
	e->last_cp = 0;
}

/* Write the pending line breaks. */
static void
materialize(struct emit *e)
{
	unsigned n = e->pend_break;

	e->pend_break = 0;
	if (n == 0)
		return;
	if (e->line_open) {
		end_line(e);
		n--;
	}
	while (n-- > 0) {
		begin_line(e, true);
		end_line(e);
	}
}

static void
emit_break(struct emit *e, unsigned n)
{
	if (e->pend_break < n)
		e->pend_break = n;
}

/* <br>: ends the line, or makes an empty one. */
static void
emit_br(struct emit *e)
{
	if (e->pend_break < 2)
		e->pend_break++;
}

/* Resolve pending breaks and cell separators now, so that what comes
   next starts a fresh run (anchors compare their text with it). */
static void
emit_settle(struct emit *e)
{
	materialize(e);
	if (e->pend_sep && e->inline_started) {
		flush_run(e);
		out_str(e, " | ");
		e->pend_space = false;
		e->last_cp = 0;
	}
	e->pend_sep = false;
}

/* A character that may continue a URL in text (see defang.h). */
static bool
url_char(uint32_t c)
{
	return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"' &&
	    c != '\'' && c != '`';
}

/* Before visible content cp: breaks, prefix, separator or space. */
static void
begin_visible(struct emit *e, uint32_t cp)
{
	emit_settle(e);
	if (!e->line_open)
		begin_line(e, false);
	if ((e->pend_space && e->inline_started &&
		!(e->pend_nl && cp_wide(e->last_cp) && cp_wide(cp))) ||
	    (e->guard == 2 && url_char(cp)) ||
	    (e->guard == 1 && cp < 0x80 && isalnum((int)cp)))
		run_put(e, " ", 1);
	e->guard = 0;
	e->pend_space = e->pend_nl = false;
	e->inline_started = true;
	e->content++;
}

/* Generated text (marker, link target): outside the run, after a
   space unless at the line start. */
static void
emit_gen(struct emit *e, const char *s, size_t n, bool space_before)
{
	if (space_before)
		e->pend_space = true;
	begin_visible(e, 0);
	flush_run(e);
	out_put(e, s, n);
	e->last_cp = 0;
}

/* Text from the document. pre keeps spaces and breaks; in a table cell
   &nbsp; is layout filler and collapses like a space. */
static void
emit_text(struct emit *e, const char *text, size_t len, bool pre, bool cell)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, j, n;
	uint32_t cp, first;

	while (i < len && e->err == 0) {
		n = utf8_next(s + i, len - i, &cp);
		if ((cp_control(cp) && !ascii_space(cp)) ||
		    (pre && cp == '\f')) {
			i += n;
			continue;
		}
		if (cp == 0xa0 && (cell || pre))
			cp = ' ';
		if (pre && (cp == '\n' || cp == '\r')) {
			if (cp == '\n')
				emit_br(e);
			i += n;
			continue;
		}
		if (!pre && ascii_space(cp)) {
			if (e->inline_started) {
				e->pend_space = true;
				if (cp == '\n' || cp == '\r')
					e->pend_nl = true;
			}
			i += n;
			continue;
		}
		if (cp == 0xa0 || cp == ' ' || cp == '\t') {
			/* A space that does not collapse. */
			begin_visible(e, ' ');
			run_put(e, cp == '\t' ? "\t" : " ", 1);
			e->last_cp = ' ';
			i += n;
			continue;
		}
		/* A word: everything up to the next space or control. */
		first = cp;
		for (j = i + n;; j += n) {
			if (j >= len)
				break;
			n = utf8_next(s + j, len - j, &cp);
			if (cp_control(cp) || cp == 0xa0 || cp == ' ')
				break;
		}
		begin_visible(e, first);
		/* The bytes are valid UTF-8 except where utf8_next() said
		   U+FFFD for a bad byte: write that replacement instead. */
		{
			size_t k = i, m;
			uint32_t c;

			while (k < j) {
				m = utf8_next(s + k, j - k, &c);
				if (c == 0xfffd && m == 1 && s[k] >= 0x80)
					run_put(e, "\xef\xbf\xbd", 3);
				else
					run_put(e, s + k, m);
				e->last_cp = c;
				k += m;
			}
		}
		i = j;
	}
}

/* Push a prefix; the pending breaks are written first, with the outer
   prefixes, so a quote or list starts after the blank line, not in it. */
static bool
push_prefix(struct emit *e, const char *first, const char *rest)
{
	struct prefix *p;

	materialize(e);
	if (e->npfx == e->pfx_cap) {
		size_t cap = e->pfx_cap == 0 ? 16 : e->pfx_cap * 2, bytes;

		if (cap > e->pfx_max)
			cap = e->pfx_max;
		if (cap <= e->npfx || size_mul(cap, sizeof(*p), &bytes) < 0 ||
		    (p = realloc(e->pfx, bytes)) == NULL) {
			e->err = ENOMEM;
			return false;
		}
		e->pfx = p;
		e->pfx_cap = cap;
	}
	p = &e->pfx[e->npfx++];
	snprintf(p->first, sizeof(p->first), "%s", first);
	snprintf(p->rest, sizeof(p->rest), "%s", rest);
	p->used = false;
	return true;
}

static void
pop_prefix(struct emit *e)
{
	if (e->npfx > 0)
		e->npfx--;
}

/* End of the text: last line ended, trailing blank lines cut. */
static void
emit_finish(struct emit *e)
{
	if (e->line_open)
		end_line(e);
	if (e->err == 0)
		out_truncate(e, e->last_content_end);
}

/* ---------------------------------------------------------------- */
/* CSS in style attributes and <style>                               */

/* Next declaration of a declaration list: name and value lower-cased,
   comments and !important dropped, blanks collapsed. Values longer than
   the buffer are cut, which only matters for values we do not read. */
static bool
decl_next(const char **pp, const char *end, char *name, size_t nsize, char *val,
    size_t vsize)
{
	const char *p = *pp;
	size_t nn = 0, vn = 0;
	bool in_val = false, space = false;
	char c;

	while (p < end) {
		nn = vn = 0;
		in_val = space = false;
		for (; p < end && *p != ';'; p++) {
			c = *p;
			if (c == '/' && p + 1 < end && p[1] == '*') {
				const char *q = p + 2;

				while (q + 1 < end &&
				    !(q[0] == '*' && q[1] == '/'))
					q++;
				p = q + 1 < end ? q + 1 : end - 1;
				space = true;
				continue;
			}
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (!in_val && c == ':') {
				in_val = true;
				space = false;
				continue;
			}
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
			    c == '\f') {
				space = true;
				continue;
			}
			if (in_val) {
				if (space && vn > 0 && vn + 1 < vsize)
					val[vn++] = ' ';
				if (vn + 1 < vsize)
					val[vn++] = c;
			} else if (nn + 1 < nsize)
				name[nn++] = c;
			space = false;
		}
		if (p < end)
			p++;
		name[nn] = val[vn] = '\0';
		if (!in_val || nn == 0)
			continue;
		{
			char *imp = strstr(val, "!important");

			if (imp != NULL) {
				while (imp > val && imp[-1] == ' ')
					imp--;
				*imp = '\0';
			}
		}
		*pp = p;
		return true;
	}
	*pp = p;
	return false;
}

/* A CSS length: its number, and whether it has one. unit_r gets what
   follows the number ("px", "", "%"...). */
static bool
css_number(const char *v, double *num_r, const char **unit_r)
{
	char *endp;
	double d;

	if (!((*v >= '0' && *v <= '9') || *v == '.' || *v == '-' || *v == '+'))
		return false;
	d = strtod(v, &endp);
	if (endp == v)
		return false;
	*num_r = d;
	*unit_r = endp;
	return true;
}

/* A length of zero (0, 0px, 0%, 0em...). */
static bool
css_zero(const char *v)
{
	const char *unit;
	double d;

	return css_number(v, &d, &unit) && d == 0 &&
	    (unit[0] == '\0' || (unit[0] >= 'a' && unit[0] <= 'z') ||
		unit[0] == '%');
}

/* The declarations that hide an element with all it holds. */
static bool
decl_hides(const char *name, const char *val)
{
	const char *unit;
	double d;

	if (strcmp(name, "display") == 0)
		return strcmp(val, "none") == 0;
	if (strcmp(name, "visibility") == 0)
		return strcmp(val, "hidden") == 0 ||
		    strcmp(val, "collapse") == 0;
	if (strcmp(name, "mso-hide") == 0)
		return strcmp(val, "all") == 0;
	if (strcmp(name, "opacity") == 0)
		return css_number(val, &d, &unit) &&
		    (unit[0] == '%' ? d < 10 : d < 0.1);
	if (strcmp(name, "width") == 0 || strcmp(name, "height") == 0 ||
	    strcmp(name, "max-width") == 0 || strcmp(name, "max-height") == 0)
		return css_zero(val);
	return false;
}

/* What an element's style does to the visibility of its text. */
enum tri {
	T_INHERIT,
	T_VISIBLE,
	T_INVISIBLE,
};

/* font-size: 1px/1pt or less, or 0 in any unit, hides the text; an
   absolute size above that shows it again; relative sizes of a hidden
   size stay hidden. */
static enum tri
font_size_tri(const char *v)
{
	const char *unit;
	double d;

	if (!css_number(v, &d, &unit))
		return v[0] >= 'a' && v[0] <= 'z' && strcmp(v, "inherit") != 0
		    ? T_VISIBLE
		    : T_INHERIT;
	if (d <= 0)
		return T_INVISIBLE;
	if (strcmp(unit, "px") == 0 || strcmp(unit, "pt") == 0 ||
	    unit[0] == '\0')
		return d <= 1 ? T_INVISIBLE : T_VISIBLE;
	if (strcmp(unit, "rem") == 0 || strcmp(unit, "pc") == 0 ||
	    strcmp(unit, "mm") == 0 || strcmp(unit, "cm") == 0 ||
	    strcmp(unit, "in") == 0 || strcmp(unit, "q") == 0)
		return T_VISIBLE;
	return T_INHERIT;
}

/* color: transparent, or rgba()/hsla() with alpha 0, hides the text. */
static enum tri
color_tri(const char *v)
{
	const char *comma, *unit;
	double d;

	if (strcmp(v, "transparent") == 0)
		return T_INVISIBLE;
	if ((strncmp(v, "rgba(", 5) == 0 || strncmp(v, "hsla(", 5) == 0) &&
	    (comma = strrchr(v, ',')) != NULL) {
		comma++;
		while (*comma == ' ')
			comma++;
		if (css_number(comma, &d, &unit) && d == 0)
			return T_INVISIBLE;
	}
	if (strcmp(v, "inherit") == 0 || strcmp(v, "currentcolor") == 0)
		return T_INHERIT;
	return T_VISIBLE;
}

/* ---------------------------------------------------------------- */
/* walker                                                            */

enum act {
	A_NONE,
	A_BLOCK, /* brk line breaks before and after */
	A_HEADING,
	A_PRE,
	A_QUOTE,
	A_LIST,
	A_ITEM, /* li, dd: prefix */
	A_TABLE,
	A_ROW,
	A_CELL,
	A_LINK,
	A_RT,
};

struct frame {
	GumboNode *node;
	unsigned next; /* next child to visit */
	uint8_t act;
	uint8_t brk; /* breaks for A_BLOCK and lists */
	bool quiet; /* in head: nothing is shown */
	bool tiny_font, clear_color; /* inherited text invisibility */
	bool invis_counted;
	bool prefix; /* pushed a prefix */
	bool layout; /* row: holds a nested table */
	bool ruby_rp; /* ruby: has <rp> of its own */
	bool rt_paren; /* rt: wrapped in （） */
	int32_t invis_origin; /* frame where the text became invisible */
	int32_t row, cell; /* nearest tr and td/th frames, or -1 */
	unsigned list_depth;
	unsigned cells; /* row: cells seen */
	long ol_next; /* ol: number of the next item */
	bool ol_rev;
	unsigned long content_at; /* row, cell, link: emitter content count
				     when it started */
	unsigned long imgs_at; /* link: images shown before it */
	size_t run_at; /* link: run offset where its text starts */
	unsigned long flushes_at; /* link: e.flushes then */
	const char *href; /* link */
};

struct scan_frame {
	const GumboNode *node;
	unsigned next;
};

#define HIDDEN_SEL_MAX 256
#define HIDDEN_SEL_LEN 64

struct walk {
	struct emit e;
	const struct htmltext_opts *o;
	struct report *r;
	struct frame *st;
	size_t cap, max_frames;
	struct scan_frame *scan;
	struct buffer tmp; /* a link target */
	unsigned pre;
	unsigned long imgs; /* images shown, for links */
	bool stop;
	/* what was dropped, for mail.html */
	unsigned scripts, styles, frames, forms, controls, media, foreign,
	    noscripts, bad_links, metas;
	/* mail.remote_image */
	unsigned remote_imgs, data_imgs, tracking, css_imgs;
	unsigned hidden, links;
	/* ".class" and "#id" hidden by a <style> */
	char (*hsel)[HIDDEN_SEL_LEN];
	size_t nhsel;
};

static const char *
attr(const GumboNode *n, const char *name)
{
	const GumboAttribute *a;

	a = gumbo_get_attribute(&n->v.element.attributes, name);
	return a != NULL ? a->value : NULL;
}

static bool
is_tag(const GumboNode *n, GumboTag tag)
{
	return (n->type == GUMBO_NODE_ELEMENT ||
		   n->type == GUMBO_NODE_TEMPLATE) &&
	    n->v.element.tag == tag &&
	    n->v.element.tag_namespace == GUMBO_NAMESPACE_HTML;
}

static const GumboVector *
children(const GumboNode *n)
{
	return n->type == GUMBO_NODE_DOCUMENT ? &n->v.document.children
					      : &n->v.element.children;
}

/* Text that shows something (not only blanks or &nbsp;). */
static bool
text_visible(const char *s)
{
	for (; *s != '\0'; s++) {
		if (ascii_space((unsigned char)*s))
			continue;
		if ((unsigned char)s[0] == 0xc2 &&
		    (unsigned char)s[1] == 0xa0) {
			s++;
			continue;
		}
		return true;
	}
	return false;
}

/* Whether a dropped element held text a reader would have seen had it
   been shown. Iterative, on its own stack; deeper than the limit counts
   as text. Subtrees are disjoint, so this adds linear time at most. */
static bool
subtree_has_text(struct walk *w, const GumboNode *root)
{
	size_t sp = 0, bytes;
	const GumboVector *c;
	const GumboNode *child;

	if (w->scan == NULL) {
		if (size_mul(w->max_frames, sizeof(*w->scan), &bytes) < 0 ||
		    (w->scan = malloc(bytes)) == NULL)
			return true;
	}
	w->scan[0].node = root;
	w->scan[0].next = 0;
	for (;;) {
		c = children(w->scan[sp].node);
		if (w->scan[sp].next >= c->length) {
			if (sp-- == 0)
				return false;
			continue;
		}
		child = (const GumboNode *)c->data[w->scan[sp].next++];
		switch (child->type) {
		case GUMBO_NODE_TEXT:
		case GUMBO_NODE_CDATA:
			if (text_visible(child->v.text.text))
				return true;
			break;
		case GUMBO_NODE_ELEMENT:
		case GUMBO_NODE_TEMPLATE:
			if (is_tag(child, GUMBO_TAG_SCRIPT) ||
			    is_tag(child, GUMBO_TAG_STYLE))
				break;
			if (sp + 1 >= w->max_frames)
				return true;
			sp++;
			w->scan[sp].node = child;
			w->scan[sp].next = 0;
			break;
		default:
			break;
		}
	}
}

/* Record sel (".name" or "#name") as hidden by a style sheet. */
static void
hsel_add(struct walk *w, const char *sel, size_t n)
{
	size_t i;

	if (n + 1 > HIDDEN_SEL_LEN || n < 2)
		return;
	if (w->hsel == NULL &&
	    (w->hsel = calloc(HIDDEN_SEL_MAX, sizeof(*w->hsel))) == NULL)
		return;
	if (w->nhsel >= HIDDEN_SEL_MAX)
		return;
	for (i = 0; i < n; i++) {
		char c = sel[i];

		w->hsel[w->nhsel][i] =
		    c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	w->hsel[w->nhsel][n] = '\0';
	w->nhsel++;
}

/* A selector we apply: [tag] then one .class or #id, nothing else. */
static void
hsel_selector(struct walk *w, const char *s, size_t n)
{
	size_t i = 0, j;

	while (n > 0 && ascii_space((unsigned char)s[n - 1]))
		n--;
	while (i < n && ascii_space((unsigned char)s[i]))
		i++;
	while (i < n &&
	    (s[i] == '*' || (s[i] >= 'a' && s[i] <= 'z') ||
		(s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i >= n || (s[i] != '.' && s[i] != '#'))
		return;
	for (j = i + 1; j < n; j++) {
		char c = s[j];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_'))
			return;
	}
	hsel_add(w, s + i, n - i);
}

/* Read a style sheet for top-level rules that hide a class or an id.
   At-rules (@media, @font-face...) are skipped with their blocks. */
static void
hsel_sheet(struct walk *w, const char *css, size_t len)
{
	const char *p = css, *end = css + len, *sel, *body, *q;
	char name[32], val[64];
	unsigned depth;
	bool hides;

	while (p < end) {
		if (ascii_space((unsigned char)*p) || *p == '}') {
			p++;
			continue;
		}
		if (p + 1 < end && p[0] == '/' && p[1] == '*') {
			q = p + 2;
			while (q + 1 < end && !(q[0] == '*' && q[1] == '/'))
				q++;
			p = q + 1 < end ? q + 2 : end;
			continue;
		}
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			p += 4;
			continue;
		}
		if (end - p >= 3 && memcmp(p, "-->", 3) == 0) {
			p += 3;
			continue;
		}
		sel = p;
		while (p < end && *p != '{' && !(*sel == '@' && *p == ';'))
			p++;
		if (p >= end)
			return;
		if (*p == ';') {
			p++;
			continue;
		}
		body = ++p;
		for (depth = 1; p < end; p++) {
			if (*p == '{')
				depth++;
			else if (*p == '}' && --depth == 0)
				break;
		}
		if (*sel == '@')
			continue;
		hides = false;
		q = body;
		while (decl_next(&q, p, name, sizeof(name), val, sizeof(val)))
			hides |= strcmp(name, "display") == 0 ||
				strcmp(name, "visibility") == 0 ||
				strcmp(name, "mso-hide") == 0
			    ? decl_hides(name, val)
			    : false;
		if (hides) {
			const char *s0 = sel, *s1;

			for (s1 = sel; s1 <= body - 1; s1++) {
				if (s1 == body - 1 || *s1 == ',') {
					hsel_selector(w, s0, (size_t)(s1 - s0));
					s0 = s1 + 1;
				}
			}
		}
		if (p < end)
			p++;
	}
}

/* True when a class of n or its id was hidden by a style sheet. */
static bool
hsel_match(const struct walk *w, const GumboNode *n)
{
	const char *cls = attr(n, "class"), *id = attr(n, "id"), *p;
	char tok[HIDDEN_SEL_LEN];
	size_t i, k;

	unsigned ntok = 0;

	if (w->nhsel == 0)
		return false;
	/* The first classes only: a page that hides text behind its
	   hundredth class gets that text shown, which is harmless, while
	   checking them all would cost classes x selectors per element. */
	for (p = cls; p != NULL && *p != '\0' && ntok++ < 32;) {
		while (ascii_space((unsigned char)*p))
			p++;
		tok[0] = '.';
		for (k = 1; *p != '\0' && !ascii_space((unsigned char)*p);
		     p++) {
			if (k + 1 < sizeof(tok))
				tok[k++] = *p >= 'A' && *p <= 'Z'
				    ? (char)(*p - 'A' + 'a')
				    : *p;
		}
		tok[k] = '\0';
		for (i = 0; k > 1 && i < w->nhsel; i++) {
			if (strcmp(w->hsel[i], tok) == 0)
				return true;
		}
	}
	if (id != NULL && id[0] != '\0') {
		snprintf(tok, sizeof(tok), "#%s", id);
		for (k = 1; tok[k] != '\0'; k++) {
			if (tok[k] >= 'A' && tok[k] <= 'Z')
				tok[k] = (char)(tok[k] - 'A' + 'a');
		}
		for (i = 0; i < w->nhsel; i++) {
			if (strcmp(w->hsel[i], tok) == 0)
				return true;
		}
	}
	return false;
}

/* What the style attribute says. */
struct style_info {
	bool hides;
	bool display_set; /* display other than none */
	bool margin0; /* margin (top and bottom) zero */
	enum tri font, color;
	int px_w, px_h; /* width/height in px, -1 unknown */
	bool external; /* url() etc. */
};

static void
style_read(const char *style, struct style_info *si)
{
	char name[32], val[64];
	const char *p = style, *end, *unit;
	bool top0 = false, bottom0 = false;
	double d;

	memset(si, 0, sizeof(*si));
	si->px_w = si->px_h = -1;
	if (style == NULL)
		return;
	end = style + strlen(style);
	while (decl_next(&p, end, name, sizeof(name), val, sizeof(val))) {
		if (decl_hides(name, val))
			si->hides = true;
		if (strcmp(name, "display") == 0 && strcmp(val, "none") != 0)
			si->display_set = true;
		if (strcmp(name, "font-size") == 0)
			si->font = font_size_tri(val);
		if (strcmp(name, "color") == 0)
			si->color = color_tri(val);
		if (strcmp(name, "margin") == 0) {
			/* "0", "0 0", "0px auto 0": top and bottom zero. */
			char *sp2 = strchr(val, ' ');

			top0 = bottom0 = css_zero(val);
			if (sp2 != NULL) {
				char *third = strchr(sp2 + 1, ' ');

				if (third != NULL)
					bottom0 = css_zero(third + 1);
			}
		}
		if (strcmp(name, "margin-top") == 0)
			top0 = css_zero(val);
		if (strcmp(name, "margin-bottom") == 0)
			bottom0 = css_zero(val);
		if ((strcmp(name, "width") == 0 ||
			strcmp(name, "height") == 0) &&
		    css_number(val, &d, &unit) &&
		    (unit[0] == '\0' || strcmp(unit, "px") == 0)) {
			int v = d < 0 ? 0 : d > 100000 ? 100000 : (int)d;

			if (name[0] == 'w')
				si->px_w = v;
			else
				si->px_h = v;
		}
	}
	si->margin0 = top0 && bottom0;
	/* url(), @import, image-set(): a fetch when the mail is shown. */
	si->external = css_check(style, strlen(style)) != CSS_OK;
}

/* A number attribute (width="1"), -1 when absent or not a number. */
static int
attr_int(const GumboNode *n, const char *name)
{
	const char *v = attr(n, name);
	char *endp;
	long l;

	if (v == NULL)
		return -1;
	while (ascii_space((unsigned char)*v))
		v++;
	l = strtol(v, &endp, 10);
	if (endp == v)
		return -1;
	return l < 0 ? 0 : l > 100000 ? 100000 : (int)l;
}

/* Kinds of image source. */
enum img_src {
	IMG_NONE,
	IMG_CID,
	IMG_REMOTE,
	IMG_DATA,
};

static enum img_src
img_src_kind(const char *src)
{
	char scheme[16];

	if (src == NULL)
		return IMG_NONE;
	switch (url_classify(src, scheme, sizeof(scheme))) {
	case URL_FRAGMENT:
	case URL_RELATIVE:
		return IMG_NONE;
	case URL_DATA:
		return IMG_DATA;
	case URL_OTHER:
		if (strcmp(scheme, "cid") == 0)
			return IMG_CID;
		return IMG_REMOTE;
	default:
		return IMG_REMOTE;
	}
}

/* Is the element hidden with all it holds? */
static bool
elem_hidden(
    const struct walk *w, const GumboNode *n, const struct style_info *si)
{
	if (n->type == GUMBO_NODE_TEMPLATE || is_tag(n, GUMBO_TAG_TEMPLATE))
		return true;
	if (attr(n, "hidden") != NULL || si->hides)
		return true;
	return !si->display_set && hsel_match(w, n);
}

/* An <img>: counted, and shown as "[image: alt]" when it has alt text
   (a cid: image as "[image]" without). */
static void
do_img(struct walk *w, const struct frame *f, const GumboNode *n,
    const struct style_info *si, bool hidden)
{
	enum img_src k = img_src_kind(attr(n, "src"));
	const char *alt = attr(n, "alt"), *srcset = attr(n, "srcset");
	int aw = attr_int(n, "width"), ah = attr_int(n, "height");
	bool pixel;

	if (k == IMG_NONE && srcset != NULL && text_visible(srcset))
		k = IMG_REMOTE;
	pixel = hidden || (aw >= 0 && aw <= 1) || (ah >= 0 && ah <= 1) ||
	    (si->px_w >= 0 && si->px_w <= 1) ||
	    (si->px_h >= 0 && si->px_h <= 1);
	if (k == IMG_REMOTE || k == IMG_DATA) {
		if (k == IMG_REMOTE)
			w->remote_imgs++;
		else
			w->data_imgs++;
		if (pixel)
			w->tracking++;
	}
	if (f->quiet || pixel)
		return;
	if (alt != NULL && text_visible(alt)) {
		emit_gen(&w->e, "[image: ", 8, true);
		emit_text(&w->e, alt, strlen(alt), false, false);
		emit_gen(&w->e, "]", 1, false);
	} else if (k == IMG_CID)
		emit_gen(&w->e, "[image]", 7, true);
	else
		return;
	w->e.pend_space = true;
	w->imgs++;
}

/* Compare link text and target: the same URL (give or take a final
   slash, or mailto: before an address)? */
static bool
same_url(const char *text, size_t tn, const char *href)
{
	size_t hn;

	while (*href != '\0' && ascii_space((unsigned char)*href))
		href++;
	hn = strlen(href);
	while (hn > 0 && ascii_space((unsigned char)href[hn - 1]))
		hn--;
	while (tn > 0 && ascii_space((unsigned char)text[tn - 1]))
		tn--;
	if (tn == 0)
		return false;
	if (hn == tn && memcmp(text, href, tn) == 0)
		return true;
	if (hn == tn + 1 && href[tn] == '/' && memcmp(text, href, tn) == 0)
		return true;
	if (hn == tn + 7 && strncasecmp(href, "mailto:", 7) == 0 &&
	    memcmp(text, href + 7, tn) == 0)
		return true;
	return false;
}

/* End of an <a href>: the target shown per the policy. */
static void
link_end(struct walk *w, struct frame *f)
{
	struct emit *e = &w->e;
	bool shown, pend;
	size_t at;
	int ret;

	if (f->quiet || f->href == NULL)
		return;
	buffer_reset(&w->tmp);
	ret = defang_url(f->href, strlen(f->href), e->links, &w->tmp);
	if (ret < 0) {
		emit_fail(e);
		return;
	}
	if (ret == DEFANG_NOT_LINK)
		return;
	if (ret == DEFANG_BLOCKED) {
		w->bad_links++;
		return;
	}
	shown = e->content > f->content_at || w->imgs > f->imgs_at;
	if (!shown)
		return;
	w->links++;
	pend = e->pend_space;
	e->pend_space = false;
	/* The text is the target: show it once, rewritten, in its place
	   (the run still holds it when no line or marker came between). */
	at = f->run_at;
	while (at < e->run.used && e->run.data[at] == ' ')
		at++;
	if (e->flushes == f->flushes_at && e->run.used > at &&
	    same_url(
		(const char *)e->run.data + at, e->run.used - at, f->href)) {
		e->run.used = at;
		e->run.data[at] = '\0';
		if (at > 0 && url_char(e->run.data[at - 1]))
			run_put(e, " ", 1);
		flush_run(e);
		if (e->links == LINKS_REMOVE)
			out_str(e, DEFANG_REMOVED_MARKER);
		else
			out_put(e, w->tmp.data, w->tmp.used);
		/* "…jp" then "ie@e" would make one address again. */
		e->guard =
		    w->tmp.used >= 7 && memcmp(w->tmp.data, "mailto:", 7) == 0
		    ? 2
		    : 1;
	} else if (e->links != LINKS_REMOVE) {
		emit_gen(e, "<", 1, true);
		out_put(e, w->tmp.data, w->tmp.used);
		out_put(e, ">", 1);
		e->guard = 1;
	}
	e->last_cp = 0;
	e->pend_space = pend;
}

/* Report a limit (blocked); the walk stops. */
static void
walk_limit(struct walk *w, const char *code, const char *what,
    unsigned long long limit)
{
	report_add(w->r, code, FINDING_BLOCKED, w->o->location,
	    "HTML %s over the limit of %llu", what, limit);
	w->stop = true;
}

/* A break request from inside a table cell of a plain (data) row is
   dropped while the cell has no text yet: Outlook puts every cell's
   text in a <p>, and the row must stay one line. */
static void
walk_break(struct walk *w, const struct frame *f, unsigned n)
{
	if (f->cell >= 0) {
		const struct frame *cell = &w->st[f->cell];

		if (cell->row >= 0 && !w->st[cell->row].layout &&
		    w->e.content == cell->content_at)
			return;
	}
	emit_break(&w->e, n);
}

/* The element's own number for an ol item. */
static void
item_marker(struct walk *w, struct frame *parent, const GumboNode *n, char *buf,
    size_t size)
{
	const char *v;
	long num;

	if (!is_tag(parent->node, GUMBO_TAG_OL)) {
		snprintf(buf, size, "- ");
		return;
	}
	if ((v = attr(n, "value")) != NULL) {
		char *endp;
		long l = strtol(v, &endp, 10);

		if (endp != v)
			parent->ol_next = l;
	}
	num = parent->ol_next;
	if (num > 999999999 || num < -999999999)
		num = num > 0 ? 999999999 : -999999999;
	parent->ol_next = parent->ol_rev ? num - 1 : num + 1;
	snprintf(buf, size, "%ld. ", num);
	(void)w;
}

/* An ol's first number: start, or the item count when reversed. */
static void
list_start(struct frame *f, const GumboNode *n)
{
	const char *v = attr(n, "start");
	const GumboVector *c = children(n);
	unsigned i;
	long items = 0;

	f->ol_rev = attr(n, "reversed") != NULL;
	if (f->ol_rev) {
		for (i = 0; i < c->length; i++)
			items +=
			    is_tag((const GumboNode *)c->data[i], GUMBO_TAG_LI);
	}
	f->ol_next = f->ol_rev ? items : 1;
	if (v != NULL) {
		char *endp;
		long l = strtol(v, &endp, 10);

		if (endp != v)
			f->ol_next = l;
	}
}

/* Elements dropped with their content; the counter to bump or NULL. */
static bool
dropped(struct walk *w, const GumboNode *n, unsigned **counter_r)
{
	*counter_r = NULL;
	if (n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) {
		*counter_r = &w->foreign;
		return true;
	}
	switch (n->v.element.tag) {
	case GUMBO_TAG_SCRIPT:
		*counter_r = &w->scripts;
		return true;
	case GUMBO_TAG_STYLE:
	case GUMBO_TAG_LINK:
		*counter_r = &w->styles;
		return true;
	case GUMBO_TAG_NOSCRIPT:
		*counter_r = &w->noscripts;
		return true;
	case GUMBO_TAG_IFRAME:
	case GUMBO_TAG_FRAME:
	case GUMBO_TAG_FRAMESET:
	case GUMBO_TAG_OBJECT:
	case GUMBO_TAG_EMBED:
	case GUMBO_TAG_APPLET:
		*counter_r = &w->frames;
		return true;
	case GUMBO_TAG_AUDIO:
	case GUMBO_TAG_VIDEO:
	case GUMBO_TAG_CANVAS:
	case GUMBO_TAG_BGSOUND:
		*counter_r = &w->media;
		return true;
	case GUMBO_TAG_INPUT:
	case GUMBO_TAG_BUTTON:
	case GUMBO_TAG_SELECT:
	case GUMBO_TAG_TEXTAREA:
	case GUMBO_TAG_KEYGEN:
	case GUMBO_TAG_ISINDEX:
	case GUMBO_TAG_DATALIST:
	case GUMBO_TAG_OPTION:
	case GUMBO_TAG_OPTGROUP:
	case GUMBO_TAG_MENUITEM:
		*counter_r = &w->controls;
		return true;
	case GUMBO_TAG_META:
	case GUMBO_TAG_BASE:
		*counter_r = &w->metas;
		return true;
	case GUMBO_TAG_TITLE:
	case GUMBO_TAG_NOFRAMES:
	case GUMBO_TAG_NOEMBED:
	case GUMBO_TAG_PARAM:
	case GUMBO_TAG_SOURCE:
	case GUMBO_TAG_TRACK:
	case GUMBO_TAG_MAP:
	case GUMBO_TAG_AREA:
		return true;
	default:
		return false;
	}
}

/* The text of a <style>: read for hidden classes and url(). */
static void
style_sheet(struct walk *w, const GumboNode *n)
{
	const GumboVector *c = children(n);
	const char *t;
	unsigned i;

	for (i = 0; i < c->length; i++) {
		const GumboNode *tn = c->data[i];

		if (tn->type != GUMBO_NODE_TEXT &&
		    tn->type != GUMBO_NODE_WHITESPACE)
			continue;
		t = tn->v.text.text;
		hsel_sheet(w, t, strlen(t));
		if (css_check(t, strlen(t)) != CSS_OK)
			w->css_imgs++;
	}
}

/* Enter child element n of frame sp: decide, emit, maybe push a frame
   for it (returns true then). */
static bool
walk_enter(struct walk *w, size_t sp, GumboNode *n)
{
	struct frame *f = &w->st[sp], *c;
	struct emit *e = &w->e;
	struct style_info si;
	unsigned *counter;
	GumboTag tag = n->v.element.tag;
	char marker[24];
	bool hidden;
	size_t bytes;

	if (n->type != GUMBO_NODE_TEMPLATE && dropped(w, n, &counter)) {
		if (counter != NULL)
			(*counter)++;
		if (is_tag(n, GUMBO_TAG_STYLE))
			style_sheet(w, n);
		return false;
	}
	style_read(attr(n, "style"), &si);
	hidden = !f->quiet && elem_hidden(w, n, &si);
	if (!f->quiet &&
	    (si.external || img_src_kind(attr(n, "background")) == IMG_REMOTE))
		w->css_imgs++;
	if (is_tag(n, GUMBO_TAG_IMG)) {
		do_img(w, f, n, &si, hidden);
		return false;
	}
	if (hidden) {
		if (subtree_has_text(w, n))
			w->hidden++;
		return false;
	}
	if (n->type == GUMBO_NODE_ELEMENT && !f->quiet) {
		switch (tag) {
		case GUMBO_TAG_BR:
			emit_br(e);
			return false;
		case GUMBO_TAG_HR:
			walk_break(w, f, 2);
			emit_gen(e, HR_LINE, sizeof(HR_LINE) - 1, false);
			emit_break(e, 2);
			return false;
		default:
			break;
		}
	}
	if (sp + 1 >= w->max_frames) {
		walk_limit(
		    w, "limit.xml_depth", "element nesting", w->max_frames - 1);
		return false;
	}
	if (sp + 1 >= w->cap) {
		size_t cap = w->cap * 2;
		struct frame *st;

		if (cap > w->max_frames)
			cap = w->max_frames;
		if (size_mul(cap, sizeof(*st), &bytes) < 0 ||
		    (st = realloc(w->st, bytes)) == NULL) {
			e->err = ENOMEM;
			w->stop = true;
			return false;
		}
		w->st = st;
		w->cap = cap;
		f = &w->st[sp];
	}
	c = &w->st[sp + 1];
	memset(c, 0, sizeof(*c));
	c->node = n;
	c->quiet = f->quiet || is_tag(n, GUMBO_TAG_HEAD);
	c->row = f->row;
	c->cell = f->cell;
	c->list_depth = f->list_depth;
	c->tiny_font = f->tiny_font;
	c->clear_color = f->clear_color;
	c->invis_origin = f->invis_origin;
	c->invis_counted = false;
	if (si.font != T_INHERIT)
		c->tiny_font = si.font == T_INVISIBLE;
	if (si.color != T_INHERIT)
		c->clear_color = si.color == T_INVISIBLE;
	if ((c->tiny_font || c->clear_color) &&
	    !(f->tiny_font || f->clear_color))
		c->invis_origin = (int32_t)(sp + 1);
	if (c->quiet || n->type == GUMBO_NODE_TEMPLATE ||
	    n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML)
		return true;
	switch (tag) {
	case GUMBO_TAG_H1:
	case GUMBO_TAG_H2:
	case GUMBO_TAG_H3:
	case GUMBO_TAG_H4:
	case GUMBO_TAG_H5:
	case GUMBO_TAG_H6:
		c->act = A_HEADING;
		walk_break(w, f, 2);
		if (tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2)
			c->prefix = push_prefix(
			    e, tag == GUMBO_TAG_H1 ? "■ " : "□ ", "");
		break;
	case GUMBO_TAG_P:
		c->act = A_BLOCK;
		{
			const char *cls = attr(n, "class");

			c->brk = si.margin0 ||
				(cls != NULL && strcasestr(cls, "msonormal"))
			    ? 1
			    : 2;
		}
		walk_break(w, f, c->brk);
		break;
	case GUMBO_TAG_PRE:
	case GUMBO_TAG_LISTING:
	case GUMBO_TAG_XMP:
	case GUMBO_TAG_PLAINTEXT:
		c->act = A_PRE;
		walk_break(w, f, 2);
		w->pre++;
		break;
	case GUMBO_TAG_BLOCKQUOTE:
		c->act = A_QUOTE;
		walk_break(w, f, 2);
		c->prefix = push_prefix(e, "> ", "> ");
		break;
	case GUMBO_TAG_UL:
	case GUMBO_TAG_OL:
	case GUMBO_TAG_MENU:
	case GUMBO_TAG_DIR:
	case GUMBO_TAG_DL:
		c->act = A_LIST;
		c->brk = f->list_depth > 0 ? 1 : 2;
		c->list_depth++;
		walk_break(w, f, c->brk);
		if (tag == GUMBO_TAG_OL)
			list_start(c, n);
		break;
	case GUMBO_TAG_LI:
		c->act = A_ITEM;
		walk_break(w, f, 1);
		item_marker(w, f, n, marker, sizeof(marker));
		c->prefix = push_prefix(e, marker, "  ");
		break;
	case GUMBO_TAG_DD:
		c->act = A_ITEM;
		walk_break(w, f, 1);
		c->prefix = push_prefix(e, "  ", "  ");
		break;
	case GUMBO_TAG_TABLE:
		c->act = A_TABLE;
		if (f->row >= 0)
			w->st[f->row].layout = true;
		walk_break(w, f, 2);
		c->row = c->cell = -1;
		break;
	case GUMBO_TAG_TR:
		c->act = A_ROW;
		emit_break(e, 1);
		c->row = (int32_t)(sp + 1);
		c->cell = -1;
		c->content_at = e->content;
		break;
	case GUMBO_TAG_TD:
	case GUMBO_TAG_TH:
		c->act = A_CELL;
		if (f->row >= 0) {
			struct frame *row = &w->st[f->row];

			if (row->layout)
				emit_break(e, 1);
			else if (row->cells > 0 &&
			    e->content > row->content_at) {
				/* Breaks after the previous cell's text
				   give way to the separator. */
				e->pend_break = 0;
				e->pend_sep = true;
			}
			row->cells++;
		}
		c->cell = (int32_t)(sp + 1);
		c->content_at = e->content;
		break;
	case GUMBO_TAG_A:
		c->act = A_LINK;
		c->href = attr(n, "href");
		if (c->href != NULL) {
			emit_settle(e);
			c->run_at = e->run.used;
			c->flushes_at = e->flushes;
			c->content_at = e->content;
			c->imgs_at = w->imgs;
		}
		break;
	case GUMBO_TAG_RUBY: {
		const GumboVector *ch = children(n);
		unsigned i;

		for (i = 0; i < ch->length; i++)
			c->ruby_rp |= is_tag(
			    (const GumboNode *)ch->data[i], GUMBO_TAG_RP);
	} break;
	case GUMBO_TAG_RT:
		if (is_tag(f->node, GUMBO_TAG_RUBY) && !f->ruby_rp &&
		    !c->tiny_font && !c->clear_color) {
			c->act = A_RT;
			c->rt_paren = true;
			emit_text(e, "（", strlen("（"), false, false);
		}
		break;
	case GUMBO_TAG_DIV:
	case GUMBO_TAG_SECTION:
	case GUMBO_TAG_ARTICLE:
	case GUMBO_TAG_HEADER:
	case GUMBO_TAG_FOOTER:
	case GUMBO_TAG_NAV:
	case GUMBO_TAG_ASIDE:
	case GUMBO_TAG_MAIN:
	case GUMBO_TAG_ADDRESS:
	case GUMBO_TAG_FIGURE:
	case GUMBO_TAG_FIGCAPTION:
	case GUMBO_TAG_CENTER:
	case GUMBO_TAG_DETAILS:
	case GUMBO_TAG_SUMMARY:
	case GUMBO_TAG_FIELDSET:
	case GUMBO_TAG_LEGEND:
	case GUMBO_TAG_HGROUP:
	case GUMBO_TAG_CAPTION:
	case GUMBO_TAG_DT:
	case GUMBO_TAG_FORM:
		c->act = A_BLOCK;
		c->brk = 1;
		if (tag == GUMBO_TAG_FORM)
			w->forms++;
		walk_break(w, f, 1);
		break;
	default:
		break;
	}
	return true;
}

/* Leave frame f (its children are done). */
static void
walk_leave(struct walk *w, struct frame *f)
{
	struct emit *e = &w->e;

	if (f->prefix)
		pop_prefix(e);
	switch (f->act) {
	case A_BLOCK:
	case A_LIST:
		walk_break(w, f, f->brk);
		break;
	case A_HEADING:
	case A_QUOTE:
	case A_TABLE:
		emit_break(e, 2);
		break;
	case A_PRE:
		if (w->pre > 0)
			w->pre--;
		emit_break(e, 2);
		break;
	case A_ITEM:
		emit_break(e, 1);
		break;
	case A_ROW:
		/* One row, one line: a blank line asked for by the last
		   cell's paragraph does not split the table. */
		if (!f->layout)
			e->pend_break = 1;
		else
			emit_break(e, 1);
		break;
	case A_LINK:
		link_end(w, f);
		break;
	case A_RT:
		if (f->rt_paren)
			emit_text(e, "）", strlen("）"), false, false);
		break;
	default:
		break;
	}
}

/* A text node under frame f. */
static void
walk_text(struct walk *w, struct frame *f, const GumboNode *n)
{
	const char *t = n->v.text.text;

	if (f->quiet)
		return;
	if (f->tiny_font || f->clear_color) {
		if (f->invis_origin > 0 && text_visible(t) &&
		    !w->st[f->invis_origin].invis_counted) {
			w->st[f->invis_origin].invis_counted = true;
			w->hidden++;
		}
		return;
	}
	emit_text(&w->e, t, strlen(t), w->pre > 0, f->cell >= 0);
}

/* Visit the tree depth first, without recursion. */
static void
walk_tree(struct walk *w, GumboNode *root)
{
	const GumboVector *c;
	struct frame *f;
	GumboNode *child;
	size_t sp = 0;

	memset(&w->st[0], 0, sizeof(w->st[0]));
	w->st[0].node = root;
	w->st[0].row = w->st[0].cell = -1;
	for (;;) {
		if (w->stop || w->e.err != 0)
			return;
		f = &w->st[sp];
		c = children(f->node);
		if (f->next >= c->length) {
			walk_leave(w, f);
			if (sp-- == 0)
				return;
			continue;
		}
		child = (GumboNode *)c->data[f->next++];
		switch (child->type) {
		case GUMBO_NODE_ELEMENT:
		case GUMBO_NODE_TEMPLATE:
			if (walk_enter(w, sp, child))
				sp++;
			break;
		case GUMBO_NODE_TEXT:
		case GUMBO_NODE_WHITESPACE:
		case GUMBO_NODE_CDATA:
			walk_text(w, f, child);
			break;
		default:
			/* Comments, conditional comments included. */
			break;
		}
	}
}

/* ---------------------------------------------------------------- */
/* findings                                                          */

struct detail {
	char buf[512];
	size_t n;
	unsigned items;
};

static void
detail_add(struct detail *d, unsigned count, const char *one, const char *many)
{
	int k;

	if (count == 0 || d->n >= sizeof(d->buf))
		return;
	k = snprintf(d->buf + d->n, sizeof(d->buf) - d->n, "%s%u %s",
	    d->items > 0 ? ", " : "", count, count == 1 ? one : many);
	if (k > 0)
		d->n += (size_t)k;
	d->items++;
}

static void
walk_report(struct walk *w)
{
	struct detail d;
	const char *loc = w->o->location;
	unsigned links = w->links + w->e.links_found;

	memset(&d, 0, sizeof(d));
	detail_add(&d, w->scripts, "script", "scripts");
	detail_add(&d, w->styles, "style sheet", "style sheets");
	detail_add(&d, w->frames, "frame or object", "frames or objects");
	detail_add(&d, w->forms, "form", "forms");
	detail_add(&d, w->controls, "form control", "form controls");
	detail_add(&d, w->media, "audio/video/canvas", "audio/video/canvas");
	detail_add(&d, w->foreign, "svg/math block", "svg/math blocks");
	detail_add(&d, w->noscripts, "noscript block", "noscript blocks");
	detail_add(&d, w->metas, "meta/base", "meta/base");
	detail_add(&d, w->bad_links,
	    "script, data, file or unknown-scheme link",
	    "script, data, file or unknown-scheme links");
	if (d.items > 0)
		report_add(w->r, "mail.html", FINDING_REMOVED, loc,
		    "HTML converted to text; dropped: %s", d.buf);
	else
		report_add(w->r, "mail.html", FINDING_REMOVED, loc,
		    "HTML converted to text");
	if (w->remote_imgs + w->data_imgs + w->css_imgs > 0) {
		memset(&d, 0, sizeof(d));
		detail_add(&d, w->remote_imgs, "remote image", "remote images");
		detail_add(&d, w->data_imgs, "data: image", "data: images");
		detail_add(
		    &d, w->tracking, "tracking pixel", "tracking pixels");
		detail_add(&d, w->css_imgs, "background or CSS image",
		    "background or CSS images");
		report_add(w->r, "mail.remote_image", FINDING_REMOVED, loc,
		    "%s", d.buf);
	}
	if (w->hidden > 0)
		report_add(w->r, "mail.hidden_text", FINDING_REMOVED, loc,
		    "%u hidden element%s with text", w->hidden,
		    w->hidden == 1 ? "" : "s");
	if (links > 0)
		report_add(w->r, "mail.link",
		    w->o->links == LINKS_KEEP ? FINDING_REPORTED
					      : FINDING_REMOVED,
		    loc, "%u link%s %s", links, links == 1 ? "" : "s",
		    w->o->links == LINKS_KEEP         ? "kept"
			: w->o->links == LINKS_DEFANG ? "defanged"
						      : "removed");
}

/* ---------------------------------------------------------------- */

int
htmltext_convert(const char *utf8, size_t len, const struct htmltext_opts *o,
    struct buffer *out, struct report *r)
{
	struct walk w;
	struct gmem m;
	GumboOutput *doc;
	enum gmem_fail fail;
	size_t saved_max = out->max, cap;
	int ret = 0;

	if (utf8 == NULL)
		utf8 = "";
	memset(&w, 0, sizeof(w));
	w.o = o;
	w.r = r;
	w.e.out = out;
	w.e.base = w.e.line_start = w.e.content_start = out->used;
	w.e.last_content_end = out->used;
	w.e.links = o->links;
	/* No blank line at the start of the text. */
	w.e.blank_in_row = 1;
	w.max_frames =
	    (size_t)(o->max_depth != 0 ? o->max_depth
				       : HTMLTEXT_MAX_DEPTH_DEFAULT) +
	    1;
	w.e.pfx_max = w.max_frames;
	/* The output limit is enforced by the buffer itself, for every
	   write including those of textlinks_rewrite(); restored below. */
	if (o->max_out != 0 && size_add(out->used, o->max_out, &cap) == 0 &&
	    cap < out->max)
		out->max = cap;
	buffer_init(&w.e.run, out->max);
	buffer_init(&w.tmp, out->max);
	w.cap = w.max_frames < 64 ? w.max_frames : 64;
	if ((w.st = calloc(w.cap, sizeof(*w.st))) == NULL) {
		out->max = saved_max;
		report_set_error(r, "out of memory converting HTML");
		return -1;
	}
	memset(&m, 0, sizeof(m));
	m.max = o->max_mem != 0 ? o->max_mem : (size_t)HTMLTEXT_MAX_MEM_DEFAULT;
	doc = gmem_parse(&m, utf8, len, &fail);
	if (doc == NULL) {
		if (fail == GMEM_NOMEM) {
			report_set_error(r, "out of memory parsing HTML");
			ret = -1;
		} else
			walk_limit(&w, "limit.xml_nodes", "tree memory (bytes)",
			    (unsigned long long)m.max);
	} else {
		walk_tree(&w, doc->document);
		if (!w.stop)
			emit_finish(&w.e);
	}
	gmem_release(&m);
	if (ret == 0 && w.e.err == EFBIG)
		walk_limit(&w, "limit.output_size", "text output (bytes)",
		    (unsigned long long)(out->max - w.e.base));
	else if (ret == 0 && w.e.err != 0) {
		report_set_error(r, "out of memory converting HTML");
		ret = -1;
	}
	if (ret == 0 && !(doc == NULL))
		walk_report(&w);
	out->max = saved_max;
	buffer_free(&w.e.run);
	buffer_free(&w.tmp);
	free(w.e.pfx);
	free(w.st);
	free(w.scan);
	free(w.hsel);
	return ret;
}
