/*
 * test-mailtext - HTML mail to text and link defanging: exact text for
 * each shape, findings, every link policy, hostile markup, limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "defang.h"
#include "htmltext.h"

struct conv {
	struct arena *arena;
	struct report *r;
	struct buffer out;
	int ret;
};

/* Convert html with policy p (other options default). */
static void
conv_run(struct conv *c, const char *html, enum link_policy p,
    const struct htmltext_opts *opts)
{
	struct htmltext_opts o;

	memset(c, 0, sizeof(*c));
	if (opts != NULL)
		o = *opts;
	else {
		memset(&o, 0, sizeof(o));
		o.links = p;
	}
	c->arena = arena_create(16 * 1024 * 1024);
	assert_non_null(c->arena);
	c->r = report_new(c->arena, "body");
	assert_non_null(c->r);
	buffer_init(&c->out, 64 * 1024 * 1024);
	c->ret = htmltext_convert(html, strlen(html), &o, &c->out, c->r);
}

static const char *
conv_text(const struct conv *c)
{
	return c->out.data != NULL ? (const char *)c->out.data : "";
}

static void
conv_free(struct conv *c)
{
	buffer_free(&c->out);
	arena_destroy(c->arena);
}

/* The finding with this code, or NULL. */
static const struct report_finding *
finding(const struct report *r, const char *code)
{
	const struct report_finding *f;

	for (f = r->findings; f != NULL; f = f->next) {
		if (strcmp(f->code, code) == 0)
			return f;
	}
	return NULL;
}

static unsigned
finding_count(const struct report *r, const char *code)
{
	const struct report_finding *f;
	unsigned n = 0;

	for (f = r->findings; f != NULL; f = f->next)
		n += strcmp(f->code, code) == 0;
	return n;
}

/* Convert and compare the whole text. */
static void
expect_text(const char *html, enum link_policy p, const char *want)
{
	struct conv c;

	conv_run(&c, html, p, NULL);
	assert_int_equal(c.ret, 0);
	assert_string_equal(conv_text(&c), want);
	assert_int_equal(finding_count(c.r, "mail.html"), 1);
	conv_free(&c);
}

static void
test_blocks(void **state)
{
	(void)state;
	expect_text("<h1>Title</h1><p>One <b>bold</b>\n word.</p>"
		    "<p>Two</p><h2>Sub</h2><h3>Small</h3>text",
	    LINKS_DEFANG,
	    "■ Title\n\nOne bold word.\n\nTwo\n\n□ Sub\n\nSmall\n\ntext\n");
	/* Empty elements add nothing; no blank line first or last. */
	expect_text("<p></p><div> </div><p>a</p><p>\n</p><div></div>",
	    LINKS_DEFANG, "a\n");
	expect_text("", LINKS_DEFANG, "");
	expect_text("a<br>b<br><br><br><br>c<br>", LINKS_DEFANG, "a\nb\n\nc\n");
	expect_text("<div>a</div><div>b</div><section>c</section>",
	    LINKS_DEFANG, "a\nb\nc\n");
	expect_text("<p>x</p><hr><p>y</p>", LINKS_DEFANG,
	    "x\n\n----------------------------------------\n\ny\n");
}

static void
test_lists(void **state)
{
	(void)state;
	expect_text("<p>Before</p><ul><li>a</li><li>b<ul><li>c</li>"
		    "<li>d<ol><li>e</li></ol></li></ul></li><li>f</li></ul>"
		    "<p>After</p>",
	    LINKS_DEFANG,
	    "Before\n\n- a\n- b\n  - c\n  - d\n    1. e\n- f\n\nAfter\n");
	expect_text("<ol start=\"9\"><li>nine</li><li>ten</li>"
		    "<li value=\"20\">twenty</li><li>x</li></ol>",
	    LINKS_DEFANG, "9. nine\n10. ten\n20. twenty\n21. x\n");
	expect_text("<ol reversed><li>c</li><li>b</li><li>a</li></ol>",
	    LINKS_DEFANG, "3. c\n2. b\n1. a\n");
	/* A line break inside an item is indented under its text. */
	expect_text("<ul><li>one<br>two</li></ul><dl><dt>term</dt>"
		    "<dd>def</dd></dl>",
	    LINKS_DEFANG, "- one\n  two\n\nterm\n  def\n");
}

