/*
 * test-outbound - the outbound rules on messages built here: each label
 * source (header, Subject, file names, zip member names, OOXML
 * custom.xml / core.xml, PDF Info, attached messages), each encryption
 * form (zip, AES zip, PDF, S/MIME, PGP/MIME, inline PGP; encrypted
 * OOXML from the corpus), the Bcc rewrite byte for byte, the auto-forward
 * markers, size and limits, malformed input held.
 *
 * Argument: tests/corpus/outbound (the encrypted OOXML and legacy
 * Office samples made by tests/corpus/gen/outbound.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gmime/gmime.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "charset.h"
#include "outbound.h"

static const char *corpus_dir;

struct fx {
	struct arena *arena;
	struct limits lim;
	struct cdr_options opts;
	struct cdr_ctx ctx;
	struct outbound_options o;
	struct report *r;
	struct buffer out;
	int ret;
	enum verdict v;
};

/* The options of a typical city: 機密性3 rejected, 機密性2 must be
   encrypted, more than one external recipient goes to Bcc, auto-forward
   rejected, 1 MB. */
static void
fx_init(struct fx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->arena = arena_create(512u * 1024 * 1024);
	assert_non_null(fx->arena);
	limits_init(&fx->lim);
	cdr_options_init(&fx->opts);
	fx->ctx.arena = fx->arena;
	fx->ctx.limits = &fx->lim;
	fx->ctx.opts = &fx->opts;
	fx->o.confidential3 = OUTBOUND_REJECT;
	fx->o.confidential2 = OUTBOUND_REQUIRE_ENCRYPTION;
	fx->o.external_max = 1;
	fx->o.external_action = OUTBOUND_BCC;
	fx->o.auto_forward = OUTBOUND_REJECT;
	fx->o.max_size = 1024 * 1024;
	strcpy(fx->o.header, "X-Classification");
	fx->o.ndomains = 2;
	strcpy(fx->o.domains[0], "city.example.lg.jp");
	strcpy(fx->o.domains[1], "@Example.JP.");
	buffer_init(&fx->out, fx->lim.output_size);
}

static void
fx_run(struct fx *fx, const void *msg, size_t len)
{
	fx->r = report_new(fx->arena, "msg");
	assert_non_null(fx->r);
	buffer_reset(&fx->out);
	fx->ret = mail_outbound(&fx->ctx, &fx->o, msg, len, &fx->out, fx->r);
	fx->v = report_verdict(fx->r);
	assert_int_equal(fx->ret, 0);
	assert_string_equal(fx->r->type, "mail");
	if (fx->v == VERDICT_CLEAN || fx->v == VERDICT_SANITIZED)
		assert_true(fx->out.used > 0);
	else
		assert_int_equal(fx->out.used, 0);
	if (fx->v == VERDICT_CLEAN) {
		assert_int_equal(fx->out.used, len);
		assert_memory_equal(fx->out.data, msg, len);
	}
}

static void
fx_runs(struct fx *fx, const char *msg)
{
	fx_run(fx, msg, strlen(msg));
}

static void
fx_free(struct fx *fx)
{
	buffer_free(&fx->out);
	arena_destroy(fx->arena);
}

static const struct report_finding *
finding(const struct fx *fx, const char *code)
{
	const struct report_finding *f;

	for (f = fx->r->findings; f != NULL; f = f->next)
		if (strcmp(f->code, code) == 0)
			return f;
	return NULL;
}

static void
expect(const struct fx *fx, const char *code, enum finding_action a)
{
	const struct report_finding *f;

	for (f = fx->r->findings; f != NULL; f = f->next)
		if (strcmp(f->code, code) == 0 && f->action == a)
			return;
	for (f = fx->r->findings; f != NULL; f = f->next)
		print_message("  have %s %s %s: %s\n", f->code,
		    finding_action_name(f->action), f->location ?
		    f->location : "-", f->detail ? f->detail : "");
	fail_msg("no finding %s %s", code, finding_action_name(a));
}

/* The label reported with the highest level names this source. */
static void
expect_label(const struct fx *fx, const char *label, const char *where_part)
{
	const struct report_finding *f;

	for (f = fx->r->findings; f != NULL; f = f->next)
		if (strcmp(f->code, "outbound.label") == 0 &&
		    f->detail != NULL && strcmp(f->detail, label) == 0 &&
		    f->location != NULL && strstr(f->location, where_part))
			return;
	for (f = fx->r->findings; f != NULL; f = f->next)
		print_message("  have %s %s: %s\n", f->code,
		    f->location ? f->location : "-", f->detail ? f->detail : "");
	fail_msg("no label %s at %s", label, where_part);
}

/* Every blocking or holding reason carries Japanese and English. */
static void
expect_bilingual(const struct fx *fx)
{
	const struct report_finding *f;

	for (f = fx->r->findings; f != NULL; f = f->next) {
		if (f->action != FINDING_BLOCKED && f->action != FINDING_HELD)
			continue;
		assert_non_null(f->detail);
		assert_non_null(strstr(f->detail, " / "));
		assert_true(charset_is_utf8((const unsigned char *)f->detail,
		    strlen(f->detail)));
		/* Some kana or kanji before the slash, ASCII words after. */
		assert_true((unsigned char)f->detail[0] >= 0x80 ||
		    strstr(f->detail, "機密性") != NULL);
	}
}

/* ---- builders ---- */

static char *
b64(const void *data, size_t len)
{
	return g_base64_encode(data, len);
}

static void
put16(struct buffer *b, unsigned v)
{
	unsigned char c[2] = { v & 0xff, v >> 8 };

	assert_int_equal(buffer_append(b, c, 2), 0);
}

