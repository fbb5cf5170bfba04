/*
 * mail-run - run the inbound mail job (mail_sanitize) in-process, no
 * worker and no sandbox, on each message named, and print "verdict
 * bytes path". For memory checkers and profilers: valgrind cannot run
 * inside the seccomp sandbox, so scripts/test --valgrind runs the mail
 * corpus through this. Attachments are re-attached (sanitize) so the
 * whole path runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "mail.h"

static int
run_file(const char *path)
{
	struct mail_options mo;
	struct limits limits;
	struct cdr_options opts;
	struct buffer in, out;
	struct arena *arena;
	struct report *r;
	struct cdr_ctx ctx;
	unsigned char chunk[65536];
	unsigned i;
	size_t n;
	FILE *fp;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		perror(path);
		return -1;
	}
	limits_init(&limits);
	cdr_options_init(&opts);
	opts.links = LINKS_DEFANG;
	mail_options_init(&mo);
	for (i = 0; i < MAIL_FAMILY_SLOTS; i++)
		mo.attach[i] = ATTACH_SANITIZE;
	buffer_init(&in, limits.file_size + 1);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (buffer_append(&in, chunk, n) < 0)
			break;
	}
	fclose(fp);
	arena = arena_create(512u * 1024 * 1024);
	r = report_new(arena, path);
	memset(&ctx, 0, sizeof(ctx));
	ctx.arena = arena;
	ctx.limits = &limits;
	ctx.opts = &opts;
	buffer_init(&out, limits.output_size);
	(void)mail_sanitize(&ctx, &mo, in.data != NULL ? in.data :
	    (const unsigned char *)"", in.used, &out, r);
	printf("%-10s %zu %s\n", verdict_name(report_verdict(r)), out.used,
	    path);
	buffer_free(&in);
	buffer_free(&out);
	arena_destroy(arena);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, ret = 0;

	if (hash_init() < 0)
		return 1;
	mail_prewarm();
	for (i = 1; i < argc; i++)
		if (run_file(argv[i]) < 0)
			ret = 1;
	return ret;
}
