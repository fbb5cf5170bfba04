/*
 * ooxml_xml - limited libxml2 parsing and mark-and-sweep editing.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlerror.h>

#include "ooxml_xml.h"

#define NS_REL		"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_REL_STRICT	"http://purl.oclc.org/ooxml/officeDocument/relationships"

/* Counters hooked into the SAX2 tree builder through ctxt->_private. */
struct xml_guard {
	unsigned depth, max_depth;
	uint64_t nodes, max_nodes;
	enum ooxml_xml_status status;
};

void
ooxml_xml_init(void)
{
	xmlInitParser();
}

/* libxml2's generic error channel (used where no parser context is at
   hand: encoding and I/O errors) prints to stderr by default. */
static void
silent_generic(void *ctx, const char *msg, ...)
{
}

void
ooxml_xml_quiet(struct ooxml_xml_quiet *q)
{
	q->func = xmlGenericError;
	q->ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, silent_generic);
}

void
ooxml_xml_unquiet(const struct ooxml_xml_quiet *q)
{
	xmlSetGenericErrorFunc(q->ctx, q->func);
}

/* Stop the parser with a status (the first reason wins). */
static void
guard_stop(xmlParserCtxtPtr ctxt, enum ooxml_xml_status st)
{
	struct xml_guard *g = ctxt->_private;

	if (g->status == OOXML_XML_OK)
		g->status = st;
	xmlStopParser(ctxt);
}

/* Count and limit every element before libxml2 allocates its node. */
static void
guard_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xml_guard *g = ctxt->_private;

	if (++g->depth > g->max_depth) {
		guard_stop(ctxt, OOXML_XML_DEPTH);
		return;
	}
	if (++g->nodes > g->max_nodes) {
		guard_stop(ctxt, OOXML_XML_NODES);
		return;
	}
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces,
	    namespaces, nb_attributes, nb_defaulted, attributes);
}

static void
guard_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xml_guard *g = ctxt->_private;

	if (g->depth > 0)
		g->depth--;
	xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

/* A DOCTYPE stops the parse before its internal subset (and any entity
   declaration in it) is read. */
static void
guard_dtd(void *ctx, const xmlChar *name, const xmlChar *external_id,
    const xmlChar *system_id)
{
	guard_stop(ctx, OOXML_XML_DTD);
}

/* libxml2 must never print: errors are read from the context. */
static void
guard_silent(void *data, xmlErrorPtr err)
{
}

/* OPC allows UTF-8 and UTF-16 only. Anything else is refused, and so
   is input the decoder gave up on: libxml2 then just stops reading,
   which could leave a well-formed prefix and an unseen rest. */
static bool
input_sane(xmlParserCtxtPtr ctxt)
{
	xmlParserInputBufferPtr buf;
	const char *name;

	if (ctxt->input == NULL || (buf = ctxt->input->buf) == NULL)
		return true;
	if (buf->error != 0)
		return false;
	if (buf->encoder == NULL || (name = buf->encoder->name) == NULL)
		return true;
	return strcasecmp(name, "UTF-8") == 0 ||
	    strcasecmp(name, "UTF-16") == 0 ||
	    strcasecmp(name, "UTF-16LE") == 0 ||
	    strcasecmp(name, "UTF-16BE") == 0;
}

/* The status of a parse that libxml2 itself failed. */
static enum ooxml_xml_status
parse_failure(xmlParserCtxtPtr ctxt)
{
	const xmlError *e = &ctxt->lastError;

	if (e->code == XML_ERR_NO_MEMORY)
		return OOXML_XML_NOMEM;
	/* libxml2's own nesting cap (256 without XML_PARSE_HUGE) is a depth
	   limit too, not a malformation. */
	if (e->code == XML_ERR_INTERNAL_ERROR && e->message != NULL &&
	    strstr(e->message, "depth") != NULL)
		return OOXML_XML_DEPTH;
	return OOXML_XML_MALFORMED;
}

