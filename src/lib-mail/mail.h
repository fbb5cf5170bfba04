/*
 * mail - inbound mail 無害化 (seed 002 3.(2)① メールテキスト化方式,
 * 6.4(3)⑤): one message in, one text message out.
 *
 * Runs only inside the sandboxed worker. The message is walked
 * (mailwalk), each attachment goes through the file engine and is
 * removed, held or re-attached as its sanitized rebuild per
 * mail_options, and the output is a new message built from scratch
 * (mailout): allow-listed headers, a text/plain body that starts with a
 * notice (Japanese, then English) listing every attachment, and the
 * re-attached files. The original never reaches the output; when the
 * message is held (limits, encryption, ambiguous structure, malware)
 * the output is the notice alone, never a partial body.
 */
#ifndef SANSO_MAIL_H
#define SANSO_MAIL_H

#include "cdr.h"
#include "mail_options.h"

/* Open what GMime and the charset converters load from files; call
   once before entering the sandbox. */
void mail_prewarm(void);

/* Sanitize len bytes of message into out (a whole RFC 5322 message, LF
   line ends), filling r: type "mail", findings, one child per
   attachment. Returns 0 when r holds a verdict and out the message to
   deliver, -1 on internal failure (r's error set; out must not be
   used). */
int mail_sanitize(struct cdr_ctx *ctx, const struct mail_options *mo,
    const unsigned char *in, size_t len, struct buffer *out,
    struct report *r);

#endif
