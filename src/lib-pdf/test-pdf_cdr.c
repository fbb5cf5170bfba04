/* test-pdf_cdr - PDFs built here byte by byte go through pdf_cdr(); the
   findings are checked, and every output is parsed again by pdf_cdr()
   itself (idempotence) and searched for what must be gone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pdf_cdr.h"

#define MAX_OBJS 64

/* One-page document: catalog 1, pages 2, page 3, contents 4, font 5;
   the caller adds objects from 6 on and extra catalog / page keys. */
struct doc {
	const char *obj[MAX_OBJS];	/* body of object n, NULL = free */
	int count;			/* highest object number + 1 */
	const char *trailer;		/* extra trailer keys */
};

static void
doc_init(struct doc *d, const char *catalog, const char *page)
{
	static char cat[512], pg[512];

	memset(d, 0, sizeof(*d));
	snprintf(cat, sizeof(cat), "<< /Type /Catalog /Pages 2 0 R %s >>",
	    catalog);
	snprintf(pg, sizeof(pg), "<< /Type /Page /Parent 2 0 R "
	    "/MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
	    "/Contents 4 0 R %s >>", page);
	d->obj[1] = cat;
	d->obj[2] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
	d->obj[3] = pg;
	d->obj[4] = "<< /Length 43 >>\nstream\n"
	    "BT /F1 24 Tf 72 720 Td (Hello, sanso) Tj ET\nendstream";
	d->obj[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
	d->count = 6;
	d->trailer = "";
}

static void
doc_set(struct doc *d, int num, const char *body)
{
	d->obj[num] = body;
	if (num >= d->count)
		d->count = num + 1;
}

/* Objects, classic xref table and trailer with correct offsets. */
static void
doc_write(const struct doc *d, struct buffer *b)
{
	size_t ofs[MAX_OBJS] = { 0 }, xref;
	int n;

	buffer_append_str(b, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
	for (n = 1; n < d->count; n++) {
		if (d->obj[n] == NULL)
			continue;
		ofs[n] = b->used;
		buffer_printf(b, "%d 0 obj\n%s\nendobj\n", n, d->obj[n]);
	}
	xref = b->used;
	buffer_printf(b, "xref\n0 %d\n0000000000 65535 f \n", d->count);
	for (n = 1; n < d->count; n++) {
		if (d->obj[n] == NULL)
			buffer_append_str(b, "0000000000 65535 f \n");
		else
			buffer_printf(b, "%010zu 00000 n \n", ofs[n]);
	}
	buffer_printf(b, "trailer\n<< /Size %d /Root 1 0 R %s >>\n"
	    "startxref\n%zu\n%%%%EOF\n", d->count, d->trailer, xref);
}

struct run {
	struct limits limits;
	struct cdr_options opts;
	struct cdr_ctx ctx;
	struct arena *arena;
	struct report *r;
	struct buffer out;
	int ret;
};

static void
run_init(struct run *t)
{
	memset(t, 0, sizeof(*t));
	limits_init(&t->limits);
	cdr_options_init(&t->opts);
	t->arena = arena_create(1 << 20);
	assert_non_null(t->arena);
	t->ctx.arena = t->arena;
	t->ctx.limits = &t->limits;
	t->ctx.opts = &t->opts;
	buffer_init(&t->out, t->limits.output_size);
}

static void
run_bytes(struct run *t, const unsigned char *in, size_t len)
{
	t->r = report_new(t->arena, "t.pdf");
	assert_non_null(t->r);
	buffer_reset(&t->out);
	t->ret = pdf_cdr(&t->ctx, t->r, FT_PDF, in, len, &t->out);
}

static void
run_free(struct run *t)
{
	buffer_free(&t->out);
	arena_destroy(t->arena);
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
out_has(const struct run *t, const char *needle)
{
	return t->out.used > 0 && memmem(t->out.data, t->out.used, needle,
	    strlen(needle)) != NULL;
}

/* Sanitize the output again: nothing may be removed, blocked or held. */
static void
assert_idempotent(struct run *t)
{
	struct buffer first;
	const struct report_finding *f;

	assert_true(t->out.used > 0);
	assert_memory_equal(t->out.data, "%PDF-", 5);
	buffer_init(&first, t->out.max);
	assert_int_equal(buffer_append(&first, t->out.data, t->out.used), 0);
	run_bytes(t, first.data, first.used);
	assert_int_equal(t->ret, 0);
	assert_int_equal(report_verdict(t->r), VERDICT_CLEAN);
	for (f = t->r->findings; f != NULL; f = f->next)
		assert_int_equal(f->action, FINDING_REPORTED);
	/* Stable output: the second rewrite gives the same bytes. */
	assert_int_equal(t->out.used, first.used);
	assert_memory_equal(t->out.data, first.data, first.used);
	buffer_free(&first);
}

/* Build d, sanitize it with the given inspect flag. */
static void
run_doc(struct run *t, const struct doc *d)
{
	struct buffer in;

	buffer_init(&in, 1 << 20);
	doc_write(d, &in);
	run_bytes(t, in.data, in.used);
	buffer_free(&in);
}

static void
test_clean(void **state)
{
	struct run t;
	struct doc d;

	run_init(&t);
	doc_init(&d, "", "");
	run_doc(&t, &d);
	assert_int_equal(t.ret, 0);
	assert_int_equal(report_verdict(t.r), VERDICT_CLEAN);
	assert_null(t.r->findings);
	assert_true(out_has(&t, "Hello, sanso"));
	assert_idempotent(&t);
	run_free(&t);
}

static void
test_js_open_action(void **state)
{
	struct run t;
	struct doc d;

	run_init(&t);
	doc_init(&d, "/OpenAction 6 0 R", "");
	doc_set(&d, 6, "<< /S /JavaScript /JS (app.alert\\(1\\)) >>");
	run_doc(&t, &d);
	assert_int_equal(t.ret, 0);
	assert_int_equal(report_verdict(t.r), VERDICT_SANITIZED);
	assert_true(has(t.r, "pdf.open_action", FINDING_REMOVED));
	assert_true(has(t.r, "pdf.javascript", FINDING_REMOVED));
	/* The dropped action is not left behind as an orphan object. */
	assert_false(out_has(&t, "app.alert"));
	assert_false(out_has(&t, "JavaScript"));
	assert_false(out_has(&t, "6 0 obj"));
	assert_idempotent(&t);
	run_free(&t);
}

static void
test_escaped_names(void **state)
{
	struct run t;
	struct doc d;

	run_init(&t);
	doc_init(&d, "/Names << /#4Aava#53cript << /Names [(a) 7 0 R] >> >>",
	    "/Annots [6 0 R]");
	doc_set(&d, 6, "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
	    "/A << /S /J#61vaScript /#4A#53 (evil\\(\\)) >> >>");
	doc_set(&d, 7, "<< /S /JavaScript /JS (tree\\(\\)) >>");
	run_doc(&t, &d);
	assert_int_equal(report_verdict(t.r), VERDICT_SANITIZED);
	assert_true(has(t.r, "pdf.javascript", FINDING_REMOVED));
	assert_false(out_has(&t, "evil"));
	assert_false(out_has(&t, "tree"));
	assert_idempotent(&t);
	run_free(&t);
}

static void
test_aa_next_chain(void **state)
{
	struct run t;
	struct doc d;

	run_init(&t);
	doc_init(&d, "/AA << /WC << /S /Launch /F (calc.exe) >> >>",
	    "/Annots [6 0 R]");
	/* A GoTo whose /Next ends in JavaScript that loops back to it. */
	doc_set(&d, 6, "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
	    "/A 7 0 R >>");
	doc_set(&d, 7, "<< /S /GoTo /D [3 0 R /Fit] /Next [8 0 R] >>");
	doc_set(&d, 8, "<< /S /JavaScript /JS (loop\\(\\)) /Next 7 0 R >>");
	run_doc(&t, &d);
	assert_int_equal(report_verdict(t.r), VERDICT_SANITIZED);
	assert_true(has(t.r, "pdf.additional_action", FINDING_REMOVED));
	assert_true(has(t.r, "pdf.launch", FINDING_REMOVED));
	assert_true(has(t.r, "pdf.javascript", FINDING_REMOVED));
	assert_false(out_has(&t, "calc.exe"));
	assert_false(out_has(&t, "loop"));
	assert_true(out_has(&t, "/GoTo"));
	assert_idempotent(&t);
	run_free(&t);
}

static void
test_actions_and_files(void **state)
{
	struct run t;
	struct doc d;

	run_init(&t);
	doc_init(&d, "/AcroForm << /Fields [] /XFA 9 0 R >> "
	    "/Names << /EmbeddedFiles << /Names [(x) 10 0 R] >> >>",
	    "/Annots [6 0 R 7 0 R 8 0 R 12 0 R]");
	doc_set(&d, 6, "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
	    "/A << /S /SubmitForm /F << /FS /URL /F (http://x.example/) >> "
	    ">> >>");
	doc_set(&d, 7, "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
	    "/A << /S /GoToR /F (other.pdf) /D [0 /Fit] >> >>");
	doc_set(&d, 8, "<< /Type /Annot /Subtype /FileAttachment "
	    "/Rect [0 0 9 9] /FS 10 0 R >>");
	doc_set(&d, 9, "<< /Length 5 >>\nstream\n<xdp>\nendstream");
	doc_set(&d, 10, "<< /Type /Filespec /F (x.exe) /EF << /F 11 0 R >> >>");
	doc_set(&d, 11, "<< /Type /EmbeddedFile /Length 9 >>\nstream\n"
	    "MZPAYLOAD\nendstream");
	doc_set(&d, 12, "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
	    "/A << /S /ImportData /F (a.fdf) /Next << /S /GoToE "
	    "/T << /R /C /N (x) >> >> >> >>");
	run_doc(&t, &d);
	assert_int_equal(report_verdict(t.r), VERDICT_SANITIZED);
	assert_true(has(t.r, "pdf.submit_form", FINDING_REMOVED));
	assert_true(has(t.r, "pdf.goto_remote", FINDING_REMOVED));
	assert_true(has(t.r, "pdf.import_data", FINDING_REMOVED));
	assert_true(has(t.r, "pdf.embedded_file", FINDING_REMOVED));
	assert_true(has(t.r, "pdf.xfa", FINDING_REMOVED));
	assert_false(out_has(&t, "MZPAYLOAD"));
	assert_false(out_has(&t, "<xdp>"));
	assert_false(out_has(&t, "x.example"));
	assert_idempotent(&t);
	run_free(&t);
}

static void
test_uri_policy(void **state)
{
	struct run t;
	struct doc d;

	run_init(&t);
	doc_init(&d, "", "/Annots [6 0 R]");
	doc_set(&d, 6, "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
	    "/A << /S /URI /URI (https://www.example.jp/) >> >>");
	run_doc(&t, &d);
	assert_int_equal(report_verdict(t.r), VERDICT_CLEAN);
	assert_true(has(t.r, "pdf.uri", FINDING_REPORTED));
	assert_true(out_has(&t, "www.example.jp"));

	t.opts.links = LINKS_REMOVE;
	run_doc(&t, &d);
	assert_int_equal(report_verdict(t.r), VERDICT_SANITIZED);
	assert_true(has(t.r, "pdf.uri", FINDING_REMOVED));
	assert_false(out_has(&t, "www.example.jp"));
	assert_idempotent(&t);

	t.opts.links = LINKS_DEFANG;
	run_doc(&t, &d);
	assert_true(has(t.r, "pdf.uri", FINDING_REMOVED));
	run_free(&t);
}

static void
test_inspect(void **state)
{
	struct run t;
	struct doc d;

	run_init(&t);
	t.ctx.inspect = true;
	doc_init(&d, "/OpenAction << /S /Launch /F (x.exe) >>", "");
	run_doc(&t, &d);
	assert_int_equal(t.ret, 0);
	assert_true(has(t.r, "pdf.launch", FINDING_REMOVED));
	assert_true(has(t.r, "pdf.open_action", FINDING_REMOVED));
	assert_int_equal(t.out.used, 0);
	/* The output limit is checked in inspect mode too. */
	t.out.max = 100;
	run_doc(&t, &d);
	assert_int_equal(t.ret, -1);
	assert_true(has(t.r, "limit.output_size", FINDING_BLOCKED));
	run_free(&t);
}

/* Certificate security: encrypted for someone else. */
static void
test_foreign_encryption(void **state)
{
	struct run t;
	struct doc d;

	run_init(&t);
	doc_init(&d, "", "");
	d.trailer = "/Encrypt << /Filter /Adobe.PubSec /V 4 /R 4 >> "
	    "/ID [<00> <00>]";
	run_doc(&t, &d);
	assert_int_equal(t.ret, 0);
	assert_int_equal(report_verdict(t.r), VERDICT_HELD);
	assert_true(has(t.r, "pdf.encrypted", FINDING_HELD));
	assert_int_equal(t.out.used, 0);
	run_free(&t);
}

static void
test_incremental_update(void **state)
{
	struct run t;
	struct doc d;
	struct buffer in;
	size_t base_xref, upd;

	run_init(&t);
	doc_init(&d, "", "");
	buffer_init(&in, 1 << 20);
	doc_write(&d, &in);
	base_xref = strtoul(strstr((char *)in.data, "startxref\n") + 10,
	    NULL, 10);
	upd = in.used;
	buffer_append_str(&in, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R "
	    "/OpenAction << /S /JavaScript /JS (late\\(\\)) >> >>\nendobj\n");
	buffer_printf(&in, "xref\n1 1\n%010zu 00000 n \ntrailer\n"
	    "<< /Size 6 /Root 1 0 R /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n",
	    upd, base_xref, in.used);
	run_bytes(&t, in.data, in.used);
	assert_int_equal(report_verdict(t.r), VERDICT_SANITIZED);
	assert_true(has(t.r, "pdf.incremental_update", FINDING_REPORTED));
	assert_true(has(t.r, "pdf.javascript", FINDING_REMOVED));
	assert_false(out_has(&t, "late"));
	/* One revision: one xref, one %%EOF. */
	assert_ptr_equal(memmem(t.out.data, t.out.used, "%%EOF", 5),
	    (unsigned char *)t.out.data + t.out.used - 6);
	assert_idempotent(&t);
	buffer_free(&in);
	run_free(&t);
}

static void
test_malformed(void **state)
{
	static const char garbage[] = "%PDF-1.7\n\x01\x02 not a pdf at all";
	struct run t;
	struct doc d;
	struct buffer in;

	run_init(&t);
	run_bytes(&t, (const unsigned char *)garbage, sizeof(garbage) - 1);
	assert_int_equal(t.ret, 0);
	assert_true(has(t.r, "pdf.malformed", FINDING_BLOCKED));
	assert_int_equal(t.out.used, 0);

	/* Cut before the page: repaired, but its references dangle. */
	doc_init(&d, "", "");
	buffer_init(&in, 1 << 20);
	doc_write(&d, &in);
	run_bytes(&t, in.data, (size_t)(strstr((char *)in.data, "3 0 obj") -
	    (char *)in.data));
	assert_true(has(t.r, "pdf.malformed", FINDING_BLOCKED));
	assert_int_equal(t.out.used, 0);
	buffer_free(&in);
	run_free(&t);
}

static void
test_limits(void **state)
{
	struct run t;
	struct doc d;

	run_init(&t);
	t.limits.pdf_objects = 3;
	doc_init(&d, "", "");
	run_doc(&t, &d);
	assert_int_equal(t.ret, 0);
	assert_true(has(t.r, "limit.pdf_objects", FINDING_BLOCKED));
	assert_int_equal(t.out.used, 0);
	run_free(&t);

	/* Output over its maximum is an internal failure, never a cut. */
	run_init(&t);
	buffer_free(&t.out);
	buffer_init(&t.out, 100);
	run_doc(&t, &d);
	assert_int_equal(t.ret, -1);
	assert_non_null(t.r->error);
	assert_int_equal(t.out.used, 0);
	run_free(&t);
}

/* A 2 kB file whose xref stream claims 4 million entries: MuPDF's table
   for it must not get past the memory cap. */
static void
test_memory_cap(void **state)
{
	struct run t;
	struct buffer in;
	char head[128];
	size_t len;

	run_init(&t);
	t.limits.job_memory = 64ULL << 20;
	t.limits.pdf_objects = 10000000;
	buffer_init(&in, 1 << 20);
	buffer_append_str(&in, "%PDF-1.5\n"
	    "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
	    "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
	len = (size_t)snprintf(head, sizeof(head), "3 0 obj\n<< /Type /XRef "
	    "/Size 4000000 /W [1 0 0] /Root 1 0 R /Length 0 >>\nstream\n");
	buffer_append(&in, head, len);
	buffer_printf(&in, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n",
	    in.used - len);
	run_bytes(&t, in.data, in.used);
	assert_int_equal(t.ret, 0);
	assert_true(has(t.r, "pdf.malformed", FINDING_BLOCKED));
	buffer_free(&in);
	run_free(&t);
}

/* 60000 outline items in one /Next chain: MuPDF's own collector would
   recurse that deep; the walk here must not. */
static void
test_long_chain(void **state)
{
	enum { ITEMS = 60000 };
	struct run t;
	struct buffer in;
	size_t *ofs, xref;
	int n, last = 7 + ITEMS - 1;

	run_init(&t);
	ofs = calloc(last + 1, sizeof(*ofs));
	assert_non_null(ofs);
	buffer_init(&in, 64 << 20);
	buffer_append_str(&in, "%PDF-1.7\n");
	for (n = 1; n <= last; n++) {
		ofs[n] = in.used;
		buffer_printf(&in, "%d 0 obj\n", n);
		if (n == 1)
			buffer_append_str(&in, "<< /Type /Catalog /Pages 2 0 R "
			    "/Outlines 6 0 R >>");
		else if (n == 2)
			buffer_append_str(&in, "<< /Type /Pages /Kids [3 0 R] "
			    "/Count 1 >>");
		else if (n == 3)
			buffer_append_str(&in, "<< /Type /Page /Parent 2 0 R "
			    "/MediaBox [0 0 9 9] >>");
		else if (n == 4 || n == 5)
			buffer_append_str(&in, "null");
		else if (n == 6)
			buffer_printf(&in, "<< /First 7 0 R /Last %d 0 R >>",
			    last);
		else
			buffer_printf(&in, "<< /Title (i) /Parent 6 0 R "
			    "/A << /S /JavaScript /JS (x) >> /Next %d 0 R >>",
			    n < last ? n + 1 : 6);
		buffer_append_str(&in, "\nendobj\n");
	}
	xref = in.used;
	buffer_printf(&in, "xref\n0 %d\n0000000000 65535 f \n", last + 1);
	for (n = 1; n <= last; n++)
		buffer_printf(&in, "%010zu 00000 n \n", ofs[n]);
	buffer_printf(&in, "trailer\n<< /Size %d /Root 1 0 R >>\n"
	    "startxref\n%zu\n%%%%EOF\n", last + 1, xref);
	run_bytes(&t, in.data, in.used);
	assert_int_equal(t.ret, 0);
	assert_int_equal(report_verdict(t.r), VERDICT_SANITIZED);
	assert_true(has(t.r, "pdf.javascript", FINDING_REMOVED));
	assert_false(out_has(&t, "/JS"));
	free(ofs);
	buffer_free(&in);
	run_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_js_open_action),
		cmocka_unit_test(test_escaped_names),
		cmocka_unit_test(test_aa_next_chain),
		cmocka_unit_test(test_actions_and_files),
		cmocka_unit_test(test_uri_policy),
		cmocka_unit_test(test_inspect),
		cmocka_unit_test(test_foreign_encryption),
		cmocka_unit_test(test_incremental_update),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_memory_cap),
		cmocka_unit_test(test_long_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
