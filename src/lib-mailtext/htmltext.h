/*
 * htmltext - an HTML mail body turned into plain text a person can read
 * and no mail client can make run, fetch or open anything from.
 *
 * Input is UTF-8 (the caller decoded the part's charset); gumbo parses
 * it as a browser would (entities decoded, broken markup repaired).
 * Output is appended to out: UTF-8, LF line ends, no trailing blanks,
 * never two blank lines in a row, no leading blank line, ending in one
 * LF when anything was written. Controls (C0 but tab/LF, DEL, C1) never
 * reach it.
 *
 * Shape:
 *  - h1 "■ title", h2 "□ title", h3-h6 plain; each heading is a
 *    paragraph of its own (blank line before and after).
 *  - p, pre, blockquote, hr, tables, top-level lists: blank line around.
 *    Outlook's p.MsoNormal (and any p with margin:0) is one line, as it
 *    is on screen, and its "&nbsp;" paragraphs are the blank lines.
 *  - div and the other blocks (section, li, dt, tr...): a line break
 *    only. Gmail writes each line as a div and empty lines as
 *    <div><br></div>; a blank line per div would double every line.
 *  - br: line break; several in a row give one blank line at most.
 *  - ul items "- ", ol items "1. " (start, reversed and value honoured),
 *    nested lists two spaces deeper per level, dd two spaces in.
 *  - tables: one line per row, cells joined with " | " (th too; empty
 *    cells and block breaks at a cell's edges do not split the row);
 *    a row holding a nested table (layout tables of newsletters) puts
 *    each cell on its own line instead.
 *  - pre keeps its spaces and line breaks; blockquote lines start "> "
 *    (">" on blank lines); hr is a line of 40 '-'.
 *  - elsewhere whitespace collapses as in a browser; a collapsed break
 *    between two East Asian wide characters disappears (CSS Text 3),
 *    so Japanese wrapped in the source is not cut by spaces. &nbsp; is
 *    a space that does not collapse (but collapses inside table cells,
 *    where it is layout filler).
 *  - ruby: base then reading in "（）" unless the mail has <rp>.
 *  - img: "[image: alt]" when it has alt text; a cid: image (inline
 *    attachment) without alt gives "[image]"; other images without alt
 *    and tracking pixels give nothing.
 *
 * Dropped with their content (counted in the mail.html detail): head
 * (title included), script, style, link, meta, base, noscript (the
 * text is read without scripts, but a mail client with scripts shows
 * nothing of it), object, embed, applet, iframe, frame(set), audio,
 * video, canvas, map/area, svg, math, form controls (input, button,
 * select, textarea...; labels and the form's other text stay),
 * comments and conditional comments (<!--[if mso]>...).
 *
 * Hidden (mail.hidden_text, counted when the dropped part holds text):
 * template, the hidden attribute, and inline styles display:none,
 * visibility:hidden/collapse, opacity below 0.1, mso-hide:all, width:0,
 * height:0, max-width:0 or max-height:0 (the element and all it holds);
 * font-size 1px or less (0, 0px, 0.5pt, 0em...) and color:transparent
 * (the text only, until a descendant sets a visible font-size or color,
 * as the "font-size:0" layout trick of responsive mail does). Classes
 * and ids given display:none, visibility:hidden or mso-hide:all by a
 * top-level rule of a <style> seen earlier in the document (rules
 * inside @media are ignored: they are responsive variants) hide too,
 * unless the element's own style sets display.
 *
 * Links: an <a href> to http(s), ftp or mailto shows its text, then
 * " <" target ">" written by defang_url() per o->links (with
 * LINKS_REMOVE only the text). When the visible text is the target
 * itself, the target is shown once, in its place, with a space between
 * it and ASCII text right after or before it (so "info@x.jp" then
 * "ie@e" cannot make one address again). The target of a
 * link whose text is a different URL (phishing) is always shown, after
 * it. Hrefs to script, data, file, network paths or unknown schemes are
 * never written (counted in mail.html); relative and #fragment hrefs
 * show the text only. All text, alt text included, then goes through
 * textlinks_rewrite(), line by line across inline tags, so a URL split
 * over several elements ("http<b></b>://evil") is found as the reader
 * would see it.
 *
 * Findings (report_add, location o->location):
 *  - mail.html removed, always once: what was dropped.
 *  - mail.remote_image removed, when there were http(s), network-path,
 *    unknown-scheme or data: images (img src/srcset, background
 *    attributes, CSS url()): how many, tracking pixels among them.
 *  - mail.hidden_text removed: how many hidden elements held text.
 *  - mail.link reported (LINKS_KEEP) or removed: number of links
 *    (hrefs and URLs in the text, blocked ones included).
 *  - limit.xml_depth blocked: elements nested deeper than max_depth.
 *  - limit.xml_nodes blocked: gumbo's tree outgrew max_mem.
 *  - limit.output_size blocked: the text would pass max_out bytes or
 *    out's own maximum.
 * After a limit finding the function returns 0 and out holds a partial
 * text that must not be delivered (the caller holds the message).
 *
 * Resources: the tree walk uses an explicit stack of at most
 * max_depth + 1 frames, never the C stack; gumbo allocates through a
 * counting allocator that frees the whole tree in one pass (gumbo's own
 * destroy recurses once per level). The walk takes time linear in the
 * input plus the output; gumbo 0.10's parse does not: each start tag
 * scans the open elements, so nesting N deep costs N^2 before the
 * depth limit can be seen (50,000 nested divs, 250 KB: 3.5 s).
 */
#ifndef SANSO_HTMLTEXT_H
#define SANSO_HTMLTEXT_H

#include <stddef.h>

#include "buffer.h"
#include "cdr.h"
#include "report.h"

#define HTMLTEXT_MAX_DEPTH_DEFAULT 400
#define HTMLTEXT_MAX_MEM_DEFAULT (LIMIT_JOB_MEMORY_DEFAULT / 2)

struct htmltext_opts {
	enum link_policy links;
	size_t max_out; /* bytes appended at most; 0 = out's max */
	unsigned max_depth; /* element nesting; 0 = 400 */
	size_t max_mem; /* gumbo tree bytes; 0 = 1 GiB */
	const char *location; /* for findings (e.g. MIME part); NULL ok */
};

/* Convert len bytes of UTF-8 HTML into text appended to out (see
   above). Returns 0 when done or when a limit finding was recorded
   (blocked: out is then not to be used), -1 on internal failure (out
   of memory) after report_set_error(). */
int htmltext_convert(const char *utf8, size_t len,
    const struct htmltext_opts *o, struct buffer *out, struct report *r);

#endif
