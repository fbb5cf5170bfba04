/*
 * fuzz-textlinks - libFuzzer target for textlinks_rewrite() (and so
 * defang_url()).
 *
 * The first byte picks the link policy (keep, defang, remove, in turn);
 * the rest is the text. With defang and remove the output may hold no
 * link a mail client would follow (fuzz-mailtext-check.h); with remove
 * a second pass finds no URL at all; valid UTF-8 stays valid.
 */
#include <stdint.h>
#include <stdlib.h>

#include "defang.h"
#include "fuzz-mailtext-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum link_policy p;
	struct buffer out, out2;
	unsigned count = 0, count2 = 0;

	if (size < 1)
		return 0;
	p = (enum link_policy)(data[0] % 3);
	buffer_init(&out, 64 * 1024 * 1024);
	buffer_init(&out2, 64 * 1024 * 1024);
	if (textlinks_rewrite(
		(const char *)data + 1, size - 1, p, &out, &count) < 0)
		abort();
	if (p != LINKS_KEEP &&
	    live_link((const char *)out.data, out.used, p == LINKS_REMOVE) !=
		NULL)
		abort();
	if (fz_utf8(data + 1, size - 1) && !fz_utf8(out.data, out.used))
		abort();
	if (p == LINKS_REMOVE) {
		if (textlinks_rewrite((const char *)out.data, out.used, p,
			&out2, &count2) < 0 ||
		    count2 != 0)
			abort();
	}
	if (count == 0 && out.used != size - 1)
		abort();
	buffer_free(&out);
	buffer_free(&out2);
	return 0;
}
