/*
 * gmem - a bounded allocator for gumbo, and a parse that cannot run
 * away. gumbo 0.10 has no memory limit and aborts on allocation
 * failure; with this allocator every block is counted against a
 * budget and linked, so going over it (or running out of memory)
 * jumps back out of the parser and one pass frees what it had made.
 * Shared by the HTML sanitizer (html_clean) and the mail HTML-to-text
 * converter (lib-mailtext).
 */
#ifndef SANSO_GMEM_H
#define SANSO_GMEM_H

#include <setjmp.h>
#include <stddef.h>

#include <gumbo.h>

enum gmem_fail {
	GMEM_OK,
	GMEM_OVER, /* the tree outgrew its budget */
	GMEM_NOMEM,
};

/* Every gumbo allocation, linked so that one pass frees them all. */
struct gmem_block {
	struct gmem_block *prev, *next;
	size_t size;
};

#define GMEM_HDR ((sizeof(struct gmem_block) + 15) & ~(size_t)15)

struct gmem {
	struct gmem_block *head;
	size_t used, max;
	jmp_buf fail;
};

/* Parse len bytes of UTF-8 with m (m->max set, the rest zero). Returns
   the document, or NULL with *fail_r set when gumbo went over m->max
   or out of memory. Either way gmem_release() frees everything. */
GumboOutput *gmem_parse(struct gmem *m, const char *text, size_t len,
    enum gmem_fail *fail_r);
/* Free every block of m (the document too), even of an abandoned
   parse. */
void gmem_release(struct gmem *m);

#endif
