/*
 * html_clean - rebuild an HTML document from gumbo's HTML5 tree through
 * an allow-list of elements and attributes.
 *
 * gumbo parses as a browser does, so the tree walked here is the one a
 * browser would build. Only allowed elements and attributes are written
 * back, text is always escaped and the only raw text written is CSS
 * that passed css_check(), so whatever parser reads the output sees
 * exactly the tags written here: no script, handler, frame, form,
 * dangerous URL or external resource can come back from a parser
 * difference (mutation XSS). Inline SVG and MathML are dropped for the
 * same reason.
 */
#ifndef SANSO_HTML_CLEAN_H
#define SANSO_HTML_CLEAN_H

#include <stddef.h>

#include "cdr.h"
#include "markup_out.h"

/* Rebuild the document in[0..len) (any encoding html_charset knows)
   as UTF-8 into out, recording each removal in r. Limits reached are
   recorded as limit.* blocked findings. Returns 0, or -1 on internal
   failure (out of memory) after report_set_error(). The caller checks
   out's status for the output size. */
int html_clean(struct cdr_ctx *ctx, struct report *r, const unsigned char *in,
    size_t len, struct markup_out *out);

#endif
