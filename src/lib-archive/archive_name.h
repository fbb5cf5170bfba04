/*
 * archive_name - judging and rewriting archive member names.
 *
 * Member names are written by the attacker and read by every extractor
 * in its own way: Windows turns '\' and best-fit look-alikes (U+FF0F,
 * U+00A5 in CP932) into separators, drops trailing dots and spaces,
 * opens devices for CON or NUL and alternate data streams for "a:b".
 * This module decides, from the name alone, whether a member would land
 * outside the extraction folder, and rewrites the names it keeps into a
 * form that every extractor reads the same way (UTF-8, '/' separators,
 * no reserved characters). All strings are allocated from the arena.
 */
#ifndef SANSO_ARCHIVE_NAME_H
#define SANSO_ARCHIVE_NAME_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* Longest rewritten member name kept; a longer one is dropped (with a
   finding) rather than cut, so two names never collapse into one. */
#define ARCHIVE_NAME_MAX 4096

enum archive_name_kind {
	ARCHIVE_NAME_OK,
	ARCHIVE_NAME_TRAVERSAL,	/* a ".." component, even encoded */
	ARCHIVE_NAME_ABSOLUTE,	/* /x, \x, C:x, \\server\x */
};

/* Converts raw name bytes to UTF-8; see archive_name_utf8(). */
struct archive_name_conv;

/* Load the CP932 converter while files can still be opened (glibc
   reads it from disk; the worker's sandbox cannot). Called once at
   program start by archive_cdr; harmless to call again. */
void archive_name_preload(void);

/* Start / end a conversion context (holds an iconv descriptor that is
   opened on first need). Returns NULL when the arena is exhausted. */
struct archive_name_conv *archive_name_conv_new(struct arena *arena);
void archive_name_conv_free(struct archive_name_conv *conv);

/* The name as UTF-8: kept when it already is valid UTF-8, else read as
   CP932 (Japanese Windows archivers write that without saying so),
   else each byte that is not valid is written as %XX. NULL only when
   the arena is exhausted. */
char *archive_name_utf8(struct archive_name_conv *conv, const char *raw);

/* Whether the UTF-8 name would be extracted outside the root. Checks
   the name as it is and after %XX / %uXXXX decoding, with look-alike
   dots and slashes (fullwidth, yen sign, overlong UTF-8) read as the
   ASCII characters they become under Windows best-fit conversion.
   Returns 0 with *kind_r set, or -1 when memory runs out. */
int archive_name_classify(const char *name, enum archive_name_kind *kind_r);

/* The name to store in the rebuilt archive: '/' separators, no empty or
   "." components, control and Windows-reserved characters and bidi
   controls replaced by '_', trailing dots and spaces of each component
   dropped, device names (CON, NUL, COM1, ...) prefixed with '_'; a
   trailing '/' when is_dir. *changed_r tells whether anything beyond
   separators and "." components changed. Returns "" when nothing is
   left (the root itself); NULL when the arena is exhausted.
   Only meaningful for a name that archive_name_classify() passed. */
char *archive_name_rewrite(struct arena *arena, const char *name,
    bool is_dir, bool *changed_r);

/* name with the extension of its last component replaced by ext (or
   ext appended when it has none). NULL when the arena is exhausted. */
char *archive_name_with_ext(struct arena *arena, const char *name,
    const char *ext);

/* Set of names as extractors compare them (ASCII case folded, no
   trailing '/'), to find members that would overwrite each other. */
struct archive_name_set;

struct archive_name_set *archive_name_set_new(struct arena *arena);
/* Add name. Returns 1 when added, 0 when an equal name is already in
   the set, -1 when the arena is exhausted. */
int archive_name_set_add(struct archive_name_set *set, const char *name);

#endif
