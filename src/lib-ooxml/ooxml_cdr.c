/*
 * ooxml_cdr - OOXML CDR: rebuild an OPC package without its active
 * content.
 *
 * The package is read as a graph: [Content_Types].xml says what each
 * part is, the .rels parts say who uses whom. Only parts reachable from
 * the package root through kept relationships survive, so nothing can
 * ride along unreferenced. Dangerous parts (VBA, ActiveX, OLE, external
 * links, macro sheets, custom UI, data connections) are dropped with the
 * relationships that lead to them; external relationships are dropped
 * except web hyperlinks (which follow the link policy); every kept XML
 * part is parsed under limits, and the elements that used what was
 * dropped are edited out (ooxml_refs, ooxml_word, ooxml_sheet).
 * Unchanged parts are copied compressed, as they are (ooxml_pkg).
 *
 * xlsb: its parts are BIFF12 binaries. Dangerous parts go at the part
 * level like everywhere else, but workbook.bin is not rewritten: its
 * sheet and external-book records that named a dropped macro sheet or
 * external link keep their (now dangling) relationship ids, and binary
 * cell formulas (DDE references into a dropped link, CALL/REGISTER)
 * are not inspected. Excel repairs the dangling records on open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ooxml_cdr.h"
#include "ooxml_ctypes.h"
#include "ooxml_edit.h"
#include "ooxml_kind.h"
#include "ooxml_pkg.h"
#include "ooxml_refs.h"
#include "ooxml_rels.h"
#include "ooxml_sheet.h"
#include "ooxml_word.h"
#include "ooxml_xml.h"

#define SNIPPET		80
#define NOTE_MAX	160	/* "type target" of a relationship */
/* BIFF12 record starting an external book: its first field says what
   the book is (0 workbook, 1 DDE, 2 OLE). */
#define BRT_BEGIN_SUPBOOK	0x168

struct ooxml_job {
	struct cdr_ctx *ctx;
	struct report *r;
	struct arena *arena;
	enum file_type type;
	struct ooxml_pkg pkg;
	struct ooxml_ctypes ct;
	struct ooxml_part *ct_part;
	struct ooxml_rels root;
	bool extrefs_gone;	/* an external workbook link was dropped */
	bool calc_dirty;	/* a cell formula was removed */
	bool failed;		/* internal failure, r's error set */
};

/* Stop with a blocked finding. */
static int
refuse(struct ooxml_job *job, const char *code, const char *location,
    const char *detail)
{
	report_add(job->r, code, FINDING_BLOCKED, location, "%s", detail);
	return 1;
}

static int
nomem(struct ooxml_job *job)
{
	report_set_error(job->r, "ooxml: out of memory");
	job->failed = true;
	return -1;
}

/* Map a parse status of a part to the job's answer: 0 ok, 1 refused. */
static int
xml_verdict(struct ooxml_job *job, enum ooxml_xml_status st,
    const struct ooxml_part *p)
{
	switch (st) {
	case OOXML_XML_OK:
		return 0;
	case OOXML_XML_DEPTH:
		return refuse(job, "limit.xml_depth", p->name,
		    "XML nested too deep");
	case OOXML_XML_NODES:
		return refuse(job, "limit.xml_nodes", p->name,
		    "too many XML elements");
	case OOXML_XML_NOMEM:
		return nomem(job);
	case OOXML_XML_DTD:
		return refuse(job, "ooxml.malformed", p->name,
		    "DOCTYPE in a package part");
	case OOXML_XML_MALFORMED:
		break;
	}
	return refuse(job, "ooxml.malformed", p->name,
	    "XML not well-formed, or not UTF-8 or UTF-16");
}

/* Read a part; 0, 1 (refused: corrupt) or -1. */
static int
read_part(struct ooxml_job *job, const struct ooxml_part *p,
    unsigned char **data_r)
{
	int rc = ooxml_pkg_read(&job->pkg, p, data_r);

	if (rc < 0)
		return nomem(job);
	if (rc > 0)
		return refuse(job, "ooxml.malformed", p->name,
		    "corrupt compressed data");
	return 0;
}

