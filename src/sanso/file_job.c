/*
 * file_job - worker verdict + AV + digests for one file.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clamd.h"
#include "file_job.h"
#include "audit.h"
#include "hash.h"

#define FILE_JOB_AV_TIMEOUT_MS 60000

unsigned char *
job_map_fd(int fd, size_t *len_r)
{
	struct stat st;
	void *p;

	if (fstat(fd, &st) < 0)
		return NULL;
	*len_r = (size_t)st.st_size;
	if (st.st_size == 0)
		return (unsigned char *)"";
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

void
job_unmap(unsigned char *p, size_t len)
{
	if (p != NULL && len > 0)
		munmap(p, len);
}

/* Scan bytes with clamd and record what it says on r. where names what
   was scanned ("input" or "output"). Returns true when it may pass. */
static bool
file_job_av(const struct file_job_config *cfg, struct report *r,
    const unsigned char *data, size_t len, const char *where)
{
	char sig[256], code[300];

	switch (clamd_scan(cfg->clamd, data, len, FILE_JOB_AV_TIMEOUT_MS, sig,
	    sizeof(sig))) {
	case CLAMD_CLEAN:
		return true;
	case CLAMD_FOUND:
		snprintf(code, sizeof(code), "av.%s", sig);
		report_add(r, code, FINDING_BLOCKED, where, "clamd: %s FOUND",
		    sig);
		return false;
	case CLAMD_UNAVAILABLE:
		break;
	}
	if (!cfg->av_required) {
		report_add(r, "av.unavailable", FINDING_REPORTED, where, "%s", sig);
		return true;
	}
	report_add(r, "av.unavailable", FINDING_BLOCKED, where, "%s", sig);
	report_set_error(r, "malware scan required but unavailable: %s", sig);
	return false;
}

static bool
verdict_passes(enum verdict v)
{
	return v == VERDICT_CLEAN || v == VERDICT_SANITIZED;
}

/* Space-separated, de-duplicated finding codes of a report tree. */
static void
collect_codes(const struct report *r, struct buffer *b)
{
	const struct report_finding *f;
	const struct report *c;
	char key[200];

	for (f = r->findings; f != NULL; f = f->next) {
		snprintf(key, sizeof(key), " %s ", f->code);
		if (b->used == 0 || strstr((char *)b->data, key) == NULL) {
			if (b->used == 0)
				buffer_append_str(b, " ");
			buffer_append_str(b, f->code);
			buffer_append_str(b, " ");
		}
	}
	for (c = r->children; c != NULL; c = c->next)
		collect_codes(c, b);
}

/*
 * Keep the original and write the audit record. When that fails the
 * job fails closed: verdict error, no output (the caller tempfails).
 */
int
job_keep(const struct job_keep_args *k, struct report *r,
    const unsigned char *in, size_t in_len)
{
	struct store_new_item item = { 0 };
	struct audit_event ev = { 0 };
	struct buffer findings, codes;
	char id[STORE_ID_LEN + 1], err[STORE_ERR_SIZE], detail[300];
	const char *verdict = verdict_name(report_verdict(r));

	buffer_init(&findings, 16u << 20);
	buffer_init(&codes, 1u << 20);
	(void)report_write_json(r, &findings);
	collect_codes(r, &codes);
	item.source = k->kind;
	item.zone = k->zone;
	item.name = k->name != NULL ? k->name : r->name;
	item.summary = k->source;
	item.type = r->type;
	item.verdict = verdict;
	item.findings_json = findings.used > 0 ? (char *)findings.data : "";
	item.retention_days = k->retention_days;
	item.id = k->id;
	snprintf(detail, sizeof(detail), "source=%s", k->source != NULL ?
	    k->source : "-");
	ev.actor = "sanso";
	ev.event = k->event;
	ev.zone_from = k->zone;
	/* Into LGWAN, or out of it for outbound mail. */
	ev.zone_to = k->zone != NULL && strcmp(k->zone, "lgwan") == 0 ?
	    "internet" : "lgwan";
	ev.object_sha = r->in_sha256;
	ev.object_name = item.name;
	ev.verdict = verdict;
	ev.findings = codes.used > 2 ? (char *)codes.data + 1 : "";
	if (codes.used > 2)
		codes.data[codes.used - 1] = '\0';
	ev.detail = detail;
	item.also = &ev;
	if (store_quarantine(k->store, &item, in, in_len, "sanso", id, err,
	    sizeof(err)) < 0)
		goto fail;
	report_set_quarantine_id(r, id);
	buffer_free(&findings);
	buffer_free(&codes);
	return 0;
fail:
	report_add(r, "internal.error", FINDING_BLOCKED, "store", "%s", err);
	report_set_error(r, "evidence store failed: %s", err);
	buffer_free(&findings);
	buffer_free(&codes);
	return -1;
}

