/*
 * ooxml_word - WordprocessingML parts: field codes by allow-list, form
 * field macros, mail merge data sources, DDE-like legacy elements.
 *
 * Fields are read the way Word reads them: a simple field is one
 * w:fldSimple with its instruction in w:instr; a complex field is a
 * w:fldChar begin, instruction text (w:instrText, w:delInstrText) over
 * any number of runs and paragraphs, an optional separate, the result,
 * and an end. Fields nest; a nested field inside an instruction is a
 * hole in the parent's text (its result is only known to Word), so a
 * field whose name is built by a nested field is never on the list.
 * Deleted instruction text (tracked changes) counts too: a field must
 * be harmless both with and without it.
 *
 * A removed field loses its instruction and field characters; its
 * result runs (what the reader saw) stay as plain text.
 */
#ifndef SANSO_OOXML_WORD_H
#define SANSO_OOXML_WORD_H

#include <stddef.h>

#include <libxml/tree.h>

#include "ooxml_edit.h"

/* Marks where a nested field sits inside an instruction. */
#define OOXML_FIELD_HOLE '\x01'

enum ooxml_field_class {
	OOXML_FIELD_HARMLESS,	/* on the allow-list */
	OOXML_FIELD_HYPERLINK,	/* HYPERLINK to a web or mail address */
	OOXML_FIELD_DDE,	/* DDE, DDEAUTO */
	OOXML_FIELD_OTHER,	/* everything else */
};

/* Classify len bytes of a field instruction. */
enum ooxml_field_class ooxml_field_classify(const char *instr, size_t len);
/* Edit a part (see the header comment); meant for WordprocessingML,
   harmless on any other. */
int ooxml_word_edit(xmlDocPtr doc, struct ooxml_edit *ed);

#endif