static int
load_ctypes(struct ooxml_job *job)
{
	enum ooxml_ctypes_status st;
	unsigned char *data;
	int rc;

	job->ct_part = ooxml_pkg_find(&job->pkg, "[content_types].xml");
	if (job->ct_part == NULL)
		return refuse(job, "ooxml.malformed", NULL,
		    "no [Content_Types].xml");
	if ((rc = read_part(job, job->ct_part, &data)) != 0)
		return rc;
	st = ooxml_ctypes_parse(&job->ct, &job->pkg, job->arena,
	    job->ctx->limits, data, job->ct_part->size);
	free(data);
	switch (st) {
	case OOXML_CTYPES_OK:
		return 0;
	case OOXML_CTYPES_DEPTH:
		return xml_verdict(job, OOXML_XML_DEPTH, job->ct_part);
	case OOXML_CTYPES_NODES:
		return xml_verdict(job, OOXML_XML_NODES, job->ct_part);
	case OOXML_CTYPES_NOMEM:
		return nomem(job);
	case OOXML_CTYPES_BAD:
		break;
	}
	return refuse(job, "ooxml.malformed", job->ct_part->name,
	    "bad content types part");
}

/* Parse one .rels part into rels; 0, 1 or -1. */
static int
load_one_rels(struct ooxml_job *job, struct ooxml_rels *rels,
    struct ooxml_part *self, struct ooxml_part *source)
{
	enum ooxml_rels_status st;
	unsigned char *data;
	int rc;

	rels->self = self;
	rels->source = source;
	if ((rc = read_part(job, self, &data)) != 0)
		return rc;
	st = ooxml_rels_parse(rels, &job->pkg, job->arena, job->ctx->limits,
	    data, self->size);
	free(data);
	switch (st) {
	case OOXML_RELS_OK:
		return 0;
	case OOXML_RELS_DEPTH:
		return xml_verdict(job, OOXML_XML_DEPTH, self);
	case OOXML_RELS_NODES:
		return xml_verdict(job, OOXML_XML_NODES, self);
	case OOXML_RELS_NOMEM:
		return nomem(job);
	case OOXML_RELS_BAD:
		break;
	}
	return refuse(job, "ooxml.malformed", self->name,
	    "bad relationships part");
}

/* Find and parse every .rels part whose source part exists. A .rels of
   a missing part is an orphan and is simply left out. */
static int
load_rels(struct ooxml_job *job)
{
	struct ooxml_part *p, *src;
	struct ooxml_rels *rels;
	const char *skey;
	size_t i;
	int rc;

	for (i = 0; i < job->pkg.nparts; i++) {
		p = &job->pkg.parts[i];
		skey = ooxml_rels_source_key(job->arena, p->key);
		if (skey == NULL)
			continue;
		p->is_rels = true;
		if (skey[0] == '\0') {
			if ((rc = load_one_rels(job, &job->root, p, NULL)) != 0)
				return rc;
			continue;
		}
		src = ooxml_pkg_find(&job->pkg, skey);
		/* relationships of a missing part, of the content types or
		   of another .rels are no one's: left out */
		if (src == NULL || src == job->ct_part || src->rels != NULL ||
		    ooxml_rels_source_key(job->arena, src->key) != NULL)
			continue;
		if ((rels = arena_alloc(job->arena, sizeof(*rels))) == NULL)
			return nomem(job);
		src->rels = rels;
		p->rels_of = src;
		if ((rc = load_one_rels(job, rels, p, src)) != 0)
			return rc;
	}
	if (job->root.self == NULL)
		return refuse(job, "ooxml.malformed", NULL,
		    "no package relationships (_rels/.rels)");
	return 0;
}

/* Mark a part dangerous by one witness (the first one names it). */
static void
witness(struct ooxml_part *p, enum ooxml_kind kind)
{
	if (p->kind == OOXML_KIND_NONE)
		p->kind = kind;
}

static void
classify_rels(struct ooxml_rels *rels)
{
	size_t i;

	for (i = 0; i < rels->nrel; i++) {
		if (!rels->rel[i].external && rels->rel[i].part != NULL)
			witness(rels->rel[i].part,
			    ooxml_reltype_kind(rels->rel[i].rt));
	}
}

/* Judge every part by name, content type and incoming relationships. */
static void
classify(struct ooxml_job *job)
{
	struct ooxml_part *p;
	size_t i;

	for (i = 0; i < job->pkg.nparts; i++) {
		p = &job->pkg.parts[i];
		if (p->is_rels || p == job->ct_part)
			continue;
		witness(p, ooxml_kind_of_name(p->key));
		witness(p, ooxml_kind_of_ctype(p->ctype));
	}
	classify_rels(&job->root);
	for (i = 0; i < job->pkg.nparts; i++) {
		if (job->pkg.parts[i].rels != NULL)
			classify_rels(job->pkg.parts[i].rels);
	}
}

