/* fuzz-ooxml - libFuzzer target for ooxml_cdr() in sanitize mode.

   The first byte picks what the rest is, so that the XML editors are
   reached too (a mutated part inside a zip only ever fails its CRC):
     0  a whole package
     1  word/document.xml of a fixed docx
     2  word/_rels/document.xml.rels of a docx whose document uses
        hyperlinks, OLE objects, ActiveX and pictures
     3  a worksheet of a fixed xlsx (with a macro sheet and a link)
     4  a slide of a fixed pptx
   Odd sizes run with links removed, even ones with links kept. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "ooxml_cdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DECL	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
#define RT	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define NS_R	"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PKGR	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
#define CTS	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" \
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" \
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
#define CT_PFX	"application/vnd.openxmlformats-officedocument."

struct part {
	const char *name;
	const void *data;
	size_t len;		/* 0: strlen */
};

static const struct part docx_parts[] = {
	{ "[Content_Types].xml", DECL CTS "<Override PartName=\"/word/document.xml\" "
	    "ContentType=\"" CT_PFX "wordprocessingml.document.main+xml\"/></Types>", 0 },
	{ "_rels/.rels", DECL PKGR "<Relationship Id=\"rId1\" Type=\"" RT "officeDocument\" "
	    "Target=\"word/document.xml\"/></Relationships>", 0 },
	{ "word/document.xml", NULL, 0 },
	{ "word/_rels/document.xml.rels", DECL PKGR
	    "<Relationship Id=\"rId1\" Type=\"" RT "hyperlink\" Target=\"https://a.example/\" TargetMode=\"External\"/>"
	    "<Relationship Id=\"rId2\" Type=\"" RT "oleObject\" Target=\"embeddings/o.bin\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" RT "image\" Target=\"media/i.png\"/>"
	    "<Relationship Id=\"rId4\" Type=\"" RT "control\" Target=\"activeX/a.xml\"/>"
	    "<Relationship Id=\"rId5\" Type=\"" RT "settings\" Target=\"settings.xml\"/>"
	    "</Relationships>", 0 },
	{ "word/embeddings/o.bin", "OLE", 0 },
	{ "word/media/i.png", "PNG", 0 },
	{ "word/activeX/a.xml", DECL "<ax:ocx xmlns:ax=\"a\"/>", 0 },
	{ "word/settings.xml", DECL "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/"
	    "wordprocessingml/2006/main\"/>", 0 },
};

static const char fixed_document[] = DECL
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"" NS_R "\" xmlns:v=\"urn:schemas-microsoft-com:vml\" "
    "xmlns:o=\"urn:schemas-microsoft-com:office:office\"><w:body><w:p>"
    "<w:hyperlink r:id=\"rId1\"><w:r><w:t>a</w:t></w:r></w:hyperlink>"
    "<w:r><w:object><v:shape><v:imagedata r:id=\"rId3\"/></v:shape>"
    "<o:OLEObject r:id=\"rId2\"/><w:control r:id=\"rId4\"/></w:object></w:r>"
    "</w:p></w:body></w:document>";

static const struct part xlsx_parts[] = {
	{ "[Content_Types].xml", DECL CTS "<Override PartName=\"/xl/workbook.xml\" "
	    "ContentType=\"" CT_PFX "spreadsheetml.sheet.main+xml\"/></Types>", 0 },
	{ "_rels/.rels", DECL PKGR "<Relationship Id=\"rId1\" Type=\"" RT "officeDocument\" "
	    "Target=\"xl/workbook.xml\"/></Relationships>", 0 },
	{ "xl/workbook.xml", DECL "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	    "xmlns:r=\"" NS_R "\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
	    "<sheet name=\"M\" sheetId=\"2\" r:id=\"rId2\"/></sheets><externalReferences>"
	    "<externalReference r:id=\"rId3\"/></externalReferences><definedNames>"
	    "<definedName name=\"a\" localSheetId=\"1\">M!A1</definedName></definedNames></workbook>", 0 },
	{ "xl/_rels/workbook.xml.rels", DECL PKGR
	    "<Relationship Id=\"rId1\" Type=\"" RT "worksheet\" Target=\"worksheets/s.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet\" Target=\"macrosheets/m.xml\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" RT "externalLink\" Target=\"externalLinks/e.xml\"/>"
	    "<Relationship Id=\"rId4\" Type=\"" RT "calcChain\" Target=\"calcChain.xml\"/>"
	    "</Relationships>", 0 },
	{ "xl/worksheets/s.xml", NULL, 0 },
	{ "xl/macrosheets/m.xml", DECL "<m/>", 0 },
	{ "xl/externalLinks/e.xml", DECL "<externalLink><ddeLink/></externalLink>", 0 },
	{ "xl/calcChain.xml", DECL "<calcChain/>", 0 },
};

