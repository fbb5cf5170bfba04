/*
 * ole_cdr - OLE2 compound document CDR: find VBA, XLM, embedded objects,
 * DDE and encryption; strip what the formats let us strip by rebuilding
 * the compound file, block or hold the rest.
 */
#include <string.h>

#include "cfb.h"
#include "ole_cdr.h"
#include "ole_crypt.h"
#include "ole_office.h"
#include "sizeops.h"

/* Findings of one kind beyond this are summed up in one more finding,
   so a file with a million objects cannot flood the report. */
#define OLE_MAX_FINDINGS	64
/* Memory ole_detect() may use on top of a small multiple of the input. */
#define OLE_DETECT_ARENA_BASE	(1024 * 1024)

enum ole_mark {
	MARK_NONE,
	MARK_VBA,	/* a VBA project storage */
	MARK_OBJECT,	/* an embedded object, control or package */
	MARK_ATTACH,	/* an Outlook attachment */
};

struct ole_job {
	struct cdr_ctx *ctx;
	struct ole_sink sink;
	struct cfb cfb;
	enum file_type type;	/* detected */
	bool *keep;		/* per entry: survives the rebuild */
	bool removed;
	unsigned count[4];	/* findings per mark */
};

static bool
is_stream(const struct cfb *cfb, uint32_t id)
{
	return id != CFB_NOSTREAM && cfb->entries[id].type == CFB_STREAM;
}

static bool
root_stream(const struct cfb *cfb, const char *name)
{
	return is_stream(cfb, cfb_find(cfb, 0, name));
}

/* True when some root child's name starts with prefix. */
static bool
root_prefix(const struct cfb *cfb, const char *prefix)
{
	uint32_t i;

	for (i = 1; i < cfb->nentries; i++) {
		const struct cfb_entry *e = &cfb->entries[i];

		if (e->reachable && e->parent == 0 &&
		    cfb_name_has_prefix(e, prefix))
			return true;
	}
	return false;
}

/* Encrypted OOXML first: Office opens the encrypted package of a file
   that also carries a WordDocument or Workbook stream. */
static enum file_type
ole_classify(const struct cfb *cfb)
{
	if (root_stream(cfb, "EncryptionInfo") &&
	    root_stream(cfb, "EncryptedPackage"))
		return FT_OOXML_ENCRYPTED;
	if (root_stream(cfb, "WordDocument"))
		return FT_DOC;
	if (root_stream(cfb, "Workbook") || root_stream(cfb, "Book"))
		return FT_XLS;
	if (root_stream(cfb, "PowerPoint Document"))
		return FT_PPT;
	if (root_stream(cfb, "__properties_version1.0") ||
	    root_prefix(cfb, "__substg1.0_"))
		return FT_MSG;
	return FT_OLE_OTHER;
}

enum file_type
ole_detect(const unsigned char *in, size_t len)
{
	enum file_type t = FT_OLE_OTHER;
	struct arena *arena;
	struct cfb cfb;
	const char *err;
	size_t max;

	/* The reader's tables take about 1.2 bytes per input byte at
	   worst (a file that is all directory). */
	if (size_mul(len, 4, &max) < 0 ||
	    size_add(max, OLE_DETECT_ARENA_BASE, &max) < 0)
		return FT_OLE_OTHER;
	arena = arena_create(max);
	if (arena == NULL)
		return FT_OLE_OTHER;
	if (cfb_open(&cfb, arena, in, len, &err) == 1)
		t = ole_classify(&cfb);
	arena_destroy(arena);
	return t;
}

static bool
name_in(const struct cfb_entry *e, const char *const *names)
{
	for (; *names != NULL; names++) {
		if (cfb_name_is(e, *names))
			return true;
	}
	return false;
}

static const char *const vba_storages[] = {
	"Macros", "_VBA_PROJECT_CUR", "_VBA_PROJECT", "VBA", NULL
};
/* Streams that make their storage an OLE object (or ActiveX control). */
static const char *const object_streams[] = {
	"\001Ole10Native", "\001CompObj", "\001Ole", "\003ObjInfo",
	"\003OCXNAME", "\003OCXDATA", "\001Ole10ItemName", NULL
};

