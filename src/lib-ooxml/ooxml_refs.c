/*
 * ooxml_refs - references to dropped relationships, OLE and ActiveX
 * elements, dangerous click actions, remote VML sources.
 */
#include <string.h>
#include <strings.h>

#include "ooxml_refs.h"
#include "ooxml_xml.h"

#define NS_PML		"http://schemas.openxmlformats.org/presentationml/2006/main"
#define NS_PML_S	"http://purl.oclc.org/ooxml/presentationml/main"
#define NS_DML		"http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_DML_S	"http://purl.oclc.org/ooxml/drawingml/main"
#define NS_WML		"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_WML_S	"http://purl.oclc.org/ooxml/wordprocessingml/main"
#define NS_VML		"urn:schemas-microsoft-com:vml"
#define NS_OFFICE	"urn:schemas-microsoft-com:office:office"

#define REMOVED_TEXT	"[object removed]"

/* Elements that embed or activate an OLE object or ActiveX control:
   they go whatever their relationship says. */
static const char *const ole_elements[] = {
	"OLEObject", "control", "objectEmbed", "objectLink", "oleObject",
	"oleObj",
};

/* Containers that are invalid (or pointless) once empty. */
static const char *const containers[] = {
	"oleObjects", "controls", "hyperlinks", "externalReferences",
	"definedNames",
};

/* Click actions that only move inside the presentation. */
static const char *const safe_actions[] = {
	"ppaction://hlinksldjump", "ppaction://hlinkshowjump",
	"ppaction://noaction", "ppaction://customshow", "ppaction://media",
};

struct rtally {
	size_t vba, ole, ext, macros;
	char ext_text[81];
};

static bool
ns_is(xmlNodePtr n, const char *a, const char *b)
{
	const char *href;

	if (n->ns == NULL || n->ns->href == NULL)
		return false;
	href = (const char *)n->ns->href;
	return strcmp(href, a) == 0 || (b != NULL && strcmp(href, b) == 0);
}

static bool
in_list(xmlNodePtr n, const char *const *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (ooxml_xml_is(n, list[i]))
			return true;
	}
	return false;
}

/* First element called local in n's subtree (n excluded), or NULL. */
static xmlNodePtr
find_desc(xmlNodePtr n, const char *local)
{
	xmlNodePtr c;

	for (c = ooxml_xml_first_elem(n); c != NULL;
	    c = ooxml_xml_next(c, n, false)) {
		if (ooxml_xml_is(c, local))
			return c;
	}
	return NULL;
}

static xmlNodePtr
find_child(xmlNodePtr n, const char *local)
{
	xmlNodePtr c;

	for (c = ooxml_xml_first_elem(n); c != NULL;
	    c = ooxml_xml_next(c, n, true)) {
		if (ooxml_xml_is(c, local))
			return c;
	}
	return NULL;
}

static void
mark(xmlNodePtr n, void *how)
{
	if (n->_private != OOXML_MARK_DELETE)
		n->_private = how;
}

/* The DrawingML namespace in scope at n, declared on at when absent. */
static xmlNsPtr
dml_ns(xmlNodePtr n, xmlNodePtr at)
{
	xmlNsPtr ns;

	ns = xmlSearchNsByHref(n->doc, n, BAD_CAST NS_DML);
	if (ns == NULL)
		ns = xmlSearchNsByHref(n->doc, n, BAD_CAST NS_DML_S);
	if (ns == NULL)
		ns = xmlNewNs(at, BAD_CAST NS_DML, BAD_CAST "a");
	return ns;
}

/* A copy of element from (attributes and element children, two levels:
   enough for an xfrm) as a new last child of parent, in namespace ns
   (NULL: from's namespace, looked up where the copy lands). */
static xmlNodePtr
clone_into(xmlNodePtr parent, xmlNodePtr from, xmlNsPtr ns, int levels)
{
	xmlNodePtr copy, c;

	bool declare = false;

	if (ns == NULL && from->ns != NULL) {
		ns = xmlSearchNsByHref(parent->doc, parent, from->ns->href);
		declare = ns == NULL;
	}
	copy = xmlNewChild(parent, ns, from->name, NULL);
	if (copy == NULL)
		return NULL;
	if (declare)
		xmlSetNs(copy, xmlNewNs(copy, from->ns->href, from->ns->prefix));
	copy->properties = xmlCopyPropList(copy, from->properties);
	for (c = ooxml_xml_first_elem(from); c != NULL && levels > 1;
	    c = ooxml_xml_next(c, from, true))
		clone_into(copy, c, NULL, levels - 1);
	return copy;
}

