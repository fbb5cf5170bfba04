/*
 * ooxml_rels - relationship parts: parse, resolve, classify.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ooxml_rels.h"
#include "sizeops.h"

static bool
ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++) {
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	}
	return false;
}

static bool
ci_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

enum ooxml_reltype
ooxml_reltype_of(const char *type)
{
	const char *last = strrchr(type, '/');

	last = last != NULL ? last + 1 : type;
	if (strcasecmp(last, "officeDocument") == 0)
		return OOXML_RT_OFFICEDOC;
	if (strcasecmp(last, "hyperlink") == 0)
		return OOXML_RT_HYPERLINK;
	if (strncasecmp(last, "vbaProject", 10) == 0 ||
	    ci_contains(last, "vbaData") ||
	    strcasecmp(last, "keyMapCustomizations") == 0 ||
	    strcasecmp(last, "attachedToolbars") == 0)
		return OOXML_RT_VBA;
	if (strcasecmp(last, "control") == 0 ||
	    ci_contains(last, "activeX"))
		return OOXML_RT_ACTIVEX;
	if (strcasecmp(last, "oleObject") == 0 ||
	    strcasecmp(last, "package") == 0 ||
	    strcasecmp(last, "aFChunk") == 0)
		return OOXML_RT_OLE;
	if (ci_contains(type, "externalLink"))
		return OOXML_RT_EXTLINK;
	if (ci_contains(last, "macrosheet"))
		return OOXML_RT_XLM;
	/* ribbon XML with callbacks into macros, and Office add-ins (web
	   extensions) that load code from a store when the file opens */
	if (ci_contains(type, "/ui/") || ci_contains(last, "webextension"))
		return OOXML_RT_CUSTOMUI;
	if (strcasecmp(last, "connections") == 0 ||
	    strcasecmp(last, "queryTable") == 0)
		return OOXML_RT_DATACONN;
	if (strcasecmp(last, "attachedTemplate") == 0 ||
	    strcasecmp(last, "subDocument") == 0 ||
	    strcasecmp(last, "frame") == 0 ||
	    strncasecmp(last, "mailMerge", 9) == 0 ||
	    strcasecmp(last, "transform") == 0)
		return OOXML_RT_LINKONLY;
	if (strcasecmp(last, "calcChain") == 0)
		return OOXML_RT_CALCCHAIN;
	if (ci_ends(type, "digital-signature/origin"))
		return OOXML_RT_SIGNATURE;
	return OOXML_RT_OTHER;
}

enum ooxml_kind
ooxml_reltype_kind(enum ooxml_reltype rt)
{
	switch (rt) {
	case OOXML_RT_VBA:
		return OOXML_KIND_VBA;
	case OOXML_RT_ACTIVEX:
		return OOXML_KIND_ACTIVEX;
	case OOXML_RT_OLE:
		return OOXML_KIND_OLE;
	case OOXML_RT_EXTLINK:
		return OOXML_KIND_EXTLINK;
	case OOXML_RT_XLM:
		return OOXML_KIND_XLM;
	case OOXML_RT_CUSTOMUI:
		return OOXML_KIND_CUSTOMUI;
	case OOXML_RT_DATACONN:
		return OOXML_KIND_DATACONN;
	default:
		return OOXML_KIND_NONE;
	}
}

/* Length of a URI scheme at s including its ':' , or 0. */
static size_t
scheme_len(const char *s)
{
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; s[i] != '\0'; i++) {
		if (s[i] == ':')
			return i + 1;
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '+' || s[i] == '-' || s[i] == '.'))
			return 0;
	}
	return 0;
}

bool
ooxml_url_is_absolute(const char *uri)
{
	/* Readers trim blanks and controls before they look. */
	while (*uri != '\0' && (unsigned char)*uri <= 0x20)
		uri++;
	if (uri[0] == '\\' || (uri[0] == '/' && uri[1] == '/'))
		return true;
	return scheme_len(uri) > 0;
}

bool
ooxml_url_is_web(const char *uri)
{
	size_t n = scheme_len(uri);

	if (n == 7 && strncasecmp(uri, "mailto:", 7) == 0)
		return true;
	if ((n == 5 && strncasecmp(uri, "http:", 5) == 0) ||
	    (n == 6 && strncasecmp(uri, "https:", 6) == 0))
		return uri[n] == '/' && uri[n + 1] == '/';
	return false;
}