/* Per .rels part counts of what went, for one finding each. */
struct rtally {
	size_t ext, link_kept, link_removed;
	char ext_text[NOTE_MAX], link_text[NOTE_MAX];
};

static void
note(char *buf, size_t *count, const struct ooxml_rel *rel)
{
	const char *slash = strrchr(rel->type, '/');
	char tmp[SNIPPET + 1];

	if ((*count)++ > 0)
		return;
	ooxml_edit_snippet(tmp, SNIPPET, rel->target, strlen(rel->target));
	snprintf(buf, NOTE_MAX, "%.40s %s", slash != NULL ? slash + 1 :
	    rel->type, tmp);
}

/* Decide an external relationship; true when it is kept. */
static bool
judge_external(struct ooxml_job *job, const struct ooxml_rel *rel,
    struct rtally *t)
{
	if (rel->rt == OOXML_RT_HYPERLINK) {
		if (rel->target[0] == '#')
			return true;	/* a jump inside the document */
		if (ooxml_url_is_web(rel->target)) {
			if (job->ctx->opts->links == LINKS_KEEP) {
				note(t->link_text, &t->link_kept, rel);
				return true;
			}
			note(t->link_text, &t->link_removed, rel);
			return false;
		}
	}
	note(t->ext_text, &t->ext, rel);
	return false;
}

/* Decide one relationship; true when it is kept. */
static bool
judge_rel(struct ooxml_job *job, const struct ooxml_rel *rel,
    struct rtally *t)
{
	const struct ooxml_part *p = rel->part;

	if (rel->external)
		return judge_external(job, rel, t);
	/* Office never writes an internal hyperlink relationship (jumps
	   inside a document are anchors); one that names a part of the
	   package is a way to make a reader open that part. */
	if (rel->rt == OOXML_RT_LINKONLY || rel->rt == OOXML_RT_HYPERLINK) {
		note(t->ext_text, &t->ext, rel);
		return false;
	}
	/* missing targets, dangerous parts, and relationships that point
	   at package machinery instead of a part */
	return p != NULL && p->kind == OOXML_KIND_NONE && !p->dropped &&
	    !p->is_rels && p != job->ct_part;
}

static void
report_rtally(struct ooxml_job *job, const struct ooxml_rels *rels,
    const struct rtally *t)
{
	const char *loc = rels->self->name;

	if (t->ext > 0)
		report_add(job->r, "ooxml.external_rel", FINDING_REMOVED, loc,
		    "%zu relationship(s): %s", t->ext, t->ext_text);
	if (t->link_kept > 0)
		report_add(job->r, "ooxml.hyperlink", FINDING_REPORTED, loc,
		    "%zu hyperlink(s): %s", t->link_kept, t->link_text);
	if (t->link_removed > 0)
		report_add(job->r, "ooxml.hyperlink", FINDING_REMOVED, loc,
		    "%zu hyperlink(s): %s", t->link_removed, t->link_text);
}

/* Walk the graph from the root; drop relationships as judged (with
   findings when report is set) and mark reached parts. */
static int
reach(struct ooxml_job *job, bool report)
{
	struct ooxml_vec queue = { 0 };
	struct ooxml_rels *rels;
	struct ooxml_rel *rel;
	struct rtally t;
	size_t head, i;

	for (i = 0; i < job->pkg.nparts; i++)
		job->pkg.parts[i].reached = false;
	if (ooxml_vec_push(&queue, &job->root) < 0)
		return nomem(job);
	for (head = 0; head < queue.n; head++) {
		rels = queue.v[head];
		memset(&t, 0, sizeof(t));
		for (i = 0; i < rels->nrel; i++) {
			rel = &rels->rel[i];
			if (rel->dropped)
				continue;
			if (!judge_rel(job, rel, &t)) {
				ooxml_rels_drop(rels, i);
				continue;
			}
			if (rel->external || rel->part->reached)
				continue;
			rel->part->reached = true;
			if (rel->part->rels != NULL &&
			    ooxml_vec_push(&queue, rel->part->rels) < 0) {
				ooxml_vec_free(&queue);
				return nomem(job);
			}
		}
		if (report)
			report_rtally(job, rels, &t);
	}
	ooxml_vec_free(&queue);
	return 0;
}

