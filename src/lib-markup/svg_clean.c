/*
 * svg_clean - allow-list rebuild of SVG from libxml2's tree.
 *
 * Parsing hooks two SAX callbacks: entity declarations stop the parse
 * (the document is refused), and each element start is counted against
 * limits->xml_nodes and limits->xml_depth so that a hostile file stops
 * the parser instead of growing the tree. The walk is iterative.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "sizeops.h"
#include "svg_clean.h"
#include "url_check.h"

#define SVG_NS "http://www.w3.org/2000/svg"
#define XLINK_NS "http://www.w3.org/1999/xlink"
#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define XML_NS "http://www.w3.org/XML/1998/namespace"

enum svg_rule {
	S_DROP = 0, /* default: dropped with content, silently */
	S_KEEP,
	S_STYLE, /* kept when its CSS passes */
	S_SCRIPT, /* svg.script */
	S_FOREIGN, /* foreignObject: svg.external_resource */
	S_ANIMATE, /* dropped; reported when it rewrites href or on* */
};

struct svg_element {
	const char *name;
	enum svg_rule rule;
};

/* SVG elements by rule. Not listed: dropped silently (fonts, cursors,
   color profiles and metadata are either external references or of no
   use in a rebuilt drawing; unknown elements render nothing). */
/* clang-format off */
static const struct svg_element svg_elements[] = {
	{ "a", S_KEEP }, { "circle", S_KEEP }, { "clipPath", S_KEEP },
	{ "defs", S_KEEP }, { "desc", S_KEEP }, { "ellipse", S_KEEP },
	{ "feBlend", S_KEEP }, { "feColorMatrix", S_KEEP },
	{ "feComponentTransfer", S_KEEP }, { "feComposite", S_KEEP },
	{ "feConvolveMatrix", S_KEEP }, { "feDiffuseLighting", S_KEEP },
	{ "feDisplacementMap", S_KEEP }, { "feDistantLight", S_KEEP },
	{ "feDropShadow", S_KEEP }, { "feFlood", S_KEEP },
	{ "feFuncA", S_KEEP }, { "feFuncB", S_KEEP }, { "feFuncG", S_KEEP },
	{ "feFuncR", S_KEEP }, { "feGaussianBlur", S_KEEP },
	{ "feImage", S_KEEP }, { "feMerge", S_KEEP },
	{ "feMergeNode", S_KEEP }, { "feMorphology", S_KEEP },
	{ "feOffset", S_KEEP }, { "fePointLight", S_KEEP },
	{ "feSpecularLighting", S_KEEP }, { "feSpotLight", S_KEEP },
	{ "feTile", S_KEEP }, { "feTurbulence", S_KEEP },
	{ "filter", S_KEEP }, { "g", S_KEEP }, { "image", S_KEEP },
	{ "line", S_KEEP }, { "linearGradient", S_KEEP },
	{ "marker", S_KEEP }, { "mask", S_KEEP }, { "path", S_KEEP },
	{ "pattern", S_KEEP }, { "polygon", S_KEEP },
	{ "polyline", S_KEEP }, { "radialGradient", S_KEEP },
	{ "rect", S_KEEP }, { "stop", S_KEEP }, { "svg", S_KEEP },
	{ "switch", S_KEEP }, { "symbol", S_KEEP }, { "text", S_KEEP },
	{ "textPath", S_KEEP }, { "title", S_KEEP }, { "tspan", S_KEEP },
	{ "use", S_KEEP }, { "view", S_KEEP },
	{ "style", S_STYLE },
	{ "script", S_SCRIPT }, { "handler", S_SCRIPT },
	{ "listener", S_SCRIPT },
	{ "foreignObject", S_FOREIGN },
	{ "animate", S_ANIMATE }, { "animateColor", S_ANIMATE },
	{ "animateMotion", S_ANIMATE }, { "animateTransform", S_ANIMATE },
	{ "set", S_ANIMATE }, { "discard", S_ANIMATE },
};
/* clang-format on */

/* Attributes without namespace written back. Presentation values that
   may hold url() are checked by css_check() (svg_attr_paint). */
