/*
 * pdf_mem - see pdf_mem.h.
 */
#include <stdlib.h>
#include <string.h>

#include "pdf_mem.h"
#include "sizeops.h"

#define PDF_MEM_HDR	16	/* size header, keeps MuPDF's alignment */

static void *
pdf_mem_malloc(void *user, size_t size)
{
	struct pdf_mem *m = user;
	unsigned char *p;
	size_t total;

	if (size_add(size, PDF_MEM_HDR, &total) < 0 ||
	    total > m->cap - m->used) {
		/* A hostile file must not take the worker's memory. */
		m->hit = true;
		return NULL;
	}
	p = malloc(total);
	if (p == NULL)
		return NULL;
	memcpy(p, &size, sizeof(size));
	m->used += total;
	return p + PDF_MEM_HDR;
}

static void
pdf_mem_free(void *user, void *ptr)
{
	struct pdf_mem *m = user;
	unsigned char *p;
	size_t size;

	if (ptr == NULL)
		return;
	p = (unsigned char *)ptr - PDF_MEM_HDR;
	memcpy(&size, p, sizeof(size));
	m->used -= size + PDF_MEM_HDR;
	free(p);
}

static void *
pdf_mem_realloc(void *user, void *ptr, size_t size)
{
	struct pdf_mem *m = user;
	unsigned char *p, *np;
	size_t old, total;

	if (ptr == NULL)
		return pdf_mem_malloc(user, size);
	if (size == 0) {
		pdf_mem_free(user, ptr);
		return NULL;
	}
	p = (unsigned char *)ptr - PDF_MEM_HDR;
	memcpy(&old, p, sizeof(old));
	if (size_add(size, PDF_MEM_HDR, &total) < 0 ||
	    (size > old && size - old > m->cap - m->used)) {
		m->hit = true;
		return NULL;
	}
	np = realloc(p, total);
	if (np == NULL)
		return NULL;
	m->used = m->used - old + size;
	memcpy(np, &size, sizeof(size));
	return np + PDF_MEM_HDR;
}

static void
pdf_mem_quiet(void *user, const char *message)
{
}

fz_context *
pdf_mem_context(struct pdf_mem *m, size_t store_max,
    void (*warn)(void *user, const char *message), void *user)
{
	fz_alloc_context alloc = { m, pdf_mem_malloc, pdf_mem_realloc,
	    pdf_mem_free };
	fz_context *fz = fz_new_context(&alloc, NULL, store_max);

	if (fz == NULL)
		return NULL;
	fz_set_warning_callback(fz, warn != NULL ? warn : pdf_mem_quiet, user);
	fz_set_error_callback(fz, pdf_mem_quiet, NULL);
	return fz;
}
