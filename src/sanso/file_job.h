/*
 * file_job - one file through the gateway: the sandboxed worker's
 * verdict, the malware scan of input and output, and the parent's own
 * digests. The parent only streams bytes here; it never parses them.
 */
#ifndef SANSO_FILE_JOB_H
#define SANSO_FILE_JOB_H

#include <stdbool.h>

#include "cdr.h"
#include "store.h"
#include "worker_client.h"

struct file_job_config {
	struct worker *worker;
	const struct cdr_options *opts;
	const struct limits *limits;
	const char *clamd;	/* clamd address, or NULL for no scan */
	bool av_required;	/* clamd down => verdict error */
	bool inspect;
	/* Evidence: when set, every original is kept in the store and an
	   audit record written before any output is released. */
	struct store *store;
	const char *zone;	/* source zone of the files ("internet") */
	const char *source;	/* where they came from, for reports */
	unsigned retention_days;
};

struct file_job_result {
	struct report *report;	/* from the job's arena */
	unsigned char *output;	/* mmap'd output, or NULL */
	size_t output_len;
};

/* Run path (shown as name) through the gateway. Always fills res->report
   unless the arena is exhausted (-1). res->output is set only when the
   verdict is clean or sanitized and not inspecting; release it with
   file_job_result_free(). Returns 0, or -1 (no report at all). */
int file_job_run(const struct file_job_config *cfg, struct arena *arena,
    const char *path, const char *name, struct file_job_result *res);
void file_job_result_free(struct file_job_result *res);

/* Keeping an original in the evidence store (files and mail alike). */
struct job_keep_args {
	struct store *store;
	const char *kind;	/* "file", "mail" */
	const char *event;	/* audit event, "file.processed" */
	const char *zone;	/* source zone */
	const char *source;	/* where it came from (summary) */
	const char *name;	/* item name, NULL: the report's */
	const char *id;		/* id reserved with store_new_id(), or NULL */
	unsigned retention_days;
};

/* Store in_len bytes with r's verdict and findings, audit it, and set
   r's quarantine id. On failure r gets internal.error and an error
   (verdict error) and -1 is returned: the caller must not release any
   output. */
int job_keep(const struct job_keep_args *k, struct report *r,
    const unsigned char *in, size_t in_len);

/* Map a descriptor read-only (an empty file maps to a static ""), and
   undo it. */
unsigned char *job_map_fd(int fd, size_t *len_r);
void job_unmap(unsigned char *p, size_t len);

/* Write len bytes to path atomically (temp file, fsync, rename, fsync
   of the folder). Returns 0 or -1 with errno set. */
int file_write_atomic(const char *path, const void *data, size_t len);

#endif