/* clang-format off */
static const char *const svg_attr_allowed[] = {
	"alignment-baseline", "amplitude", "azimuth", "baseFrequency",
	"baseline-shift", "bias", "class", "clip", "clip-path",
	"clip-rule", "clipPathUnits", "color", "color-interpolation",
	"color-interpolation-filters", "cx", "cy", "d", "diffuseConstant",
	"direction", "display", "divisor", "dominant-baseline", "dx", "dy",
	"edgeMode", "elevation", "exponent", "fill", "fill-opacity",
	"fill-rule", "filter", "filterUnits", "flood-color",
	"flood-opacity", "font-family", "font-size", "font-size-adjust",
	"font-stretch", "font-style", "font-variant", "font-weight", "fr",
	"fx", "fy", "gradientTransform", "gradientUnits", "height", "id",
	"image-rendering", "in", "in2", "intercept", "isolation", "k1",
	"k2", "k3", "k4", "kernelMatrix", "kernelUnitLength", "lang",
	"lengthAdjust", "letter-spacing", "lighting-color",
	"limitingConeAngle", "marker-end", "marker-mid", "marker-start",
	"markerHeight", "markerUnits", "markerWidth", "mask",
	"maskContentUnits", "maskUnits", "method", "mix-blend-mode",
	"mode", "numOctaves", "offset", "opacity", "operator", "order",
	"orient", "overflow", "paint-order", "path", "pathLength",
	"patternContentUnits", "patternTransform", "patternUnits",
	"points", "pointsAtX", "pointsAtY", "pointsAtZ", "preserveAlpha",
	"preserveAspectRatio", "primitiveUnits", "r", "radius", "refX",
	"refY", "requiredExtensions", "requiredFeatures", "result",
	"rotate", "rx", "ry", "scale", "seed", "shape-rendering", "side",
	"slope", "spacing", "specularConstant", "specularExponent",
	"spreadMethod", "startOffset", "stdDeviation", "stitchTiles",
	"stop-color", "stop-opacity", "stroke", "stroke-dasharray",
	"stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
	"stroke-miterlimit", "stroke-opacity", "stroke-width",
	"surfaceScale", "systemLanguage", "tableValues", "targetX",
	"targetY", "text-anchor", "text-decoration", "text-rendering",
	"textLength", "transform", "transform-origin", "type",
	"unicode-bidi", "values", "vector-effect", "version", "viewBox",
	"visibility", "width", "word-spacing", "writing-mode", "x", "x1",
	"x2", "xChannelSelector", "y", "y1", "y2", "yChannelSelector",
};
/* clang-format on */

/* Presentation attributes that take a <url> or <paint>. */
/* clang-format off */
static const char *const svg_attr_paint[] = {
	"clip-path", "fill", "filter", "marker-end", "marker-mid",
	"marker-start", "mask", "stroke",
};
/* clang-format on */

struct svg_frame {
	xmlNodePtr node;
	xmlNodePtr next; /* next child to visit */
	bool emit; /* children are written */
	bool close; /* an end tag is due when leaving */
};

struct svg_job {
	struct cdr_ctx *ctx;
	struct report *r;
	struct markup_out *out;
	struct svg_frame *stack;
	size_t stack_size;
	uint64_t elements; /* counted while parsing */
	bool entity_decl; /* the DOCTYPE declared an entity */
	bool over_nodes, over_depth;
	bool stop; /* a limit was reached while walking */
	bool failed; /* internal failure, error already set */
};

/* The namespace URI of n, or NULL. */
static const char *
svg_ns(const xmlNode *n)
{
	return n->ns != NULL ? (const char *)n->ns->href : NULL;
}

static bool
str_in(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(s, list[i]) == 0)
			return true;
	}
	return false;
}

#define STR_IN(s, list) str_in((s), (list), sizeof(list) / sizeof(list[0]))

static void svg_report(struct svg_job *j, const xmlNode *n, const char *code,
    enum finding_action action, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Record a finding about n, located by its line. */
static void
svg_report(struct svg_job *j, const xmlNode *n, const char *code,
    enum finding_action action, const char *fmt, ...)
{
	char loc[32], detail[256];
	va_list ap;

	snprintf(
	    loc, sizeof(loc), "line %ld", n != NULL ? xmlGetLineNo(n) : 0L);
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	report_add(j->r, code, action, loc, "%s", detail);
}

/* Element start, wrapped: counted and refused past the limits before
   libxml2 adds it to the tree. */
static void
svg_sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct svg_job *j = ctxt->_private;

	if (++j->elements > j->ctx->limits->xml_nodes) {
		j->over_nodes = true;
		xmlStopParser(ctxt);
		return;
	}
	if ((uint64_t)ctxt->nodeNr + 1 > j->ctx->limits->xml_depth) {
		j->over_depth = true;
		xmlStopParser(ctxt);
		return;
	}
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces,
	    namespaces, nb_attributes, nb_defaulted, attributes);
}

