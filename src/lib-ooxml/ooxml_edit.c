/*
 * ooxml_edit - shared helpers of the part editors.
 */
#include <string.h>

#include "ooxml_edit.h"

const char *
ooxml_edit_snippet(char *buf, size_t n, const char *s, size_t len)
{
	size_t i;

	if (len > n) {
		len = n;
		/* do not cut a UTF-8 sequence in half */
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	buf[len] = '\0';
	return buf;
}
