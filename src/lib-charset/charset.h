/*
 * charset - the one place where sanso decides what bytes of mail text
 * mean, and turns them into UTF-8.
 *
 * Mail labels lie: Outlook's "Shift_JIS" is CP932, its "ISO-2022-JP"
 * carries NEC and IBM extensions glibc refuses, UTF-8 arrives labelled
 * iso-2022-jp or us-ascii, and old Japanese mail has no label at all.
 * charset_to_utf8() never fails on content: it picks the charset the
 * text is really in (reporting mislabelled / guessed), and bytes valid
 * in no candidate become U+FFFD (reporting invalid). It never truncates.
 *
 * Only the charsets in this module's table are supported, all through
 * iconv descriptors opened once by charset_prewarm(): the worker calls it
 * before seccomp, after which open() (and so iconv_open()) fails. Any
 * other label is treated as missing and the charset is guessed, so the
 * result never depends on whether the sandbox is on. The descriptor
 * table is process-global and not thread-safe unless prewarmed; the
 * worker is single-threaded.
 */
#ifndef SANSO_CHARSET_H
#define SANSO_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "buffer.h"

struct charset_result {
	const char *used;	/* canonical name actually used, static */
	bool mislabelled;	/* declared charset was wrong (charset.mislabelled) */
	bool guessed;		/* no usable label, charset detected (charset.unknown) */
	bool invalid;		/* some bytes became U+FFFD (charset.invalid) */
};

/* Open every iconv converter and build the JIS tables this module may
   use; idempotent, keeps them for the life of the process. Call before
   the sandbox forbids open(). Other functions call it lazily too. */
void charset_prewarm(void);

/* Canonical name for a MIME charset label (case-insensitive, quotes,
   blanks and an RFC 2231 "*lang" suffix ignored), e.g. "shift_jis" ->
   "CP932"; NULL when the label is missing or not supported. */
const char *charset_canonical(const char *label);

/* Decode len bytes labelled label (NULL or "" when missing) to UTF-8,
   appended to out (a UTF-8 BOM is dropped). res (may be NULL) says which
   charset was used and why. Returns 0, or -1 only when out refuses to
   grow (its hard maximum, or no memory): out then holds a partial
   result the caller must discard. Control characters are passed as
   they are; the output is always valid UTF-8. */
int charset_to_utf8(const char *label, const unsigned char *in, size_t len,
    struct buffer *out, struct charset_result *res);

/* Canonical name of the charset in[] is most likely in (as
   charset_to_utf8() with no label would use it). Never NULL. */
const char *charset_guess(const unsigned char *in, size_t len);

/* Encode UTF-8 as ISO-2022-JP (ASCII + JIS X 0208 with NEC row 13 and
   the NEC-selected IBM rows 89-92, as Outlook's CP50221), appended to
   out and ending in ASCII. Returns 0 when every character fit, 1 when
   one did not (emoji, half-width katakana, ESC/SO/SI, invalid UTF-8;
   out then holds partial output and the caller falls back to UTF-8),
   -1 when out refuses to grow. */
int charset_utf8_to_iso2022jp(const char *utf8, size_t len,
    struct buffer *out);

/* Strict UTF-8 check: no overlongs, surrogates or code points past
   U+10FFFF. */
bool charset_is_utf8(const unsigned char *in, size_t len);

#endif
