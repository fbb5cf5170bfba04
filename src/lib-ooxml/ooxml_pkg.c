/*
 * ooxml_pkg - OPC package zip level on libzip.
 *
 * Unchanged parts are written with zip_source_zip(..., ZIP_FL_COMPRESSED):
 * libzip then copies the compressed bytes and the stored CRC as they are,
 * so an image-heavy document costs two memcpy()s per byte instead of an
 * inflate and a deflate. The price is that such parts are never inflated
 * here: their declared sizes (checked against the archive limits) are
 * trusted, and a lying entry is only the reader's CRC error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml_pkg.h"
#include "sizeops.h"

/* 1980-01-01, the earliest zip time: for parts without one. */
#define DOS_EPOCH	315532800

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
ooxml_key_write(char *dst, const char *name, size_t len)
{
	size_t i, o = 0;
	int hi, lo, c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)name[i];
		if (c == '%' && i + 2 < len &&
		    (hi = hexval(name[i + 1])) >= 0 &&
		    (lo = hexval(name[i + 2])) >= 0) {
			c = hi * 16 + lo;
			i += 2;
		}
		if (c == '\\')
			c = '/';
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		/* a decoded NUL would cut the key short: keep it visible */
		dst[o++] = c == 0 ? '%' : (char)c;
	}
	dst[o] = '\0';
}

char *
ooxml_key(struct arena *arena, const char *name, size_t len)
{
	char *key;

	key = arena_alloc(arena, len + 1);
	if (key != NULL)
		ooxml_key_write(key, name, len);
	return key;
}

/* True when a raw entry name is acceptable as an OPC part name (or a
   directory entry): relative, no dot segments, no empty segments, no
   control characters. */
