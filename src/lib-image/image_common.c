/*
 * image_common - shared finding helpers of the image codec modules.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "image_common.h"
#include "sizeops.h"

/* Signatures worth naming in a trailing_data finding: what turns an
   image into a polyglot (GIFAR, JPEG+ZIP, PNG+PHP ...). at_start means
   the signature only counts as the first trailing bytes. */
static const struct {
	const char *magic;
	size_t len;
	bool at_start;
	const char *name;
} trailing_kinds[] = {
	{ "PK\x03\x04", 4, false, "zip archive" },
	{ "PK\x05\x06", 4, false, "zip archive" },
	{ "%PDF-", 5, false, "pdf" },
	{ "Rar!\x1a\x07", 6, false, "rar archive" },
	{ "7z\xbc\xaf\x27\x1c", 6, false, "7z archive" },
	{ "<?php", 5, false, "php script" },
	{ "<script", 7, false, "html script" },
	{ "<SCRIPT", 7, false, "html script" },
	{ "MZ", 2, true, "windows executable" },
	{ "\x7f" "ELF", 4, true, "elf executable" },
};

static bool
has_finding(const struct report *r, const char *code, const char *location)
{
	const struct report_finding *f;

	for (f = r->findings; f != NULL; f = f->next) {
		if (strcmp(f->code, code) == 0 && f->location != NULL &&
		    strcmp(f->location, location) == 0)
			return true;
	}
	return false;
}

void
image_metadata(struct image_job *job, const char *location,
    const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	if (has_finding(job->r, "image.metadata", location))
		return;
	if (fmt == NULL) {
		report_add(job->r, "image.metadata", FINDING_REMOVED, location,
		    NULL);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	report_add(job->r, "image.metadata", FINDING_REMOVED, location, "%s",
	    detail);
}

/* Name of the first known signature in the trailing bytes, or NULL. */
static const char *
trailing_kind(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(trailing_kinds) / sizeof(trailing_kinds[0]);
	    i++) {
		if (n < trailing_kinds[i].len)
			continue;
		if (trailing_kinds[i].at_start) {
			if (memcmp(p, trailing_kinds[i].magic,
			    trailing_kinds[i].len) == 0)
				return trailing_kinds[i].name;
		} else if (memmem(p, n, trailing_kinds[i].magic,
		    trailing_kinds[i].len) != NULL)
			return trailing_kinds[i].name;
	}
	return NULL;
}

void
image_trailing(struct image_job *job, const char *after, size_t end)
{
	size_t n = job->len - end;
	const char *kind = trailing_kind(job->in + end, n);

	report_add(job->r, "image.trailing_data", FINDING_REMOVED, after,
	    "%zu bytes after %s at offset %zu%s%s%s", n, after, end,
	    kind != NULL ? " (" : "", kind != NULL ? kind : "",
	    kind != NULL ? ")" : "");
}

int
image_malformed(struct image_job *job, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	report_add(job->r, "image.malformed", FINDING_BLOCKED, NULL, "%s",
	    detail);
	return 0;
}

int
image_unsupported(struct image_job *job, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	report_add(job->r, "type.unsupported", FINDING_BLOCKED, NULL, "%s",
	    detail);
	return 0;
}

bool
image_pixels_ok(struct image_job *job, uint64_t width, uint64_t height)
{
	size_t pixels;

	/* Headers give at most 2^32 x 2^32; on a 64-bit size_t the
	   product can still overflow, which is simply "too large". */
	if (width <= SIZE_MAX && height <= SIZE_MAX &&
	    size_mul((size_t)width, (size_t)height, &pixels) == 0 &&
	    pixels <= job->ctx->limits->image_pixels)
		return true;
	report_add(job->r, "limit.image_pixels", FINDING_BLOCKED, NULL,
	    "%llux%llu pixels, limit %llu", (unsigned long long)width,
	    (unsigned long long)height,
	    (unsigned long long)job->ctx->limits->image_pixels);
	return false;
}

int
image_internal(struct image_job *job, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report_set_error(job->r, "%s", msg);
	return -1;
}

char *
image_name(char *dst, const unsigned char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[n] = '\0';
	return dst;
}
