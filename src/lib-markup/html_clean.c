/*
 * html_clean - allow-list rebuild of HTML from gumbo's tree.
 *
 * The walk is iterative with an explicit stack bounded by
 * limits->xml_depth, so hostile nesting cannot exhaust the C stack.
 * gumbo has no limits of its own: it allocates through a tracking
 * allocator that caps its memory and frees the whole tree in one pass
 * (gumbo_destroy_output() recurses once per level of nesting).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gumbo.h>

#include "gmem.h"
#include "html_charset.h"
#include "html_clean.h"
#include "sizeops.h"
#include "url_check.h"

/* What happens to an element (and its content). */
enum html_rule {
	R_UNWRAP = 0, /* default: the tag goes, the content stays */
	R_KEEP, /* allowed element with content */
	R_VOID, /* allowed element without end tag */
	R_DROP, /* inert or hidden content: dropped silently */
	R_SCRIPT, /* html.script, dropped with content */
	R_FRAME, /* html.iframe, dropped with content */
	R_FORM, /* html.form, dropped with content */
	R_FORM_UNWRAP, /* html.form on <form>: its text stays */
	R_SPECIAL, /* decided by html_enter_special() */
};

/* Elements not listed are unwrapped: unknown and custom elements lose
   their tag but not their text. noscript is unwrapped too: the output
   has no script, so the reader gets the content written for readers
   without script (gumbo parses it with scripting off, as elements). */
