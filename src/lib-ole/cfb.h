/*
 * cfb - a strict reader and a rebuilding writer for Compound File Binary
 * (OLE2) containers [MS-CFB], the envelope of .doc, .xls, .ppt, .msg and
 * encrypted OOXML.
 *
 * The reader trusts nothing: every sector index is range checked, every
 * sector may belong to one chain only (which also catches FAT, DIFAT and
 * mini FAT loops and cross-linked chains), the directory tree is walked
 * without recursion and each entry may be reached once (red-black tree
 * cycles), and two siblings may not share a name (an attacker could
 * otherwise show a scanner one "WordDocument" and Word another). All
 * stream chains are checked when the file is opened, so reading a
 * stream afterwards cannot fail on structure.
 *
 * The writer rebuilds a fresh version 3 file (512-byte sectors) from an
 * opened one, keeping only the entries the caller marks, with their
 * names, CLSIDs, state bits, times and bytes unchanged.
 *
 * Memory: tables live in the arena given to cfb_open(); stream bytes go
 * to caller-owned buffers.
 */
#ifndef SANSO_CFB_H
#define SANSO_CFB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buffer.h"

#define CFB_NOSTREAM	0xffffffffu
#define CFB_NAME_MAX	31	/* UTF-16 code units, without the NUL */

enum cfb_entry_type {
	CFB_UNUSED = 0,
	CFB_STORAGE = 1,
	CFB_STREAM = 2,
	CFB_ROOT = 5,
};

struct cfb_entry {
	uint16_t name[CFB_NAME_MAX + 1];	/* UTF-16, NUL-terminated */
	unsigned name_len;			/* code units, without NUL */
	uint8_t type;				/* enum cfb_entry_type */
	uint8_t color;
	uint32_t left, right, child;
	unsigned char clsid[16];
	uint32_t state;
	unsigned char times[16];		/* creation, modification */
	uint32_t start;
	uint64_t size;
	/* Filled by the tree walk: */
	bool reachable;
	uint32_t parent;			/* CFB_NOSTREAM for the root */
	unsigned depth;				/* 0 for the root */
};

struct cfb {
	struct arena *arena;
	const unsigned char *data;
	size_t len;
	unsigned major;			/* 3 or 4 */
	size_t sector_size;		/* 512 or 4096 */
	uint32_t nsect;			/* sectors present in the file */
	uint32_t *fat;			/* nsect entries */
	uint32_t *minifat;		/* nmini entries */
	uint32_t nmini;			/* mini sectors in the mini stream */
	uint32_t *mini_chain;		/* sectors holding the mini stream */
	uint32_t nmini_chain;
	struct cfb_entry *entries;	/* entries[0] is the root */
	uint32_t nentries;
	uint32_t *order;		/* reachable ids, parents first */
	uint32_t norder;
};

/* Parse and check the whole structure of len bytes at data (which must
   outlive cfb). Returns 1 when the file is a well-formed compound file,
   0 when it is malformed (*error_r says why, static text), -1 when the
   arena ran out. */
int cfb_open(struct cfb *cfb, struct arena *arena, const unsigned char *data,
    size_t len, const char **error_r);

/* Append the bytes of stream entry id to out. Returns 0, or -1 when out
   is full (its maximum) or memory runs out. */
int cfb_read_stream(const struct cfb *cfb, uint32_t id, struct buffer *out);

/* The reachable child of storage parent called name (ASCII, compared the
   way CFB does: case-insensitively), or CFB_NOSTREAM. */
uint32_t cfb_find(const struct cfb *cfb, uint32_t parent, const char *name);

/* True when entry id's name equals the ASCII name under CFB's
   case-insensitive comparison. */
bool cfb_name_is(const struct cfb_entry *e, const char *name);
/* True when entry id's name starts with the ASCII prefix (same rule). */
bool cfb_name_has_prefix(const struct cfb_entry *e, const char *prefix);

/* Printable path of entry id ("ObjectPool/_123/\x01Ole10Native") in the
   arena; deep paths keep their last components behind ".../". NULL when
   the arena ran out. */
char *cfb_path(const struct cfb *cfb, uint32_t id);

/* Rebuild cfb into out as a version 3 compound file holding the root
   and every reachable entry whose keep[id] is true (an entry whose
   parent is dropped is dropped too). Returns 0, or -1 when out is full
   or memory runs out. */
int cfb_write(const struct cfb *cfb, const bool *keep, struct buffer *out);

#endif
