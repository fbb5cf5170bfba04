/*
 * ooxml_sheet - workbook and formula cleaning.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ooxml_sheet.h"
#include "ooxml_xml.h"

#define SNIPPET	80

/* Functions that reach outside the workbook from a cell: DLL calls of
   the XLM era and LibreOffice's DDE(). */
static const char *const xlm_functions[] = {
	"CALL", "REGISTER", "REGISTER.ID", "EXEC", "EXECUTE",
};

/* Skip a "..." or '...' literal starting at p (doubled quote escapes). */
static const char *
skip_quoted(const char *p)
{
	char q = *p++;

	while (*p != '\0') {
		if (*p == q) {
			if (p[1] != q)
				return p + 1;
			p++;
		}
		p++;
	}
	return p;
}

static bool
ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* Classify a function name followed by '('. */
static unsigned
function_flags(const char *name, size_t len)
{
	size_t i;

	if (len > 6 && strncasecmp(name, "_xlfn.", 6) == 0) {
		name += 6;
		len -= 6;
	}
	if (len == 3 && strncasecmp(name, "DDE", 3) == 0)
		return OOXML_FORMULA_DDE;
	for (i = 0; i < sizeof(xlm_functions) / sizeof(xlm_functions[0]);
	    i++) {
		if (strlen(xlm_functions[i]) == len &&
		    strncasecmp(name, xlm_functions[i], len) == 0)
			return OOXML_FORMULA_XLM;
	}
	return 0;
}

/* [digits] at p: an external workbook index. */
static bool
extref_at(const char *p)
{
	if (p[0] != '[' || !isdigit((unsigned char)p[1]))
		return false;
	for (p++; isdigit((unsigned char)*p); p++)
		;
	return *p == ']';
}

unsigned
ooxml_formula_scan(const char *f)
{
	const char *p = f, *q, *s;
	unsigned flags = 0;

	while (*p != '\0') {
		if (*p == '"') {
			p = skip_quoted(p);
			continue;
		}
		if (*p == '\'') {
			/* a quoted sheet name may hold [n] itself */
			for (q = p + 1, s = skip_quoted(p); q < s; q++) {
				if (extref_at(q))
					flags |= OOXML_FORMULA_EXTREF;
			}
			p = s;
			continue;
		}
		if (*p == '|')
			flags |= OOXML_FORMULA_DDE;
		if (extref_at(p))
			flags |= OOXML_FORMULA_EXTREF;
		if ((isalpha((unsigned char)*p) || *p == '_') &&
		    (p == f || !ident_char(p[-1]))) {
			for (q = p; ident_char(*q); q++)
				;
			if (*q == '(')
				flags |= function_flags(p, (size_t)(q - p));
			p = q;
			continue;
		}
		p++;
	}
	return flags;
}

struct stally {
	size_t dde, xlm, vba;
	char dde_text[SNIPPET + 1], xlm_text[SNIPPET + 1];
};

static void
mark(xmlNodePtr n)
{
	n->_private = OOXML_MARK_DELETE;
}

/* Count a formula that must go; true when it must. */
static bool
judge(struct stally *t, const char *text, bool extrefs_gone)
{
	unsigned flags = ooxml_formula_scan(text);

	if (flags & OOXML_FORMULA_DDE) {
		if (t->dde++ == 0)
			ooxml_edit_snippet(t->dde_text, SNIPPET, text,
			    strlen(text));
		return true;
	}
	if (flags & OOXML_FORMULA_XLM) {
		if (t->xlm++ == 0)
			ooxml_edit_snippet(t->xlm_text, SNIPPET, text,
			    strlen(text));
		return true;
	}
	return (flags & OOXML_FORMULA_EXTREF) && extrefs_gone;
}