static void
test_tables(void **state)
{
	(void)state;
	expect_text("<table><tr><th>名前</th><th>課</th></tr>"
		    "<tr><td>山田</td><td>総務</td></tr>"
		    "<tr><td></td><td>空</td></tr></table><p>after</p>",
	    LINKS_DEFANG, "名前 | 課\n山田 | 総務\n空\n\nafter\n");
	/* Outlook wraps every cell's text in a paragraph. */
	expect_text("<table><tr><td><p class=MsoNormal>項目</p></td>"
		    "<td><p>内容</p></td></tr><tr><td><p>日時</p></td>"
		    "<td><p>5月1日</p></td></tr></table>",
	    LINKS_DEFANG, "項目 | 内容\n日時 | 5月1日\n");
	/* A layout table: a nested table puts cells on lines. */
	expect_text("<table><tr><td>logo</td></tr><tr><td><table>"
		    "<tr><td>Item</td><td>Price</td></tr>"
		    "<tr><td>A</td><td>100</td></tr></table></td>"
		    "<td>&nbsp;</td><td>side</td></tr></table>",
	    LINKS_DEFANG, "logo\n\nItem | Price\nA | 100\n\nside\n");
}

static void
test_pre_quote(void **state)
{
	(void)state;
	expect_text("<pre>  indented\n\tx = 1;   \n\n\n\nend</pre>after",
	    LINKS_DEFANG, "  indented\n\tx = 1;\n\nend\n\nafter\n");
	expect_text("<p>Hi</p><blockquote><p>quoted</p><p>two</p>"
		    "<blockquote>deep</blockquote></blockquote><p>bye</p>",
	    LINKS_DEFANG, "Hi\n\n> quoted\n>\n> two\n>\n> > deep\n\nbye\n");
}

static void
test_outlook_gmail(void **state)
{
	(void)state;
	/* Outlook: p.MsoNormal is one line, &nbsp; paragraphs blank. */
	expect_text("<div class=WordSection1><p class=MsoNormal>山田様<o:p>"
		    "</o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>"
		    "<p class=MsoNormal>お世話になっております。<o:p></o:p></p>"
		    "<p class=MsoNormal>総務課の鈴木です。</p></div>",
	    LINKS_DEFANG,
	    "山田様\n\nお世話になっております。\n総務課の鈴木です。\n");
	/* Gmail: a div per line, <div><br></div> for an empty line. */
	expect_text("<div dir=ltr><div>こんにちは</div><div><br></div>"
		    "<div>本文1</div><div>本文2</div></div>",
	    LINKS_DEFANG, "こんにちは\n\n本文1\n本文2\n");
}

static void
test_japanese(void **state)
{
	(void)state;
	/* A source line break between Japanese characters is no space,
	   also across inline tags; between Latin words it is. */
	expect_text(
	    "<p>日本語の\n文章が<span>続く</span>\n場合 and\nEnglish</p>",
	    LINKS_DEFANG, "日本語の文章が続く場合 and English\n");
	expect_text("<p><ruby>漢字<rt>かんじ</rt></ruby>と<ruby>東京<rp>(</rp>"
		    "<rt>とうきょう</rt><rp>)</rp></ruby></p>",
	    LINKS_DEFANG, "漢字（かんじ）と東京(とうきょう)\n");
	/* A URL ends at the first non-ASCII character. */
	expect_text("<p>詳細はhttps://example.com/aです。</p>", LINKS_DEFANG,
	    "詳細はhxxps://example[.]com/aです。\n");
	expect_text("<p>詳細はhttps://example.com/aです。</p>", LINKS_KEEP,
	    "詳細はhttps://example.com/aです。\n");
}

