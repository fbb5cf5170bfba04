/*
 * ooxml_ctypes - [Content_Types].xml.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ooxml_ctypes.h"
#include "ooxml_kind.h"

#define CT_W	"application/vnd.openxmlformats-officedocument.wordprocessingml."
#define CT_S	"application/vnd.openxmlformats-officedocument.spreadsheetml."
#define CT_P	"application/vnd.openxmlformats-officedocument.presentationml."

/* Macro-enabled main part types and their macro-free twins (the same
   pairs as filetype_macro_free()). */
static const struct {
	const char *from, *to, *ext;
} demacro_table[] = {
	{ "application/vnd.ms-word.document.macroEnabled.main+xml",
	    CT_W "document.main+xml", "docx" },
	{ "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
	    CT_W "template.main+xml", "dotx" },
	{ "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
	    CT_S "sheet.main+xml", "xlsx" },
	{ "application/vnd.ms-excel.template.macroEnabled.main+xml",
	    CT_S "template.main+xml", "xltx" },
	{ "application/vnd.ms-excel.addin.macroEnabled.main+xml",
	    CT_S "sheet.main+xml", "xlsx" },
	{ "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
	    CT_P "presentation.main+xml", "pptx" },
	{ "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
	    CT_P "template.main+xml", "potx" },
	{ "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
	    CT_P "slideshow.main+xml", "ppsx" },
	{ "application/vnd.ms-powerpoint.addin.macroEnabled.main+xml",
	    CT_P "presentation.main+xml", "pptx" },
};

/* The part an Override's PartName names, or NULL. */
static struct ooxml_part *
override_part(struct ooxml_pkg *pkg, struct arena *arena, const char *name,
    bool *nomem)
{
	char *key;

	while (*name == '/')
		name++;
	key = ooxml_key(arena, name, strlen(name));
	if (key == NULL) {
		*nomem = true;
		return NULL;
	}
	return ooxml_pkg_find(pkg, key);
}

/* Apply every Override; parts that got one are flagged in has. */
static enum ooxml_ctypes_status
apply_overrides(xmlNodePtr root, struct ooxml_pkg *pkg, struct arena *arena,
    bool *has)
{
	const char *name, *ctype;
	struct ooxml_part *p;
	bool nomem = false;
	xmlNodePtr c;

	for (c = ooxml_xml_first_elem(root); c != NULL;
	    c = ooxml_xml_next(c, root, true)) {
		if (!ooxml_xml_is(c, "Override"))
			continue;
		name = ooxml_xml_plain_attr(c, "PartName");
		ctype = ooxml_xml_plain_attr(c, "ContentType");
		if (name == NULL || ctype == NULL)
			return OOXML_CTYPES_BAD;
		p = override_part(pkg, arena, name, &nomem);
		if (nomem)
			return OOXML_CTYPES_NOMEM;
		if (p == NULL)
			continue;
		/* two answers to "what is this part" is one too many */
		if (has[p - pkg->parts])
			return OOXML_CTYPES_BAD;
		has[p - pkg->parts] = true;
		if ((p->ctype = arena_strdup(arena, ctype)) == NULL)
			return OOXML_CTYPES_NOMEM;
	}
	return OOXML_CTYPES_OK;
}

/* The extension of a key's last segment ("" when none). */
static const char *
key_ext(const char *key)
{
	const char *slash = strrchr(key, '/'), *dot;

	dot = strrchr(slash != NULL ? slash : key, '.');
	return dot != NULL ? dot + 1 : "";
}

struct ct_default {
	const char *ext, *ctype;
	const char *copy;	/* ctype in the arena, made on first use */
};

static int
cmp_default(const void *a, const void *b)
{
	return strcasecmp(((const struct ct_default *)a)->ext,
	    ((const struct ct_default *)b)->ext);
}

/* Collect the Defaults sorted by extension; duplicates are refused. */
static enum ooxml_ctypes_status
collect_defaults(xmlNodePtr root, struct ct_default **defs_r, size_t *n_r)
{
	struct ct_default *defs;
	xmlNodePtr c;
	size_t n = 0, i;

	for (c = ooxml_xml_first_elem(root); c != NULL;
	    c = ooxml_xml_next(c, root, true))
		n += ooxml_xml_is(c, "Default");
	defs = calloc(n + 1, sizeof(*defs));
	if (defs == NULL)
		return OOXML_CTYPES_NOMEM;
	n = 0;
	for (c = ooxml_xml_first_elem(root); c != NULL;
	    c = ooxml_xml_next(c, root, true)) {
		if (!ooxml_xml_is(c, "Default"))
			continue;
		defs[n].ext = ooxml_xml_plain_attr(c, "Extension");
		defs[n].ctype = ooxml_xml_plain_attr(c, "ContentType");
		if (defs[n].ext == NULL || defs[n].ctype == NULL) {
			free(defs);
			return OOXML_CTYPES_BAD;
		}
		n++;
	}
	qsort(defs, n, sizeof(*defs), cmp_default);
	for (i = 1; i < n; i++) {
		if (strcasecmp(defs[i - 1].ext, defs[i].ext) == 0) {
			free(defs);
			return OOXML_CTYPES_BAD;
		}
	}
	*defs_r = defs;
	*n_r = n;
	return OOXML_CTYPES_OK;
}

