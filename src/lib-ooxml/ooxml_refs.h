/*
 * ooxml_refs - take out of a part every element that points at a
 * dropped relationship, every OLE and ActiveX element, click actions
 * that run macros, programs or OLE verbs, macros assigned to shapes and
 * form controls, and VML attributes that fetch from outside; then tidy
 * what that leaves behind.
 *
 * What stays visible: a Word w:object becomes a w:pict holding its
 * preview shape; a PowerPoint OLE graphic frame becomes the preview
 * picture it carries (or, without one, a rectangle saying the object
 * was removed). A hyperlink whose relationship went loses its link but
 * keeps its text. mc:AlternateContent wrappers and containers
 * (oleObjects, controls, hyperlinks, ...) that become empty go too, so
 * the part stays valid for its schema.
 */
#ifndef SANSO_OOXML_REFS_H
#define SANSO_OOXML_REFS_H

#include <libxml/tree.h>

#include "ooxml_edit.h"

/* Edit any XML part (see the header comment). */
int ooxml_refs_edit(xmlDocPtr doc, struct ooxml_edit *ed);

#endif
