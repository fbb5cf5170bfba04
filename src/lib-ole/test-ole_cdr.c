/*
 * test-ole_cdr - OLE2 CDR: every hand-made sample of tests/corpus/files/ole
 * against its .expect (verdict, findings), the rebuilt files re-parsed
 * (kept streams byte-identical, removed storages gone, a second pass
 * finds nothing), inspect mode equal to sanitize mode, the reader's
 * limits on hand-built hostile containers, the writer's DIFAT path on a
 * large file, and the oletools samples when they are present.
 *
 * Arguments: the sample folder, then (optionally) the oletools corpus
 * folder, else $SANSO_SHARED_CORPUS/oletools.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cfb.h"
#include "ole_cdr.h"

static const char *samples_dir;
static const char *oletools_dir;

struct fx {
	struct arena *arena;
	struct limits lim;
	struct cdr_options opts;
	struct cdr_ctx ctx;
	struct report *r;
	struct buffer out;
};

static void
fx_init(struct fx *fx, bool inspect)
{
	memset(fx, 0, sizeof(*fx));
	fx->arena = arena_create(512 * 1024 * 1024);
	assert_non_null(fx->arena);
	limits_init(&fx->lim);
	cdr_options_init(&fx->opts);
	fx->ctx.arena = fx->arena;
	fx->ctx.limits = &fx->lim;
	fx->ctx.opts = &fx->opts;
	fx->ctx.inspect = inspect;
	fx->r = report_new(fx->arena, "sample");
	assert_non_null(fx->r);
	buffer_init(&fx->out, fx->lim.output_size);
}

static void
fx_free(struct fx *fx)
{
	buffer_free(&fx->out);
	arena_destroy(fx->arena);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	*len = fread(b, 1, (size_t)n, f);
	fclose(f);
	return b;
}

/* Run ole_cdr (or ole_decrypt_default for encrypted OOXML) on data. */
static int
run(struct fx *fx, const unsigned char *data, size_t len)
{
	enum file_type t = ole_detect(data, len);

	report_set_type(fx->r, filetype_name(t));
	if (t == FT_OOXML_ENCRYPTED)
		return ole_decrypt_default(&fx->ctx, fx->r, data, len, &fx->out);
	return ole_cdr(&fx->ctx, fx->r, t, data, len, &fx->out);
}

static bool
has_finding(const struct report *r, const char *code, const char *action)
{
	const struct report_finding *f;

	for (f = r->findings; f != NULL; f = f->next) {
		if (strcmp(f->code, code) == 0 &&
		    strcmp(finding_action_name(f->action), action) == 0)
			return true;
	}
	return false;
}

/* The stream at path in cfb (by printable path), or CFB_NOSTREAM. */
static uint32_t
find_path(const struct cfb *cfb, const char *path)
{
	uint32_t i;

	for (i = 1; i < cfb->nentries; i++) {
		char *p;

		if (!cfb->entries[i].reachable)
			continue;
		p = cfb_path(cfb, i);
		if (p != NULL && strcmp(p, path) == 0)
			return i;
	}
	return CFB_NOSTREAM;
}

static void
stream_bytes(const struct cfb *cfb, uint32_t id, struct buffer *b)
{
	buffer_init(b, 1 << 30);
	assert_int_equal(cfb_read_stream(cfb, id, b), 0);
}

/* Length of the first component of path. */
static size_t
top_len(const char *path)
{
	const char *slash = strchr(path, '/');

	return slash != NULL ? (size_t)(slash - path) : strlen(path);
}

/*
 * The rebuilt file: parses, holds every stream of the input that is not
 * under a removed top-level storage byte for byte, and none that is (the
 * module removes the whole top-level entry holding what it found).
 */
