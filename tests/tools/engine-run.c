/*
 * engine-run - run the file engine in-process (no worker, no sandbox) on
 * each file named, and print "verdict type path". For memory checkers:
 * valgrind cannot run inside the seccomp sandbox, so the corpus is run
 * through this instead (scripts/test --valgrind).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "hash.h"

static int
run_file(const char *path, bool inspect)
{
	struct limits limits;
	struct cdr_options opts;
	struct buffer in, out;
	struct arena *arena;
	struct report *r;
	struct cdr_ctx ctx;
	unsigned char chunk[65536];
	size_t n;
	FILE *fp;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		perror(path);
		return -1;
	}
	limits_init(&limits);
	cdr_options_init(&opts);
	buffer_init(&in, limits.file_size + 1);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (buffer_append(&in, chunk, n) < 0)
			break;
	}
	fclose(fp);
	arena = arena_create(256u * 1024 * 1024);
	r = report_new(arena, path);
	ctx = (struct cdr_ctx){ arena, &limits, &opts, inspect, 0, NULL };
	buffer_init(&out, limits.output_size);
	(void)engine_run(&ctx, r, strrchr(path, '/') ? strrchr(path, '/') + 1 :
	    path, in.data != NULL ? in.data : (const unsigned char *)"",
	    in.used, &out);
	printf("%-10s %-16s %zu %s\n", verdict_name(report_verdict(r)), r->type,
	    out.used, path);
	buffer_free(&in);
	buffer_free(&out);
	arena_destroy(arena);
	return 0;
}

int
main(int argc, char **argv)
{
	bool inspect = false;
	int i, ret = 0;

	if (hash_init() < 0)
		return 1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--inspect") == 0) {
			inspect = true;
			continue;
		}
		if (run_file(argv[i], inspect) < 0)
			ret = 1;
	}
	return ret;
}