static void
put32(struct buffer *b, unsigned long v)
{
	unsigned char c[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
	    (v >> 24) & 0xff };

	assert_int_equal(buffer_append(b, c, 4), 0);
}

struct zent {
	const char *name;
	const char *data;
	unsigned flags;		/* bit 0: encrypted, bit 11: UTF-8 name */
	unsigned method;	/* 0 stored, 99 AES */
};

/* A zip of stored entries (AES ones get a 0x9901 extra field). */
static void
zip_build(const struct zent *e, unsigned n, struct buffer *z)
{
	unsigned long off[16];
	size_t cd, cd_len;
	unsigned i;

	assert_true(n <= 16);
	for (i = 0; i < n; i++) {
		size_t len = strlen(e[i].data);
		unsigned long crc = crc32(0, (const Bytef *)e[i].data,
		    (uInt)len);
		unsigned xl = e[i].method == 99 ? 11 : 0;

		off[i] = z->used;
		put32(z, 0x04034b50);
		put16(z, 20);
		put16(z, e[i].flags);
		put16(z, e[i].method);
		put16(z, 0);
		put16(z, 0x21);
		put32(z, crc);
		put32(z, len);
		put32(z, len);
		put16(z, strlen(e[i].name));
		put16(z, xl);
		buffer_append_str(z, e[i].name);
		if (xl > 0) {
			put16(z, 0x9901);
			put16(z, 7);
			put16(z, 2);
			buffer_append(z, "AE\x03", 3);
			put16(z, 0);
		}
		buffer_append(z, e[i].data, len);
	}
	cd = z->used;
	for (i = 0; i < n; i++) {
		size_t len = strlen(e[i].data);
		unsigned xl = e[i].method == 99 ? 11 : 0;

		put32(z, 0x02014b50);
		put16(z, 20);
		put16(z, 20);
		put16(z, e[i].flags);
		put16(z, e[i].method);
		put16(z, 0);
		put16(z, 0x21);
		put32(z, crc32(0, (const Bytef *)e[i].data, (uInt)len));
		put32(z, len);
		put32(z, len);
		put16(z, strlen(e[i].name));
		put16(z, xl);
		put16(z, 0);
		put16(z, 0);
		put16(z, 0);
		put32(z, 0);
		put32(z, off[i]);
		buffer_append_str(z, e[i].name);
		if (xl > 0) {
			put16(z, 0x9901);
			put16(z, 7);
			put16(z, 2);
			buffer_append(z, "AE\x03", 3);
			put16(z, 0);
		}
	}
	cd_len = z->used - cd;
	put32(z, 0x06054b50);
	put16(z, 0);
	put16(z, 0);
	put16(z, n);
	put16(z, n);
	put32(z, cd_len);
	put32(z, cd);
	put16(z, 0);
}

static const char custom_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/"
    "2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/docPropsVTypes\">";

/* A .docx-like package with one custom property (or a core title). */
static void
docx_build(const char *pname, const char *pvalue, const char *title,
    struct buffer *z)
{
	static const char ct[] = "<?xml version=\"1.0\"?><Types xmlns=\""
	    "http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "</Types>";
	char custom[2048], core[2048];
	struct zent e[3] = {
		{ "[Content_Types].xml", ct, 0, 0 },
		{ "docProps/custom.xml", custom, 0x800, 0 },
		{ "docProps/core.xml", core, 0, 0 },
	};

	snprintf(custom, sizeof(custom), "%s<property fmtid=\"{D5CDD505-2E9C-"
	    "101B-9397-08002B2CF9AE}\" pid=\"2\" name=\"%s\"><vt:lpwstr>%s"
	    "</vt:lpwstr></property></Properties>", custom_head, pname, pvalue);
	snprintf(core, sizeof(core), "<?xml version=\"1.0\"?><cp:coreProperties"
	    " xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
	    "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/"
	    "1.1/\"><dc:title>%s</dc:title></cp:coreProperties>", title);
	zip_build(e, 3, z);
}

/* UTF-8 (BMP only) as a PDF hex string with a UTF-16BE BOM. */
static void
pdf_hex(const char *utf8, char *out, size_t size)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t o = 0;
	unsigned cp;

	o += snprintf(out + o, size - o, "<FEFF");
	while (*s != '\0') {
		if (*s < 0x80)
			cp = *s++;
		else if (*s < 0xe0) {
			cp = (s[0] & 0x1fu) << 6 | (s[1] & 0x3fu);
			s += 2;
		} else {
			cp = (s[0] & 0x0fu) << 12 | (s[1] & 0x3fu) << 6 |
			    (s[2] & 0x3fu);
			s += 3;
		}
		o += snprintf(out + o, size - o, "%04X", cp);
	}
	snprintf(out + o, size - o, ">");
}

/* A one-page PDF with a correct xref; info and encrypt (dictionary
   bodies) may be NULL. */