static void
check_rebuilt(struct fx *fx, const unsigned char *in, size_t len)
{
	struct cfb a, b;
	const char *err;
	uint32_t i, j;

	assert_int_equal(cfb_open(&a, fx->arena, in, len, &err), 1);
	assert_int_equal(cfb_open(&b, fx->arena, fx->out.data, fx->out.used,
	    &err), 1);
	for (i = 1; i < a.nentries; i++) {
		const struct report_finding *f;
		char *path;
		bool removed = false;

		if (!a.entries[i].reachable)
			continue;
		path = cfb_path(&a, i);
		assert_non_null(path);
		for (f = fx->r->findings; f != NULL; f = f->next) {
			size_t n = f->location ? top_len(f->location) : 0;

			if (f->action == FINDING_REMOVED && n > 0 &&
			    top_len(path) == n && strncmp(path, f->location, n) == 0)
				removed = true;
		}
		j = find_path(&b, path);
		if (removed) {
			assert_int_equal(j, CFB_NOSTREAM);
			continue;
		}
		assert_int_not_equal(j, CFB_NOSTREAM);
		assert_int_equal(a.entries[i].type, b.entries[j].type);
		assert_memory_equal(a.entries[i].clsid, b.entries[j].clsid, 16);
		if (a.entries[i].type == CFB_STREAM) {
			struct buffer x, y;

			stream_bytes(&a, i, &x);
			stream_bytes(&b, j, &y);
			assert_int_equal(x.used, y.used);
			if (x.used > 0)
				assert_memory_equal(x.data, y.data, x.used);
			buffer_free(&x);
			buffer_free(&y);
		}
	}
}

/* sanitize(sanitize(x)): no finding the second time, output unchanged. */
static void
check_idempotent(const unsigned char *data, size_t len)
{
	struct fx fx;

	fx_init(&fx, false);
	assert_int_equal(run(&fx, data, len), 0);
	assert_int_equal(fx.r->finding_count, 0);
	assert_int_equal(fx.out.used, len);
	assert_memory_equal(fx.out.data, data, len);
	fx_free(&fx);
}

/* Inspect mode: same codes and actions, no output. */
static void
check_inspect(const struct report *san, const unsigned char *data, size_t len)
{
	const struct report_finding *f, *g;
	struct fx fx;

	fx_init(&fx, true);
	(void)run(&fx, data, len);
	assert_int_equal(fx.out.used, 0);
	assert_int_equal(fx.r->finding_count, san->finding_count);
	for (f = san->findings, g = fx.r->findings; f != NULL;
	    f = f->next, g = g->next) {
		assert_string_equal(f->code, g->code);
		assert_int_equal(f->action, g->action);
	}
	fx_free(&fx);
}

struct expect {
	char verdict[32];
	char codes[16][48];
	char actions[16][16];
	unsigned n;
};

static void
read_expect(const char *path, struct expect *e)
{
	FILE *f = fopen(path, "r");
	char line[256];

	assert_non_null(f);
	memset(e, 0, sizeof(*e));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "verdict %31s", e->verdict) == 1)
			continue;
		if (e->n < 16 && sscanf(line, "finding %47s %15s",
		    e->codes[e->n], e->actions[e->n]) == 2)
			e->n++;
	}
	fclose(f);
}

/* Engine-level expectations that this module alone cannot produce: the
   engine runs OOXML CDR on a decrypted package and holds the rest. */
static void
check_encrypted_ooxml(struct fx *fx, int rc, const struct expect *e)
{
	if (strcmp(e->verdict, "held") == 0) {
		assert_int_equal(rc, 0);
		assert_int_equal(fx->out.used, 0);
		return;
	}
	assert_int_equal(rc, 1);
	assert_true(fx->out.used > 4);
	assert_memory_equal(fx->out.data, "PK\3\4", 4);
	assert_true(has_finding(fx->r, "ooxml.encrypted", "removed"));
}

