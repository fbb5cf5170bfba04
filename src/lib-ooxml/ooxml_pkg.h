/*
 * ooxml_pkg - the zip level of an OPC package: open and vet the archive,
 * index its parts, read one part, write the rebuilt package.
 *
 * Opening refuses (as ooxml.malformed or limit.archive_*) everything a
 * reader could see differently from us: inconsistent local/central
 * headers, duplicate names (compared the way OPC does: case-insensitive,
 * percent-decoded), names that climb out (..) or are absolute, encrypted
 * entries and compression methods Office does not read.
 *
 * Parts are found by key: the name percent-decoded, '\' read as '/',
 * ASCII lower-cased. Part structures live in the job's arena; rebuilt
 * part data is malloc'd and owned by the part until ooxml_pkg_close().
 */
#ifndef SANSO_OOXML_PKG_H
#define SANSO_OOXML_PKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <zip.h>

#include "arena.h"
#include "buffer.h"
#include "sanso_limits.h"
#include "report.h"

/* Why a part is dangerous; it decides the finding code. */
enum ooxml_kind {
	OOXML_KIND_NONE,
	OOXML_KIND_VBA,		/* ooxml.vba */
	OOXML_KIND_ACTIVEX,	/* ooxml.activex */
	OOXML_KIND_OLE,		/* ooxml.ole_object */
	OOXML_KIND_EXTLINK,	/* ooxml.external_link (or .dde) */
	OOXML_KIND_XLM,		/* ooxml.xlm */
	OOXML_KIND_CUSTOMUI,	/* ooxml.custom_ui: ribbon, add-ins */
	OOXML_KIND_DATACONN,	/* ooxml.external_link: data connections */
};

struct ooxml_rels;

struct ooxml_part {
	const char *name;	/* entry name, raw bytes as stored */
	const char *key;	/* lookup key (see above) */
	zip_uint64_t index;	/* in the input archive */
	uint64_t size;		/* declared uncompressed size */
	uint16_t method;	/* ZIP_CM_STORE or ZIP_CM_DEFLATE */
	time_t mtime;
	const char *ctype;	/* content type, NULL when none applies */
	enum ooxml_kind kind;
	bool is_rels;		/* a relationships part (…/_rels/….rels) */
	bool reached;		/* reachable from the package root */
	bool dropped;		/* left out of the output */
	bool modified;		/* data holds the rebuilt content */
	unsigned char *data;	/* malloc'd rebuilt content when modified */
	size_t data_len;
	struct ooxml_rels *rels; /* relationships whose source is this part */
	struct ooxml_part *rels_of; /* for a .rels part: its source part */
};

struct ooxml_pkg {
	zip_t *za;
	struct ooxml_part *parts;	/* in archive order */
	size_t nparts;
	struct ooxml_part **by_key;	/* sorted by key */
};

/* Open the len bytes of in (which must outlive pkg) and index the parts.
   Returns 0, 1 when the package is refused (a blocked finding was added
   to r), or -1 on internal failure (r's error set). */
int ooxml_pkg_open(struct ooxml_pkg *pkg, struct arena *arena,
    const struct limits *limits, struct report *r,
    const unsigned char *in, size_t len);
/* The part with this key, or NULL. */
struct ooxml_part *ooxml_pkg_find(const struct ooxml_pkg *pkg,
    const char *key);
/* Decompress a part into a malloc'd buffer of part->size bytes (plus a
   NUL) owned by the caller. Returns 0, 1 when the data is corrupt (bad
   deflate stream, size or CRC), -1 when memory runs out. */
int ooxml_pkg_read(struct ooxml_pkg *pkg, const struct ooxml_part *part,
    unsigned char **data_r);
/* Build the output package: first (may be NULL), then every part that
   is not dropped in archive order; modified parts from their data
   (deflated), the others copied compressed as they are. Appends the zip
   to out. Returns 0, or -1 with a reason in *err_r. */
int ooxml_pkg_write(struct ooxml_pkg *pkg, struct ooxml_part *first,
    struct buffer *out, const char **err_r);
/* Release the archive and every part's data. */
void ooxml_pkg_close(struct ooxml_pkg *pkg);

/* The lookup key of len bytes of a name or a resolved URI path (see the
   header comment), in arena; NULL on exhaustion. */
char *ooxml_key(struct arena *arena, const char *name, size_t len);
/* The same into dst, which must hold len + 1 bytes (dst may be name). */
void ooxml_key_write(char *dst, const char *name, size_t len);

#endif
