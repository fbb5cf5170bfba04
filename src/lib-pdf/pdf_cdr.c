/*
 * pdf_cdr - PDF 無害化 on MuPDF: cut every active element out of the
 * object graph, then write a fresh single-revision file from what is left.
 *
 * Active elements are JavaScript (name tree, actions, /JS keys), actions
 * that start programs, send data, import data or leave the file, /AA
 * triggers, a running OpenAction, embedded and associated files, rich
 * media, 3D and XFA. URI actions follow the link policy.
 *
 * Why a full rewrite: only objects reachable from the trailer after the
 * cuts are written, so dropped objects, older revisions, object streams
 * and cross-reference streams never reach the output bytes. Streams are
 * copied as they are (raw, still compressed), which keeps the job
 * linear and about as fast as a plain qpdf rewrite.
 *
 * Why our own reachability walk rather than MuPDF's garbage collector:
 * MuPDF marks recursively, and a long /Next or /Parent chain in a
 * hostile file would overflow the stack. The walk here keeps an
 * explicit stack of object numbers, sees every written object once, and
 * deletes the unreached ones before MuPDF writes with garbage
 * collection off.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "pdf_cdr.h"
#include "pdf_mem.h"
#include "sizeops.h"

/* Room MuPDF keeps for decoded resources; we never render, so little. */
#define PDF_STORE_MAX		(16U << 20)
/* Direct (non-indirect) nesting handled by the walk. MuPDF's parser
   stops near 256 already (its exception stack), so this is a backstop. */
#define PDF_DEPTH_MAX		512
/* Actions followed through /Next when naming what a removed trigger held. */
#define PDF_CHAIN_MAX		64
/* MuPDF keeps dictionaries of more entries sorted (binary search). */
#define PDF_DICT_SMALL		100
/* -0 values a dictionary gets back as 0 (more stay -0: cosmetic). */
#define PDF_NEGZERO_MAX		8
/* Header before each block of the capped allocator (keeps alignment). */

#define NELEM(a)		(sizeof(a) / sizeof((a)[0]))

/* What the walk counts; index into pdf_codes[]. */
enum pdf_code {
	PC_JS,
	PC_OPEN,
	PC_AA,
	PC_LAUNCH,
	PC_SUBMIT,
	PC_IMPORT,
	PC_GOTOR,
	PC_GOTOE,
	PC_EMBED,
	PC_RICH,
	PC_XFA,
	PC_URI,
	PC_COUNT,
	PC_NONE = -1
};

static const struct {
	const char *code;
	const char *what;
} pdf_codes[PC_COUNT] = {
	[PC_JS] = { "pdf.javascript", "JavaScript" },
	[PC_OPEN] = { "pdf.open_action", "OpenAction" },
	[PC_AA] = { "pdf.additional_action", "/AA trigger dictionary" },
	[PC_LAUNCH] = { "pdf.launch", "Launch action" },
	[PC_SUBMIT] = { "pdf.submit_form", "SubmitForm action" },
	[PC_IMPORT] = { "pdf.import_data", "ImportData action" },
	[PC_GOTOR] = { "pdf.goto_remote", "GoToR action" },
	[PC_GOTOE] = { "pdf.goto_embedded", "GoToE action" },
	[PC_EMBED] = { "pdf.embedded_file", "embedded or associated file" },
	[PC_RICH] = { "pdf.richmedia", "rich media, sound, movie or 3D" },
	[PC_XFA] = { "pdf.xfa", "XFA form" },
	[PC_URI] = { "pdf.uri", "URI action" },
};

/* Action types (the /S name) that do something outside the page. Names
   are compared without case: a reader that is lax about case must not
   find an action the walk skipped. */
static const struct {
	const char *name;
	enum pdf_code code;
} pdf_actions[] = {
	{ "JavaScript", PC_JS },
	{ "Launch", PC_LAUNCH },
	{ "SubmitForm", PC_SUBMIT },
	{ "ImportData", PC_IMPORT },
	{ "GoToR", PC_GOTOR },
	{ "GoToE", PC_GOTOE },
	{ "Rendition", PC_RICH },
	{ "Movie", PC_RICH },
	{ "Sound", PC_RICH },
	{ "RichMediaExecute", PC_RICH },
	{ "GoTo3DView", PC_RICH },
	{ "URI", PC_URI },
};

/* Annotation subtypes taken off the page. */
static const struct {
	const char *name;
	enum pdf_code code;
} pdf_annots[] = {
	{ "FileAttachment", PC_EMBED },
	{ "RichMedia", PC_RICH },
	{ "Movie", PC_RICH },
	{ "Sound", PC_RICH },
	{ "Screen", PC_RICH },
	{ "3D", PC_RICH },
};

