/*
 * url_check - URL and CSS classification shared by the HTML and SVG
 * sanitizers (see url_check.h for the normalisation rules).
 */
#include <stdlib.h>
#include <string.h>

#include "url_check.h"

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static unsigned char
to_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Browsers skip tab, CR and LF anywhere in a URL ("jav&#x09;ascript:"). */
static int
url_ignored(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\r';
}

/* Next significant character at or after *pos within [.., end), or -1. */
static int
url_next(const unsigned char *s, size_t end, size_t *pos)
{
	while (*pos < end && url_ignored(s[*pos]))
		(*pos)++;
	return *pos < end ? s[*pos] : -1;
}

/* The kind of a lower-cased scheme. */
static enum url_kind
url_scheme_kind(const char *scheme)
{
	/* clang-format off */
	static const char *const script[] = {
		"javascript", "vbscript", "livescript", "jscript", "mocha",
		"vbs", "ecmascript",
	};
	/* clang-format on */
	size_t i;

	for (i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		if (strcmp(scheme, script[i]) == 0)
			return URL_SCRIPT;
	}
	if (strcmp(scheme, "data") == 0)
		return URL_DATA;
	if (strcmp(scheme, "file") == 0)
		return URL_FILE;
	if (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0)
		return URL_WEB;
	if (strcmp(scheme, "mailto") == 0)
		return URL_MAILTO;
	return URL_OTHER;
}

/* Read a scheme starting at s[pos]: letters then [a-z0-9+.-] up to ':'.
   Returns 1 with the scheme copied, 0 when there is no colon before the
   first '/', '?' or '#' (a relative reference), -1 when a colon is there
   but the characters before it are not a valid scheme. */
static int
url_read_scheme(const unsigned char *s, size_t end, size_t pos, char *scheme,
    size_t scheme_size)
{
	size_t n = 0;
	int valid = 1, c;

	for (; (c = url_next(s, end, &pos)) >= 0; pos++) {
		if (c == ':')
			break;
		if (c == '/' || c == '\\' || c == '?' || c == '#')
			return 0;
		if (!(is_alpha((unsigned char)c) ||
			(n > 0 &&
			    (is_digit((unsigned char)c) || c == '+' ||
				c == '-' || c == '.'))))
			valid = 0;
		if (n + 1 < scheme_size)
			scheme[n] = (char)to_lower((unsigned char)c);
		n++;
	}
	if (c < 0)
		return 0;
	scheme[n + 1 < scheme_size ? n : scheme_size - 1] = '\0';
	return valid && n > 0 ? 1 : -1;
}

enum url_kind
url_classify(const char *value, char *scheme, size_t scheme_size)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t start = 0, end = strlen(value), pos;
	int c, c2, ret;

	scheme[0] = '\0';
	/* The URL parser strips leading and trailing C0 controls and
	   spaces before anything else. */
	while (start < end && s[start] <= 0x20)
		start++;
	while (end > start && s[end - 1] <= 0x20)
		end--;
	pos = start;
	c = url_next(s, end, &pos);
	if (c < 0 || c == '#')
		return URL_FRAGMENT;
	if (c == '/' || c == '\\') {
		pos++;
		c2 = url_next(s, end, &pos);
		if (c2 == '/' || c2 == '\\')
			return URL_NETPATH;
		return URL_RELATIVE;
	}
	ret = url_read_scheme(s, end, start, scheme, scheme_size);
	if (ret == 0)
		return URL_RELATIVE;
	if (ret < 0)
		return URL_OTHER;
	return url_scheme_kind(scheme);
}

int
url_kind_dangerous(enum url_kind kind)
{
	return kind == URL_SCRIPT || kind == URL_DATA || kind == URL_FILE;
}

