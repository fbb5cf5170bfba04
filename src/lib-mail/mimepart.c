/*
 * mimepart - see mimepart.h.
 */
#include <string.h>

#include "mimepart.h"

int
mimepart_bytes(struct arena *arena, GMimePart *part,
    const unsigned char **data_r, size_t *len_r)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *ms;
	GByteArray *ba;
	unsigned char *copy;
	int ret = 0;

	*data_r = (const unsigned char *)"";
	*len_r = 0;
	if (dw == NULL)
		return 0;
	ms = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(dw, ms) < 0) {
		g_object_unref(ms);
		return 1;
	}
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
	if (ba->len > 0) {
		copy = arena_alloc(arena, ba->len + 1);
		if (copy == NULL)
			ret = -1;
		else {
			memcpy(copy, ba->data, ba->len);
			copy[ba->len] = '\0';
			*data_r = copy;
			*len_r = ba->len;
		}
	}
	g_object_unref(ms);
	return ret;
}