/* What a dictionary key calls for, whatever dictionary it is in. */
enum pdf_key_rule {
	KR_NONE,
	KR_DROP,	/* delete the key, count its code */
	KR_AA,		/* delete, and name the actions it held */
	KR_OPEN,	/* OpenAction: keep a plain destination */
	KR_ANNOTS,	/* filter the annotation array */
	KR_QUIET,	/* delete without a finding (meaningless alone) */
};

static const struct {
	const char *name;
	enum pdf_key_rule rule;
	enum pdf_code code;
} pdf_keys[] = {
	{ "AA", KR_AA, PC_AA },
	{ "OpenAction", KR_OPEN, PC_OPEN },
	{ "JS", KR_DROP, PC_JS },
	{ "JavaScript", KR_DROP, PC_JS },	/* Names tree */
	{ "EmbeddedFiles", KR_DROP, PC_EMBED },	/* Names tree */
	{ "AF", KR_DROP, PC_EMBED },
	{ "EF", KR_DROP, PC_EMBED },		/* file specification */
	{ "RF", KR_DROP, PC_EMBED },		/* related files */
	{ "XFA", KR_DROP, PC_XFA },
	{ "3DD", KR_DROP, PC_RICH },
	{ "RichMediaContent", KR_DROP, PC_RICH },
	{ "RichMediaSettings", KR_DROP, PC_RICH },
	{ "NeedsRendering", KR_QUIET, PC_NONE },	/* XFA switch */
	{ "Collection", KR_QUIET, PC_NONE },	/* portfolio view */
	{ "Annots", KR_ANNOTS, PC_NONE },
};

enum pdf_tally_kind { TALLY_REMOVED, TALLY_REPORTED, TALLY_KINDS };

struct pdf_tally {
	unsigned count;
	int first_obj;
};


/* The output buffer as a MuPDF output stream. In inspect mode the
   bytes are only counted: the same write runs, so the same failures and
   limits give the same findings as sanitize mode. */
struct pdf_sink {
	struct buffer *out;
	bool discard;
	size_t count;
	bool full;
	int err;
};

struct pdf_job {
	struct cdr_ctx *ctx;
	struct report *r;
	const unsigned char *in;
	size_t len;
	struct buffer *out;
	fz_context *fz;
	pdf_document *doc;
	struct pdf_mem mem;
	struct pdf_sink sink;
	unsigned warnings;
	/* the walk */
	int xref_len;
	unsigned char *seen;	/* object reached (pushed) */
	int *stack;
	int nstack;
	int cur;		/* object being walked, 0 = trailer */
	unsigned dangling;	/* references to objects that are not there */
	struct pdf_tally tally[PC_COUNT][TALLY_KINDS];
};

/* --- MuPDF plumbing: capped allocator, quiet messages, output sink --- */

/* MuPDF would print to stderr; a library never prints. */
static void
pdf_on_warning(void *user, const char *message)
{
	struct pdf_job *job = user;

	job->warnings++;
}

static void
pdf_sink_write(fz_context *fz, void *state, const void *data, size_t n)
{
	struct pdf_sink *s = state;

	if (s->discard && n > s->out->max - s->count) {
		s->full = true;
		s->err = EFBIG;
	} else if (!s->discard && buffer_append(s->out, data, n) < 0) {
		s->full = true;
		s->err = errno;
	}
	if (s->full)
		fz_throw(fz, FZ_ERROR_GENERIC, "output buffer full");
	s->count += n;
}

static int64_t
pdf_sink_tell(fz_context *fz, void *state)
{
	struct pdf_sink *s = state;

	return (int64_t)s->count;
}

/* --- classification --- */

/* The code an action dictionary raises, or PC_NONE when it is harmless
   (GoTo, Named, Hide, ResetForm, SetOCGState, Trans, Thread). */
static enum pdf_code
pdf_action_code(fz_context *fz, pdf_obj *dict)
{
	const char *s;
	size_t i;

	if (!pdf_is_dict(fz, dict))
		return PC_NONE;
	if (pdf_dict_get(fz, dict, PDF_NAME(JS)) != NULL)
		return PC_JS;
	s = pdf_to_name(fz, pdf_dict_get(fz, dict, PDF_NAME(S)));
	if (s[0] == '\0')
		return PC_NONE;
	for (i = 0; i < NELEM(pdf_actions); i++) {
		if (strcasecmp(s, pdf_actions[i].name) == 0)
			return pdf_actions[i].code;
	}
	/* A Thread action with /F opens another file. */
	if (strcasecmp(s, "Thread") == 0 &&
	    pdf_dict_get(fz, dict, PDF_NAME(F)) != NULL)
		return PC_GOTOR;
	return PC_NONE;
}

/* The code of an annotation that must leave the page, or PC_NONE. */
static enum pdf_code
pdf_annot_code(fz_context *fz, pdf_obj *annot)
{
	const char *s;
	size_t i;

	if (!pdf_is_dict(fz, annot))
		return PC_NONE;
	s = pdf_to_name(fz, pdf_dict_get(fz, annot, PDF_NAME(Subtype)));
	for (i = 0; s[0] != '\0' && i < NELEM(pdf_annots); i++) {
		if (strcasecmp(s, pdf_annots[i].name) == 0)
			return pdf_annots[i].code;
	}
	return PC_NONE;
}