static void
test_entities(void **state)
{
	(void)state;
	expect_text("<p>&amp; &#x2460; &lt;tag&gt; &quot;q&quot; A&nbsp;&nbsp;B"
		    " &copy;</p>",
	    LINKS_DEFANG, "& ① <tag> \"q\" A  B ©\n");
	/* Controls never reach the text (gumbo replaces those of the
	   source, &#x85; is "…" as in windows-1252, &#x7f; goes). */
	expect_text("<p>a\x01\x1b[31mb&#x85;c&#x7f;d</p>", LINKS_DEFANG,
	    "a\xef\xbf\xbd\xef\xbf\xbd[31mb…cd\n");
}

static void
test_dropped(void **state)
{
	struct conv c;
	const struct report_finding *f;

	(void)state;
	conv_run(&c,
	    "<html><head><title>TITLE</title><style>p{color:red} .x{}</style>"
	    "<script>SCRIPT1</script><meta http-equiv=refresh></head><body>"
	    "<p>keep</p><script>SCRIPT2</script><!-- COMMENT -->"
	    "<!--[if mso]><p>CONDITIONAL</p><![endif]--><noscript>NOSCRIPT"
	    "</noscript><iframe src=x>IFRAME</iframe><object>OBJECT</object>"
	    "<svg><text>SVG</text></svg><math><mi>MATH</mi></math>"
	    "<form action=x><label>Name</label> <input value=VALUE>"
	    "<button>BUTTON</button><select><option>OPTION</select>"
	    "<textarea>TEXTAREA</textarea></form><video>VIDEO</video>"
	    "</body></html>",
	    LINKS_DEFANG, NULL);
	assert_int_equal(c.ret, 0);
	assert_string_equal(conv_text(&c), "keep\n\nName\n");
	f = finding(c.r, "mail.html");
	assert_non_null(f);
	assert_int_equal(f->action, FINDING_REMOVED);
	assert_non_null(strstr(f->detail, "2 scripts"));
	assert_non_null(strstr(f->detail, "1 style sheet"));
	assert_non_null(strstr(f->detail, "2 frames or objects"));
	assert_non_null(strstr(f->detail, "1 form,"));
	assert_non_null(strstr(f->detail, "4 form controls"));
	assert_non_null(strstr(f->detail, "2 svg/math blocks"));
	assert_non_null(strstr(f->detail, "1 noscript block"));
	assert_null(finding(c.r, "mail.link"));
	conv_free(&c);
}

static void
test_hidden(void **state)
{
	struct conv c;
	const struct report_finding *f;

	(void)state;
	conv_run(&c,
	    "<style>.pre{display:none}@media(max-width:600px){.mob{display:"
	    "none}}p.x,#Secret{mso-hide:all}</style>"
	    "<div style=\"display:none;max-height:0\">PREHEADER</div>"
	    "<div style=\"mso-hide:all\">MSOHIDE</div>"
	    "<p hidden>HIDDENATTR</p><p style=\"visibility: hidden\">VIS</p>"
	    "<span style=\"opacity:0\">OPACITY</span>"
	    "<div style=\"width:0;overflow:hidden\">WIDTH</div>"
	    "<span style=\"color:transparent\">CLEAR</span>"
	    "<span class=\"a pre\">CLASSHIDDEN</span><b id=secret>IDHIDDEN</b>"
	    "<template>TEMPLATE</template>"
	    "<div style=\"DISPLAY : NONE !important\">UPPER</div>"
	    "<div style=\"display:/**/none\">COMMENTED</div>"
	    "<div style=\"display:none\"> &nbsp; </div>"
	    "<p class=mob>mobile</p><span class=pre style=\"display:block\">"
	    "shown</span>"
	    "<div style=\"font-size:0\">TINY<div style=\"font-size:14px\">"
	    "child</div></div><p style=\"font-size:1px\">ONEPX</p>",
	    LINKS_DEFANG, NULL);
	assert_int_equal(c.ret, 0);
	assert_string_equal(conv_text(&c), "mobile\n\nshown\nchild\n");
	f = finding(c.r, "mail.hidden_text");
	assert_non_null(f);
	assert_int_equal(f->action, FINDING_REMOVED);
	/* 14 with text; the blank one is not counted. */
	assert_string_equal(f->detail, "14 hidden elements with text");
	conv_free(&c);
}