static void
check_sample(const char *name)
{
	char path[1024], epath[1100];
	struct expect e;
	unsigned char *data;
	struct fx fx;
	size_t len;
	unsigned i;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", samples_dir, name);
	snprintf(epath, sizeof(epath), "%s.expect", path);
	read_expect(epath, &e);
	data = slurp(path, &len);
	assert_non_null(data);
	fx_init(&fx, false);
	rc = run(&fx, data, len);
	if (ole_detect(data, len) == FT_OOXML_ENCRYPTED) {
		check_encrypted_ooxml(&fx, rc, &e);
		goto done;
	}
	assert_int_equal(rc, 0);
	if (strcmp(verdict_name(report_verdict(fx.r)), e.verdict) != 0)
		fail_msg("%s: verdict %s, expected %s", name,
		    verdict_name(report_verdict(fx.r)), e.verdict);
	for (i = 0; i < e.n; i++) {
		if (!has_finding(fx.r, e.codes[i], e.actions[i]))
			fail_msg("%s: missing finding %s %s", name, e.codes[i],
			    e.actions[i]);
	}
	check_inspect(fx.r, data, len);
	if (strcmp(e.verdict, "clean") == 0) {
		assert_int_equal(fx.out.used, len);
		assert_memory_equal(fx.out.data, data, len);
	} else if (strcmp(e.verdict, "sanitized") == 0) {
		check_rebuilt(&fx, data, len);
		check_idempotent(fx.out.data, fx.out.used);
	} else
		assert_int_equal(fx.out.used, 0);
done:
	fx_free(&fx);
	free(data);
}

static void
test_samples(void **state)
{
	DIR *d = opendir(samples_dir);
	struct dirent *de;
	unsigned n = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		char name[512];

		if (l < 8 || strcmp(de->d_name + l - 7, ".expect") != 0 ||
		    l - 7 >= sizeof(name))
			continue;
		memcpy(name, de->d_name, l - 7);
		name[l - 7] = '\0';
		check_sample(name);
		n++;
	}
	closedir(d);
	assert_true(n >= 30);
}

/*
 * Hand-built hostile containers.
 */

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* A v3 header with everything zero but the fixed fields. */
static void
header(unsigned char *h, uint32_t nfat, uint32_t dir, uint32_t difat,
    uint32_t ndifat)
{
	static const unsigned char sig[8] = {
		0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };
	unsigned i;

	memset(h, 0, 512);
	memcpy(h, sig, 8);
	h[0x18] = 0x3e;
	h[0x1a] = 3;
	h[0x1c] = 0xfe;
	h[0x1d] = 0xff;
	h[0x1e] = 9;
	h[0x20] = 6;
	put32(h + 0x2c, nfat);
	put32(h + 0x30, dir);
	put32(h + 0x38, 4096);
	put32(h + 0x3c, 0xfffffffe);
	put32(h + 0x44, difat);
	put32(h + 0x48, ndifat);
	for (i = 0; i < 109; i++)
		put32(h + 0x4c + 4 * i, i < nfat ? i : 0xffffffff);
}

static void
expect_malformed(const unsigned char *data, size_t len, const char *why)
{
	struct fx fx;

	fx_init(&fx, false);
	assert_int_equal(ole_detect(data, len), FT_OLE_OTHER);
	assert_int_equal(ole_cdr(&fx.ctx, fx.r, FT_OLE_OTHER, data, len,
	    &fx.out), 0);
	assert_true(has_finding(fx.r, "ole.malformed", "blocked"));
	assert_int_equal(fx.out.used, 0);
	if (why != NULL && strstr(fx.r->findings->detail, why) == NULL)
		fail_msg("detail '%s' lacks '%s'", fx.r->findings->detail, why);
	fx_free(&fx);
}

/* 109 FAT sectors from the header, then a DIFAT sector whose next
   pointer is itself: the DIFAT loop must be caught. */
static void
test_difat_loop(void **state)
{
	size_t len = 512 * 300;
	unsigned char *f = calloc(1, len);
	unsigned k;

	(void)state;
	header(f, 109 + 127 + 5, 299, 150, 3);
	for (k = 0; k < 127; k++)
		put32(f + 512 * 151 + 4 * k, 160 + k);
	put32(f + 512 * 151 + 4 * 127, 150);
	expect_malformed(f, len, "twice");
	free(f);
}