static void
pdf_build(const char *info, const char *encrypt, struct buffer *p)
{
	const char *objs[5] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
		info != NULL ? info : "<< >>",
		encrypt != NULL ? encrypt : "<< >>",
	};
	size_t off[5], xref;
	unsigned i;

	buffer_append_str(p, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
	for (i = 0; i < 5; i++) {
		off[i] = p->used;
		buffer_printf(p, "%u 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	xref = p->used;
	buffer_printf(p, "xref\n0 6\n0000000000 65535 f \n");
	for (i = 0; i < 5; i++)
		buffer_printf(p, "%010zu 00000 n \n", off[i]);
	buffer_printf(p, "trailer\n<< /Size 6 /Root 1 0 R /Info 4 0 R %s"
	    "/ID [<0123456789ABCDEF0123456789ABCDEF>"
	    "<0123456789ABCDEF0123456789ABCDEF>] >>\nstartxref\n%zu\n%%%%EOF\n",
	    encrypt != NULL ? "/Encrypt 5 0 R " : "", xref);
}

/* A message: headers (LF ends), a text body and one base64 attachment
   with the given Content-Type / Content-Disposition lines. */
static char *
msg_att(const char *headers, const char *ctype, const char *disp,
    const void *data, size_t len)
{
	char *enc = b64(data, len);
	char *m = g_strdup_printf("%sMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"b1\"\n\n"
	    "--b1\nContent-Type: text/plain; charset=UTF-8\n\n"
	    "資料を送ります。\n"
	    "--b1\nContent-Type: %s\nContent-Disposition: %s\n"
	    "Content-Transfer-Encoding: base64\n\n%s\n--b1--\n", headers,
	    ctype, disp, enc);

	g_free(enc);
	return m;
}

#define H_INT "From: taro@city.example.lg.jp\nTo: hanako@city.example.lg.jp\n"
#define H_EXT "From: taro@city.example.lg.jp\nTo: partner@example.com\n"

/* ---- labels ---- */

static void
test_level_parser(void **state)
{
	static const struct {
		const char *s;
		bool tag;
		unsigned level;
		const char *label;
	} cases[] = {
		{ "【機密性2】会議資料", true, 2, "機密性2" },
		{ "[機密性３] 名簿", true, 3, "機密性3" },
		{ "Re: 【機密性3A】議事録", true, 3, "機密性3A" },
		{ "［機密性２ｂ］", true, 2, "機密性2B" },
		{ "(機密性1)", true, 1, "機密性1" },
		{ "報告書_機密性3.xlsx", true, 3, "機密性3" },
		{ "機密性：2 資料", true, 2, "機密性2" },
		{ "機密性2の取扱いについて", true, 0, "" },
		{ "機密性23", true, 0, "" },
		{ "機密性4", true, 0, "" },
		{ "Re: [Confidential 2] budget", true, 2, "機密性2" },
		{ "nonconfidential2", true, 0, "" },
		{ "【機密性2】と【機密性3】", true, 3, "機密性3" },
		{ "3A", true, 0, "" },
		{ "3A", false, 3, "機密性3A" },
		{ " ２ ", false, 2, "機密性2" },
		{ "confidential2", false, 2, "機密性2" },
		{ "Confidential", false, 0, "" },
		{ "機密3", false, 3, "機密性3" },
		{ "public", false, 0, "" },
		{ "機密性２（取扱注意）", false, 2, "機密性2" },
		{ "2x", false, 0, "" },
	};
	char label[OUTBOUND_LABEL_SIZE];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned got = outbound_level(cases[i].s, strlen(cases[i].s),
		    cases[i].tag, label);

		if (got != cases[i].level ||
		    strcmp(label, cases[i].label) != 0)
			fail_msg("%s (%s): level %u label %s, want %u %s",
			    cases[i].s, cases[i].tag ? "tag" : "value", got,
			    label, cases[i].level, cases[i].label);
	}
	/* Invalid UTF-8 and a lone lead byte at the end are harmless. */
	assert_int_equal(outbound_level("\xe6\xa9\x9f\xe5\xaf", 5, true,
	    NULL), 0);
	assert_int_equal(outbound_level("\xff\xfe機密性3", 12, true, NULL), 3);
}

static void
test_clean_passes_unchanged(void **state)
{
	struct fx fx;

	fx_init(&fx);
	fx_runs(&fx, H_EXT "Cc: jiro@sub.city.example.lg.jp\n"
	    "Subject: 会議の日程\n\nよろしくお願いします。\n");
	assert_int_equal(fx.v, VERDICT_CLEAN);
	assert_null(finding(&fx, "outbound.label"));
	assert_string_equal(fx.r->name, "会議の日程");
	fx_free(&fx);
}

static void
test_header_label(void **state)
{
	struct fx fx;

	fx_init(&fx);
	fx_runs(&fx, H_EXT "X-Classification: 機密性3\nSubject: x\n\nbody\n");
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect(&fx, "outbound.confidential3", FINDING_BLOCKED);
	expect_label(&fx, "機密性3", "header X-Classification");
	expect_bilingual(&fx);
	assert_non_null(strstr(finding(&fx, "outbound.confidential3")->detail,
	    "機密性3の情報は外部に送信できません"));
	assert_non_null(strstr(finding(&fx, "outbound.confidential3")->detail,
	    "may not be sent outside"));

	/* Held when the policy says so; RFC 2047 value; a custom header
	   name, any case. */
	fx.o.confidential3 = OUTBOUND_HOLD;
	strcpy(fx.o.header, "X-Sensitivity-Label");
	fx_runs(&fx, H_EXT "x-sensitivity-label: =?UTF-8?B?"
	    "5qmf5a+G5oCnM0I=?=\nSubject: x\n\nbody\n");
	assert_int_equal(fx.v, VERDICT_HELD);
	expect(&fx, "outbound.confidential3", FINDING_HELD);
	expect_label(&fx, "機密性3B", "X-Sensitivity-Label");

	/* Level 1 and unknown values pass, reported. */
	fx_runs(&fx, H_EXT "X-Sensitivity-Label: 1\nSubject: x\n\nbody\n");
	assert_int_equal(fx.v, VERDICT_CLEAN);
	expect_label(&fx, "機密性1", "X-Sensitivity-Label");
	fx_runs(&fx, H_EXT "X-Sensitivity-Label: 社外秘\nSubject: x\n\nbody\n");
	assert_int_equal(fx.v, VERDICT_CLEAN);
	expect(&fx, "outbound.label", FINDING_REPORTED);
	/* The default header name when none is set. */
	memset(fx.o.header, 0, sizeof(fx.o.header));
	fx_runs(&fx, H_EXT "X-Classification: 3A\n\nbody\n");
	assert_int_equal(fx.v, VERDICT_HELD);
	fx_free(&fx);
}

static void
test_subject_label(void **state)
{
	struct fx fx;

	fx_init(&fx);
	fx.o.scheme = CLASSIFICATION_R6;
	/* 【機密性3A】報告 in ISO-2022-JP. */
	fx_runs(&fx, H_EXT "Subject: =?ISO-2022-JP?B?GyRCIVo1IUwpQC0bKEIzQRsk"
	    "QiFbSnM5cBsoQg==?=\n\nbody\n");
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect_label(&fx, "機密性3A", "Subject");
	/* Raw UTF-8, half-width brackets, full-width digit: level 2, no
	   attachment, clear text: must be encrypted. */
	fx_runs(&fx, H_EXT "Subject: [機密性２] 予算案\n\n本文\n");
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect(&fx, "outbound.unencrypted", FINDING_BLOCKED);
	expect_bilingual(&fx);
	assert_non_null(strstr(finding(&fx, "outbound.unencrypted")->detail,
	    "暗号化して送信してください"));
	/* Not a tag. */
	fx_runs(&fx, H_EXT "Subject: 機密性2の取扱いについて\n\n本文\n");
	assert_int_equal(fx.v, VERDICT_CLEAN);
	/* Held instead when the policy says hold. */
	fx.o.confidential2 = OUTBOUND_HOLD;
	fx_runs(&fx, H_EXT "Subject: 【機密性2】予算案\n\n本文\n");
	assert_int_equal(fx.v, VERDICT_HELD);
	expect(&fx, "outbound.unencrypted", FINDING_HELD);
	fx_free(&fx);
}

static void
test_attachment_names(void **state)
{
	struct fx fx;
	char *m;

	fx_init(&fx);
	/* RFC 2231, percent-encoded UTF-8: 名簿【機密性3】.xlsx */
	m = msg_att(H_EXT "Subject: 送付\n", "application/octet-stream",
	    "attachment; filename*=UTF-8''%E5%90%8D%E7%B0%BF%E3%80%90%E6%A9"
	    "%9F%E5%AF%86%E6%80%A73%E3%80%91.xlsx", "data", 4);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect(&fx, "outbound.confidential3", FINDING_BLOCKED);
	expect_label(&fx, "機密性3", "attachment name 名簿【機密性3】.xlsx");

	/* RFC 2047 in name= of Content-Type only: 【機密性2】.txt */
	m = msg_att(H_EXT, "text/plain; name=\"=?UTF-8?B?44CQ5qmf5a+G5oCnMuOA"
	    "kS50eHQ=?=\"", "inline", "plain text", 10);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect(&fx, "outbound.unencrypted", FINDING_BLOCKED);
	assert_string_equal(finding(&fx, "outbound.unencrypted")->location,
	    "【機密性2】.txt");
	fx_free(&fx);
}

static void
test_zip(void **state)
{
	static const struct zent plain[] = {
		{ "dir/", "", 0, 0 }, { "dir/a.txt", "hello", 0, 0 } };
	static const struct zent crypt[] = {
		{ "dir/", "", 0, 0 },
		{ "dir/a.txt", "0123456789ab-encrypted", 1, 0 },
		{ "b.txt", "0123456789ab-encrypted", 1, 0 } };
	static const struct zent half[] = {
		{ "a.txt", "0123456789ab-encrypted", 1, 0 },
		{ "b.txt", "clear", 0, 0 } };
	static const struct zent aes[] = {
		{ "a.txt", "0123456789abcdef-aes-data", 1, 99 } };
	static const struct zent named[] = {
		{ "\xe3\x80\x90\xe6\xa9\x9f\xe5\xaf\x86\xe6\x80\xa7"
		  "3\xe3\x80\x91list.csv", "0123456789ab-encrypted", 0x801, 0 } };
	struct buffer z;
	struct fx fx;
	char *m;

	fx_init(&fx);
	buffer_init(&z, 1 << 20);
#define ZIP_CASE(ents, want)						\
	do {								\
		buffer_reset(&z);					\
		zip_build(ents, sizeof(ents) / sizeof(ents[0]), &z);	\
		m = msg_att(H_EXT "Subject: 【機密性2】資料\n",		\
		    "application/zip", "attachment; filename=\"a.zip\"",	\
		    z.data, z.used);					\
		fx_runs(&fx, m);					\
		g_free(m);						\
		if (fx.v != (want)) {					\
			expect(&fx, "none", FINDING_REMOVED);		\
			fail_msg("%s: verdict %s", #ents,		\
			    verdict_name(fx.v));			\
		}							\
	} while (0)
	ZIP_CASE(plain, VERDICT_BLOCKED);
	expect(&fx, "outbound.unencrypted", FINDING_BLOCKED);
	assert_non_null(strstr(finding(&fx, "outbound.unencrypted")->detail,
	    "a.zip"));
	ZIP_CASE(crypt, VERDICT_CLEAN);
	expect_label(&fx, "機密性2", "Subject");
	ZIP_CASE(half, VERDICT_BLOCKED);
	ZIP_CASE(aes, VERDICT_CLEAN);
	/* Member names are read even when encrypted. */
	ZIP_CASE(named, VERDICT_BLOCKED);
	expect(&fx, "outbound.confidential3", FINDING_BLOCKED);
	expect_label(&fx, "機密性3", "a.zip/【機密性3】list.csv");
	/* Not a zip after all: held, its labels cannot be read. */
	m = msg_att(H_EXT, "application/zip", "attachment; filename=x.zip",
	    "PK\x03\x04garbage", 11);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_HELD);
	expect(&fx, "archive.malformed", FINDING_HELD);
	expect_bilingual(&fx);
	buffer_free(&z);
	fx_free(&fx);
}