static void
test_images(void **state)
{
	struct conv c;
	const struct report_finding *f;

	(void)state;
	conv_run(&c,
	    "<p>Hello<img src=\"https://t.example/open.gif\" width=1 height=1>"
	    "</p><p><img src=\"http://img.example/banner.png\" alt=\"バナー\">"
	    "<img src=\"cid:logo@x\" alt=\"Logo\"> <img src=\"cid:p2\">"
	    "<img src=\"data:image/png;base64,AAAA\">"
	    "<img src=\"https://t.example/b\" style=\"width:0px\">"
	    "<img src=\"http://x.example/nothing.png\"></p>"
	    "<table background=\"http://bg.example/x.png\"><tr><td>cell</td>"
	    "</tr></table>",
	    LINKS_DEFANG, NULL);
	assert_int_equal(c.ret, 0);
	assert_string_equal(conv_text(&c),
	    "Hello\n\n[image: バナー] [image: Logo] [image]\n\ncell\n");
	f = finding(c.r, "mail.remote_image");
	assert_non_null(f);
	assert_int_equal(f->action, FINDING_REMOVED);
	assert_string_equal(f->detail,
	    "4 remote images, 1 data: image, 2 tracking pixels, "
	    "1 background or CSS image");
	assert_null(finding(c.r, "mail.hidden_text"));
	conv_free(&c);
}

/* One sample, every policy: text and mail.link. */
static void
test_link_policies(void **state)
{
	static const char html[] =
	    "<p>Visit <a href=\"https://www.city.example.lg.jp/a?b=c\">our"
	    " site</a>.</p><p><a href=\"mailto:info@city.example.jp\">"
	    "info@city.example.jp</a> or www.example.org</p>";
	static const char *const want[] = {
	    "Visit our site <https://www.city.example.lg.jp/a?b=c>.\n\n"
	    "mailto:info@city.example.jp or www.example.org\n",
	    "Visit our site <hxxps://www[.]city[.]example[.]lg[.]jp/a?b=c>"
	    ".\n\nmailto:info[@]city[.]example[.]jp or "
	    "www[.]example[.]org\n",
	    "Visit our site.\n\n[リンク削除 / link removed] or "
	    "[リンク削除 / link removed]\n",
	};
	static const char *const detail[] = {
	    "3 links kept",
	    "3 links defanged",
	    "3 links removed",
	};
	const struct report_finding *f;
	struct conv c;
	int p;

	(void)state;
	for (p = LINKS_KEEP; p <= LINKS_REMOVE; p++) {
		conv_run(&c, html, (enum link_policy)p, NULL);
		assert_int_equal(c.ret, 0);
		assert_string_equal(conv_text(&c), want[p]);
		f = finding(c.r, "mail.link");
		assert_non_null(f);
		assert_int_equal(f->action,
		    p == LINKS_KEEP ? FINDING_REPORTED : FINDING_REMOVED);
		assert_string_equal(f->detail, detail[p]);
		conv_free(&c);
	}
}

