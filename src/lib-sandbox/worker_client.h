/*
 * worker_client - the parent's side of the sandboxed worker.
 *
 * The parent never parses hostile bytes: it hands the input descriptor
 * to a worker process (src/worker) and gets back a report and an output
 * memfd. A worker that crashes, is killed, answers garbage or overruns
 * its wall-clock time is killed and replaced, and the job's verdict is
 * "error" with finding internal.worker: the caller fails closed.
 */
#ifndef SANSO_WORKER_CLIENT_H
#define SANSO_WORKER_CLIENT_H

#include <stdbool.h>

#include "arena.h"
#include "cdr.h"
#include "mail_options.h"
#include "report.h"

struct worker;

struct worker_job {
	const char *name;		/* shown in the report; may be NULL */
	bool inspect;
	const struct cdr_options *opts;
	const struct limits *limits;	/* job_seconds is the wall clock */
	/* Set for a mail job (the input is a whole message, the output a
	   whole sanitized message); NULL for a file job. */
	const struct mail_options *mail;
	/* With mail: check it against the outbound rules instead. */
	bool outbound;
};

/* A handle for workers started from the program at path. The process
   itself starts on the first job. Returns NULL on out-of-memory. */
struct worker *worker_new(const char *path);
/* Stop the worker process (if any) and free the handle. NULL is ok. */
void worker_free(struct worker *w);
/* Run one job on in_fd (a readable regular file, or memfd). Always
   returns a report in *report_r (allocated from arena): the worker's,
   or an "error" report with internal.worker when the worker failed.
   *out_fd_r is a descriptor holding the output (caller closes it), or
   -1 when there is none. Returns 0, or -1 when not even an error
   report could be made (arena exhausted). */
int worker_run(struct worker *w, struct arena *arena,
    const struct worker_job *job, int in_fd, struct report **report_r,
    int *out_fd_r);
/* Jobs a worker process serves before it is replaced by a fresh one. */
#define WORKER_JOBS_PER_PROCESS 256

#endif