/* clang-format off */
static const unsigned char html_rules[GUMBO_TAG_LAST + 1] = {
	[GUMBO_TAG_HTML] = R_SPECIAL, [GUMBO_TAG_HEAD] = R_SPECIAL,
	[GUMBO_TAG_BODY] = R_SPECIAL, [GUMBO_TAG_IMG] = R_SPECIAL,
	[GUMBO_TAG_STYLE] = R_SPECIAL, [GUMBO_TAG_META] = R_SPECIAL,
	[GUMBO_TAG_TITLE] = R_KEEP, [GUMBO_TAG_BASE] = R_DROP,
	[GUMBO_TAG_LINK] = R_DROP,
	[GUMBO_TAG_SCRIPT] = R_SCRIPT, [GUMBO_TAG_TEMPLATE] = R_DROP,
	[GUMBO_TAG_NOFRAMES] = R_DROP, [GUMBO_TAG_NOEMBED] = R_DROP,
	[GUMBO_TAG_DATALIST] = R_DROP, [GUMBO_TAG_SOURCE] = R_DROP,
	[GUMBO_TAG_TRACK] = R_DROP, [GUMBO_TAG_AREA] = R_DROP,
	[GUMBO_TAG_PARAM] = R_DROP, [GUMBO_TAG_BGSOUND] = R_DROP,
	[GUMBO_TAG_IFRAME] = R_FRAME, [GUMBO_TAG_FRAME] = R_FRAME,
	[GUMBO_TAG_FRAMESET] = R_FRAME, [GUMBO_TAG_OBJECT] = R_FRAME,
	[GUMBO_TAG_EMBED] = R_FRAME, [GUMBO_TAG_APPLET] = R_FRAME,
	[GUMBO_TAG_VIDEO] = R_FRAME, [GUMBO_TAG_AUDIO] = R_FRAME,
	[GUMBO_TAG_FORM] = R_FORM_UNWRAP, [GUMBO_TAG_INPUT] = R_FORM,
	[GUMBO_TAG_BUTTON] = R_FORM, [GUMBO_TAG_SELECT] = R_FORM,
	[GUMBO_TAG_TEXTAREA] = R_FORM, [GUMBO_TAG_KEYGEN] = R_FORM,
	[GUMBO_TAG_ISINDEX] = R_FORM, [GUMBO_TAG_MENUITEM] = R_DROP,
	[GUMBO_TAG_ARTICLE] = R_KEEP, [GUMBO_TAG_SECTION] = R_KEEP,
	[GUMBO_TAG_NAV] = R_KEEP, [GUMBO_TAG_ASIDE] = R_KEEP,
	[GUMBO_TAG_H1] = R_KEEP, [GUMBO_TAG_H2] = R_KEEP,
	[GUMBO_TAG_H3] = R_KEEP, [GUMBO_TAG_H4] = R_KEEP,
	[GUMBO_TAG_H5] = R_KEEP, [GUMBO_TAG_H6] = R_KEEP,
	[GUMBO_TAG_HGROUP] = R_KEEP, [GUMBO_TAG_HEADER] = R_KEEP,
	[GUMBO_TAG_FOOTER] = R_KEEP, [GUMBO_TAG_ADDRESS] = R_KEEP,
	[GUMBO_TAG_P] = R_KEEP, [GUMBO_TAG_HR] = R_VOID,
	[GUMBO_TAG_PRE] = R_KEEP, [GUMBO_TAG_BLOCKQUOTE] = R_KEEP,
	[GUMBO_TAG_OL] = R_KEEP, [GUMBO_TAG_UL] = R_KEEP,
	[GUMBO_TAG_LI] = R_KEEP, [GUMBO_TAG_DL] = R_KEEP,
	[GUMBO_TAG_DT] = R_KEEP, [GUMBO_TAG_DD] = R_KEEP,
	[GUMBO_TAG_FIGURE] = R_KEEP, [GUMBO_TAG_FIGCAPTION] = R_KEEP,
	[GUMBO_TAG_MAIN] = R_KEEP, [GUMBO_TAG_DIV] = R_KEEP,
	[GUMBO_TAG_A] = R_KEEP, [GUMBO_TAG_EM] = R_KEEP,
	[GUMBO_TAG_STRONG] = R_KEEP, [GUMBO_TAG_SMALL] = R_KEEP,
	[GUMBO_TAG_S] = R_KEEP, [GUMBO_TAG_CITE] = R_KEEP,
	[GUMBO_TAG_Q] = R_KEEP, [GUMBO_TAG_DFN] = R_KEEP,
	[GUMBO_TAG_ABBR] = R_KEEP, [GUMBO_TAG_DATA] = R_KEEP,
	[GUMBO_TAG_TIME] = R_KEEP, [GUMBO_TAG_CODE] = R_KEEP,
	[GUMBO_TAG_VAR] = R_KEEP, [GUMBO_TAG_SAMP] = R_KEEP,
	[GUMBO_TAG_KBD] = R_KEEP, [GUMBO_TAG_SUB] = R_KEEP,
	[GUMBO_TAG_SUP] = R_KEEP, [GUMBO_TAG_I] = R_KEEP,
	[GUMBO_TAG_B] = R_KEEP, [GUMBO_TAG_U] = R_KEEP,
	[GUMBO_TAG_MARK] = R_KEEP, [GUMBO_TAG_RUBY] = R_KEEP,
	[GUMBO_TAG_RT] = R_KEEP, [GUMBO_TAG_RP] = R_KEEP,
	[GUMBO_TAG_RB] = R_KEEP, [GUMBO_TAG_RTC] = R_KEEP,
	[GUMBO_TAG_BDI] = R_KEEP, [GUMBO_TAG_BDO] = R_KEEP,
	[GUMBO_TAG_SPAN] = R_KEEP, [GUMBO_TAG_BR] = R_VOID,
	[GUMBO_TAG_WBR] = R_VOID, [GUMBO_TAG_INS] = R_KEEP,
	[GUMBO_TAG_DEL] = R_KEEP, [GUMBO_TAG_TABLE] = R_KEEP,
	[GUMBO_TAG_CAPTION] = R_KEEP, [GUMBO_TAG_COLGROUP] = R_KEEP,
	[GUMBO_TAG_COL] = R_VOID, [GUMBO_TAG_TBODY] = R_KEEP,
	[GUMBO_TAG_THEAD] = R_KEEP, [GUMBO_TAG_TFOOT] = R_KEEP,
	[GUMBO_TAG_TR] = R_KEEP, [GUMBO_TAG_TD] = R_KEEP,
	[GUMBO_TAG_TH] = R_KEEP, [GUMBO_TAG_FIELDSET] = R_KEEP,
	[GUMBO_TAG_LEGEND] = R_KEEP, [GUMBO_TAG_LABEL] = R_KEEP,
	[GUMBO_TAG_DETAILS] = R_KEEP, [GUMBO_TAG_SUMMARY] = R_KEEP,
	[GUMBO_TAG_ACRONYM] = R_KEEP, [GUMBO_TAG_DIR] = R_KEEP,
	[GUMBO_TAG_STRIKE] = R_KEEP, [GUMBO_TAG_BIG] = R_KEEP,
	[GUMBO_TAG_CENTER] = R_KEEP, [GUMBO_TAG_FONT] = R_KEEP,
	[GUMBO_TAG_NOBR] = R_KEEP, [GUMBO_TAG_TT] = R_KEEP,
	[GUMBO_TAG_MENU] = R_KEEP,
};
/* clang-format on */

/* Attributes written back on allowed elements. None of them is a URL,
   a handler or a style; those are handled one by one. */
/* clang-format off */
static const char *const html_attr_allowed[] = {
	"abbr", "align", "alink", "alt", "axis", "bgcolor", "border",
	"cellpadding", "cellspacing", "char", "charoff", "class", "clear",
	"color", "cols", "colspan", "compact", "datetime", "dir", "face",
	"for", "frame", "headers", "height", "hidden", "hspace", "id",
	"label", "lang", "link", "media", "name", "noshade", "nowrap",
	"open", "reversed", "role", "rows", "rowspan", "rules", "scope",
	"size", "span", "start", "summary", "text", "title", "translate",
	"type", "valign", "value", "vlink", "vspace", "width",
};
/* clang-format on */

