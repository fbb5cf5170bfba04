/*
 * filetype - what a file is, decided from its bytes alone.
 *
 * The declared name or MIME type never decides anything: it is only
 * compared with the detected type to raise type.mismatch.
 */
#ifndef SANSO_FILETYPE_H
#define SANSO_FILETYPE_H

#include <stdbool.h>
#include <stddef.h>

#include "sanso_limits.h"

enum file_type {
#define FILETYPE(e, name, ext, mime, family) e,
#include "filetype.def"
#undef FILETYPE
	FT_COUNT
};

enum file_family {
	FAMILY_UNKNOWN,
	FAMILY_PDF,
	FAMILY_OOXML,
	FAMILY_OLE,
	FAMILY_RTF,
	FAMILY_ARCHIVE,
	FAMILY_IMAGE,
	FAMILY_SVG,
	FAMILY_HTML,
	FAMILY_TEXT,
	FAMILY_CSV,
	FAMILY_EXECUTABLE,
	FAMILY_SCRIPT,
	FAMILY_SHORTCUT,
	FAMILY_DISK_IMAGE,
	FAMILY_ONENOTE,
};

/* Detect the type of len bytes. name (may be NULL) is used only to tell
   apart types whose bytes are the same (CSV vs plain text, a script vs
   plain text); it never overrides a signature. Never fails: unknown
   bytes give FT_UNKNOWN. Parses zip central directories and CFB
   directories, so it must only run in the worker. */
enum file_type filetype_detect(const unsigned char *data, size_t len,
    const char *name, const struct limits *limits);
/* The type a file name's extension claims, or FT_UNKNOWN. */
enum file_type filetype_from_name(const char *name);
/* The type a MIME type claims, or FT_UNKNOWN. */
enum file_type filetype_from_mime(const char *mime);
/* True when a declared type is consistent with the detected one
   (e.g. a .txt that is text, a .xls that is an encrypted xlsx is not). */
bool filetype_compatible(enum file_type declared, enum file_type detected);

const char *filetype_name(enum file_type type);
const char *filetype_ext(enum file_type type);
const char *filetype_mime(enum file_type type);
enum file_family filetype_family(enum file_type type);
/* The macro-free twin of a macro-enabled OOXML type (docm -> docx,
   dotm -> dotx, xlsm -> xlsx, xltm -> xltx, pptm -> pptx, potm -> potx,
   ppsm -> ppsx, xlam -> xlsx, ppam -> pptx); any other type maps to
   itself. */
enum file_type filetype_macro_free(enum file_type type);

#endif
