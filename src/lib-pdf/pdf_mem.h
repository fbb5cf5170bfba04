/*
 * pdf_mem - a MuPDF context that cannot take the worker's memory and
 * never prints: every block carries its size in a header and counts
 * against a cap (a hostile file gets NULL, MuPDF throws, the caller
 * sees hit), and warnings and errors go to a callback or nowhere.
 * Shared by the PDF rebuild (pdf_cdr) and the outbound rules, which
 * read PDF Info.
 */
#ifndef SANSO_PDF_MEM_H
#define SANSO_PDF_MEM_H

#include <stdbool.h>
#include <stddef.h>

#include <mupdf/fitz.h>

struct pdf_mem {
	size_t cap;	/* bytes MuPDF may hold at once */
	size_t used;
	bool hit;	/* an allocation was refused for the cap */
};

/* A new context over m (which must outlive it) with a resource store
   of store_max bytes; warn (may be NULL) gets MuPDF's warnings with
   user; its error messages are dropped (errors are thrown and caught
   anyway). NULL when not even the context fits. */
fz_context *pdf_mem_context(struct pdf_mem *m, size_t store_max,
    void (*warn)(void *user, const char *message), void *user);

#endif