/* What an entry is by its own name. */
static enum ole_mark
mark_by_name(const struct ole_job *job, uint32_t id)
{
	const struct cfb *cfb = &job->cfb;
	const struct cfb_entry *e = &cfb->entries[id];
	const struct cfb_entry *p = &cfb->entries[e->parent];

	if (e->type == CFB_STREAM) {
		if (cfb_name_is(e, "\001Ole10Native"))
			return MARK_OBJECT;
		/* Excel's ActiveX control data */
		if (e->parent == 0 && cfb_name_is(e, "Ctls"))
			return MARK_OBJECT;
		return MARK_NONE;
	}
	if (job->type == FT_MSG && e->parent == 0 &&
	    cfb_name_has_prefix(e, "__attach_version1.0_"))
		return MARK_ATTACH;
	if (name_in(e, vba_storages))
		return MARK_VBA;
	if (cfb_name_has_prefix(e, "MBD") ||
	    (e->parent != 0 && p->type == CFB_STORAGE &&
	    cfb_name_is(p, "ObjectPool")))
		return MARK_OBJECT;
	return MARK_NONE;
}

/* Mark every entry; a storage is also marked by the streams it holds. */
static void
mark_entries(const struct ole_job *job, uint8_t *mark)
{
	const struct cfb *cfb = &job->cfb;
	uint32_t i, id, p;

	for (i = 1; i < cfb->norder; i++) {
		id = cfb->order[i];
		mark[id] = (uint8_t)mark_by_name(job, id);
	}
	for (i = 1; i < cfb->norder; i++) {
		const struct cfb_entry *e = &cfb->entries[cfb->order[i]];

		id = cfb->order[i];
		p = e->parent;
		if (e->type != CFB_STREAM)
			continue;
		if (cfb_name_is(e, "_VBA_PROJECT")) {
			if (p != 0 && mark[p] == MARK_NONE)
				mark[p] = MARK_VBA;
			else if (p == 0)
				mark[id] = MARK_VBA;
		} else if (p != 0 && name_in(e, object_streams) &&
		    mark[p] != MARK_ATTACH)
			mark[p] = MARK_OBJECT;
	}
}