static void
test_ooxml_properties(void **state)
{
	struct buffer z;
	struct fx fx;
	char *m;

	fx_init(&fx);
	buffer_init(&z, 1 << 20);
	docx_build("機密性", "3", "報告書", &z);
	m = msg_att(H_EXT "Subject: 報告\n", "application/vnd."
	    "openxmlformats-officedocument.wordprocessingml.document",
	    "attachment; filename=\"report.docx\"", z.data, z.used);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect_label(&fx, "機密性3", "report.docx docProps/custom.xml 機密性");

	buffer_reset(&z);
	docx_build("Classification", "Confidential 2", "報告書", &z);
	m = msg_att(H_EXT, "application/octet-stream",
	    "attachment; filename=\"report.docx\"", z.data, z.used);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect(&fx, "outbound.unencrypted", FINDING_BLOCKED);
	expect_label(&fx, "機密性2", "Classification");

	buffer_reset(&z);
	docx_build("Owner", "総務課", "【機密性3A】人事案", &z);
	m = msg_att(H_EXT, "application/octet-stream",
	    "attachment; filename=\"r.docx\"", z.data, z.used);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect_label(&fx, "機密性3A", "docProps/core.xml title");

	/* Nothing labelled: passes. */
	buffer_reset(&z);
	docx_build("Owner", "総務課", "議事録", &z);
	m = msg_att(H_EXT, "application/octet-stream",
	    "attachment; filename=\"r.docx\"", z.data, z.used);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_CLEAN);

	/* A custom.xml over the XML limits: held, never passed unread. */
	fx.lim.xml_nodes = 2;
	buffer_reset(&z);
	docx_build("Owner", "総務課", "議事録", &z);
	m = msg_att(H_EXT, "application/octet-stream",
	    "attachment; filename=\"r.docx\"", z.data, z.used);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_HELD);
	expect(&fx, "limit.xml_nodes", FINDING_HELD);
	buffer_free(&z);
	fx_free(&fx);
}

