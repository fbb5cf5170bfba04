/*
 * json - string escaping with UTF-8 validation.
 */
#include <stdint.h>
#include <string.h>

#include "json.h"

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
static size_t
utf8_seq_len(const unsigned char *p, size_t left)
{
	uint32_t cp;
	size_t n, i;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = p[0] & 0x07;
	} else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int
json_append_stringn(struct buffer *out, const char *str, size_t len)
{
	const unsigned char *p = (const unsigned char *)str;
	size_t i = 0, n;

	if (str == NULL)
		return buffer_append_str(out, "null");
	if (buffer_append(out, "\"", 1) < 0)
		return -1;
	while (i < len) {
		unsigned char c = p[i];
		int ret;

		if (c == '"')
			ret = buffer_append(out, "\\\"", 2);
		else if (c == '\\')
			ret = buffer_append(out, "\\\\", 2);
		else if (c == '\n')
			ret = buffer_append(out, "\\n", 2);
		else if (c == '\r')
			ret = buffer_append(out, "\\r", 2);
		else if (c == '\t')
			ret = buffer_append(out, "\\t", 2);
		else if (c < 0x20 || c == 0x7f)
			ret = buffer_printf(out, "\\u%04x", c);
		else if (c < 0x80)
			ret = buffer_append(out, &c, 1);
		else if ((n = utf8_seq_len(p + i, len - i)) == 0)
			ret = buffer_append(out, "\xef\xbf\xbd", 3);
		else {
			ret = buffer_append(out, p + i, n);
			i += n - 1;
		}
		if (ret < 0)
			return -1;
		i++;
	}
	return buffer_append(out, "\"", 1);
}

int
json_append_string(struct buffer *out, const char *str)
{
	return json_append_stringn(out, str, str == NULL ? 0 : strlen(str));
}
