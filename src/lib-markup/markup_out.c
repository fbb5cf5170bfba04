/*
 * markup_out - bounded, escaping writer for the markup sanitizers.
 */
#include <errno.h>
#include <string.h>

#include "markup_out.h"

void
markup_out_init(struct markup_out *o, struct buffer *buf, uint64_t max)
{
	o->buf = buf;
	o->max = max;
	o->status = MARKUP_OUT_OK;
}

void
markup_out_bytes(struct markup_out *o, const void *data, size_t len)
{
	if (o->buf == NULL || o->status != MARKUP_OUT_OK || len == 0)
		return;
	if (len > o->max || o->buf->used > o->max - len) {
		o->status = MARKUP_OUT_TOO_BIG;
		return;
	}
	if (buffer_append(o->buf, data, len) < 0)
		o->status =
		    errno == ENOMEM ? MARKUP_OUT_NOMEM : MARKUP_OUT_TOO_BIG;
}

void
markup_out_str(struct markup_out *o, const char *str)
{
	markup_out_bytes(o, str, strlen(str));
}

/* Entity for c, or NULL when c is written as it is. */
static const char *
markup_entity(unsigned char c, bool attr, bool xml)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return attr ? "&quot;" : NULL;
	case '\t':
		return attr && xml ? "&#9;" : NULL;
	case '\n':
		return attr && xml ? "&#10;" : NULL;
	case '\r':
		return xml ? "&#13;" : NULL;
	default:
		return NULL;
	}
}

/* Copy s, replacing the characters that need an entity in runs. */
static void
markup_out_escaped(struct markup_out *o, const char *s, bool attr, bool xml)
{
	const char *run = s, *ent;

	for (; *s != '\0'; s++) {
		if ((ent = markup_entity((unsigned char)*s, attr, xml)) == NULL)
			continue;
		markup_out_bytes(o, run, (size_t)(s - run));
		markup_out_str(o, ent);
		run = s + 1;
	}
	markup_out_bytes(o, run, (size_t)(s - run));
}

void
markup_out_text(struct markup_out *o, const char *text, bool xml)
{
	markup_out_escaped(o, text, false, xml);
}

void
markup_out_attr(
    struct markup_out *o, const char *name, const char *value, bool xml)
{
	markup_out_str(o, " ");
	markup_out_str(o, name);
	markup_out_str(o, "=\"");
	markup_out_escaped(o, value, true, xml);
	markup_out_str(o, "\"");
}

enum markup_out_status
markup_out_status(const struct markup_out *o)
{
	return o->status;
}