xmlDocPtr
ooxml_xml_parse(const unsigned char *data, size_t len,
    const struct limits *limits, enum ooxml_xml_status *st)
{
	xmlParserCtxtPtr ctxt;
	struct xml_guard g;
	xmlDocPtr doc;

	/* libxml2 takes an int length; a part that large is over any sane
	   node budget anyway. */
	if (len > INT_MAX) {
		*st = OOXML_XML_NODES;
		return NULL;
	}
	ctxt = xmlCreateMemoryParserCtxt((const char *)data, (int)len);
	if (ctxt == NULL) {
		*st = OOXML_XML_NOMEM;
		return NULL;
	}
	memset(&g, 0, sizeof(g));
	g.max_depth = limits->xml_depth;
	g.max_nodes = limits->xml_nodes;
	ctxt->_private = &g;
	xmlCtxtUseOptions(ctxt,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	ctxt->sax->startElementNs = guard_start;
	ctxt->sax->endElementNs = guard_end;
	ctxt->sax->internalSubset = guard_dtd;
	ctxt->sax->externalSubset = guard_dtd;
	ctxt->sax->serror = guard_silent;
	ctxt->sax->error = NULL;
	ctxt->sax->warning = NULL;
	ctxt->sax->fatalError = NULL;
	xmlParseDocument(ctxt);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	*st = g.status;
	if (*st == OOXML_XML_OK && (!ctxt->wellFormed || doc == NULL))
		*st = parse_failure(ctxt);
	if (*st == OOXML_XML_OK && !input_sane(ctxt))
		*st = OOXML_XML_MALFORMED;
	if (*st == OOXML_XML_OK && xmlDocGetRootElement(doc) == NULL)
		*st = OOXML_XML_MALFORMED;
	if (*st != OOXML_XML_OK && doc != NULL) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

bool
ooxml_xml_has_decl(const unsigned char *data, size_t len)
{
	static const unsigned char utf16le[] = "<\0?\0x\0m\0l\0";
	static const unsigned char utf16be[] = "\0<\0?\0x\0m\0l";

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	} else if (len >= 2 && (memcmp(data, "\xff\xfe", 2) == 0 ||
	    memcmp(data, "\xfe\xff", 2) == 0)) {
		data += 2;
		len -= 2;
	}
	return (len >= 5 && memcmp(data, "<?xml", 5) == 0) ||
	    (len >= 10 && (memcmp(data, utf16le, 10) == 0 ||
	    memcmp(data, utf16be, 10) == 0));
}

int
ooxml_xml_serialize(xmlDocPtr doc, bool decl, unsigned char **data_r,
    size_t *len_r)
{
	xmlSaveCtxtPtr sc;
	xmlBufferPtr buf;
	unsigned char *copy;
	size_t len;
	long rc;

	if ((buf = xmlBufferCreate()) == NULL)
		return -1;
	/* no declaration when the part had none: legacy VML readers */
	sc = xmlSaveToBuffer(buf, "UTF-8", decl ? 0 : XML_SAVE_NO_DECL);
	if (sc == NULL) {
		xmlBufferFree(buf);
		return -1;
	}
	rc = xmlSaveDoc(sc, doc);
	if (xmlSaveClose(sc) < 0 || rc < 0) {
		xmlBufferFree(buf);
		return -1;
	}
	len = (size_t)xmlBufferLength(buf);
	/* plain malloc() memory: the zip writer free()s it */
	if ((copy = malloc(len > 0 ? len : 1)) == NULL) {
		xmlBufferFree(buf);
		return -1;
	}
	memcpy(copy, xmlBufferContent(buf), len);
	xmlBufferFree(buf);
	*data_r = copy;
	*len_r = len;
	return 0;
}

void
ooxml_xml_remove(xmlNodePtr n)
{
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

/* Replace n by its children. Declarations made on n die with it, so
   children that used them get their own first. */
static void
xml_unwrap(xmlNodePtr n)
{
	xmlNodePtr c, next;
	bool decls = n->nsDef != NULL;

	for (c = n->children; c != NULL; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		if (c->type == XML_ELEMENT_NODE) {
			xmlAddPrevSibling(n, c);
			if (decls)
				xmlReconciliateNs(n->doc, c);
		} else {
			/* may merge c into a text sibling and free it */
			xmlAddPrevSibling(n, c);
		}
	}
	ooxml_xml_remove(n);
}

void
ooxml_xml_move_before(xmlNodePtr n, xmlNodePtr at)
{
	xmlUnlinkNode(n);
	xmlAddPrevSibling(at, n);
	xmlReconciliateNs(at->doc, n);
}

size_t
ooxml_xml_sweep(xmlNodePtr root)
{
	xmlNodePtr c, next;
	size_t count = 0;

	/* Recursion is bounded by the parse depth limit (and libxml2's own
	   cap of 256 levels). */
	for (c = root->children; c != NULL; c = next) {
		next = c->next;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (c->_private == OOXML_MARK_DELETE) {
			ooxml_xml_remove(c);
			count++;
			continue;
		}
		count += ooxml_xml_sweep(c);
		if (c->_private == OOXML_MARK_UNWRAP) {
			xml_unwrap(c);
			count++;
		}
	}
	return count;
}

xmlNodePtr
ooxml_xml_first_elem(xmlNodePtr n)
{
	xmlNodePtr c;

	for (c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			return c;
	}
	return NULL;
}

xmlNodePtr
ooxml_xml_next(xmlNodePtr n, xmlNodePtr root, bool skip_children)
{
	xmlNodePtr c;

	if (!skip_children && (c = ooxml_xml_first_elem(n)) != NULL)
		return c;
	while (n != NULL && n != root) {
		for (c = n->next; c != NULL; c = c->next) {
			if (c->type == XML_ELEMENT_NODE)
				return c;
		}
		n = n->parent;
	}
	return NULL;
}

bool
ooxml_xml_is(xmlNodePtr n, const char *local)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, local) == 0;
}

