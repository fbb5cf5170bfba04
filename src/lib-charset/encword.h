/*
 * encword - RFC 2047 encoded words in header fields, decoded to UTF-8.
 *
 * Written for the mail senders sanso meets rather than for the RFC:
 * multibyte characters and ISO-2022-JP escape runs split across words,
 * words glued to text, raw Shift_JIS / ISO-2022-JP / UTF-8 bytes with
 * no encoding at all. A word that does not parse is kept as literal
 * text. The output never holds CR, LF or other control characters
 * (they become spaces, TAB stays), so it is safe to fold and re-encode.
 *
 * res (may be NULL) is reset, then gathers what every piece reported:
 * used is the charset of the last encoded word decoded, or of the raw
 * 8-bit text when that had to be guessed (guessed set), NULL when the
 * input was plain ASCII; mislabelled / invalid are set if any piece
 * set them.
 *
 * Memory used is proportional to len (the caller bounds len by
 * limits.header_bytes). Both functions return 0, or -1 when out
 * refuses to grow or memory runs out; out then holds a partial result.
 */
#ifndef SANSO_ENCWORD_H
#define SANSO_ENCWORD_H

#include <stddef.h>

#include "buffer.h"
#include "charset.h"

/* Unstructured field (Subject, Comments, Content-Description): unfold,
   decode, append UTF-8 to out. Adjacent words of one charset and
   encoding are joined as bytes before the charset decoding, and the
   white space between encoded words is dropped. */
int encword_decode_text(const char *raw, size_t len, struct buffer *out,
    struct charset_result *res);

/* Address-list field (From, To, Cc, Reply-To, Sender): as above, but
   each run of encoded words in a phrase becomes ONE quoted-string (with
   " and \ escaped), and encoded words inside quoted strings and
   comments are decoded there with escaping, so decoded , < > @ " ;
   can never change the address structure. Angle addresses, addr-specs
   and punctuation are copied. The output is UTF-8 for an RFC 5322 /
   RFC 6532 address parser. */
int encword_decode_phrase(const char *raw, size_t len, struct buffer *out,
    struct charset_result *res);

/* Number of well-formed encoded words in raw[0..len) (after
   unfolding), as encword_decode_text() would decode them. */
unsigned encword_count(const char *raw, size_t len);

#endif
