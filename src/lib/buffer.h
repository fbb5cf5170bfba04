/*
 * buffer - growable byte buffer with a hard maximum (after curl's dynbuf).
 *
 * Every buffer is created with a maximum size; appending past it fails
 * instead of growing, so no parser can be made to allocate without bound.
 * Memory is malloc-backed and owned by the buffer until buffer_free().
 */
#ifndef SANSO_BUFFER_H
#define SANSO_BUFFER_H

#include <stdarg.h>
#include <stddef.h>

struct buffer {
	unsigned char *data;	/* NUL-terminated after every append */
	size_t used;
	size_t alloc;
	size_t max;		/* hard limit on used */
};

/* Prepare an empty buffer that will never hold more than max bytes. */
void buffer_init(struct buffer *buf, size_t max);
/* Release the memory; the buffer is empty (and reusable) afterwards. */
void buffer_free(struct buffer *buf);
/* Forget the content but keep the allocation. */
void buffer_reset(struct buffer *buf);
/* Make room for len more bytes without changing the content, so that a
   caller who knows the final size avoids repeated growth. Same returns
   as buffer_append(). */
int buffer_reserve(struct buffer *buf, size_t len);
/* Append len bytes. Returns 0, or -1 (nothing appended) when the
   result would exceed max or memory runs out; errno is EFBIG/ENOMEM. */
int buffer_append(struct buffer *buf, const void *data, size_t len);
/* Append a NUL-terminated string; same returns as buffer_append(). */
int buffer_append_str(struct buffer *buf, const char *str);
/* Append formatted text; same returns as buffer_append(). */
int buffer_printf(struct buffer *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buffer_vprintf(struct buffer *buf, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Hand the data to the caller (who must free() it) and empty the buffer. */
unsigned char *buffer_steal(struct buffer *buf, size_t *len_r);

#endif
