/*
 * html_charset - BOM and <meta> prescan (after the WHATWG encoding
 * sniffing algorithm, simplified) and iconv conversion to UTF-8.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "html_charset.h"

/* The HTML standard looks for <meta> only this far into the bytes. */
#define PRESCAN_BYTES 1024
#define LABEL_MAX 40

struct charset_label {
	const char *label; /* WHATWG label, lower case */
	const char *iconv; /* iconv name; NULL = UTF-8 */
};

/* Browsers decode "Shift_JIS" as Windows-31J (CP932) and "EUC-JP" with
   the Microsoft extensions, so iconv is asked for those; latin1 and
   ASCII labels mean windows-1252 on the web. A UTF-16 label in a
   <meta> is read as UTF-8, as the standard says (a real UTF-16 file has
   a byte order mark). */
/* clang-format off */
static const struct charset_label labels[] = {
	{ "utf-8", NULL }, { "utf8", NULL }, { "unicode-1-1-utf-8", NULL },
	{ "utf-16", NULL }, { "utf-16le", NULL }, { "utf-16be", NULL },
	{ "shift_jis", "CP932" }, { "shift-jis", "CP932" },
	{ "sjis", "CP932" }, { "x-sjis", "CP932" }, { "ms_kanji", "CP932" },
	{ "ms932", "CP932" }, { "cp932", "CP932" },
	{ "windows-31j", "CP932" }, { "csshiftjis", "CP932" },
	{ "euc-jp", "EUC-JP-MS" }, { "x-euc-jp", "EUC-JP-MS" },
	{ "cseucpkdfmtjapanese", "EUC-JP-MS" },
	{ "iso-2022-jp", "ISO-2022-JP" }, { "csiso2022jp", "ISO-2022-JP" },
	{ "iso-8859-1", "WINDOWS-1252" }, { "iso8859-1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" }, { "l1", "WINDOWS-1252" },
	{ "us-ascii", "WINDOWS-1252" }, { "ascii", "WINDOWS-1252" },
	{ "windows-1252", "WINDOWS-1252" }, { "cp1252", "WINDOWS-1252" },
	{ "x-cp1252", "WINDOWS-1252" },
	{ "windows-1250", "WINDOWS-1250" }, { "windows-1251", "WINDOWS-1251" },
	{ "windows-1253", "WINDOWS-1253" }, { "windows-1254", "WINDOWS-1254" },
	{ "windows-1255", "WINDOWS-1255" }, { "windows-1256", "WINDOWS-1256" },
	{ "windows-1257", "WINDOWS-1257" }, { "windows-1258", "WINDOWS-1258" },
	{ "iso-8859-2", "ISO-8859-2" }, { "iso-8859-5", "ISO-8859-5" },
	{ "iso-8859-7", "ISO-8859-7" }, { "iso-8859-15", "ISO-8859-15" },
	{ "koi8-r", "KOI8-R" }, { "koi8-u", "KOI8-U" },
	{ "gbk", "GB18030" }, { "gb2312", "GB18030" },
	{ "gb18030", "GB18030" }, { "big5", "BIG5-HKSCS" },
	{ "euc-kr", "CP949" }, { "ks_c_5601-1987", "CP949" },
};
/* clang-format on */

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Look a label up; *found_r tells a known label from an unknown one. */
static const char *
charset_lookup(const char *label, int *found_r)
{
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (strcasecmp(label, labels[i].label) == 0) {
			*found_r = 1;
			return labels[i].iconv;
		}
	}
	*found_r = 0;
	return NULL;
}

/* Copy the label at s[*i] (optionally quoted) into label. */
static void
charset_read_label(const unsigned char *s, size_t end, size_t *i, char *label)
{
	size_t n = 0;
	unsigned char q = 0;

	while (*i < end && is_space(s[*i]))
		(*i)++;
	if (*i < end && (s[*i] == '"' || s[*i] == '\'')) {
		q = s[*i];
		(*i)++;
	}
	while (*i < end && s[*i] != q && s[*i] != '>' && s[*i] != ';' &&
	    !(q == 0 && is_space(s[*i])) && !(q == 0 && s[*i] == '/')) {
		if (n + 1 < LABEL_MAX)
			label[n++] = (char)s[*i];
		(*i)++;
	}
	label[n] = '\0';
}

/* The label after "charset=" inside a content="..." value, if any. */
static int
charset_from_content(const char *value, char *label)
{
	const char *p = value;
	size_t i;

	while ((p = strcasestr(p, "charset")) != NULL) {
		p += 7;
		while (is_space((unsigned char)*p))
			p++;
		if (*p != '=')
			continue;
		i = 1;
		charset_read_label(
		    (const unsigned char *)p, strlen(p), &i, label);
		return label[0] != '\0';
	}
	return 0;
}

struct meta_attrs {
	char charset[LABEL_MAX];
	char content[LABEL_MAX * 4];
	int http_equiv_ct;
};