/* What a BIFF12 external link part holds: its first BrtBeginSupBook. */
static const char *
xlsb_link_code(const unsigned char *d, size_t len)
{
	size_t i = 0, k;
	unsigned type, size;

	while (i < len) {
		for (type = 0, k = 0; k < 2 && i < len; k++, i++) {
			type |= (unsigned)(d[i] & 0x7f) << (7 * k);
			if (!(d[i] & 0x80)) {
				i++;
				break;
			}
		}
		for (size = 0, k = 0; k < 4 && i < len; k++, i++) {
			size |= (unsigned)(d[i] & 0x7f) << (7 * k);
			if (!(d[i] & 0x80)) {
				i++;
				break;
			}
		}
		if (type == BRT_BEGIN_SUPBOOK && size >= 2 && i + 2 <= len)
			return d[i] == 1 ? "ooxml.dde" : d[i] == 2 ?
			    "ooxml.ole_object" : "ooxml.external_link";
		if (size > len - i)
			break;
		i += size;
	}
	return "ooxml.external_link";
}

/* The finding code of a dropped external link part, by what it holds:
   a DDE link is ooxml.dde, an OLE link ooxml.ole_object. */
static const char *
extlink_code(struct ooxml_job *job, const struct ooxml_part *p)
{
	const char *code = "ooxml.external_link";
	size_t len = (size_t)p->size, n = strlen(p->key);
	unsigned char *data;

	if (ooxml_pkg_read(&job->pkg, p, &data) != 0)
		return code;
	if (n > 4 && strcmp(p->key + n - 4, ".bin") == 0)
		code = xlsb_link_code(data, len);
	else if (memmem(data, len, "ddeLink", 7) != NULL)
		code = "ooxml.dde";
	else if (memmem(data, len, "oleLink", 7) != NULL)
		code = "ooxml.ole_object";
	free(data);
	return code;
}

/* True when a .rels part belongs to a part that is kept. */
static bool
rels_kept(struct ooxml_job *job, const struct ooxml_part *p)
{
	return p == job->root.self ||
	    (p->rels_of != NULL && !p->rels_of->dropped);
}

/* Drop every part nothing reaches any more; report dangerous ones. */
static void
drop_unreached(struct ooxml_job *job, bool report)
{
	struct ooxml_part *p;
	const char *code;
	size_t i;

	for (i = 0; i < job->pkg.nparts; i++) {
		p = &job->pkg.parts[i];
		if (p == job->ct_part || p->dropped || p->is_rels)
			continue;
		if (p->reached && p->kind == OOXML_KIND_NONE)
			continue;
		p->dropped = true;
		if (!report || p->kind == OOXML_KIND_NONE)
			continue;
		code = ooxml_kind_code(p->kind);
		if (p->kind == OOXML_KIND_EXTLINK) {
			job->extrefs_gone = true;
			code = extlink_code(job, p);
		}
		report_add(job->r, code, FINDING_REMOVED, p->name, "%s%s%s",
		    ooxml_kind_text(p->kind), p->ctype != NULL ? ", " : "",
		    p->ctype != NULL ? p->ctype : "");
	}
	/* a .rels goes with its source part */
	for (i = 0; i < job->pkg.nparts; i++) {
		p = &job->pkg.parts[i];
		if (p->is_rels && !p->dropped && !rels_kept(job, p))
			p->dropped = true;
	}
}

/* The main part must survive, or there is no document left. */
static int
check_main(struct ooxml_job *job)
{
	size_t i;

	for (i = 0; i < job->root.nrel; i++) {
		const struct ooxml_rel *rel = &job->root.rel[i];

		if (rel->rt == OOXML_RT_OFFICEDOC && !rel->dropped &&
		    rel->part != NULL && !rel->part->dropped)
			return 0;
	}
	return refuse(job, "ooxml.malformed", job->root.self->name,
	    "no usable main document part");
}

static void
demacro(struct ooxml_job *job)
{
	const char *ext = ooxml_ctypes_demacro(&job->ct, &job->pkg,
	    job->arena);
	enum file_type free_type = filetype_macro_free(job->type);

	if (ext == NULL && free_type == job->type)
		return;
	if (ext == NULL)
		ext = filetype_ext(free_type);
	report_add(job->r, "ooxml.macro_enabled", FINDING_REMOVED,
	    job->ct_part->name, "%s -> %s", filetype_name(job->type), ext);
	if (strcmp(ext, filetype_ext(job->type)) != 0)
		report_set_new_ext(job->r, ext);
}

