/*
 * buffer - growable byte buffer with a hard maximum.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "sizeops.h"

void
buffer_init(struct buffer *buf, size_t max)
{
	buf->data = NULL;
	buf->used = 0;
	buf->alloc = 0;
	buf->max = max;
}

void
buffer_free(struct buffer *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->used = 0;
	buf->alloc = 0;
}

void
buffer_reset(struct buffer *buf)
{
	buf->used = 0;
	if (buf->data != NULL)
		buf->data[0] = '\0';
}

/* Make room for len more bytes plus the terminating NUL. */
int
buffer_reserve(struct buffer *buf, size_t len)
{
	size_t need, nalloc;
	unsigned char *p;

	if (size_add(buf->used, len, &need) < 0 || need > buf->max) {
		errno = EFBIG;
		return -1;
	}
	if (need + 1 <= buf->alloc)
		return 0;
	nalloc = buf->alloc < 256 ? 256 : buf->alloc;
	while (nalloc < need + 1) {
		if (size_mul(nalloc, 2, &nalloc) < 0) {
			nalloc = need + 1;
			break;
		}
	}
	/* Never allocate far past the cap: a buffer limited to max bytes
	   needs at most max + 1. */
	if (nalloc > buf->max + 1)
		nalloc = buf->max + 1;
	p = realloc(buf->data, nalloc);
	if (p == NULL) {
		errno = ENOMEM;
		return -1;
	}
	buf->data = p;
	buf->alloc = nalloc;
	return 0;
}

int
buffer_append(struct buffer *buf, const void *data, size_t len)
{
	if (buffer_reserve(buf, len) < 0)
		return -1;
	if (len > 0)
		memcpy(buf->data + buf->used, data, len);
	buf->used += len;
	buf->data[buf->used] = '\0';
	return 0;
}

int
buffer_append_str(struct buffer *buf, const char *str)
{
	return buffer_append(buf, str, strlen(str));
}

int
buffer_vprintf(struct buffer *buf, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -1;
	if (buffer_reserve(buf, (size_t)n) < 0)
		return -1;
	vsnprintf((char *)buf->data + buf->used, (size_t)n + 1, fmt, ap);
	buf->used += (size_t)n;
	return 0;
}

int
buffer_printf(struct buffer *buf, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = buffer_vprintf(buf, fmt, ap);
	va_end(ap);
	return ret;
}

unsigned char *
buffer_steal(struct buffer *buf, size_t *len_r)
{
	unsigned char *p = buf->data;

	if (len_r != NULL)
		*len_r = buf->used;
	buf->data = NULL;
	buf->used = 0;
	buf->alloc = 0;
	return p;
}
