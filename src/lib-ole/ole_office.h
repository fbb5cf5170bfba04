/*
 * ole_office - scanners for the main stream of each Office binary format:
 * the Word FIB and text (encryption, DDE fields), the BIFF workbook
 * (macro sheets, VB module sheets, FILEPASS, DDE links) and the
 * PowerPoint record stream (encryption, embedded VBA, OLE objects).
 *
 * A scanner only reads and records findings through an ole_sink; none of
 * these formats can be edited safely in place, so every finding here is
 * "blocked" or "held", never "removed".
 */
#ifndef SANSO_OLE_OFFICE_H
#define SANSO_OLE_OFFICE_H

#include <stdbool.h>
#include <stddef.h>

#include "cfb.h"
#include "report.h"

/* Where scanners record what they see. */
struct ole_sink {
	struct report *r;
	struct arena *arena;
	bool blocked, held;	/* set when a blocked / held finding is added */
	bool try_default_passwords;	/* read VelvetSweatshop workbooks */
};

/* Record a finding at location (may be NULL) and note its action. */
void ole_sink_add(struct ole_sink *s, const char *code,
    enum finding_action action, const char *location, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Scan the WordDocument stream (id) of cfb. Returns 0, or -1 when memory
   runs out. */
int ole_scan_word(struct ole_sink *s, const struct cfb *cfb, uint32_t id);
/* Scan a BIFF5/BIFF8 workbook stream (Workbook or Book). Same returns. */
int ole_scan_biff(struct ole_sink *s, const struct cfb *cfb, uint32_t id);
/* Scan the "PowerPoint Document" stream (id). Same returns. */
int ole_scan_ppt(struct ole_sink *s, const struct cfb *cfb, uint32_t id);

/* Append the bytes of stream id to a fresh buffer b (caller frees it).
   Returns 0 or -1 when memory runs out. */
int ole_stream_load(const struct cfb *cfb, uint32_t id, struct buffer *b);

#endif
