/*
 * cmd_mail - `sanso mail sanitize`.
 *
 * The CLI contract (README): `sanso mail sanitize < in.eml > out.eml`
 * exits 0 when a sanitized message was written (a held message is a
 * written notice), 65 when the policy rejects the message (nothing
 * written), 75 on a temporary failure (nothing written: the MTA should
 * retry), 2 for usage. A folder is a batch: one output per message under
 * -o, same names, one worker for all, a summary at the end; the batch
 * exits 75 when any message tempfailed, else 0.
 *
 * `sanso mail check-outbound < in.eml` applies the outbound rules
 * (LGWAN to the internet): 0 pass (the message, maybe rewritten, on
 * stdout), 65 reject and 4 hold (the reason in Japanese and English on
 * stderr, nothing on stdout), 75 try again later.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "file_job.h"
#include "jobproto.h"
#include "log.h"
#include "mail_job.h"
#include "mail_policy.h"
#include "policy.h"
#include "summary.h"

#define EXIT_REJECT 65		/* sysexits EX_DATAERR */
#define EXIT_HOLD 4		/* outbound: held for release */
#define MAIL_ARENA_MAX (512u * 1024 * 1024)

static void
mail_usage(void)
{
	fprintf(stderr,
	    "usage: sanso mail sanitize [--policy P.yaml] [--store DIR] < in.eml > out.eml\n"
	    "       sanso mail sanitize DIR -o OUTDIR [--policy P.yaml] [--store DIR]\n"
	    "       sanso mail check-outbound [--policy P.yaml] [--store DIR] < in.eml > out.eml\n"
	    "options: --report R.json  --clamd SOCKET  --av-required\n"
	    "         --links keep|defang|remove  --zone Z  --source S  --quiet\n"
	    "exit: 0 written, 65 rejected by policy, 75 try again later, 2 usage,\n"
	    "      4 held (check-outbound)\n");
}

