/*
 * rtf_cdr - RTF CDR: a real tokenizer; objects, templates and DDE fields
 * removed, text kept.
 *
 * Implements the cdr_format_fn contract of cdr.h. The input must start
 * with "{\rt" (Word opens anything with that prefix); the output always
 * starts with "{\rtf1" and has balanced groups. Removed:
 *  - \object groups (OLE embeddings and links, Equation.3 ...): the
 *    \result child (the picture or text Word shows) is kept -> rtf.object;
 *  - \objdata and \datastore groups anywhere -> rtf.object;
 *  - \template (attached, possibly remote, template) -> rtf.template;
 *  - fields whose instruction is not on a harmless list: the instruction
 *    goes, the \fldrslt text stays -> rtf.dde (DDE, MACROBUTTON, unknown
 *    or obfuscated) or rtf.object (INCLUDETEXT, INCLUDEPICTURE, IMPORT,
 *    LINK, EMBED: content pulled in from elsewhere);
 *  - form field entry/exit macro names -> rtf.dde.
 * Everything else is copied byte for byte, except: a non-standard header
 * word ("{\rt", "{\rtf2" ...) becomes "\rtf1" and a UTF-8 BOM goes;
 * \bin picture data holding RTF syntax bytes becomes the equivalent hex;
 * a space stands in for a removed group that ended a control word.
 * Unbalanced groups, junk after the document, bad escapes and \bin
 * tricks are rtf.malformed (blocked); nesting deeper than
 * limits->rtf_depth is limit.rtf_depth (blocked).
 * Time is linear in len; memory is the output plus one frame per level.
 */
#ifndef SANSO_RTF_CDR_H
#define SANSO_RTF_CDR_H

#include "cdr.h"

/* The cdr_format_fn for FT_RTF (type is not used). */
int rtf_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