/* URL attributes that make the browser fetch something. */
/* clang-format off */
static const char *const html_attr_resource[] = {
	"src", "srcset", "background", "poster", "data", "codebase",
	"dynsrc", "lowsrc", "archive", "classid", "manifest", "icon",
	"profile", "ping", "imagesrcset",
};
/* clang-format on */

/* URL attributes only followed on a click or never (checked for
   dangerous schemes, then dropped). */
/* clang-format off */
static const char *const html_attr_link[] = {
	"href", "action", "formaction", "cite", "longdesc", "usemap",
	"itemtype", "itemid", "xmlns",
};
/* clang-format on */

struct html_frame {
	GumboNode *node;
	unsigned next; /* next child to visit */
	bool emit; /* children are written */
	bool raw; /* children are checked CSS, written as is */
	bool close; /* an end tag is due when leaving */
	bool foreign; /* inside svg or math */
};

struct html_job {
	struct cdr_ctx *ctx;
	struct report *r;
	struct markup_out *out;
	struct html_frame *stack;
	struct html_frame *comment_stack; /* for conditional comments */
	size_t stack_size;
	uint64_t nodes;
	size_t mem_left; /* gumbo budget for conditional comments */
	unsigned comment_line; /* inside a conditional comment: its line */
	bool stop; /* a limit was reached: nothing more to do */
	bool body_written;
	bool failed; /* internal failure, error already set */
};

/* Element name for findings and tags. */
static const char *
html_tag_name(const GumboNode *n)
{
	if (n->v.element.tag == GUMBO_TAG_UNKNOWN)
		return "unknown element";
	return gumbo_normalized_tagname(n->v.element.tag);
}

static void html_report(struct html_job *j, const GumboNode *n,
    const char *code, enum finding_action action, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Record a finding about element or comment n, located by its line. */
static void
html_report(struct html_job *j, const GumboNode *n, const char *code,
    enum finding_action action, const char *fmt, ...)
{
	char loc[64], detail[256];
	unsigned line;
	va_list ap;

	if (j->comment_line != 0)
		line = j->comment_line;
	else if (n->type == GUMBO_NODE_ELEMENT ||
	    n->type == GUMBO_NODE_TEMPLATE)
		line = n->v.element.start_pos.line;
	else
		line = n->v.text.start_pos.line;
	snprintf(loc, sizeof(loc), "line %u%s", line,
	    j->comment_line != 0 ? " (conditional comment)" : "");
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	report_add(j->r, code, action, loc, "%s", detail);
}

/* A limit.* finding (blocked); the walk stops there. */
static void
html_limit(
    struct html_job *j, const char *code, const char *what, uint64_t limit)
{
	report_add(j->r, code, FINDING_BLOCKED, NULL,
	    "HTML %s over the limit of %llu", what, (unsigned long long)limit);
	j->stop = true;
}

static bool
str_in(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(s, list[i]) == 0)
			return true;
	}
	return false;
}

#define STR_IN(s, list) str_in((s), (list), sizeof(list) / sizeof(list[0]))

/* True for the HTML element tag (not its SVG/MathML namesake). */
static bool
html_is_tag(const GumboNode *n, GumboTag tag)
{
	return n->v.element.tag == tag &&
	    n->v.element.tag_namespace == GUMBO_NAMESPACE_HTML;
}

/* A css_check() verdict as a finding; true when the CSS may stay. */
static bool
html_css_verdict(
    struct html_job *j, const GumboNode *n, int v, const char *what)
{
	switch (v) {
	case CSS_OK:
		return true;
	case CSS_SCRIPT:
		html_report(j, n, "html.script", FINDING_REMOVED,
		    "script in CSS (%s of <%s>)", what, html_tag_name(n));
		return false;
	case CSS_DANGEROUS_URL:
		html_report(j, n, "html.dangerous_url", FINDING_REMOVED,
		    "script or data URL in CSS (%s of <%s>)", what,
		    html_tag_name(n));
		return false;
	case CSS_EXTERNAL:
		html_report(j, n, "html.external_resource", FINDING_REMOVED,
		    "url() or @import in CSS (%s of <%s>)", what,
		    html_tag_name(n));
		return false;
	default:
		report_set_error(j->r, "out of memory checking CSS");
		j->failed = j->stop = true;
		return false;
	}
}

