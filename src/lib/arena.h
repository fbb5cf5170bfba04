/*
 * arena - per-job memory: many small allocations, one free.
 *
 * A job (one file, one mail) allocates its report, strings and small
 * tables from an arena and releases all of it with arena_destroy().
 * The arena has a hard maximum; past it arena_alloc() returns NULL.
 */
#ifndef SANSO_ARENA_H
#define SANSO_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Create an arena that will hand out at most max bytes in total.
   Returns NULL when memory runs out. */
struct arena *arena_create(size_t max);
/* Free every allocation of the arena and the arena itself. NULL is ok. */
void arena_destroy(struct arena *arena);
/* Zeroed, 16-byte aligned memory that lives until arena_destroy().
   Returns NULL past the arena's maximum or when memory runs out. */
void *arena_alloc(struct arena *arena, size_t size);
/* Copy of str (or of its first n bytes) in the arena; NULL on failure.
   A NULL str gives NULL. */
char *arena_strdup(struct arena *arena, const char *str);
char *arena_strndup(struct arena *arena, const char *str, size_t n);
/* Formatted string in the arena; NULL on failure. */
char *arena_printf(struct arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *arena, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Bytes handed out so far. */
size_t arena_used(const struct arena *arena);

#endif
