/*
 * test-markup_cdr - HTML and SVG sanitizing: findings, re-parsed output,
 * idempotence, limits, inspect mode, URL and CSS classification.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <gumbo.h>
#include <libxml/parser.h>

#include "markup_cdr.h"
#include "url_check.h"

struct run {
	struct limits limits;
	struct cdr_options opts;
	struct cdr_ctx ctx;
	struct arena *arena;
	struct report *r;
	struct buffer out;
	int ret;
};

static void
run_init(struct run *t)
{
	memset(t, 0, sizeof(*t));
	limits_init(&t->limits);
	cdr_options_init(&t->opts);
	t->arena = arena_create(64 * 1024 * 1024);
	assert_non_null(t->arena);
	t->ctx.arena = t->arena;
	t->ctx.limits = &t->limits;
	t->ctx.opts = &t->opts;
	buffer_init(&t->out, t->limits.output_size);
}

static void
run_go(struct run *t, cdr_format_fn *fn, const void *in, size_t len)
{
	t->r = report_new(t->arena, "sample");
	assert_non_null(t->r);
	buffer_reset(&t->out);
	t->ret = fn(&t->ctx, t->r, FT_UNKNOWN, in, len, &t->out);
}

static void
run_str(struct run *t, cdr_format_fn *fn, const char *in)
{
	run_go(t, fn, in, strlen(in));
}

static void
run_free(struct run *t)
{
	buffer_free(&t->out);
	arena_destroy(t->arena);
}

static const char *
out_str(const struct run *t)
{
	return t->out.data != NULL ? (const char *)t->out.data : "";
}

static unsigned
count(const struct report *r, const char *code, enum finding_action action)
{
	const struct report_finding *f;
	unsigned n = 0;

	for (f = r->findings; f != NULL; f = f->next) {
		if (strcmp(f->code, code) == 0 && f->action == action)
			n++;
	}
	return n;
}

static void
assert_finding(
    const struct report *r, const char *code, enum finding_action action)
{
	if (count(r, code, action) == 0) {
		const struct report_finding *f;

		for (f = r->findings; f != NULL; f = f->next)
			print_message("  have %s %s: %s\n", f->code,
			    finding_action_name(f->action),
			    f->detail != NULL ? f->detail : "");
		fail_msg(
		    "missing finding %s %s", code, finding_action_name(action));
	}
}

/* Re-parse HTML output as a browser would and count what must not be
   there: script-capable elements, handlers, javascript: or remote URLs. */
static unsigned
html_bad_nodes(const char *html)
{
	GumboOutput *g = gumbo_parse(html);
	GumboNode *stack[4096];
	unsigned sp = 0, bad = 0, i;

	stack[sp++] = g->document;
	while (sp > 0) {
		GumboNode *n = stack[--sp];
		const GumboVector *c;

		if (n->type == GUMBO_NODE_DOCUMENT) {
			c = &n->v.document.children;
		} else if (n->type == GUMBO_NODE_ELEMENT) {
			const GumboVector *a = &n->v.element.attributes;

			switch (n->v.element.tag) {
			case GUMBO_TAG_SCRIPT:
			case GUMBO_TAG_IFRAME:
			case GUMBO_TAG_OBJECT:
			case GUMBO_TAG_EMBED:
			case GUMBO_TAG_FORM:
			case GUMBO_TAG_INPUT:
			case GUMBO_TAG_SVG:
			case GUMBO_TAG_MATH:
			case GUMBO_TAG_LINK:
			case GUMBO_TAG_BASE:
				bad++;
				break;
			default:
				break;
			}
			for (i = 0; i < a->length; i++) {
				GumboAttribute *at = a->data[i];

				if (strncmp(at->name, "on", 2) == 0 ||
				    strcasestr(at->value, "script:") != NULL ||
				    strstr(at->value, "http://evil") != NULL)
					bad++;
			}
			c = &n->v.element.children;
		} else if (n->type == GUMBO_NODE_COMMENT) {
			bad++;
			continue;
		} else {
			continue;
		}
		for (i = 0; i < c->length && sp < 4096; i++)
			stack[sp++] = c->data[i];
	}
	gumbo_destroy_output(&kGumboDefaultOptions, g);
	return bad;
}