/* An <a href>: kept or taken out per the link policy. */
static void
html_link(struct html_job *j, const GumboNode *n, const GumboAttribute *a,
    enum url_kind kind, const char *scheme, bool write)
{
	switch (kind) {
	case URL_FRAGMENT:
	case URL_RELATIVE:
		break;
	case URL_WEB:
	case URL_MAILTO:
		if (j->ctx->opts->links != LINKS_KEEP) {
			html_report(j, n, "html.link", FINDING_REMOVED,
			    "%s: link removed by policy", scheme);
			return;
		}
		html_report(j, n, "html.link", FINDING_REPORTED,
		    "%s: link kept by policy", scheme);
		break;
	case URL_NETPATH:
		html_report(j, n, "html.dangerous_url", FINDING_REMOVED,
		    "protocol-relative link (a UNC path when opened locally)");
		return;
	default:
		html_report(j, n, "html.dangerous_url", FINDING_REMOVED,
		    "link to a %s: URL", scheme);
		return;
	}
	if (write)
		markup_out_attr(j->out, "href", a->value, false);
}

/* First URL of each srcset candidate, classified; the worst is kept. */
static enum url_kind
html_srcset_kind(const char *v, char *scheme, size_t scheme_size)
{
	enum url_kind worst = URL_FRAGMENT, k;
	char url[256], sch[32];
	size_t n;

	while (*v != '\0') {
		while (*v == ',' || (unsigned char)*v <= 0x20)
			if (*v++ == '\0')
				return worst;
		for (n = 0; *v != '\0' && (unsigned char)*v > 0x20; v++) {
			if (n + 1 < sizeof(url))
				url[n++] = *v;
		}
		url[n] = '\0';
		k = url_classify(url, sch, sizeof(sch));
		if (url_kind_dangerous(k) ||
		    (k != URL_FRAGMENT && k != URL_RELATIVE &&
			!url_kind_dangerous(worst))) {
			worst = k;
			snprintf(scheme, scheme_size, "%s", sch);
		}
		while (*v != '\0' && *v != ',')
			v++;
	}
	return worst;
}

/* A URL attribute on any element other than <a href>. */
static void
html_url(
    struct html_job *j, const GumboNode *n, const GumboAttribute *a, bool write)
{
	bool resource, any_href, local;
	enum url_kind kind;
	char scheme[32];

	if (strcmp(a->name, "srcset") == 0 ||
	    strcmp(a->name, "imagesrcset") == 0)
		kind = html_srcset_kind(a->value, scheme, sizeof(scheme));
	else
		kind = url_classify(a->value, scheme, sizeof(scheme));
	if (url_kind_dangerous(kind)) {
		html_report(j, n, "html.dangerous_url", FINDING_REMOVED,
		    "%s: URL in %s of <%s>", scheme, a->name, html_tag_name(n));
		return;
	}
	if (html_is_tag(n, GUMBO_TAG_A) && strcmp(a->name, "href") == 0) {
		html_link(j, n, a, kind, scheme, write);
		return;
	}
	local = kind == URL_FRAGMENT || kind == URL_RELATIVE;
	if (html_is_tag(n, GUMBO_TAG_IMG) && strcmp(a->name, "src") == 0 &&
	    local) {
		if (write)
			markup_out_attr(j->out, "src", a->value, false);
		return;
	}
	/* <link href> and <base href> count even when relative: both
	   change what the page loads. Inline SVG <image href> loads too. */
	any_href = strcmp(a->name, "href") == 0 &&
	    (html_is_tag(n, GUMBO_TAG_LINK) || html_is_tag(n, GUMBO_TAG_BASE));
	resource = STR_IN(a->name, html_attr_resource) ||
	    (strcmp(a->name, "href") == 0 &&
		n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML &&
		n->v.element.tag != GUMBO_TAG_A);
	if ((any_href && kind != URL_FRAGMENT) || (resource && !local))
		html_report(j, n, "html.external_resource", FINDING_REMOVED,
		    "%s%s in %s of <%s>", scheme,
		    scheme[0] != '\0' ? ": URL" : "reference", a->name,
		    html_tag_name(n));
}

/* True for attributes that hold a URL. */
static bool
html_is_url_attr(const char *name)
{
	return STR_IN(name, html_attr_resource) || STR_IN(name, html_attr_link);
}

/* style="...": written when its CSS passes. */
static void
html_style_attr(
    struct html_job *j, const GumboNode *n, const GumboAttribute *a, bool write)
{
	int v = css_check(a->value, strlen(a->value));

	if (html_css_verdict(j, n, v, "style attribute") && write)
		markup_out_attr(j->out, "style", a->value, false);
}

/* Report the attributes of n that go, and write the allowed ones when
   write is set. */
static void
html_attrs(struct html_job *j, const GumboNode *n, bool write)
{
	const GumboVector *attrs = &n->v.element.attributes;
	const GumboAttribute *a;
	unsigned i;

	for (i = 0; i < attrs->length && !j->stop; i++) {
		a = attrs->data[i];
		if (strncasecmp(a->name, "on", 2) == 0) {
			html_report(j, n, "html.event_handler", FINDING_REMOVED,
			    "%s handler on <%s>", a->name, html_tag_name(n));
		} else if (strcmp(a->name, "style") == 0) {
			html_style_attr(j, n, a, write);
		} else if (html_is_url_attr(a->name)) {
			html_url(j, n, a, write);
		} else if (write &&
		    a->attr_namespace == GUMBO_ATTR_NAMESPACE_NONE &&
		    (STR_IN(a->name, html_attr_allowed) ||
			strncmp(a->name, "aria-", 5) == 0)) {
			markup_out_attr(j->out, a->name, a->value, false);
		}
	}
}