bool
ooxml_xml_is_ci(xmlNodePtr n, const char *local)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcasecmp((const char *)n->name, local) == 0;
}

xmlAttrPtr
ooxml_xml_attr(xmlNodePtr n, const char *local)
{
	xmlAttrPtr a;

	for (a = n->properties; a != NULL; a = a->next) {
		if (strcmp((const char *)a->name, local) == 0)
			return a;
	}
	return NULL;
}

const char *
ooxml_xml_attr_value(xmlAttrPtr a)
{
	if (a == NULL)
		return NULL;
	if (a->children == NULL)
		return "";
	if (a->children->next != NULL ||
	    a->children->type != XML_TEXT_NODE)
		return NULL;
	return a->children->content != NULL ?
	    (const char *)a->children->content : "";
}

const char *
ooxml_xml_plain_attr(xmlNodePtr n, const char *local)
{
	xmlAttrPtr a;

	for (a = n->properties; a != NULL; a = a->next) {
		if (a->ns == NULL && strcmp((const char *)a->name, local) == 0)
			return ooxml_xml_attr_value(a);
	}
	return NULL;
}

bool
ooxml_xml_attr_is_relid(xmlAttrPtr a)
{
	const char *href;

	if (a->ns == NULL || a->ns->href == NULL)
		return false;
	href = (const char *)a->ns->href;
	return strcmp(href, NS_REL) == 0 || strcmp(href, NS_REL_STRICT) == 0;
}

bool
ooxml_xml_has_elem_child(xmlNodePtr n, const char *ignore)
{
	xmlNodePtr c;

	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (ignore != NULL && ooxml_xml_is(c, ignore))
			continue;
		return true;
	}
	return false;
}

int
ooxml_vec_push(struct ooxml_vec *vec, void *p)
{
	void **nv;
	size_t ncap;

	if (vec->n == vec->cap) {
		ncap = vec->cap == 0 ? 64 : vec->cap * 2;
		if (ncap < vec->cap || ncap > SIZE_MAX / sizeof(void *))
			return -1;
		nv = realloc(vec->v, ncap * sizeof(void *));
		if (nv == NULL)
			return -1;
		vec->v = nv;
		vec->cap = ncap;
	}
	vec->v[vec->n++] = p;
	return 0;
}

void
ooxml_vec_free(struct ooxml_vec *vec)
{
	free(vec->v);
	vec->v = NULL;
	vec->n = vec->cap = 0;
}
