/*
 * html_charset - find an HTML document's encoding and turn it into UTF-8.
 *
 * gumbo only reads UTF-8, so documents in Shift_JIS, EUC-JP, ISO-2022-JP
 * or a legacy single-byte encoding are converted first. The encoding is
 * taken as a browser would: a byte order mark, else a <meta charset> or
 * <meta http-equiv=Content-Type> in the first 1024 bytes (the HTML
 * prescan), else UTF-8. Undecodable bytes become U+FFFD, so the
 * sanitizer and the browser reading its UTF-8 output agree on every
 * character.
 */
#ifndef SANSO_HTML_CHARSET_H
#define SANSO_HTML_CHARSET_H

#include <stddef.h>

#include "buffer.h"

/* The iconv name of the document's encoding, or NULL for UTF-8 (also
   when the declared label is unknown). *skip_r is the length of a byte
   order mark to drop. The result is a static string. */
const char *html_charset_sniff(
    const unsigned char *in, size_t len, size_t *skip_r);

/* Convert len bytes from encoding `from` into out (which must be empty
   and allow at least 4 * len + 4 bytes). Returns 0, 1 when iconv does
   not know `from` (out untouched: read the bytes as UTF-8), or -1 when
   out is full or memory runs out. */
int html_charset_to_utf8(
    const char *from, const unsigned char *in, size_t len, struct buffer *out);

#endif