static bool
name_ok(const char *name)
{
	const char *seg, *p;
	size_t n;

	if (name[0] == '\0' || name[0] == '/' || name[0] == '\\')
		return false;
	if (name[1] == ':')
		return false;	/* drive letter */
	for (p = name; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	}
	for (seg = name; ; seg = p + 1) {
		p = seg + strcspn(seg, "/\\");
		n = (size_t)(p - seg);
		if (*p == '\0')
			return !((n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.'));
		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
	}
}

static void
malformed(struct report *r, const char *location, const char *detail)
{
	report_add(r, "ooxml.malformed", FINDING_BLOCKED, location, "%s",
	    detail);
}

static int
cmp_key(const void *a, const void *b)
{
	const struct ooxml_part *pa = *(struct ooxml_part *const *)a;
	const struct ooxml_part *pb = *(struct ooxml_part *const *)b;

	return strcmp(pa->key, pb->key);
}

/* Check the archive-wide limits on the declared sizes. */
static int
check_totals(const struct limits *limits, struct report *r,
    uint64_t total, size_t len)
{
	uint64_t cap;

	if (total > limits->archive_total) {
		report_add(r, "limit.archive_total", FINDING_BLOCKED, NULL,
		    "%llu bytes uncompressed", (unsigned long long)total);
		return 1;
	}
	if (__builtin_mul_overflow((uint64_t)len,
	    (uint64_t)limits->archive_ratio, &cap))
		return 0;
	if (total > cap) {
		report_add(r, "limit.archive_ratio", FINDING_BLOCKED, NULL,
		    "%llu bytes from %zu", (unsigned long long)total, len);
		return 1;
	}
	return 0;
}

/* Vet one entry and, unless it is a directory, add it as a part.
   Returns 0, 1 when refused, -1 on exhaustion. */
static int
add_entry(struct ooxml_pkg *pkg, struct arena *arena, struct report *r,
    zip_uint64_t i, uint64_t *total)
{
	struct ooxml_part *p;
	zip_stat_t st;
	size_t nlen;

	zip_stat_init(&st);
	if (zip_stat_index(pkg->za, i, ZIP_FL_ENC_RAW, &st) < 0 ||
	    (st.valid & (ZIP_STAT_NAME | ZIP_STAT_SIZE |
	    ZIP_STAT_COMP_METHOD)) != (ZIP_STAT_NAME | ZIP_STAT_SIZE |
	    ZIP_STAT_COMP_METHOD)) {
		malformed(r, NULL, "unreadable zip entry");
		return 1;
	}
	if (!name_ok(st.name)) {
		malformed(r, NULL, "unsafe zip entry name");
		return 1;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE) {
		malformed(r, st.name, "encrypted zip entry");
		return 1;
	}
	if (st.comp_method != ZIP_CM_STORE &&
	    st.comp_method != ZIP_CM_DEFLATE) {
		malformed(r, st.name, "compression method Office does not read");
		return 1;
	}
	if (__builtin_add_overflow(*total, st.size, total))
		*total = UINT64_MAX;
	nlen = strlen(st.name);
	if (st.name[nlen - 1] == '/' || st.name[nlen - 1] == '\\')
		return 0;	/* directory entries are not parts */
	p = &pkg->parts[pkg->nparts];
	p->name = arena_strdup(arena, st.name);
	p->key = ooxml_key(arena, st.name, nlen);
	if (p->name == NULL || p->key == NULL)
		return -1;
	p->index = i;
	p->size = st.size;
	p->method = st.comp_method;
	p->mtime = (st.valid & ZIP_STAT_MTIME) ? st.mtime : 0;
	pkg->nparts++;
	return 0;
}

/* Sort the key index and refuse duplicates. */
static int
index_parts(struct ooxml_pkg *pkg, struct arena *arena, struct report *r)
{
	size_t i, sz;

	if (size_mul(pkg->nparts + 1, sizeof(*pkg->by_key), &sz) < 0 ||
	    (pkg->by_key = arena_alloc(arena, sz)) == NULL)
		return -1;
	for (i = 0; i < pkg->nparts; i++)
		pkg->by_key[i] = &pkg->parts[i];
	qsort(pkg->by_key, pkg->nparts, sizeof(*pkg->by_key), cmp_key);
	for (i = 1; i < pkg->nparts; i++) {
		if (strcmp(pkg->by_key[i - 1]->key, pkg->by_key[i]->key) == 0) {
			malformed(r, pkg->by_key[i]->name,
			    "two zip entries name the same part");
			return 1;
		}
	}
	return 0;
}

/* Open the archive; 0, 1 (refused) or -1. */
static int
open_zip(struct ooxml_pkg *pkg, struct report *r, const unsigned char *in,
    size_t len)
{
	zip_source_t *src;
	zip_error_t ze;

	zip_error_init(&ze);
	src = zip_source_buffer_create(in, len, 0, &ze);
	if (src == NULL) {
		zip_error_fini(&ze);
		report_set_error(r, "ooxml: out of memory");
		return -1;
	}
	/* ZIP_CHECKCONS: local headers must agree with the central
	   directory, or two readers could see two different files. */
	pkg->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (pkg->za == NULL) {
		zip_source_free(src);
		if (zip_error_code_zip(&ze) == ZIP_ER_MEMORY) {
			zip_error_fini(&ze);
			report_set_error(r, "ooxml: out of memory");
			return -1;
		}
		malformed(r, NULL, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return 1;
	}
	zip_error_fini(&ze);
	return 0;
}

int
ooxml_pkg_open(struct ooxml_pkg *pkg, struct arena *arena,
    const struct limits *limits, struct report *r,
    const unsigned char *in, size_t len)
{
	zip_int64_t n;
	zip_uint64_t i;
	uint64_t total = 0;
	size_t sz;
	int rc;

	memset(pkg, 0, sizeof(*pkg));
	if ((rc = open_zip(pkg, r, in, len)) != 0)
		return rc;
	n = zip_get_num_entries(pkg->za, 0);
	if (n <= 0) {
		malformed(r, NULL, "empty zip archive");
		return 1;
	}
	if ((uint64_t)n > limits->archive_entries) {
		report_add(r, "limit.archive_entries", FINDING_BLOCKED, NULL,
		    "%lld entries", (long long)n);
		return 1;
	}
	if (size_mul((size_t)n, sizeof(*pkg->parts), &sz) < 0 ||
	    (pkg->parts = arena_alloc(arena, sz)) == NULL)
		goto nomem;
	for (i = 0; i < (zip_uint64_t)n; i++) {
		if ((rc = add_entry(pkg, arena, r, i, &total)) != 0) {
			if (rc < 0)
				goto nomem;
			return 1;
		}
	}
	if (check_totals(limits, r, total, len) != 0)
		return 1;
	if ((rc = index_parts(pkg, arena, r)) < 0)
		goto nomem;
	return rc;
nomem:
	report_set_error(r, "ooxml: out of memory");
	return -1;
}

struct ooxml_part *
ooxml_pkg_find(const struct ooxml_pkg *pkg, const char *key)
{
	size_t lo = 0, hi = pkg->nparts, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(key, pkg->by_key[mid]->key);
		if (c == 0)
			return pkg->by_key[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int
ooxml_pkg_read(struct ooxml_pkg *pkg, const struct ooxml_part *part,
    unsigned char **data_r)
{
	zip_file_t *zf;
	unsigned char *buf, extra;
	zip_uint64_t got = 0;
	zip_int64_t n;
	int rc = 1;

	if (part->size >= SIZE_MAX)
		return -1;
	buf = malloc((size_t)part->size + 1);
	if (buf == NULL)
		return -1;
	zf = zip_fopen_index(pkg->za, part->index, 0);
	if (zf == NULL) {
		free(buf);
		return 1;
	}
	while (got < part->size) {
		n = zip_fread(zf, buf + got, part->size - got);
		if (n <= 0)
			break;
		got += (zip_uint64_t)n;
	}
	/* One more read lets libzip reach the end of the stream and check
	   the CRC; any byte beyond the declared size is a lie. */
	if (got == part->size && zip_fread(zf, &extra, 1) == 0)
		rc = 0;
	if (zip_fclose(zf) != 0)
		rc = 1;
	if (rc != 0) {
		free(buf);
		return rc;
	}
	buf[got] = '\0';
	*data_r = buf;
	return 0;
}

/* Add one part to the output archive; 0 or -1. */
static int
write_part(struct ooxml_pkg *pkg, zip_t *oz, struct ooxml_part *p)
{
	zip_source_t *s;
	zip_int64_t idx;
	bool store;

	if (p->modified) {
		s = zip_source_buffer(oz, p->data, p->data_len, 1);
		store = false;
	} else {
		s = zip_source_zip(oz, pkg->za, p->index, ZIP_FL_COMPRESSED,
		    0, -1);
		store = p->method == ZIP_CM_STORE;
	}
	if (s == NULL)
		return -1;
	if (p->modified)
		p->data = NULL;	/* the source owns (and frees) it now */
	idx = zip_file_add(oz, p->name, s, ZIP_FL_ENC_GUESS);
	if (idx < 0) {
		zip_source_free(s);
		return -1;
	}
	/* A stored part stays stored (no deflate on images); everything
	   else keeps its compressed bytes or is deflated when rebuilt. */
	if (zip_set_file_compression(oz, (zip_uint64_t)idx,
	    store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) < 0)
		return -1;
	if (zip_file_set_mtime(oz, (zip_uint64_t)idx,
	    p->mtime != 0 ? p->mtime : DOS_EPOCH, 0) < 0)
		return -1;
	return 0;
}

/* libzip writes the output archive straight into the caller's buffer
   through this source: no second copy of a large document, and
   limits.output_size is enforced by the buffer's own maximum. libzip
   seeks back to patch local headers, so writes below the end overwrite
   in place. */
struct out_sink {
	struct buffer *out;
	size_t base;		/* out->used when the archive started */
	size_t pos;		/* write position, relative to base */
	bool full;		/* the buffer's maximum was hit */
	zip_error_t error;
};

static zip_int64_t
sink_write(struct out_sink *k, const unsigned char *data, zip_uint64_t len)
{
	size_t end = k->out->used - k->base, n;

	if (len > SIZE_MAX - k->pos) {
		zip_error_set(&k->error, ZIP_ER_WRITE, EFBIG);
		return -1;
	}
	/* the part that overwrites what is already there */
	n = k->pos < end ? end - k->pos : 0;
	if (n > len)
		n = (size_t)len;
	if (n > 0)
		memcpy(k->out->data + k->base + k->pos, data, n);
	if (n < len && buffer_append(k->out, data + n, (size_t)len - n) < 0) {
		k->full = errno == EFBIG;
		zip_error_set(&k->error, ZIP_ER_WRITE, errno);
		return -1;
	}
	k->pos += (size_t)len;
	return (zip_int64_t)len;
}

static zip_int64_t
sink_seek(struct out_sink *k, void *data, zip_uint64_t len)
{
	zip_int64_t pos = zip_source_seek_compute_offset(k->pos,
	    k->out->used - k->base, data, len, &k->error);

	if (pos < 0)
		return -1;
	k->pos = (size_t)pos;
	return 0;
}

static zip_int64_t
sink_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct out_sink *k = ud;
	zip_stat_t *st;

	switch (cmd) {
	case ZIP_SOURCE_BEGIN_WRITE:
		k->pos = 0;
		return 0;
	case ZIP_SOURCE_WRITE:
		return sink_write(k, data, len);
	case ZIP_SOURCE_SEEK_WRITE:
		return sink_seek(k, data, len);
	case ZIP_SOURCE_TELL_WRITE:
		return (zip_int64_t)k->pos;
	case ZIP_SOURCE_ROLLBACK_WRITE:
		/* forget the partial archive */
		k->out->used = k->base;
		if (k->out->data != NULL)
			k->out->data[k->base] = '\0';
		return 0;
	case ZIP_SOURCE_STAT:
		st = data;
		zip_stat_init(st);
		st->size = 0;	/* a new, empty archive */
		st->valid |= ZIP_STAT_SIZE;
		return sizeof(*st);
	case ZIP_SOURCE_COMMIT_WRITE:
	case ZIP_SOURCE_REMOVE:
	case ZIP_SOURCE_OPEN:
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_READ:
	case ZIP_SOURCE_SEEK:
	case ZIP_SOURCE_TELL:
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&k->error, data, len);
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_BEGIN_WRITE,
		    ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE,
		    ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_COMMIT_WRITE,
		    ZIP_SOURCE_ROLLBACK_WRITE, ZIP_SOURCE_REMOVE,
		    ZIP_SOURCE_STAT, ZIP_SOURCE_OPEN, ZIP_SOURCE_CLOSE,
		    ZIP_SOURCE_READ, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
		    ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SUPPORTS,
		    -1);
	default:
		zip_error_set(&k->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

int
ooxml_pkg_write(struct ooxml_pkg *pkg, struct ooxml_part *first,
    struct buffer *out, const char **err_r)
{
	struct out_sink sink;
	zip_source_t *src;
	zip_error_t ze;
	zip_t *oz;
	size_t i;
	int rc;

	*err_r = "out of memory";
	memset(&sink, 0, sizeof(sink));
	sink.out = out;
	sink.base = out->used;
	zip_error_init(&sink.error);
	zip_error_init(&ze);
	src = zip_source_function_create(sink_cb, &sink, &ze);
	oz = src != NULL ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) :
	    NULL;
	zip_error_fini(&ze);
	if (oz == NULL) {
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&sink.error);
		return -1;
	}
	rc = first != NULL ? write_part(pkg, oz, first) : 0;
	for (i = 0; rc == 0 && i < pkg->nparts; i++) {
		if (!pkg->parts[i].dropped && &pkg->parts[i] != first)
			rc = write_part(pkg, oz, &pkg->parts[i]);
	}
	if (rc == 0 && zip_close(oz) < 0) {
		*err_r = sink.full ? "output larger than limits.output_size" :
		    "cannot write output archive";
		rc = -1;
	}
	if (rc < 0) {
		zip_discard(oz);
		out->used = sink.base;
	}
	zip_error_fini(&sink.error);
	return rc;
}

void
ooxml_pkg_close(struct ooxml_pkg *pkg)
{
	size_t i;

	for (i = 0; i < pkg->nparts; i++) {
		free(pkg->parts[i].data);
		pkg->parts[i].data = NULL;
	}
	if (pkg->za != NULL)
		zip_discard(pkg->za);
	pkg->za = NULL;
}
