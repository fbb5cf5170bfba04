/*
 * fuzz-mailtext-check - invariants the mail text fuzz targets assert on
 * every output (included by fuzz-htmltext.c and fuzz-textlinks.c only).
 *
 * live_link() is an independent, deliberately simple model of what a
 * mail client would make clickable in plain text: an http, https or ftp
 * scheme followed by ":/" or ":\", "www." or "\\" at the start of a
 * word, and a mailto: with a real '@'. With LINKS_DEFANG and
 * LINKS_REMOVE none of them may be left in the output.
 */
#ifndef SANSO_FUZZ_MAILTEXT_CHECK_H
#define SANSO_FUZZ_MAILTEXT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

static bool
fz_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* Same boundary rule as textlinks_rewrite(): after these, "www." is
   inside a word, an address or a path. */
static bool
fz_word(unsigned char c)
{
	return fz_alnum(c) || (c != '\0' && strchr("._-@/\\:%+~=&#?", c));
}

static bool
fz_urlc(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"' &&
	    c != '\'' && c != '`';
}

/* The first live link in s, or NULL. remove: mailto: may not appear at
   all (else only without a bare '@'). */
static const char *
live_link(const char *s, size_t n, bool remove)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		if (u[i] == ':' && i + 1 < n &&
		    (u[i + 1] == '/' || u[i + 1] == '\\')) {
			for (j = i; j > 0 && i - j < 32 &&
			     (fz_alnum(u[j - 1]) || u[j - 1] == '+' ||
				 u[j - 1] == '-' || u[j - 1] == '.');
			     j--)
				;
			while (j < i &&
			    !((u[j] | 0x20) >= 'a' && (u[j] | 0x20) <= 'z'))
				j++;
			if ((i - j == 4 &&
				strncasecmp(s + j, "http", 4) == 0) ||
			    (i - j == 5 &&
				strncasecmp(s + j, "https", 5) == 0) ||
			    (i - j == 3 && strncasecmp(s + j, "ftp", 3) == 0))
				return s + j;
		}
		if (i + 4 < n && (i == 0 || !fz_word(u[i - 1])) &&
		    strncasecmp(s + i, "www.", 4) == 0 && fz_alnum(u[i + 4]))
			return s + i;
		if (i + 2 < n && u[i] == '\\' && u[i + 1] == '\\' &&
		    fz_alnum(u[i + 2]) && (i == 0 || !fz_word(u[i - 1])))
			return s + i;
		if (i + 7 < n && strncasecmp(s + i, "mailto:", 7) == 0 &&
		    (i == 0 ||
			!(fz_alnum(u[i - 1]) || u[i - 1] == '+' ||
			    u[i - 1] == '-' || u[i - 1] == '.'))) {
			size_t e = i + 7;

			/* The address, without trailing punctuation. */
			while (e < n && fz_urlc(u[e]))
				e++;
			while (
			    e > i + 7 && strchr(".,;:!?)]", u[e - 1]) != NULL)
				e--;
			if (e == i + 7)
				continue;
			if (remove)
				return s + i;
			for (k = i + 7; k < e; k++) {
				if (u[k] == '@' &&
				    !(k > 0 && u[k - 1] == '[' && k + 1 < n &&
					u[k + 1] == ']'))
					return s + i;
			}
		}
	}
	return NULL;
}

/* Valid UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
static bool
fz_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, len, k;
	unsigned long cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			len = 2, cp = s[i] & 0x1f;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			len = 3, cp = s[i] & 0x0f;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			len = 4, cp = s[i] & 0x07;
		else
			return false;
		if (n - i < len)
			return false;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

#endif