static bool
part_is_xml(const struct ooxml_part *p)
{
	size_t n = strlen(p->key), c;

	if (n > 4 && (strcmp(p->key + n - 4, ".xml") == 0 ||
	    strcmp(p->key + n - 4, ".vml") == 0))
		return true;
	if (p->ctype == NULL || (c = strlen(p->ctype)) < 3)
		return false;
	return strcasecmp(p->ctype + c - 3, "xml") == 0;
}

/* Run the editors that apply to a part's root. */
static int
edit_doc(struct ooxml_job *job, xmlDocPtr doc, struct ooxml_edit *ed)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);

	if (ooxml_xml_is(root, "workbook") &&
	    ooxml_sheet_workbook(doc, ed) < 0)
		return -1;
	if ((ooxml_xml_is(root, "worksheet") ||
	    ooxml_xml_is(root, "dialogsheet") ||
	    ooxml_xml_is(root, "chartsheet") ||
	    ooxml_xml_is(root, "table")) &&
	    ooxml_sheet_formulas(doc, ed) < 0)
		return -1;
	if (ooxml_refs_edit(doc, ed) < 0)
		return -1;
	/* Fields are looked for in every part, not only in those whose
	   root says WordprocessingML: outside Word's story parts they are
	   inert, and a part Word reads as a story is never missed. */
	if (ooxml_word_edit(doc, ed) < 0)
		return -1;
	return 0;
}

/* Parse, edit and (when changed) re-serialize one XML part. */
static int
edit_part(struct ooxml_job *job, struct ooxml_part *p)
{
	struct ooxml_edit ed;
	enum ooxml_xml_status st;
	unsigned char *data;
	xmlDocPtr doc;
	bool decl;
	int rc;

	if ((rc = read_part(job, p, &data)) != 0)
		return rc;
	doc = ooxml_xml_parse(data, (size_t)p->size, job->ctx->limits, &st);
	decl = ooxml_xml_has_decl(data, (size_t)p->size);
	free(data);
	if (doc == NULL)
		return xml_verdict(job, st, p);
	memset(&ed, 0, sizeof(ed));
	ed.r = job->r;
	ed.location = p->name;
	ed.opts = job->ctx->opts;
	ed.rels = p->rels;
	ed.extrefs_gone = job->extrefs_gone;
	rc = edit_doc(job, doc, &ed);
	if (rc == 0 && ed.changed && !job->ctx->inspect) {
		rc = ooxml_xml_serialize(doc, decl, &p->data, &p->data_len);
		p->modified = rc == 0;
	} else if (rc == 0 && ed.changed) {
		p->modified = true;	/* inspect: nothing to write */
	}
	xmlFreeDoc(doc);
	if (rc < 0)
		return nomem(job);
	job->calc_dirty |= ed.formulas_removed;
	if (ed.no_sheets)
		return refuse(job, "ooxml.xlm", p->name,
		    "no worksheet left once macro sheets are removed");
	return 0;
}

/* Legacy VML drawings are often not XML at all; one that does not parse
   is dropped (with its relationships) instead of refusing the file. */
static int
vet_vml(struct ooxml_job *job)
{
	enum ooxml_xml_status st;
	struct ooxml_part *p;
	unsigned char *data;
	xmlDocPtr doc;
	size_t i, n;
	int rc;

	for (i = 0; i < job->pkg.nparts; i++) {
		p = &job->pkg.parts[i];
		n = strlen(p->key);
		if (p->dropped || n < 4 || strcmp(p->key + n - 4, ".vml") != 0)
			continue;
		if ((rc = read_part(job, p, &data)) != 0)
			return rc;
		doc = ooxml_xml_parse(data, (size_t)p->size, job->ctx->limits,
		    &st);
		free(data);
		if (doc != NULL) {
			xmlFreeDoc(doc);
			continue;
		}
		if (st != OOXML_XML_MALFORMED)
			return xml_verdict(job, st, p);
		p->dropped = true;
		report_add(job->r, "ooxml.malformed", FINDING_REMOVED, p->name,
		    "VML drawing that is not XML");
	}
	return 0;
}

static int
edit_parts(struct ooxml_job *job)
{
	struct ooxml_part *p;
	size_t i;
	int rc;

	for (i = 0; i < job->pkg.nparts; i++) {
		p = &job->pkg.parts[i];
		if (p->dropped || p->is_rels || p == job->ct_part ||
		    !part_is_xml(p))
			continue;
		if ((rc = edit_part(job, p)) != 0)
			return rc;
	}
	return 0;
}