static int
pdf_key_index(const char *name)
{
	size_t i;

	/* Most keys start with none of the letters of the table. */
	if (name[0] == '\0' || strchr("aAoOjJeErRxX3nNcC", name[0]) == NULL)
		return -1;
	for (i = 0; i < NELEM(pdf_keys); i++) {
		if (strcasecmp(name, pdf_keys[i].name) == 0)
			return (int)i;
	}
	return -1;
}

/*
 * True when a URI action goes to the web or to mail. Anything else
 * (javascript:, file:, a UNC path, a relative URI resolved against the
 * document's folder) runs or opens something locally, so it is taken
 * out whatever the link policy. An allow-list of prefixes, after the
 * leading blanks and controls that browsers skip, also refuses schemes
 * broken up by tabs or newlines.
 */
static bool
pdf_uri_safe(fz_context *fz, pdf_obj *action)
{
	static const char *const ok[] = {
		"http://", "https://", "mailto:", "ftp://",
	};
	pdf_obj *uri = pdf_dict_get(fz, action, PDF_NAME(URI));
	const char *s = pdf_to_str_buf(fz, uri);
	size_t len = pdf_to_str_len(fz, uri), i, n;

	while (len > 0 && (unsigned char)*s <= ' ') {
		s++;
		len--;
	}
	for (i = 0; i < NELEM(ok); i++) {
		n = strlen(ok[i]);
		if (len > n && strncasecmp(s, ok[i], n) == 0)
			return true;
	}
	return false;
}

/* True when an action must go: always, except a web link that the
   link policy keeps. */
static bool
pdf_drops(const struct pdf_job *job, enum pdf_code code, pdf_obj *action)
{
	if (code != PC_URI)
		return true;
	return job->ctx->opts->links != LINKS_KEEP ||
	    !pdf_uri_safe(job->fz, action);
}

static void
pdf_count(struct pdf_job *job, enum pdf_code code, enum pdf_tally_kind kind)
{
	struct pdf_tally *t = &job->tally[code][kind];

	if (t->count++ == 0)
		t->first_obj = job->cur;
}

/* Count what a removed action (and its /Next chain) would have done.
   Only for the report: the whole chain leaves with its trigger. */
static void
pdf_count_chain(struct pdf_job *job, pdf_obj *obj, int *budget)
{
	enum pdf_code code;
	int i, n;

	if ((*budget)-- <= 0)
		return;
	obj = pdf_resolve_indirect(job->fz, obj);
	if (pdf_is_array(job->fz, obj)) {
		n = pdf_array_len(job->fz, obj);
		for (i = 0; i < n && *budget > 0; i++)
			pdf_count_chain(job, pdf_array_get(job->fz, obj, i),
			    budget);
		return;
	}
	if (!pdf_is_dict(job->fz, obj))
		return;
	code = pdf_action_code(job->fz, obj);
	if (code != PC_NONE)
		pdf_count(job, code, TALLY_REMOVED);
	obj = pdf_dict_get(job->fz, obj, PDF_NAME(Next));
	if (obj != NULL)
		pdf_count_chain(job, obj, budget);
}

/* --- the walk --- */

static void pdf_walk_dict(struct pdf_job *job, pdf_obj *dict, int depth,
    bool stream);
static void pdf_walk_array(struct pdf_job *job, pdf_obj *arr, int depth);

/* Flags in job->seen[]. */
#define SEEN_WALK	1	/* reached by the cleaning walk */
#define SEEN_LIVE	2	/* reachable after the cuts: written */

static void
pdf_push(struct pdf_job *job, int num, unsigned char flag)
{
	if (job->seen[num] & flag)
		return;
	job->seen[num] |= flag;
	job->stack[job->nstack++] = num;
}

/* -0 prints as "-0", which reads back as the integer 0: written as 0
   from the start, a second rewrite gives the same bytes. */
static bool
pdf_is_negative_zero(fz_context *fz, pdf_obj *obj)
{
	return pdf_is_real(fz, obj) && pdf_to_real(fz, obj) == 0 &&
	    signbit(pdf_to_real(fz, obj));
}

/* True for an object stream or xref stream: the writer never writes
   those, so a reference to one would dangle in the output. */
static bool
pdf_is_xref_type(fz_context *fz, pdf_obj *obj)
{
	pdf_obj *type = pdf_dict_get(fz, obj, PDF_NAME(Type));

	return type == PDF_NAME(ObjStm) || type == PDF_NAME(XRef);
}

