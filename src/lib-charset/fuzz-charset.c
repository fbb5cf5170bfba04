/* fuzz-charset - decode under a label picked by the first byte; the
   output must be valid UTF-8, and what the ISO-2022-JP encoder accepts
   must decode cleanly and encode again to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const labels[] = {
	NULL, "", "utf-8", "us-ascii", "iso-2022-jp", "shift_jis", "euc-jp",
	"iso-8859-1", "windows-1252", "koi8-r", "gb2312", "big5", "euc-kr",
	"utf-16", "utf-16le", "utf-16be", "utf-32", "utf-7", "iso-2022-kr",
	"windows-1258", "unknown-8bit", "x-sjis", "cp50221", "iso-2022-jp-2",
	"euc-jisx0213", "shift_jisx0213", "nonsense", "iso-8859-7",
	"windows-874", "macintosh", "\"Shift_JIS\"", "iso-2022-jp*ja",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buffer out, jp, back, again;
	struct charset_result res;
	const char *label;
	int r;

	if (size < 1)
		return 0;
	charset_prewarm();
	label = labels[data[0] % (sizeof(labels) / sizeof(labels[0]))];
	data++;
	size--;
	buffer_init(&out, 8 * size + 64);
	if (charset_to_utf8(label, data, size, &out, &res) == 0) {
		if (res.used == NULL ||
		    !charset_is_utf8(out.data, out.used))
			abort();
		buffer_init(&jp, 8 * out.used + 64);
		r = charset_utf8_to_iso2022jp((const char *)out.data,
		    out.used, &jp);
		if (r == 0) {
			buffer_init(&back, 8 * jp.used + 64);
			buffer_init(&again, 8 * jp.used + 64);
			if (charset_to_utf8("iso-2022-jp", jp.data, jp.used,
			    &back, &res) != 0 || res.invalid ||
			    charset_utf8_to_iso2022jp((const char *)back.data,
			    back.used, &again) != 0 || again.used != jp.used ||
			    (jp.used > 0 &&
			    memcmp(again.data, jp.data, jp.used) != 0))
				abort();
			buffer_free(&back);
			buffer_free(&again);
		}
		buffer_free(&jp);
	}
	buffer_free(&out);
	(void)charset_guess(data, size);
	return 0;
}