static void
file_job_keep(const struct file_job_config *cfg, struct report *r,
    const unsigned char *in, size_t in_len)
{
	struct job_keep_args k = { cfg->store, "file", "file.processed",
	    cfg->zone, cfg->source, NULL, NULL, cfg->retention_days };

	(void)job_keep(&k, r, in, in_len);
}

int
file_job_run(const struct file_job_config *cfg, struct arena *arena,
    const char *path, const char *name, struct file_job_result *res)
{
	struct worker_job job = { name, cfg->inspect, cfg->opts, cfg->limits,
	    NULL, false };
	unsigned char *in = NULL, *out = NULL;
	size_t in_len = 0, out_len = 0;
	struct report *r;
	char hex[65];
	int fd, out_fd = -1;

	memset(res, 0, sizeof(*res));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || (in = job_map_fd(fd, &in_len)) == NULL) {
		r = report_new(arena, name);
		if (r == NULL)
			return -1;
		report_add(r, "internal.error", FINDING_BLOCKED, NULL,
		    "cannot read %s: %s", path, strerror(errno));
		report_set_error(r, "cannot read input: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		res->report = r;
		return 0;
	}
	if (worker_run(cfg->worker, arena, &job, fd, &r, &out_fd) < 0) {
		job_unmap(in, in_len);
		close(fd);
		return -1;
	}
	/* The parent's own digest of what it handed over is the one that
	   counts, whatever the worker said. */
	hash_sha256_hex(in, in_len, hex);
	report_set_input(r, in_len, hex);
	if (cfg->clamd != NULL)
		(void)file_job_av(cfg, r, in, in_len, "input");
	if (out_fd >= 0 && !cfg->inspect && verdict_passes(report_verdict(r))) {
		out = job_map_fd(out_fd, &out_len);
		if (out == NULL) {
			report_set_error(r, "cannot map output: %s",
			    strerror(errno));
		} else {
			hash_sha256_hex(out, out_len, hex);
			report_set_output(r, out_len, hex);
			if (cfg->clamd != NULL)
				(void)file_job_av(cfg, r, out, out_len, "output");
		}
	}
	if (cfg->store != NULL && !cfg->inspect)
		file_job_keep(cfg, r, in, in_len);
	if (out != NULL && (cfg->inspect || !verdict_passes(report_verdict(r)))) {
		job_unmap(out, out_len);
		out = NULL;
	}
	if (out == NULL)
		report_clear_output(r);
	res->report = r;
	res->output = out;
	res->output_len = out_len;
	if (out_fd >= 0)
		close(out_fd);
	job_unmap(in, in_len);
	close(fd);
	return 0;
}

void
file_job_result_free(struct file_job_result *res)
{
	job_unmap(res->output, res->output_len);
	res->output = NULL;
}

int
file_write_atomic(const char *path, const void *data, size_t len)
{
	char tmp[4096], dir[4096];
	const unsigned char *p = data;
	int fd, dfd, saved;
	ssize_t n;

	if (snprintf(tmp, sizeof(tmp), "%s.sanso-tmp.%ld", path,
	    (long)getpid()) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	snprintf(dir, sizeof(dir), "%s", path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}