/* Copy stdin into a memfd the worker can map. -1 on error. */
static int
stdin_to_memfd(void)
{
	char chunk[65536];
	ssize_t n;
	int fd = memfd_create("sanso-mail-in", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	for (;;) {
		n = read(STDIN_FILENO, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (n > 0 && write(fd, chunk, (size_t)n) != n)) {
			close(fd);
			return -1;
		}
		if (n == 0)
			return fd;
	}
}

static void
write_report(const char *path, const struct report *r)
{
	struct buffer b;

	if (path == NULL || r == NULL)
		return;
	buffer_init(&b, 64u << 20);
	if (report_write_json(r, &b) == 0 && buffer_append(&b, "\n", 1) == 0 &&
	    file_write_atomic(path, b.data, b.used) < 0)
		fprintf(stderr, "sanso: cannot write %s: %s\n", path,
		    strerror(errno));
	buffer_free(&b);
}

static int
status_exit(enum mail_job_status st)
{
	switch (st) {
	case MAIL_JOB_DELIVER:
		return EXIT_PASSED;
	case MAIL_JOB_REJECT:
		return EXIT_REJECT;
	case MAIL_JOB_HOLD:
		return EXIT_HOLD;
	case MAIL_JOB_TEMPFAIL:
		break;
	}
	return EXIT_TEMPFAIL;
}

/* The reasons of the findings that stopped a message (their details
   carry Japanese and English). */
static void
print_reasons(const struct report *r)
{
	const struct report_finding *f;
	const struct report *c;

	for (f = r->findings; f != NULL; f = f->next)
		if (f->action == FINDING_BLOCKED || f->action == FINDING_HELD)
			fprintf(stderr, "sanso: %s: %s\n", f->code,
			    f->detail != NULL ? f->detail : "");
	for (c = r->children; c != NULL; c = c->next)
		print_reasons(c);
}

static int
mail_one(const struct mail_job_config *cfg, const struct cli_common *c)
{
	struct mail_job_result res;
	struct arena *arena;
	int fd, ret;

	fd = stdin_to_memfd();
	if (fd < 0) {
		fprintf(stderr, "sanso: cannot read the message: %s\n",
		    strerror(errno));
		return EXIT_TEMPFAIL;
	}
	arena = arena_create(MAIL_ARENA_MAX);
	if (arena == NULL || mail_job_run(cfg, arena, fd, c->source,
	    &res) < 0) {
		fprintf(stderr, "sanso: out of memory\n");
		close(fd);
		arena_destroy(arena);
		return EXIT_TEMPFAIL;
	}
	write_report(c->report_path, res.report);
	if (res.status == MAIL_JOB_DELIVER &&
	    jobproto_write_all(STDOUT_FILENO, res.output,
	    res.output_len) < 0) {
		fprintf(stderr, "sanso: cannot write the message: %s\n",
		    strerror(errno));
		res.status = MAIL_JOB_TEMPFAIL;
	}
	if ((res.status == MAIL_JOB_REJECT || res.status == MAIL_JOB_HOLD) &&
	    cfg->outbound && res.report != NULL)
		print_reasons(res.report);
	else if (res.status == MAIL_JOB_REJECT)
		fprintf(stderr, "sanso: 受信を拒否しました: ポリシーの上限"
		    "（mail.max_size）を超えています / rejected: %s\n", res.why);
	else if (res.status == MAIL_JOB_TEMPFAIL)
		fprintf(stderr, "sanso: 一時的に処理できません。再送してください"
		    " / try again later: %s\n", res.why);
	else if (!c->quiet && res.report != NULL)
		fprintf(stderr, "sanso: %s\n",
		    verdict_name(report_verdict(res.report)));
	ret = status_exit(res.status);
	mail_job_result_free(&res);
	close(fd);
	arena_destroy(arena);
	return ret;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file directly in dir, sorted. */
static char **
list_dir(const char *dir, size_t *count_r)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL, **nv;
	size_t n = 0, alloc = 0;

	*count_r = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || (de->d_type != DT_REG &&
		    de->d_type != DT_UNKNOWN))
			continue;
		if (n == alloc) {
			alloc = alloc == 0 ? 64 : alloc * 2;
			nv = realloc(v, alloc * sizeof(*v));
			if (nv == NULL)
				break;
			v = nv;
		}
		v[n] = strdup(de->d_name);
		if (v[n] != NULL)
			n++;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_str);
	*count_r = n;
	return v;
}

