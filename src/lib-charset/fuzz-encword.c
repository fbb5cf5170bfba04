/* fuzz-encword - both header decoders: the output must be valid UTF-8
   with no control character but TAB. */
#include <stdint.h>
#include <stdlib.h>

#include "encword.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct buffer *b)
{
	size_t i;

	if (!charset_is_utf8(b->data, b->used))
		abort();
	for (i = 0; i < b->used; i++)
		if ((b->data[i] < 0x20 && b->data[i] != '\t') ||
		    b->data[i] == 0x7F)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buffer out;
	struct charset_result res;

	charset_prewarm();
	buffer_init(&out, 8 * size + 64);
	if (encword_decode_text((const char *)data, size, &out, &res) == 0)
		check(&out);
	buffer_free(&out);
	buffer_init(&out, 8 * size + 64);
	if (encword_decode_phrase((const char *)data, size, &out, &res) == 0)
		check(&out);
	buffer_free(&out);
	(void)encword_count((const char *)data, size);
	return 0;
}