/* Copy the frame's p:xfrm as an a:xfrm first child of spPr. */
static void
put_xfrm(xmlNodePtr spPr, xmlNodePtr xfrm, xmlNsPtr ans)
{
	xmlNodePtr copy, first;

	if (spPr == NULL || xfrm == NULL || find_child(spPr, "xfrm") != NULL)
		return;
	first = ooxml_xml_first_elem(spPr);
	copy = clone_into(spPr, xfrm, ans, 2);
	if (copy != NULL && first != NULL) {
		xmlUnlinkNode(copy);
		xmlAddPrevSibling(first, copy);
	}
}

/* Give node the frame's drawing id and name (ids are unique per
   slide; the frame is going, so its id is free). */
static void
copy_cnvpr(xmlNodePtr to, xmlNodePtr frame)
{
	xmlNodePtr from = find_desc(frame, "cNvPr");
	const char *id, *name;

	if (from == NULL || to == NULL)
		return;
	id = ooxml_xml_plain_attr(from, "id");
	name = ooxml_xml_plain_attr(from, "name");
	if (id != NULL)
		xmlSetProp(to, BAD_CAST "id", BAD_CAST id);
	if (name != NULL)
		xmlSetProp(to, BAD_CAST "name", BAD_CAST name);
}

/* A p:sp rectangle saying the object was removed, put where the frame
   is. Its namespaces may still point into the frame: reconcile them. */
static xmlNodePtr
placeholder(xmlNodePtr frame, xmlNodePtr xfrm)
{
	xmlNsPtr pns = frame->ns, ans;
	xmlNodePtr sp, nv, spPr, g, tx, r;

	sp = xmlNewDocNode(frame->doc, pns, BAD_CAST "sp", NULL);
	if (sp == NULL)
		return NULL;
	xmlAddPrevSibling(frame, sp);
	ans = dml_ns(frame, sp);
	nv = xmlNewChild(sp, pns, BAD_CAST "nvSpPr", NULL);
	copy_cnvpr(xmlNewChild(nv, pns, BAD_CAST "cNvPr", NULL), frame);
	xmlNewChild(nv, pns, BAD_CAST "cNvSpPr", NULL);
	xmlNewChild(nv, pns, BAD_CAST "nvPr", NULL);
	spPr = xmlNewChild(sp, pns, BAD_CAST "spPr", NULL);
	put_xfrm(spPr, xfrm, ans);
	g = xmlNewChild(spPr, ans, BAD_CAST "prstGeom", NULL);
	xmlSetProp(g, BAD_CAST "prst", BAD_CAST "rect");
	xmlNewChild(g, ans, BAD_CAST "avLst", NULL);
	tx = xmlNewChild(sp, pns, BAD_CAST "txBody", NULL);
	xmlNewChild(tx, ans, BAD_CAST "bodyPr", NULL);
	xmlNewChild(tx, ans, BAD_CAST "lstStyle", NULL);
	r = xmlNewChild(xmlNewChild(tx, ans, BAD_CAST "p", NULL), ans,
	    BAD_CAST "r", NULL);
	xmlNewTextChild(r, ans, BAD_CAST "t", BAD_CAST REMOVED_TEXT);
	return sp;
}

/* The preview picture of an OLE frame, preferring the one of the
   mc:Fallback branch (the one readers without OLE show). */
static xmlNodePtr
preview_pic(xmlNodePtr frame)
{
	xmlNodePtr fb = find_desc(frame, "Fallback"), pic = NULL;

	if (fb != NULL)
		pic = find_desc(fb, "pic");
	if (pic == NULL)
		pic = find_desc(frame, "pic");
	if (pic != NULL && (find_child(pic, "blipFill") == NULL ||
	    find_child(pic, "spPr") == NULL))
		pic = NULL;
	return pic;
}

