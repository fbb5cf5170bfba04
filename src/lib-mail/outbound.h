/*
 * outbound - the rules for mail leaving LGWAN for the internet (seed 002
 * 2.(2)⑦⑨ 機密性2以上の情報の暗号化, 6.1(15)① 自動転送の禁止,
 * 6.1(15)③ 他の宛先の秘匿, 6.1(14)③ 送信サイズの上限).
 *
 * Runs only inside the sandboxed worker (GMime initialised). The
 * message is read, never rebuilt: the only change ever made is moving
 * external To/Cc addresses into Bcc, and everything else of the message
 * stays byte for byte.
 *
 * Labels: the classification header (o->header, default
 * X-Classification), the Subject tag (【機密性2】, [機密性3], 【機密性3A】,
 * full-width digits and brackets too), attachment file names (and the
 * member names of zip files), OOXML docProps/custom.xml and core.xml,
 * and the PDF Info dictionary (read with MuPDF, see outbound.c). The
 * highest level wins; 3A/3B/3C are level 3 in either scheme.
 *
 * Decisions, all recorded as findings in r (reasons in Japanese and
 * English, the CLI prints them):
 *  - len > o->max_size: outbound.too_big, blocked (nothing else read);
 *  - level 3: outbound.confidential3, blocked (held when o->confidential3
 *    is OUTBOUND_HOLD);
 *  - level 2+: every attachment must be encrypted (zip with every member
 *    encrypted, PDF that needs a user password, OOXML in an OLE2
 *    EncryptionInfo envelope, S/MIME enveloped data, OpenPGP), and a
 *    message without attachments must itself be S/MIME or PGP encrypted;
 *    else outbound.unencrypted: held for OUTBOUND_HOLD, blocked for any
 *    other value;
 *  - more than o->external_max (when > 0) distinct external addresses in
 *    To/Cc: outbound.external_recipients, removed (rewritten to Bcc) for
 *    OUTBOUND_BCC, blocked for OUTBOUND_REJECT, held otherwise;
 *  - auto-forwarded (Auto-Submitted: auto-forwarded, Resent-*, Exchange
 *    and Gmail markers): outbound.auto_forward, blocked / held / reported
 *    for OUTBOUND_REJECT / HOLD / ALLOW (any other value blocks);
 *  - a message that cannot be read well enough to decide is held
 *    (mime.malformed, limit.*, pdf.malformed, ooxml.malformed).
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
