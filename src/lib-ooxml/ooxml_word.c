/*
 * ooxml_word - field codes by allow-list and other WordprocessingML
 * active content.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buffer.h"
#include "ooxml_word.h"
#include "ooxml_xml.h"

/* An instruction longer than this is not classified but removed: no
   harmless field needs 64 KiB of instruction. */
#define INSTR_MAX	((size_t)64 * 1024)
#define URL_MAX		4096
#define SNIPPET		80
#define NONE		SIZE_MAX

/* Fields that only show document data, compute, or jump inside the
   document. Anything else (DDE, INCLUDETEXT, INCLUDEPICTURE, LINK,
   IMPORT, MACROBUTTON, DATABASE, QUOTE, mail merge fields, unknown and
   future names) is removed. */
static const char *const harmless_fields[] = {
	"ADVANCE", "AUTHOR", "AUTONUM", "AUTONUMLGL", "AUTONUMOUT",
	"BIDIOUTLINE", "COMMENTS", "CREATEDATE", "DATE", "DOCPROPERTY",
	"EDITTIME", "EQ", "FILESIZE", "FORMCHECKBOX", "FORMDROPDOWN",
	"FORMTEXT", "INDEX", "KEYWORDS", "LASTSAVEDBY", "LISTNUM",
	"NOTEREF", "NUMCHARS", "NUMPAGES", "NUMWORDS", "PAGE", "PAGEREF",
	"PRINTDATE", "REF", "REVNUM", "SAVEDATE", "SECTION", "SECTIONPAGES",
	"SEQ", "STYLEREF", "SUBJECT", "SYMBOL", "TA", "TC", "TEMPLATE",
	"TIME", "TITLE", "TOA", "TOC", "USERINITIALS", "USERNAME", "XE",
};

static bool
is_blank(unsigned char c)
{
	return c <= 0x20 && c != (unsigned char)OOXML_FIELD_HOLE;
}

static bool
name_harmless(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(harmless_fields) / sizeof(harmless_fields[0]);
	    i++) {
		if (strcmp(name, harmless_fields[i]) == 0)
			return true;
	}
	return false;
}

/* Read one argument (quoted or bare, backslash escapes) at s[*i] into
   buf; false when it does not fit or holds a nested field. */
static bool
read_arg(const char *s, size_t len, size_t *i, char *buf, size_t size)
{
	size_t o = 0;
	bool quoted = s[*i] == '"';
	char c;

	if (quoted)
		(*i)++;
	while (*i < len) {
		c = s[*i];
		if (quoted ? c == '"' : is_blank((unsigned char)c))
			break;
		if (c == '\\' && *i + 1 < len)
			c = s[++*i];
		if (c == OOXML_FIELD_HOLE || o + 1 >= size)
			return false;
		buf[o++] = c;
		(*i)++;
	}
	if (quoted && *i < len)
		(*i)++;
	buf[o] = '\0';
	return true;
}

/* HYPERLINK: a web or mail address is a link (policy decides); a
   bookmark jump is harmless; anything else (files, UNC paths, URL
   handlers) is not. */
static enum ooxml_field_class
hyperlink_class(const char *s, size_t len)
{
	char url[URL_MAX], arg[URL_MAX];
	bool have_url = false;
	size_t i = 0;
	char sw;

	url[0] = '\0';
	for (;;) {
		while (i < len && is_blank((unsigned char)s[i]))
			i++;
		if (i >= len)
			break;
		if (s[i] == '\\' && i + 1 < len && isalpha((unsigned char)s[i + 1])) {
			sw = (char)tolower((unsigned char)s[i + 1]);
			i += 2;
			if (sw != 'l' && sw != 'o' && sw != 't')
				continue;
			while (i < len && is_blank((unsigned char)s[i]))
				i++;
			if (i < len && !read_arg(s, len, &i, arg, sizeof(arg)))
				return OOXML_FIELD_OTHER;
			continue;
		}
		if (!read_arg(s, len, &i, have_url ? arg : url, sizeof(url)))
			return OOXML_FIELD_OTHER;
		have_url = true;
	}
	if (!have_url || url[0] == '#' || url[0] == '\0')
		return OOXML_FIELD_HARMLESS;
	return ooxml_url_is_web(url) ? OOXML_FIELD_HYPERLINK :
	    OOXML_FIELD_OTHER;
}