/* Printable ASCII copy of at most max bytes of p (stops at NUL). */
static char *
printable(struct arena *a, const unsigned char *p, size_t len, size_t max)
{
	char s[80];
	size_t i, n = 0;

	if (max > sizeof(s) - 1)
		max = sizeof(s) - 1;
	for (i = 0; i < len && n < max && p[i] != 0; i++)
		s[n++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	s[n] = '\0';
	return arena_strdup(a, s);
}

/* The user type of an object from its \001CompObj stream, or of a
   package from its \001Ole10Native label; NULL when neither parses. */
static char *
object_label(struct ole_job *job, uint32_t id)
{
	const struct cfb *cfb = &job->cfb;
	uint32_t sid, n;
	struct buffer b;
	char *label = NULL;

	if (cfb->entries[id].type != CFB_STORAGE)
		return NULL;
	sid = cfb_find(cfb, id, "\001Ole10Native");
	if (is_stream(cfb, sid)) {
		if (ole_stream_load(cfb, sid, &b) == 0 && b.used > 6)
			label = arena_printf(job->sink.arena, "package '%s'",
			    printable(job->sink.arena, b.data + 6, b.used - 6, 64));
		buffer_free(&b);
		return label;
	}
	sid = cfb_find(cfb, id, "\001CompObj");
	if (!is_stream(cfb, sid))
		return NULL;
	if (ole_stream_load(cfb, sid, &b) == 0 && b.used > 32) {
		n = (uint32_t)b.data[28] | (uint32_t)b.data[29] << 8 |
		    (uint32_t)b.data[30] << 16 | (uint32_t)b.data[31] << 24;
		label = printable(job->sink.arena, b.data + 32,
		    n < b.used - 32 ? n : b.used - 32, 64);
	}
	buffer_free(&b);
	return label;
}

/* Outlook attachment file name (long name, else short), UTF-16. */
static char *
attach_label(struct ole_job *job, uint32_t id)
{
	static const char *const names[] = {
		"__substg1.0_3707001F", "__substg1.0_3704001F",
		"__substg1.0_3001001F", NULL
	};
	const struct cfb *cfb = &job->cfb;
	unsigned char s[64];
	struct buffer b;
	char *label = NULL;
	size_t i, n;
	int k;

	for (k = 0; names[k] != NULL && label == NULL; k++) {
		uint32_t sid = cfb_find(cfb, id, names[k]);

		if (!is_stream(cfb, sid))
			continue;
		if (ole_stream_load(cfb, sid, &b) == 0) {
			for (i = 0, n = 0; i + 1 < b.used && n < sizeof(s); i += 2)
				s[n++] = b.data[i + 1] == 0 ? b.data[i] : '?';
			label = printable(job->sink.arena, s, n, 64);
		}
		buffer_free(&b);
	}
	return label;
}

/* Record the finding for one marked entry and decide its fate. */
static void
report_mark(struct ole_job *job, uint32_t id, enum ole_mark m, uint32_t top)
{
	static const char *const what[] = { "", "VBA project",
	    "embedded object", "attachment" };
	const char *code = m == MARK_VBA ? "ole.vba" : "ole.object";
	enum finding_action action = FINDING_REMOVED;
	char *label;

	if (m == MARK_ATTACH)
		action = FINDING_HELD;
	else if (job->type == FT_OLE_OTHER)
		action = FINDING_BLOCKED;
	if (action == FINDING_REMOVED) {
		job->keep[top] = false;
		job->removed = true;
	}
	if (++job->count[m] > OLE_MAX_FINDINGS) {
		if (job->count[m] == OLE_MAX_FINDINGS + 1)
			ole_sink_add(&job->sink, code, action, NULL,
			    "more than %u of them: the rest not listed",
			    OLE_MAX_FINDINGS);
		return;
	}
	label = m == MARK_ATTACH ? attach_label(job, id) :
	    m == MARK_OBJECT ? object_label(job, id) : NULL;
	ole_sink_add(&job->sink, code, action, cfb_path(&job->cfb, id),
	    "%s%s%s", what[m], label != NULL ? ": " : "",
	    label != NULL ? label : "");
}

/* Find the outermost marked entries (nested marks are covered by the
   finding of their ancestor) and report them. */
static int
scan_tree(struct ole_job *job)
{
	const struct cfb *cfb = &job->cfb;
	uint8_t *mark, *covered;
	uint32_t *top, i, id, p;

	mark = arena_alloc(job->sink.arena, cfb->nentries);
	covered = arena_alloc(job->sink.arena, cfb->nentries);
	top = arena_alloc(job->sink.arena, cfb->nentries * sizeof(*top));
	if (mark == NULL || covered == NULL || top == NULL)
		return -1;
	mark_entries(job, mark);
	for (i = 1; i < cfb->norder; i++) {
		id = cfb->order[i];
		p = cfb->entries[id].parent;
		covered[id] = p != 0 && (covered[p] || mark[p] != MARK_NONE);
		top[id] = p == 0 ? id : top[p];
		if (mark[id] != MARK_NONE && !covered[id])
			report_mark(job, id, (enum ole_mark)mark[id], top[id]);
	}
	return 0;
}

/* Run the stream scanner of every main stream present, whatever the
   detected type: a file can carry both a WordDocument and a Workbook,
   and the application that opens it depends on its name. */
static int
scan_streams(struct ole_job *job)
{
	const struct cfb *cfb = &job->cfb;
	static const char *const books[] = { "Workbook", "Book" };
	uint32_t id;
	int i;

	id = cfb_find(cfb, 0, "WordDocument");
	if (is_stream(cfb, id) && ole_scan_word(&job->sink, cfb, id) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		id = cfb_find(cfb, 0, books[i]);
		if (is_stream(cfb, id) && ole_scan_biff(&job->sink, cfb, id) < 0)
			return -1;
	}
	id = cfb_find(cfb, 0, "PowerPoint Document");
	if (is_stream(cfb, id) && ole_scan_ppt(&job->sink, cfb, id) < 0)
		return -1;
	return 0;
}

/* Encryption wrappers that are not part of one main stream. */
static void
scan_wrappers(struct ole_job *job)
{
	const struct cfb *cfb = &job->cfb;

	if (root_stream(cfb, "EncryptedPackage"))
		ole_sink_add(&job->sink, "ole.encrypted", FINDING_HELD,
		    "EncryptedPackage", "encrypted OOXML package");
	else if (root_stream(cfb, "\011DRMContent") ||
	    root_stream(cfb, "\011DRMViewerContent"))
		ole_sink_add(&job->sink, "ole.encrypted", FINDING_HELD,
		    "\\x09DRMContent", "rights-managed (IRM) document");
	if (job->type == FT_OLE_OTHER)
		ole_sink_add(&job->sink, "type.unsupported", FINDING_BLOCKED,
		    NULL, "compound file that is not a Word, Excel, "
		    "PowerPoint or Outlook document");
}

/* Write the output: the input itself, or the rebuilt compound file. The
   rebuilt file is parsed again: a writer bug must not ship a file. */
static int
emit(struct ole_job *job, struct report *r, const unsigned char *in,
    size_t len, struct buffer *out)
{
	struct cfb check;
	const char *err;
	size_t start = out->used;

	if (!job->removed) {
		if (buffer_append(out, in, len) < 0) {
			report_set_error(r, "ole: output larger than its limit");
			return -1;
		}
		return 0;
	}
	if (cfb_write(&job->cfb, job->keep, out) < 0) {
		report_set_error(r, "ole: rebuilt file larger than its limit "
		    "or out of memory");
		out->used = start;	/* never leave half a file behind */
		return -1;
	}
	if (cfb_open(&check, job->sink.arena, out->data + start,
	    out->used - start, &err) != 1) {
		report_set_error(r, "ole: rebuilt file does not parse: %s",
		    err != NULL ? err : "?");
		out->used = start;
		return -1;
	}
	return 0;
}

int
ole_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	struct ole_job job = { .ctx = ctx };
	const char *err;
	uint32_t i;
	int rc;

	job.sink.r = r;
	job.sink.arena = ctx->arena;
	job.sink.try_default_passwords = ctx->opts == NULL ||
	    ctx->opts->try_default_passwords;
	rc = cfb_open(&job.cfb, ctx->arena, in, len, &err);
	if (rc < 0) {
		report_set_error(r, "ole: out of memory");
		return -1;
	}
	if (rc == 0) {
		report_add(r, "ole.malformed", FINDING_BLOCKED, NULL, "%s", err);
		return 0;
	}
	job.type = ole_classify(&job.cfb);
	if (job.type != type)
		report_set_type(r, filetype_name(job.type));
	job.keep = arena_alloc(ctx->arena, job.cfb.nentries * sizeof(bool));
	if (job.keep == NULL)
		goto nomem;
	for (i = 0; i < job.cfb.nentries; i++)
		job.keep[i] = true;
	if (scan_tree(&job) < 0 || scan_streams(&job) < 0)
		goto nomem;
	scan_wrappers(&job);
	if (r->error != NULL)
		return -1;
	if (ctx->inspect || job.sink.blocked || job.sink.held)
		return 0;
	return emit(&job, r, in, len, out);
nomem:
	report_set_error(r, "ole: out of memory");
	return -1;
}

