/*
 * ooxml_ctypes - the [Content_Types].xml part: read the content type of
 * every part, turn macro-enabled main types into their macro-free twins,
 * and drop entries of parts that are gone.
 */
#ifndef SANSO_OOXML_CTYPES_H
#define SANSO_OOXML_CTYPES_H

#include <stdbool.h>

#include <libxml/tree.h>

#include "arena.h"
#include "ooxml_pkg.h"
#include "ooxml_xml.h"

struct ooxml_ctypes {
	xmlDocPtr doc;		/* owned until ooxml_ctypes_free() */
	bool changed;
};

enum ooxml_ctypes_status {
	OOXML_CTYPES_OK,
	OOXML_CTYPES_BAD,	/* unparsable, wrong root, duplicate entries */
	OOXML_CTYPES_DEPTH,
	OOXML_CTYPES_NODES,
	OOXML_CTYPES_NOMEM,
};

/* Parse len bytes of [Content_Types].xml and set part->ctype (in arena)
   of every part of pkg: its Override, else the Default of its
   extension, else NULL. */
enum ooxml_ctypes_status ooxml_ctypes_parse(struct ooxml_ctypes *ct,
    struct ooxml_pkg *pkg, struct arena *arena, const struct limits *limits,
    const unsigned char *data, size_t len);
/* Rewrite every macro-enabled main content type to its macro-free twin
   (parts' ctype updated too). Returns the extension of the macro-free
   type (static string), or NULL when there was none. */
const char *ooxml_ctypes_demacro(struct ooxml_ctypes *ct,
    struct ooxml_pkg *pkg, struct arena *arena);
/* Remove Overrides of parts that are dropped or absent and Defaults that
   declare a dangerous content type. */
void ooxml_ctypes_prune(struct ooxml_ctypes *ct, struct ooxml_pkg *pkg,
    struct arena *arena);
void ooxml_ctypes_free(struct ooxml_ctypes *ct);

#endif