/* True when a \p switch (full path) appears anywhere. */
static bool
has_path_switch(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] == '\\' && (s[i + 1] == 'p' || s[i + 1] == 'P'))
			return true;
	}
	return false;
}

enum ooxml_field_class
ooxml_field_classify(const char *s, size_t len)
{
	char name[32];
	size_t i = 0, j, k;

	while (i < len && is_blank((unsigned char)s[i]))
		i++;
	if (i == len)
		return OOXML_FIELD_HARMLESS;
	if (s[i] == '=')
		return OOXML_FIELD_HARMLESS;	/* = formula */
	for (j = i; j < len && !is_blank((unsigned char)s[j]) &&
	    s[j] != '\\' && s[j] != '"'; j++)
		;
	if (j - i >= sizeof(name))
		return OOXML_FIELD_OTHER;
	for (k = 0; k < j - i; k++)
		name[k] = (char)toupper((unsigned char)s[i + k]);
	name[k] = '\0';
	if (k >= 3 && name[0] == 'D' && name[1] == 'D' && name[2] == 'E')
		return OOXML_FIELD_DDE;
	if (memchr(name, OOXML_FIELD_HOLE, k) != NULL)
		return OOXML_FIELD_OTHER;
	if (strcmp(name, "HYPERLINK") == 0)
		return hyperlink_class(s + j, len - j);
	if (strcmp(name, "FILENAME") == 0)
		return has_path_switch(s + j, len - j) ? OOXML_FIELD_OTHER :
		    OOXML_FIELD_HARMLESS;
	return name_harmless(name) ? OOXML_FIELD_HARMLESS : OOXML_FIELD_OTHER;
}

/* One complex field being read. */
struct wfield {
	size_t begin, sep, end;	/* indices into the run content sequence */
	struct buffer all;	/* instruction with deleted text */
	struct buffer live;	/* instruction without deleted text */
	bool in_result;
	bool overflow;
};

/* Per part counts, reported once each. */
struct wtally {
	size_t dde, other, link_kept, link_removed, macros, mailmerge;
	size_t ddelike;
	char dde_text[SNIPPET + 1], other_text[SNIPPET + 1];
	char link_text[SNIPPET + 1];
};

struct wwalk {
	struct ooxml_vec seq;	/* run content in document order */
	struct ooxml_vec simple; /* w:fldSimple elements */
	struct wfield *stack;
	size_t depth, cap;
	const struct cdr_options *opts;
	struct wtally t;
	bool nomem;
};

static void
mark(xmlNodePtr n, void *how)
{
	/* a delete mark is never weakened into an unwrap */
	if (n->_private != OOXML_MARK_DELETE)
		n->_private = how;
}

static struct wfield *
top(struct wwalk *w)
{
	return w->depth > 0 ? &w->stack[w->depth - 1] : NULL;
}

static void
field_append(struct wfield *f, const char *s, size_t len, bool live)
{
	if (buffer_append(&f->all, s, len) < 0 ||
	    (live && buffer_append(&f->live, s, len) < 0))
		f->overflow = true;
}

/* Append an element's text to the instruction being read, if any. */
static void
append_text(struct wwalk *w, xmlNodePtr n, bool live)
{
	struct wfield *f = top(w);
	xmlChar *text;

	if (f == NULL || f->in_result)
		return;
	text = xmlNodeGetContent(n);
	if (text == NULL) {
		w->nomem = true;
		return;
	}
	field_append(f, (const char *)text, strlen((const char *)text), live);
	xmlFree(text);
}

static void
append_hole(struct wwalk *w)
{
	struct wfield *f = top(w);
	char hole = OOXML_FIELD_HOLE;

	if (f != NULL && !f->in_result)
		field_append(f, &hole, 1, true);
}

static enum ooxml_field_class
worst(enum ooxml_field_class a, enum ooxml_field_class b)
{
	if (a == OOXML_FIELD_DDE || b == OOXML_FIELD_DDE)
		return OOXML_FIELD_DDE;
	if (a == OOXML_FIELD_OTHER || b == OOXML_FIELD_OTHER)
		return OOXML_FIELD_OTHER;
	if (a == OOXML_FIELD_HYPERLINK || b == OOXML_FIELD_HYPERLINK)
		return OOXML_FIELD_HYPERLINK;
	return OOXML_FIELD_HARMLESS;
}

