/*
 * defang - URLs in mail text made visible but not clickable (see
 * defang.h for the rules). The scheme is classified by url_check, the
 * same code the HTML sanitizer trusts, so "jav&#x09;ascript:" and
 * "HTTP:\\host" mean here what they mean to a browser.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "defang.h"
#include "sizeops.h"
#include "url_check.h"

/* Longest scheme looked for when walking back from a ':'. Bounds the
   work per colon, so text full of colons stays linear. */
#define SCHEME_MAX 32

static const char marker_remove[] = DEFANG_REMOVED_MARKER;

static bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_alnum(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

static unsigned char
to_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Decode one UTF-8 sequence at s[0..n); returns its length (0 when it
   is not valid UTF-8: overlong, surrogate, truncated, > U+10FFFF). */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp_r)
{
	uint32_t cp, min;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp_r = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cp_r = cp;
	return len;
}

/* Code points that change how a URL looks without being seen: bidi
   overrides (U+202E makes "evil<RLO>gpj.exe" read "evilexe.jpg"), zero-width
   joiners and spaces, line separators, C1 controls, tag characters, Hangul
   fillers. */
static bool
cp_invisible(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x34f ||
	    cp == 0x61c || cp == 0x115f || cp == 0x1160 || cp == 0x180e ||
	    (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x206f) || cp == 0x3164 || cp == 0xfeff ||
	    cp == 0xffa0 || (cp >= 0xfff9 && cp <= 0xfffb) ||
	    (cp >= 0xe0000 && cp <= 0xe007f);
}

static int
put(struct buffer *out, const void *s, size_t n)
{
	return buffer_append(out, s, n);
}

static int
put_str(struct buffer *out, const char *s)
{
	return buffer_append(out, s, strlen(s));
}

static int
put_pct(struct buffer *out, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char b[3] = {'%', hex[c >> 4], hex[c & 15]};

	return put(out, b, sizeof(b));
}

/* The URL as one visible token (see defang.h): into norm, NUL-ended. */
static int
url_normalise(const unsigned char *s, size_t len, struct buffer *norm)
{
	size_t i, n;
	uint32_t cp;

	while (len > 0 && s[0] <= 0x20) {
		s++;
		len--;
	}
	while (len > 0 && s[len - 1] <= 0x20)
		len--;
	for (i = 0; i < len; i += n) {
		n = 1;
		if (s[i] < 0x20 || s[i] == 0x7f)
			continue;
		if (s[i] == ' ' || s[i] == '<' || s[i] == '>' || s[i] == '"' ||
		    s[i] == '`') {
			if (put_pct(norm, s[i]) < 0)
				return -1;
			continue;
		}
		if (s[i] < 0x80) {
			if (put(norm, s + i, 1) < 0)
				return -1;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0 || cp_invisible(cp)) {
			size_t k, m = n == 0 ? 1 : n;

			for (k = 0; k < m; k++) {
				if (put_pct(norm, s[i + k]) < 0)
					return -1;
			}
			n = m;
			continue;
		}
		if (put(norm, s + i, n) < 0)
			return -1;
	}
	/* buffer keeps data NUL-terminated; make sure it exists. */
	return put(norm, "", 0);
}

/* Length of a full stop at s[0..n) as IDNA and browsers read a host:
   '.', "。" U+3002, "．" U+FF0E, "｡" U+FF61, "%2E"; 0 when none. */
static size_t
host_dot(const char *s, size_t n)
{
	if (s[0] == '.')
		return 1;
	if (n >= 3 && s[0] == '%' && s[1] == '2' &&
	    (s[2] == 'e' || s[2] == 'E'))
		return 3;
	if (n >= 3 &&
	    (memcmp(s, "\xe3\x80\x82", 3) == 0 ||
		memcmp(s, "\xef\xbc\x8e", 3) == 0 ||
		memcmp(s, "\xef\xbd\xa1", 3) == 0))
		return 3;
	return 0;
}

/* True when s[0..n) starts with the ASCII word w, in any case. */
static bool
starts_ci(const char *s, size_t n, const char *w)
{
	size_t i, wn = strlen(w);

	if (n < wn)
		return false;
	for (i = 0; i < wn; i++) {
		if (to_lower((unsigned char)s[i]) != (unsigned char)w[i])
			return false;
	}
	return true;
}

/* Path, query and fragment of a defanged URL: a URL nested in them
   ("?u=http://evil.example", "/www.evil.example") would be found by the
   reader's mail client on its own, so its scheme, "www." or "mailto:"
   is defanged too, and backslashes (UNC paths) are percent-encoded.
   INERT_AT: every '@' becomes "[@]" (mailto);
   INERT_DOTS: every full stop becomes "[.]" (hosts, addresses). */
