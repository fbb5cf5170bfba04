/*
 * mail_job - see mail_job.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clamd.h"
#include "file_job.h"
#include "hash.h"
#include "mail_job.h"

#define MAIL_JOB_AV_TIMEOUT_MS 60000

static int
mail_job_fail(struct mail_job_result *res, enum mail_job_status st,
    const char *what, const char *detail)
{
	res->status = st;
	snprintf(res->why, sizeof(res->why), "%s%s%.200s", what,
	    detail != NULL ? ": " : "", detail != NULL ? detail : "");
	return 0;
}

/* The raw message through clamd. Returns 0 (mo updated on a hit), or -1
   when the scan is required and did not happen. */
static int
mail_job_av(const struct mail_job_config *cfg, const unsigned char *in,
    size_t len, struct mail_options *mo, struct mail_job_result *res)
{
	char sig[256];

	switch (clamd_scan(cfg->clamd, in, len, MAIL_JOB_AV_TIMEOUT_MS, sig,
	    sizeof(sig))) {
	case CLAMD_CLEAN:
		return 0;
	case CLAMD_FOUND:
		mo->flags |= MAIL_FLAG_AV_HIT;
		snprintf(mo->av_name, sizeof(mo->av_name), "%.95s", sig);
		return 0;
	case CLAMD_UNAVAILABLE:
		break;
	}
	if (!cfg->av_required)
		return 0;
	mail_job_fail(res, MAIL_JOB_TEMPFAIL,
	    "malware scan required but unavailable", sig);
	return -1;
}

int
mail_job_run(const struct mail_job_config *cfg, struct arena *arena,
    int in_fd, const char *summary, struct mail_job_result *res)
{
	struct worker_job job = { "message", false, cfg->opts, cfg->limits,
	    NULL, false };
	struct job_keep_args keep = { cfg->store, "mail", "mail.processed",
	    cfg->zone, summary, NULL, NULL, cfg->retention_days };
	struct mail_options mo = *cfg->mail;
	unsigned char *in;
	size_t in_len = 0, out_len = 0;
	enum verdict v;
	char hex[65];
	int out_fd = -1, ret;

	memset(res, 0, sizeof(*res));
	in = job_map_fd(in_fd, &in_len);
	if (in == NULL)
		return mail_job_fail(res, MAIL_JOB_TEMPFAIL,
		    "cannot read the message", strerror(errno));
	if (!cfg->outbound && cfg->max_size > 0 && in_len > cfg->max_size) {
		job_unmap(in, in_len);
		return mail_job_fail(res, MAIL_JOB_REJECT,
		    "message larger than mail.max_size", NULL);
	}
	if (cfg->clamd != NULL && mail_job_av(cfg, in, in_len, &mo, res) < 0) {
		job_unmap(in, in_len);
		return 0;
	}
	if (cfg->store != NULL) {
		store_new_id(mo.qid);
		keep.id = mo.qid;
	}
	job.mail = &mo;
	job.outbound = cfg->outbound;
	if (worker_run(cfg->worker, arena, &job, in_fd, &res->report,
	    &out_fd) < 0) {
		job_unmap(in, in_len);
		return -1;
	}
	hash_sha256_hex(in, in_len, hex);
	report_set_input(res->report, in_len, hex);
	v = report_verdict(res->report);
	if (v == VERDICT_ERROR || out_fd < 0) {
		mail_job_fail(res, MAIL_JOB_TEMPFAIL, "the worker failed",
		    res->report->error);
		goto out;
	}
	/* Nothing lost: the original is durable before any output leaves. */
	if (cfg->store_lock != NULL)
		pthread_mutex_lock(cfg->store_lock);
	ret = cfg->store != NULL ? job_keep(&keep, res->report, in, in_len) : 0;
	if (cfg->store_lock != NULL)
		pthread_mutex_unlock(cfg->store_lock);
	if (ret < 0) {
		mail_job_fail(res, MAIL_JOB_TEMPFAIL, "the store failed",
		    res->report->error);
		goto out;
	}
	if (cfg->outbound && (v == VERDICT_BLOCKED || v == VERDICT_HELD)) {
		mail_job_fail(res, v == VERDICT_BLOCKED ? MAIL_JOB_REJECT :
		    MAIL_JOB_HOLD, "outbound rule", NULL);
		goto out;
	}
	res->output = job_map_fd(out_fd, &out_len);
	if (res->output == NULL || out_len == 0) {
		mail_job_fail(res, MAIL_JOB_TEMPFAIL, "cannot map output",
		    strerror(errno));
		res->output = NULL;
		goto out;
	}
	res->output_len = out_len;
	hash_sha256_hex(res->output, out_len, hex);
	report_set_output(res->report, out_len, hex);
	res->status = MAIL_JOB_DELIVER;
out:
	if (out_fd >= 0)
		close(out_fd);
	job_unmap(in, in_len);
	return 0;
}

void
mail_job_result_free(struct mail_job_result *res)
{
	if (res->output != NULL)
		job_unmap(res->output, res->output_len);
	res->output = NULL;
}
