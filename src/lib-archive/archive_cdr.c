/*
 * archive_cdr - archives read with libarchive, members sanitized
 * recursively, rebuilt as zip.
 *
 * The archive is read once, from memory, member by member. Nothing of
 * the original container survives: every kept member is inflated (under
 * the limits), sanitized by ctx->recurse and written into a fresh zip
 * whose headers we alone wrote, so tricks in the original structure
 * (two directories, hidden local entries, extra fields, comments) have
 * nothing to travel in. Names are decided by archive_name.c; the zip
 * directory cross-check is zipdir.c.
 *
 * libarchive converts names to the current locale. The worker runs in
 * the C locale, where UTF-8 names would be lost, so the reading and
 * writing run under a thread-local C.UTF-8 locale (uselocale, loaded at
 * program start because the sandbox cannot open locale files), and the
 * caller's locale is restored around every recursion.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "archive_cdr.h"
#include "archive_name.h"
#include "sizeops.h"
#include "zipdir.h"

/* Bytes inflated per read call. */
#define AR_CHUNK (64 * 1024)
/*
 * The compression ratio is only judged once this much has been inflated:
 * a 200-byte zip of a 100 KB run of spaces has ratio 500 and harms no
 * one; what the limit exists for is the bomb that inflates to gigabytes,
 * and that crosses 1 MiB long before it does damage.
 */
#define AR_RATIO_FLOOR (1024 * 1024)

struct ar_job {
	struct cdr_ctx *ctx;
	struct report *r;
	const struct limits *lim;
	enum file_type type;
	const unsigned char *in;
	size_t len;
	struct buffer *out;
	size_t out_start;

	struct archive *rd;
	struct archive *wr;	/* zip writer, once opened */
	bool single;		/* a .gz of one file (raw format) */
	bool raw_only;		/* .gz: second pass, not as tar */
	bool zip_empty;		/* a zip of no members (libarchive: no bid) */
	bool stop;		/* a blocked/held finding ends the walk */
	bool out_failed;	/* an output append failed */
	bool out_full;		/*   because of limits->output_size */
	size_t total;		/* bytes inflated so far */
	uint64_t entries;
	unsigned char *chunk;
	struct archive_name_conv *conv;
	struct archive_name_set *names;
	locale_t loc, saved;

	/* single .gz: header name and time, and the sanitized content */
	char *gz_name;
	uint32_t gz_mtime;
	struct buffer gz_body;
};

