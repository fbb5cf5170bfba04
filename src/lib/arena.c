/*
 * arena - per-job memory: chunks of malloc'd memory freed together.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "sizeops.h"

#define ARENA_CHUNK_SIZE (64 * 1024)
#define ARENA_ALIGN 16

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

_Static_assert(offsetof(struct arena_chunk, data) % ARENA_ALIGN == 0,
    "arena chunk data must be aligned");

struct arena {
	struct arena_chunk *chunks;
	size_t max;
	size_t total;
};

struct arena *
arena_create(size_t max)
{
	struct arena *arena = calloc(1, sizeof(*arena));

	if (arena != NULL)
		arena->max = max;
	return arena;
}

void
arena_destroy(struct arena *arena)
{
	struct arena_chunk *c, *next;

	if (arena == NULL)
		return;
	for (c = arena->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(arena);
}

void *
arena_alloc(struct arena *arena, size_t size)
{
	struct arena_chunk *c = arena->chunks;
	size_t asize, csize, total;
	void *p;

	if (size_add(size, ARENA_ALIGN - 1, &asize) < 0)
		return NULL;
	asize &= ~(size_t)(ARENA_ALIGN - 1);
	if (asize == 0)
		asize = ARENA_ALIGN;
	if (size_add(arena->total, asize, &total) < 0 || total > arena->max)
		return NULL;
	if (c == NULL || c->size - c->used < asize) {
		csize = asize > ARENA_CHUNK_SIZE ? asize : ARENA_CHUNK_SIZE;
		c = malloc(sizeof(*c) + csize);
		if (c == NULL)
			return NULL;
		c->size = csize;
		c->used = 0;
		/* A big one-off allocation goes behind the current chunk so
		   the current chunk's free space is not wasted. */
		if (arena->chunks != NULL && asize > ARENA_CHUNK_SIZE) {
			c->next = arena->chunks->next;
			arena->chunks->next = c;
		} else {
			c->next = arena->chunks;
			arena->chunks = c;
		}
	}
	p = c->data + c->used;
	c->used += asize;
	arena->total = total;
	memset(p, 0, asize);
	return p;
}

char *
arena_strndup(struct arena *arena, const char *str, size_t n)
{
	char *p;
	size_t len;

	if (str == NULL)
		return NULL;
	len = strnlen(str, n);
	if (len == SIZE_MAX)
		return NULL;
	p = arena_alloc(arena, len + 1);
	if (p != NULL)
		memcpy(p, str, len);
	return p;
}

char *
arena_strdup(struct arena *arena, const char *str)
{
	return arena_strndup(arena, str, SIZE_MAX - 1);
}

char *
arena_vprintf(struct arena *arena, const char *fmt, va_list ap)
{
	va_list ap2;
	char *p;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	p = arena_alloc(arena, (size_t)n + 1);
	if (p != NULL)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *arena, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(arena, fmt, ap);
	va_end(ap);
	return p;
}

size_t
arena_used(const struct arena *arena)
{
	return arena->total;
}