/*
 * Decide about one value of a dictionary or array: returns true when it
 * must leave its container (a dangerous action, or a reference to an
 * object that is not there). Kept indirect objects are queued; kept
 * direct containers are walked now.
 */
static bool
pdf_walk_value(struct pdf_job *job, pdf_obj *val, int depth)
{
	pdf_obj *target = val;
	enum pdf_code code;
	int num = 0;

	/* An empty name prints as "/" glued to the next token. */
	if (pdf_is_name(job->fz, val) && pdf_to_name(job->fz, val)[0] == '\0')
		return true;
	if (pdf_is_indirect(job->fz, val)) {
		num = pdf_to_num(job->fz, val);
		target = NULL;
		if (num > 0 && num < job->xref_len)
			target = pdf_resolve_indirect(job->fz, val);
		if (target == NULL || pdf_is_null(job->fz, target) ||
		    pdf_is_xref_type(job->fz, target)) {
			job->dangling++;
			return true;
		}
	}
	code = pdf_action_code(job->fz, target);
	if (code != PC_NONE) {
		if (pdf_drops(job, code, target)) {
			pdf_count(job, code, TALLY_REMOVED);
			return true;
		}
		pdf_count(job, code, TALLY_REPORTED);
	}
	if (num > 0)
		pdf_push(job, num, SEEN_WALK);
	else if (pdf_is_dict(job->fz, target))
		pdf_walk_dict(job, target, depth + 1, false);
	else if (pdf_is_array(job->fz, target))
		pdf_walk_array(job, target, depth + 1);
	return false;
}

static void
pdf_walk_array(struct pdf_job *job, pdf_obj *arr, int depth)
{
	pdf_obj *val;
	int i, n;

	if (depth > PDF_DEPTH_MAX)
		fz_throw(job->fz, FZ_ERROR_GENERIC, "objects nested too deep");
	n = pdf_array_len(job->fz, arr);
	for (i = 0; i < n; i++) {
		val = pdf_array_get(job->fz, arr, i);
		/* Null keeps the positions of name and number trees. */
		if (pdf_walk_value(job, val, depth))
			pdf_array_put(job->fz, arr, i, PDF_NULL);
		else if (pdf_is_negative_zero(job->fz, val))
			pdf_array_put_drop(job->fz, arr, i,
			    pdf_new_int(job->fz, 0));
	}
}

/* Take FileAttachment, rich media, sound, movie, screen and 3D
   annotations off a page's /Annots array. Kept entries slide down and
   the tail is cut once: deleting one by one would be quadratic. An
   indirect array shared by many pages is filtered once. */
static void
pdf_filter_annots(struct pdf_job *job, pdf_obj *ref)
{
	pdf_obj *annots, *item;
	enum pdf_code code;
	int i, n, w = 0;

	if (pdf_is_indirect(job->fz, ref)) {
		i = pdf_to_num(job->fz, ref);
		if (i <= 0 || i >= job->xref_len || (job->seen[i] & SEEN_WALK))
			return;
	}
	annots = pdf_resolve_indirect(job->fz, ref);
	if (!pdf_is_array(job->fz, annots))
		return;
	n = pdf_array_len(job->fz, annots);
	for (i = 0; i < n; i++) {
		item = pdf_array_get(job->fz, annots, i);
		code = pdf_annot_code(job->fz, item);
		if (code != PC_NONE) {
			pdf_count(job, code, TALLY_REMOVED);
			continue;
		}
		if (w != i)
			pdf_array_put(job->fz, annots, w, item);
		w++;
	}
	while (n > w)
		pdf_array_delete(job->fz, annots, --n);
}

/* True when an OpenAction only shows a place in the document. */
static bool
pdf_open_action_plain(fz_context *fz, pdf_obj *val)
{
	pdf_obj *t = pdf_resolve_indirect(fz, val);

	if (pdf_is_array(fz, t) || pdf_is_name(fz, t) || pdf_is_string(fz, t))
		return true;
	return pdf_is_dict(fz, t) && pdf_action_code(fz, t) == PC_NONE &&
	    strcasecmp(pdf_to_name(fz, pdf_dict_get(fz, t, PDF_NAME(S))),
	    "GoTo") == 0;
}

/* Apply the rule of key number k to the value val of dict. Returns true
   when the key must be deleted. */