#define INERT_AT 1
#define INERT_DOTS 2
static int
put_inert(struct buffer *out, const char *s, size_t n, unsigned flags)
{
	static const struct {
		const char *from, *to;
	} sub[] = {
	    {"https:", "hxxps:"},
	    {"http:", "hxxp:"},
	    {"ftp:", "fxp:"},
	};
	size_t i = 0, k, w, d;

	while (i < n) {
		if ((flags & INERT_DOTS) && (d = host_dot(s + i, n - i)) > 0) {
			if (put_str(out, "[.]") < 0)
				return -1;
			i += d;
			continue;
		}
		for (k = 0; k < sizeof(sub) / sizeof(sub[0]); k++) {
			w = strlen(sub[k].from);
			/* At the end of a piece (host, userinfo, a path cut
			   at a backslash) what follows is a slash. */
			if (starts_ci(s + i, n - i, sub[k].from) &&
			    (i + w == n || s[i + w] == '/' || s[i + w] == '\\'))
				break;
		}
		if (k < sizeof(sub) / sizeof(sub[0])) {
			if (put_str(out, sub[k].to) < 0)
				return -1;
			i += strlen(sub[k].from);
		} else if (starts_ci(s + i, n - i, "www.") && i + 4 < n &&
		    is_alnum((unsigned char)s[i + 4])) {
			if (put_str(out, "www[.]") < 0)
				return -1;
			i += 4;
		} else if (starts_ci(s + i, n - i, "mailto:")) {
			if (put_str(out, "mailto[:]") < 0)
				return -1;
			i += 7;
		} else if (s[i] == '\\') {
			/* "\\\\host" after a '*', or after "[@]", would
			   start a word and read as a UNC path. */
			if (put_pct(out, '\\') < 0)
				return -1;
			i++;
		} else if ((flags & INERT_AT) && s[i] == '@') {
			if (put_str(out, "[@]") < 0)
				return -1;
			i++;
		} else {
			if (put(out, s + i, 1) < 0)
				return -1;
			i++;
		}
	}
	return 0;
}

/* Host, port or userinfo, with every full stop defanged. */
static int
put_host(struct buffer *out, const char *s, size_t n, bool defang)
{
	return defang ? put_inert(out, s, n, INERT_DOTS) : put(out, s, n);
}

/* Path (backslashes are slashes to a browser), then query and
   fragment, defanged or as they are. */
static int
put_rest(struct buffer *out, const char *s, size_t n, bool defang)
{
	size_t q, i, start;

	for (q = 0; q < n && s[q] != '?' && s[q] != '#'; q++)
		;
	for (i = start = 0; i <= q; i++) {
		if (i < q && s[i] != '\\')
			continue;
		if ((defang ? put_inert(out, s + start, i - start, 0)
			    : put(out, s + start, i - start)) < 0)
			return -1;
		if (i < q && put(out, "/", 1) < 0)
			return -1;
		start = i + 1;
	}
	return defang ? put_inert(out, s + q, n - q, 0)
		      : put(out, s + q, n - q);
}

/* A web URL: scheme ("" for "www."), ':', slashes, authority, rest. */
static int
put_web(struct buffer *out, const char *s, size_t n, const char *scheme,
    bool defang)
{
	size_t pos = 0, aend, at, i, j;

	if (scheme[0] != '\0') {
		if (defang) {
			if (strcmp(scheme, "http") == 0)
				scheme = "hxxp";
			else if (strcmp(scheme, "https") == 0)
				scheme = "hxxps";
			else
				scheme = "fxp";
		}
		if (put_str(out, scheme) < 0 || put_str(out, "://") < 0)
			return -1;
		pos = (size_t)((const char *)memchr(s, ':', n) - s) + 1;
		/* Browsers take any run of / and \ after a special scheme
		   as the start of the authority. */
		while (pos < n && (s[pos] == '/' || s[pos] == '\\'))
			pos++;
	}
	for (aend = pos; aend < n; aend++) {
		if (s[aend] == '/' || s[aend] == '\\' || s[aend] == '?' ||
		    s[aend] == '#')
			break;
	}
	/* The last '@' ends the userinfo: what follows is the host. The
	   userinfo is defanged like a host, since it usually poses as one
	   (http://bank.example@evil.example/). */
	at = SIZE_MAX;
	for (i = pos; i < aend; i++) {
		if (s[i] == '@')
			at = i;
	}
	if (at != SIZE_MAX) {
		for (i = pos; i <= at; i = j + 1) {
			for (j = i; j < at && s[j] != '@'; j++)
				;
			if (put_host(out, s + i, j - i, defang) < 0 ||
			    put_str(out, defang ? "[@]" : "@") < 0)
				return -1;
		}
		pos = at + 1;
	}
	if (put_host(out, s + pos, aend - pos, defang) < 0)
		return -1;
	return put_rest(out, s + aend, n - aend, defang);
}