/* Write the start tag of an allowed element with its allowed attributes. */
static void
html_start_tag(struct html_job *j, const GumboNode *n)
{
	markup_out_str(j->out, "<");
	markup_out_str(j->out, html_tag_name(n));
	html_attrs(j, n, true);
	markup_out_str(j->out, ">");
}

/* <pre> drops one newline after its start tag: write one more when
   the text starts with a newline, or the next read would lose it. */
static void
html_pre_newline(struct html_job *j, const GumboNode *n)
{
	const GumboVector *c = &n->v.element.children;
	const GumboNode *first;

	if (c->length == 0)
		return;
	first = c->data[0];
	if ((first->type == GUMBO_NODE_TEXT ||
		first->type == GUMBO_NODE_WHITESPACE) &&
	    first->v.text.text[0] == '\n')
		markup_out_str(j->out, "\n");
}

/* A lang or dir value safe to keep on <html> (which must stay short
   so that <meta charset> is within the first 1024 bytes). */
static bool
html_root_attr_ok(const GumboAttribute *a)
{
	size_t i, n = strlen(a->value);
	unsigned char c;

	if (strcmp(a->name, "dir") == 0)
		return strcmp(a->value, "ltr") == 0 ||
		    strcmp(a->value, "rtl") == 0 ||
		    strcmp(a->value, "auto") == 0;
	if (strcmp(a->name, "lang") != 0 || n == 0 || n > 35)
		return false;
	for (i = 0; i < n; i++) {
		c = (unsigned char)a->value[i];
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '-')
			return false;
	}
	return true;
}

/* <html>: only a checked lang and dir are written. */
static void
html_enter_root(struct html_job *j, struct html_frame *f)
{
	const GumboVector *attrs = &f->node->v.element.attributes;
	const GumboAttribute *a;
	unsigned i;

	markup_out_str(j->out, "<html");
	for (i = 0; i < attrs->length; i++) {
		a = attrs->data[i];
		if (html_root_attr_ok(a))
			markup_out_attr(j->out, a->name, a->value, false);
	}
	markup_out_str(j->out, ">");
	html_attrs(j, f->node, false);
}

/* The text of a <style>, joined (gumbo gives one node; be sure). */
static char *
html_style_text(const GumboNode *n, size_t *len_r)
{
	const GumboVector *c = &n->v.element.children;
	const GumboNode *t;
	size_t len = 0, l;
	unsigned i;
	char *s;

	for (i = 0; i < c->length; i++) {
		t = c->data[i];
		if (t->type != GUMBO_NODE_ELEMENT &&
		    t->type != GUMBO_NODE_TEMPLATE &&
		    size_add(len, strlen(t->v.text.text), &len) < 0)
			return NULL;
	}
	if (size_add(len, 1, &l) < 0 || (s = malloc(l)) == NULL)
		return NULL;
	for (len = 0, i = 0; i < c->length; i++) {
		t = c->data[i];
		if (t->type == GUMBO_NODE_ELEMENT ||
		    t->type == GUMBO_NODE_TEMPLATE)
			continue;
		l = strlen(t->v.text.text);
		memcpy(s + len, t->v.text.text, l);
		len += l;
	}
	s[len] = '\0';
	*len_r = len;
	return s;
}

/* <style>: kept with its CSS written raw only when the CSS passes. */
static void
html_enter_style(struct html_job *j, struct html_frame *f, bool emit)
{
	size_t len;
	char *css;
	bool ok;

	if ((css = html_style_text(f->node, &len)) == NULL) {
		report_set_error(j->r, "out of memory reading <style>");
		j->failed = j->stop = true;
		return;
	}
	ok = html_css_verdict(j, f->node, css_check(css, len), "style element");
	/* Cannot be in gumbo's text, but the raw copy relies on it. */
	if (ok && strcasestr(css, "</style") != NULL)
		ok = false;
	free(css);
	if (!ok) {
		html_attrs(j, f->node, false);
		return;
	}
	if (emit)
		html_start_tag(j, f->node);
	else
		html_attrs(j, f->node, false);
	f->emit = emit;
	f->close = emit;
	f->raw = true;
}

/* <img>: kept when its source is inside the document's folder,
   otherwise replaced by its alt text. */