static bool
pdf_apply_key(struct pdf_job *job, int k, pdf_obj *val, int depth)
{
	int budget = PDF_CHAIN_MAX;
	pdf_obj *aa;
	int i, n;

	switch (pdf_keys[k].rule) {
	case KR_DROP:
		pdf_count(job, pdf_keys[k].code, TALLY_REMOVED);
		return true;
	case KR_QUIET:
		return true;
	case KR_AA:
		pdf_count(job, PC_AA, TALLY_REMOVED);
		aa = pdf_resolve_indirect(job->fz, val);
		n = pdf_is_dict(job->fz, aa) ? pdf_dict_len(job->fz, aa) : 0;
		for (i = 0; i < n && budget > 0; i++)
			pdf_count_chain(job, pdf_dict_get_val(job->fz, aa, i),
			    &budget);
		return true;
	case KR_OPEN:
		if (pdf_open_action_plain(job->fz, val)) {
			pdf_count(job, PC_OPEN, TALLY_REPORTED);
			return pdf_walk_value(job, val, depth);
		}
		pdf_count(job, PC_OPEN, TALLY_REMOVED);
		pdf_count_chain(job, val, &budget);
		return true;
	case KR_ANNOTS:
		pdf_filter_annots(job, val);
		return pdf_walk_value(job, val, depth);
	case KR_NONE:
		break;
	}
	return pdf_walk_value(job, val, depth);
}

/* A stream's indirect /Length becomes a number: the unreached length
   object is deleted before writing, and MuPDF would then read the
   stream as empty. Done before the key loop, since a put may sort. */
static void
pdf_bake_length(struct pdf_job *job, pdf_obj *dict)
{
	pdf_obj *len = pdf_dict_get(job->fz, dict, PDF_NAME(Length));

	if (!pdf_is_indirect(job->fz, len))
		return;
	len = pdf_resolve_indirect(job->fz, len);
	if (pdf_is_int(job->fz, len))
		pdf_dict_put_int(job->fz, dict, PDF_NAME(Length),
		    pdf_to_int64(job->fz, len));
}

/*
 * Take entry i out of dict. Small dictionaries lose the key; a big one
 * gets null instead (the same thing to a reader): MuPDF finds a key in
 * an unsorted dictionary by a linear search, and a delete unsorts it,
 * so deleting many keys of a big one would be quadratic.
 */
static void
pdf_dict_drop(struct pdf_job *job, pdf_obj *dict, int i, pdf_obj *key)
{
	if (pdf_dict_len(job->fz, dict) > PDF_DICT_SMALL)
		pdf_dict_put_val_null(job->fz, dict, i);
	else
		pdf_dict_del(job->fz, dict, key);
}

/*
 * Walk one dictionary. Keys go last to first because MuPDF deletes by
 * moving the last entry into the hole: every entry is seen once.
 * Nothing below may put into dict (a put can sort it). A direct null
 * is a key already taken out (see pdf_dict_drop).
 */
static void
pdf_walk_dict(struct pdf_job *job, pdf_obj *dict, int depth, bool stream)
{
	pdf_obj *key, *val, *zero[PDF_NEGZERO_MAX];
	const char *name;
	int i, k, nzero = 0;

	if (depth > PDF_DEPTH_MAX)
		fz_throw(job->fz, FZ_ERROR_GENERIC, "objects nested too deep");
	if (stream)
		pdf_bake_length(job, dict);
	for (i = pdf_dict_len(job->fz, dict) - 1; i >= 0; i--) {
		key = pdf_dict_get_key(job->fz, dict, i);
		val = pdf_dict_get_val(job->fz, dict, i);
		name = pdf_to_name(job->fz, key);
		/* An empty key would print as "/" glued to its value; keys
		   are unique, so this delete happens once per dictionary. */
		if (name[0] == '\0') {
			pdf_dict_del(job->fz, dict, key);
			continue;
		}
		if (val == PDF_NULL)
			continue;
		k = pdf_key_index(name);
		if (k >= 0 ? pdf_apply_key(job, k, val, depth) :
		    pdf_walk_value(job, val, depth)) {
			pdf_dict_drop(job, dict, i, key);
		} else if (pdf_is_negative_zero(job->fz, val) &&
		    nzero < PDF_NEGZERO_MAX) {
			zero[nzero++] = key;	/* still owned by dict */
		}
	}
	/* After the loop: a put may sort the dictionary. */
	for (i = 0; i < nzero; i++)
		pdf_dict_put_int(job->fz, dict, zero[i], 0);
}

static void
pdf_walk_object(struct pdf_job *job, int num)
{
	pdf_obj *obj = pdf_load_object(job->fz, job->doc, num);

	fz_try(job->fz) {
		job->cur = num;
		if (pdf_is_dict(job->fz, obj))
			pdf_walk_dict(job, obj, 0,
			    pdf_obj_num_is_stream(job->fz, job->doc, num));
		else if (pdf_is_array(job->fz, obj))
			pdf_walk_array(job, obj, 0);
	}
	fz_always(job->fz)
		pdf_drop_obj(job->fz, obj);
	fz_catch(job->fz)
		fz_rethrow(job->fz);
}

/* True when the trailer's /ID can be written as it is (or is absent). */
static bool
pdf_id_plain(fz_context *fz, pdf_obj *id)
{
	return id == NULL || (pdf_is_array(fz, id) &&
	    !pdf_is_indirect(fz, id) && pdf_array_len(fz, id) == 2 &&
	    !pdf_is_indirect(fz, pdf_array_get(fz, id, 0)) &&
	    !pdf_is_indirect(fz, pdf_array_get(fz, id, 1)) &&
	    pdf_is_string(fz, pdf_array_get(fz, id, 0)) &&
	    pdf_is_string(fz, pdf_array_get(fz, id, 1)));
}

