/* test-ooxml_cdr - OOXML CDR: the classifiers on their own, then whole
   packages built in memory, sanitized, and their output re-opened and
   checked part by part. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <zip.h>

#include "ooxml_cdr.h"
#include "ooxml_kind.h"
#include "ooxml_rels.h"
#include "ooxml_sheet.h"
#include "ooxml_word.h"

#define NS_W	"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R	"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_S	"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_P	"http://schemas.openxmlformats.org/presentationml/2006/main"
#define NS_A	"http://schemas.openxmlformats.org/drawingml/2006/main"
#define RT	"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define CT_DOCX	"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
#define CT_DOCM	"application/vnd.ms-word.document.macroEnabled.main+xml"
#define CT_XLSM	"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
#define CT_PPTX	"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
#define DECL	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
#define PKG_RELS "http://schemas.openxmlformats.org/package/2006/relationships"

/* One sanitize (or inspect) run and what it produced. */
struct run {
	struct arena *arena;
	struct limits limits;
	struct cdr_options opts;
	struct cdr_ctx ctx;
	struct report *r;
	struct buffer out;
	int rc;
};

/* ---- building packages ------------------------------------------- */

/* Part contents are NUL-free strings, binary stand-ins included. */
struct entry {
	const char *name;
	const char *data;
};

