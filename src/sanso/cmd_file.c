/*
 * cmd_file - `sanso file sanitize|inspect|codes`.
 *
 * The CLI contract (README): sanitize exits 0 when the verdict is clean
 * or sanitized and OUT was written, 3 for blocked/held/error (no OUT), 2
 * for usage; --report is always written. inspect exits 0 for no
 * findings, 1 for findings, 3 when the file cannot be processed. A
 * folder given to sanitize is a batch: every file below it, outputs
 * under -o in the same layout, a progress bar on a terminal and a
 * summary table at the end.
 */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "file_job.h"
#include "log.h"
#include "store.h"
#include "summary.h"

#define JOB_ARENA_MAX (512u * 1024 * 1024)
#define REPORT_JSON_MAX (1024u * 1024 * 1024)	/* a batch of many files */

static void
file_usage(void)
{
	fprintf(stderr,
	    "usage: sanso file sanitize IN -o OUT [--report R.json] [--policy P.yaml]\n"
	    "       sanso file sanitize DIR -o OUTDIR [--report R.json] [--policy P.yaml]\n"
	    "       sanso file inspect IN [--json] [--policy P.yaml]\n"
	    "       sanso file codes\n"
	    "options: --clamd SOCKET|tcp:HOST:PORT  --av-required\n"
	    "         --store DIR (keep originals + audit)  --zone Z  --source S\n"
	    "         --links keep|remove  --no-default-passwords  --quiet\n");
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

/* Write text to path (atomically), or to stdout for "-". */
static int
write_text(const char *path, const struct buffer *b)
{
	if (strcmp(path, "-") == 0)
		return fwrite(b->data, 1, b->used, stdout) == b->used ? 0 : -1;
	return file_write_atomic(path, b->data, b->used);
}

static void
file_job_config_init(struct file_job_config *cfg, const struct cli_common *c,
    struct worker *w, bool inspect)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->store = c->store;
	cfg->zone = c->zone;
	cfg->source = c->source;
	cfg->retention_days = c->retention_days;
	cfg->worker = w;
	cfg->opts = &c->opts;
	cfg->limits = &c->limits;
	cfg->clamd = c->clamd;
	cfg->av_required = c->av_required;
	cfg->inspect = inspect;
}

/* The output path for one file: its extension changes when the type
   changed (docm -> docx). Returns a malloc'd string. */
static char *
output_path(const char *out, const struct report *r)
{
	const char *slash, *dot;
	char *p;

	if (r->new_ext == NULL)
		return strdup(out);
	slash = strrchr(out, '/');
	dot = strrchr(out, '.');
	if (dot == NULL || (slash != NULL && dot < slash))
		dot = out + strlen(out);
	if (asprintf(&p, "%.*s.%s", (int)(dot - out), out, r->new_ext) < 0)
		return NULL;
	return p;
}

/* Write the output of a passed job. Returns 0, or -1 (report says why). */
static int
file_emit(struct file_job_result *res, const char *out)
{
	char *path;

	if (res->output == NULL)
		return 0;
	path = output_path(out, res->report);
	if (path == NULL || file_write_atomic(path, res->output,
	    res->output_len) < 0) {
		report_set_error(res->report, "cannot write %s: %s", out,
		    strerror(errno));
		report_clear_output(res->report);
		free(path);
		return -1;
	}
	report_set_output_name(res->report, base_name(path));
	free(path);
	return 0;
}

/* Run one file: job, output, report file. Fills *v. Returns 0, or -1
   when the report could not be written (the caller fails). */
static int
file_sanitize_path(const struct cli_common *c, struct worker *w,
    struct summary *sum, const char *in, const char *name, const char *out,
    struct buffer *reports, enum verdict *v_r)
{
	struct file_job_config cfg;
	struct file_job_result res;
	struct arena *arena = arena_create(JOB_ARENA_MAX);

	file_job_config_init(&cfg, c, w, false);
	if (arena == NULL || file_job_run(&cfg, arena, in, name, &res) < 0)
		log_fatal("out of memory for job %s", in);
	(void)file_emit(&res, out);
	file_job_result_free(&res);
	*v_r = report_verdict(res.report);
	summary_add(sum, res.report);
	if (reports != NULL) {
		if (report_write_json(res.report, reports) < 0)
			log_fatal("report too large for %s", in);
	}
	arena_destroy(arena);
	return 0;
}