static const struct part pptx_parts[] = {
	{ "[Content_Types].xml", DECL CTS "<Override PartName=\"/ppt/presentation.xml\" "
	    "ContentType=\"" CT_PFX "presentationml.presentation.main+xml\"/></Types>", 0 },
	{ "_rels/.rels", DECL PKGR "<Relationship Id=\"rId1\" Type=\"" RT "officeDocument\" "
	    "Target=\"ppt/presentation.xml\"/></Relationships>", 0 },
	{ "ppt/presentation.xml", DECL "<p:presentation xmlns:p=\"http://schemas.openxmlformats.org/"
	    "presentationml/2006/main\"/>", 0 },
	{ "ppt/_rels/presentation.xml.rels", DECL PKGR
	    "<Relationship Id=\"rId1\" Type=\"" RT "slide\" Target=\"slides/s.xml\"/></Relationships>", 0 },
	{ "ppt/slides/s.xml", NULL, 0 },
	{ "ppt/slides/_rels/s.xml.rels", DECL PKGR
	    "<Relationship Id=\"rId1\" Type=\"" RT "hyperlink\" Target=\"file:///c:/x\" TargetMode=\"External\"/>"
	    "<Relationship Id=\"rId2\" Type=\"" RT "oleObject\" Target=\"../embeddings/o.bin\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" RT "image\" Target=\"../media/i.png\"/>"
	    "</Relationships>", 0 },
	{ "ppt/embeddings/o.bin", "OLE", 0 },
	{ "ppt/media/i.png", "PNG", 0 },
};

/* A stored-entry zip of parts, the one NULL part replaced by the fuzz
   data. Returns a malloc'd buffer or NULL. */
static unsigned char *
build(const struct part *parts, size_t n, size_t slot, const uint8_t *data,
    size_t size, size_t *len_r)
{
	zip_source_t *src, *s;
	unsigned char *buf = NULL;
	zip_error_t ze;
	zip_stat_t st;
	zip_t *z;
	zip_int64_t idx;
	size_t i;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL)
		return NULL;
	zip_source_keep(src);
	if ((z = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		const void *d = i == slot ? (const void *)data : parts[i].data;
		size_t l = i == slot ? size : strlen(parts[i].data);

		if ((s = zip_source_buffer(z, d, l, 0)) == NULL ||
		    (idx = zip_file_add(z, parts[i].name, s, 0)) < 0) {
			zip_source_free(s);
			zip_discard(z);
			goto out;
		}
		zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	if (zip_close(z) < 0) {
		zip_discard(z);
		goto out;
	}
	if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
		buf = malloc(st.size + 1);
		if (buf != NULL &&
		    zip_source_read(src, buf, st.size) != (zip_int64_t)st.size) {
			free(buf);
			buf = NULL;
		}
		*len_r = st.size;
		zip_source_close(src);
	}
out:
	zip_source_free(src);
	zip_error_fini(&ze);
	return buf;
}

static void
run(enum file_type type, const uint8_t *in, size_t len, bool remove_links)
{
	struct cdr_options opts;
	struct limits limits;
	struct cdr_ctx ctx = { 0 };
	struct report *r;
	struct buffer out;

	limits_init(&limits);
	/* keep each run small: the limits are what is being tested */
	limits.archive_total = 64 * 1024 * 1024;
	limits.xml_nodes = 200000;
	cdr_options_init(&opts);
	opts.links = remove_links ? LINKS_REMOVE : LINKS_KEEP;
	ctx.arena = arena_create(64 * 1024 * 1024);
	if (ctx.arena == NULL)
		return;
	ctx.limits = &limits;
	ctx.opts = &opts;
	r = report_new(ctx.arena, "fuzz");
	buffer_init(&out, limits.output_size);
	if (r != NULL)
		(void)ooxml_cdr(&ctx, r, type, in, len, &out);
	buffer_free(&out);
	arena_destroy(ctx.arena);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *zip = NULL;
	size_t len = 0;
	bool rm = size & 1;

	if (size < 1)
		return 0;
	switch (data[0] % 5) {
	case 0:
		run(FT_DOCX, data + 1, size - 1, rm);
		return 0;
	case 1:
		zip = build(docx_parts, 4, 2, data + 1, size - 1, &len);
		break;
	case 2: {
		struct part p[8];

		memcpy(p, docx_parts, sizeof(p));
		p[2].data = fixed_document;
		zip = build(p, 8, 3, data + 1, size - 1, &len);
		break;
	}
	case 3:
		zip = build(xlsx_parts, 8, 4, data + 1, size - 1, &len);
		break;
	case 4:
		zip = build(pptx_parts, 8, 4, data + 1, size - 1, &len);
		break;
	}
	if (zip != NULL)
		run(data[0] % 5 == 3 ? FT_XLSX : data[0] % 5 == 4 ? FT_PPTX :
		    FT_DOCX, zip, len, rm);
	free(zip);
	return 0;
}
