/*
 * gmem - see gmem.h.
 */
#include <stdlib.h>

#include "gmem.h"
#include "sizeops.h"

/* Allocator given to gumbo: over the budget or out of memory it jumps
   back to gmem_parse(), which owns every block through the list. */
static void *
gmem_alloc(void *userdata, size_t size)
{
	struct gmem *m = userdata;
	struct gmem_block *b;
	size_t total;

	if (size_add(size, GMEM_HDR, &total) < 0 || total > m->max - m->used)
		longjmp(m->fail, GMEM_OVER);
	if ((b = malloc(total)) == NULL)
		longjmp(m->fail, GMEM_NOMEM);
	b->size = total;
	b->prev = NULL;
	b->next = m->head;
	if (m->head != NULL)
		m->head->prev = b;
	m->head = b;
	m->used += total;
	return (unsigned char *)b + GMEM_HDR;
}

/* Deallocator given to gumbo: unlink and free one block. */
static void
gmem_free(void *userdata, void *ptr)
{
	struct gmem *m = userdata;
	struct gmem_block *b;

	if (ptr == NULL)
		return;
	b = (struct gmem_block *)(void *)((unsigned char *)ptr - GMEM_HDR);
	if (b->prev != NULL)
		b->prev->next = b->next;
	else
		m->head = b->next;
	if (b->next != NULL)
		b->next->prev = b->prev;
	m->used -= b->size;
	free(b);
}

/* Free whatever gumbo still holds: the whole tree, or the pieces of an
   abandoned parse. */
void
gmem_release(struct gmem *m)
{
	struct gmem_block *b, *next;

	for (b = m->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	m->head = NULL;
	m->used = 0;
}

/* Parse UTF-8 text; NULL with *fail_r set when gumbo ran out of room. */
GumboOutput *
gmem_parse(struct gmem *m, const char *text, size_t len,
    enum gmem_fail *fail_r)
{
	GumboOptions opts = kGumboDefaultOptions;
	int jumped;

	opts.allocator = gmem_alloc;
	opts.deallocator = gmem_free;
	opts.userdata = m;
	/* Parse errors are of no use here; do not let them pile up. */
	opts.max_errors = 0;
	*fail_r = GMEM_OK;
	if ((jumped = setjmp(m->fail)) != 0) {
		*fail_r = (enum gmem_fail)jumped;
		return NULL;
	}
	return gumbo_parse_with_options(&opts, text, len);
}
