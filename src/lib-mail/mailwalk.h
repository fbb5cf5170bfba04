/*
 * mailwalk - read one message the way the most permissive client would,
 * and split it into text to deliver and attachments to handle.
 *
 * GMime gives the structure and the transfer decoding. On top of it the
 * walk looks at every part's raw headers itself (mimeparam), because
 * GMime resolves duplicates one way and some client resolves them the
 * other: whatever any reading makes an attachment is an attachment here,
 * every file name any reading gives is kept, and a structure that two
 * readings split differently (conflicting boundaries, parts without
 * headers, invalid header names) holds the whole message.
 *
 * Text parts are decoded to UTF-8 (charset), HTML becomes text
 * (htmltext), links are rewritten per policy (defang), uuencode / yEnc /
 * BinHex blocks are cut out of text into attachments (inline), TNEF is
 * unpacked (tnef), attached messages and opaque S/MIME signed data are
 * walked recursively. Every decision is a finding on the message's
 * report. The walk never runs the file engine: mail.c does that with the
 * attachments it returns.
 */
#ifndef SANSO_MAILWALK_H
#define SANSO_MAILWALK_H

#include <stdbool.h>
#include <stddef.h>

#include "cdr.h"

struct mail_attachment {
	unsigned index;			/* 1-based, notice order */
	const char *name;		/* the name used (UTF-8), "" if none */
	const char *other_names;	/* other names some reading gives, or NULL */
	const char *declared;		/* declared content type, lower case */
	const char *origin;		/* "mime", "uuencode", "yenc", "binhex", "tnef" */
	const unsigned char *data;
	size_t len;
	bool ambiguous;		/* decoding or type ambiguous: never re-attached */
	struct mail_attachment *next;
};

/* The headers a sanitized message keeps (RFC 2047 decoded, UTF-8). */
enum mail_hdr {
	MAIL_HDR_FROM, MAIL_HDR_TO, MAIL_HDR_CC, MAIL_HDR_REPLY_TO,
	MAIL_HDR_DATE, MAIL_HDR_SUBJECT, MAIL_HDR_MESSAGE_ID,
	MAIL_HDR_IN_REPLY_TO, MAIL_HDR_REFERENCES,
	MAIL_HDR_COUNT
};

struct mail_doc {
	/* Top-level allow-listed headers: decoded UTF-8 (addresses already
	   turned into a phrase-safe form), or NULL when absent. */
	const char *hdr[MAIL_HDR_COUNT];
	struct buffer text;		/* the delivered body text, UTF-8 */
	struct mail_attachment *atts, *atts_tail;
	unsigned natts;
	unsigned parts;			/* MIME parts seen */
	bool held;			/* deliver only the held notice */
	bool html;			/* some text came from HTML */
	unsigned links;			/* links rewritten or removed */
	unsigned cut_blocks;		/* inline blocks cut from text */
	bool signature_removed;
};

/* Header names in enum order ("From", "To", ...). */
extern const char *const mail_hdr_names[MAIL_HDR_COUNT];

/* Walk len bytes of message. Findings go to r (the message's report);
   doc->held is set, with a held finding in r, when the message must not
   be delivered beyond a notice. doc->text is initialised here with the
   limits' output cap; the caller frees it with buffer_free(). Returns 0,
   or -1 on internal failure (report error set). */
int mailwalk_run(struct cdr_ctx *ctx, struct report *r,
    const unsigned char *in, size_t len, struct mail_doc *doc);

#endif
