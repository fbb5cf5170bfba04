/*
 * ooxml_cdr - OOXML CDR on libzip + libxml2: macros, ActiveX, OLE, external relationships, DDE, field codes.
 *
 * Implements the cdr_format_fn contract of cdr.h for every OOXML type
 * (FT_DOCX .. FT_PPAM, xlsb included; encrypted OOXML is a CFB file and
 * goes to lib-ole). What it takes out, with the finding code:
 *  - ooxml.vba            VBA projects, their signatures, vbaData,
 *                         keymaps and toolbars; macro click actions
 *  - ooxml.macro_enabled  the macro-enabled main content type (docm,
 *                         xlsm, ...), turned into its macro-free twin;
 *                         the new extension is set with
 *                         report_set_new_ext(), r->type is left alone
 *  - ooxml.activex        ActiveX control parts and their elements
 *  - ooxml.ole_object     embedded objects and packages, altChunk
 *                         imports, OLE click actions
 *  - ooxml.external_rel   external relationships other than web
 *                         hyperlinks (remote templates, Follina-style
 *                         OLE links, subdocuments, frames, images, mail
 *                         merge sources, XSLT), program click actions,
 *                         remote VML sources, a HyperlinkBase
 *  - ooxml.hyperlink      web and mail hyperlinks: reported when
 *                         ctx->opts->links is LINKS_KEEP, else removed
 *                         (their text stays)
 *  - ooxml.external_link  external workbook links and data connections
 *  - ooxml.dde            DDE fields, DDE links and DDE formulas
 *  - ooxml.xlm            Excel 4.0 macro sheets, CALL/REGISTER/EXEC
 *  - ooxml.field_code     Word fields not on the harmless list (their
 *                         displayed result stays), form field macros
 *  - ooxml.custom_ui      ribbon customizations and Office add-ins
 * ooxml.malformed (blocked) for what cannot be read unambiguously, and
 * limit.archive_entries / archive_total / archive_ratio / xml_depth /
 * xml_nodes (blocked) for what is too big.
 */
#ifndef SANSO_OOXML_CDR_H
#define SANSO_OOXML_CDR_H

#include "cdr.h"

int ooxml_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