/* mailto: with its addresses defanged. */
static int
put_mailto(struct buffer *out, const char *s, size_t n, bool defang)
{
	size_t pos = (size_t)((const char *)memchr(s, ':', n) - s) + 1, j;

	if (put_str(out, "mailto:") < 0)
		return -1;
	if (!defang)
		return put(out, s + pos, n - pos);
	for (j = pos; j < n && s[j] != '?'; j++)
		;
	if (put_inert(out, s + pos, j - pos, INERT_AT | INERT_DOTS) < 0)
		return -1;
	return put_inert(out, s + j, n - j, INERT_AT);
}

/* The marker written instead of a URL that may not be shown. */
static int
put_marker(struct buffer *out, enum url_kind kind, const char *scheme)
{
	const char *name = scheme;
	size_t i;

	if (kind == URL_NETPATH)
		name = "network-path";
	for (i = 0; name[i] != '\0'; i++) {
		if (!(is_alnum((unsigned char)name[i]) || name[i] == '+' ||
			name[i] == '-' || name[i] == '.'))
			break;
	}
	if (name[0] == '\0' || name[i] != '\0')
		name = "unknown";
	if (put_str(out, "[リンク削除 / removed ") < 0 ||
	    put_str(out, name) < 0 || put_str(out, " link]") < 0)
		return -1;
	return 0;
}

/* True when s starts with "www." and a host character. */
static bool
starts_www(const unsigned char *s, size_t n)
{
	return n > 4 && to_lower(s[0]) == 'w' && to_lower(s[1]) == 'w' &&
	    to_lower(s[2]) == 'w' && s[3] == '.' && is_alnum(s[4]);
}

int
defang_url(const char *url, size_t len, enum link_policy p, struct buffer *out)
{
	struct buffer norm;
	enum url_kind kind;
	char scheme[24];
	size_t max;
	int ret = DEFANG_LINK;
	const char *s;

	/* Percent-encoding at most triples a byte. */
	if (size_mul(len, 3, &max) < 0 || size_add(max, 1, &max) < 0) {
		errno = EFBIG;
		return -1;
	}
	buffer_init(&norm, max);
	if (url_normalise((const unsigned char *)url, len, &norm) < 0) {
		buffer_free(&norm);
		return -1;
	}
	s = norm.used > 0 ? (const char *)norm.data : "";
	if (starts_www((const unsigned char *)s, norm.used)) {
		kind = URL_WEB;
		scheme[0] = '\0';
	} else
		kind = url_classify(s, scheme, sizeof(scheme));
	if (kind == URL_OTHER && strcmp(scheme, "ftp") == 0)
		kind = URL_WEB;
	switch (kind) {
	case URL_FRAGMENT:
	case URL_RELATIVE:
		ret = DEFANG_NOT_LINK;
		break;
	case URL_WEB:
		if (p != LINKS_REMOVE &&
		    put_web(out, s, norm.used, scheme, p == LINKS_DEFANG) < 0)
			ret = -1;
		break;
	case URL_MAILTO:
		if (p != LINKS_REMOVE &&
		    put_mailto(out, s, norm.used, p == LINKS_DEFANG) < 0)
			ret = -1;
		break;
	default:
		ret = DEFANG_BLOCKED;
		if (p != LINKS_REMOVE && put_marker(out, kind, scheme) < 0)
			ret = -1;
		break;
	}
	buffer_free(&norm);
	return ret;
}

/* Characters that may be part of a URL found in text. */
static bool
url_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"' &&
	    c != '\'' && c != '`';
}

static bool
scheme_char(unsigned char c)
{
	return is_alnum(c) || c == '+' || c == '-' || c == '.';
}

/* Characters after which "www." or "\\" is not the start of a URL but
   the middle of a word, an address or a path. */
static bool
word_char(unsigned char c)
{
	return is_alnum(c) ||
	    (c != '\0' && strchr("._-@/\\:%+~=&#?", c) != NULL);
}

/* End of the URL starting at s[start]: the first character that cannot
   be in one, then trailing punctuation and unbalanced closers off. */
