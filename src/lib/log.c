/*
 * log - leveled, job-tagged lines on stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define LOG_EXIT_TEMPFAIL 75

static char log_prog[32] = "sanso";
static char log_job[80] = "-";
static int log_quiet;

void
log_init(const char *progname)
{
	snprintf(log_prog, sizeof(log_prog), "%s", progname);
}

void
log_set_job(const char *job_id)
{
	snprintf(log_job, sizeof(log_job), "%s", job_id ? job_id : "-");
}

void
log_set_quiet(int quiet)
{
	log_quiet = quiet;
}

static void log_line(const char *level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void
log_line(const char *level, const char *fmt, va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* One fprintf per line so concurrent workers do not interleave. */
	fprintf(stderr, "%s[%ld]: %s: job=%s: %s\n", log_prog, (long)getpid(),
	    level, log_job, msg);
}

void
log_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("panic", fmt, ap);
	va_end(ap);
	abort();
}

void
log_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("fatal", fmt, ap);
	va_end(ap);
	exit(LOG_EXIT_TEMPFAIL);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("error", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	if (log_quiet)
		return;
	va_start(ap, fmt);
	log_line("warn", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_quiet)
		return;
	va_start(ap, fmt);
	log_line("info", fmt, ap);
	va_end(ap);
}