static void
test_phishing(void **state)
{
	static const char html[] =
	    "<p>ログインは<a href=\"https://evil.example/login\">"
	    "https://bank.example.jp</a>から</p>";
	struct conv c;

	(void)state;
	expect_text(html, LINKS_DEFANG,
	    "ログインはhxxps://bank[.]example[.]jp "
	    "<hxxps://evil[.]example/login>から\n");
	expect_text(html, LINKS_KEEP,
	    "ログインはhttps://bank.example.jp <https://evil.example/login>"
	    "から\n");
	/* The userinfo trick: the real host is what gets defanged. */
	expect_text("<a href=\"http://bank.example.jp@evil.example/\">"
		    "bank</a>",
	    LINKS_DEFANG,
	    "bank <hxxp://bank[.]example[.]jp[@]evil[.]example/>\n");
	/* Visible text equal to the target: shown once. */
	expect_text("<a href=\"https://example.com/\">https://example.com/</a>",
	    LINKS_DEFANG, "hxxps://example[.]com/\n");
	/* ... and kept apart from the text after it. */
	expect_text("<a href=\"mailto:a@b.example\">a@b.example</a>ie@e"
		    "<a href=\"http://x.example\">http://x.example</a>です",
	    LINKS_DEFANG,
	    "mailto:a[@]b[.]example ie@e hxxp://x[.]exampleです\n");
	conv_run(&c, html, LINKS_DEFANG, NULL);
	assert_string_equal(
	    finding(c.r, "mail.link")->detail, "2 links defanged");
	conv_free(&c);
}

static void
test_bad_hrefs(void **state)
{
	struct conv c;
	const char *t;

	(void)state;
	conv_run(&c,
	    "<a href=\"javascript:alert('JS1')\">one</a> "
	    "<a href=\" JaVa&#x09;ScRiPt:alert('JS2')\">two</a> "
	    "<a href=\"data:text/html,DATA\">three</a> "
	    "<a href=\"vbscript:VBS\">four</a> <a href=\"file:///c:/FILE\">"
	    "five</a> <a href=\"\\\\evil\\UNC\">six</a> "
	    "<a href=\"ms-msdt:/id MSDT\">seven</a> <a href=\"#top\">eight</a>"
	    " <a href=\"rel/page.html\">nine</a> <a>ten</a>",
	    LINKS_KEEP, NULL);
	assert_int_equal(c.ret, 0);
	t = conv_text(&c);
	assert_string_equal(
	    t, "one two three four five six seven eight nine ten\n");
	assert_non_null(strstr(finding(c.r, "mail.html")->detail,
	    "7 script, data, file or unknown-scheme links"));
	assert_null(finding(c.r, "mail.link"));
	conv_free(&c);
}

static void
test_split_url(void **state)
{
	(void)state;
	/* Markup cannot hide a URL from the rewrite by cutting it up. */
	expect_text("<p>http<b></b>://evil<i>.example</i>/x and "
		    "w<span>ww.</span>evil.example</p>",
	    LINKS_DEFANG, "hxxp://evil[.]example/x and www[.]evil[.]example\n");
	/* Generated text is set apart: it never joins a URL. */
	expect_text("<p><a href=\"https://a.example/\">x</a>www.b.example "
		    "http://c.example<img src=cid:1 alt=\"y\">.d.example</p>",
	    LINKS_DEFANG,
	    "x <hxxps://a[.]example/> www[.]b[.]example "
	    "hxxp://c[.]example [image: y] .d.example\n");
}

static void
test_reparse(void **state)
{
	static const char html[] =
	    "<p><a href=\"https://evil.example/\">click</a> "
	    "https://x.example <a href=\"mailto:a@b.example\">mail</a> "
	    "www.y.example</p>";
	struct conv c, c2;

	(void)state;
	conv_run(&c, html, LINKS_REMOVE, NULL);
	assert_non_null(finding(c.r, "mail.link"));
	conv_run(&c2, conv_text(&c), LINKS_REMOVE, NULL);
	assert_string_equal(conv_text(&c2), conv_text(&c));
	assert_null(finding(c2.r, "mail.link"));
	conv_free(&c);
	conv_free(&c2);
}

