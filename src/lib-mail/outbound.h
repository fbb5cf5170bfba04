/*
 * outbound - the rules for mail leaving LGWAN for the internet (seed 002
 * 2.(2)⑦⑨ 機密性2以上の情報の暗号化, 6.1(15)① 自動転送の禁止,
 * 6.1(15)③ 他の宛先の秘匿, 6.1(14)③ 送信サイズの上限).
 *
 * Runs only inside the sandboxed worker (GMime initialised). The
 * message is read, never rebuilt: the only change ever made is moving
 * external To/Cc addresses into Bcc; every other byte stays as it was.
 *
 * Labels come from the classification header (o->header, default
 * X-Classification; any of 機密性3, 3A, ２, confidential2), the Subject
 * tag (【機密性2】, [機密性3], 【機密性3A】, full-width digits and
 * brackets too; "機密性2の取扱い" is a topic, not a tag), attachment file
 * names (RFC 2047 / 2231 decoded) and the member names of zip files,
 * OOXML docProps/custom.xml (a property whose name or value says 機密性
 * or classification) and core.xml (title, subject, keywords, category,
 * description), the PDF Info Title/Subject/Keywords, and all of these in
 * attached messages. The highest level wins; 3A/3B/3C are level 3 in
 * either scheme (o->scheme does not change a decision: a label of the
 * other scheme is still honoured). A header value that is no level
 * ("社外秘") is reported and changes nothing.
 *
 * Decisions, recorded as findings in r with the reason in Japanese and
 * English (the CLI prints the blocking ones):
 *  - len > o->max_size (when set): outbound.too_big, blocked, nothing
 *    else read;
 *  - level 3: outbound.confidential3, held when o->confidential3 is
 *    OUTBOUND_HOLD, else blocked (it never leaves);
 *  - level 2+: every attachment must be encrypted: a zip whose every
 *    file is encrypted (PKWARE or AES), a PDF that needs a user password
 *    to open (an owner password alone protects nothing), OOXML in an
 *    OLE2 EncryptionInfo envelope or an Office 97-2003 binary with a
 *    password (not the "VelvetSweatshop" default Excel opens by itself),
 *    S/MIME enveloped data, OpenPGP. A message without attachments
 *    carries the information in its text, which must then be S/MIME or
 *    PGP encrypted itself; beside encrypted attachments a clear cover
 *    note (and its inline images) is fine. Else outbound.unencrypted:
 *    held for OUTBOUND_HOLD, blocked for any other value (the reason
 *    says to encrypt);
 *  - more than o->external_max (when > 0) distinct external addresses
 *    in To/Cc (a domain not in o->domains nor under one, any case):
 *    outbound.external_recipients, removed for OUTBOUND_BCC (out holds
 *    the message with every external address moved to one Bcc field,
 *    To "undisclosed-recipients:;" when nothing is left), blocked for
 *    OUTBOUND_REJECT, held otherwise. The relay must not deliver the
 *    Bcc field itself;
 *  - automatically forwarded (Auto-Submitted: auto-forwarded, any
 *    Resent-* field, X-Autoforwarded: true, X-MS-Exchange-Inbox-Rules-Loop,
 *    X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent,
 *    X-Forwarded-To / X-Forwarded-For): outbound.auto_forward, blocked /
 *    held / reported for OUTBOUND_REJECT / HOLD / ALLOW, blocked for any
 *    other value;
 *  - a message that cannot be read well enough to decide is held
 *    (mime.malformed and the like, limit.*, pdf.malformed,
 *    ooxml.malformed, archive.malformed): fail closed.
 *
 * Limits: everything read is bounded by ctx->limits (header_bytes,
 * mime_depth, mime_parts, archive_entries and archive_ratio for zip
 * parts, xml_depth and xml_nodes, a quarter of job_memory for MuPDF).
 */
#ifndef SANSO_OUTBOUND_H
#define SANSO_OUTBOUND_H

#include <stdbool.h>
#include <stddef.h>

#include "cdr.h"
#include "mail_options.h"

/*
 * Check len bytes of message (RFC 5322, CRLF or LF) against o, filling
 * r (type "mail", findings). When the verdict is clean or sanitized,
 * out holds the message to send: the input unchanged, or with To/Cc/Bcc
 * rewritten; when it is blocked or held, out is left empty. Returns 0
 * when r holds a verdict, -1 on internal failure (r's error set; out
 * must not be used).
 */
int mail_outbound(struct cdr_ctx *ctx, const struct outbound_options *o,
    const unsigned char *in, size_t len, struct buffer *out,
    struct report *r);

/*
 * The classification level a piece of text carries, 0 when none:
 * tag_only (subjects, file names, document titles) finds a 機密性N or
 * "confidential N" tag standing on its own (bracketed or between
 * separators, so "機密性2の取扱い" is no tag); otherwise (a label
 * header or a classification property) the whole value may also be just
 * the level: "3A", "２", "confidential2". label_r (may be NULL, of
 * OUTBOUND_LABEL_SIZE bytes) gets the label as normalised, e.g.
 * "機密性3A", or "" when there is none.
 */
#define OUTBOUND_LABEL_SIZE 24
unsigned outbound_level(const char *s, size_t len, bool tag_only,
    char *label_r);

#endif