static int
file_sanitize_one(const struct cli_common *c, struct worker *w,
    const char *in)
{
	struct summary *sum = summary_new();
	struct buffer json;
	enum verdict v;
	int ret = 0;

	buffer_init(&json, REPORT_JSON_MAX);
	file_sanitize_path(c, w, sum, in, base_name(in), c->output, &json, &v);
	if (c->report_path != NULL) {
		buffer_append_str(&json, "\n");
		if (write_text(c->report_path, &json) < 0) {
			fprintf(stderr, "sanso: cannot write report %s: %s\n",
			    c->report_path, strerror(errno));
			ret = -1;
		}
	}
	if (!c->quiet)
		fprintf(stderr, "%s: %s\n", in, verdict_name(v));
	buffer_free(&json);
	summary_free(sum);
	if (ret < 0)
		return EXIT_NOT_PASSED;
	return v == VERDICT_CLEAN || v == VERDICT_SANITIZED ? EXIT_PASSED :
	    EXIT_NOT_PASSED;
}

/* Files of a batch, collected by nftw(). */
static char **batch_files;
static size_t batch_count, batch_alloc;

static int
batch_collect(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	char **n;

	if (flag != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	if (batch_count == batch_alloc) {
		batch_alloc = batch_alloc == 0 ? 64 : batch_alloc * 2;
		n = realloc(batch_files, batch_alloc * sizeof(*n));
		if (n == NULL)
			return -1;
		batch_files = n;
	}
	batch_files[batch_count] = strdup(path);
	return batch_files[batch_count++] == NULL ? -1 : 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Create the folders leading to path (like mkdir -p of its dirname). */
static int
mkdir_parents(const char *path)
{
	char buf[4096];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

static int
file_sanitize_batch(const struct cli_common *c, struct worker *w,
    const char *dir)
{
	struct summary *sum = summary_new();
	struct buffer json;
	size_t i, dlen = strlen(dir);
	bool all_passed = true;
	int ret = EXIT_PASSED;

	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	if (nftw(dir, batch_collect, 32, FTW_PHYS) != 0) {
		fprintf(stderr, "sanso: cannot walk %s: %s\n", dir,
		    strerror(errno));
		return EXIT_NOT_PASSED;
	}
	qsort(batch_files, batch_count, sizeof(*batch_files), cmp_str);
	if (mkdir(c->output, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "sanso: cannot create %s: %s\n", c->output,
		    strerror(errno));
		return EXIT_NOT_PASSED;
	}
	buffer_init(&json, REPORT_JSON_MAX);
	buffer_append_str(&json, "{\"files\":[");
	for (i = 0; i < batch_count; i++) {
		const char *rel = batch_files[i] + dlen + 1;
		char *out;
		enum verdict v;

		if (asprintf(&out, "%s/%s", c->output, rel) < 0 ||
		    mkdir_parents(out) < 0)
			log_fatal("cannot prepare output for %s", rel);
		summary_progress(sum, i, batch_count, rel, c->quiet);
		if (i > 0)
			buffer_append_str(&json, ",");
		file_sanitize_path(c, w, sum, batch_files[i], rel, out, &json,
		    &v);
		if (v != VERDICT_CLEAN && v != VERDICT_SANITIZED)
			all_passed = false;
		free(out);
		free(batch_files[i]);
	}
	summary_progress(sum, batch_count, batch_count, NULL, c->quiet);
	buffer_append_str(&json, "],\"summary\":");
	summary_write_json(sum, &json);
	buffer_append_str(&json, "}\n");
	if (c->report_path != NULL && write_text(c->report_path, &json) < 0) {
		fprintf(stderr, "sanso: cannot write report %s: %s\n",
		    c->report_path, strerror(errno));
		ret = EXIT_NOT_PASSED;
	}
	if (!c->quiet)
		summary_print(sum, stdout);
	free(batch_files);
	buffer_free(&json);
	summary_free(sum);
	if (!all_passed)
		ret = EXIT_NOT_PASSED;
	return ret;
}

/* Human form of a report for `inspect` without --json. */
static void
print_report(const struct report *r, FILE *fp, int indent)
{
	const struct report_finding *f;
	const struct report *ch;

	fprintf(fp, "%*s%s: %s (%s)%s%s\n", indent, "",
	    r->name != NULL ? r->name : "-", verdict_name(report_verdict(r)),
	    r->type, r->error != NULL ? ": " : "",
	    r->error != NULL ? r->error : "");
	for (f = r->findings; f != NULL; f = f->next)
		fprintf(fp, "%*s  %-24s %-8s %s%s%s\n", indent, "", f->code,
		    finding_action_name(f->action),
		    f->location != NULL ? f->location : "",
		    f->location != NULL && f->detail != NULL ? ": " : "",
		    f->detail != NULL ? f->detail : "");
	for (ch = r->children; ch != NULL; ch = ch->next)
		print_report(ch, fp, indent + 2);
}

static bool
report_tree_has_findings(const struct report *r)
{
	const struct report *ch;

	if (r->findings != NULL)
		return true;
	for (ch = r->children; ch != NULL; ch = ch->next) {
		if (report_tree_has_findings(ch))
			return true;
	}
	return false;
}

static int
file_inspect(const struct cli_common *c, struct worker *w, const char *in)
{
	struct file_job_config cfg;
	struct file_job_result res;
	struct arena *arena = arena_create(JOB_ARENA_MAX);
	struct buffer json;
	int ret;

	file_job_config_init(&cfg, c, w, true);
	if (arena == NULL || file_job_run(&cfg, arena, in, base_name(in),
	    &res) < 0)
		log_fatal("out of memory");
	if (c->json) {
		buffer_init(&json, REPORT_JSON_MAX);
		if (report_write_json(res.report, &json) < 0)
			log_fatal("report too large");
		fwrite(json.data, 1, json.used, stdout);
		buffer_free(&json);
	} else
		print_report(res.report, stdout, 0);
	if (report_verdict(res.report) == VERDICT_ERROR)
		ret = EXIT_NOT_PASSED;
	else
		ret = report_tree_has_findings(res.report) ? EXIT_FINDINGS :
		    EXIT_PASSED;
	file_job_result_free(&res);
	arena_destroy(arena);
	return ret;
}

static int
file_codes(void)
{
	const struct finding_info *t;
	size_t i, n;

	t = finding_table(&n);
	for (i = 0; i < n; i++)
		printf("%-26s %s\n", t[i].code, t[i].description);
	printf("%-26s %s\n", "av.<signature>", "malware signature found by clamd");
	return EXIT_PASSED;
}

int
cmd_file(int argc, char **argv)
{
	struct cli_common c;
	struct worker *w;
	struct stat st;
	const char *sub;
	int ret;

	if (argc < 2) {
		file_usage();
		return EXIT_USAGE;
	}
	sub = argv[1];
	if (strcmp(sub, "codes") == 0)
		return file_codes();
	cli_common_init(&c);
	if (cli_parse_common(argc - 1, argv + 1, &c) < 0 || optind + 1 != argc - 1) {
		file_usage();
		return EXIT_USAGE;
	}
	if (c.policy_path != NULL) {
		/* The policy sets the defaults; options on the command line
		   win, so parse them again on top of it. */
		if (cli_load_policy(&c) < 0)
			return EXIT_USAGE;
		(void)cli_parse_common(argc - 1, argv + 1, &c);
	}
	if (strcmp(sub, "sanitize") == 0 && c.output == NULL) {
		file_usage();
		return EXIT_USAGE;
	}
	if (strcmp(sub, "sanitize") != 0 && strcmp(sub, "inspect") != 0) {
		file_usage();
		return EXIT_USAGE;
	}
	if (c.store_dir != NULL && strcmp(sub, "sanitize") == 0) {
		char err[STORE_ERR_SIZE];

		c.store = store_open(c.store_dir, err, sizeof(err));
		if (c.store == NULL) {
			fprintf(stderr, "sanso: %s\n", err);
			return EXIT_TEMPFAIL;
		}
	}
	if (c.source == NULL)
		c.source = argv[optind + 1];
	w = worker_new(cli_worker_path());
	if (w == NULL)
		log_fatal("out of memory");
	if (strcmp(sub, "inspect") == 0)
		ret = file_inspect(&c, w, argv[optind + 1]);
	else if (stat(argv[optind + 1], &st) == 0 && S_ISDIR(st.st_mode))
		ret = file_sanitize_batch(&c, w, argv[optind + 1]);
	else
		ret = file_sanitize_one(&c, w, argv[optind + 1]);
	worker_free(w);
	store_close(c.store);
	cli_common_free(&c);
	return ret;
}