static void
html_enter_img(struct html_job *j, struct html_frame *f, bool emit)
{
	const GumboVector *attrs = &f->node->v.element.attributes;
	const GumboAttribute *src = gumbo_get_attribute(attrs, "src");
	const GumboAttribute *alt = gumbo_get_attribute(attrs, "alt");
	enum url_kind kind = URL_FRAGMENT;
	char scheme[32];

	if (src != NULL)
		kind = url_classify(src->value, scheme, sizeof(scheme));
	if (kind == URL_FRAGMENT || kind == URL_RELATIVE) {
		if (emit)
			html_start_tag(j, f->node);
		else
			html_attrs(j, f->node, false);
		return;
	}
	html_attrs(j, f->node, false);
	if (emit && alt != NULL)
		markup_out_text(j->out, alt->value, false);
}

/* ASCII whitespace as HTML defines it. */
static bool
html_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The URL of a <meta http-equiv=refresh content="5; url=...">. */
static const char *
html_refresh_url(const char *p)
{
	while (html_space(*p) || (*p >= '0' && *p <= '9') || *p == '.')
		p++;
	if (*p == ';' || *p == ',')
		p++;
	while (html_space(*p))
		p++;
	if (strncasecmp(p, "url", 3) == 0) {
		const char *q = p + 3;

		while (html_space(*q))
			q++;
		if (*q == '=') {
			p = q + 1;
			while (html_space(*p))
				p++;
		}
	}
	if (*p == '"' || *p == '\'')
		p++;
	return p;
}

/* <meta>: always dropped (the output has its own charset); a refresh
   that goes somewhere is a finding. */
static void
html_enter_meta(struct html_job *j, struct html_frame *f)
{
	const GumboVector *attrs = &f->node->v.element.attributes;
	const GumboAttribute *he = gumbo_get_attribute(attrs, "http-equiv");
	const GumboAttribute *ct = gumbo_get_attribute(attrs, "content");
	enum url_kind kind;
	const char *url;
	char scheme[32];

	html_attrs(j, f->node, false);
	if (he == NULL || ct == NULL || strcasecmp(he->value, "refresh") != 0)
		return;
	url = html_refresh_url(ct->value);
	if (*url == '\0')
		return;
	kind = url_classify(url, scheme, sizeof(scheme));
	if (url_kind_dangerous(kind))
		html_report(j, f->node, "html.dangerous_url", FINDING_REMOVED,
		    "%s: URL in meta refresh", scheme);
	else
		html_report(j, f->node, "html.external_resource",
		    FINDING_REMOVED, "meta refresh to another page");
}

/* The elements whose fate depends on more than their name. */
static void
html_enter_special(struct html_job *j, struct html_frame *f, bool emit)
{
	GumboNode *n = f->node;

	switch (n->v.element.tag) {
	case GUMBO_TAG_HTML:
		if (emit)
			html_enter_root(j, f);
		else
			html_attrs(j, n, false);
		break;
	case GUMBO_TAG_HEAD:
		if (emit)
			markup_out_str(
			    j->out, "<head><meta charset=\"utf-8\">");
		html_attrs(j, n, false);
		break;
	case GUMBO_TAG_BODY:
		if (emit) {
			html_start_tag(j, n);
			j->body_written = true;
		} else
			html_attrs(j, n, false);
		break;
	case GUMBO_TAG_IMG:
		html_enter_img(j, f, emit);
		return;
	case GUMBO_TAG_STYLE:
		html_enter_style(j, f, emit);
		return;
	case GUMBO_TAG_META:
		html_enter_meta(j, f);
		return;
	default:
		html_attrs(j, n, false);
		return;
	}
	f->emit = emit;
	f->close = emit;
}

/* An element of inline SVG or MathML: dropped with its content. */
static void
html_enter_foreign(
    struct html_job *j, const struct html_frame *parent, struct html_frame *f)
{
	GumboNode *n = f->node;

	if (!parent->foreign)
		html_report(j, n, "html.iframe", FINDING_REMOVED,
		    "inline %s (foreign content)",
		    n->v.element.tag_namespace == GUMBO_NAMESPACE_SVG
			? "SVG"
			: "MathML");
	if (n->v.element.tag == GUMBO_TAG_SCRIPT)
		html_report(j, n, "html.script", FINDING_REMOVED,
		    "script in inline SVG");
	html_attrs(j, n, false);
}

/* Decide the fate of element f->node, report it and write its start tag. */
static void
html_enter(
    struct html_job *j, const struct html_frame *parent, struct html_frame *f)
{
	GumboNode *n = f->node;
	bool emit = parent->emit;
	enum html_rule rule;

