/*
 * fuzz-tnef - libFuzzer target for tnef_unpack and the LZFu decoder.
 *
 * The input goes to both: as a TNEF stream, and as one
 * PR_RTF_COMPRESSED value. Besides crashes it checks that file data
 * lies inside the input, names are strings, the count matches the list
 * and no decompressed RTF passes the limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tnef.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tnef_file *f;
	struct tnef_result res;
	const unsigned char *out;
	struct limits lim;
	struct arena *a;
	size_t out_len;
	unsigned n = 0;
	bool limit;
	int r;

	limits_init(&lim);
	lim.mime_parts = 16;
	lim.mime_depth = 3;
	lim.file_size = 1 << 20;
	if ((a = arena_create(64 << 20)) == NULL)
		return 0;
	if (tnef_unpack(a, &lim, data, size, &res) == 0) {
		for (f = res.files; f != NULL; f = f->next, n++) {
			if (f->name == NULL || strlen(f->name) > size * 2)
				abort();
			if ((f->data == NULL) != (f->len == 0))
				abort();
			if (f->data != NULL && (f->data < data ||
			    f->len > size || f->data + f->len > data + size))
				abort();
		}
		if (n != res.count || n > lim.mime_parts)
			abort();
		if (res.body_text != NULL)
			(void)strlen(res.body_text);
		if (res.body_rtf_len > lim.file_size ||
		    (res.body_rtf == NULL && res.body_rtf_len != 0))
			abort();
	}
	r = tnef_rtf_decompress(a, &lim, data, size, &out, &out_len, &limit);
	if (r == 0 && (out == NULL || out_len > lim.file_size))
		abort();
	if (r != 0 && out != NULL)
		abort();
	arena_destroy(a);
	return 0;
}