static void
test_pdf(void **state)
{
	char hex[512], info[600];
	struct buffer p;
	struct fx fx;
	char *m;

	fx_init(&fx);
	buffer_init(&p, 1 << 20);
	pdf_hex("予算【機密性3】", hex, sizeof(hex));
	snprintf(info, sizeof(info), "<< /Title (Budget) /Keywords %s >>", hex);
	pdf_build(info, NULL, &p);
	m = msg_att(H_EXT, "application/pdf", "attachment; filename=b.pdf",
	    p.data, p.used);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect_label(&fx, "機密性3", "b.pdf PDF Info Keywords");

	/* Level 2 by Subject (literal string) and no password: blocked. */
	buffer_reset(&p);
	pdf_build("<< /Subject ([Confidential 2] plan) >>", NULL, &p);
	m = msg_att(H_EXT, "application/pdf", "attachment; filename=c.pdf",
	    p.data, p.used);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect(&fx, "outbound.unencrypted", FINDING_BLOCKED);

	/* Needs a user password: encrypted. */
	buffer_reset(&p);
	pdf_build(NULL, "<< /Filter /Standard /V 1 /R 2 /P -4 "
	    "/O <00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF>"
	    " /U <FFEEDDCCBBAA99887766554433221100FFEEDDCCBBAA99887766554433221100>"
	    " >>", &p);
	m = msg_att(H_EXT "X-Classification: 機密性2\n", "application/pdf",
	    "attachment; filename=d.pdf", p.data, p.used);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_CLEAN);

	/* A text that mentions a PDF header is no PDF. */
	m = msg_att(H_EXT, "text/plain", "attachment; filename=notes.txt",
	    "notes: files begin with %PDF-1.7 and end with %%EOF", 49);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_CLEAN);

	/* Broken beyond repair: held. */
	m = msg_att(H_EXT, "application/pdf", "attachment; filename=e.pdf",
	    "%PDF-1.4\n1 0 obj\n<< /Type", 24);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_HELD);
	expect(&fx, "pdf.malformed", FINDING_HELD);
	buffer_free(&p);
	fx_free(&fx);
}

/* CMS enveloped data for a symmetric key (no certificate needed). */
static unsigned char *
cms_enveloped(size_t *len)
{
	static const char inner[] = "Content-Type: text/plain\r\n\r\nsecret\r\n";
	BIO *in = BIO_new_mem_buf(inner, (int)strlen(inner));
	CMS_ContentInfo *cms;
	unsigned char *key = OPENSSL_malloc(16), *id = OPENSSL_malloc(1);
	unsigned char *der = NULL;
	int n;

	memset(key, 0x42, 16);
	id[0] = 1;
	cms = CMS_encrypt(NULL, in, EVP_aes_128_cbc(), CMS_PARTIAL |
	    CMS_BINARY);
	assert_non_null(cms);
	assert_non_null(CMS_add0_recipient_key(cms, NID_undef, key, 16, id, 1,
	    NULL, NULL, NULL));
	assert_int_equal(CMS_final(cms, in, NULL, CMS_BINARY), 1);
	n = i2d_CMS_ContentInfo(cms, &der);
	assert_true(n > 0);
	*len = (size_t)n;
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return der;
}