/* Replace a PresentationML OLE graphic frame by its preview picture or
   a placeholder; other frames just go. */
static void
convert_frame(xmlNodePtr frame)
{
	xmlNodePtr xfrm = find_child(frame, "xfrm"), pic, repl = NULL;
	xmlNodePtr alt = frame->parent != NULL ? frame->parent->parent : NULL;

	/* In an mc:Choice with a Fallback, the Fallback's frame (which has
	   the preview) will stand in: this one just goes. */
	if (ooxml_xml_is(frame->parent, "Choice") &&
	    ooxml_xml_is(alt, "AlternateContent") &&
	    find_child(alt, "Fallback") != NULL) {
		ooxml_xml_remove(frame);
		return;
	}
	if (ns_is(frame, NS_PML, NS_PML_S)) {
		if ((pic = preview_pic(frame)) != NULL) {
			ooxml_xml_move_before(pic, frame);
			put_xfrm(find_child(pic, "spPr"), xfrm,
			    dml_ns(pic, pic));
			copy_cnvpr(find_desc(pic, "cNvPr"), frame);
		} else if ((repl = placeholder(frame, xfrm)) != NULL) {
			xmlReconciliateNs(frame->doc, repl);
		}
	}
	ooxml_xml_remove(frame);
}

/* Phase one: graphic frames that hold an OLE object. Collected first,
   converted after the walk, so the walk never meets a freed node;
   a collected frame's inside is not searched, so no two overlap. */
static int
convert_frames(xmlNodePtr root, bool *changed)
{
	struct ooxml_vec frames = { 0 };
	xmlNodePtr n;
	bool skip = false;
	size_t i;
	int rc = 0;

	for (n = root; n != NULL; n = ooxml_xml_next(n, root, skip)) {
		skip = ooxml_xml_is(n, "graphicFrame") &&
		    find_desc(n, "oleObj") != NULL;
		if (skip && ooxml_vec_push(&frames, n) < 0) {
			rc = -1;
			break;
		}
	}
	for (i = 0; rc == 0 && i < frames.n; i++) {
		convert_frame(frames.v[i]);
		*changed = true;
	}
	ooxml_vec_free(&frames);
	return rc;
}

/* The finding code of a click action that is not safe, or NULL. */
static const char *
action_code(const char *action)
{
	size_t i;

	if (action == NULL || action[0] == '\0')
		return NULL;
	for (i = 0; i < sizeof(safe_actions) / sizeof(safe_actions[0]);
	    i++) {
		if (strncasecmp(action, safe_actions[i],
		    strlen(safe_actions[i])) == 0)
			return NULL;
	}
	if (strncasecmp(action, "ppaction://macro", 16) == 0)
		return "ooxml.vba";
	if (strncasecmp(action, "ppaction://ole", 14) == 0)
		return "ooxml.ole_object";
	return "ooxml.external_rel";
}

static void
count_code(struct rtally *t, const char *code, const char *text)
{
	if (strcmp(code, "ooxml.vba") == 0)
		t->vba++;
	else if (strcmp(code, "ooxml.ole_object") == 0)
		t->ole++;
	else if (t->ext++ == 0)
		ooxml_edit_snippet(t->ext_text, sizeof(t->ext_text) - 1, text,
		    strlen(text));
}

/* Attributes: references to dropped relationships and remote VML
   sources. */
static void
visit_attrs(xmlNodePtr n, const struct ooxml_rels *rels, struct rtally *t,
    bool *changed)
{
	xmlAttrPtr a, next;
	const char *v;
	bool vml = ns_is(n, NS_VML, NS_OFFICE);

	for (a = n->properties; a != NULL; a = next) {
		next = a->next;
		v = ooxml_xml_attr_value(a);
		if (v == NULL)
			continue;
		if ((ooxml_xml_attr_is_relid(a) ||
		    strcmp((const char *)a->name, "relid") == 0) &&
		    ooxml_rels_id_dropped(rels, v)) {
			if (ooxml_xml_is(n, "blip")) {
				xmlRemoveProp(a);	/* keep the picture */
				*changed = true;
			} else if (ooxml_xml_is(n, "hyperlink") &&
			    ooxml_xml_has_elem_child(n, NULL)) {
				mark(n, OOXML_MARK_UNWRAP);	/* keep text */
			} else {
				mark(n, OOXML_MARK_DELETE);
			}
			continue;
		}
		if (vml && (strcasecmp((const char *)a->name, "src") == 0 ||
		    strcasecmp((const char *)a->name, "href") == 0 ||
		    strcasecmp((const char *)a->name, "althref") == 0) &&
		    ooxml_url_is_absolute(v)) {
			count_code(t, "ooxml.external_rel", v);
			xmlRemoveProp(a);
			*changed = true;
		}
	}
}