/* Record a finding that ends the walk (blocked or held). */
static void
ar_stop(struct ar_job *job, const char *code, enum finding_action action,
    const char *where, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void
ar_stop(struct ar_job *job, const char *code, enum finding_action action,
    const char *where, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = arena_vprintf(job->ctx->arena, fmt, ap);
	va_end(ap);
	report_add(job->r, code, action, where, "%s",
	    msg != NULL ? msg : code);
	job->stop = true;
}

static int
ar_nomem(struct ar_job *job)
{
	report_set_error(job->r, "archive: out of memory");
	return -1;
}

/* True when total inflated bytes exceed ratio times the input. */
static bool
ar_over_ratio(const struct ar_job *job, size_t total)
{
	size_t cap;

	if (total <= AR_RATIO_FLOOR)
		return false;
	if (size_mul(job->len, job->lim->archive_ratio, &cap) < 0)
		return false;	/* no input is that large */
	return total > cap;
}

/*
 * Limits for a member that has (or says it will have) member bytes,
 * with total the archive's inflated bytes including them. Returns true
 * (and stops the job) when one is exceeded.
 */
static bool
ar_over_limits(struct ar_job *job, const char *name, uint64_t member,
    size_t total, const char *how)
{
	if (member > job->lim->file_size)
		ar_stop(job, "limit.file_size", FINDING_BLOCKED, name,
		    "member %s %llu bytes > limit %llu", how,
		    (unsigned long long)member,
		    (unsigned long long)job->lim->file_size);
	else if (total > job->lim->archive_total)
		ar_stop(job, "limit.archive_total", FINDING_BLOCKED, name,
		    "archive %s %zu bytes > limit %llu", how, total,
		    (unsigned long long)job->lim->archive_total);
	else if (ar_over_ratio(job, total))
		ar_stop(job, "limit.archive_ratio", FINDING_BLOCKED, name,
		    "archive %s %zu bytes from %zu: ratio over %u", how, total,
		    job->len, job->lim->archive_ratio);
	return job->stop;
}

/* A read error: encrypted content is held, anything else blocked. */
static void
ar_read_failed(struct ar_job *job, const char *where)
{
	const char *msg = archive_error_string(job->rd);

	if (msg == NULL)
		msg = "unreadable archive";
	if (archive_read_has_encrypted_entries(job->rd) == 1 ||
	    strcasestr(msg, "encrypt") != NULL ||
	    strcasestr(msg, "passphrase") != NULL)
		ar_stop(job, "archive.encrypted", FINDING_HELD, where,
		    "%s; password needed", msg);
	else
		ar_stop(job, "archive.malformed", FINDING_BLOCKED, where,
		    "%s", msg);
}

/*
 * Inflate the current member into dst (NULL: count and discard, for
 * members that are left out but whose bytes a stream reader must go
 * through anyway). Declared sizes are judged before inflating, real
 * sizes as they arrive. Returns 0 (job->stop set when stopped), -1 on
 * memory.
 */
static int
ar_read_data(struct ar_job *job, struct archive_entry *e, const char *name,
    struct buffer *dst)
{
	uint64_t member = 0;
	la_int64_t declared;
	size_t total;
	la_ssize_t n;

	if (archive_entry_size_is_set(e) &&
	    (declared = archive_entry_size(e)) > 0) {
		if (size_add(job->total, (uint64_t)declared, &total) < 0)
			total = SIZE_MAX;
		if (ar_over_limits(job, name, (uint64_t)declared, total,
		    "declares"))
			return 0;
	}
	if (job->rd == NULL)
		return 0;	/* the empty .gz: no reader, no bytes */
	for (;;) {
		n = archive_read_data(job->rd, job->chunk, AR_CHUNK);
		if (n == 0)
			return 0;
		if (n < 0) {
			ar_read_failed(job, name);
			return 0;
		}
		member += (uint64_t)n;
		if (size_add(job->total, (size_t)n, &job->total) < 0)
			job->total = SIZE_MAX;
		if (ar_over_limits(job, name, member, job->total, "inflates to"))
			return 0;
		if (dst != NULL && buffer_append(dst, job->chunk, (size_t)n) < 0)
			return ar_nomem(job);
	}
}

/*
 * libarchive write callback: append to the caller's output buffer.
 * A failure is remembered, not returned: libarchive 3.6.2 leaks its
 * writer state when a callback fails, so the bytes are dropped, the
 * writer stays healthy and every write call checks job->out_failed.
 */
static la_ssize_t
ar_write_cb(struct archive *a, void *cookie, const void *buf, size_t n)
{
	struct ar_job *job = cookie;
	size_t after;

	if (job->out_failed)
		return (la_ssize_t)n;
	if (size_add(job->out->used, n, &after) < 0 ||
	    after > job->lim->output_size) {
		job->out_failed = job->out_full = true;
	} else if (buffer_append(job->out, buf, n) < 0) {
		job->out_failed = true;
		job->out_full = errno == EFBIG;
	}
	return (la_ssize_t)n;
}

/* A writer failure is ours, never the input's. */
static int
ar_write_failed(struct ar_job *job)
{
	if (job->out_full) {
		report_add(job->r, "limit.output_size", FINDING_BLOCKED, NULL,
		    "rebuilt archive over %llu bytes",
		    (unsigned long long)job->lim->output_size);
		report_set_error(job->r, "archive: output over limit");
	} else if (job->wr != NULL && archive_error_string(job->wr) != NULL)
		report_set_error(job->r, "archive: writing zip: %s",
		    archive_error_string(job->wr));
	else
		report_set_error(job->r, "archive: writing output failed");
	return -1;
}

static int
ar_writer_open(struct ar_job *job)
{
	if (job->wr != NULL)
		return 0;
	if ((job->wr = archive_write_new()) == NULL)
		return ar_nomem(job);
	/* Unblocked output: the zip ends where its directory ends. */
	if (archive_write_set_format_zip(job->wr) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(job->wr, 0) != ARCHIVE_OK ||
	    archive_write_open2(job->wr, job, NULL, ar_write_cb, NULL,
	    NULL) != ARCHIVE_OK || job->out_failed)
		return ar_write_failed(job);
	return 0;
}

/* Write one kept entry (a file with its sanitized bytes, or a folder). */
static int
ar_write_entry(struct ar_job *job, struct archive_entry *src,
    const char *name, const struct buffer *data)
{
	struct archive_entry *e;
	size_t done = 0;
	la_ssize_t n;
	int ret = 0;

	if (ar_writer_open(job) < 0)
		return -1;
	if ((e = archive_entry_new()) == NULL)
		return ar_nomem(job);
	archive_entry_copy_pathname(e, name);
	archive_entry_set_filetype(e, data != NULL ? AE_IFREG : AE_IFDIR);
	/* No execute or set-id bits travel: permissions are ours. */
	archive_entry_set_perm(e, data != NULL ? 0644 : 0755);
	archive_entry_set_size(e, data != NULL ? (la_int64_t)data->used : 0);
	if (archive_entry_mtime_is_set(src))
		archive_entry_set_mtime(e, archive_entry_mtime(src), 0);
	if (archive_write_header(job->wr, e) != ARCHIVE_OK || job->out_failed)
		ret = ar_write_failed(job);
	while (ret == 0 && data != NULL && done < data->used) {
		n = archive_write_data(job->wr, data->data + done,
		    data->used - done);
		if (n <= 0 || job->out_failed)
			ret = ar_write_failed(job);
		else
			done += (size_t)n;
	}
	archive_entry_free(e);
	return ret;
}

/* First blocked/held finding code of a child, or its error. */
static const char *
ar_child_reason(const struct report *child, enum verdict v)
{
	const struct report_finding *f;
	enum finding_action want;

	if (v == VERDICT_ERROR)
		return child->error != NULL ? child->error : "error";
	want = v == VERDICT_HELD ? FINDING_HELD : FINDING_BLOCKED;
	for (f = child->findings; f != NULL; f = f->next) {
		if (f->action == want)
			return f->code;
	}
	return verdict_name(v);
}

/* A limit.* that stopped the child, or NULL. */
static const char *
ar_child_limit(const struct report *child)
{
	const struct report_finding *f;

	for (f = child->findings; f != NULL; f = f->next) {
		if (f->action == FINDING_BLOCKED &&
		    strncmp(f->code, "limit.", 6) == 0)
			return f->code;
	}
	return NULL;
}

/* Run the engine on one member, one level deeper, in the caller's
   locale. A failing member is that member's verdict (error). */
static void
ar_recurse(struct ar_job *job, struct report *child, const char *name,
    const struct buffer *data, struct buffer *mout)
{
	const unsigned char *p = data->data != NULL ? data->data :
	    (const unsigned char *)"";
	int ret;

	if (job->loc != (locale_t)0)
		uselocale(job->saved);
	job->ctx->depth++;
	ret = job->ctx->recurse(job->ctx, child, name, p, data->used, mout);
	job->ctx->depth--;
	if (job->loc != (locale_t)0)
		uselocale(job->loc);
	if (ret < 0 && child->error == NULL)
		report_set_error(child, "member could not be processed");
}

/* The output name of a kept member: its new extension, if it got one
   (a docm that became docx), checked again for collisions. */
static const char *
ar_output_name(struct ar_job *job, const struct report *child,
    const char *name)
{
	const char *renamed;
	int ret;

	if (child->new_ext == NULL || job->single)
		return name;
	renamed = archive_name_with_ext(job->ctx->arena, name, child->new_ext);
	if (renamed == NULL || strcmp(renamed, name) == 0)
		return renamed;
	if ((ret = archive_name_set_add(job->names, renamed)) < 0)
		return NULL;
	if (ret == 0) {
		report_add(job->r, "archive.duplicate_name", FINDING_REMOVED,
		    name, "renamed to %s, which another member already is",
		    renamed);
		return "";
	}
	return renamed;
}

/* After the child ran: drop it, stop, or write its sanitized bytes. */
static int
ar_child_done(struct ar_job *job, struct archive_entry *e,
    struct report *child, const char *name, struct buffer *mout)
{
	enum verdict v = report_verdict(child);
	const char *code, *outname;

	if ((code = ar_child_limit(child)) != NULL) {
		ar_stop(job, code, FINDING_BLOCKED, name, "inside member");
		return 0;
	}
	if (v >= VERDICT_HELD && job->single) {
		ar_stop(job, "archive.member_dropped", v == VERDICT_HELD ?
		    FINDING_HELD : FINDING_BLOCKED, name, "%s: %s",
		    verdict_name(v), ar_child_reason(child, v));
		return 0;
	}
	if (v >= VERDICT_HELD) {
		report_add(job->r, "archive.member_dropped", FINDING_REMOVED,
		    name, "%s: %s", verdict_name(v), ar_child_reason(child, v));
		return 0;
	}
	if (job->single) {
		if (!job->ctx->inspect) {
			job->gz_body = *mout;
			buffer_init(mout, mout->max);
		}
		return 0;
	}
	/* Named before the inspect return: a rename collision is a
	   finding in both modes. */
	if ((outname = ar_output_name(job, child, name)) == NULL)
		return ar_nomem(job);
	if (outname[0] == '\0' || job->ctx->inspect)
		return 0;
	return ar_write_entry(job, e, outname, mout);
}

/* Inflate, sanitize and write one regular member. */
static int
ar_member(struct ar_job *job, struct archive_entry *e, const char *name)
{
	struct buffer data, mout;
	struct report *child;
	int ret;

	buffer_init(&data, job->lim->file_size);
	if (ar_read_data(job, e, name, &data) < 0 || job->stop) {
		buffer_free(&data);
		return job->stop ? 0 : -1;
	}
	if ((child = report_add_child(job->r, name)) == NULL) {
		buffer_free(&data);
		return ar_nomem(job);
	}
	buffer_init(&mout, job->lim->output_size);
	ar_recurse(job, child, name, &data, &mout);
	buffer_free(&data);
	ret = ar_child_done(job, e, child, name, &mout);
	buffer_free(&mout);
	return ret;
}

/* Leave a member out: record why, and still go through its bytes. */
static int
ar_drop(struct ar_job *job, struct archive_entry *e, const char *code,
    const char *name, const char *why)
{
	report_add(job->r, code, FINDING_REMOVED, name, "%s", why);
	return ar_read_data(job, e, name, NULL);
}

/* Members that are not plain files or folders are never kept. */
static int
ar_entry_kind(struct ar_job *job, struct archive_entry *e, const char *name,
    bool *keep_r)
{
	unsigned ft = archive_entry_filetype(e);
	const char *target;
	char *why;

	*keep_r = false;
	if (ft == AE_IFLNK || archive_entry_hardlink(e) != NULL) {
		target = ft == AE_IFLNK ? archive_entry_symlink(e) :
		    archive_entry_hardlink(e);
		why = arena_printf(job->ctx->arena, "%s link to %s",
		    ft == AE_IFLNK ? "symbolic" : "hard",
		    target != NULL ? target : "(unknown)");
		return ar_drop(job, e, "archive.symlink", name,
		    why != NULL ? why : "link");
	}
	if (ft != AE_IFREG && ft != AE_IFDIR)
		return ar_drop(job, e, "archive.member_dropped", name,
		    "special file (device, fifo or socket)");
	*keep_r = true;
	return 0;
}

/*
 * Judge the name of a member. Returns 0 with *safe_r the name to keep,
 * or with *safe_r NULL when the member is left out (finding recorded);
 * -1 on memory.
 */
static int
ar_entry_name(struct ar_job *job, struct archive_entry *e, const char *name,
    bool is_dir, const char **safe_r)
{
	enum archive_name_kind kind;
	bool changed;
	char *safe;
	int ret;

	*safe_r = NULL;
	if (archive_name_classify(name, &kind) < 0)
		return ar_nomem(job);
	if (kind == ARCHIVE_NAME_TRAVERSAL)
		return ar_drop(job, e, "archive.path_traversal", name,
		    "name climbs out of the extraction folder");
	if (kind == ARCHIVE_NAME_ABSOLUTE)
		return ar_drop(job, e, "archive.absolute_path", name,
		    "name is an absolute path");
	safe = archive_name_rewrite(job->ctx->arena, name, is_dir, &changed);
	if (safe == NULL)
		return ar_nomem(job);
	if (safe[0] == '\0')
		return is_dir ? 0 : ar_drop(job, e, "archive.member_dropped",
		    name, "empty name");
	if (strlen(safe) > ARCHIVE_NAME_MAX)
		return ar_drop(job, e, "archive.member_dropped", name,
		    "name too long");
	if ((ret = archive_name_set_add(job->names, safe)) < 0)
		return ar_nomem(job);
	if (ret == 0)
		return ar_drop(job, e, "archive.duplicate_name", name,
		    "another member extracts to the same file");
	if (changed)
		report_add(job->r, "archive.unsafe_name", FINDING_REMOVED, name,
		    "renamed to %s", safe);
	*safe_r = safe;
	return 0;
}

/* One member of a multi-member archive. */
static int
ar_entry(struct ar_job *job, struct archive_entry *e)
{
	const char *raw, *safe;
	char *name;
	bool keep;

	if ((raw = archive_entry_pathname(e)) == NULL &&
	    (raw = archive_entry_pathname_utf8(e)) == NULL) {
		ar_stop(job, "archive.malformed", FINDING_BLOCKED, NULL,
		    "member %llu: name cannot be decoded",
		    (unsigned long long)job->entries);
		return 0;
	}
	if ((name = archive_name_utf8(job->conv, raw)) == NULL)
		return ar_nomem(job);
	if (ar_entry_kind(job, e, name, &keep) < 0 || !keep)
		return job->r->error != NULL ? -1 : 0;
	if (ar_entry_name(job, e, name, archive_entry_filetype(e) == AE_IFDIR,
	    &safe) < 0)
		return -1;
	if (safe == NULL || job->stop)
		return 0;
	if (archive_entry_filetype(e) == AE_IFDIR)
		return job->ctx->inspect ? 0 :
		    ar_write_entry(job, e, safe, NULL);
	return ar_member(job, e, safe);
}

/* The one member of a .gz: named from the gzip header, if at all. */
static int
ar_single(struct ar_job *job, struct archive_entry *e)
{
	const char *name = NULL, *base;
	enum archive_name_kind kind;
	bool changed;
	char *safe;

	if (job->gz_name != NULL) {
		if (archive_name_classify(job->gz_name, &kind) < 0)
			return ar_nomem(job);
		if (kind != ARCHIVE_NAME_OK)
			report_add(job->r, kind == ARCHIVE_NAME_TRAVERSAL ?
			    "archive.path_traversal" : "archive.absolute_path",
			    FINDING_REMOVED, job->gz_name,
			    "only the last part of the name is kept");
		safe = archive_name_rewrite(job->ctx->arena, job->gz_name,
		    false, &changed);
		if (safe == NULL)
			return ar_nomem(job);
		base = strrchr(safe, '/');
		name = base != NULL ? base + 1 : safe;
		if (changed && kind == ARCHIVE_NAME_OK)
			report_add(job->r, "archive.unsafe_name",
			    FINDING_REMOVED, job->gz_name, "renamed to %s", name);
		if (name[0] == '\0' || strlen(name) > ARCHIVE_NAME_MAX)
			name = NULL;
	}
	job->gz_name = (char *)name;
	return ar_member(job, e, name);
}

/* Read the name and time from a gzip header (RFC 1952). Returns 0, or
   -1 when the header is not one. */
static int
ar_gzip_header(struct ar_job *job)
{
	const unsigned char *in = job->in, *nul;
	size_t p = 10, xlen;

	if (job->len < 10 || in[0] != 0x1f || in[1] != 0x8b || in[2] != 8 ||
	    (in[3] & 0xe0) != 0)
		return -1;
	job->gz_mtime = (uint32_t)in[4] | (uint32_t)in[5] << 8 |
	    (uint32_t)in[6] << 16 | (uint32_t)in[7] << 24;
	if (in[3] & 0x04) {
		if (job->len - p < 2)
			return -1;
		xlen = (size_t)in[p] | (size_t)in[p + 1] << 8;
		p += 2;
		if (job->len - p < xlen)
			return -1;
		p += xlen;
	}
	if (!(in[3] & 0x08))
		return 0;
	if ((nul = memchr(in + p, '\0', job->len - p)) == NULL)
		return -1;
	if (nul == in + p)
		return 0;
	job->gz_name = archive_name_utf8(job->conv, (const char *)in + p);
	return job->gz_name != NULL ? 0 : ar_nomem(job);
}

/* True when the .gz is one member of zero bytes (which libarchive
   cannot open: there is nothing to bid on). */
static bool
ar_gzip_empty(const struct ar_job *job)
{
	unsigned char one;
	z_stream zs;
	int zr;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return false;
	zs.next_in = (Bytef *)job->in;
	zs.avail_in = job->len > UINT32_MAX ? UINT32_MAX : (uInt)job->len;
	zs.next_out = &one;
	zs.avail_out = 1;
	zr = inflate(&zs, Z_FINISH);
	inflateEnd(&zs);
	return zr == Z_STREAM_END && zs.total_out == 0 && zs.avail_in == 0;
}

/* The empty .gz: an empty member, sanitized like any other. */
static int
ar_gzip_empty_member(struct ar_job *job)
{
	struct archive_entry *e = archive_entry_new();
	int ret;

	if (e == NULL)
		return ar_nomem(job);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_size(e, 0);
	job->single = true;
	job->entries = 1;
	ret = ar_single(job, e);
	archive_entry_free(e);
	return ret;
}

/* A reader that knows only the formats this type may be. */
static int
ar_reader_open(struct ar_job *job)
{
	struct archive *a;

	if ((a = job->rd = archive_read_new()) == NULL)
		return ar_nomem(job);
	switch (job->type) {
	case FT_ZIP:
		/* Central directory semantics, as desktop extractors. */
		archive_read_support_format_zip_seekable(a);
		break;
	case FT_GZIP:
		archive_read_support_filter_gzip(a);
		if (!job->raw_only)
			archive_read_support_format_tar(a);
		archive_read_support_format_raw(a);
		break;
	case FT_TAR:
		archive_read_support_format_tar(a);
		break;
	case FT_7Z:
		archive_read_support_format_7zip(a);
		break;
	case FT_RAR:
		archive_read_support_format_rar(a);
		archive_read_support_format_rar5(a);
		break;
	default:
		report_set_error(job->r, "archive: %s is not an archive type",
		    filetype_name(job->type));
		return -1;
	}
	/* Not ar_read_failed(): before a format is chosen, libarchive
	   3.6.2 crashes in archive_read_has_encrypted_entries(). */
	if (archive_read_open_memory(a, job->in, job->len) != ARCHIVE_OK)
		ar_stop(job, "archive.malformed", FINDING_BLOCKED, NULL, "%s",
		    archive_error_string(a) != NULL ? archive_error_string(a) :
		    "not a readable archive");
	return 0;
}

/* Zip only: refuse before reading what libarchive would misread. */
static int
ar_zip_precheck(struct ar_job *job)
{
	struct zipdir_info zi;
	char *cd, *lh;

	if (zipdir_check(job->ctx->arena, job->in, job->len,
	    job->lim->archive_entries, &zi) < 0)
		return ar_nomem(job);
	job->zip_empty = zi.entries == 0 && zi.problem == NULL;
	if (zi.entries > job->lim->archive_entries)
		ar_stop(job, "limit.archive_entries", FINDING_BLOCKED, NULL,
		    "%llu members > limit %u", (unsigned long long)zi.entries,
		    job->lim->archive_entries);
	else if (zi.encrypted)
		ar_stop(job, "archive.encrypted", FINDING_HELD, NULL,
		    "password-protected members; password needed");
	else if (zi.cd_name != NULL) {
		cd = archive_name_utf8(job->conv, zi.cd_name);
		lh = archive_name_utf8(job->conv, zi.local_name);
		if (cd == NULL || lh == NULL)
			return ar_nomem(job);
		ar_stop(job, "archive.malformed", FINDING_BLOCKED, cd,
		    "%s: the local header names it \"%s\"", zi.problem, lh);
	} else if (zi.problem != NULL)
		ar_stop(job, "archive.malformed", FINDING_BLOCKED, NULL, "%s",
		    zi.problem);
	return 0;
}

/* The first header decides whether a .gz holds a tar or one file. */
static int
ar_first(struct ar_job *job)
{
	if (job->type == FT_GZIP &&
	    archive_format(job->rd) == ARCHIVE_FORMAT_RAW)
		job->single = true;
	if (!job->single && !job->ctx->inspect)
		return ar_writer_open(job);
	return 0;
}

/* Every member in order, until the end or the first stop. */
static int
ar_walk(struct ar_job *job)
{
	struct archive_entry *e;
	int rc;

	while (!job->stop) {
		rc = archive_read_next_header(job->rd, &e);
		if (rc == ARCHIVE_EOF)
			return 0;
		if (rc < ARCHIVE_WARN) {
			ar_read_failed(job, NULL);
			return 0;
		}
		if (++job->entries == 1 && ar_first(job) < 0)
			return -1;
		if (job->entries > job->lim->archive_entries) {
			ar_stop(job, "limit.archive_entries", FINDING_BLOCKED,
			    NULL, "more than %u members",
			    job->lim->archive_entries);
			return 0;
		}
		if (archive_entry_is_encrypted(e)) {
			ar_stop(job, "archive.encrypted", FINDING_HELD, NULL,
			    "encrypted member; password needed");
			return 0;
		}
		if ((job->single ? ar_single(job, e) : ar_entry(job, e)) < 0)
			return -1;
	}
	return 0;
}

/* Append bytes to the output under limits->output_size. */
static int
ar_emit(struct ar_job *job, const void *p, size_t n)
{
	size_t after;

	if (size_add(job->out->used, n, &after) < 0 ||
	    after > job->lim->output_size) {
		job->out_failed = job->out_full = true;
		return ar_write_failed(job);
	}
	if (buffer_append(job->out, p, n) < 0) {
		job->out_failed = true;
		job->out_full = errno == EFBIG;
		return ar_write_failed(job);
	}
	return 0;
}

/* The single member as a new .gz, with its (cleaned) name and time. */
static int
ar_gzip_write(struct ar_job *job)
{
	unsigned char buf[AR_CHUNK / 4];
	const unsigned char *p = job->gz_body.data;
	size_t left = job->gz_body.used;
	gz_header hd;
	z_stream zs;
	int zr = Z_OK, ret = 0;

	memset(&zs, 0, sizeof(zs));
	memset(&hd, 0, sizeof(hd));
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return ar_nomem(job);
	hd.time = job->gz_mtime;
	hd.os = 3;
	hd.name = (Bytef *)job->gz_name;
	deflateSetHeader(&zs, &hd);
	zs.next_in = (Bytef *)(p != NULL ? p : (const unsigned char *)"");
	while (ret == 0 && zr != Z_STREAM_END) {
		if (zs.avail_in == 0 && left > 0) {
			zs.avail_in = left > (1u << 30) ? (1u << 30) : (uInt)left;
			left -= zs.avail_in;
		}
		zs.next_out = buf;
		zs.avail_out = sizeof(buf);
		zr = deflate(&zs, left == 0 ? Z_FINISH : Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
			ret = ar_nomem(job);
		else
			ret = ar_emit(job, buf, sizeof(buf) - zs.avail_out);
	}
	deflateEnd(&zs);
	return ret;
}

/* Close the output, or throw it away when the archive may not pass. */
static int
ar_finish(struct ar_job *job)
{
	struct report *r = job->r;

	if (r->error != NULL)
		return -1;
	if (job->stop || report_has_action(r, FINDING_BLOCKED) ||
	    report_has_action(r, FINDING_HELD) || job->ctx->inspect)
		return 0;
	if (job->single)
		return ar_gzip_write(job);
	if (ar_writer_open(job) < 0)
		return -1;
	if (archive_write_close(job->wr) != ARCHIVE_OK || job->out_failed)
		return ar_write_failed(job);
	if (job->type != FT_ZIP)
		report_set_new_ext(r, "zip");
	return 0;
}

static int
ar_run(struct ar_job *job)
{
	if (job->type == FT_ZIP && ar_zip_precheck(job) < 0)
		return -1;
	if (job->type == FT_GZIP && !job->stop && ar_gzip_header(job) < 0) {
		if (job->r->error != NULL)
			return -1;
		ar_stop(job, "archive.malformed", FINDING_BLOCKED, NULL,
		    "bad gzip header");
	}
	if (job->stop)
		return 0;
	if (job->type == FT_GZIP && ar_gzip_empty(job))
		return ar_gzip_empty_member(job) < 0 ? -1 : ar_finish(job);
	if (job->zip_empty)
		return ar_finish(job);
	if (ar_reader_open(job) < 0)
		return -1;
	if (!job->stop && ar_walk(job) < 0)
		return -1;
	/* A .gz whose content starts with zero blocks reads as an empty
	   tar; that content must not vanish, so read it again as one
	   file. */
	if (job->type == FT_GZIP && job->entries == 0 && !job->stop) {
		archive_read_free(job->rd);
		job->rd = NULL;
		job->raw_only = true;
		if (ar_reader_open(job) < 0)
			return -1;
		if (!job->stop && ar_walk(job) < 0)
			return -1;
	}
	return ar_finish(job);
}

static void
ar_job_free(struct ar_job *job)
{
	if (job->rd != NULL)
		archive_read_free(job->rd);
	if (job->wr != NULL)
		archive_write_free(job->wr);
	archive_name_conv_free(job->conv);
	buffer_free(&job->gz_body);
	free(job->chunk);
	if (job->loc != (locale_t)0)
		uselocale(job->saved);
}

/* C.UTF-8 for libarchive's name conversions, loaded at start-up. */
static locale_t ar_utf8_locale;

/*
 * glibc loads the C.UTF-8 locale and the CP932 converter from files,
 * and the worker's sandbox can open no file: load both once, when the
 * program starts and before any sandbox exists. They live as long as
 * the process (one locale object and one converter, shared read-only).
 */
__attribute__((constructor)) static void
ar_preload(void)
{
	ar_utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	archive_name_preload();
}

static int
ar_job_init(struct ar_job *job)
{
	job->conv = archive_name_conv_new(job->ctx->arena);
	job->names = archive_name_set_new(job->ctx->arena);
	job->chunk = malloc(AR_CHUNK);
	if (job->conv == NULL || job->names == NULL || job->chunk == NULL)
		return ar_nomem(job);
	/* Without it, non-ASCII names cannot be decoded and such archives
	   are refused as malformed: safe, but worth the preload. */
	job->loc = ar_utf8_locale;
	if (job->loc != (locale_t)0)
		job->saved = uselocale(job->loc);
	return 0;
}

int
archive_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out)
{
	struct ar_job job;
	int ret;

	if (ctx->depth >= ctx->limits->archive_depth) {
		report_add(r, "limit.archive_depth", FINDING_BLOCKED, NULL,
		    "archive nested %u deep, limit %u", ctx->depth,
		    ctx->limits->archive_depth);
		return 0;
	}
	if (ctx->recurse == NULL) {
		report_set_error(r, "archive: no recursion function");
		return -1;
	}
	memset(&job, 0, sizeof(job));
	job.ctx = ctx;
	job.r = r;
	job.lim = ctx->limits;
	job.type = type;
	job.in = in;
	job.len = len;
	job.out = out;
	job.out_start = out != NULL ? out->used : 0;
	buffer_init(&job.gz_body, 0);
	if (!ctx->inspect && out == NULL) {
		report_set_error(r, "archive: no output buffer");
		return -1;
	}
	ret = ar_job_init(&job) < 0 ? -1 : ar_run(&job);
	ar_job_free(&job);
	/* Nothing partial may look like a result. */
	if (out != NULL && (ret < 0 || report_verdict(r) >= VERDICT_HELD)) {
		out->used = job.out_start;
		if (out->data != NULL)
			out->data[out->used] = '\0';
	}
	return ret;
}
