/*
 * log - five fixed levels, one line each, every line with the job id.
 *
 * panic: a broken invariant (aborts); fatal: the environment is unusable
 * (exits 75, the "try again later" code); error, warn and info (what a
 * daemon did, for its operators) return.
 * Lines go to stderr as "sanso[pid]: level: job=ID: message".
 */
#ifndef SANSO_LOG_H
#define SANSO_LOG_H

/* Set the program name and the current job id ("-" when none). The
   strings are copied. */
void log_init(const char *progname);
void log_set_job(const char *job_id);
/* Suppress warn (used by quiet batch runs); error and above still show. */
void log_set_quiet(int quiet);

void log_panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void log_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Suppressed by log_set_quiet() like warn. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