static size_t
url_end(const unsigned char *s, size_t len, size_t start, size_t from)
{
	size_t end = from, paren = 0, unparen = 0, brack = 0, unbrack = 0, i;

	while (end < len && url_char(s[end]))
		end++;
	for (i = start; i < end; i++) {
		paren += s[i] == '(';
		unparen += s[i] == ')';
		brack += s[i] == '[';
		unbrack += s[i] == ']';
	}
	while (end > from) {
		unsigned char c = s[end - 1];

		if (strchr(".,;:!?", c) != NULL)
			end--;
		else if (c == ')' && unparen > paren) {
			unparen--;
			end--;
		} else if (c == ']' && unbrack > brack) {
			unbrack--;
			end--;
		} else
			break;
	}
	return end;
}

/* Schemes found without "//": the ones that run or fetch something
   when clicked, and mailto. */
static bool
noslash_scheme(const char *sch)
{
	static const char *const list[] = {
	    "mailto",
	    "javascript",
	    "vbscript",
	    "livescript",
	    "jscript",
	    "data",
	    "file",
	    "search-ms",
	    "search",
	    "mhtml",
	    "mk",
	    "its",
	};
	size_t i;

	if (strncmp(sch, "ms-", 3) == 0)
		return true;
	for (i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
		if (strcmp(sch, list[i]) == 0)
			return true;
	}
	return false;
}

/* hxxp, hXXps, h**p, fxp: a URL someone already made inert. */
static bool
defanged_scheme(const char *sch)
{
	size_t n = strlen(sch);

	if (strcmp(sch, "fxp") == 0)
		return true;
	if (n < 4 || n > 5 || sch[0] != 'h' || sch[3] != 'p' ||
	    (n == 5 && sch[4] != 's'))
		return false;
	return (sch[1] == 'x' || sch[1] == '*') &&
	    (sch[2] == 'x' || sch[2] == '*');
}

/* A URL whose scheme ends at the ':' s[colon]: its start and end, or
   false. *inert_r is set for already defanged URLs. */
static bool
find_scheme_url(const unsigned char *s, size_t len, size_t floor, size_t colon,
    size_t *start_r, size_t *end_r, bool *inert_r)
{
	char sch[SCHEME_MAX + 1];
	size_t start = colon, i, n = 0;
	bool slash;

	while (start > floor && colon - start < SCHEME_MAX &&
	    scheme_char(s[start - 1]))
		start--;
	while (start < colon && !is_alpha(s[start]))
		start++;
	if (start == colon || colon + 1 >= len)
		return false;
	for (i = start; i < colon; i++)
		sch[n++] = (char)to_lower(s[i]);
	sch[n] = '\0';
	slash = s[colon + 1] == '/' || s[colon + 1] == '\\';
	if (!slash && !(noslash_scheme(sch) && url_char(s[colon + 1])))
		return false;
	*start_r = start;
	/* An inert URL is not measured: scanning resumes right after its
	   colon, and measuring each of "hxxp://hxxp://..." to its end
	   would take quadratic time. */
	if ((*inert_r = slash && defanged_scheme(sch)))
		return true;
	*end_r = url_end(s, len, start, colon + 1);
	return *end_r > colon + 1;
}

int
textlinks_rewrite(const char *utf8, size_t len, enum link_policy p,
    struct buffer *out, unsigned *count_r)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t i = 0, copied = 0, start, end;
	unsigned count = 0;
	bool found, inert;
	int ret;

	if (count_r != NULL)
		*count_r = 0;
	if (len == 0)
		return 0;
	while (i < len) {
		found = inert = false;
		if (s[i] == ':')
			found = find_scheme_url(
			    s, len, copied, i, &start, &end, &inert);
		else if ((s[i] == 'w' || s[i] == 'W') &&
		    (i == 0 || !word_char(s[i - 1])) &&
		    starts_www(s + i, len - i)) {
			start = i;
			end = url_end(s, len, i, i + 4);
			found = end > i + 4;
		} else if (s[i] == '\\' && i + 2 < len && s[i + 1] == '\\' &&
		    is_alnum(s[i + 2]) && (i == 0 || !word_char(s[i - 1]))) {
			start = i;
			end = url_end(s, len, i, i + 2);
			found = end > i + 2;
		}
		if (!found) {
			i++;
			continue;
		}
		if (inert) {
			/* Copied as it is, but what it holds is still
			   searched: "hxxp://x/http://evil" is not inert. */
			i++;
			continue;
		}
		if (put(out, s + copied, start - copied) < 0)
			return -1;
		ret = defang_url(utf8 + start, end - start, p, out);
		if (ret < 0)
			return -1;
		if (p == LINKS_REMOVE && put_str(out, marker_remove) < 0)
			return -1;
		count++;
		copied = i = end;
	}
	if (put(out, s + copied, len - copied) < 0)
		return -1;
	if (count_r != NULL)
		*count_r = count;
	return 0;
}