/* Queue the trailer entries that the writer keeps (Root and Info). */
static void
pdf_walk_roots(struct pdf_job *job)
{
	pdf_obj *trailer = pdf_trailer(job->fz, job->doc);
	pdf_obj *root = pdf_dict_get(job->fz, trailer, PDF_NAME(Root));
	pdf_obj *info = pdf_dict_get(job->fz, trailer, PDF_NAME(Info));

	job->cur = 0;
	if (!pdf_is_dict(job->fz, pdf_dict_get(job->fz, root,
	    PDF_NAME(Pages))))
		fz_throw(job->fz, FZ_ERROR_GENERIC,
		    "no catalog with a page tree");
	if (pdf_walk_value(job, root, 0))
		fz_throw(job->fz, FZ_ERROR_GENERIC, "catalog is not usable");
	if (info != NULL && (!pdf_is_dict(job->fz, info) ||
	    pdf_walk_value(job, info, 0)))
		pdf_dict_del(job->fz, trailer, PDF_NAME(Info));
	/* The writer copies /ID as it is: it must be two direct strings. */
	if (!pdf_id_plain(job->fz, pdf_dict_get(job->fz, trailer,
	    PDF_NAME(ID))))
		pdf_dict_del(job->fz, trailer, PDF_NAME(ID));
}

/* One pass over everything reachable. Returns false when MuPDF repaired
   the file under our feet (its edits so far may be gone): walk again. */
static bool
pdf_walk_pass(struct pdf_job *job)
{
	int repaired = job->doc->repair_attempted;

	job->xref_len = pdf_xref_len(job->fz, job->doc);
	fz_free(job->fz, job->seen);
	job->seen = NULL;
	fz_free(job->fz, job->stack);
	job->stack = NULL;
	job->seen = fz_calloc(job->fz, (size_t)job->xref_len, 1);
	job->stack = fz_calloc(job->fz, (size_t)job->xref_len, sizeof(int));
	job->nstack = 0;
	job->dangling = 0;
	pdf_walk_roots(job);
	while (job->nstack > 0) {
		pdf_walk_object(job, job->stack[--job->nstack]);
		if (job->doc->repair_attempted != repaired ||
		    pdf_xref_len(job->fz, job->doc) != job->xref_len)
			return false;
	}
	return true;
}

/* Queue the indirect objects that val refers to. */
static void
pdf_mark_value(struct pdf_job *job, pdf_obj *val, int depth)
{
	int i, n, num;

	if (depth > PDF_DEPTH_MAX)
		fz_throw(job->fz, FZ_ERROR_GENERIC, "objects nested too deep");
	if (pdf_is_indirect(job->fz, val)) {
		num = pdf_to_num(job->fz, val);
		if (num > 0 && num < job->xref_len)
			pdf_push(job, num, SEEN_LIVE);
	} else if (pdf_is_dict(job->fz, val)) {
		n = pdf_dict_len(job->fz, val);
		for (i = 0; i < n; i++)
			pdf_mark_value(job, pdf_dict_get_val(job->fz, val, i),
			    depth + 1);
	} else if (pdf_is_array(job->fz, val)) {
		n = pdf_array_len(job->fz, val);
		for (i = 0; i < n; i++)
			pdf_mark_value(job, pdf_array_get(job->fz, val, i),
			    depth + 1);
	}
}

/*
 * Mark what the writer will reach after the cuts. The cuts only ever
 * remove references, so this is a subset of what the walk cleaned;
 * an object outside it would be one nobody inspected, and the job
 * fails rather than write it.
 */
static void
pdf_mark_live(struct pdf_job *job)
{
	pdf_obj *trailer = pdf_trailer(job->fz, job->doc);
	pdf_obj *obj;
	int num;

	job->nstack = 0;
	pdf_mark_value(job, pdf_dict_get(job->fz, trailer, PDF_NAME(Root)), 0);
	pdf_mark_value(job, pdf_dict_get(job->fz, trailer, PDF_NAME(Info)), 0);
	while (job->nstack > 0) {
		num = job->stack[--job->nstack];
		if (!(job->seen[num] & SEEN_WALK))
			fz_throw(job->fz, FZ_ERROR_GENERIC,
			    "object %d reached but not inspected", num);
		obj = pdf_load_object(job->fz, job->doc, num);
		fz_try(job->fz)
			pdf_mark_value(job, obj, 0);
		fz_always(job->fz)
			pdf_drop_obj(job->fz, obj);
		fz_catch(job->fz)
			fz_rethrow(job->fz);
	}
}

/* Delete every object that is not live, so the writer leaves out
   dropped actions, old revisions, object and xref streams. */