static void
test_garbage(void **state)
{
	unsigned char buf[4096];
	unsigned i;

	(void)state;
	memset(buf, 0, sizeof(buf));
	expect_malformed(buf, 0, NULL);
	expect_malformed(buf, 100, "header");
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	header(buf, 1, 1, 0xfffffffe, 0);
	expect_malformed(buf, sizeof(buf), NULL);
	/* FAT sector count larger than the file */
	header(buf, 1000, 1, 0xfffffffe, 0);
	expect_malformed(buf, sizeof(buf), "FAT");
	/* version 4 needs 4096-byte sectors */
	header(buf, 1, 1, 0xfffffffe, 0);
	buf[0x1a] = 4;
	expect_malformed(buf, sizeof(buf), "shift");
}

/* A directory whose root child is the root itself. */
static void
test_root_self_link(void **state)
{
	unsigned char f[512 * 3];
	unsigned i;

	(void)state;
	memset(f, 0, sizeof(f));
	header(f, 1, 1, 0xfffffffe, 0);
	for (i = 0; i < 128; i++)
		put32(f + 512 + 4 * i, 0xffffffff);
	put32(f + 512, 0xfffffffd);
	put32(f + 512 + 4, 0xfffffffe);
	f[1024] = 'R';
	f[1024 + 64] = 4;
	f[1024 + 66] = 5;
	put32(f + 1024 + 68, 0xffffffff);
	put32(f + 1024 + 72, 0xffffffff);
	put32(f + 1024 + 76, 0);
	put32(f + 1024 + 116, 0xfffffffe);
	expect_malformed(f, sizeof(f), "cycle");
}

/* A stream size near 2^64 (version 4 keeps all 64 bits) must not wrap
   when rounded up to sectors. */
static void
test_huge_stream_size(void **state)
{
	static const char name[] = "W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0";
	const char *files[] = { "clean-v4.doc", "clean.doc" };
	char path[1024];
	unsigned char *data, *p;
	size_t len, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", samples_dir, files[i]);
		data = slurp(path, &len);
		assert_non_null(data);
		p = memmem(data, len, name, sizeof(name) - 1);
		assert_non_null(p);
		memset(p + 120, 0xff, 8);
		expect_malformed(data, len, "larger than the file");
		free(data);
	}
}

/*
 * A file big enough to need DIFAT sectors (more than 109 FAT sectors):
 * one large stream and a Macros storage, so the writer must rebuild it.
 */