static void
test_smime_pgp(void **state)
{
	struct fx fx;
	unsigned char *der;
	size_t len;
	char *enc, *m;

	fx_init(&fx);
	der = cms_enveloped(&len);
	enc = b64(der, len);
	/* The whole message enveloped, as Outlook sends it. */
	m = g_strdup_printf(H_EXT "Subject: 【機密性2】名簿\nMIME-Version: 1.0\n"
	    "Content-Type: application/pkcs7-mime; smime-type=enveloped-data;"
	    " name=smime.p7m\nContent-Disposition: attachment;"
	    " filename=smime.p7m\nContent-Transfer-Encoding: base64\n\n%s\n",
	    enc);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_CLEAN);
	/* The same bytes sent as a file beside a clear body: encrypted
	   attachment, clear cover note: passes. */
	m = msg_att(H_EXT "Subject: 【機密性2】名簿\n", "application/pkcs7-mime;"
	    " smime-type=enveloped-data", "attachment; filename=list.p7m",
	    der, len);
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_CLEAN);
	/* Labelled enveloped-data that is not: blocked. */
	m = g_strdup_printf(H_EXT "Subject: 【機密性2】名簿\nMIME-Version: 1.0\n"
	    "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\n"
	    "Content-Transfer-Encoding: base64\n\nMIIBAAAAAA==\n");
	fx_runs(&fx, m);
	g_free(m);
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	g_free(enc);
	OPENSSL_free(der);

	/* PGP/MIME. */
	fx_runs(&fx, H_EXT "Subject: 【機密性2】名簿\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/encrypted; protocol=\"application/"
	    "pgp-encrypted\"; boundary=\"p\"\n\n--p\nContent-Type: "
	    "application/pgp-encrypted\n\nVersion: 1\n--p\nContent-Type: "
	    "application/octet-stream; name=encrypted.asc\n\n"
	    "-----BEGIN PGP MESSAGE-----\n\nhQEMA0xyz\n=abcd\n"
	    "-----END PGP MESSAGE-----\n--p--\n");
	assert_int_equal(fx.v, VERDICT_CLEAN);
	/* multipart/encrypted around clear text: not encrypted. */
	fx_runs(&fx, H_EXT "Subject: 【機密性2】名簿\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/encrypted; protocol=\"application/"
	    "pgp-encrypted\"; boundary=\"p\"\n\n--p\nContent-Type: "
	    "application/pgp-encrypted\n\nVersion: 1\n--p\nContent-Type: "
	    "text/plain\n\n名簿です\n--p--\n");
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	/* Inline PGP body. */
	fx_runs(&fx, H_EXT "Subject: 【機密性2】名簿\n\n"
	    "-----BEGIN PGP MESSAGE-----\n\nhQEMA0xyz\n=abcd\n"
	    "-----END PGP MESSAGE-----\n");
	assert_int_equal(fx.v, VERDICT_CLEAN);
	fx_free(&fx);
}

static void
test_related_image_is_body(void **state)
{
	static const struct zent crypt[] = {
		{ "a.xlsx", "0123456789ab-encrypted", 1, 0 } };
	struct buffer z;
	struct fx fx;
	char *zb, *m;

	fx_init(&fx);
	buffer_init(&z, 1 << 20);
	zip_build(crypt, 1, &z);
	zb = b64(z.data, z.used);
	/* HTML with a signature logo (cid) and an encrypted zip. */
	m = g_strdup_printf(H_EXT "Subject: 【機密性2】名簿\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=m\n\n--m\n"
	    "Content-Type: multipart/related; boundary=r\n\n--r\n"
	    "Content-Type: text/html; charset=UTF-8\n\n<p>名簿です<img"
	    " src=\"cid:logo\"></p>\n--r\nContent-Type: image/png;"
	    " name=image001.png\nContent-ID: <logo>\n"
	    "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--r--\n"
	    "--m\nContent-Type: application/zip; name=a.zip\n"
	    "Content-Disposition: attachment; filename=a.zip\n"
	    "Content-Transfer-Encoding: base64\n\n%s\n--m--\n", zb);
	fx_runs(&fx, m);
	g_free(m);
	g_free(zb);
	assert_int_equal(fx.v, VERDICT_CLEAN);
	buffer_free(&z);
	fx_free(&fx);
}

static void
test_attached_message(void **state)
{
	struct fx fx;

	fx_init(&fx);
	fx_runs(&fx, H_EXT "Subject: Fwd: 会議\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=m\n\n--m\n"
	    "Content-Type: text/plain\n\n転送します\n--m\n"
	    "Content-Type: message/rfc822\n\n"
	    "From: a@city.example.lg.jp\nSubject: 【機密性3】人事\n\n本文\n"
	    "--m--\n");
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect_label(&fx, "機密性3", "attached message Subject");
	/* Level 2 and the attached message is clear: blocked. */
	fx_runs(&fx, H_EXT "Subject: Fwd: 会議\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=m\n\n--m\n"
	    "Content-Type: text/plain\n\n転送します\n--m\n"
	    "Content-Type: message/rfc822\n\n"
	    "From: a@city.example.lg.jp\nX-Classification: 2\n\n本文\n"
	    "--m--\n");
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect(&fx, "outbound.unencrypted", FINDING_BLOCKED);
	fx_free(&fx);
}