static void
pdf_drop_unreached(struct pdf_job *job)
{
	pdf_xref_entry *x;
	int num;

	pdf_mark_live(job);
	for (num = 1; num < job->xref_len; num++) {
		if (job->seen[num] & SEEN_LIVE)
			continue;
		x = pdf_get_xref_entry(job->fz, job->doc, num);
		if (x != NULL && (x->type == 'n' || x->type == 'o'))
			pdf_delete_object(job->fz, job->doc, num);
	}
}

/*
 * MuPDF 1.21 bumps the generation of every free entry each time it
 * writes, and prints the free-list head as "65536 f", which strict
 * readers reject. Free entries get 65535 ("never reuse") in place: same
 * width, no offset moves, and a second rewrite gives the same bytes.
 * The writer makes one "xref" section "0 N" of 20-byte entries; any
 * other layout is left alone.
 */
static void
pdf_fix_free_entries(struct buffer *out)
{
	const char *tail, *key = "startxref";
	unsigned long long xref;
	long count, i;
	char *p, *end;
	size_t back;

	back = out->used < 64 ? out->used : 64;
	tail = memmem(out->data + out->used - back, back, key, strlen(key));
	if (tail == NULL)
		return;
	xref = strtoull(tail + strlen(key), NULL, 10);
	if (xref >= out->used || out->used - xref < 9 ||
	    memcmp(out->data + xref, "xref\n0 ", 7) != 0)
		return;
	count = strtol((char *)out->data + xref + 7, &p, 10);
	end = (char *)out->data + out->used;
	if (count <= 0 || *p != '\n' || (end - p - 1) / 20 < count)
		return;
	for (i = 0, p++; i < count; i++, p += 20) {
		if (p[10] == ' ' && p[16] == ' ' && p[17] == 'f')
			memcpy(p + 11, "65535", 5);
	}
}

static void
pdf_write(struct pdf_job *job)
{
	pdf_write_options opts;
	fz_output *out = NULL;
	int repaired = job->doc->repair_attempted;

	memset(&opts, 0, sizeof(opts));
	opts.do_encrypt = PDF_ENCRYPT_NONE;
	opts.dont_regenerate_id = 1;	/* same input, same output */
	opts.permissions = ~0;
	fz_var(out);
	fz_try(job->fz) {
		out = fz_new_output(job->fz, 64 * 1024, &job->sink,
		    pdf_sink_write, NULL, NULL);
		out->tell = pdf_sink_tell;
		pdf_write_document(job->fz, job->doc, out, &opts);
		fz_close_output(job->fz, out);
		if (!job->sink.discard)
			pdf_fix_free_entries(job->out);
	}
	fz_always(job->fz)
		fz_drop_output(job->fz, out);
	fz_catch(job->fz)
		fz_rethrow(job->fz);
	/* A repair while writing would have re-read objects we cleaned. */
	if (job->doc->repair_attempted != repaired)
		fz_throw(job->fz, FZ_ERROR_GENERIC,
		    "file repaired while writing");
}

/* --- the job --- */

static void
pdf_report_tallies(struct pdf_job *job)
{
	static const enum finding_action act[TALLY_KINDS] = {
		[TALLY_REMOVED] = FINDING_REMOVED,
		[TALLY_REPORTED] = FINDING_REPORTED,
	};
	struct pdf_tally *t;
	char loc[32];
	int c, k;

	for (c = 0; c < PC_COUNT; c++) {
		for (k = 0; k < TALLY_KINDS; k++) {
			t = &job->tally[c][k];
			if (t->count == 0)
				continue;
			if (t->first_obj > 0)
				snprintf(loc, sizeof(loc), "object %d",
				    t->first_obj);
			else
				snprintf(loc, sizeof(loc), "trailer");
			report_add(job->r, pdf_codes[c].code, act[k], loc,
			    "%u x %s", t->count, pdf_codes[c].what);
		}
	}
}

/* Encryption: open with the empty user password or hold. Returns false
   when the job stops here. */
static bool
pdf_check_crypt(struct pdf_job *job)
{
	if (job->doc->crypt == NULL)
		return true;
	if (pdf_needs_password(job->fz, job->doc)) {
		report_add(job->r, "pdf.encrypted", FINDING_HELD, NULL,
		    "a password is needed to open the document");
		return false;
	}
	/* The empty user password is the only "default" a PDF has. */
	if (!job->ctx->opts->try_default_passwords) {
		report_add(job->r, "pdf.encrypted", FINDING_HELD, NULL,
		    "encrypted; default passwords are not tried");
		return false;
	}
	report_add(job->r, "pdf.encrypted", FINDING_REPORTED, NULL,
	    "decrypted with the empty user password");
	return true;
}

/* Everything that runs under MuPDF's exception handling; returns early
   when a finding already stops the job. */