	if (++j->nodes > j->ctx->limits->xml_nodes) {
		html_limit(j, "limit.xml_nodes", "elements",
		    j->ctx->limits->xml_nodes);
		return;
	}
	f->foreign = parent->foreign ||
	    n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML;
	if (f->foreign) {
		html_enter_foreign(j, parent, f);
		return;
	}
	rule = n->type == GUMBO_NODE_TEMPLATE
	    ? R_DROP
	    : (enum html_rule)html_rules[n->v.element.tag];
	switch (rule) {
	case R_KEEP:
	case R_VOID:
		if (emit)
			html_start_tag(j, n);
		else
			html_attrs(j, n, false);
		f->emit = emit;
		f->close = emit && rule == R_KEEP;
		if (emit && html_is_tag(n, GUMBO_TAG_PRE))
			html_pre_newline(j, n);
		return;
	case R_SPECIAL:
		html_enter_special(j, f, emit);
		return;
	case R_SCRIPT:
		html_report(j, n, "html.script", FINDING_REMOVED,
		    "<%s> element", html_tag_name(n));
		break;
	case R_FRAME:
		html_report(j, n, "html.iframe", FINDING_REMOVED,
		    "<%s> element", html_tag_name(n));
		break;
	case R_FORM:
	case R_FORM_UNWRAP:
		html_report(j, n, "html.form", FINDING_REMOVED, "<%s> element",
		    html_tag_name(n));
		break;
	default:
		break;
	}
	html_attrs(j, n, false);
	f->emit = emit && (rule == R_UNWRAP || rule == R_FORM_UNWRAP);
}

/* Write the end tag due when leaving f. */
static void
html_leave(struct html_job *j, const struct html_frame *f)
{
	const GumboNode *n = f->node;

	if (!f->close)
		return;
	if (html_is_tag(n, GUMBO_TAG_HTML) && !j->body_written)
		markup_out_str(j->out, "<body></body>");
	markup_out_str(j->out, "</");
	markup_out_str(j->out, html_tag_name(n));
	/* Nothing after </html>: a browser would move it into the body,
	   and every pass would grow the document by it. */
	markup_out_str(j->out, ">");
}

static int html_walk(struct html_job *j, GumboNode *root, bool emit);

/* An IE conditional comment (<!--[if IE]> ... <![endif]-->) is markup
   to old Internet Explorer: its inside is parsed and checked like the
   page, so what it hid is reported. The comment itself is dropped, as
   every comment is (dropping them leaves nothing to break out of). */
static void
html_comment(struct html_job *j, const GumboNode *n)
{
	const char *data = n->v.text.text;
	struct markup_out none;
	struct html_job sub;
	GumboOutput *doc;
	enum gmem_fail fail;
	struct gmem m;

	while (*data == ' ' || *data == '\t' || *data == '\r' || *data == '\n')
		data++;
	if (j->comment_line != 0 || strncasecmp(data, "[if", 3) != 0)
		return;
	memset(&m, 0, sizeof(m));
	m.max = j->mem_left;
	if (j->comment_stack == NULL &&
	    (j->comment_stack = arena_alloc(
		 j->ctx->arena, j->stack_size * sizeof(*j->stack))) == NULL) {
		report_set_error(j->r, "out of job memory for the HTML walk");
		j->failed = j->stop = true;
		return;
	}
	doc = gmem_parse(&m, data, strlen(data), &fail);
	if (doc == NULL) {
		gmem_release(&m);
		if (fail == GMEM_NOMEM) {
			report_set_error(j->r, "out of memory parsing HTML");
			j->failed = j->stop = true;
		} else
			html_limit(j, "limit.xml_nodes",
			    "conditional comment memory (bytes)", j->mem_left);
		return;
	}
	sub = *j;
	sub.stack = j->comment_stack;
	markup_out_init(&none, NULL, 0);
	sub.out = &none;
	sub.comment_line = n->v.text.start_pos.line;
	(void)html_walk(&sub, doc->document, false);
	j->nodes = sub.nodes;
	j->stop = sub.stop;
	j->failed = sub.failed;
	gmem_release(&m);
}

/* Text, whitespace or CDATA under f: escaped, or raw for checked CSS. */
static void
html_text(struct html_job *j, const struct html_frame *f, const GumboNode *n)
{
	if (!f->emit)
		return;
	if (f->raw)
		markup_out_str(j->out, n->v.text.text);
	else
		markup_out_text(j->out, n->v.text.text, false);
}

/* Visit the tree below root depth first, without recursion. */
static int
html_walk(struct html_job *j, GumboNode *root, bool emit)
{
	struct html_frame *f;
	const GumboVector *c;
	GumboNode *child;
	size_t sp = 0;

	memset(&j->stack[0], 0, sizeof(j->stack[0]));
	j->stack[0].node = root;
	j->stack[0].emit = emit;
	for (;;) {
		if (j->stop)
			return j->failed ? -1 : 0;
		f = &j->stack[sp];
		c = f->node->type == GUMBO_NODE_DOCUMENT
		    ? &f->node->v.document.children
		    : &f->node->v.element.children;
		if (f->next >= c->length) {
			html_leave(j, f);
			if (sp-- == 0)
				return 0;
			continue;
		}
		child = c->data[f->next++];
		switch (child->type) {
		case GUMBO_NODE_ELEMENT:
		case GUMBO_NODE_TEMPLATE:
			if (sp + 1 >= j->stack_size) {
				html_limit(j, "limit.xml_depth", "nesting",
				    j->ctx->limits->xml_depth);
				break;
			}
			memset(&j->stack[sp + 1], 0, sizeof(j->stack[0]));
			j->stack[sp + 1].node = child;
			html_enter(j, f, &j->stack[sp + 1]);
			sp++;
			break;
		case GUMBO_NODE_COMMENT:
			html_comment(j, child);
			break;
		default:
			html_text(j, f, child);
			break;
		}
	}
}