static unsigned char *
make_big(size_t data_sect, size_t *len_r)
{
	size_t nfat = (data_sect + 2 + 200) / 127 + 1, ndif, total, i, k;
	size_t dir, fat0, dif0;
	unsigned char *f, *d;

	ndif = nfat > 109 ? (nfat - 109 + 126) / 127 : 0;
	/* layout: data, directory, FAT, DIFAT */
	dir = data_sect;
	fat0 = dir + 1;
	dif0 = fat0 + nfat;
	total = dif0 + ndif;
	*len_r = 512 * (total + 1);
	f = calloc(1, *len_r);
	assert_non_null(f);
	header(f, (uint32_t)nfat, (uint32_t)dir,
	    ndif ? (uint32_t)dif0 : 0xfffffffe, (uint32_t)ndif);
	for (i = 0; i < 109; i++)
		put32(f + 0x4c + 4 * i, i < nfat ? (uint32_t)(fat0 + i) : 0xffffffff);
	for (i = 0; i < nfat * 128; i++) {
		uint32_t v = 0xffffffff;

		if (i + 1 < data_sect)
			v = (uint32_t)(i + 1);
		else if (i + 1 == data_sect || i == dir)
			v = 0xfffffffe;
		else if (i >= fat0 && i < dif0)
			v = 0xfffffffd;
		else if (i >= dif0 && i < total)
			v = 0xfffffffc;
		put32(f + 512 * (fat0 + 1) + 4 * i, v);
	}
	for (k = 0; k < ndif; k++) {
		unsigned char *s = f + 512 * (dif0 + k + 1);

		for (i = 0; i < 127; i++) {
			size_t n = 109 + k * 127 + i;

			put32(s + 4 * i, n < nfat ? (uint32_t)(fat0 + n) : 0xffffffff);
		}
		put32(s + 508, k + 1 < ndif ? (uint32_t)(dif0 + k + 1) : 0xfffffffe);
	}
	for (i = 0; i < data_sect * 512; i++)
		f[512 + i] = (unsigned char)(i * 31 + (i >> 9));
	d = f + 512 * (dir + 1);
	/* root -> child 1 "WordDocument" (stream), right sibling 2 "Macros" */
	memcpy(d, "R\0o\0o\0t\0", 8);
	d[64] = 10;
	d[66] = 5;
	put32(d + 68, 0xffffffff);
	put32(d + 72, 0xffffffff);
	put32(d + 76, 1);
	put32(d + 116, 0xfffffffe);
	d += 128;
	for (i = 0; i < 12; i++)
		d[2 * i] = (unsigned char)"WordDocument"[i];
	d[64] = 26;
	d[66] = 2;
	d[67] = 1;
	put32(d + 68, 0xffffffff);
	put32(d + 72, 2);
	put32(d + 76, 0xffffffff);
	put32(d + 116, 0);
	put32(d + 120, (uint32_t)(data_sect * 512 - 100));
	d += 128;
	memcpy(d, "M\0a\0c\0r\0o\0s\0", 12);
	d[64] = 14;
	d[66] = 1;
	put32(d + 68, 0xffffffff);
	put32(d + 72, 0xffffffff);
	put32(d + 76, 0xffffffff);
	d += 128;
	put32(d + 68, 0xffffffff);
	put32(d + 72, 0xffffffff);
	put32(d + 76, 0xffffffff);
	return f;
}

static void
test_big_difat(void **state)
{
	size_t len;
	unsigned char *f = make_big(16000, &len);
	struct cfb in, out;
	struct buffer a, b;
	const char *err;
	bool keep[4] = { true, true, false, true };
	struct fx fx;

	(void)state;
	fx_init(&fx, false);
	assert_int_equal(cfb_open(&in, fx.arena, f, len, &err), 1);
	assert_int_equal(cfb_write(&in, keep, &fx.out), 0);
	assert_int_equal(cfb_open(&out, fx.arena, fx.out.data, fx.out.used,
	    &err), 1);
	assert_true(fx.out.data[0x48] > 0);	/* DIFAT sectors used */
	assert_int_equal(cfb_find(&out, 0, "Macros"), CFB_NOSTREAM);
	stream_bytes(&in, cfb_find(&in, 0, "WordDocument"), &a);
	stream_bytes(&out, cfb_find(&out, 0, "WORDDOCUMENT"), &b);
	assert_int_equal(a.used, b.used);
	assert_memory_equal(a.data, b.data, a.used);
	buffer_free(&a);
	buffer_free(&b);
	fx_free(&fx);
	free(f);
}

/* The output limit is an internal failure (-1 with an error), never a
   truncated file. */
static void
test_output_limit(void **state)
{
	char path[1024];
	unsigned char *data;
	struct fx fx;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/vba-macros.doc", samples_dir);
	data = slurp(path, &len);
	assert_non_null(data);
	fx_init(&fx, false);
	fx.out.max = 1024;
	assert_int_equal(ole_cdr(&fx.ctx, fx.r, FT_DOC, data, len, &fx.out), -1);
	assert_non_null(fx.r->error);
	fx_free(&fx);
	free(data);
}

/* try_default_passwords off: the package is not even tried. */
static void
test_no_default_password(void **state)
{
	char path[1024];
	unsigned char *data;
	struct fx fx;
	size_t len;

	(void)state;
	snprintf(path, sizeof(path), "%s/std-velvet.xlsx", samples_dir);
	data = slurp(path, &len);
	assert_non_null(data);
	fx_init(&fx, false);
	fx.opts.try_default_passwords = false;
	assert_int_equal(ole_decrypt_default(&fx.ctx, fx.r, data, len,
	    &fx.out), 0);
	assert_int_equal(fx.out.used, 0);
	fx_free(&fx);
	free(data);
}

