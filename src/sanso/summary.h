/*
 * summary - counts of a batch (verdicts, finding codes), its progress
 * bar on a terminal and its closing table.
 */
#ifndef SANSO_SUMMARY_H
#define SANSO_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "buffer.h"
#include "report.h"

struct summary;

/* A new, empty summary; exits (fatal) when memory runs out. */
struct summary *summary_new(void);
void summary_free(struct summary *s);
/* Count one file's report (its own verdict, its findings and those of
   its members). */
void summary_add(struct summary *s, const struct report *r);
/* Draw the progress bar on stderr when it is a terminal and !quiet;
   done == total clears it. name may be NULL. */
void summary_progress(struct summary *s, size_t done, size_t total,
    const char *name, bool quiet);
/* The closing table: verdict counts, then finding codes by count. */
void summary_print(const struct summary *s, FILE *fp);
/* {"files": N, "verdicts": {...}, "findings": {...}} */
int summary_write_json(const struct summary *s, struct buffer *out);

#endif
