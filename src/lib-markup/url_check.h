/*
 * url_check - classify URLs and CSS the way a browser will read them.
 *
 * Markup sanitizers (HTML and SVG) decide what to keep from what a
 * URL or a style sheet will make the browser do, so both parse them
 * here, once, after the normalisation browsers apply: entities are
 * already decoded by the markup parser; leading and trailing C0/space
 * is stripped, tabs and newlines inside are ignored, backslashes count
 * as slashes, CSS escapes and comments are undone before matching.
 * Anything that looks like a scheme but is not one we know is treated
 * as unknown (never as a harmless relative path): fail closed.
 */
#ifndef SANSO_URL_CHECK_H
#define SANSO_URL_CHECK_H

#include <stddef.h>

enum url_kind {
	URL_FRAGMENT, /* empty or "#id": this document */
	URL_RELATIVE, /* path or query relative to the document */
	URL_WEB, /* http: or https: */
	URL_MAILTO, /* mailto: */
	URL_NETPATH, /* //host or \\host: a UNC path when opened locally */
	URL_SCRIPT, /* javascript:, vbscript: and their kin */
	URL_DATA, /* data: */
	URL_FILE, /* file: */
	URL_OTHER, /* any other scheme (ftp:, ms-msdt:, search-ms:, cid:) */
};

/* Classify a NUL-terminated attribute value (entities already decoded).
   The lower-cased scheme (or "" without one) is copied into scheme
   (scheme_size bytes, at least 1), truncated if longer, for findings. */
enum url_kind url_classify(const char *value, char *scheme, size_t scheme_size);

/* True for the kinds that run code or carry unsanitized bytes. */
int url_kind_dangerous(enum url_kind kind);

enum css_verdict {
	CSS_OK, /* no script, no reference outside the document */
	CSS_EXTERNAL, /* url() to anything but #id, @import, image-set() */
	CSS_DANGEROUS_URL, /* javascript:/vbscript: or url(data:...) */
	CSS_SCRIPT, /* expression(), behavior:, -moz-binding */
};

/* Check len bytes of CSS (a style attribute or a style element).
   Returns the worst verdict found, or -1 when memory runs out. */
int css_check(const char *css, size_t len);

#endif
