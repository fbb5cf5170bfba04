/*
 * zipdir - cross-check of a zip's central directory against its local
 * file headers, before libarchive reads it.
 *
 * A zip names each member twice: in the central directory (what
 * Windows Explorer, 7-Zip and Info-ZIP list and extract) and in the
 * local header before the data (what streaming readers, and libarchive
 * even in seekable mode, use). A file whose two names differ, or whose
 * members share bytes (the overlapping-entries zip bomb), is built to
 * show different things to different readers; there is no benign
 * producer of either. This module walks both directories with every
 * offset bounds-checked and says whether they agree, so the archive
 * module can refuse such files instead of picking one story.
 */
#ifndef SANSO_ZIPDIR_H
#define SANSO_ZIPDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct zipdir_info {
	uint64_t entries;	/* entries the end record announces */
	bool encrypted;		/* some entry has the encryption flag */
	const char *problem;	/* why the zip is refused; NULL when fine */
	char *cd_name;		/* for a name mismatch: the two names */
	char *local_name;	/*   (arena copies, raw bytes), else NULL */
};

/*
 * Check the zip of len bytes at in. When the end record announces more
 * than max_entries entries, only info->entries is filled (the caller
 * raises its limit without walking a directory it will not accept).
 * Returns 0 with info filled (info->problem says whether the zip is
 * unreadable or inconsistent), -1 when the arena is exhausted.
 */
int zipdir_check(struct arena *arena, const unsigned char *in, size_t len,
    uint64_t max_entries, struct zipdir_info *info);

#endif
