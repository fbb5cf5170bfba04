/*
 * ooxml_xml - libxml2 the safe way for OOXML parts: parse with limits,
 * mark-and-sweep editing, serialize.
 *
 * Parsing never touches the network, never loads or accepts a DTD (OPC
 * forbids them, and they are the door to entity expansion bombs) and
 * counts elements and nesting while the tree is built, so a hostile part
 * stops at limits->xml_nodes / xml_depth instead of exhausting memory.
 *
 * Editing is two-phase: editors mark nodes (delete, or unwrap = replace
 * by their children) in node->_private while walking the tree, then one
 * sweep applies every mark. Nothing is freed during a walk, so no editor
 * can step on a node another one already freed.
 */
#ifndef SANSO_OOXML_XML_H
#define SANSO_OOXML_XML_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "sanso_limits.h"

enum ooxml_xml_status {
	OOXML_XML_OK,
	OOXML_XML_MALFORMED,	/* not well-formed, or bad encoding */
	OOXML_XML_DTD,		/* has a DOCTYPE */
	OOXML_XML_DEPTH,	/* nested deeper than limits->xml_depth */
	OOXML_XML_NODES,	/* more elements than limits->xml_nodes */
	OOXML_XML_NOMEM,
};

/* Node marks kept in node->_private until ooxml_xml_sweep(). */
#define OOXML_MARK_DELETE	((void *)1)
#define OOXML_MARK_UNWRAP	((void *)2)

/* A growable array of pointers; bounded by the element count of the
   part it indexes. */
struct ooxml_vec {
	void **v;
	size_t n, cap;
};

/* The error channel to restore after a job. */
struct ooxml_xml_quiet {
	void (*func)(void *, const char *, ...);
	void *ctx;
};

/* Call once per process before any other function (idempotent). */
void ooxml_xml_init(void);
/* Silence libxml2's generic error channel for this thread (it prints to
   stderr) until ooxml_xml_unquiet() puts the saved one back. */
void ooxml_xml_quiet(struct ooxml_xml_quiet *q);
void ooxml_xml_unquiet(const struct ooxml_xml_quiet *q);

/* Parse len bytes. Returns the document (caller frees with xmlFreeDoc)
   and *st = OOXML_XML_OK, or NULL and the reason in *st. */
xmlDocPtr ooxml_xml_parse(const unsigned char *data, size_t len,
    const struct limits *limits, enum ooxml_xml_status *st);
/* True when the raw part starts with an XML declaration. */
bool ooxml_xml_has_decl(const unsigned char *data, size_t len);
/* Serialize doc as UTF-8, with an XML declaration when decl, into a
   malloc'd buffer owned by the caller. Returns 0, or -1 on failure
   (memory, or an output error: never a truncated part). */
int ooxml_xml_serialize(xmlDocPtr doc, bool decl, unsigned char **data_r,
    size_t *len_r);

/* Apply every mark below (and including) root. Returns the number of
   nodes deleted or unwrapped. */
size_t ooxml_xml_sweep(xmlNodePtr root);
/* Next element after n in document order within root, descending into
   n's children unless skip_children. NULL at the end. */
xmlNodePtr ooxml_xml_next(xmlNodePtr n, xmlNodePtr root,
    bool skip_children);
/* First element child of n, or NULL. */
xmlNodePtr ooxml_xml_first_elem(xmlNodePtr n);
/* True when n is an element whose local name is local (any namespace:
   detection is deliberately namespace-blind so that strict, transitional
   and future namespace variants all match). */
bool ooxml_xml_is(xmlNodePtr n, const char *local);
/* Case-insensitive variant of ooxml_xml_is(). */
bool ooxml_xml_is_ci(xmlNodePtr n, const char *local);
/* The first attribute of n with this local name in any namespace (or
   none), or NULL. */
xmlAttrPtr ooxml_xml_attr(xmlNodePtr n, const char *local);
/* The value of the attribute without namespace called local, or NULL
   (the form OPC parts use: Id, Target, PartName, ...). */
const char *ooxml_xml_plain_attr(xmlNodePtr n, const char *local);
/* The value of an attribute as a string owned by the node (NULL when
   the value is not a single text node, which the parser always makes). */
const char *ooxml_xml_attr_value(xmlAttrPtr a);
/* True when the attribute lives in the OPC relationships namespace
   (transitional or strict), i.e. it holds a relationship id. */
bool ooxml_xml_attr_is_relid(xmlAttrPtr a);
/* True when an element has element children other than ones named
   ignore (may be NULL). */
bool ooxml_xml_has_elem_child(xmlNodePtr n, const char *ignore);
/* Move element n (with its subtree) to just before at, re-declaring the
   namespaces it used from its old place. Call before that place is
   freed. */
void ooxml_xml_move_before(xmlNodePtr n, xmlNodePtr at);
/* Unlink and free n (its subtree included). */
void ooxml_xml_remove(xmlNodePtr n);

int ooxml_vec_push(struct ooxml_vec *vec, void *p);
void ooxml_vec_free(struct ooxml_vec *vec);

#endif
