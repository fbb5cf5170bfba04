/*
 * logreport - the periodic 点検・分析 of the audit log (seed 002
 * 6.1(6)③): counts by day, verdict, finding and zone, the top sources
 * of blocked content, failed sign-ins, day-over-day anomalies and the
 * chain status; as text, and as HTML with a chart.
 */
#ifndef SANSO_LOGREPORT_H
#define SANSO_LOGREPORT_H

#include <stdint.h>
#include <stdio.h>

#include "store.h"

/* Report on records with time in [since, until) (0 = open). Text goes
   to out; when html_path is set an HTML page is written there too.
   Returns 0, or -1 when the store cannot be read. */
int logreport_run(struct store *st, int64_t since, int64_t until,
    const char *html_path, FILE *out);

#endif