/*
 * oletools samples (read in place when the corpus is there).
 */

struct known {
	const char *file, *verdict, *code, *action;
};

static const struct known known[] = {
	{ "msodde/harmless-clean.doc", "clean", NULL, NULL },
	{ "oleobj/sample_with_calc_embedded.doc", "sanitized", "ole.object", "removed" },
	{ "oleobj/embedded-simple-2007.xls", "sanitized", "ole.object", "removed" },
	{ "oleobj/embedded-simple-2007.ppt", "blocked", "ole.object", "blocked" },
	{ "olevba/sample_with_vba.ppt", "blocked", "ole.vba", "blocked" },
	{ "encrypted/encrypted.doc", "held", "ole.encrypted", "held" },
	{ "encrypted/encrypted.xls", "held", "ole.encrypted", "held" },
	{ "encrypted/dde-test-encrypt-standardpassword.xls", "blocked", "ole.dde", "blocked" },
	{ "encrypted/encrypted.ppt", "held", "ole.encrypted", "held" },
	{ "encrypted/autostart-encrypt-standardpassword.xls", "held", "ole.encrypted", "held" },
	{ "encrypted/dde-test-encrypt-standardpassword.xlsx", "decrypt", NULL, NULL },
	{ "encrypted/autostart-encrypt-standardpassword.xlsm", "decrypt", NULL, NULL },
	{ "encrypted/dde-test-encrypt-standardpassword.xlsb", "decrypt", NULL, NULL },
	{ "encrypted/encrypted.xlsx", "no-decrypt", NULL, NULL },
	{ "encrypted/encrypted.docx", "no-decrypt", NULL, NULL },
	{ "encrypted/encrypted.pptx", "no-decrypt", NULL, NULL },
};

static void
check_known(const struct known *k)
{
	char path[1024];
	unsigned char *data;
	struct fx fx;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", oletools_dir, k->file);
	if ((data = slurp(path, &len)) == NULL)
		return;
	fx_init(&fx, false);
	rc = run(&fx, data, len);
	if (strcmp(k->verdict, "decrypt") == 0 ||
	    strcmp(k->verdict, "no-decrypt") == 0) {
		assert_int_equal(rc, k->verdict[0] == 'd' ? 1 : 0);
		if (rc == 1)
			assert_memory_equal(fx.out.data, "PK\3\4", 4);
	} else {
		assert_int_equal(rc, 0);
		if (strcmp(verdict_name(report_verdict(fx.r)), k->verdict) != 0)
			fail_msg("%s: verdict %s", k->file,
			    verdict_name(report_verdict(fx.r)));
		if (k->code != NULL && !has_finding(fx.r, k->code, k->action))
			fail_msg("%s: no %s %s", k->file, k->code, k->action);
		if (strcmp(k->verdict, "sanitized") == 0) {
			check_rebuilt(&fx, data, len);
			check_idempotent(fx.out.data, fx.out.used);
		}
	}
	fx_free(&fx);
	free(data);
}

static void
test_oletools(void **state)
{
	size_t i;

	(void)state;
	if (oletools_dir == NULL)
		skip();
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		check_known(&known[i]);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_difat_loop),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_root_self_link),
		cmocka_unit_test(test_huge_stream_size),
		cmocka_unit_test(test_big_difat),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_no_default_password),
		cmocka_unit_test(test_oletools),
	};

	static char env_dir[1024];
	const char *shared = getenv("SANSO_SHARED_CORPUS");

	samples_dir = argc > 1 ? argv[1] : "tests/corpus/files/ole";
	oletools_dir = argc > 2 ? argv[2] : NULL;
	if (oletools_dir == NULL && shared != NULL) {
		snprintf(env_dir, sizeof(env_dir), "%s/oletools", shared);
		oletools_dir = env_dir;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