/* The document as UTF-8 for gumbo: converted when it declares another
   encoding, the byte order mark left out. */
static int
html_utf8(struct html_job *j, const unsigned char *in, size_t len,
    struct buffer *conv, const char **text_r, size_t *len_r)
{
	const char *charset;
	size_t skip, max;
	int ret;

	charset = html_charset_sniff(in, len, &skip);
	*text_r = (const char *)in + skip;
	*len_r = len - skip;
	if (charset == NULL)
		return 0;
	if (size_mul(*len_r, 4, &max) < 0 || size_add(max, 4, &max) < 0) {
		report_set_error(j->r, "HTML too large to convert");
		return -1;
	}
	buffer_init(conv, max);
	ret = html_charset_to_utf8(charset, in + skip, len - skip, conv);
	if (ret < 0) {
		report_set_error(j->r, "out of memory converting %s", charset);
		return -1;
	}
	if (ret == 0) {
		*text_r = conv->used > 0 ? (const char *)conv->data : "";
		*len_r = conv->used;
	}
	return 0;
}

/* Half of the worker's address space for gumbo's tree: gumbo has no
   node limit of its own, and a tree bomb (say, thousands of formatting
   elements cloned at every paragraph) must end as a finding, not as a
   worker killed for memory. */
static size_t
html_mem_budget(const struct limits *limits)
{
	uint64_t half = limits->job_memory / 2;

	return half == 0 || half > SIZE_MAX ? SIZE_MAX : (size_t)half;
}

/* A DOCTYPE that puts the browser in the rendering mode the input had:
   quirks mode changes the tree too (a <table> inside a <p>), so keeping
   it keeps both the layout of old mail and the output a fixed point. */
static void
html_doctype(struct html_job *j, const GumboNode *doc)
{
	switch (doc->v.document.doc_type_quirks_mode) {
	case GUMBO_DOCTYPE_QUIRKS:
		break;
	case GUMBO_DOCTYPE_LIMITED_QUIRKS:
		markup_out_str(j->out,
		    "<!DOCTYPE html PUBLIC \"-//W3C//DTD "
		    "XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/"
		    "xhtml1/DTD/xhtml1-transitional.dtd\">\n");
		break;
	default:
		markup_out_str(j->out, "<!DOCTYPE html>\n");
		break;
	}
}

/* Parse text (UTF-8) and walk the tree into j->out. */
static int
html_run(struct html_job *j, const char *text, size_t len)
{
	GumboOutput *doc;
	enum gmem_fail fail;
	struct gmem m;
	int ret;

	memset(&m, 0, sizeof(m));
	m.max = html_mem_budget(j->ctx->limits);
	doc = gmem_parse(&m, text, len, &fail);
	if (doc == NULL) {
		gmem_release(&m);
		if (fail == GMEM_NOMEM) {
			report_set_error(j->r, "out of memory parsing HTML");
			return -1;
		}
		html_limit(j, "limit.xml_nodes", "tree memory (bytes)", m.max);
		return 0;
	}
	j->mem_left = m.max - m.used;
	html_doctype(j, doc->document);
	ret = html_walk(j, doc->document, true);
	gmem_release(&m);
	return ret;
}

int
html_clean(struct cdr_ctx *ctx, struct report *r, const unsigned char *in,
    size_t len, struct markup_out *out)
{
	struct html_job j;
	struct buffer conv;
	const char *text;
	size_t tlen, bytes;
	int ret;

	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.r = r;
	j.out = out;
	/* One frame per level: the document, then xml_depth elements. */
	if (size_add(ctx->limits->xml_depth, 1, &j.stack_size) < 0 ||
	    size_mul(j.stack_size, sizeof(*j.stack), &bytes) < 0 ||
	    (j.stack = arena_alloc(ctx->arena, bytes)) == NULL) {
		report_set_error(r, "out of job memory for the HTML walk");
		return -1;
	}
	buffer_init(&conv, 0);
	if (html_utf8(&j, in, len, &conv, &text, &tlen) < 0) {
		buffer_free(&conv);
		return -1;
	}
	ret = html_run(&j, text, tlen);
	buffer_free(&conv);
	return ret;
}