/* Remove a non-empty macro assignment attribute (no namespace). */
static void
drop_macro_attr(xmlNodePtr n, const char *local, struct rtally *t,
    bool *changed)
{
	xmlAttrPtr a;
	const char *v;

	for (a = n->properties; a != NULL; a = a->next) {
		if (a->ns == NULL && strcmp((const char *)a->name, local) == 0)
			break;
	}
	if (a == NULL || (v = ooxml_xml_attr_value(a)) == NULL || v[0] == '\0')
		return;
	t->macros++;
	xmlRemoveProp(a);
	*changed = true;
}

/* Phase two: mark what goes. */
static void
mark_all(xmlNodePtr root, const struct ooxml_rels *rels, struct rtally *t,
    bool *changed)
{
	const char *action, *code;
	xmlNodePtr n;

	for (n = root; n != NULL; n = ooxml_xml_next(n, root, false)) {
		visit_attrs(n, rels, t, changed);
		if (in_list(n, ole_elements,
		    sizeof(ole_elements) / sizeof(ole_elements[0]))) {
			mark(n, OOXML_MARK_DELETE);
			continue;
		}
		/* macros assigned to form controls and drawing shapes */
		if (ooxml_xml_is(n, "FmlaMacro")) {
			t->macros++;
			mark(n, OOXML_MARK_DELETE);
			continue;
		}
		drop_macro_attr(n, "fmlaMacro", t, changed);
		if (ooxml_xml_is(n, "sp") || ooxml_xml_is(n, "pic") ||
		    ooxml_xml_is(n, "graphicFrame") || ooxml_xml_is(n, "cxnSp") ||
		    ooxml_xml_is(n, "grpSp"))
			drop_macro_attr(n, "macro", t, changed);
		if (ooxml_xml_is(n, "HyperlinkBase") &&
		    ooxml_xml_has_elem_child(n, NULL) == false &&
		    n->children != NULL) {
			/* a base makes every relative link point elsewhere */
			count_code(t, "ooxml.external_rel", "HyperlinkBase");
			mark(n, OOXML_MARK_DELETE);
			continue;
		}
		if (ooxml_xml_is(n, "hlinkClick") ||
		    ooxml_xml_is(n, "hlinkHover") ||
		    ooxml_xml_is(n, "hlinkMouseOver")) {
			action = ooxml_xml_attr_value(ooxml_xml_attr(n,
			    "action"));
			if ((code = action_code(action)) != NULL) {
				count_code(t, code, action);
				mark(n, OOXML_MARK_DELETE);
			}
		}
	}
}

/* A Word w:object without its OLE part: its w:drawing, else a w:pict
   with its VML preview, else a visible note. */
static void
convert_object(xmlNodePtr obj)
{
	xmlNodePtr drawing = find_child(obj, "drawing"), c, t;
	xmlAttrPtr a;

	if (drawing != NULL) {
		ooxml_xml_move_before(drawing, obj);
		ooxml_xml_remove(obj);
		return;
	}
	if (!ooxml_xml_has_elem_child(obj, "shapetype")) {
		t = xmlNewDocNode(obj->doc, obj->ns, BAD_CAST "t",
		    BAD_CAST REMOVED_TEXT);
		if (t != NULL)
			xmlAddPrevSibling(obj, t);
		ooxml_xml_remove(obj);
		return;
	}
	xmlNodeSetName(obj, BAD_CAST "pict");
	while (obj->properties != NULL)
		xmlRemoveProp(obj->properties);
	/* o:ole="" tells Word the shape is an OLE object's face */
	for (c = ooxml_xml_first_elem(obj); c != NULL;
	    c = ooxml_xml_next(c, obj, true)) {
		if ((a = ooxml_xml_attr(c, "ole")) != NULL)
			xmlRemoveProp(a);
	}
}