/* A zip of the given entries, in a malloc'd buffer. */
static unsigned char *
make_zip(const struct entry *e, size_t n, size_t *len_r)
{
	zip_source_t *src, *s;
	zip_error_t ze;
	zip_stat_t st;
	zip_t *z;
	unsigned char *buf;
	size_t i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	for (i = 0; i < n; i++) {
		s = zip_source_buffer(z, e[i].data, strlen(e[i].data), 0);
		assert_non_null(s);
		assert_true(zip_file_add(z, e[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_stat(src, &st), 0);
	buf = malloc(st.size + 1);
	assert_non_null(buf);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_read(src, buf, st.size), (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len_r = st.size;
	return buf;
}

static char *
ctypes(const char *main_ct, const char *more)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/word/document.xml\" ContentType=\"%s\"/>%s</Types>",
	    main_ct, more);
	return buf;
}

#define ROOT_RELS DECL "<Relationships xmlns=\"" PKG_RELS "\"><Relationship Id=\"rId1\" " \
	"Type=\"" RT "officeDocument\" Target=\"word/document.xml\"/></Relationships>"
#define WDOC(body) DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\" " \
	"xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\">" \
	"<w:body>" body "</w:body></w:document>"
#define FLD(instr, result) "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>" instr \
	"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>" result "</w:t></w:r>" \
	"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
#define INSTR(t) "<w:r><w:instrText xml:space=\"preserve\">" t "</w:instrText></w:r>"

static void
run_init(struct run *run, enum link_policy links)
{
	memset(run, 0, sizeof(*run));
	run->arena = arena_create(64 << 20);
	assert_non_null(run->arena);
	limits_init(&run->limits);
	cdr_options_init(&run->opts);
	run->opts.links = links;
	run->ctx.arena = run->arena;
	run->ctx.limits = &run->limits;
	run->ctx.opts = &run->opts;
	buffer_init(&run->out, run->limits.output_size);
}

static void
run_do(struct run *run, enum file_type type, const unsigned char *in,
    size_t len)
{
	run->r = report_new(run->arena, "sample");
	assert_non_null(run->r);
	run->rc = ooxml_cdr(&run->ctx, run->r, type, in, len, &run->out);
}

static void
run_free(struct run *run)
{
	buffer_free(&run->out);
	arena_destroy(run->arena);
}

/* Sanitize the entries as type with the given link policy. */
static void
sanitize(struct run *run, enum file_type type, const struct entry *e,
    size_t n, enum link_policy links)
{
	unsigned char *zip;
	size_t len;

	run_init(run, links);
	zip = make_zip(e, n, &len);
	run_do(run, type, zip, len);
	free(zip);
}

static bool
has(const struct report *r, const char *code, enum finding_action action)
{
	const struct report_finding *f;

	for (f = r->findings; f != NULL; f = f->next) {
		if (strcmp(f->code, code) == 0 && f->action == action)
			return true;
	}
	return false;
}

static bool
any_action(const struct report *r, enum finding_action action)
{
	return report_has_action(r, action);
}

/* The content of a part of the output, malloc'd and NUL-terminated,
   or NULL when the part is absent. */
static char *
out_part(const struct run *run, const char *name)
{
	zip_source_t *src;
	zip_error_t ze;
	zip_file_t *f;
	zip_stat_t st;
	zip_t *z;
	char *buf = NULL;

	zip_error_init(&ze);
	src = zip_source_buffer_create(run->out.data, run->out.used, 0, &ze);
	assert_non_null(src);
	z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	assert_non_null(z);
	if (zip_stat(z, name, 0, &st) == 0) {
		buf = calloc(1, st.size + 1);
		f = zip_fopen(z, name, 0);
		assert_non_null(f);
		assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
		assert_int_equal(zip_fclose(f), 0);
	}
	zip_discard(z);
	zip_error_fini(&ze);
	return buf;
}

static bool
out_contains(const struct run *run, const char *name, const char *needle)
{
	char *s = out_part(run, name);
	bool hit;

	assert_non_null(s);
	hit = strstr(s, needle) != NULL;
	free(s);
	return hit;
}

static bool
out_has_part(const struct run *run, const char *name)
{
	char *s = out_part(run, name);

	free(s);
	return s != NULL;
}

/* Sanitize the output again: nothing may be removed or blocked. */
static void
assert_idempotent(const struct run *first, enum file_type type)
{
	struct run again;

	run_init(&again, first->opts.links);
	run_do(&again, type, first->out.data, first->out.used);
	assert_int_equal(again.rc, 0);
	assert_false(any_action(again.r, FINDING_REMOVED));
	assert_false(any_action(again.r, FINDING_BLOCKED));
	run_free(&again);
}

/* ---- classifiers ------------------------------------------------- */

static enum ooxml_field_class
cls(const char *s)
{
	return ooxml_field_classify(s, strlen(s));
}

static void
test_field_classify(void **state)
{
	assert_int_equal(cls(" PAGE \\* MERGEFORMAT "), OOXML_FIELD_HARMLESS);
	assert_int_equal(cls("toc \\o \"1-3\""), OOXML_FIELD_HARMLESS);
	assert_int_equal(cls("= SUM(ABOVE)"), OOXML_FIELD_HARMLESS);
	assert_int_equal(cls(""), OOXML_FIELD_HARMLESS);
	assert_int_equal(cls("FILENAME"), OOXML_FIELD_HARMLESS);
	assert_int_equal(cls("FILENAME \\p"), OOXML_FIELD_OTHER);
	assert_int_equal(cls("DDEAUTO c:\\\\x \"y\""), OOXML_FIELD_DDE);
	assert_int_equal(cls("\t dDe cmd"), OOXML_FIELD_DDE);
	assert_int_equal(cls("INCLUDETEXT \"x\""), OOXML_FIELD_OTHER);
	assert_int_equal(cls("INCLUDEPICTURE \"http://x/y.png\""),
	    OOXML_FIELD_OTHER);
	assert_int_equal(cls("MACROBUTTON x y"), OOXML_FIELD_OTHER);
	assert_int_equal(cls("PAGEX"), OOXML_FIELD_OTHER);
	/* a nested field in the name position is never harmless */
	assert_int_equal(cls("\x01 cmd"), OOXML_FIELD_OTHER);
	assert_int_equal(cls("PA\x01GE"), OOXML_FIELD_OTHER);
	assert_int_equal(cls("DD\x01"), OOXML_FIELD_OTHER);
	assert_int_equal(cls("HYPERLINK \"https://example.org/\""),
	    OOXML_FIELD_HYPERLINK);
	assert_int_equal(cls("HYPERLINK \\l \"bookmark\""),
	    OOXML_FIELD_HARMLESS);
	assert_int_equal(cls("HYPERLINK \"file:///c:/x.exe\""),
	    OOXML_FIELD_OTHER);
	assert_int_equal(cls("HYPERLINK \"\\\\\\\\host\\\\share\""),
	    OOXML_FIELD_OTHER);
	assert_int_equal(cls("HYPERLINK \"\x01\""), OOXML_FIELD_OTHER);
}

static void
test_formula_scan(void **state)
{
	assert_int_equal(ooxml_formula_scan("SUM(A1:A3)"), 0);
	assert_int_equal(ooxml_formula_scan("cmd|' /C calc'!A0"),
	    OOXML_FORMULA_DDE);
	assert_int_equal(ooxml_formula_scan("\"a|b\"&'x|y'!A1"), 0);
	assert_int_equal(ooxml_formula_scan("[1]Sheet1!A1"),
	    OOXML_FORMULA_EXTREF);
	assert_int_equal(ooxml_formula_scan("'[2]My Sheet'!A1"),
	    OOXML_FORMULA_EXTREF);
	assert_int_equal(ooxml_formula_scan("Table1[Col]"), 0);
	assert_int_equal(ooxml_formula_scan("_xlfn.CALL(\"k\",\"W\")"),
	    OOXML_FORMULA_XLM);
	assert_int_equal(ooxml_formula_scan("register.id(\"k\")"),
	    OOXML_FORMULA_XLM);
	assert_int_equal(ooxml_formula_scan("RECALL(1)"), 0);
	assert_int_equal(ooxml_formula_scan("\"CALL(\""), 0);
}

static void
test_urls_and_types(void **state)
{
	assert_true(ooxml_url_is_web("https://example.org/a"));
	assert_true(ooxml_url_is_web("MAILTO:a@example.org"));
	assert_false(ooxml_url_is_web("http:evil"));
	assert_false(ooxml_url_is_web(" https://example.org/"));
	assert_false(ooxml_url_is_web("file:///c:/x"));
	assert_false(ooxml_url_is_web("ms-msdt:/id x"));
	assert_false(ooxml_url_is_web("docs/other.docx"));
	assert_true(ooxml_url_is_absolute("mhtml:http://x!y"));
	assert_true(ooxml_url_is_absolute("\\\\host\\share"));
	assert_true(ooxml_url_is_absolute("  //host/x"));
	assert_false(ooxml_url_is_absolute("media/image1.png"));
	assert_false(ooxml_url_is_absolute("../embeddings/x.bin"));
	assert_int_equal(ooxml_reltype_of(RT "attachedTemplate"),
	    OOXML_RT_LINKONLY);
	assert_int_equal(ooxml_reltype_of(
	    "http://purl.oclc.org/ooxml/officeDocument/relationships/oleObject"),
	    OOXML_RT_OLE);
	assert_int_equal(ooxml_reltype_of(
	    "http://schemas.microsoft.com/office/2006/relationships/VBAPROJECT"),
	    OOXML_RT_VBA);
	assert_int_equal(ooxml_reltype_of(
	    "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"),
	    OOXML_RT_CUSTOMUI);
	assert_int_equal(ooxml_reltype_of(RT "image"), OOXML_RT_OTHER);
	assert_int_equal(ooxml_kind_of_name("xl/intlmacrosheets/s.xml"),
	    OOXML_KIND_XLM);
	assert_int_equal(ooxml_kind_of_name("word/media/vbaproject.bin"),
	    OOXML_KIND_VBA);
	assert_int_equal(ooxml_kind_of_name("word/myembeddings/x.png"),
	    OOXML_KIND_NONE);
	assert_int_equal(ooxml_kind_of_ctype(
	    "application/vnd.ms-excel.sheet.binary.macroEnabled.main"),
	    OOXML_KIND_NONE);
}

static void
test_rels_keys(void **state)
{
	struct arena *a = arena_create(1 << 20);

	assert_string_equal(ooxml_rels_key_of(a, "word/Document.xml"),
	    "word/_rels/document.xml.rels");
	assert_string_equal(ooxml_rels_key_of(a, NULL), "_rels/.rels");
	assert_string_equal(ooxml_rels_source_key(a, "_rels/.rels"), "");
	assert_string_equal(ooxml_rels_source_key(a,
	    "word/_rels/document.xml.rels"), "word/document.xml");
	assert_null(ooxml_rels_source_key(a, "word/document.xml.rels"));
	assert_null(ooxml_rels_source_key(a, "word/x_rels/a.xml.rels"));
	arena_destroy(a);
}

/* ---- whole packages ---------------------------------------------- */

static void
test_clean_docx(void **state)
{
	const struct entry e[] = {
		{ "[Content_Types].xml", ctypes(CT_DOCX, "") },
		{ "_rels/.rels", ROOT_RELS },
		{ "word/document.xml", WDOC("<w:p>" FLD(INSTR(" PAGE "), "1")
		    "<w:r><w:t>hello</w:t></w:r></w:p>") },
	};
	struct run run;
	char *doc;

	sanitize(&run, FT_DOCX, e, 3, LINKS_KEEP);
	assert_int_equal(run.rc, 0);
	assert_int_equal(report_verdict(run.r), VERDICT_CLEAN);
	assert_int_equal(run.r->finding_count, 0);
	assert_null(run.r->new_ext);
	doc = out_part(&run, "word/document.xml");
	assert_string_equal(doc, e[2].data);	/* copied as it was */
	free(doc);
	run_free(&run);
}

static void
test_docm_vba(void **state)
{
	const struct entry e[] = {
		{ "[Content_Types].xml", ctypes(CT_DOCM,
		    "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/>") },
		{ "_rels/.rels", ROOT_RELS },
		{ "word/document.xml", WDOC("<w:p/>") },
		{ "word/_rels/document.xml.rels", DECL "<Relationships xmlns=\"" PKG_RELS "\">"
		    "<Relationship Id=\"rId1\" Type=\"http://schemas.microsoft.com/office/2006/relationships/vbaProject\" Target=\"vbaProject.bin\"/>"
		    "</Relationships>" },
		{ "word/vbaProject.bin", "\xd0\xcf\x11\xe0 not really" },
	};
	struct run run;

	sanitize(&run, FT_DOCM, e, 5, LINKS_KEEP);
	assert_int_equal(run.rc, 0);
	assert_true(has(run.r, "ooxml.vba", FINDING_REMOVED));
	assert_true(has(run.r, "ooxml.macro_enabled", FINDING_REMOVED));
	assert_string_equal(run.r->new_ext, "docx");
	assert_false(out_has_part(&run, "word/vbaProject.bin"));
	assert_true(out_contains(&run, "[Content_Types].xml", CT_DOCX));
	assert_false(out_contains(&run, "[Content_Types].xml", "vbaProject"));
	assert_false(out_contains(&run, "word/_rels/document.xml.rels",
	    "vbaProject"));
	assert_idempotent(&run, FT_DOCX);
	run_free(&run);
}

static const struct entry template_pkg[] = {
	{ "[Content_Types].xml", NULL },
	{ "_rels/.rels", ROOT_RELS },
	{ "word/document.xml", WDOC("<w:p><w:r><w:t>x</w:t></w:r></w:p>") },
	{ "word/_rels/document.xml.rels", DECL "<Relationships xmlns=\"" PKG_RELS "\">"
	    "<Relationship Id=\"rId1\" Type=\"" RT "settings\" Target=\"settings.xml\"/></Relationships>" },
	{ "word/settings.xml", DECL "<w:settings xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\">"
	    "<w:attachedTemplate r:id=\"rId7\"/></w:settings>" },
	/* odd case and blanks around the mode, the value as a character
	   reference */
	{ "word/_rels/settings.xml.rels", DECL "<Relationships xmlns=\"" PKG_RELS "\">"
	    "<Relationship Id=\"rId7\" Type=\"" RT "attachedTemplate\" "
	    "Target=\"\\\\evil\\t.dotm\" TargetMode=\" &#69;XTERNAL\"/></Relationships>" },
};

static void
test_remote_template(void **state)
{
	struct entry e[6];
	struct run run;

	memcpy(e, template_pkg, sizeof(e));
	e[0].data = ctypes(CT_DOCX, "");
	sanitize(&run, FT_DOCX, e, 6, LINKS_KEEP);
	assert_int_equal(run.rc, 0);
	assert_true(has(run.r, "ooxml.external_rel", FINDING_REMOVED));
	assert_int_equal(report_verdict(run.r), VERDICT_SANITIZED);
	assert_false(out_contains(&run, "word/settings.xml", "attachedTemplate"));
	assert_false(out_contains(&run, "word/_rels/settings.xml.rels", "evil"));
	assert_idempotent(&run, FT_DOCX);
	run_free(&run);
}

static void
test_inspect_mode(void **state)
{
	struct entry e[6];
	unsigned char *zip;
	struct run run;
	size_t len;

	memcpy(e, template_pkg, sizeof(e));
	e[0].data = ctypes(CT_DOCX, "");
	run_init(&run, LINKS_KEEP);
	run.ctx.inspect = true;
	zip = make_zip(e, 6, &len);
	run_do(&run, FT_DOCX, zip, len);
	free(zip);
	assert_int_equal(run.rc, 0);
	assert_true(has(run.r, "ooxml.external_rel", FINDING_REMOVED));
	assert_int_equal(run.out.used, 0);
	run_free(&run);
}

static void
test_dde_split(void **state)
{
	const struct entry e[] = {
		{ "[Content_Types].xml", ctypes(CT_DOCX, "") },
		{ "_rels/.rels", ROOT_RELS },
		{ "word/document.xml", WDOC("<w:p>" FLD(INSTR("dD") INSTR("eAuTo c:\\\\x.exe")
		    INSTR(" \"/c calc\""), "SHOWN") "</w:p>"
		    "<w:p><w:fldSimple w:instr=\"INCLUDETEXT x\"><w:r><w:t>KEPT</w:t></w:r>"
		    "</w:fldSimple><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>") },
	};
	struct run run;

	sanitize(&run, FT_DOCX, e, 3, LINKS_KEEP);
	assert_int_equal(run.rc, 0);
	assert_true(has(run.r, "ooxml.dde", FINDING_REMOVED));
	assert_true(has(run.r, "ooxml.field_code", FINDING_REMOVED));
	assert_false(out_contains(&run, "word/document.xml", "instrText"));
	assert_false(out_contains(&run, "word/document.xml", "fldChar"));
	assert_false(out_contains(&run, "word/document.xml", "fldSimple"));
	assert_true(out_contains(&run, "word/document.xml", "SHOWN"));
	assert_true(out_contains(&run, "word/document.xml", "KEPT"));
	assert_idempotent(&run, FT_DOCX);
	run_free(&run);
}

static void
test_hyperlink_policy(void **state)
{
	const struct entry e[] = {
		{ "[Content_Types].xml", ctypes(CT_DOCX, "") },
		{ "_rels/.rels", ROOT_RELS },
		{ "word/document.xml", WDOC("<w:p><w:hyperlink r:id=\"rId3\"><w:r><w:t>LINKTEXT"
		    "</w:t></w:r></w:hyperlink></w:p>") },
		{ "word/_rels/document.xml.rels", DECL "<Relationships xmlns=\"" PKG_RELS "\">"
		    "<Relationship Id=\"rId3\" Type=\"" RT "hyperlink\" Target=\"https://example.org/\" "
		    "TargetMode=\"External\"/></Relationships>" },
	};
	struct run run;

	sanitize(&run, FT_DOCX, e, 4, LINKS_KEEP);
	assert_int_equal(report_verdict(run.r), VERDICT_CLEAN);
	assert_true(has(run.r, "ooxml.hyperlink", FINDING_REPORTED));
	assert_true(out_contains(&run, "word/document.xml", "w:hyperlink"));
	run_free(&run);

	sanitize(&run, FT_DOCX, e, 4, LINKS_REMOVE);
	assert_int_equal(report_verdict(run.r), VERDICT_SANITIZED);
	assert_true(has(run.r, "ooxml.hyperlink", FINDING_REMOVED));
	assert_false(out_contains(&run, "word/document.xml", "w:hyperlink"));
	assert_true(out_contains(&run, "word/document.xml", "LINKTEXT"));
	assert_false(out_contains(&run, "word/_rels/document.xml.rels",
	    "example.org"));
	assert_idempotent(&run, FT_DOCX);
	run_free(&run);
}

static void
test_ole_word(void **state)
{
	const struct entry e[] = {
		{ "[Content_Types].xml", ctypes(CT_DOCX,
		    "<Default Extension=\"png\" ContentType=\"image/png\"/>") },
		{ "_rels/.rels", ROOT_RELS },
		{ "word/document.xml", WDOC("<w:p><w:r><w:object w:dxaOrig=\"1\" w:dyaOrig=\"1\">"
		    "<v:shape id=\"s1\" o:ole=\"\"><v:imagedata r:id=\"rId4\"/></v:shape>"
		    "<o:OLEObject Type=\"Embed\" ProgID=\"Package\" r:id=\"rId5\"/></w:object></w:r></w:p>") },
		{ "word/_rels/document.xml.rels", DECL "<Relationships xmlns=\"" PKG_RELS "\">"
		    "<Relationship Id=\"rId4\" Type=\"" RT "image\" Target=\"media/image1.png\"/>"
		    "<Relationship Id=\"rId5\" Type=\"" RT "oleObject\" Target=\"embeddings/oleObject1.bin\"/>"
		    "</Relationships>" },
		{ "word/media/image1.png", "\x89PNG" },
		{ "word/embeddings/oleObject1.bin", "\xd0\xcf\x11\xe0" },
	};
	struct run run;

	sanitize(&run, FT_DOCX, e, 6, LINKS_KEEP);
	assert_true(has(run.r, "ooxml.ole_object", FINDING_REMOVED));
	assert_false(out_has_part(&run, "word/embeddings/oleObject1.bin"));
	assert_true(out_has_part(&run, "word/media/image1.png"));
	/* the preview stays as a picture */
	assert_true(out_contains(&run, "word/document.xml", "<w:pict>"));
	assert_true(out_contains(&run, "word/document.xml", "r:id=\"rId4\""));
	assert_false(out_contains(&run, "word/document.xml", "OLEObject"));
	assert_false(out_contains(&run, "word/document.xml", "o:ole"));
	assert_idempotent(&run, FT_DOCX);
	run_free(&run);
}

static void
test_xlsm_macrosheet(void **state)
{
	char ct[1024];
	const struct entry e[] = {
		{ "[Content_Types].xml", ct },
		{ "_rels/.rels", DECL "<Relationships xmlns=\"" PKG_RELS "\"><Relationship Id=\"rId1\" "
		    "Type=\"" RT "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>" },
		{ "xl/workbook.xml", DECL "<workbook xmlns=\"" NS_S "\" xmlns:r=\"" NS_R "\">"
		    "<bookViews><workbookView activeTab=\"2\" firstSheet=\"1\"/></bookViews><sheets>"
		    "<sheet name=\"A\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"M\" sheetId=\"2\" r:id=\"rId2\"/>"
		    "<sheet name=\"B\" sheetId=\"3\" r:id=\"rId3\"/></sheets><definedNames>"
		    "<definedName name=\"_xlnm.Auto_Open\">M!$A$1</definedName>"
		    "<definedName name=\"loc\" localSheetId=\"2\">B!$A$1</definedName>"
		    "<definedName name=\"dde\">cmd|'/c calc'!A0</definedName></definedNames></workbook>" },
		{ "xl/_rels/workbook.xml.rels", DECL "<Relationships xmlns=\"" PKG_RELS "\">"
		    "<Relationship Id=\"rId1\" Type=\"" RT "worksheet\" Target=\"worksheets/a.xml\"/>"
		    "<Relationship Id=\"rId2\" Type=\"http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet\" Target=\"macrosheets/m.xml\"/>"
		    "<Relationship Id=\"rId3\" Type=\"" RT "worksheet\" Target=\"/xl/worksheets/b.xml\"/>"
		    "</Relationships>" },
		{ "xl/worksheets/a.xml", DECL "<worksheet xmlns=\"" NS_S "\"><sheetData><row r=\"1\">"
		    "<c r=\"A1\"><f>cmd|' /c calc'!A0</f><v>0</v></c><c r=\"B1\"><f>1+1</f><v>2</v></c>"
		    "</row></sheetData></worksheet>" },
		{ "xl/worksheets/b.xml", DECL "<worksheet xmlns=\"" NS_S "\"><sheetData/></worksheet>" },
		{ "xl/macrosheets/m.xml", DECL "<xm:macrosheet xmlns:xm=\"x\"/>" },
	};
	struct run run;
	char *wb;

	snprintf(ct, sizeof(ct), DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"%s\"/></Types>", CT_XLSM);
	sanitize(&run, FT_XLSM, e, 7, LINKS_KEEP);
	assert_int_equal(run.rc, 0);
	assert_true(has(run.r, "ooxml.xlm", FINDING_REMOVED));
	assert_true(has(run.r, "ooxml.dde", FINDING_REMOVED));
	assert_true(has(run.r, "ooxml.macro_enabled", FINDING_REMOVED));
	assert_string_equal(run.r->new_ext, "xlsx");
	assert_false(out_has_part(&run, "xl/macrosheets/m.xml"));
	wb = out_part(&run, "xl/workbook.xml");
	assert_null(strstr(wb, "name=\"M\""));
	assert_null(strstr(wb, "Auto_Open"));
	assert_null(strstr(wb, "cmd|"));
	assert_non_null(strstr(wb, "localSheetId=\"1\""));
	assert_non_null(strstr(wb, "activeTab=\"1\""));
	free(wb);
	assert_false(out_contains(&run, "xl/worksheets/a.xml", "cmd|"));
	assert_true(out_contains(&run, "xl/worksheets/a.xml", "<f>1+1</f>"));
	assert_idempotent(&run, FT_XLSX);
	run_free(&run);
}

static void
test_pptx_ole_frame(void **state)
{
	char ct[1024];
	const struct entry e[] = {
		{ "[Content_Types].xml", ct },
		{ "_rels/.rels", DECL "<Relationships xmlns=\"" PKG_RELS "\"><Relationship Id=\"rId1\" "
		    "Type=\"" RT "officeDocument\" Target=\"ppt/presentation.xml\"/></Relationships>" },
		{ "ppt/presentation.xml", DECL "<p:presentation xmlns:p=\"" NS_P "\" xmlns:r=\"" NS_R "\">"
		    "<p:sldIdLst><p:sldId id=\"256\" r:id=\"rId2\"/></p:sldIdLst></p:presentation>" },
		{ "ppt/_rels/presentation.xml.rels", DECL "<Relationships xmlns=\"" PKG_RELS "\">"
		    "<Relationship Id=\"rId2\" Type=\"" RT "slide\" Target=\"slides/slide1.xml\"/></Relationships>" },
		/* the frame declares the namespaces its content uses */
		{ "ppt/slides/slide1.xml", DECL "<p:sld xmlns:p=\"" NS_P "\"><p:cSld><p:spTree>"
		    "<p:graphicFrame xmlns:a=\"" NS_A "\" xmlns:r=\"" NS_R "\"><p:nvGraphicFramePr>"
		    "<p:cNvPr id=\"7\" name=\"o\"/></p:nvGraphicFramePr><p:xfrm><a:off x=\"1\" y=\"2\"/>"
		    "<a:ext cx=\"3\" cy=\"4\"/></p:xfrm><a:graphic><a:graphicData uri=\"u\">"
		    "<p:oleObj r:id=\"rId3\"><p:embed/><p:pic><p:nvPicPr><p:cNvPr id=\"0\" name=\"\"/>"
		    "</p:nvPicPr><p:blipFill><a:blip r:embed=\"rId4\"/></p:blipFill><p:spPr/></p:pic>"
		    "</p:oleObj></a:graphicData></a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>" },
		{ "ppt/slides/_rels/slide1.xml.rels", DECL "<Relationships xmlns=\"" PKG_RELS "\">"
		    "<Relationship Id=\"rId3\" Type=\"" RT "oleObject\" Target=\"../embeddings/o.bin\"/>"
		    "<Relationship Id=\"rId4\" Type=\"" RT "image\" Target=\"../media/i.png\"/></Relationships>" },
		{ "ppt/embeddings/o.bin", "OLE" },
		{ "ppt/media/i.png", "PNG" },
	};
	struct run run;
	char *s;

	snprintf(ct, sizeof(ct), DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/ppt/presentation.xml\" ContentType=\"%s\"/></Types>", CT_PPTX);
	sanitize(&run, FT_PPTX, e, 8, LINKS_KEEP);
	assert_int_equal(run.rc, 0);
	assert_true(has(run.r, "ooxml.ole_object", FINDING_REMOVED));
	s = out_part(&run, "ppt/slides/slide1.xml");
	assert_null(strstr(s, "oleObj"));
	assert_null(strstr(s, "graphicFrame"));
	assert_non_null(strstr(s, "p:pic"));
	assert_non_null(strstr(s, "r:embed=\"rId4\""));
	assert_non_null(strstr(s, "<a:off x=\"1\" y=\"2\"/>"));
	assert_non_null(strstr(s, "id=\"7\""));
	free(s);
	assert_idempotent(&run, FT_PPTX);
	run_free(&run);
}

/* ---- refusals ---------------------------------------------------- */

static void
expect_blocked(const struct entry *e, size_t n, const char *code,
    void (*tune)(struct limits *))
{
	unsigned char *zip;
	struct run run;
	size_t len;

	run_init(&run, LINKS_KEEP);
	if (tune != NULL)
		tune(&run.limits);
	zip = make_zip(e, n, &len);
	run_do(&run, FT_DOCX, zip, len);
	free(zip);
	assert_int_equal(run.rc, 0);
	if (!has(run.r, code, FINDING_BLOCKED))
		print_message("expected %s, first finding %s\n", code,
		    run.r->findings != NULL ? run.r->findings->code : "none");
	assert_true(has(run.r, code, FINDING_BLOCKED));
	assert_int_equal(report_verdict(run.r), VERDICT_BLOCKED);
	assert_int_equal(run.out.used, 0);
	run_free(&run);
}

static void
tune_depth(struct limits *l)
{
	l->xml_depth = 4;
}

static void
tune_nodes(struct limits *l)
{
	l->xml_nodes = 3;
}

static void
tune_entries(struct limits *l)
{
	l->archive_entries = 2;
}

static void
tune_ratio(struct limits *l)
{
	l->archive_ratio = 1;
}

static void
test_refusals(void **state)
{
	struct entry e[] = {
		{ "[Content_Types].xml", ctypes(CT_DOCX, "") },
		{ "_rels/.rels", ROOT_RELS },
		{ "word/document.xml", WDOC("<w:p><w:r><w:t>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "</w:t></w:r></w:p>") },
		{ "WORD/Document.XML", "<x/>" },
	};
	char dtd[] = DECL "<!DOCTYPE x [<!ENTITY a \"b\">]><w:document xmlns:w=\"" NS_W "\">&a;</w:document>";
	struct run run;
	const unsigned char junk[] = "PK\x03\x04 not a zip at all";

	expect_blocked(e, 4, "ooxml.malformed", NULL);	/* duplicate */
	e[3].name = "../x";
	expect_blocked(e, 4, "ooxml.malformed", NULL);	/* traversal */
	expect_blocked(e, 3, "limit.xml_depth", tune_depth);
	expect_blocked(e, 3, "limit.xml_nodes", tune_nodes);
	expect_blocked(e, 3, "limit.archive_entries", tune_entries);
	expect_blocked(e, 3, "limit.archive_ratio", tune_ratio);
	expect_blocked(e, 2, "ooxml.malformed", NULL);	/* no main part */
	e[2].data = dtd;
	expect_blocked(e, 3, "ooxml.malformed", NULL);
	run_init(&run, LINKS_KEEP);
	run_do(&run, FT_DOCX, junk, sizeof(junk) - 1);
	assert_int_equal(run.rc, 0);
	assert_true(has(run.r, "ooxml.malformed", FINDING_BLOCKED));
	run_free(&run);
}

static void
test_odd_parts(void **state)
{
	const struct entry e[] = {
		{ "[Content_Types].xml", ctypes(CT_DOCX, "") },
		{ "_rels/.rels", ROOT_RELS },
		{ "word/document.xml", WDOC("<w:p><w:hyperlink r:id=\"rId2\"><w:r><w:t>x"
		    "</w:t></w:r></w:hyperlink></w:p>") },
		/* a hyperlink to a part of the package, and a relationship
		   to a part that does not exist */
		{ "word/_rels/document.xml.rels", DECL "<Relationships xmlns=\"" PKG_RELS "\">"
		    "<Relationship Id=\"rId2\" Type=\"" RT "hyperlink\" Target=\"payload.exe\"/>"
		    "<Relationship Id=\"rId3\" Type=\"" RT "image\" Target=\"media/none.png\"/>"
		    "</Relationships>" },
		{ "word/payload.exe", "MZ" },
		{ "word/orphan.xml", "<x/>" },
		{ "word/_rels/orphan2.xml.rels", "<x/>" },
	};
	struct run run;

	sanitize(&run, FT_DOCX, e, 7, LINKS_KEEP);
	assert_int_equal(run.rc, 0);
	assert_true(has(run.r, "ooxml.external_rel", FINDING_REMOVED));
	assert_false(out_has_part(&run, "word/payload.exe"));
	assert_false(out_has_part(&run, "word/orphan.xml"));
	assert_false(out_has_part(&run, "word/_rels/orphan2.xml.rels"));
	assert_false(out_contains(&run, "word/_rels/document.xml.rels",
	    "none.png"));
	assert_true(out_contains(&run, "word/document.xml", ">x<"));
	assert_idempotent(&run, FT_DOCX);
	run_free(&run);
}

static void
test_encoding_refused(void **state)
{
	const struct entry e[] = {
		{ "[Content_Types].xml", ctypes(CT_DOCX, "") },
		{ "_rels/.rels", ROOT_RELS },
		{ "word/document.xml", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
		    "<w:document xmlns:w=\"" NS_W "\"><w:body/></w:document>" },
	};

	expect_blocked(e, 3, "ooxml.malformed", NULL);
}

static void
test_output_limit(void **state)
{
	const struct entry e[] = {
		{ "[Content_Types].xml", ctypes(CT_DOCX, "") },
		{ "_rels/.rels", ROOT_RELS },
		{ "word/document.xml", WDOC("<w:p/>") },
	};
	unsigned char *zip;
	struct run run;
	size_t len;

	run_init(&run, LINKS_KEEP);
	run.out.max = 100;
	zip = make_zip(e, 3, &len);
	run_do(&run, FT_DOCX, zip, len);
	free(zip);
	assert_int_equal(run.rc, -1);
	assert_non_null(run.r->error);
	run_free(&run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_classify),
		cmocka_unit_test(test_formula_scan),
		cmocka_unit_test(test_urls_and_types),
		cmocka_unit_test(test_rels_keys),
		cmocka_unit_test(test_clean_docx),
		cmocka_unit_test(test_docm_vba),
		cmocka_unit_test(test_remote_template),
		cmocka_unit_test(test_inspect_mode),
		cmocka_unit_test(test_dde_split),
		cmocka_unit_test(test_hyperlink_policy),
		cmocka_unit_test(test_ole_word),
		cmocka_unit_test(test_xlsm_macrosheet),
		cmocka_unit_test(test_pptx_ole_frame),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_odd_parts),
		cmocka_unit_test(test_encoding_refused),
		cmocka_unit_test(test_output_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
