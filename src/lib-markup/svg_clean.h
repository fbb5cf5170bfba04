/*
 * svg_clean - rebuild an SVG document through an allow-list of SVG
 * elements and attributes, with libxml2 as the XML parser.
 *
 * libxml2 parses without entity substitution, without network and
 * without loading any DTD; a DOCTYPE that declares entities is refused
 * outright (billion laughs, external entities), and element count and
 * depth are checked while parsing, before the tree grows. The output is
 * written from scratch: SVG elements without prefix under one default
 * namespace, xlink: and xml: attributes only, text escaped; DOCTYPE,
 * comments and processing instructions are never copied.
 */
#ifndef SANSO_SVG_CLEAN_H
#define SANSO_SVG_CLEAN_H

#include <stddef.h>

#include "cdr.h"
#include "markup_out.h"

/* Rebuild the SVG in[0..len) as UTF-8 XML into out, recording each
   removal in r; XML that does not parse is an svg.malformed blocked
   finding and limits reached are limit.* blocked findings. Returns 0,
   or -1 on internal failure after report_set_error(). */
int svg_clean(struct cdr_ctx *ctx, struct report *r, const unsigned char *in,
    size_t len, struct markup_out *out);

#endif