/* Phase three: every w:object (all of them lost their OLE part). */
static int
convert_objects(xmlNodePtr root, bool *changed)
{
	struct ooxml_vec objs = { 0 };
	xmlNodePtr n;
	size_t i;
	int rc = 0;

	for (n = root; n != NULL; n = ooxml_xml_next(n, root, false)) {
		if (ooxml_xml_is(n, "object") && ns_is(n, NS_WML, NS_WML_S) &&
		    ooxml_vec_push(&objs, n) < 0) {
			rc = -1;
			break;
		}
	}
	/* Last first: converting an object only frees its own subtree,
	   where every object collected after it lives (hostile files do
	   nest them). */
	for (i = objs.n; rc == 0 && i > 0; i--) {
		convert_object(objs.v[i - 1]);
		*changed = true;
	}
	ooxml_vec_free(&objs);
	return rc;
}

/* Mark empty mc:Choice / mc:Fallback branches and empty containers. */
static size_t
mark_empty(xmlNodePtr root)
{
	xmlNodePtr n;
	size_t count = 0;

	for (n = root; n != NULL; n = ooxml_xml_next(n, root, false)) {
		if ((ooxml_xml_is(n, "Choice") || ooxml_xml_is(n, "Fallback") ||
		    in_list(n, containers,
		    sizeof(containers) / sizeof(containers[0]))) &&
		    !ooxml_xml_has_elem_child(n, NULL)) {
			mark(n, OOXML_MARK_DELETE);
			count++;
		}
	}
	return count;
}

/* mc:AlternateContent without a Choice: its Fallback stands in. */
static size_t
mark_alternates(xmlNodePtr root)
{
	xmlNodePtr n, fb;
	size_t count = 0;

	for (n = root; n != NULL; n = ooxml_xml_next(n, root, false)) {
		if (!ooxml_xml_is(n, "AlternateContent") ||
		    find_child(n, "Choice") != NULL)
			continue;
		if ((fb = find_child(n, "Fallback")) != NULL) {
			mark(fb, OOXML_MARK_UNWRAP);
			mark(n, OOXML_MARK_UNWRAP);
		} else {
			mark(n, OOXML_MARK_DELETE);
		}
		count++;
	}
	return count;
}

/* Phase four: remove what the removals left empty, until stable. */
static void
tidy(xmlNodePtr root)
{
	size_t pass, n;

	for (pass = 0; pass < 8; pass++) {
		n = mark_empty(root);
		ooxml_xml_sweep(root);
		n += mark_alternates(root);
		ooxml_xml_sweep(root);
		if (n == 0)
			break;
	}
}

static void
report_tally(struct ooxml_edit *ed, const struct rtally *t)
{
	if (t->vba > 0)
		report_add(ed->r, "ooxml.vba", FINDING_REMOVED, ed->location,
		    "%zu macro click action(s)", t->vba);
	if (t->macros > 0)
		report_add(ed->r, "ooxml.vba", FINDING_REMOVED, ed->location,
		    "%zu macro assignment(s)", t->macros);
	if (t->ole > 0)
		report_add(ed->r, "ooxml.ole_object", FINDING_REMOVED,
		    ed->location, "%zu OLE click action(s)", t->ole);
	if (t->ext > 0)
		report_add(ed->r, "ooxml.external_rel", FINDING_REMOVED,
		    ed->location, "%zu program action(s) or remote source(s): %s",
		    t->ext, t->ext_text);
}

int
ooxml_refs_edit(xmlDocPtr doc, struct ooxml_edit *ed)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	struct rtally t;
	bool changed = false;

	memset(&t, 0, sizeof(t));
	if (convert_frames(root, &changed) < 0)
		return -1;
	mark_all(root, ed->rels, &t, &changed);
	if (ooxml_xml_sweep(root) > 0)
		changed = true;
	if (convert_objects(root, &changed) < 0)
		return -1;
	if (changed)
		tidy(root);
	ed->changed |= changed;
	report_tally(ed, &t);
	return 0;
}