/* Any entity declaration ends the parse: internal entities are how
   billion-laughs bombs grow, external ones read files. */
static void
svg_sax_entity(void *ctx, const xmlChar *name, int type,
    const xmlChar *public_id, const xmlChar *system_id, xmlChar *content)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct svg_job *j = ctxt->_private;

	j->entity_decl = true;
	xmlStopParser(ctxt);
}

/* libxml2 must not print: errors are read from the context instead. */
static void
svg_sax_silent(void *userdata, xmlErrorPtr error)
{
}

/* A css_check() verdict as a finding; true when the CSS may stay. */
static bool
svg_css_verdict(struct svg_job *j, const xmlNode *n, int v, const char *what)
{
	switch (v) {
	case CSS_OK:
		return true;
	case CSS_SCRIPT:
		svg_report(j, n, "svg.script", FINDING_REMOVED,
		    "script in CSS (%s of <%s>)", what, n->name);
		return false;
	case CSS_DANGEROUS_URL:
		svg_report(j, n, "svg.dangerous_url", FINDING_REMOVED,
		    "script or data URL in CSS (%s of <%s>)", what, n->name);
		return false;
	case CSS_EXTERNAL:
		svg_report(j, n, "svg.external_resource", FINDING_REMOVED,
		    "url() to another file or @import (%s of <%s>)", what,
		    n->name);
		return false;
	default:
		report_set_error(j->r, "out of memory checking CSS");
		j->failed = j->stop = true;
		return false;
	}
}

/* An <a> link: kept or taken out per the link policy. */
static bool
svg_link(
    struct svg_job *j, const xmlNode *n, enum url_kind kind, const char *scheme)
{
	switch (kind) {
	case URL_FRAGMENT:
	case URL_RELATIVE:
		return true;
	case URL_WEB:
	case URL_MAILTO:
		if (j->ctx->opts->links != LINKS_KEEP) {
			svg_report(j, n, "svg.external_resource",
			    FINDING_REMOVED, "%s: link removed by policy",
			    scheme);
			return false;
		}
		svg_report(j, n, "svg.external_resource", FINDING_REPORTED,
		    "%s: link kept by policy", scheme);
		return true;
	case URL_NETPATH:
		svg_report(j, n, "svg.dangerous_url", FINDING_REMOVED,
		    "protocol-relative link (a UNC path when opened locally)");
		return false;
	default:
		svg_report(j, n, "svg.dangerous_url", FINDING_REMOVED,
		    "link to a %s: URL", scheme);
		return false;
	}
}

/* href / xlink:href: only references inside the document stay, and
   links per policy. A data: image is dropped like any other: its bytes
   would reach the reader without going through the image sanitizer,
   and data:image/svg+xml would nest a whole unchecked SVG. */
static bool
svg_href(struct svg_job *j, const xmlNode *n, const char *value)
{
	enum url_kind kind;
	char scheme[32];

	kind = url_classify(value, scheme, sizeof(scheme));
	if (url_kind_dangerous(kind)) {
		svg_report(j, n, "svg.dangerous_url", FINDING_REMOVED,
		    "%s: URL in href of <%s>", scheme, n->name);
		return false;
	}
	if (strcmp((const char *)n->name, "a") == 0 &&
	    (svg_ns(n) == NULL || strcmp(svg_ns(n), SVG_NS) == 0))
		return svg_link(j, n, kind, scheme);
	if (kind == URL_FRAGMENT)
		return true;
	svg_report(j, n, "svg.external_resource", FINDING_REMOVED,
	    "reference to another file in href of <%s>", n->name);
	return false;
}

