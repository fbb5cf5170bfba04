/* fuzz-filetype - filetype_detect on any bytes, under each kind of name
   (the name steers text classification), plus the name and MIME maps on
   the same bytes read as a string. Inputs starting with 'Z' are split at
   the first NUL into a [Content_Types].xml and a _rels/.rels and zipped
   with libzip first, so the OPC code is reached by more than luck. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "filetype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
add(zip_t *za, const char *name, const void *d, size_t len)
{
	zip_source_t *s = zip_source_buffer(za, d, len, 0);

	if (s == NULL)
		return -1;
	if (zip_file_add(za, name, s, 0) < 0) {
		zip_source_free(s);
		return -1;
	}
	return 0;
}

/* An OOXML-shaped zip of the input; returns malloc'd bytes or NULL. */
static unsigned char *
opc_zip(const uint8_t *data, size_t size, size_t *len)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t ctlen = nul != NULL ? (size_t)(nul - data) : size;
	zip_source_t *src;
	zip_stat_t st;
	zip_t *za;
	unsigned char *out = NULL;

	if ((src = zip_source_buffer_create(NULL, 0, 0, NULL)) == NULL)
		return NULL;
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, NULL)) == NULL) {
		zip_source_free(src);
		return NULL;
	}
	zip_source_keep(src);
	if (add(za, "[Content_Types].xml", data, ctlen) < 0 ||
	    (nul != NULL && add(za, "_rels/.rels", nul + 1, size - ctlen - 1) < 0) ||
	    add(za, "word/document.xml", "<w/>", 4) < 0 ||
	    add(za, "xl/workbook.bin", "x", 1) < 0 || zip_close(za) < 0) {
		zip_discard(za);
		zip_source_free(src);
		return NULL;
	}
	zip_stat_init(&st);
	if (zip_source_open(src) == 0) {
		if (zip_source_stat(src, &st) == 0 && (out = malloc(st.size)) != NULL &&
		    zip_source_read(src, out, st.size) != (zip_int64_t)st.size) {
			free(out);
			out = NULL;
		}
		zip_source_close(src);
	}
	zip_source_free(src);
	*len = st.size;
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		NULL, "a.txt", "a.csv", "a.html", "a.js", "a.docx", "a.reg",
		"a.url", "a.svg", "invoice.pdf.txt",
	};
	struct limits limits;
	enum file_type t, d;
	unsigned char *z;
	size_t zlen;
	char *s;

	limits_init(&limits);
	if (size > 1 && data[0] == 'Z' && (z = opc_zip(data + 1, size - 1, &zlen)) != NULL) {
		(void)filetype_detect(z, zlen, NULL, &limits);
		free(z);
	}
	/* The first byte picks the name and is part of the input too. */
	t = filetype_detect(data, size, names[size > 0 ? data[0] % 10 : 0],
	    &limits);
	(void)filetype_name(t);
	(void)filetype_macro_free(t);
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	d = filetype_from_name(s);
	(void)filetype_compatible(d, t);
	d = filetype_from_mime(s);
	(void)filetype_compatible(d, t);
	free(s);
	return 0;
}