/* Read one attribute name=value of a <meta> tag at s[*i]; 0 at '>'. */
static int
meta_attr(const unsigned char *s, size_t end, size_t *i, struct meta_attrs *m)
{
	char name[16], value[LABEL_MAX * 4];
	size_t n = 0;

	while (*i < end && (is_space(s[*i]) || s[*i] == '/'))
		(*i)++;
	if (*i >= end || s[*i] == '>')
		return 0;
	while (*i < end && !is_space(s[*i]) && s[*i] != '=' && s[*i] != '>' &&
	    s[*i] != '/') {
		if (n + 1 < sizeof(name))
			name[n++] = (char)s[*i];
		(*i)++;
	}
	name[n] = '\0';
	while (*i < end && is_space(s[*i]))
		(*i)++;
	value[0] = '\0';
	if (*i < end && s[*i] == '=') {
		unsigned char q = 0;

		(*i)++;
		while (*i < end && is_space(s[*i]))
			(*i)++;
		if (*i < end && (s[*i] == '"' || s[*i] == '\''))
			q = s[(*i)++];
		for (n = 0; *i < end &&
		     (q ? s[*i] != q : !is_space(s[*i]) && s[*i] != '>');
		     (*i)++) {
			if (n + 1 < sizeof(value))
				value[n++] = (char)s[*i];
		}
		value[n] = '\0';
		if (q != 0 && *i < end)
			(*i)++;
	}
	/* A label longer than the buffer is no known label anyway. */
	if (strcasecmp(name, "charset") == 0 && m->charset[0] == '\0') {
		n = strnlen(value, sizeof(m->charset) - 1);
		memcpy(m->charset, value, n);
		m->charset[n] = '\0';
	} else if (strcasecmp(name, "content") == 0)
		memcpy(m->content, value, strlen(value) + 1);
	else if (strcasecmp(name, "http-equiv") == 0 &&
	    strcasecmp(value, "content-type") == 0)
		m->http_equiv_ct = 1;
	return 1;
}

/* Parse the <meta> whose attributes start at s[*i]; 1 with a label. */
static int
meta_charset(const unsigned char *s, size_t end, size_t *i, char *label)
{
	struct meta_attrs m;

	memset(&m, 0, sizeof(m));
	while (meta_attr(s, end, i, &m))
		;
	if (m.charset[0] != '\0') {
		snprintf(label, LABEL_MAX, "%s", m.charset);
		return 1;
	}
	return m.http_equiv_ct && charset_from_content(m.content, label);
}

/* Skip the markup construct at s[i] == '<'; returns the next index. */
static size_t
prescan_skip(const unsigned char *s, size_t end, size_t i)
{
	const unsigned char *p;

	if (end - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
		p = memmem(s + i + 4, end - i - 4, "-->", 3);
		return p != NULL ? (size_t)(p - s) + 3 : end;
	}
	p = memchr(s + i + 1, '>', end - i - 1);
	return p != NULL ? (size_t)(p - s) + 1 : end;
}

/* The label of the first <meta> that declares one, or "". */
static void
prescan(const unsigned char *s, size_t end, char *label)
{
	size_t i = 0;

	label[0] = '\0';
	while (i < end) {
		if (s[i] != '<') {
			i++;
			continue;
		}
		if (end - i >= 6 &&
		    strncasecmp((const char *)s + i, "<meta", 5) == 0 &&
		    (is_space(s[i + 5]) || s[i + 5] == '/')) {
			i += 5;
			if (meta_charset(s, end, &i, label))
				return;
			continue;
		}
		i = prescan_skip(s, end, i);
	}
}

const char *
html_charset_sniff(const unsigned char *in, size_t len, size_t *skip_r)
{
	char label[LABEL_MAX];
	int found;

	*skip_r = 0;
	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0) {
		*skip_r = 3;
		return NULL;
	}
	if (len >= 2 && memcmp(in, "\xfe\xff", 2) == 0) {
		*skip_r = 2;
		return "UTF-16BE";
	}
	if (len >= 2 && memcmp(in, "\xff\xfe", 2) == 0) {
		*skip_r = 2;
		return "UTF-16LE";
	}
	prescan(in, len < PRESCAN_BYTES ? len : PRESCAN_BYTES, label);
	return charset_lookup(label, &found);
}

/* U+FFFD for a byte iconv cannot decode, then go on after it. */
static int
convert_replace(struct buffer *out)
{
	return buffer_append(out, "\xef\xbf\xbd", 3);
}

int
html_charset_to_utf8(
    const char *from, const unsigned char *in, size_t len, struct buffer *out)
{
	char chunk[16384], *src = (char *)in, *dst;
	size_t left = len, room, ret;
	iconv_t cd;
	int rc = 0, err;

	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1)
		return 1;
	for (;;) {
		dst = chunk;
		room = sizeof(chunk);
		ret = iconv(cd, left > 0 ? &src : NULL, &left, &dst, &room);
		err = errno;
		if (buffer_append(out, chunk, sizeof(chunk) - room) < 0) {
			rc = -1;
			break;
		}
		if (ret != (size_t)-1) {
			if (left == 0)
				break;
			continue;
		}
		if (err == E2BIG)
			continue;
		/* EILSEQ: one bad byte, skipped; EINVAL: a sequence cut
		   short by the end of the input. */
		if (convert_replace(out) < 0) {
			rc = -1;
			break;
		}
		if (err == EINVAL || left <= 1)
			break;
		src++;
		left--;
	}
	iconv_close(cd);
	return rc;
}
