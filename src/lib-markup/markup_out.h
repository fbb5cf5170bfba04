/*
 * markup_out - the writer both markup sanitizers rebuild their output with.
 *
 * It appends to the caller's buffer, escapes text and attribute values
 * for HTML or XML, and enforces limits->output_size. In inspect mode it
 * is given no buffer and writes nothing, so the walkers need no second
 * code path. Errors are sticky: after the first one every call is a
 * no-op and markup_out_status() tells what happened.
 */
#ifndef SANSO_MARKUP_OUT_H
#define SANSO_MARKUP_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buffer.h"

enum markup_out_status {
	MARKUP_OUT_OK,
	MARKUP_OUT_TOO_BIG, /* over the output_size limit or buffer max */
	MARKUP_OUT_NOMEM,
};

struct markup_out {
	struct buffer *buf; /* NULL: count nothing, write nothing */
	uint64_t max; /* limits->output_size */
	enum markup_out_status status;
};

/* Write to buf (may be NULL), never past max bytes in buf. */
void markup_out_init(struct markup_out *o, struct buffer *buf, uint64_t max);
void markup_out_bytes(struct markup_out *o, const void *data, size_t len);
void markup_out_str(struct markup_out *o, const char *str);
/* Text content: & < > escaped; xml also escapes CR so it survives
   end-of-line normalisation. */
void markup_out_text(struct markup_out *o, const char *text, bool xml);
/* " name=\"value\"" with & < > " escaped; xml also escapes TAB, LF and
   CR, which attribute-value normalisation would otherwise turn into
   spaces on the next read. */
void markup_out_attr(
    struct markup_out *o, const char *name, const char *value, bool xml);
enum markup_out_status markup_out_status(const struct markup_out *o);

#endif