/* Count a decision; true when the field must go. */
static bool
tally(struct wwalk *w, enum ooxml_field_class c, const char *text,
    size_t len)
{
	struct wtally *t = &w->t;

	switch (c) {
	case OOXML_FIELD_HARMLESS:
		return false;
	case OOXML_FIELD_HYPERLINK:
		if (t->link_kept + t->link_removed == 0)
			ooxml_edit_snippet(t->link_text, SNIPPET, text, len);
		if (w->opts->links == LINKS_KEEP) {
			t->link_kept++;
			return false;
		}
		t->link_removed++;
		return true;
	case OOXML_FIELD_DDE:
		if (t->dde++ == 0)
			ooxml_edit_snippet(t->dde_text, SNIPPET, text, len);
		return true;
	case OOXML_FIELD_OTHER:
		if (t->other++ == 0)
			ooxml_edit_snippet(t->other_text, SNIPPET, text, len);
		return true;
	}
	return true;
}

/* Decide a complete (or unterminated) field and mark its instruction,
   field characters and, without a separator, everything it spans. */
static void
field_finish(struct wwalk *w, struct wfield *f)
{
	enum ooxml_field_class c;
	size_t last, k;

	if (f->overflow)
		c = OOXML_FIELD_OTHER;
	else
		c = worst(ooxml_field_classify((const char *)f->all.data,
		    f->all.used), ooxml_field_classify(
		    (const char *)f->live.data, f->live.used));
	if (tally(w, c, (const char *)f->all.data, f->all.used)) {
		last = f->sep != NONE ? f->sep : f->end != NONE ? f->end :
		    w->seq.n - 1;
		for (k = f->begin; k <= last && k < w->seq.n; k++)
			mark(w->seq.v[k], OOXML_MARK_DELETE);
		if (f->end != NONE)
			mark(w->seq.v[f->end], OOXML_MARK_DELETE);
	}
	buffer_free(&f->all);
	buffer_free(&f->live);
}

static void
field_begin(struct wwalk *w, size_t idx)
{
	struct wfield *ns, *f;
	size_t ncap;

	append_hole(w);
	if (w->depth == w->cap) {
		ncap = w->cap == 0 ? 16 : w->cap * 2;
		ns = realloc(w->stack, ncap * sizeof(*ns));
		if (ns == NULL) {
			w->nomem = true;
			return;
		}
		w->stack = ns;
		w->cap = ncap;
	}
	f = &w->stack[w->depth++];
	memset(f, 0, sizeof(*f));
	f->begin = idx;
	f->sep = f->end = NONE;
	buffer_init(&f->all, INSTR_MAX);
	buffer_init(&f->live, INSTR_MAX);
}

/* A w:fldChar at sequence index idx. */
static void
on_fldchar(struct wwalk *w, xmlNodePtr n, size_t idx)
{
	const char *type = ooxml_xml_attr_value(ooxml_xml_attr(n,
	    "fldCharType"));
	struct wfield *f = top(w);
	char t[16];

	/* Word's enumeration is exact; reading it loosely only makes more
	   characters count as field boundaries. */
	ooxml_edit_snippet(t, sizeof(t) - 1, type != NULL ? type : "",
	    type != NULL ? strlen(type) : 0);
	if (strcasecmp(t, "begin") == 0) {
		field_begin(w, idx);
	} else if (strcasecmp(t, "separate") == 0 && f != NULL &&
	    !f->in_result) {
		f->sep = idx;
		f->in_result = true;
	} else if (strcasecmp(t, "end") == 0 && f != NULL) {
		f->end = idx;
		field_finish(w, f);
		w->depth--;
	} else {
		mark(n, OOXML_MARK_DELETE);	/* orphan or unknown */
	}
}