/* Value of a hex digit, or -1. */
static int
hex_value(unsigned char c)
{
	if (is_digit(c))
		return c - '0';
	c = to_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode one CSS escape at css[*i] == '\\'; returns the character to
   match with (non-ASCII and NUL become 0x80, which matches nothing). */
static unsigned char
css_unescape(const unsigned char *css, size_t len, size_t *i)
{
	unsigned long cp = 0;
	size_t n = 0;
	int h;

	(*i)++;
	if (*i >= len)
		return 0x80;
	while (n < 6 && *i < len && (h = hex_value(css[*i])) >= 0) {
		cp = cp * 16 + (unsigned long)h;
		(*i)++;
		n++;
	}
	if (n == 0)
		return css[(*i)++];
	if (*i < len &&
	    (css[*i] == ' ' || css[*i] == '\t' || css[*i] == '\n' ||
		css[*i] == '\r' || css[*i] == '\f'))
		(*i)++;
	return cp > 0 && cp < 0x80 ? (unsigned char)cp : 0x80;
}

/* Canonical form for matching: comments and whitespace dropped, escapes
   decoded, ASCII lower-cased. Dropping whitespace makes "url (" and
   "expr ession(" match too: stricter than any browser, on purpose. */
static size_t
css_normalise(const unsigned char *css, size_t len, unsigned char *out)
{
	size_t i = 0, n = 0;
	unsigned char c;

	while (i < len) {
		if (css[i] == '/' && i + 1 < len && css[i + 1] == '*') {
			const unsigned char *endc;

			endc = memmem(css + i + 2, len - i - 2, "*/", 2);
			i = endc != NULL ? (size_t)(endc - css) + 2 : len;
			continue;
		}
		if (css[i] == '\\')
			c = css_unescape(css, len, &i);
		else
			c = css[i++];
		if (c <= 0x20 || c == 0x7f)
			continue;
		out[n++] = to_lower(c);
	}
	out[n] = '\0';
	return n;
}

/* Verdict for the argument of url( at norm[i]. */
static enum css_verdict
css_url_arg(const unsigned char *norm, size_t n, size_t i)
{
	if (i < n && (norm[i] == '"' || norm[i] == '\''))
		i++;
	if (i < n && norm[i] == '#')
		return CSS_OK;
	if (n - i >= 5 && memcmp(norm + i, "data:", 5) == 0)
		return CSS_DANGEROUS_URL;
	return CSS_EXTERNAL;
}

/* True when the normalised CSS contains needle. */
static int
css_has(const unsigned char *norm, size_t n, const char *needle)
{
	return memmem(norm, n, needle, strlen(needle)) != NULL;
}

/* The more severe of two verdicts. */
static enum css_verdict
css_worst(enum css_verdict a, enum css_verdict b)
{
	return a > b ? a : b;
}

/* The worst verdict for normalised CSS. */
static enum css_verdict
css_scan(const unsigned char *norm, size_t n)
{
	/* clang-format off */
	static const char *const script[] = {
		"expression(", "behavior:", "behaviour:", "-moz-binding",
		"binding:",
	};
	/* clang-format on */
	/* clang-format off */
	static const char *const dangerous[] = {
		"javascript:", "vbscript:", "livescript:",
	};
	/* clang-format on */
	/* clang-format off */
	static const char *const external[] = {
		"@import", "image-set(", "image(", "src(", "cross-fade(",
	};
	/* clang-format on */
	enum css_verdict v = CSS_OK;
	const unsigned char *p;
	size_t i;

	for (i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		if (css_has(norm, n, script[i]))
			return CSS_SCRIPT;
	}
	for (i = 0; i < sizeof(dangerous) / sizeof(dangerous[0]); i++) {
		if (css_has(norm, n, dangerous[i]))
			return CSS_DANGEROUS_URL;
	}
	for (i = 0; i < sizeof(external) / sizeof(external[0]); i++) {
		if (css_has(norm, n, external[i]))
			v = CSS_EXTERNAL;
	}
	for (p = norm;
	     (p = memmem(p, n - (size_t)(p - norm), "url(", 4)) != NULL; p += 4)
		v = css_worst(v, css_url_arg(norm, n, (size_t)(p - norm) + 4));
	return v;
}

int
css_check(const char *css, size_t len)
{
	unsigned char *norm;
	size_t n;
	enum css_verdict v;

	if (len == 0)
		return CSS_OK;
	/* Normalising never lengthens the text. */
	if ((norm = malloc(len + 1)) == NULL)
		return -1;
	n = css_normalise((const unsigned char *)css, len, norm);
	v = css_scan(norm, n);
	free(norm);
	return (int)v;
}
