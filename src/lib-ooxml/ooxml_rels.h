/*
 * ooxml_rels - relationship parts (.rels): parse, resolve, classify.
 *
 * A relationship is external when its TargetMode is anything but
 * "Internal" (compared without case or surrounding blanks, in any
 * namespace: the strictest reading wins) or when its target carries a
 * URI scheme or a UNC/network prefix whatever the mode says. Internal
 * targets are resolved against the source part the way OPC does and
 * looked up by key (see ooxml_pkg.h).
 *
 * Relationship types are classified by their last path segment without
 * case, so the transitional, strict and Microsoft-specific URIs of the
 * same relationship are one class.
 */
#ifndef SANSO_OOXML_RELS_H
#define SANSO_OOXML_RELS_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "arena.h"
#include "ooxml_pkg.h"
#include "ooxml_xml.h"

enum ooxml_reltype {
	OOXML_RT_OTHER,
	OOXML_RT_OFFICEDOC,	/* the main part */
	OOXML_RT_HYPERLINK,
	OOXML_RT_VBA,		/* vbaProject, its signatures, vbaData, keymaps */
	OOXML_RT_ACTIVEX,	/* control, activeXControlBinary */
	OOXML_RT_OLE,		/* oleObject, package, aFChunk */
	OOXML_RT_EXTLINK,	/* externalLink(Path) */
	OOXML_RT_XLM,		/* xlMacrosheet, xlIntlMacrosheet */
	OOXML_RT_CUSTOMUI,	/* ui/extensibility, ui/userCustomization */
	OOXML_RT_DATACONN,	/* connections, queryTable */
	OOXML_RT_LINKONLY,	/* attachedTemplate, subDocument, frame,
				   mail merge sources, XSLT transform:
				   never kept, whatever the mode */
	OOXML_RT_CALCCHAIN,
	OOXML_RT_SIGNATURE,	/* digital-signature/origin */
};

struct ooxml_rel {
	xmlNodePtr node;
	/* strings owned by the tree of the ooxml_rels */
	const char *id;
	const char *type;	/* full type URI */
	const char *target;	/* as written */
	enum ooxml_reltype rt;
	bool external;
	struct ooxml_part *part; /* internal target, NULL when missing */
	bool dropped;
};

struct ooxml_rels {
	struct ooxml_part *self;	/* the .rels part */
	struct ooxml_part *source;	/* NULL for the package root */
	xmlDocPtr doc;
	xmlNodePtr grave;		/* dropped relationship elements */
	struct ooxml_rel *rel;
	size_t nrel;
	bool changed;			/* a relationship was dropped */
};

enum ooxml_rels_status {
	OOXML_RELS_OK,
	OOXML_RELS_BAD,		/* malformed (missing Id/Type/Target,
				   duplicate Id, unparsable) */
	OOXML_RELS_DEPTH,
	OOXML_RELS_NODES,
	OOXML_RELS_NOMEM,
};

/* The .rels key of a part name (or of the root when name is NULL), in
   arena; NULL on exhaustion. */
char *ooxml_rels_key_of(struct arena *arena, const char *name);
/* The source part key of a .rels key ("" for the root), or NULL when
   key is not of the form [dir/]_rels/name.rels. */
char *ooxml_rels_source_key(struct arena *arena, const char *key);

/* Parse len bytes of a relationships part and resolve its targets
   against source (NULL = root). Fills rels (strings in arena, doc owned
   by rels until ooxml_rels_free()). */
enum ooxml_rels_status ooxml_rels_parse(struct ooxml_rels *rels,
    struct ooxml_pkg *pkg, struct arena *arena, const struct limits *limits,
    const unsigned char *data, size_t len);
/* Remove relationship i from the tree (its element lives on, out of
   the tree, until ooxml_rels_free()); marks rels changed. */
void ooxml_rels_drop(struct ooxml_rels *rels, size_t i);
/* True when id names a dropped relationship (and no kept one). */
bool ooxml_rels_id_dropped(const struct ooxml_rels *rels, const char *id);
void ooxml_rels_free(struct ooxml_rels *rels);

/* Classify a relationship type URI. */
enum ooxml_reltype ooxml_reltype_of(const char *type);
/* The part kind a relationship of this type makes its target. */
enum ooxml_kind ooxml_reltype_kind(enum ooxml_reltype rt);
/* True when a URI names a web or mail address (http, https, mailto)
   that a hyperlink may keep; everything else (file:, UNC paths,
   relative paths, ms-*: handlers, mhtml:, ...) is not. */
bool ooxml_url_is_web(const char *uri);
/* True when a URI has a scheme ("x:") or starts like a network path. */
bool ooxml_url_is_absolute(const char *uri);

#endif