/* Handle one element of the walk; true when its children are done. */
static bool
visit(struct wwalk *w, xmlNodePtr n)
{
	bool in_run = ooxml_xml_is(n->parent, "r");
	size_t idx = w->seq.n;

	if (in_run && !ooxml_xml_is(n, "rPr") &&
	    ooxml_vec_push(&w->seq, n) < 0) {
		w->nomem = true;
		return true;
	}
	if (ooxml_xml_is(n, "fldChar")) {
		if (!in_run && ooxml_vec_push(&w->seq, n) < 0)
			w->nomem = true;
		else
			on_fldchar(w, n, idx);
		return false;	/* its w:ffData may carry macros */
	}
	if (ooxml_xml_is(n, "instrText") || ooxml_xml_is(n, "delInstrText")) {
		/* outside a run too: it must go with its field */
		if (!in_run && ooxml_vec_push(&w->seq, n) < 0) {
			w->nomem = true;
			return true;
		}
		if (top(w) == NULL || top(w)->in_result)
			mark(n, OOXML_MARK_DELETE);	/* stray */
		append_text(w, n, ooxml_xml_is(n, "instrText"));
		return true;
	}
	if (in_run && (ooxml_xml_is(n, "t") || ooxml_xml_is(n, "delText"))) {
		append_text(w, n, ooxml_xml_is(n, "t"));
		return true;
	}
	if (ooxml_xml_is(n, "fldSimple")) {
		append_hole(w);
		if (ooxml_vec_push(&w->simple, n) < 0)
			w->nomem = true;
		return false;
	}
	if (ooxml_xml_is(n, "entryMacro") || ooxml_xml_is(n, "exitMacro")) {
		mark(n, OOXML_MARK_DELETE);
		w->t.macros++;
		return true;
	}
	if (ooxml_xml_is(n, "mailMerge")) {
		mark(n, OOXML_MARK_DELETE);
		w->t.mailmerge++;
		return true;
	}
	if (strncasecmp((const char *)n->name, "dde", 3) == 0) {
		mark(n, OOXML_MARK_DELETE);
		w->t.ddelike++;
		return true;
	}
	return ooxml_xml_is(n, "rPr") || ooxml_xml_is(n, "pPr");
}

static void
simple_fields(struct wwalk *w)
{
	const char *instr;
	size_t i;

	for (i = 0; i < w->simple.n; i++) {
		xmlNodePtr n = w->simple.v[i];

		instr = ooxml_xml_attr_value(ooxml_xml_attr(n, "instr"));
		if (instr == NULL)
			instr = "\x01";	/* unreadable: not harmless */
		if (tally(w, ooxml_field_classify(instr, strlen(instr)),
		    instr, strlen(instr)))
			mark(n, OOXML_MARK_UNWRAP);
	}
}

static void
report_tally(struct ooxml_edit *ed, const struct wtally *t)
{
	if (t->dde > 0)
		report_add(ed->r, "ooxml.dde", FINDING_REMOVED, ed->location,
		    "%zu DDE field(s): %s", t->dde, t->dde_text);
	if (t->ddelike > 0)
		report_add(ed->r, "ooxml.dde", FINDING_REMOVED, ed->location,
		    "%zu DDE element(s)", t->ddelike);
	if (t->other > 0)
		report_add(ed->r, "ooxml.field_code", FINDING_REMOVED,
		    ed->location, "%zu field(s): %s", t->other, t->other_text);
	if (t->macros > 0)
		report_add(ed->r, "ooxml.field_code", FINDING_REMOVED,
		    ed->location, "%zu form field macro(s)", t->macros);
	if (t->mailmerge > 0)
		report_add(ed->r, "ooxml.external_rel", FINDING_REMOVED,
		    ed->location, "mail merge data source");
	if (t->link_kept > 0)
		report_add(ed->r, "ooxml.hyperlink", FINDING_REPORTED,
		    ed->location, "%zu HYPERLINK field(s): %s", t->link_kept,
		    t->link_text);
	if (t->link_removed > 0)
		report_add(ed->r, "ooxml.hyperlink", FINDING_REMOVED,
		    ed->location, "%zu HYPERLINK field(s): %s",
		    t->link_removed, t->link_text);
}

int
ooxml_word_edit(xmlDocPtr doc, struct ooxml_edit *ed)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), n;
	struct wwalk w;
	bool done;

	memset(&w, 0, sizeof(w));
	w.opts = ed->opts;
	for (n = root; n != NULL && !w.nomem; n = ooxml_xml_next(n, root,
	    done))
		done = visit(&w, n);
	/* unterminated fields end with the part */
	while (w.depth > 0) {
		if (!w.nomem)
			field_finish(&w, &w.stack[w.depth - 1]);
		else {
			buffer_free(&w.stack[w.depth - 1].all);
			buffer_free(&w.stack[w.depth - 1].live);
		}
		w.depth--;
	}
	if (!w.nomem) {
		simple_fields(&w);
		if (ooxml_xml_sweep(root) > 0)
			ed->changed = true;
		report_tally(ed, &w.t);
	}
	free(w.stack);
	ooxml_vec_free(&w.seq);
	ooxml_vec_free(&w.simple);
	return w.nomem ? -1 : 0;
}