static void
test_append(void **state)
{
	struct htmltext_opts o;
	struct arena *arena = arena_create(1024 * 1024);
	struct report *r = report_new(arena, "x");
	struct buffer out;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.links = LINKS_DEFANG;
	o.location = "part 1.2";
	buffer_init(&out, 1024);
	assert_int_equal(buffer_append_str(&out, "Head:\n"), 0);
	assert_int_equal(htmltext_convert("<p>a</p>", 8, &o, &out, r), 0);
	assert_string_equal((const char *)out.data, "Head:\na\n");
	assert_string_equal(r->findings->location, "part 1.2");
	buffer_free(&out);
	arena_destroy(arena);
}

static void
test_limits(void **state)
{
	struct htmltext_opts o;
	struct conv c;
	char *deep;
	size_t i, n = 3000;

	(void)state;
	/* Nesting past max_depth: blocked, not a crash. */
	deep = malloc(n * 5 + 16);
	assert_non_null(deep);
	for (i = 0; i < n; i++)
		memcpy(deep + i * 5, "<div>", 5);
	strcpy(deep + n * 5, "deep");
	memset(&o, 0, sizeof(o));
	o.links = LINKS_DEFANG;
	conv_run(&c, deep, LINKS_DEFANG, &o);
	assert_int_equal(c.ret, 0);
	assert_int_equal(
	    finding(c.r, "limit.xml_depth")->action, FINDING_BLOCKED);
	conv_free(&c);
	o.max_depth = 5;
	conv_run(&c,
	    "<div><div><div><div><div><div>x</div></div></div>"
	    "</div></div></div>",
	    LINKS_DEFANG, &o);
	assert_non_null(finding(c.r, "limit.xml_depth"));
	conv_free(&c);
	o.max_depth = 0;
	/* Output larger than max_out. */
	o.max_out = 10;
	conv_run(&c, "<p>0123456789abcdef</p>", LINKS_DEFANG, &o);
	assert_int_equal(c.ret, 0);
	assert_int_equal(
	    finding(c.r, "limit.output_size")->action, FINDING_BLOCKED);
	conv_free(&c);
	o.max_out = 0;
	/* Tree bigger than max_mem. */
	o.max_mem = 4096;
	conv_run(&c, deep, LINKS_DEFANG, &o);
	assert_int_equal(c.ret, 0);
	assert_int_equal(
	    finding(c.r, "limit.xml_nodes")->action, FINDING_BLOCKED);
	conv_free(&c);
	free(deep);
}