char *
ooxml_rels_key_of(struct arena *arena, const char *name)
{
	const char *slash;
	char *path, *key;
	size_t dlen;

	if (name == NULL)
		return arena_strdup(arena, "_rels/.rels");
	slash = strrchr(name, '/');
	dlen = slash != NULL ? (size_t)(slash - name) + 1 : 0;
	path = arena_printf(arena, "%.*s_rels/%s.rels", (int)dlen, name,
	    name + dlen);
	if (path == NULL)
		return NULL;
	key = ooxml_key(arena, path, strlen(path));
	return key;
}

char *
ooxml_rels_source_key(struct arena *arena, const char *key)
{
	size_t len = strlen(key), blen, dlen;
	const char *base, *slash;

	if (len < 5 || strcmp(key + len - 5, ".rels") != 0)
		return NULL;
	slash = strrchr(key, '/');
	if (slash == NULL)
		return NULL;
	base = slash + 1;
	blen = len - (size_t)(base - key) - 5;
	/* the folder holding the .rels must be "_rels" */
	if ((size_t)(slash - key) < 5 || strncmp(slash - 5, "_rels", 5) != 0)
		return NULL;
	dlen = (size_t)(slash - 5 - key);
	if (dlen > 0 && key[dlen - 1] != '/')
		return NULL;
	if (blen == 0)
		return dlen == 0 ? arena_strdup(arena, "") : NULL;
	return arena_printf(arena, "%.*s%.*s", (int)dlen, key, (int)blen,
	    base);
}

/* Resolve an internal target against the source part name (NULL for
   the root) and find its part; NULL when it climbs above the root or
   names no part. -1 in *nomem on exhaustion. */
static struct ooxml_part *
resolve(struct ooxml_pkg *pkg, const char *source, const char *target,
    bool *nomem)
{
	struct ooxml_part *part = NULL;
	const char *seg, *end, *slash;
	size_t dlen = 0, o = 0, n, sz;
	char *path, *out;

	if (target[0] != '/' && source != NULL &&
	    (slash = strrchr(source, '/')) != NULL)
		dlen = (size_t)(slash - source) + 1;
	if (size_add(dlen, strlen(target), &sz) < 0 ||
	    size_add(sz, 2, &sz) < 0 || (path = malloc(sz)) == NULL) {
		*nomem = true;
		return NULL;
	}
	if ((out = malloc(sz)) == NULL) {
		free(path);
		*nomem = true;
		return NULL;
	}
	memcpy(path, source != NULL ? source : "", dlen);
	strcpy(path + dlen, target[0] == '/' ? target + 1 : target);
	for (seg = path; *seg != '\0'; seg = *end != '\0' ? end + 1 : end) {
		end = seg + strcspn(seg, "/\\");
		n = (size_t)(end - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			if (o == 0)
				goto done;	/* above the root */
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		if (o > 0)
			out[o++] = '/';
		memcpy(out + o, seg, n);
		o += n;
	}
	ooxml_key_write(out, out, o);
	part = ooxml_pkg_find(pkg, out);
done:
	free(path);
	free(out);
	return part;
}

/* True when any TargetMode attribute (in any namespace) says anything
   but Internal. */
static bool
mode_external(xmlNodePtr n)
{
	const char *v;
	xmlAttrPtr a;
	size_t len;

	for (a = n->properties; a != NULL; a = a->next) {
		if (strcmp((const char *)a->name, "TargetMode") != 0)
			continue;
		v = ooxml_xml_attr_value(a);
		if (v == NULL)
			return true;
		while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
			v++;
		len = strlen(v);
		while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
		    v[len - 1] == '\r' || v[len - 1] == '\n'))
			len--;
		if (len != 8 || strncasecmp(v, "Internal", 8) != 0)
			return true;
	}
	return false;
}

static int
cmp_rel_id(const void *a, const void *b)
{
	return strcmp(((const struct ooxml_rel *)a)->id,
	    ((const struct ooxml_rel *)b)->id);
}

/* Fill one relationship from its element; false when malformed. The
   strings stay in the tree, whose dropped nodes are only freed with
   it (see ooxml_rels_drop()). */