static void
report_tally(struct ooxml_edit *ed, const struct stally *t)
{
	if (t->dde > 0)
		report_add(ed->r, "ooxml.dde", FINDING_REMOVED, ed->location,
		    "%zu DDE formula(s): %s", t->dde, t->dde_text);
	if (t->xlm > 0)
		report_add(ed->r, "ooxml.xlm", FINDING_REMOVED, ed->location,
		    "%zu formula(s) or name(s) calling out: %s", t->xlm,
		    t->xlm_text);
	if (t->vba > 0)
		report_add(ed->r, "ooxml.vba", FINDING_REMOVED, ed->location,
		    "%zu VBA procedure name(s)", t->vba);
}

/* The relationship id an element carries (r:id), or NULL. */
static const char *
rel_id(xmlNodePtr n)
{
	xmlAttrPtr a;

	for (a = n->properties; a != NULL; a = a->next) {
		if (strcmp((const char *)a->name, "id") == 0 &&
		    ooxml_xml_attr_is_relid(a))
			return ooxml_xml_attr_value(a);
	}
	return NULL;
}

static bool
attr_true(xmlNodePtr n, const char *local)
{
	const char *v = ooxml_xml_attr_value(ooxml_xml_attr(n, local));

	return v != NULL && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0);
}

/* Removed sheets: their positions and names. */
struct gone {
	long *idx;
	const char **name;
	size_t n;
	long total;		/* sheets before removal */
};

/* True when a defined name's formula points into a removed sheet. */
static bool
refers_to_gone(const char *text, const struct gone *g)
{
	const char *p;
	size_t i, len;

	for (i = 0; i < g->n; i++) {
		if (g->name[i] == NULL || (len = strlen(g->name[i])) == 0)
			continue;
		for (p = text; (p = strcasestr(p, g->name[i])) != NULL; p++) {
			if (p[len] == '!' || (p[len] == '\'' &&
			    p[len + 1] == '!'))
				return true;
		}
	}
	return false;
}

/* New position of sheet i after the removals, or -1 if it went. */
static long
renumber(long i, const struct gone *g)
{
	long shift = 0;
	size_t k;

	for (k = 0; k < g->n; k++) {
		if (g->idx[k] == i)
			return -1;
		if (g->idx[k] < i)
			shift++;
	}
	return i - shift;
}

static void
set_long(xmlNodePtr n, const char *local, long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%ld", v);
	xmlSetProp(n, BAD_CAST local, BAD_CAST buf);
}

/* Collect and mark sheets whose relationship was dropped. */
static void
drop_sheets(xmlNodePtr sheets, struct ooxml_edit *ed, struct gone *g)
{
	xmlNodePtr c;
	const char *id;
	long i = 0;

	for (c = ooxml_xml_first_elem(sheets); c != NULL;
	    c = ooxml_xml_next(c, sheets, true)) {
		if (!ooxml_xml_is(c, "sheet"))
			continue;
		id = rel_id(c);
		if (id != NULL && ooxml_rels_id_dropped(ed->rels, id)) {
			mark(c);
			g->idx[g->n] = i;
			g->name[g->n] = ooxml_xml_plain_attr(c, "name");
			g->n++;
		}
		i++;
	}
	g->total = i;
}

/* Renumber the attribute of a view or name that holds a sheet position;
   false when the sheet it names went. */
static bool
fix_position(xmlNodePtr n, const char *local, const struct gone *g)
{
	const char *v = ooxml_xml_attr_value(ooxml_xml_attr(n, local));
	long i, ni, left = g->total - (long)g->n;
	char *end;

	if (v == NULL || g->n == 0)
		return true;
	i = strtol(v, &end, 10);
	if (*end != '\0' || i < 0)
		return true;
	ni = renumber(i, g);
	if (ni < 0)
		return false;
	if (ni >= left)
		ni = 0;
	if (ni != i)
		set_long(n, local, ni);
	return true;
}

static void
fix_names(xmlNodePtr names, struct ooxml_edit *ed, const struct gone *g,
    struct stally *t)
{
	xmlNodePtr c;
	xmlChar *text;