/* One attribute: reported when it goes, written when allowed. */
static void
svg_attr(struct svg_job *j, const xmlNode *n, const xmlAttr *a,
    const char *value, bool write)
{
	const char *name = (const char *)a->name;
	const char *ns = a->ns != NULL ? (const char *)a->ns->href : NULL;

	if (strncasecmp(name, "on", 2) == 0) {
		svg_report(j, n, "svg.event_handler", FINDING_REMOVED,
		    "%s handler on <%s>", name, n->name);
	} else if (strcmp(name, "href") == 0 &&
	    (ns == NULL || strcmp(ns, XLINK_NS) == 0)) {
		if (svg_href(j, n, value) && write)
			markup_out_attr(j->out,
			    ns != NULL ? "xlink:href" : "href", value, true);
	} else if (ns != NULL) {
		if (write && strcmp(ns, XML_NS) == 0 &&
		    (strcmp(name, "space") == 0 || strcmp(name, "lang") == 0))
			markup_out_attr(j->out,
			    strcmp(name, "space") == 0 ? "xml:space"
						       : "xml:lang",
			    value, true);
	} else if (strcmp(name, "style") == 0) {
		if (svg_css_verdict(j, n, css_check(value, strlen(value)),
			"style attribute") &&
		    write)
			markup_out_attr(j->out, name, value, true);
	} else if (STR_IN(name, svg_attr_paint)) {
		if (svg_css_verdict(
			j, n, css_check(value, strlen(value)), name) &&
		    write)
			markup_out_attr(j->out, name, value, true);
	} else if (write && STR_IN(name, svg_attr_allowed)) {
		markup_out_attr(j->out, name, value, true);
	}
}

/* Report the attributes of n that go; write the allowed ones when write is set.
 */
static void
svg_attrs(struct svg_job *j, const xmlNode *n, bool write)
{
	const xmlAttr *a;
	xmlChar *value;

	for (a = n->properties; a != NULL && !j->stop; a = a->next) {
		value = xmlNodeListGetString(n->doc, a->children, 1);
		svg_attr(
		    j, n, a, value != NULL ? (const char *)value : "", write);
		xmlFree(value);
	}
}

/* Write an allowed start tag; the root also declares the namespaces. */
static void
svg_start_tag(struct svg_job *j, const xmlNode *n, bool root)
{
	markup_out_str(j->out, "<");
	markup_out_str(j->out, (const char *)n->name);
	if (root)
		markup_out_str(j->out,
		    " xmlns=\"" SVG_NS "\" xmlns:xlink=\"" XLINK_NS "\"");
	svg_attrs(j, n, true);
	markup_out_str(j->out, ">");
}

/* The rule for an SVG element by its local name. */
static enum svg_rule
svg_rule(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(svg_elements) / sizeof(svg_elements[0]); i++) {
		if (strcmp(name, svg_elements[i].name) == 0)
			return svg_elements[i].rule;
	}
	return S_DROP;
}

/* <animate>/<set> can turn a safe attribute into a javascript: link or
   a handler after load: never kept, reported when aimed at those. */
static void
svg_animation(struct svg_job *j, const xmlNode *n)
{
	xmlChar *target = xmlGetProp(n, (const xmlChar *)"attributeName");
	const char *t, *colon;

	if (target == NULL)
		return;
	t = (const char *)target;
	if ((colon = strrchr(t, ':')) != NULL)
		t = colon + 1;
	if (strcasecmp(t, "href") == 0)
		svg_report(j, n, "svg.dangerous_url", FINDING_REMOVED,
		    "<%s> rewrites a link", n->name);
	else if (strncasecmp(t, "on", 2) == 0)
		svg_report(j, n, "svg.event_handler", FINDING_REMOVED,
		    "<%s> sets the %s handler", n->name, t);
	xmlFree(target);
}

/* <style>: kept (its text written escaped) when the CSS passes. */
static bool
svg_style_ok(struct svg_job *j, const xmlNode *n)
{
	xmlChar *css = xmlNodeGetContent(n);
	bool ok;

	if (css == NULL)
		return true;
	ok = svg_css_verdict(j, n,
	    css_check((const char *)css, strlen((const char *)css)),
	    "style element");
	xmlFree(css);
	return ok;
}

/* An element outside the SVG namespace: never kept. HTML in SVG can
   run script in a browser, XInclude pulls other files; editor data
   (Inkscape, Illustrator, RDF) goes silently. */
static void
svg_enter_foreign(struct svg_job *j, const struct svg_frame *parent,
    struct svg_frame *f, const char *ns)
{
	const xmlNode *n = f->node;

