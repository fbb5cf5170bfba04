/*
 * defang - links in mail text shown so that the reader sees where they
 * go but cannot follow them by a click.
 *
 * defang_url() writes one URL per the link policy:
 *  - LINKS_KEEP: the URL as a browser will read it: leading/trailing
 *    blanks gone, tabs, CR, LF and other controls removed, the scheme
 *    lower-cased, "http:\\" and "http:/" written "http://", backslashes
 *    in the path written '/'. Spaces, < > " ` and invisible code points
 *    (bidi overrides, zero-width, line separators, C1 controls, bytes
 *    that are not UTF-8) are percent-encoded, so the URL stays one
 *    visible token that cannot fake its own end.
 *  - LINKS_DEFANG: the same, then http -> hxxp, https -> hxxps,
 *    ftp -> fxp, every dot of the host (also "。" "．" "｡" and %2E,
 *    which IDNA and browsers read as dots) -> "[.]", the '@' ending a
 *    userinfo -> "[@]" (http://bank.example@evil.example/ becomes
 *    hxxp://bank.example[@]evil[.]example/: what is defanged is the
 *    real host). mailto: keeps its scheme; every '@' -> "[@]" and every
 *    dot of the addresses -> "[.]". Path, query and fragment of web
 *    URLs are left as they are, but for what a mail client would take
 *    for a link of its own: a nested "http:/" (https, ftp) becomes
 *    "hxxp:/", "www." becomes "www[.]", "mailto:" "mailto[:]", and a
 *    backslash "%5C" (a UNC path).
 *  - LINKS_REMOVE: nothing is written.
 * A URL starting "www." (no scheme) is a web URL without its scheme.
 * Any other scheme (javascript:, vbscript:, data:, file:, unknown ones
 * such as ms-msdt:) and network paths (//host, \\host: UNC paths when
 * opened locally) are never written: with KEEP and DEFANG a marker
 * "[リンク削除 / removed <scheme> link]" takes their place.
 *
 * textlinks_rewrite() copies UTF-8 text, rewriting every URL it finds
 * with defang_url(). A URL starts at "scheme:/" or "scheme:\" (any
 * scheme), at "www." after a non-word character, at "\\host", or at
 * mailto:, javascript:, vbscript:, data:, file:, search-ms:, ms-*:
 * without slashes. It ends at ASCII whitespace or controls, < > " ' `,
 * and at the first non-ASCII character (Japanese text often follows a
 * URL without a space: "詳細はhttps://example.com/aです"); trailing
 * . , ; : ! ? are not part of it, nor a ')' or ']' without its opening
 * partner. URLs already defanged (hxxp://, hxxps://, fxp://, with any
 * case or h**p) are copied as they are and not counted, so converted
 * text (and security advisories quoting such URLs) passes unchanged.
 * With LINKS_REMOVE each URL is replaced by "[リンク削除 / link
 * removed]" so the reader knows one was there. Everything else is
 * copied byte for byte.
 *
 * Both take any bytes (invalid UTF-8 included), allocate only the
 * output (plus one scratch copy of a URL) and run in time linear in
 * their input.
 */
#ifndef SANSO_DEFANG_H
#define SANSO_DEFANG_H

#include <stddef.h>

#include "buffer.h"
#include "cdr.h"

/* What textlinks_rewrite() writes for a URL with LINKS_REMOVE. */
#define DEFANG_REMOVED_MARKER "[リンク削除 / link removed]"

/* What defang_url() made of its URL. */
enum defang_result {
	DEFANG_LINK = 0, /* web, ftp or mailto link: written per policy */
	DEFANG_BLOCKED = 1, /* script, data, file, network path or unknown
			       scheme: marker written (nothing with
			       LINKS_REMOVE) */
	DEFANG_NOT_LINK = 2, /* empty, #fragment or relative: nothing
				written */
};

/* Write len bytes of url to out per policy p (see above). Returns an
   enum defang_result, or -1 when out refused the bytes (errno from
   buffer_append(); out may then hold part of the URL). */
int defang_url(
    const char *url, size_t len, enum link_policy p, struct buffer *out);

/* Append len bytes of UTF-8 text to out with every URL rewritten per p;
   *count_r (may be NULL) gets the number of URLs rewritten (links and
   blocked ones; already defanged URLs are not counted). Returns 0, or
   -1 when out refused the bytes (out may then hold part of the text). */
int textlinks_rewrite(const char *utf8, size_t len, enum link_policy p,
    struct buffer *out, unsigned *count_r);

#endif
