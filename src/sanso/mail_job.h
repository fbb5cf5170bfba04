/*
 * mail_job - one inbound message through the gateway, on the parent's
 * side: size check, malware scan of the raw message, a quarantine id
 * reserved, the sandboxed worker's mail job, the original kept in the
 * store BEFORE any output is released. Shared by `sanso mail sanitize`
 * and sansod, so both fail the same way:
 *   deliver   - output holds the sanitized message (maybe a held notice)
 *   reject    - over mail.max_size, or an outbound rule (SMTP 5xx / 65)
 *   hold      - outbound only: the original waits in the store
 *   tempfail  - the worker, the scanner (when required) or the store
 *               failed: nothing is released, the MTA keeps the mail.
 * The parent only streams bytes; it never parses the message.
 */
#ifndef SANSO_MAIL_JOB_H
#define SANSO_MAIL_JOB_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "cdr.h"
#include "mail_options.h"
#include "store.h"
#include "worker_client.h"

enum mail_job_status {
	MAIL_JOB_DELIVER,
	MAIL_JOB_REJECT,
	MAIL_JOB_TEMPFAIL,
	MAIL_JOB_HOLD,		/* outbound: kept for release, not sent */
};

struct mail_job_config {
	struct worker *worker;
	const struct cdr_options *opts;
	const struct limits *limits;
	const struct mail_options *mail;	/* template; qid filled per job */
	/* Outbound check (LGWAN -> internet) instead of inbound 無害化:
	   blocked means reject, held means hold, else deliver the
	   (possibly rewritten) message. */
	bool outbound;
	uint64_t max_size;		/* mail.max_size, 0: none */
	const char *clamd;
	bool av_required;
	struct store *store;		/* NULL: originals not kept */
	/* Held around store writes when several jobs share the store's
	   one connection (sansod); NULL for one job at a time. */
	pthread_mutex_t *store_lock;
	const char *zone;		/* source zone */
	unsigned retention_days;
};

struct mail_job_result {
	enum mail_job_status status;
	struct report *report;		/* from the arena; may be NULL */
	unsigned char *output;		/* DELIVER only */
	size_t output_len;
	char why[256];			/* REJECT / TEMPFAIL reason */
};

/* Run the message in in_fd (a regular file or memfd). summary names the
   envelope for the store ("from=<..> to=<..>", may be NULL). Returns 0
   with res filled, -1 only when no result could be made at all (treat
   as tempfail). */
int mail_job_run(const struct mail_job_config *cfg, struct arena *arena,
    int in_fd, const char *summary, struct mail_job_result *res);
void mail_job_result_free(struct mail_job_result *res);

#endif
