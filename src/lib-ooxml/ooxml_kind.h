/*
 * ooxml_kind - which parts are dangerous by their name or content type,
 * and the finding code of each kind.
 *
 * A part is judged by three independent witnesses: its name, its
 * content type and the type of every relationship that targets it
 * (ooxml_reltype_kind()). Any one of them is enough to drop it, so a
 * vbaProject.bin renamed to image1.png, or a macro sheet declared as a
 * worksheet, still goes.
 */
#ifndef SANSO_OOXML_KIND_H
#define SANSO_OOXML_KIND_H

#include "ooxml_pkg.h"

/* The kind a part key (see ooxml_pkg.h) betrays, or OOXML_KIND_NONE. */
enum ooxml_kind ooxml_kind_of_name(const char *key);
/* The kind a content type declares, or OOXML_KIND_NONE. */
enum ooxml_kind ooxml_kind_of_ctype(const char *ctype);
/* A few words on a kind, for finding details. */
const char *ooxml_kind_text(enum ooxml_kind kind);
/* The finding code of a kind (NULL for OOXML_KIND_NONE). */
const char *ooxml_kind_code(enum ooxml_kind kind);

#endif