	if (strcmp((const char *)n->name, "script") == 0)
		svg_report(j, n, "svg.script", FINDING_REMOVED,
		    "<%s> element in %s", n->name, ns);
	else if (parent->emit && strcmp(ns, XHTML_NS) == 0)
		svg_report(j, n, "svg.external_resource", FINDING_REMOVED,
		    "HTML element <%s> in SVG", n->name);
	else if (parent->emit &&
	    strncmp(ns, "http://www.w3.org/200", 21) == 0 &&
	    strstr(ns, "XInclude") != NULL)
		svg_report(j, n, "svg.external_resource", FINDING_REMOVED,
		    "XInclude of another file");
	svg_attrs(j, n, false);
}

/* Decide the fate of element f->node, report it and write its start tag. */
static void
svg_enter(
    struct svg_job *j, const struct svg_frame *parent, struct svg_frame *f)
{
	const xmlNode *n = f->node;
	const char *ns = svg_ns(n);
	bool emit = parent->emit, keep = false;

	if (ns != NULL && strcmp(ns, SVG_NS) != 0) {
		svg_enter_foreign(j, parent, f, ns);
		return;
	}
	switch (svg_rule((const char *)n->name)) {
	case S_KEEP:
		keep = true;
		break;
	case S_STYLE:
		keep = svg_style_ok(j, n);
		break;
	case S_SCRIPT:
		svg_report(j, n, "svg.script", FINDING_REMOVED, "<%s> element",
		    n->name);
		break;
	case S_FOREIGN:
		svg_report(j, n, "svg.external_resource", FINDING_REMOVED,
		    "<foreignObject> (embedded HTML or other markup)");
		break;
	case S_ANIMATE:
		svg_animation(j, n);
		break;
	default:
		break;
	}
	if (keep && emit)
		svg_start_tag(j, n, false);
	else
		svg_attrs(j, n, false);
	f->emit = f->close = keep && emit;
}

/* Write the end tag due when leaving f. */
static void
svg_leave(struct svg_job *j, const struct svg_frame *f)
{
	if (!f->close)
		return;
	markup_out_str(j->out, "</");
	markup_out_str(j->out, (const char *)f->node->name);
	markup_out_str(j->out, ">");
}

/* A processing instruction: <?xml-stylesheet?> loads a style sheet. */
static void
svg_pi(struct svg_job *j, const xmlNode *n)
{
	if (strcmp((const char *)n->name, "xml-stylesheet") == 0)
		svg_report(j, n, "svg.external_resource", FINDING_REMOVED,
		    "<?xml-stylesheet?> processing instruction");
}

/* Push child under stack[*sp] (element) or handle it in place. */
static void
svg_child(struct svg_job *j, size_t *sp, xmlNodePtr child)
{
	struct svg_frame *f = &j->stack[*sp];

	switch (child->type) {
	case XML_ELEMENT_NODE:
		if (*sp + 1 >= j->stack_size) {
			report_add(j->r, "limit.xml_depth", FINDING_BLOCKED,
			    NULL, "SVG nesting over the limit of %u",
			    j->ctx->limits->xml_depth);
			j->stop = true;
			return;
		}
		memset(&j->stack[*sp + 1], 0, sizeof(j->stack[0]));
		j->stack[*sp + 1].node = child;
		j->stack[*sp + 1].next = child->children;
		svg_enter(j, f, &j->stack[*sp + 1]);
		(*sp)++;
		break;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (f->emit && child->content != NULL)
			markup_out_text(
			    j->out, (const char *)child->content, true);
		break;
	case XML_PI_NODE:
		svg_pi(j, child);
		break;
	default:
		/* Comments, and references to undeclared entities that
		   have no text to give. */
		break;
	}
}

/* Visit the root element's subtree depth first, without recursion. */
static int
svg_walk(struct svg_job *j, xmlNodePtr root)
{
	struct svg_frame *f;
	xmlNodePtr child;
	size_t sp = 0;

	memset(&j->stack[0], 0, sizeof(j->stack[0]));
	j->stack[0].node = root;
	j->stack[0].next = root->children;
	j->stack[0].emit = j->stack[0].close = true;
	svg_start_tag(j, root, true);
	for (;;) {
		if (j->stop)
			return j->failed ? -1 : 0;
		f = &j->stack[sp];
		if ((child = f->next) == NULL) {
			svg_leave(j, f);
			if (sp-- == 0)
				break;
			continue;
		}
		f->next = child->next;
		svg_child(j, &sp, child);
	}
	markup_out_str(j->out, "\n");
	return 0;
}