static bool
rel_fill(struct ooxml_rel *rel, struct ooxml_rels *rels,
    struct ooxml_pkg *pkg, xmlNodePtr n, bool *nomem)
{
	rel->id = ooxml_xml_plain_attr(n, "Id");
	rel->type = ooxml_xml_plain_attr(n, "Type");
	rel->target = ooxml_xml_plain_attr(n, "Target");
	if (rel->id == NULL || rel->type == NULL || rel->target == NULL ||
	    rel->id[0] == '\0')
		return false;
	rel->node = n;
	rel->rt = ooxml_reltype_of(rel->type);
	rel->external = mode_external(n) ||
	    ooxml_url_is_absolute(rel->target);
	if (!rel->external)
		rel->part = resolve(pkg, rels->source != NULL ?
		    rels->source->name : NULL, rel->target, nomem);
	return !*nomem;
}

static enum ooxml_rels_status
status_of(enum ooxml_xml_status st)
{
	switch (st) {
	case OOXML_XML_OK:
		return OOXML_RELS_OK;
	case OOXML_XML_DEPTH:
		return OOXML_RELS_DEPTH;
	case OOXML_XML_NODES:
		return OOXML_RELS_NODES;
	case OOXML_XML_NOMEM:
		return OOXML_RELS_NOMEM;
	default:
		return OOXML_RELS_BAD;
	}
}

/* Refuse two relationships with one Id: which one a reader follows is
   anybody's guess. The array is sorted by Id afterwards. */
static bool
ids_unique(struct ooxml_rels *rels)
{
	size_t i;

	qsort(rels->rel, rels->nrel, sizeof(*rels->rel), cmp_rel_id);
	for (i = 1; i < rels->nrel; i++) {
		if (strcmp(rels->rel[i - 1].id, rels->rel[i].id) == 0)
			return false;
	}
	return true;
}

enum ooxml_rels_status
ooxml_rels_parse(struct ooxml_rels *rels, struct ooxml_pkg *pkg,
    struct arena *arena, const struct limits *limits,
    const unsigned char *data, size_t len)
{
	enum ooxml_xml_status st;
	xmlNodePtr root, c;
	bool nomem = false;
	size_t n = 0, sz;

	rels->doc = ooxml_xml_parse(data, len, limits, &st);
	if (rels->doc == NULL)
		return status_of(st);
	/* made now so that dropping a relationship later cannot fail */
	if ((rels->grave = xmlNewDocNode(rels->doc, NULL,
	    BAD_CAST "grave", NULL)) == NULL)
		return OOXML_RELS_NOMEM;
	root = xmlDocGetRootElement(rels->doc);
	if (!ooxml_xml_is(root, "Relationships"))
		return OOXML_RELS_BAD;
	for (c = ooxml_xml_first_elem(root); c != NULL;
	    c = ooxml_xml_next(c, root, true))
		n++;
	if (size_mul(n + 1, sizeof(*rels->rel), &sz) < 0 ||
	    (rels->rel = arena_alloc(arena, sz)) == NULL)
		return OOXML_RELS_NOMEM;
	for (c = ooxml_xml_first_elem(root); c != NULL;
	    c = ooxml_xml_next(c, root, true)) {
		/* Unknown elements are ignored by readers; anything named
		   Relationship, in whatever namespace, is taken seriously. */
		if (!ooxml_xml_is(c, "Relationship"))
			continue;
		if (!rel_fill(&rels->rel[rels->nrel], rels, pkg, c, &nomem))
			return nomem ? OOXML_RELS_NOMEM : OOXML_RELS_BAD;
		rels->nrel++;
	}
	return ids_unique(rels) ? OOXML_RELS_OK : OOXML_RELS_BAD;
}

void
ooxml_rels_drop(struct ooxml_rels *rels, size_t i)
{
	if (rels->rel[i].dropped)
		return;
	rels->rel[i].dropped = true;
	/* out of the tree, but alive: rel strings point into it */
	xmlUnlinkNode(rels->rel[i].node);
	xmlAddChild(rels->grave, rels->rel[i].node);
	rels->changed = true;
}

bool
ooxml_rels_id_dropped(const struct ooxml_rels *rels, const char *id)
{
	struct ooxml_rel key = { .id = id };
	const struct ooxml_rel *hit;

	if (rels == NULL || id == NULL)
		return false;
	hit = bsearch(&key, rels->rel, rels->nrel, sizeof(*rels->rel),
	    cmp_rel_id);
	return hit != NULL && hit->dropped;
}

void
ooxml_rels_free(struct ooxml_rels *rels)
{
	if (rels->grave != NULL)
		xmlFreeNode(rels->grave);
	rels->grave = NULL;
	if (rels->doc != NULL)
		xmlFreeDoc(rels->doc);
	rels->doc = NULL;
}