static void
test_encrypted_office_from_corpus(void **state)
{
	static const struct {
		const char *file;
		enum verdict v;
	} cases[] = {
		{ "l2-xlsx-encrypted.eml", VERDICT_CLEAN },
		{ "l2-xlsx-velvetsweatshop.eml", VERDICT_BLOCKED },
		{ "l2-xls-rc4.eml", VERDICT_CLEAN },
	};
	char path[4096];
	struct fx fx;
	size_t i;

	if (corpus_dir == NULL)
		skip();
	fx_init(&fx);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gchar *data;
		gsize len;

		snprintf(path, sizeof(path), "%s/%s", corpus_dir, cases[i].file);
		if (!g_file_get_contents(path, &data, &len, NULL))
			fail_msg("cannot read %s", path);
		fx_run(&fx, data, len);
		g_free(data);
		if (fx.v != cases[i].v)
			fail_msg("%s: verdict %s", cases[i].file,
			    verdict_name(fx.v));
	}
	fx_free(&fx);
}

/* ---- external recipients ---- */

static void
test_bcc_rewrite(void **state)
{
	static const char in[] =
	    "Received: from pc1 by gw; Mon, 1 Apr 2024 09:00:00 +0900\r\n"
	    "From: =?UTF-8?B?5bGx55Sw?= <taro@city.example.lg.jp>\r\n"
	    "To: \"Partner A\" <a@example.com>, hanako@City.Example.LG.JP,\r\n"
	    " b@example.org\r\n"
	    "Subject: =?UTF-8?B?5qGI5YaF?=\r\n"
	    "Cc: c@example.net, A@EXAMPLE.COM, jiro@mail.example.jp\r\n"
	    "Message-ID: <1@city.example.lg.jp>\r\n"
	    "\r\n"
	    "body line 1\r\n\r\nbody line 2\r\n";
	static const char want[] =
	    "Received: from pc1 by gw; Mon, 1 Apr 2024 09:00:00 +0900\r\n"
	    "From: =?UTF-8?B?5bGx55Sw?= <taro@city.example.lg.jp>\r\n"
	    "To: hanako@City.Example.LG.JP\r\n"
	    "Subject: =?UTF-8?B?5qGI5YaF?=\r\n"
	    "Cc: jiro@mail.example.jp\r\n"
	    "Bcc: Partner A <a@example.com>, b@example.org, c@example.net\r\n"
	    "Message-ID: <1@city.example.lg.jp>\r\n"
	    "\r\n"
	    "body line 1\r\n\r\nbody line 2\r\n";
	struct fx fx;

	fx_init(&fx);
	fx_runs(&fx, in);
	assert_int_equal(fx.v, VERDICT_SANITIZED);
	expect(&fx, "outbound.external_recipients", FINDING_REMOVED);
	assert_non_null(strstr(finding(&fx,
	    "outbound.external_recipients")->detail, "3 external"));
	assert_string_equal((const char *)fx.out.data, want);

	/* At the limit: unchanged. */
	fx.o.external_max = 3;
	fx_runs(&fx, in);
	assert_int_equal(fx.v, VERDICT_CLEAN);

	/* Held instead; rejected. */
	fx.o.external_max = 2;
	fx.o.external_action = OUTBOUND_HOLD;
	fx_runs(&fx, in);
	assert_int_equal(fx.v, VERDICT_HELD);
	expect(&fx, "outbound.external_recipients", FINDING_HELD);
	expect_bilingual(&fx);
	fx.o.external_action = OUTBOUND_REJECT;
	fx_runs(&fx, in);
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	/* No limit. */
	fx.o.external_max = 0;
	fx_runs(&fx, in);
	assert_int_equal(fx.v, VERDICT_CLEAN);
	fx_free(&fx);
}

static void
test_bcc_undisclosed(void **state)
{
	struct fx fx;
	const char *out;

	fx_init(&fx);
	/* LF ends, every To external, a group, an old Bcc to merge. */
	fx_runs(&fx, "From: taro@city.example.lg.jp\n"
	    "To: a@example.com, Team: b@example.org, c@example.net;\n"
	    "Bcc: boss@city.example.lg.jp, a@example.com\n"
	    "Subject: x\n\nbody\n");
	assert_int_equal(fx.v, VERDICT_SANITIZED);
	out = (const char *)fx.out.data;
	assert_string_equal(out, "From: taro@city.example.lg.jp\n"
	    "To: Team: ;\n"
	    "Bcc: boss@city.example.lg.jp, a@example.com, b@example.org,"
	    " c@example.net\n"
	    "Subject: x\n\nbody\n");
	fx_runs(&fx, "From: taro@city.example.lg.jp\n"
	    "To: a@example.com, b@example.org\nSubject: x\n\nbody\n");
	assert_int_equal(fx.v, VERDICT_SANITIZED);
	assert_string_equal((const char *)fx.out.data,
	    "From: taro@city.example.lg.jp\n"
	    "To: undisclosed-recipients:;\n"
	    "Bcc: a@example.com, b@example.org\nSubject: x\n\nbody\n");
	/* Without a body or a final line end. */
	fx_runs(&fx, "To: a@example.com, b@example.org");
	assert_int_equal(fx.v, VERDICT_SANITIZED);
	assert_string_equal((const char *)fx.out.data,
	    "To: undisclosed-recipients:;\n"
	    "Bcc: a@example.com, b@example.org\n");
	/* The same address twice counts once. */
	fx_runs(&fx, "To: a@example.com\nCc: A@Example.com\n\nx\n");
	assert_int_equal(fx.v, VERDICT_CLEAN);
	/* Addresses nobody can read: held. */
	fx_runs(&fx, "To: <<<@@@>>>\n\nx\n");
	assert_int_equal(fx.v, VERDICT_HELD);
	expect(&fx, "mime.malformed", FINDING_HELD);
	fx_free(&fx);
}

/* ---- auto-forward, size, malformed ---- */

