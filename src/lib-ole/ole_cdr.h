/*
 * ole_cdr - OLE2 (CFB) documents: VBA, XLM, embedded objects, encryption.
 *
 * Implements the cdr_format_fn contract of cdr.h for .doc, .xls, .ppt,
 * .msg and other compound files:
 *  - VBA storages (Macros, _VBA_PROJECT_CUR, VBA, or any storage holding
 *    a _VBA_PROJECT stream) and embedded objects (ObjectPool, MBD*,
 *    storages with \001Ole10Native, \001CompObj, \001Ole, \003ObjInfo,
 *    the Ctls stream) are taken out by rebuilding the compound file
 *    without the top-level storage that holds them ("removed");
 *  - what lives inside a binary stream cannot be cut out safely and
 *    blocks the file: Excel 4.0 macro sheets and VB module sheets
 *    (ole.xlm / ole.vba), DDE fields and DDE links (ole.dde), VBA and OLE
 *    objects inside the PowerPoint record stream;
 *  - encrypted Word, Excel and PowerPoint files are held (ole.encrypted);
 *  - Outlook attachments are held (ole.object), the message otherwise
 *    passes unchanged;
 *  - compound files of any other kind are blocked (type.unsupported);
 *  - a compound file that fails the strict structure checks of cfb.h is
 *    ole.malformed, blocked.
 * A file without findings is passed as an exact copy.
 */
#ifndef SANSO_OLE_CDR_H
#define SANSO_OLE_CDR_H

#include "cdr.h"

/* The Office type of a compound file (the caller saw the CFB signature):
   FT_OOXML_ENCRYPTED (EncryptionInfo + EncryptedPackage), FT_DOC
   (WordDocument), FT_XLS (Workbook or Book), FT_PPT ("PowerPoint
   Document"), FT_MSG (__substg1.0_ / __properties_version1.0), else
   FT_OLE_OTHER, also for anything that does not parse. Never fails; its
   memory is bounded by a small multiple of len and freed on return. */
enum file_type ole_detect(const unsigned char *in, size_t len);

int ole_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

/*
 * Try to open an encrypted OOXML package (ECMA-376 Agile or Standard
 * encryption, AES with SHA-1/SHA-2 key derivation) with the well-known
 * default password ("VelvetSweatshop", which Excel tries silently).
 * Returns 1 with the decrypted zip appended to plain (a finding
 * ooxml.encrypted "removed" is recorded: the encryption layer is gone),
 * 0 when the package cannot be decrypted that way (real password,
 * unsupported scheme, ctx->opts->try_default_passwords off; a malformed
 * container also adds ole.malformed blocked), -1 on internal failure
 * (memory, plain full) after report_set_error().
 */
int ole_decrypt_default(struct cdr_ctx *ctx, struct report *r,
    const unsigned char *in, size_t len, struct buffer *plain);

#endif
