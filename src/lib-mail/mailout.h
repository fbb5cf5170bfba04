/*
 * mailout - write the sanitized message: allow-listed headers encoded
 * afresh (RFC 2047 / RFC 5322 via GMime), MIME headers of our own, the
 * body in UTF-8 base64 (or ISO-2022-JP when asked and every character
 * fits), and re-attached files in base64 under a boundary that cannot
 * occur in base64 text. Nothing of the original's raw bytes is copied.
 */
#ifndef SANSO_MAILOUT_H
#define SANSO_MAILOUT_H

#include "buffer.h"
#include "mail_options.h"
#include "mailwalk.h"

struct mailout_file {
	const char *name;	/* UTF-8 */
	const char *mime;	/* content type */
	const unsigned char *data;
	size_t len;
	struct mailout_file *next;
};

/* Write the message: doc's headers, X-Sanso: what (tokens), X-Sanso-Id
   (mo->qid, when set), body (UTF-8 text), files (may be NULL). Returns
   0, or -1 when out refuses to grow. */
int mailout_write(const struct mail_options *mo, const struct mail_doc *doc,
    const char *what, const char *body, size_t body_len,
    const struct mailout_file *files, struct buffer *out);

#endif