/* Drop every kept relationship of a type (calcChain, signatures). */
static void
drop_reltype(struct ooxml_job *job, enum ooxml_reltype rt)
{
	struct ooxml_rels *rels;
	size_t i, k;

	for (i = 0; i <= job->pkg.nparts; i++) {
		rels = i < job->pkg.nparts ? job->pkg.parts[i].rels :
		    &job->root;
		if (rels == NULL || (i < job->pkg.nparts &&
		    job->pkg.parts[i].dropped))
			continue;
		for (k = 0; k < rels->nrel; k++) {
			if (rels->rel[k].rt == rt && !rels->rel[k].dropped)
				ooxml_rels_drop(rels, k);
		}
	}
}

static bool
anything_changed(const struct ooxml_job *job)
{
	size_t i;

	for (i = 0; i < job->pkg.nparts; i++) {
		if (job->pkg.parts[i].dropped || job->pkg.parts[i].modified)
			return true;
	}
	return job->ct.changed;
}

/* Serialize the relationship parts and the content types that changed. */
static int
rewrite_package(struct ooxml_job *job)
{
	struct ooxml_rels *rels;
	size_t i;

	for (i = 0; i <= job->pkg.nparts; i++) {
		rels = i < job->pkg.nparts ? job->pkg.parts[i].rels :
		    &job->root;
		if (rels == NULL || !rels->changed || rels->self->dropped)
			continue;
		if (ooxml_xml_serialize(rels->doc, true, &rels->self->data,
		    &rels->self->data_len) < 0)
			return nomem(job);
		rels->self->modified = true;
	}
	ooxml_ctypes_prune(&job->ct, &job->pkg, job->arena);
	if (job->ct.changed) {
		if (ooxml_xml_serialize(job->ct.doc, true, &job->ct_part->data,
		    &job->ct_part->data_len) < 0)
			return nomem(job);
		job->ct_part->modified = true;
	}
	return 0;
}

/* The whole pipeline up to the output; 0, 1 (refused) or -1. */
static int
run(struct ooxml_job *job, const unsigned char *in, size_t len)
{
	int rc;

	if ((rc = ooxml_pkg_open(&job->pkg, job->arena, job->ctx->limits,
	    job->r, in, len)) != 0) {
		job->failed = rc < 0;
		return rc;
	}
	if ((rc = load_ctypes(job)) != 0 || (rc = load_rels(job)) != 0)
		return rc;
	classify(job);
	if ((rc = reach(job, true)) != 0)
		return rc;
	drop_unreached(job, true);
	if ((rc = check_main(job)) != 0)
		return rc;
	demacro(job);
	if ((rc = vet_vml(job)) != 0)
		return rc;
	/* relationships to what vet_vml dropped go before the edits */
	if ((rc = reach(job, false)) != 0)
		return rc;
	drop_unreached(job, false);
	if ((rc = edit_parts(job)) != 0)
		return rc;
	if (job->calc_dirty)
		drop_reltype(job, OOXML_RT_CALCCHAIN);
	/* a signature over content that changed only makes Office warn */
	if (anything_changed(job))
		drop_reltype(job, OOXML_RT_SIGNATURE);
	if ((rc = reach(job, false)) != 0)
		return rc;
	drop_unreached(job, false);
	if (job->ctx->inspect)
		return 0;
	return rewrite_package(job);
}

static void
job_free(struct ooxml_job *job)
{
	size_t i;

	for (i = 0; i < job->pkg.nparts; i++) {
		if (job->pkg.parts[i].rels != NULL)
			ooxml_rels_free(job->pkg.parts[i].rels);
	}
	ooxml_rels_free(&job->root);
	ooxml_ctypes_free(&job->ct);
	ooxml_pkg_close(&job->pkg);
}

int
ooxml_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	struct ooxml_xml_quiet quiet;
	struct ooxml_job job;
	const char *err;
	int rc;

	ooxml_xml_init();
	ooxml_xml_quiet(&quiet);
	memset(&job, 0, sizeof(job));
	job.ctx = ctx;
	job.r = r;
	job.arena = ctx->arena;
	job.type = type;
	rc = run(&job, in, len);
	if (rc == 0 && !ctx->inspect && !report_has_action(r, FINDING_BLOCKED) &&
	    !report_has_action(r, FINDING_HELD) && r->error == NULL) {
		if (ooxml_pkg_write(&job.pkg, job.ct_part, out, &err) < 0) {
			report_set_error(r, "ooxml: %s", err);
			job.failed = true;
		}
	}
	job_free(&job);
	ooxml_xml_unquiet(&quiet);
	if (job.failed || r->error != NULL)
		return -1;
	return 0;
}
