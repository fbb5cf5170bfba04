/*
 * archive_name - judging and rewriting archive member names.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "archive_name.h"
#include "sizeops.h"

/* Percent-decoding rounds: "%252e" is "%2e" after one, "." after two;
   a third catches one more layer of the same trick. */
#define NAME_DECODE_ROUNDS 3

struct archive_name_conv {
	struct arena *arena;
	iconv_t cd;
	bool tried;
};

struct archive_name_set {
	struct arena *arena;
	char **slot;
	size_t size;		/* power of two */
	size_t used;
};

/* Strict UTF-8: the length of the sequence at s, 0 when not valid
   (overlong forms, surrogates and code points past U+10FFFF are not). */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp_r)
{
	uint32_t cp;
	size_t n, i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp_r = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cp_r = cp;
	return n;
}

/* Lenient UTF-8 as a careless converter reads it: overlong forms are
   accepted (C0 AE is '.'), anything else broken is one raw byte. */
static size_t
utf8_decode_lenient(const unsigned char *s, size_t len, uint32_t *cp_r)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] >= 0xc0 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf7) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		*cp_r = s[0];
		return 1;
	}
	if (len < n) {
		*cp_r = s[0];
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp_r = s[0];
			return 1;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*cp_r = cp;
	return n;
}

static bool
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0)
			return false;
		i += n;
	}
	return true;
}

/* Never closed: while one descriptor is open, glibc keeps the CP932
   module loaded, so later iconv_open() calls need no file. */
static iconv_t name_cp932_keep = (iconv_t)-1;

void
archive_name_preload(void)
{
	if (name_cp932_keep == (iconv_t)-1)
		name_cp932_keep = iconv_open("UTF-8", "CP932");
}

struct archive_name_conv *
archive_name_conv_new(struct arena *arena)
{
	struct archive_name_conv *conv = arena_alloc(arena, sizeof(*conv));

	if (conv == NULL)
		return NULL;
	conv->arena = arena;
	conv->cd = (iconv_t)-1;
	return conv;
}

void
archive_name_conv_free(struct archive_name_conv *conv)
{
	if (conv != NULL && conv->cd != (iconv_t)-1) {
		iconv_close(conv->cd);
		conv->cd = (iconv_t)-1;
	}
}

/* CP932 to UTF-8 with iconv; NULL when iconv is missing (the sandbox
   may not reach the gconv modules) or the bytes are not CP932. */
static char *
name_from_cp932(struct archive_name_conv *conv, const char *raw, size_t len)
{
	size_t cap, inleft, outleft;
	char *dst, *inp, *outp;

	if (!conv->tried) {
		conv->tried = true;
		conv->cd = iconv_open("UTF-8", "CP932");
	}
	if (conv->cd == (iconv_t)-1)
		return NULL;
	/* One CP932 byte never becomes more than 3 UTF-8 bytes. */
	if (size_mul(len, 3, &cap) < 0 || size_add(cap, 1, &cap) < 0)
		return NULL;
	if ((dst = arena_alloc(conv->arena, cap)) == NULL)
		return NULL;
	iconv(conv->cd, NULL, NULL, NULL, NULL);
	inp = (char *)raw;
	inleft = len;
	outp = dst;
	outleft = cap - 1;
	if (iconv(conv->cd, &inp, &inleft, &outp, &outleft) == (size_t)-1 ||
	    iconv(conv->cd, NULL, NULL, &outp, &outleft) == (size_t)-1)
		return NULL;
	*outp = '\0';
	return utf8_valid(dst) && strlen(dst) == (size_t)(outp - dst) ?
	    dst : NULL;
}

/* Valid sequences kept, every other byte as %XX. */
static char *
name_escape(struct arena *arena, const char *raw, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)raw;
	size_t cap, i = 0, o = 0, n;
	uint32_t cp;
	char *dst;

	if (size_mul(len, 3, &cap) < 0 || size_add(cap, 1, &cap) < 0)
		return NULL;
	if ((dst = arena_alloc(arena, cap)) == NULL)
		return NULL;
	while (i < len) {
		if ((n = utf8_decode(p + i, len - i, &cp)) > 0) {
			memcpy(dst + o, p + i, n);
			o += n;
			i += n;
			continue;
		}
		dst[o++] = '%';
		dst[o++] = hex[p[i] >> 4];
		dst[o++] = hex[p[i] & 15];
		i++;
	}
	dst[o] = '\0';
	return dst;
}