	for (c = ooxml_xml_first_elem(names); c != NULL;
	    c = ooxml_xml_next(c, names, true)) {
		if (!ooxml_xml_is(c, "definedName"))
			continue;
		if (attr_true(c, "vbProcedure")) {
			t->vba++;
			mark(c);
			continue;
		}
		if (attr_true(c, "xlm") || attr_true(c, "function")) {
			if (t->xlm++ == 0)
				strcpy(t->xlm_text, "macro name");
			mark(c);
			continue;
		}
		if (!fix_position(c, "localSheetId", g)) {
			mark(c);
			continue;
		}
		text = xmlNodeGetContent(c);
		if (text != NULL && (judge(t, (const char *)text,
		    ed->extrefs_gone) || refers_to_gone((const char *)text, g)))
			mark(c);
		xmlFree(text);
	}
}

static void
fix_views(xmlNodePtr views, const struct gone *g)
{
	xmlNodePtr c;

	for (c = ooxml_xml_first_elem(views); c != NULL;
	    c = ooxml_xml_next(c, views, true)) {
		if (!fix_position(c, "activeTab", g))
			set_long(c, "activeTab", 0);
		if (!fix_position(c, "firstSheet", g))
			set_long(c, "firstSheet", 0);
	}
}

/* Remove containers left empty (a schema error for Excel). */
static void
drop_empty(xmlNodePtr root, const char *local)
{
	xmlNodePtr c;

	for (c = ooxml_xml_first_elem(root); c != NULL;
	    c = ooxml_xml_next(c, root, true)) {
		if (ooxml_xml_is(c, local) && !ooxml_xml_has_elem_child(c, NULL))
			mark(c);
	}
}

int
ooxml_sheet_workbook(xmlDocPtr doc, struct ooxml_edit *ed)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), c, sheets;
	struct stally t;
	struct gone g;
	size_t n = 0;

	memset(&t, 0, sizeof(t));
	memset(&g, 0, sizeof(g));
	sheets = NULL;
	for (c = ooxml_xml_first_elem(root); c != NULL;
	    c = ooxml_xml_next(c, root, true)) {
		if (ooxml_xml_is(c, "sheets"))
			sheets = c;
	}
	if (sheets != NULL) {
		for (c = ooxml_xml_first_elem(sheets); c != NULL;
		    c = ooxml_xml_next(c, sheets, true))
			n++;
		g.idx = calloc(n + 1, sizeof(*g.idx));
		g.name = calloc(n + 1, sizeof(*g.name));
		if (g.idx == NULL || g.name == NULL) {
			free(g.idx);
			free(g.name);
			return -1;
		}
		drop_sheets(sheets, ed, &g);
		if (g.n > 0 && (long)g.n == g.total)
			ed->no_sheets = true;
	}
	for (c = ooxml_xml_first_elem(root); c != NULL;
	    c = ooxml_xml_next(c, root, true)) {
		if (ooxml_xml_is(c, "definedNames"))
			fix_names(c, ed, &g, &t);
		else if (ooxml_xml_is(c, "bookViews"))
			fix_views(c, &g);
	}
	/* the names pointed at strings owned by the sheet elements */
	if (ooxml_xml_sweep(root) > 0)
		ed->changed = true;
	drop_empty(root, "definedNames");
	if (ooxml_xml_sweep(root) > 0)
		ed->changed = true;
	free(g.idx);
	free(g.name);
	report_tally(ed, &t);
	return 0;
}

/* The element a bad non-cell formula takes with it: its conditional
   format rule or data validation (which mean nothing without it), else
   just itself (table column formulas). */
static xmlNodePtr
formula_owner(xmlNodePtr f)
{
	xmlNodePtr a;

	for (a = f->parent; a != NULL && a->type == XML_ELEMENT_NODE;
	    a = a->parent) {
		if (ooxml_xml_is(a, "cfRule") || ooxml_xml_is(a, "dataValidation"))
			return a;
	}
	return f;
}