static void
test_auto_forward(void **state)
{
	static const char *const markers[] = {
		"Auto-Submitted: auto-forwarded",
		"Auto-Submitted: Auto-Forwarded (rule)",
		"Resent-From: a@city.example.lg.jp",
		"Resent-To: b@example.com",
		"Resent-Date: Mon, 1 Apr 2024 09:00:00 +0900",
		"Resent-Message-ID: <x@y>",
		"X-Autoforwarded: TRUE",
		"X-MS-Exchange-Inbox-Rules-Loop: taro@city.example.lg.jp",
		"X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent",
		"X-Forwarded-To: b@example.com",
		"X-Forwarded-For: taro@city.example.lg.jp b@example.com",
	};
	struct fx fx;
	char m[512];
	size_t i;

	fx_init(&fx);
	for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
		snprintf(m, sizeof(m), H_EXT "%s\nSubject: x\n\nbody\n",
		    markers[i]);
		fx_runs(&fx, m);
		if (fx.v != VERDICT_BLOCKED)
			fail_msg("%s: %s", markers[i], verdict_name(fx.v));
		expect(&fx, "outbound.auto_forward", FINDING_BLOCKED);
		expect_bilingual(&fx);
	}
	/* Not markers. */
	fx_runs(&fx, H_EXT "Auto-Submitted: auto-replied\n"
	    "X-Autoforwarded: false\nSubject: x\n\nbody\n");
	assert_int_equal(fx.v, VERDICT_CLEAN);
	fx.o.auto_forward = OUTBOUND_HOLD;
	fx_runs(&fx, H_EXT "Resent-From: a@city.example.lg.jp\n\nbody\n");
	assert_int_equal(fx.v, VERDICT_HELD);
	fx.o.auto_forward = OUTBOUND_ALLOW;
	fx_runs(&fx, H_EXT "Resent-From: a@city.example.lg.jp\n\nbody\n");
	assert_int_equal(fx.v, VERDICT_CLEAN);
	expect(&fx, "outbound.auto_forward", FINDING_REPORTED);
	fx_free(&fx);
}

static void
test_too_big(void **state)
{
	struct fx fx;
	char *m;

	fx_init(&fx);
	fx.o.max_size = 100;
	m = g_strdup_printf(H_EXT "Subject: x\n\n%0200d\n", 0);
	fx_runs(&fx, m);
	assert_int_equal(fx.v, VERDICT_BLOCKED);
	expect(&fx, "outbound.too_big", FINDING_BLOCKED);
	expect_bilingual(&fx);
	fx.o.max_size = 0;
	fx_runs(&fx, m);
	assert_int_equal(fx.v, VERDICT_CLEAN);
	g_free(m);
	fx_free(&fx);
}

static void
test_malformed_held(void **state)
{
	static const char *const bad[] = {
		"",
		" folded first line\nTo: a@example.com\n\nx\n",
		"To: a@example.com\nthis line has no colon\n\nx\n",
		"To: a@example.com\nBad Name: x\n\nx\n",
		"To: a@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed"
		"\n\n--x\n\nbody\n--x--\n",
		"To: a@example.com\nMIME-Version: 1.0\nContent-Type: message/partial;"
		" id=\"1\"; number=1; total=2\n\nx\n",
	};
	struct fx fx;
	size_t i;

	fx_init(&fx);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fx_runs(&fx, bad[i]);
		if (fx.v != VERDICT_HELD)
			fail_msg("case %zu: %s", i, verdict_name(fx.v));
		expect_bilingual(&fx);
	}
	/* NUL in the header. */
	fx_run(&fx, "To: a@example.com\0x\n\nx\n", 23);
	assert_int_equal(fx.v, VERDICT_HELD);
	fx_free(&fx);
}

static void
test_limits_held(void **state)
{
	struct fx fx;
	GString *m = g_string_new(H_EXT "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=m\n\n");
	unsigned i;

	fx_init(&fx);
	for (i = 0; i < 20; i++)
		g_string_append_printf(m, "--m\nContent-Type: text/plain\n\n%u\n",
		    i);
	g_string_append(m, "--m--\n");
	fx.lim.mime_parts = 10;
	fx_run(&fx, m->str, m->len);
	assert_int_equal(fx.v, VERDICT_HELD);
	expect(&fx, "limit.mime_parts", FINDING_HELD);
	fx.lim.mime_parts = 1000;
	fx.lim.mime_depth = 0;
	fx_run(&fx, m->str, m->len);
	assert_int_equal(fx.v, VERDICT_HELD);
	expect(&fx, "limit.mime_depth", FINDING_HELD);
	fx.lim.mime_depth = 32;
	fx.lim.header_bytes = 20;
	fx_run(&fx, m->str, m->len);
	assert_int_equal(fx.v, VERDICT_HELD);
	expect(&fx, "limit.header_bytes", FINDING_HELD);
	g_string_free(m, TRUE);
	fx_free(&fx);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_parser),
		cmocka_unit_test(test_clean_passes_unchanged),
		cmocka_unit_test(test_header_label),
		cmocka_unit_test(test_subject_label),
		cmocka_unit_test(test_attachment_names),
		cmocka_unit_test(test_zip),
		cmocka_unit_test(test_ooxml_properties),
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_smime_pgp),
		cmocka_unit_test(test_related_image_is_body),
		cmocka_unit_test(test_attached_message),
		cmocka_unit_test(test_encrypted_office_from_corpus),
		cmocka_unit_test(test_bcc_rewrite),
		cmocka_unit_test(test_bcc_undisclosed),
		cmocka_unit_test(test_auto_forward),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_malformed_held),
		cmocka_unit_test(test_limits_held),
	};

	if (argc > 1)
		corpus_dir = argv[1];
	g_mime_init();
	charset_prewarm();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