char *
archive_name_utf8(struct archive_name_conv *conv, const char *raw)
{
	size_t len = strlen(raw);
	char *s;

	if (utf8_valid(raw))
		return arena_strndup(conv->arena, raw, len);
	if ((s = name_from_cp932(conv, raw, len)) != NULL)
		return s;
	return name_escape(conv->arena, raw, len);
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Code point as UTF-8 (surrogates and all, this is for checking only);
   returns the length written. */
static size_t
utf8_put(uint32_t cp, unsigned char *d)
{
	if (cp < 0x80) {
		d[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = 0xc0 | (cp >> 6);
		d[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	d[0] = 0xe0 | (cp >> 12);
	d[1] = 0x80 | ((cp >> 6) & 0x3f);
	d[2] = 0x80 | (cp & 0x3f);
	return 3;
}

/* One round of %XX and %uXXXX decoding from s into d (d never needs
   more room than s). Returns true when something was decoded. */
static bool
percent_decode(const char *s, char *d)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char *o = (unsigned char *)d;
	bool changed = false;
	int a, b, c, e;

	while (*p != '\0') {
		if (p[0] == '%' && (p[1] == 'u' || p[1] == 'U') &&
		    (a = hexval(p[2])) >= 0 && (b = hexval(p[3])) >= 0 &&
		    (c = hexval(p[4])) >= 0 && (e = hexval(p[5])) >= 0) {
			o += utf8_put((a << 12) | (b << 8) | (c << 4) | e, o);
			p += 6;
			changed = true;
		} else if (p[0] == '%' && (a = hexval(p[1])) >= 0 &&
		    (b = hexval(p[2])) >= 0 && (a << 4 | b) != 0) {
			*o++ = a << 4 | b;
			p += 3;
			changed = true;
		} else
			*o++ = *p++;
	}
	*o = '\0';
	return changed;
}

/* The ASCII character a look-alike becomes under Windows best-fit
   mapping or a lenient decoder, or 0 when it stays itself. */
static char
lookalike(uint32_t cp)
{
	switch (cp) {
	case 0xff0e: case 0x2024: case 0xfe52:	/* fullwidth / leader / small full stop */
		return '.';
	case 0xff0f: case 0x2215: case 0x2044: case 0x29f8:
		return '/';
	case 0xff3c: case 0x00a5: case 0x20a9: case 0xfe68: case 0x29f9:
	case 0x2216:	/* yen and won signs are the separator in CP932/949 */
		return '/';
	case 0xff1a: case 0x2236: case 0xa789: case 0xfe55:
		return ':';
	case '\\':
		return '/';
	default:
		return cp < 0x80 ? (char)cp : 0;
	}
}

/* The name as Windows would see it, in place: look-alikes and overlong
   forms become ASCII, '\' becomes '/'. Never grows. */
static void
skeleton(char *s)
{
	unsigned char *p = (unsigned char *)s, *o = p;
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;
	char c;

	while (i < len) {
		n = utf8_decode_lenient(p + i, len - i, &cp);
		if (n > 1 && (c = lookalike(cp)) != 0)
			*o++ = c;
		else if (n == 1 && p[i] == '\\')
			*o++ = '/';
		else {
			memmove(o, p + i, n);
			o += n;
		}
		i += n;
	}
	*o = '\0';
}

static bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A component Windows resolves to "." or ".." after dropping trailing
   dots and spaces: only dots and spaces. Returns the number of dots, or
   0 when there is anything else in it. */
static size_t
dot_component(const char *c, size_t n)
{
	size_t i, dots = 0;

	for (i = 0; i < n; i++) {
		if (c[i] == '.')
			dots++;
		else if (c[i] != ' ')
			return 0;
	}
	return dots;
}

static enum archive_name_kind
classify_skeleton(const char *s)
{
	const char *c = s, *end;

	if (s[0] == '/' || (is_alpha(s[0]) && s[1] == ':'))
		return ARCHIVE_NAME_ABSOLUTE;
	for (;;) {
		end = strchr(c, '/');
		if (end == NULL)
			end = c + strlen(c);
		if (dot_component(c, end - c) >= 2)
			return ARCHIVE_NAME_TRAVERSAL;
		if (*end == '\0')
			break;
		c = end + 1;
	}
	return ARCHIVE_NAME_OK;
}

int
archive_name_classify(const char *name, enum archive_name_kind *kind_r)
{
	size_t len = strlen(name), round;
	char *cur, *next, *tmp;
	bool more = true;

	cur = malloc(len + 1);
	next = malloc(len + 1);
	if (cur == NULL || next == NULL) {
		free(cur);
		free(next);
		return -1;
	}
	memcpy(cur, name, len + 1);
	*kind_r = ARCHIVE_NAME_OK;
	for (round = 0; round <= NAME_DECODE_ROUNDS && more; round++) {
		/* Decode first (from the un-skeletoned text), then judge. */
		more = percent_decode(cur, next);
		skeleton(cur);
		*kind_r = classify_skeleton(cur);
		if (*kind_r != ARCHIVE_NAME_OK)
			break;
		tmp = cur;
		cur = next;
		next = tmp;
	}
	free(cur);
	free(next);
	return 0;
}

/* Replaced by '_' in a kept name: controls, what Windows refuses in a
   file name (':' would also open an NTFS alternate data stream), and
   bidi controls that make "exe.txt" show as "txt.exe". */
static bool
char_unsafe(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return true;
	if (cp < 0x80)
		return strchr("<>:\"|?*", (int)cp) != NULL;
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static bool
ascii_ieq(const char *a, size_t alen, const char *b)
{
	size_t i;

	if (alen != strlen(b))
		return false;
	for (i = 0; i < alen; i++) {
		unsigned char x = a[i], y = b[i];

		if (x >= 'a' && x <= 'z')
			x -= 32;
		if (x != y)
			return false;
	}
	return true;
}

/* Windows opens a device for these base names whatever the extension
   ("nul.txt", "COM1.docx", "COM¹"). */
static bool
device_name(const char *c, size_t n)
{
	static const char *const dev[] = { "CON", "PRN", "AUX", "NUL",
	    "CONIN$", "CONOUT$", "CLOCK$" };
	static const char *const num[] = { "0", "1", "2", "3", "4", "5", "6",
	    "7", "8", "9", "\xc2\xb9", "\xc2\xb2", "\xc2\xb3" };
	size_t base = 0, i;
	char buf[8];

	while (base < n && c[base] != '.')
		base++;
	while (base > 0 && c[base - 1] == ' ')
		base--;
	for (i = 0; i < sizeof(dev) / sizeof(dev[0]); i++) {
		if (ascii_ieq(c, base, dev[i]))
			return true;
	}
	if (base < 4 || base > 5)
		return false;
	for (i = 0; i < sizeof(num) / sizeof(num[0]); i++) {
		if (strlen(num[i]) != base - 3)
			continue;
		memcpy(buf, "COM", 3);
		memcpy(buf + 3, num[i], base - 3);
		buf[base] = '\0';
		if (ascii_ieq(c, base, buf))
			return true;
		memcpy(buf, "LPT", 3);
		if (ascii_ieq(c, base, buf))
			return true;
	}
	return false;
}

/* Append one rewritten component of n bytes at c to d (at *o). */
static void
rewrite_component(const char *c, size_t n, char *d, size_t *o, bool *changed)
{
	const unsigned char *p = (const unsigned char *)c;
	size_t start = *o, i = 0, k;
	uint32_t cp;

	if (device_name(c, n)) {
		d[(*o)++] = '_';
		*changed = true;
	}
	while (i < n) {
		k = utf8_decode(p + i, n - i, &cp);
		if (k == 0 || char_unsafe(cp)) {
			d[(*o)++] = '_';
			*changed = true;
			i += k == 0 ? 1 : k;
			continue;
		}
		memcpy(d + *o, c + i, k);
		*o += k;
		i += k;
	}
	while (*o > start && (d[*o - 1] == '.' || d[*o - 1] == ' ')) {
		(*o)--;
		*changed = true;
	}
	if (*o == start) {
		d[(*o)++] = '_';
		*changed = true;
	}
}

char *
archive_name_rewrite(struct arena *arena, const char *name, bool is_dir,
    bool *changed_r)
{
	size_t len = strlen(name), cap, o = 0, n;
	const char *c = name, *end;
	char *d;

	*changed_r = false;
	/* Each component grows by at most the '_' of a device name, and
	   there are at most len components; '/' and NUL fit in the rest. */
	if (size_mul(len, 2, &cap) < 0 || size_add(cap, 3, &cap) < 0)
		return NULL;
	if ((d = arena_alloc(arena, cap)) == NULL)
		return NULL;
	for (;;) {
		end = c + strcspn(c, "/\\");
		n = end - c;
		if (n > 0 && dot_component(c, n) == 0) {
			if (o > 0)
				d[o++] = '/';
			rewrite_component(c, n, d, &o, changed_r);
		} else if (n > 0 && !(n == 1 && c[0] == '.'))
			*changed_r = true;	/* " . " and the like */
		if (*end == '\0')
			break;
		c = end + 1;
	}
	if (is_dir && o > 0)
		d[o++] = '/';
	d[o] = '\0';
	return d;
}

char *
archive_name_with_ext(struct arena *arena, const char *name, const char *ext)
{
	const char *base = strrchr(name, '/'), *dot;
	size_t keep;

	base = base == NULL ? name : base + 1;
	dot = strrchr(base, '.');
	keep = dot != NULL && dot != base ? (size_t)(dot - name) : strlen(name);
	return arena_printf(arena, "%.*s.%s", (int)keep, name, ext);
}

struct archive_name_set *
archive_name_set_new(struct arena *arena)
{
	struct archive_name_set *set = arena_alloc(arena, sizeof(*set));

	if (set == NULL)
		return NULL;
	set->arena = arena;
	set->size = 64;
	set->slot = arena_alloc(arena, set->size * sizeof(*set->slot));
	return set->slot != NULL ? set : NULL;
}

static size_t
name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (size_t)h;
}

static char **
set_find(char **slot, size_t size, const char *key)
{
	size_t i = name_hash(key) & (size - 1);

	while (slot[i] != NULL && strcmp(slot[i], key) != 0)
		i = (i + 1) & (size - 1);
	return &slot[i];
}

/* Double the table; the old one stays in the arena until the job ends,
   so the set costs at most twice its final size. */
static int
set_grow(struct archive_name_set *set)
{
	size_t size, bytes, i;
	char **slot;

	if (size_mul(set->size, 2, &size) < 0 ||
	    size_mul(size, sizeof(*slot), &bytes) < 0)
		return -1;
	if ((slot = arena_alloc(set->arena, bytes)) == NULL)
		return -1;
	for (i = 0; i < set->size; i++) {
		if (set->slot[i] != NULL)
			*set_find(slot, size, set->slot[i]) = set->slot[i];
	}
	set->slot = slot;
	set->size = size;
	return 0;
}

int
archive_name_set_add(struct archive_name_set *set, const char *name)
{
	size_t len = strlen(name), i;
	char *key, **pos;

	while (len > 0 && name[len - 1] == '/')
		len--;
	if ((key = arena_strndup(set->arena, name, len)) == NULL)
		return -1;
	for (i = 0; i < len; i++) {
		if (key[i] >= 'A' && key[i] <= 'Z')
			key[i] += 32;
	}
	pos = set_find(set->slot, set->size, key);
	if (*pos != NULL)
		return 0;
	if ((set->used + 1) * 2 > set->size) {
		if (set_grow(set) < 0)
			return -1;
		pos = set_find(set->slot, set->size, key);
	}
	*pos = key;
	set->used++;
	return 1;
}