/* Sanitize the output again: same bytes, nothing removed or blocked. */
static void
assert_idempotent(struct run *t, cdr_format_fn *fn)
{
	struct run t2;

	run_init(&t2);
	t2.opts = t->opts;
	run_go(&t2, fn, t->out.data, t->out.used);
	assert_int_equal(t2.ret, 0);
	assert_false(report_has_action(t2.r, FINDING_REMOVED));
	assert_false(report_has_action(t2.r, FINDING_BLOCKED));
	assert_int_equal(t2.out.used, t->out.used);
	assert_memory_equal(t2.out.data, t->out.data, t->out.used);
	run_free(&t2);
}

static void
test_html_clean_document(void **state)
{
	struct run t;

	run_init(&t);
	run_str(&t, html_cdr,
	    "<!DOCTYPE html><html lang=ja><head><title>"
	    "x</title></head><body><h1>Title</h1><p>a &amp; b <b>c</b></p>"
	    "<table><tr><td>1</td></tr></table><a href=\"#s\">s</a>"
	    "<img src=\"logo.png\" alt=\"l\"></body></html>");
	assert_int_equal(t.ret, 0);
	assert_int_equal(t.r->finding_count, 0);
	assert_int_equal(report_verdict(t.r), VERDICT_CLEAN);
	assert_non_null(strstr(out_str(&t), "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(out_str(&t), "<p>a &amp; b <b>c</b></p>"));
	assert_non_null(strstr(out_str(&t), "<img src=\"logo.png\""));
	assert_non_null(strstr(out_str(&t), "<td>1</td>"));
	assert_idempotent(&t, html_cdr);
	run_free(&t);
}

static void
test_html_script_and_handlers(void **state)
{
	struct run t;

	run_init(&t);
	run_str(&t, html_cdr,
	    "<html><body onload=go()><SCRIPT>alert(1)"
	    "</SCRIPT><p OnClick=\"x()\">text</p><img src=a.png "
	    "onerror=alert(1)><noscript><b>plain</b></noscript></body>");
	assert_int_equal(t.ret, 0);
	assert_finding(t.r, "html.script", FINDING_REMOVED);
	assert_int_equal(count(t.r, "html.event_handler", FINDING_REMOVED), 3);
	assert_null(strcasestr(out_str(&t), "alert"));
	assert_non_null(strstr(out_str(&t), "<p>text</p>"));
	assert_non_null(strstr(out_str(&t), "<b>plain</b>"));
	assert_int_equal(html_bad_nodes(out_str(&t)), 0);
	assert_idempotent(&t, html_cdr);
	run_free(&t);
}

static void
test_html_obfuscated_urls(void **state)
{
	/* clang-format off */
	static const char *const hrefs[] = {
		"javascript:alert(1)", "JaVaScRiPt:alert(1)",
		"  javascript:alert(1)", "jav&#x09;ascript:alert(1)",
		"jav&#10;ascript:alert(1)", "&#x6A;avascript:alert(1)",
		"javascript&colon;alert(1)", "\x01javascript:alert(1)",
		"vbscript:msgbox(1)", "data:text/html,<script>x</script>",
		"file:///C:/Windows/calc.exe", "&#0;javascript:x",
	};
	/* clang-format on */
	struct run t;
	char doc[256];
	size_t i;

	run_init(&t);
	for (i = 0; i < sizeof(hrefs) / sizeof(hrefs[0]); i++) {
		snprintf(doc, sizeof(doc), "<a href=\"%s\">x</a>", hrefs[i]);
		run_str(&t, html_cdr, doc);
		assert_int_equal(t.ret, 0);
		if (count(t.r, "html.dangerous_url", FINDING_REMOVED) != 1)
			fail_msg("not caught: %s", hrefs[i]);
		assert_non_null(strstr(out_str(&t), "<a>x</a>"));
		assert_int_equal(html_bad_nodes(out_str(&t)), 0);
	}
	run_free(&t);
}

static void
test_html_frames_forms_resources(void **state)
{
	struct run t;

	run_init(&t);
	run_str(&t, html_cdr,
	    "<head><link rel=stylesheet href=//evil/a.css>"
	    "<base href=http://evil/><meta http-equiv=refresh "
	    "content=\"0;url=http://evil/\"><style>@import 'x.css';</style>"
	    "</head><body background=\"http://evil/bg.png\">"
	    "<iframe src=x></iframe><object data=x></object>"
	    "<form action=x><input name=q><select><option>o</select>"
	    "<textarea>t</textarea>Form text</form>"
	    "<img src=\"http://evil/p.png\" alt=\"Pixel\">"
	    "<img srcset=\"//evil/a.png 2x\" src=a.png>"
	    "<video poster=https://evil/p.png></video>"
	    "<div style=\"background:url(http://evil/x)\">d</div></body>");
	assert_int_equal(t.ret, 0);
	assert_int_equal(count(t.r, "html.iframe", FINDING_REMOVED), 3);
	assert_int_equal(count(t.r, "html.form", FINDING_REMOVED), 4);
	assert_true(count(t.r, "html.external_resource", FINDING_REMOVED) >= 8);
	assert_non_null(strstr(out_str(&t), "Form text"));
	assert_non_null(strstr(out_str(&t), "Pixel"));
	assert_non_null(strstr(out_str(&t), "<div>d</div>"));
	assert_null(strstr(out_str(&t), "evil"));
	assert_int_equal(html_bad_nodes(out_str(&t)), 0);
	assert_idempotent(&t, html_cdr);
	run_free(&t);
}

static void
test_html_css(void **state)
{
	struct run t;

	run_init(&t);
	run_str(&t, html_cdr,
	    "<style>p{color:red}</style>"
	    "<p style=\"width:expr/**/ession(alert(1))\">a</p>"
	    "<p style=\"background:u\\72l(http://evil)\">b</p>"
	    "<p style=\"-moz-binding:url(x.xml#y)\">c</p>"
	    "<p style=\"color:blue\">d</p>");
	assert_int_equal(t.ret, 0);
	assert_int_equal(count(t.r, "html.script", FINDING_REMOVED), 2);
	assert_int_equal(
	    count(t.r, "html.external_resource", FINDING_REMOVED), 1);
	assert_non_null(strstr(out_str(&t), "<style>p{color:red}</style>"));
	assert_non_null(strstr(out_str(&t), "<p style=\"color:blue\">d</p>"));
	assert_idempotent(&t, html_cdr);
	run_free(&t);
}

static void
test_html_links_policy(void **state)
{
	static const char doc[] =
	    "<a href=\"https://example.jp/\">site</a>"
	    "<a href=\"mailto:a@example.jp\">mail</a><a href=\"//x/y\">u</a>"
	    "<a href=\"ms-msdt:/id x\">m</a><a href=\"page2.html\">rel</a>";
	struct run t;

	run_init(&t);
	run_str(&t, html_cdr, doc);
	assert_int_equal(count(t.r, "html.link", FINDING_REPORTED), 2);
	assert_int_equal(count(t.r, "html.dangerous_url", FINDING_REMOVED), 2);
	assert_non_null(strstr(out_str(&t), "href=\"https://example.jp/\""));
	assert_non_null(strstr(out_str(&t), "href=\"page2.html\""));
	assert_idempotent(&t, html_cdr);

	t.opts.links = LINKS_REMOVE;
	run_str(&t, html_cdr, doc);
	assert_int_equal(count(t.r, "html.link", FINDING_REMOVED), 2);
	assert_null(strstr(out_str(&t), "example.jp"));
	assert_non_null(strstr(out_str(&t), "<a>site</a>"));
	assert_idempotent(&t, html_cdr);
	run_free(&t);
}

static void
test_html_foreign_and_comments(void **state)
{
	struct run t;

	run_init(&t);
	run_str(&t, html_cdr,
	    "<p>a</p><svg><script>alert(1)</script></svg>"
	    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"
	    "</style></mglyph></table></mtext></math>"
	    "<!--[if IE]><script>alert(2)</script><![endif]-->"
	    "<!-- plain --><p>b</p>");
	assert_int_equal(t.ret, 0);
	assert_int_equal(count(t.r, "html.iframe", FINDING_REMOVED), 2);
	assert_int_equal(count(t.r, "html.script", FINDING_REMOVED), 2);
	assert_null(strstr(out_str(&t), "alert"));
	assert_null(strstr(out_str(&t), "<!--"));
	assert_int_equal(html_bad_nodes(out_str(&t)), 0);
	assert_idempotent(&t, html_cdr);
	run_free(&t);
}

static void
test_html_shift_jis(void **state)
{
	/* "お知らせ" in Shift_JIS, declared by <meta>. */
	static const char doc[] =
	    "<html><head><meta charset=\"Shift_JIS\">"
	    "</head><body><p>\x82\xa8\x92\x6d\x82\xe7\x82\xb9</p></body>"
	    "</html>";
	struct run t;

	run_init(&t);
	run_str(&t, html_cdr, doc);
	assert_int_equal(t.ret, 0);
	assert_int_equal(t.r->finding_count, 0);
	assert_non_null(strstr(out_str(&t),
	    "<p>\xe3\x81\x8a\xe7\x9f\xa5\xe3\x82\x89\xe3\x81\x9b</p>"));
	assert_non_null(strstr(out_str(&t), "<meta charset=\"utf-8\">"));
	assert_null(strstr(out_str(&t), "Shift_JIS"));
	assert_idempotent(&t, html_cdr);
	run_free(&t);
}

static void
test_html_limits(void **state)
{
	char *deep;
	size_t i;
	struct run t;

	run_init(&t);
	t.limits.xml_depth = 16;
	deep = malloc(64 * 4 + 1);
	assert_non_null(deep);
	for (i = 0; i < 64; i++)
		memcpy(deep + i * 4, "<dl>", 4);
	deep[64 * 4] = '\0';
	run_str(&t, html_cdr, deep);
	assert_int_equal(t.ret, 0);
	assert_finding(t.r, "limit.xml_depth", FINDING_BLOCKED);
	assert_int_equal(t.out.used, 0);

	limits_init(&t.limits);
	t.limits.xml_nodes = 20;
	run_str(&t, html_cdr,
	    "<p>1<p>2<p>3<p>4<p>5<p>6<p>7<p>8<p>9<p>10"
	    "<p>1<p>2<p>3<p>4<p>5<p>6<p>7<p>8<p>9<p>10");
	assert_finding(t.r, "limit.xml_nodes", FINDING_BLOCKED);
	assert_int_equal(t.out.used, 0);

	/* gumbo's tree budget: half of job_memory. */
	limits_init(&t.limits);
	t.limits.job_memory = 64 * 1024;
	free(deep);
	deep = malloc(40000 * 3 + 1);
	assert_non_null(deep);
	for (i = 0; i < 40000; i++)
		memcpy(deep + i * 3, "<b>", 3);
	deep[40000 * 3] = '\0';
	run_str(&t, html_cdr, deep);
	assert_int_equal(t.ret, 0);
	assert_finding(t.r, "limit.xml_nodes", FINDING_BLOCKED);

	limits_init(&t.limits);
	t.limits.output_size = 64;
	run_str(&t, html_cdr,
	    "<p>this document is longer than the output "
	    "limit of sixty-four bytes</p>");
	assert_int_equal(t.ret, -1);
	assert_non_null(t.r->error);
	assert_finding(t.r, "limit.output_size", FINDING_BLOCKED);
	assert_int_equal(t.out.used, 0);
	free(deep);
	run_free(&t);
}

/* Inspect mode: no output, and exactly the findings sanitize gives. */
static void
assert_inspect_same(cdr_format_fn *fn, const char *doc)
{
	const struct report_finding *a, *b;
	struct run s, i;

	run_init(&s);
	run_init(&i);
	i.ctx.inspect = true;
	run_str(&s, fn, doc);
	run_str(&i, fn, doc);
	assert_int_equal(i.ret, s.ret);
	assert_int_equal(i.out.used, 0);
	assert_true(s.out.used > 0);
	assert_int_equal(i.r->finding_count, s.r->finding_count);
	for (a = s.r->findings, b = i.r->findings; a != NULL;
	     a = a->next, b = b->next) {
		assert_string_equal(a->code, b->code);
		assert_int_equal(a->action, b->action);
	}
	run_free(&s);
	run_free(&i);
}

static void
test_inspect_mode(void **state)
{
	assert_inspect_same(html_cdr,
	    "<script>x</script><a href=javascript:x>a</a><img "
	    "src=http://evil/x onerror=y><!--[if IE]><script>z</script>"
	    "<![endif]--><svg><script>w</script></svg><form><input></form>");
	assert_inspect_same(svg_cdr,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x\">"
	    "<script>x</script><use href=\"a.svg#b\"/><a href=\"javascript:x"
	    "\"/><foreignObject/><style>@import 'x';</style></svg>");
}

/* The SVG output must be XML that another parser accepts. */
static void
assert_svg_parses(const struct run *t)
{
	xmlDocPtr doc = xmlReadMemory((const char *)t->out.data,
	    (int)t->out.used, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

	assert_non_null(doc);
	assert_string_equal(
	    (const char *)xmlDocGetRootElement(doc)->name, "svg");
	xmlFreeDoc(doc);
}

static void
test_svg_hostile(void **state)
{
	struct run t;

	run_init(&t);
	run_str(&t, svg_cdr,
	    "<?xml version=\"1.0\"?>\n"
	    "<?xml-stylesheet href=\"http://evil/s.css\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink="
	    "\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\" "
	    "onload=\"alert(1)\"><script>alert(1)</script>"
	    "<defs><linearGradient id=\"g\"><stop offset=\"0\"/>"
	    "</linearGradient></defs>"
	    "<rect width=\"5\" height=\"5\" fill=\"url(#g)\"/>"
	    "<rect fill=\"url(http://evil/x.svg#p)\"/>"
	    "<a xlink:href=\" javascript:alert(1)\"><text>a</text></a>"
	    "<use href=\"other.svg#x\"/><use xlink:href=\"#g\"/>"
	    "<image href=\"data:image/png;base64,AAAA\"/>"
	    "<image xlink:href=\"https://evil/t.png\"/>"
	    "<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">"
	    "<iframe src=\"javascript:x\"/></div></foreignObject>"
	    "<set attributeName=\"xlink:href\" to=\"javascript:x\"/>"
	    "<style>@import url(http://evil/x.css);</style>"
	    "<text x=\"1\">A &amp; B</text></svg>");
	assert_int_equal(t.ret, 0);
	assert_finding(t.r, "svg.script", FINDING_REMOVED);
	assert_finding(t.r, "svg.event_handler", FINDING_REMOVED);
	assert_int_equal(count(t.r, "svg.dangerous_url", FINDING_REMOVED), 3);
	assert_true(count(t.r, "svg.external_resource", FINDING_REMOVED) >= 6);
	assert_null(strstr(out_str(&t), "evil"));
	assert_null(strstr(out_str(&t), "script"));
	assert_non_null(strstr(out_str(&t), "fill=\"url(#g)\""));
	assert_non_null(strstr(out_str(&t), "xlink:href=\"#g\""));
	assert_non_null(strstr(out_str(&t), "<text x=\"1\">A &amp; B</text>"));
	assert_svg_parses(&t);
	assert_idempotent(&t, svg_cdr);
	run_free(&t);
}

static void
test_svg_clean_and_links(void **state)
{
	static const char doc[] =
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"10\" height=\"10\"><title>t</title><a href=\"https://"
	    "example.jp/\"><circle cx=\"5\" cy=\"5\" r=\"4\"/></a></svg>";
	struct run t;

	run_init(&t);
	run_str(&t, svg_cdr, doc);
	assert_int_equal(t.ret, 0);
	assert_int_equal(report_verdict(t.r), VERDICT_CLEAN);
	assert_int_equal(
	    count(t.r, "svg.external_resource", FINDING_REPORTED), 1);
	assert_non_null(strstr(out_str(&t), "href=\"https://example.jp/\""));
	assert_svg_parses(&t);
	assert_idempotent(&t, svg_cdr);
	t.opts.links = LINKS_REMOVE;
	run_str(&t, svg_cdr, doc);
	assert_int_equal(
	    count(t.r, "svg.external_resource", FINDING_REMOVED), 1);
	assert_null(strstr(out_str(&t), "example.jp"));
	run_free(&t);
}

static void
test_svg_refused(void **state)
{
	struct run t;

	run_init(&t);
	run_str(&t, svg_cdr,
	    "<?xml version=\"1.0\"?><!DOCTYPE svg ["
	    "<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&b;</text></svg>");
	assert_int_equal(t.ret, 0);
	assert_finding(t.r, "svg.malformed", FINDING_BLOCKED);
	assert_int_equal(t.out.used, 0);

	run_str(&t, svg_cdr,
	    "<!DOCTYPE svg [<!ENTITY x SYSTEM "
	    "\"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg"
	    "\"><text>&x;</text></svg>");
	assert_finding(t.r, "svg.malformed", FINDING_BLOCKED);

	run_str(&t, svg_cdr, "<svg xmlns=\"http://www.w3.org/2000/svg\"><g>");
	assert_finding(t.r, "svg.malformed", FINDING_BLOCKED);
	assert_int_equal(t.out.used, 0);

	run_str(&t, svg_cdr, "<html xmlns=\"http://www.w3.org/1999/xhtml\"/>");
	assert_finding(t.r, "svg.malformed", FINDING_BLOCKED);

	t.limits.xml_depth = 8;
	run_str(&t, svg_cdr,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\">"
	    "<g><g><g><g><g><g><g><g><g><g></g></g></g></g></g></g></g></g>"
	    "</g></g></svg>");
	assert_finding(t.r, "limit.xml_depth", FINDING_BLOCKED);
	limits_init(&t.limits);
	t.limits.xml_nodes = 3;
	run_str(&t, svg_cdr,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\">"
	    "<g/><g/><g/><g/></svg>");
	assert_finding(t.r, "limit.xml_nodes", FINDING_BLOCKED);
	assert_int_equal(t.out.used, 0);
	run_free(&t);
}

static void
test_url_classify(void **state)
{
	char s[16];

	assert_int_equal(url_classify("", s, sizeof(s)), URL_FRAGMENT);
	assert_int_equal(url_classify(" #top", s, sizeof(s)), URL_FRAGMENT);
	assert_int_equal(url_classify("a/b.png", s, sizeof(s)), URL_RELATIVE);
	assert_int_equal(url_classify("?q=1:2", s, sizeof(s)), URL_RELATIVE);
	assert_int_equal(url_classify("HTTPS://x", s, sizeof(s)), URL_WEB);
	assert_string_equal(s, "https");
	assert_int_equal(
	    url_classify("\\\\host\\share", s, sizeof(s)), URL_NETPATH);
	assert_int_equal(url_classify("/\\host", s, sizeof(s)), URL_NETPATH);
	assert_int_equal(
	    url_classify("j\na\tvascript:x", s, sizeof(s)), URL_SCRIPT);
	assert_int_equal(
	    url_classify("\x1f vbscript:x", s, sizeof(s)), URL_SCRIPT);
	assert_int_equal(
	    url_classify("DATA:text/html,x", s, sizeof(s)), URL_DATA);
	assert_int_equal(url_classify("file:x", s, sizeof(s)), URL_FILE);
	assert_int_equal(url_classify("c:\\x.exe", s, sizeof(s)), URL_OTHER);
	assert_int_equal(
	    url_classify("java script:x", s, sizeof(s)), URL_OTHER);
	assert_int_equal(url_classify("\xef\xbd\x8a"
				      "avascript:x",
			     s, sizeof(s)),
	    URL_OTHER);
	assert_int_equal(
	    url_classify("averyveryverylongscheme:x", s, sizeof(s)), URL_OTHER);
	assert_int_equal(strlen(s), sizeof(s) - 1);
}

static void
test_css_check(void **state)
{
	/* clang-format off */
	static const struct {
		const char *css;
		int verdict;
	} cases[] = {
		{ "color: red; fill: url(#g)", CSS_OK },
		{ "fill: url( '#g' )", CSS_OK },
		{ "background: url(x.png)", CSS_EXTERNAL },
		{ "background: URL (x.png)", CSS_EXTERNAL },
		{ "@import 'x.css'", CSS_EXTERNAL },
		{ "@\\69mport 'x.css'", CSS_EXTERNAL },
		{ "b: \\75\\72\\6c(x)", CSS_EXTERNAL },
		{ "b: image-set('a.png' 1x)", CSS_EXTERNAL },
		{ "b: url(data:image/png;base64,AA)", CSS_DANGEROUS_URL },
		{ "b: url(javascript:alert(1))", CSS_DANGEROUS_URL },
		{ "w: expression(alert(1))", CSS_SCRIPT },
		{ "w: expr/* */ession(alert(1))", CSS_SCRIPT },
		{ "behavior: url(x.htc)", CSS_SCRIPT },
		{ "-moz-binding: url(x)", CSS_SCRIPT },
		{ "a { b: c } /* unterminated url(", CSS_OK },
	};
	/* clang-format on */
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (css_check(cases[i].css, strlen(cases[i].css)) !=
		    cases[i].verdict)
			fail_msg("css %s", cases[i].css);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_html_clean_document),
	    cmocka_unit_test(test_html_script_and_handlers),
	    cmocka_unit_test(test_html_obfuscated_urls),
	    cmocka_unit_test(test_html_frames_forms_resources),
	    cmocka_unit_test(test_html_css),
	    cmocka_unit_test(test_html_links_policy),
	    cmocka_unit_test(test_html_foreign_and_comments),
	    cmocka_unit_test(test_html_shift_jis),
	    cmocka_unit_test(test_html_limits),
	    cmocka_unit_test(test_inspect_mode),
	    cmocka_unit_test(test_svg_hostile),
	    cmocka_unit_test(test_svg_clean_and_links),
	    cmocka_unit_test(test_svg_refused),
	    cmocka_unit_test(test_url_classify),
	    cmocka_unit_test(test_css_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