static void
pdf_job_body(struct pdf_job *job)
{
	int versions, len;

	if (!pdf_check_crypt(job))
		return;
	len = pdf_xref_len(job->fz, job->doc);
	if (len < 1 || (unsigned)(len - 1) > job->ctx->limits->pdf_objects) {
		report_add(job->r, "limit.pdf_objects", FINDING_BLOCKED, NULL,
		    "%d objects > limit %u", len - 1,
		    job->ctx->limits->pdf_objects);
		return;
	}
	versions = pdf_count_versions(job->fz, job->doc);
	/* After a repair the walk starts over; what the first pass found
	   stays in the tallies (it was in the file). */
	if (!pdf_walk_pass(job) && !pdf_walk_pass(job))
		fz_throw(job->fz, FZ_ERROR_GENERIC,
		    "file changed while walked");
	/* The cuts must leave a document: a catalog whose page tree was
	   itself an action (hostile, or a repair gone wrong) does not. */
	if (!pdf_is_dict(job->fz, pdf_dict_getp(job->fz,
	    pdf_trailer(job->fz, job->doc), "Root/Pages")))
		fz_throw(job->fz, FZ_ERROR_GENERIC, "no page tree left");
	/* A repaired file that points at missing objects is cut short. */
	if (job->doc->repair_attempted && job->dangling > 0)
		fz_throw(job->fz, FZ_ERROR_GENERIC,
		    "damaged file: %u references to missing objects",
		    job->dangling);
	if (versions > 1)
		report_add(job->r, "pdf.incremental_update", FINDING_REPORTED,
		    NULL, "%d revisions flattened into one", versions);
	pdf_report_tallies(job);
	if (report_has_action(job->r, FINDING_BLOCKED) ||
	    report_has_action(job->r, FINDING_HELD))
		return;
	pdf_drop_unreached(job);
	pdf_write(job);
}

/* Open, check, walk and write under MuPDF's exception handling. */
static int
pdf_job_run(struct pdf_job *job)
{
	fz_context *fz = job->fz;
	fz_stream *stm = NULL;
	int ret = 0;

	fz_var(stm);
	fz_try(fz) {
		stm = fz_open_memory(fz, job->in, job->len);
		job->doc = pdf_open_document_with_stream(fz, stm);
		pdf_job_body(job);
		/* MuPDF swallows some failures (an object that cannot be
		   loaded reads as null, a table that cannot be made sends it
		   to repair): after a refused allocation the view may be
		   short of content, and nothing is cut silently. */
		if (job->mem.hit)
			fz_throw(fz, FZ_ERROR_MEMORY, "memory cap reached");
	}
	fz_always(fz) {
		fz_free(fz, job->seen);
		fz_free(fz, job->stack);
		job->seen = NULL;
		job->stack = NULL;
		pdf_drop_document(fz, job->doc);
		job->doc = NULL;
		fz_drop_stream(fz, stm);
	}
	fz_catch(fz) {
		buffer_reset(job->out);
		if (job->sink.full) {
			if (job->sink.err == EFBIG)
				report_add(job->r, "limit.output_size",
				    FINDING_BLOCKED, NULL,
				    "rebuilt PDF over %zu bytes",
				    job->out->max);
			report_set_error(job->r,
			    "pdf: cannot store the output: %s",
			    strerror(job->sink.err));
			ret = -1;
		} else if (strncmp(fz_caught_message(fz),
		    "unknown encryption handler", 26) == 0) {
			/* Certificate (PubSec) or rights-management security:
			   encrypted for someone else, like a password. */
			report_add(job->r, "pdf.encrypted", FINDING_HELD, NULL,
			    "%s", fz_caught_message(fz));
		} else if (job->mem.hit) {
			report_add(job->r, "pdf.malformed", FINDING_BLOCKED,
			    NULL, "needs more than %zu MB of memory",
			    job->mem.cap >> 20);
		} else {
			report_add(job->r, "pdf.malformed", FINDING_BLOCKED,
			    NULL, "%s (after %u parser warnings)",
			    fz_caught_message(fz), job->warnings);
		}
	}
	return ret;
}

int
pdf_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	struct pdf_job job;
	int ret;

	memset(&job, 0, sizeof(job));
	job.ctx = ctx;
	job.r = r;
	job.in = in;
	job.len = len;
	job.out = out;
	job.sink.out = out;
	job.sink.discard = ctx->inspect;
	/* The worker's address space also holds the input and the output. */
	job.mem.cap = (size_t)(ctx->limits->job_memory / 2);
	job.fz = pdf_mem_context(&job.mem, PDF_STORE_MAX, pdf_on_warning, &job);
	if (job.fz == NULL) {
		report_set_error(r, "pdf: cannot create a MuPDF context");
		return -1;
	}
	buffer_reset(out);
	ret = pdf_job_run(&job);
	fz_drop_context(job.fz);
	return ret;
}