/* Load a root stream into b (initialised here; caller frees). */
static int
load_root_stream(const struct cfb *cfb, const char *name, struct buffer *b)
{
	uint32_t id = cfb_find(cfb, 0, name);

	buffer_init(b, 0);
	if (!is_stream(cfb, id))
		return 1;
	return ole_stream_load(cfb, id, b);
}

/* Map a decryption result to the contract of ole_decrypt_default(). */
static int
decrypt_result(struct report *r, enum ole_crypt_result res, const char *why)
{
	switch (res) {
	case OLE_CRYPT_OK:
		report_add(r, "ooxml.encrypted", FINDING_REMOVED,
		    "EncryptedPackage", "decrypted with the default password");
		return 1;
	case OLE_CRYPT_WRONG_PASSWORD:
	case OLE_CRYPT_UNSUPPORTED:
		return 0;
	case OLE_CRYPT_MALFORMED:
		report_add(r, "ole.malformed", FINDING_BLOCKED,
		    "EncryptionInfo", "%s", why != NULL ? why : "malformed");
		return 0;
	case OLE_CRYPT_TOO_LARGE:
		report_add(r, "limit.output_size", FINDING_BLOCKED,
		    "EncryptedPackage", "%s", why != NULL ? why : "too large");
		return 0;
	case OLE_CRYPT_FAILED:
		break;
	}
	report_set_error(r, "ole: decryption failed (memory or libcrypto)");
	return -1;
}

int
ole_decrypt_default(struct cdr_ctx *ctx, struct report *r,
    const unsigned char *in, size_t len, struct buffer *plain)
{
	struct buffer info, pkg;
	enum ole_crypt_result res;
	const char *err, *why = NULL;
	struct cfb cfb;
	int rc;

	if (ctx->opts != NULL && !ctx->opts->try_default_passwords)
		return 0;
	rc = cfb_open(&cfb, ctx->arena, in, len, &err);
	if (rc < 0) {
		report_set_error(r, "ole: out of memory");
		return -1;
	}
	if (rc == 0) {
		report_add(r, "ole.malformed", FINDING_BLOCKED, NULL, "%s", err);
		return 0;
	}
	if (load_root_stream(&cfb, "EncryptionInfo", &info) < 0 ||
	    load_root_stream(&cfb, "EncryptedPackage", &pkg) < 0)
		res = OLE_CRYPT_FAILED;
	else if (info.used == 0 || pkg.used == 0) {
		res = OLE_CRYPT_MALFORMED;
		why = "no EncryptionInfo or EncryptedPackage stream";
	} else
		res = ole_crypt_decrypt(info.data, info.used, pkg.data,
		    pkg.used, "VelvetSweatshop", plain, &why);
	buffer_free(&info);
	buffer_free(&pkg);
	return decrypt_result(r, res, why);
}
