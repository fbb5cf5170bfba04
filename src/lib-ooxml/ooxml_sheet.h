/*
 * ooxml_sheet - SpreadsheetML parts: the workbook (sheet list, defined
 * names, external references) and cell formulas (DDE, XLM calls,
 * references into dropped external workbooks).
 *
 * A DDE formula is one with a '|' outside string literals and quoted
 * sheet names (cmd|'/c calc'!A0 and its variants): nothing else in the
 * formula grammar uses that character. A removed cell formula leaves
 * the cell's cached value; shared formulas go with all their cells.
 */
#ifndef SANSO_OOXML_SHEET_H
#define SANSO_OOXML_SHEET_H

#include <libxml/tree.h>

#include "ooxml_edit.h"

#define OOXML_FORMULA_DDE	1u	/* app|topic!item, DDE() */
#define OOXML_FORMULA_EXTREF	2u	/* [n] external workbook index */
#define OOXML_FORMULA_XLM	4u	/* CALL, REGISTER(.ID), EXEC */

/* Scan one formula; a mask of OOXML_FORMULA_*. */
unsigned ooxml_formula_scan(const char *formula);
/* Edit a workbook part: drop sheet entries whose relationship was
   dropped (macro sheets) and renumber what counts sheets, drop external
   references, DDE and macro names. Sets ed->no_sheets when no sheet is
   left. */
int ooxml_sheet_workbook(xmlDocPtr doc, struct ooxml_edit *ed);
/* Edit any part with formulas (worksheets, chartsheets, dialogsheets).
   Sets ed->formulas_removed when a cell formula went. */
int ooxml_sheet_formulas(xmlDocPtr doc, struct ooxml_edit *ed);

#endif