/* Give every part without an Override the Default of its extension. */
static enum ooxml_ctypes_status
apply_defaults(xmlNodePtr root, struct ooxml_pkg *pkg, struct arena *arena,
    const bool *has)
{
	struct ct_default *defs, key, *hit;
	enum ooxml_ctypes_status rc;
	size_t n, i;

	if ((rc = collect_defaults(root, &defs, &n)) != OOXML_CTYPES_OK)
		return rc;
	for (i = 0; i < pkg->nparts && rc == OOXML_CTYPES_OK; i++) {
		if (has[i])
			continue;
		key.ext = key_ext(pkg->parts[i].key);
		hit = bsearch(&key, defs, n, sizeof(*defs), cmp_default);
		if (hit == NULL)
			continue;
		/* one copy per Default, however many parts use it */
		if (hit->copy == NULL &&
		    (hit->copy = arena_strdup(arena, hit->ctype)) == NULL)
			rc = OOXML_CTYPES_NOMEM;
		pkg->parts[i].ctype = hit->copy;
	}
	free(defs);
	return rc;
}

enum ooxml_ctypes_status
ooxml_ctypes_parse(struct ooxml_ctypes *ct, struct ooxml_pkg *pkg,
    struct arena *arena, const struct limits *limits,
    const unsigned char *data, size_t len)
{
	enum ooxml_ctypes_status rc;
	enum ooxml_xml_status st;
	xmlNodePtr root;
	bool *has;

	ct->doc = ooxml_xml_parse(data, len, limits, &st);
	if (ct->doc == NULL) {
		return st == OOXML_XML_DEPTH ? OOXML_CTYPES_DEPTH :
		    st == OOXML_XML_NODES ? OOXML_CTYPES_NODES :
		    st == OOXML_XML_NOMEM ? OOXML_CTYPES_NOMEM :
		    OOXML_CTYPES_BAD;
	}
	root = xmlDocGetRootElement(ct->doc);
	if (!ooxml_xml_is(root, "Types"))
		return OOXML_CTYPES_BAD;
	has = calloc(pkg->nparts + 1, sizeof(*has));
	if (has == NULL)
		return OOXML_CTYPES_NOMEM;
	rc = apply_overrides(root, pkg, arena, has);
	if (rc == OOXML_CTYPES_OK)
		rc = apply_defaults(root, pkg, arena, has);
	free(has);
	return rc;
}

/* The macro-free twin of a content type, or -1. */
static int
demacro_index(const char *ctype)
{
	size_t i;

	for (i = 0; i < sizeof(demacro_table) / sizeof(demacro_table[0]);
	    i++) {
		if (strcasecmp(ctype, demacro_table[i].from) == 0)
			return (int)i;
	}
	return -1;
}

const char *
ooxml_ctypes_demacro(struct ooxml_ctypes *ct, struct ooxml_pkg *pkg,
    struct arena *arena)
{
	xmlNodePtr root = xmlDocGetRootElement(ct->doc), c;
	const char *ext = NULL, *v;
	size_t i;
	int k;

	for (c = ooxml_xml_first_elem(root); c != NULL;
	    c = ooxml_xml_next(c, root, true)) {
		if ((!ooxml_xml_is(c, "Override") &&
		    !ooxml_xml_is(c, "Default")) ||
		    (v = ooxml_xml_plain_attr(c, "ContentType")) == NULL ||
		    (k = demacro_index(v)) < 0)
			continue;
		xmlSetProp(c, BAD_CAST "ContentType",
		    BAD_CAST demacro_table[k].to);
		ct->changed = true;
		ext = demacro_table[k].ext;
	}
	for (i = 0; i < pkg->nparts; i++) {
		if (pkg->parts[i].ctype != NULL &&
		    (k = demacro_index(pkg->parts[i].ctype)) >= 0)
			pkg->parts[i].ctype = demacro_table[k].to;
	}
	return ext;
}

void
ooxml_ctypes_prune(struct ooxml_ctypes *ct, struct ooxml_pkg *pkg,
    struct arena *arena)
{
	xmlNodePtr root = xmlDocGetRootElement(ct->doc), c, next;
	struct ooxml_part *p;
	const char *v;
	bool nomem = false;

	for (c = ooxml_xml_first_elem(root); c != NULL; c = next) {
		next = ooxml_xml_next(c, root, true);
		if (ooxml_xml_is(c, "Override")) {
			v = ooxml_xml_plain_attr(c, "PartName");
			p = v != NULL ? override_part(pkg, arena, v, &nomem) :
			    NULL;
			/* on arena exhaustion keep the entry: harmless */
			if (nomem || (p != NULL && !p->dropped))
				continue;
		} else if (ooxml_xml_is(c, "Default")) {
			v = ooxml_xml_plain_attr(c, "ContentType");
			if (v == NULL ||
			    ooxml_kind_of_ctype(v) == OOXML_KIND_NONE)
				continue;
		} else {
			continue;
		}
		ooxml_xml_remove(c);
		ct->changed = true;
	}
}

void
ooxml_ctypes_free(struct ooxml_ctypes *ct)
{
	if (ct->doc != NULL)
		xmlFreeDoc(ct->doc);
	ct->doc = NULL;
}