/* defang_url(): input, policy, output, result. */
static void
test_defang_url(void **state)
{
	static const struct {
		const char *in;
		enum link_policy p;
		const char *out;
		int ret;
	} t[] = {
	    {"http://example.com/a.b?c.d#e.f", LINKS_DEFANG,
		"hxxp://example[.]com/a.b?c.d#e.f", DEFANG_LINK},
	    {"HTTPS://Example.COM/X", LINKS_DEFANG, "hxxps://Example[.]COM/X",
		DEFANG_LINK},
	    {"ftp://ftp.example.org/pub", LINKS_DEFANG,
		"fxp://ftp[.]example[.]org/pub", DEFANG_LINK},
	    {"http://bank.example@evil.example/", LINKS_DEFANG,
		"hxxp://bank[.]example[@]evil[.]example/", DEFANG_LINK},
	    {"http://bank.example@evil.example/", LINKS_KEEP,
		"http://bank.example@evil.example/", DEFANG_LINK},
	    {"https://[2001:db8::1]:8443/a", LINKS_DEFANG,
		"hxxps://[2001:db8::1]:8443/a", DEFANG_LINK},
	    {"http://[::ffff:192.0.2.1]/", LINKS_DEFANG,
		"hxxp://[::ffff:192[.]0[.]2[.]1]/", DEFANG_LINK},
	    {"http://例え.テスト/パス", LINKS_DEFANG,
		"hxxp://例え[.]テスト/パス", DEFANG_LINK},
	    {"http://xn--r8jz45g.xn--zckzah/", LINKS_DEFANG,
		"hxxp://xn--r8jz45g[.]xn--zckzah/", DEFANG_LINK},
	    {"http://evil。example．com/", LINKS_DEFANG,
		"hxxp://evil[.]example[.]com/", DEFANG_LINK},
	    {"http://evil%2Eexample/", LINKS_DEFANG, "hxxp://evil[.]example/",
		DEFANG_LINK},
	    {"http:\\\\evil.example\\a\\b?c\\d", LINKS_DEFANG,
		"hxxp://evil[.]example/a/b?c%5Cd", DEFANG_LINK},
	    {"http:\\\\evil.example\\a", LINKS_KEEP, "http://evil.example/a",
		DEFANG_LINK},
	    {" \thttp://ex\nample.com/a b\r\n ", LINKS_KEEP,
		"http://example.com/a%20b", DEFANG_LINK},
	    {"http://a.example/\xe2\x80\xae"
	     "fdp.exe",
		LINKS_KEEP, "http://a.example/%E2%80%AEfdp.exe", DEFANG_LINK},
	    {"http://a.example/<x>\"`", LINKS_KEEP,
		"http://a.example/%3Cx%3E%22%60", DEFANG_LINK},
	    {"http://a.example/?u=http://evil.example&w=www.evil.example",
		LINKS_DEFANG,
		"hxxp://a[.]example/?u=hxxp://evil.example&w=www[.]evil"
		".example",
		DEFANG_LINK},
	    {"www.example.com/x", LINKS_DEFANG, "www[.]example[.]com/x",
		DEFANG_LINK},
	    {"mailto:a@b.c", LINKS_DEFANG, "mailto:a[@]b[.]c", DEFANG_LINK},
	    {"MAILTO:taro.yamada@city.example.jp?cc=x@y.z&subject=a.b",
		LINKS_DEFANG,
		"mailto:taro[.]yamada[@]city[.]example[.]jp?cc=x[@]y.z&"
		"subject=a.b",
		DEFANG_LINK},
	    {"mailto:a@b.c", LINKS_KEEP, "mailto:a@b.c", DEFANG_LINK},
	    {"http://example.com/", LINKS_REMOVE, "", DEFANG_LINK},
	    {"javascript:alert(1)", LINKS_DEFANG,
		"[リンク削除 / removed javascript link]", DEFANG_BLOCKED},
	    {" JaVa\tScript:alert(1)", LINKS_KEEP,
		"[リンク削除 / removed javascript link]", DEFANG_BLOCKED},
	    {"vbscript:x", LINKS_KEEP, "[リンク削除 / removed vbscript link]",
		DEFANG_BLOCKED},
	    {"data:text/html,<script>", LINKS_DEFANG,
		"[リンク削除 / removed data link]", DEFANG_BLOCKED},
	    {"file:///c:/x", LINKS_DEFANG, "[リンク削除 / removed file link]",
		DEFANG_BLOCKED},
	    {"//evil.example/x", LINKS_DEFANG,
		"[リンク削除 / removed network-path link]", DEFANG_BLOCKED},
	    {"\\\\evil\\share", LINKS_KEEP,
		"[リンク削除 / removed network-path link]", DEFANG_BLOCKED},
	    {"ms-msdt:/id x", LINKS_DEFANG,
		"[リンク削除 / removed ms-msdt link]", DEFANG_BLOCKED},
	    {"x<y:z", LINKS_DEFANG, "[リンク削除 / removed unknown link]",
		DEFANG_BLOCKED},
	    {"javascript:x", LINKS_REMOVE, "", DEFANG_BLOCKED},
	    {"#top", LINKS_DEFANG, "", DEFANG_NOT_LINK},
	    {"page.html", LINKS_KEEP, "", DEFANG_NOT_LINK},
	    {"", LINKS_KEEP, "", DEFANG_NOT_LINK},
	};
	struct buffer out;
	size_t i;

	(void)state;
	buffer_init(&out, 4096);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buffer_reset(&out);
		assert_int_equal(
		    defang_url(t[i].in, strlen(t[i].in), t[i].p, &out),
		    t[i].ret);
		assert_string_equal(
		    out.used > 0 ? (char *)out.data : "", t[i].out);
	}
	/* The buffer's maximum is honoured. */
	buffer_free(&out);
	buffer_init(&out, 8);
	assert_int_equal(
	    defang_url("http://example.com/", 19, LINKS_KEEP, &out), -1);
	buffer_free(&out);
}