static int
mail_batch(const struct mail_job_config *cfg, const struct cli_common *c,
    const char *dir)
{
	struct summary *sum = summary_new();
	struct mail_job_result res;
	struct buffer json;
	char path[4096], out[4096];
	char **names;
	size_t n, i;
	unsigned tempfail = 0, rejected = 0;
	int ret = EXIT_PASSED;

	names = list_dir(dir, &n);
	if (sum == NULL || (names == NULL && n == 0 && errno != 0 &&
	    opendir(dir) == NULL)) {
		fprintf(stderr, "sanso: cannot read %s\n", dir);
		summary_free(sum);
		return EXIT_USAGE;
	}
	if (mkdir(c->output, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "sanso: cannot create %s: %s\n", c->output,
		    strerror(errno));
		summary_free(sum);
		return EXIT_USAGE;
	}
	buffer_init(&json, 1024u << 20);
	(void)buffer_append_str(&json, "{\"messages\":[");
	for (i = 0; i < n; i++) {
		struct arena *arena = arena_create(MAIL_ARENA_MAX);
		int fd;

		summary_progress(sum, i, n, names[i], c->quiet);
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(out, sizeof(out), "%s/%s", c->output, names[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (arena == NULL || fd < 0 ||
		    mail_job_run(cfg, arena, fd, path, &res) < 0) {
			res.status = MAIL_JOB_TEMPFAIL;
			res.report = NULL;
			res.output = NULL;
		}
		if (res.status == MAIL_JOB_DELIVER &&
		    file_write_atomic(out, res.output, res.output_len) < 0)
			res.status = MAIL_JOB_TEMPFAIL;
		if (res.status == MAIL_JOB_TEMPFAIL)
			tempfail++;
		if (res.status == MAIL_JOB_REJECT)
			rejected++;
		if (res.report != NULL) {
			summary_add(sum, res.report);
			if (i > 0)
				(void)buffer_append(&json, ",", 1);
			(void)report_write_json(res.report, &json);
		}
		mail_job_result_free(&res);
		if (fd >= 0)
			close(fd);
		arena_destroy(arena);
		free(names[i]);
	}
	free(names);
	summary_progress(sum, n, n, NULL, c->quiet);
	(void)buffer_printf(&json, "],\"rejected\":%u,\"tempfailed\":%u}\n",
	    rejected, tempfail);
	if (c->report_path != NULL &&
	    file_write_atomic(c->report_path, json.data, json.used) < 0)
		fprintf(stderr, "sanso: cannot write %s\n", c->report_path);
	if (!c->quiet) {
		summary_print(sum, stdout);
		printf("rejected %u, try again later %u\n", rejected, tempfail);
	}
	if (tempfail > 0)
		ret = EXIT_TEMPFAIL;
	buffer_free(&json);
	summary_free(sum);
	return ret;
}

int
cmd_mail(int argc, char **argv)
{
	struct mail_job_config cfg;
	struct mail_options mo;
	struct cli_common c;
	struct worker *w;
	struct stat st;
	const char *dir = NULL;
	char err[STORE_ERR_SIZE];
	int ret;

	if (argc < 2 || (strcmp(argv[1], "sanitize") != 0 &&
	    strcmp(argv[1], "check-outbound") != 0)) {
		mail_usage();
		return EXIT_USAGE;
	}
	cli_common_init(&c);
	c.opts.links = LINKS_DEFANG;	/* mail's default (README) */
	if (cli_parse_common(argc - 1, argv + 1, &c) < 0 ||
	    optind + 1 < argc - 1) {
		mail_usage();
		return EXIT_USAGE;
	}
	if (optind < argc - 1)
		dir = argv[optind + 1];
	mail_options_init(&mo);
	memset(&cfg, 0, sizeof(cfg));
	if (c.policy_path != NULL) {
		if (cli_load_policy(&c) < 0 ||
		    mail_policy_apply(c.policy, &mo, &c.opts, &cfg.max_size,
		    err, sizeof(err)) < 0) {
			if (c.policy != NULL)
				fprintf(stderr, "sanso: %s\n", err);
			return EXIT_USAGE;
		}
		(void)cli_parse_common(argc - 1, argv + 1, &c);
	}
	if (dir != NULL && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    c.output == NULL)) {
		mail_usage();
		return EXIT_USAGE;
	}
	if (c.store_dir != NULL) {
		c.store = store_open(c.store_dir, err, sizeof(err));
		if (c.store == NULL) {
			fprintf(stderr, "sanso: %s\n", err);
			return EXIT_TEMPFAIL;
		}
	}
	w = worker_new(cli_worker_path());
	if (w == NULL)
		log_fatal("out of memory");
	cfg.worker = w;
	cfg.outbound = strcmp(argv[1], "check-outbound") == 0;
	if (cfg.outbound && dir != NULL) {
		mail_usage();
		return EXIT_USAGE;
	}
	cfg.opts = &c.opts;
	cfg.limits = &c.limits;
	cfg.mail = &mo;
	cfg.clamd = c.clamd;
	cfg.av_required = c.av_required;
	cfg.store = c.store;
	cfg.zone = c.zone != NULL ? c.zone : cfg.outbound ? "lgwan" :
	    "internet";
	cfg.retention_days = c.retention_days;
	ret = dir != NULL ? mail_batch(&cfg, &c, dir) : mail_one(&cfg, &c);
	worker_free(w);
	store_close(c.store);
	cli_common_free(&c);
	return ret;
}