/* Shared formula groups whose master went. */
struct shared {
	unsigned long *si;
	size_t n, cap;
};

static int
shared_add(struct shared *s, xmlNodePtr f)
{
	const char *t = ooxml_xml_plain_attr(f, "t");
	const char *si = ooxml_xml_plain_attr(f, "si");
	unsigned long *nv;

	if (t == NULL || si == NULL || strcmp(t, "shared") != 0)
		return 0;
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 16 : s->cap * 2;
		nv = realloc(s->si, s->cap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		s->si = nv;
	}
	s->si[s->n++] = strtoul(si, NULL, 10);
	return 0;
}

static bool
shared_has(const struct shared *s, xmlNodePtr f)
{
	const char *t = ooxml_xml_plain_attr(f, "t");
	const char *si = ooxml_xml_plain_attr(f, "si");
	unsigned long v;
	size_t i;

	if (s->n == 0 || t == NULL || si == NULL || strcmp(t, "shared") != 0)
		return false;
	v = strtoul(si, NULL, 10);
	for (i = 0; i < s->n; i++) {
		if (s->si[i] == v)
			return true;
	}
	return false;
}

static bool
is_formula(xmlNodePtr n)
{
	return ooxml_xml_is(n, "f") || ooxml_xml_is(n, "formula") ||
	    ooxml_xml_is(n, "formula1") || ooxml_xml_is(n, "formula2") ||
	    ooxml_xml_is(n, "calculatedColumnFormula") ||
	    ooxml_xml_is(n, "totalsRowFormula");
}

/* Judge one formula element; -1 on exhaustion. */
static int
visit_formula(xmlNodePtr n, struct ooxml_edit *ed, struct stally *t,
    struct shared *sh, size_t *cells)
{
	xmlChar *text = xmlNodeGetContent(n);
	bool bad;

	if (text == NULL)
		return -1;
	bad = judge(t, (const char *)text, ed->extrefs_gone);
	xmlFree(text);
	if (!bad)
		return 0;
	if (ooxml_xml_is(n, "f") && ooxml_xml_is(n->parent, "c")) {
		mark(n);	/* the cached value <v> stays */
		(*cells)++;
		return shared_add(sh, n);
	}
	mark(formula_owner(n));
	return 0;
}

int
ooxml_sheet_formulas(xmlDocPtr doc, struct ooxml_edit *ed)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), n;
	struct shared sh = { 0 };
	struct stally t;
	size_t cells = 0, pass;
	int rc = 0;

	memset(&t, 0, sizeof(t));
	for (n = root; n != NULL && rc == 0; n = ooxml_xml_next(n, root,
	    false)) {
		if (is_formula(n))
			rc = visit_formula(n, ed, &t, &sh, &cells);
	}
	/* the other cells of a shared formula whose master went */
	for (n = root; n != NULL && rc == 0 && sh.n > 0;
	    n = ooxml_xml_next(n, root, false)) {
		if (ooxml_xml_is(n, "f") && ooxml_xml_is(n->parent, "c") &&
		    n->_private != OOXML_MARK_DELETE && shared_has(&sh, n)) {
			mark(n);
			cells++;
		}
	}
	free(sh.si);
	if (rc < 0)
		return -1;
	if (ooxml_xml_sweep(root) > 0) {
		ed->changed = true;
		for (pass = 0; pass < 2; pass++) {
			for (n = root; n != NULL; n = ooxml_xml_next(n, root,
			    false)) {
				if ((ooxml_xml_is(n, "conditionalFormatting") ||
				    ooxml_xml_is(n, "dataValidations")) &&
				    !ooxml_xml_has_elem_child(n, "sqref"))
					mark(n);
			}
			ooxml_xml_sweep(root);
		}
	}
	if (cells > 0)
		ed->formulas_removed = true;
	report_tally(ed, &t);
	return 0;
}
