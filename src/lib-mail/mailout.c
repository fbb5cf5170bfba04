/*
 * mailout - see mailout.h.
 */
#include <string.h>

#include <gmime/gmime.h>
#include <openssl/evp.h>

#include "charset.h"
#include "mailout.h"

/* Base64 in 76-column lines (RFC 2045). */
static int
put_base64(struct buffer *out, const unsigned char *data, size_t len)
{
	unsigned char line[80];
	size_t off, n;
	int k;

	for (off = 0; off < len; off += n) {
		n = len - off < 57 ? len - off : 57;
		k = EVP_EncodeBlock(line, data + off, (int)n);
		if (buffer_append(out, line, (size_t)k) < 0 ||
		    buffer_append(out, "\n", 1) < 0)
			return -1;
	}
	return 0;
}

/* "Name: value" folded by GMime; value is UTF-8. */
static int
put_unstructured(struct buffer *out, const char *name, const char *value)
{
	char *enc, *line, *folded;
	int ret;

	enc = g_mime_utils_header_encode_text(NULL, value, "utf-8");
	line = g_strdup_printf("%s: %s", name, enc != NULL ? enc : "");
	folded = g_mime_utils_unstructured_header_fold(NULL, NULL, line);
	ret = buffer_append_str(out, folded != NULL ? folded : line);
	if (ret == 0 && (folded == NULL || folded[0] == '\0' ||
	    folded[strlen(folded) - 1] != '\n'))
		ret = buffer_append(out, "\n", 1);
	g_free(enc);
	g_free(line);
	g_free(folded);
	return ret;
}

/* Address headers: parsed from the phrase-safe UTF-8 form and encoded
   again; an unparsable value is kept as encoded text so nothing the
   reader should see is lost. */
static int
put_addresses(struct buffer *out, const char *name, const char *value)
{
	InternetAddressList *al = internet_address_list_parse(NULL, value);
	GString *gs;
	int ret;

	if (al == NULL || internet_address_list_length(al) == 0) {
		if (al != NULL)
			g_object_unref(al);
		return put_unstructured(out, name, value);
	}
	gs = g_string_new(name);
	g_string_append(gs, ": ");
	internet_address_list_encode(al, NULL, gs);
	ret = buffer_append(out, gs->str, gs->len);
	if (ret == 0 && (gs->len == 0 || gs->str[gs->len - 1] != '\n'))
		ret = buffer_append(out, "\n", 1);
	g_string_free(gs, TRUE);
	g_object_unref(al);
	return ret;
}

static int
put_ascii(struct buffer *out, const char *name, const char *value)
{
	char *line = g_strdup_printf("%s: %s", name, value);
	char *folded = g_mime_utils_structured_header_fold(NULL, NULL, line);
	int ret = buffer_append_str(out, folded != NULL ? folded : line);

	if (ret == 0 && (folded == NULL || folded[0] == '\0' ||
	    folded[strlen(folded) - 1] != '\n'))
		ret = buffer_append(out, "\n", 1);
	g_free(line);
	g_free(folded);
	return ret;
}

static int
put_headers(struct buffer *out, const struct mail_doc *doc)
{
	unsigned h;
	int ret = 0;

	for (h = 0; h < MAIL_HDR_COUNT && ret == 0; h++) {
		const char *v = doc->hdr[h];

		if (v == NULL)
			continue;
		if (h <= MAIL_HDR_REPLY_TO)
			ret = put_addresses(out, mail_hdr_names[h], v);
		else if (h == MAIL_HDR_SUBJECT)
			ret = put_unstructured(out, mail_hdr_names[h], v);
		else if (*v != '\0')
			ret = put_ascii(out, mail_hdr_names[h], v);
	}
	return ret;
}

/* The text part's headers and body. */
static int
put_text(struct buffer *out, const struct mail_options *mo, const char *body,
    size_t len)
{
	struct buffer jis;
	int fits = 1, ret;

	if (mo->output_charset == MAIL_CHARSET_ISO2022JP) {
		buffer_init(&jis, len * 2 + 64);
		fits = charset_utf8_to_iso2022jp(body, len, &jis);
		if (fits == 0) {
			ret = buffer_append_str(out, "Content-Type: text/plain;"
			    " charset=ISO-2022-JP\nContent-Transfer-Encoding:"
			    " 7bit\n\n");
			if (ret == 0)
				ret = buffer_append(out, jis.data, jis.used);
			if (ret == 0 && (jis.used == 0 ||
			    jis.data[jis.used - 1] != '\n'))
				ret = buffer_append(out, "\n", 1);
			buffer_free(&jis);
			return ret;
		}
		buffer_free(&jis);
	}
	if (buffer_append_str(out, "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: base64\n\n") < 0)
		return -1;
	return put_base64(out, (const unsigned char *)body, len);
}

/* RFC 2231 value: UTF-8''%XX for everything but attribute chars. */
static int
put_rfc2231(struct buffer *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	if (buffer_append_str(out, "UTF-8''") < 0)
		return -1;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p)) {
			if (buffer_append(out, p, 1) < 0)
				return -1;
		} else if (buffer_printf(out, "%%%c%c", hex[*p >> 4],
		    hex[*p & 15]) < 0)
			return -1;
	}
	return 0;
}

static int
put_file(struct buffer *out, const char *boundary, const struct mailout_file *f)
{
	char *enc = g_mime_utils_header_encode_text(NULL, f->name, "utf-8");
	int ret;

	/* Both forms: RFC 2047 in name= for older Japanese clients, RFC
	   2231 in filename*= for the rest. They decode to the same name. */
	ret = buffer_printf(out, "\n--%s\nContent-Type: %s;\n name=\"%s\"\n"
	    "Content-Disposition: attachment;\n filename*=", boundary,
	    f->mime, enc != NULL ? enc : "file");
	g_free(enc);
	if (ret < 0 || put_rfc2231(out, f->name) < 0 ||
	    buffer_append_str(out, "\nContent-Transfer-Encoding: base64\n\n") < 0)
		return -1;
	return put_base64(out, f->data, f->len);
}

int
mailout_write(const struct mail_options *mo, const struct mail_doc *doc,
    const char *what, const char *body, size_t body_len,
    const struct mailout_file *files, struct buffer *out)
{
	char boundary[MAIL_QID_SIZE + 16];
	const struct mailout_file *f;

	if (put_headers(out, doc) < 0 ||
	    buffer_printf(out, "MIME-Version: 1.0\nX-Sanso: %s\n", what) < 0)
		return -1;
	if (mo->qid[0] != '\0' &&
	    buffer_printf(out, "X-Sanso-Id: %s\n", mo->qid) < 0)
		return -1;
	if (files == NULL)
		return put_text(out, mo, body, body_len);
	/* "=_" never occurs in base64, the only encoding used inside. */
	snprintf(boundary, sizeof(boundary), "=_sanso_%s",
	    mo->qid[0] != '\0' ? mo->qid : "part");
	if (buffer_printf(out, "Content-Type: multipart/mixed;\n"
	    " boundary=\"%s\"\n\n--%s\n", boundary, boundary) < 0 ||
	    put_text(out, mo, body, body_len) < 0)
		return -1;
	for (f = files; f != NULL; f = f->next)
		if (put_file(out, boundary, f) < 0)
			return -1;
	return buffer_printf(out, "\n--%s--\n", boundary);
}
