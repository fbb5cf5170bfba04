/*
 * ooxml_edit - what every part editor (ooxml_refs, ooxml_word,
 * ooxml_sheet) gets: where to report, the job's options and the
 * relationships of the part being edited.
 *
 * Editors change the tree in place, set changed when they did, and add
 * their findings (aggregated per part and code, so a document with ten
 * thousand fields gives one line, not ten thousand) to r with the part
 * name as location. They return 0, or -1 when memory ran out.
 */
#ifndef SANSO_OOXML_EDIT_H
#define SANSO_OOXML_EDIT_H

#include <stdbool.h>

#include "cdr.h"
#include "ooxml_rels.h"

struct ooxml_edit {
	struct report *r;
	const char *location;		/* the part's name */
	const struct cdr_options *opts;
	const struct ooxml_rels *rels;	/* the part's relationships or NULL */
	bool changed;
	/* every external workbook link was dropped: formulas that point
	   into one ([1]Sheet1!A1) would dangle */
	bool extrefs_gone;
	/* set by the sheet editor: formulas were removed, so the
	   calculation chain no longer matches the cells */
	bool formulas_removed;
	/* set by the workbook editor: no sheet is left */
	bool no_sheets;
};

/* Detail text of a finding: at most n bytes of s with control bytes
   replaced, in buf (size n + 1). */
const char *ooxml_edit_snippet(char *buf, size_t n, const char *s,
    size_t len);

#endif