/* Why the parse failed, as a finding. */
static void
svg_parse_failed(struct svg_job *j, xmlParserCtxtPtr ctxt)
{
	const xmlError *e = &ctxt->lastError;
	char msg[160];
	size_t n;

	if (j->entity_decl) {
		report_add(j->r, "svg.malformed", FINDING_BLOCKED, NULL,
		    "DOCTYPE declares entities (entity expansion refused)");
	} else if (j->over_nodes) {
		report_add(j->r, "limit.xml_nodes", FINDING_BLOCKED, NULL,
		    "SVG has more than %llu elements",
		    (unsigned long long)j->ctx->limits->xml_nodes);
	} else if (j->over_depth ||
	    (e->message != NULL &&
		strstr(e->message, "Excessive depth") != NULL)) {
		report_add(j->r, "limit.xml_depth", FINDING_BLOCKED, NULL,
		    "SVG nesting over the limit of %u",
		    j->ctx->limits->xml_depth);
	} else {
		snprintf(msg, sizeof(msg), "%s",
		    e->message != NULL ? e->message : "not well-formed XML");
		n = strlen(msg);
		while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
		report_add(j->r, "svg.malformed", FINDING_BLOCKED, NULL,
		    "line %d: %s", e->line, msg);
	}
}

/* A parser context with the refusing and counting SAX hooks. */
static xmlParserCtxtPtr
svg_new_ctxt(struct svg_job *j)
{
	xmlParserCtxtPtr ctxt;

	xmlInitParser();
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return NULL;
	ctxt->_private = j;
	ctxt->sax->startElementNs = svg_sax_start;
	ctxt->sax->entityDecl = svg_sax_entity;
	ctxt->sax->externalSubset = NULL;
	ctxt->sax->serror = svg_sax_silent;
	return ctxt;
}

/* The parsed tree, or NULL with the finding recorded. */
static xmlDocPtr
svg_parse(struct svg_job *j, xmlParserCtxtPtr ctxt, const unsigned char *in,
    size_t len)
{
	xmlDocPtr doc;
	xmlNodePtr root;

	/* No entity substitution, no DTD loading, no network: the
	   defaults, spelled out by leaving NOENT/DTDLOAD/DTDATTR out. */
	doc = xmlCtxtReadMemory(ctxt, (const char *)in, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
		XML_PARSE_NOWARNING);
	if (doc == NULL || !ctxt->wellFormed || !ctxt->nsWellFormed ||
	    j->entity_decl || j->over_nodes || j->over_depth) {
		svg_parse_failed(j, ctxt);
		xmlFreeDoc(doc);
		return NULL;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcmp((const char *)root->name, "svg") != 0 ||
	    (svg_ns(root) != NULL && strcmp(svg_ns(root), SVG_NS) != 0)) {
		report_add(j->r, "svg.malformed", FINDING_BLOCKED, NULL,
		    "root element is not <svg>");
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

/* Everything at document level besides the root: only
   <?xml-stylesheet?> matters. */
static void
svg_prolog(struct svg_job *j, xmlDocPtr doc)
{
	xmlNodePtr n;

	for (n = doc->children; n != NULL; n = n->next) {
		if (n->type == XML_PI_NODE)
			svg_pi(j, n);
	}
}

int
svg_clean(struct cdr_ctx *ctx, struct report *r, const unsigned char *in,
    size_t len, struct markup_out *out)
{
	xmlParserCtxtPtr ctxt;
	struct svg_job j;
	xmlDocPtr doc;
	size_t bytes;
	int ret;

	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.r = r;
	j.out = out;
	if (len > INT_MAX) {
		report_add(r, "limit.file_size", FINDING_BLOCKED, NULL,
		    "SVG larger than the XML parser takes");
		return 0;
	}
	if (size_add(ctx->limits->xml_depth, 1, &j.stack_size) < 0 ||
	    size_mul(j.stack_size, sizeof(*j.stack), &bytes) < 0 ||
	    (j.stack = arena_alloc(ctx->arena, bytes)) == NULL) {
		report_set_error(r, "out of job memory for the SVG walk");
		return -1;
	}
	if ((ctxt = svg_new_ctxt(&j)) == NULL) {
		report_set_error(r, "out of memory creating the XML parser");
		return -1;
	}
	if ((doc = svg_parse(&j, ctxt, in, len)) == NULL) {
		xmlFreeParserCtxt(ctxt);
		return 0;
	}
	svg_prolog(&j, doc);
	markup_out_str(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	ret = svg_walk(&j, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return ret;
}