/* textlinks_rewrite(): input, policy, output, count. */
static void
test_textlinks(void **state)
{
	static const struct {
		const char *in;
		enum link_policy p;
		const char *out;
		unsigned count;
	} t[] = {
	    {"詳細はhttps://example.com/aです", LINKS_DEFANG,
		"詳細はhxxps://example[.]com/aです", 1},
	    {"(see http://x.example/a_(b)) and http://y.example/p.",
		LINKS_DEFANG,
		"(see hxxp://x[.]example/a_(b)) and hxxp://y[.]example/p.", 2},
	    {"Go to www.example.com, or mailto:a@b.jp!", LINKS_DEFANG,
		"Go to www[.]example[.]com, or mailto:a[@]b[.]jp!", 2},
	    {"\"http://q.example/\" <http://r.example> 'http://s.example'",
		LINKS_DEFANG,
		"\"hxxp://q[.]example/\" <hxxp://r[.]example> "
		"'hxxp://s[.]example'",
		3},
	    {"URL：https://example.jp/、次", LINKS_DEFANG,
		"URL：hxxps://example[.]jp/、次", 1},
	    {"javascript:alert(1) \\\\server\\share", LINKS_KEEP,
		"[リンク削除 / removed javascript link] "
		"[リンク削除 / removed network-path link]",
		2},
	    {"foo@www.bar.com 12:30 Note:x e.g.www", LINKS_DEFANG,
		"foo@www.bar.com 12:30 Note:x e.g.www", 0},
	    {"hxxps://already[.]example/x hXXp://y.example", LINKS_DEFANG,
		"hxxps://already[.]example/x hXXp://y.example", 0},
	    {"hxxp://x/http://evil.example", LINKS_DEFANG,
		"hxxp://x/hxxp://evil[.]example", 1},
	    {"a http://x.example b", LINKS_REMOVE,
		"a [リンク削除 / link removed] b", 1},
	    {"a http://x.example b", LINKS_KEEP, "a http://x.example b", 1},
	    {"HTTP:\\\\X.example\\y", LINKS_DEFANG, "hxxp://X[.]example/y", 1},
	    {"", LINKS_DEFANG, "", 0},
	};
	struct buffer out;
	unsigned count;
	size_t i;

	(void)state;
	buffer_init(&out, 4096);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		buffer_reset(&out);
		count = 99;
		assert_int_equal(textlinks_rewrite(t[i].in, strlen(t[i].in),
				     t[i].p, &out, &count),
		    0);
		assert_string_equal(
		    out.used > 0 ? (char *)out.data : "", t[i].out);
		assert_int_equal(count, t[i].count);
	}
	buffer_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_blocks),
	    cmocka_unit_test(test_lists),
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test(test_pre_quote),
	    cmocka_unit_test(test_outlook_gmail),
	    cmocka_unit_test(test_japanese),
	    cmocka_unit_test(test_entities),
	    cmocka_unit_test(test_dropped),
	    cmocka_unit_test(test_hidden),
	    cmocka_unit_test(test_images),
	    cmocka_unit_test(test_link_policies),
	    cmocka_unit_test(test_phishing),
	    cmocka_unit_test(test_bad_hrefs),
	    cmocka_unit_test(test_split_url),
	    cmocka_unit_test(test_reparse),
	    cmocka_unit_test(test_append),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_defang_url),
	    cmocka_unit_test(test_textlinks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
