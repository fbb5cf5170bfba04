/*
 * tnef - unpack TNEF (winmail.dat, application/ms-tnef).
 *
 * Outlook wraps the real attachments and the rich body of a message in
 * one TNEF attachment (MS-OXTNEF). sanso delivers no TNEF: the lead's
 * MIME walk calls tnef_unpack() and sends each file found inside
 * through the file engine, and the bodies through the textifier.
 *
 * Contract: tnef_unpack() reads in[0..len) (read only, never past len)
 * and fills *res. Names, the plain body and the decompressed RTF are in
 * the arena; file data and the HTML body point INTO in (no copy: a
 * winmail.dat may be as big as lim->file_size), so in must outlive res.
 * Malformed input sets res->malformed and keeps what was read safely
 * before the fault; limits (more than lim->mime_parts files, a stream
 * or RTF body over lim->file_size, embedded messages nested deeper than
 * lim->mime_depth) set res->limit_hit and drop the excess, which the
 * caller must report. Nothing is ever truncated silently.
 */
#ifndef SANSO_TNEF_H
#define SANSO_TNEF_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "sanso_limits.h"

struct tnef_file {
	/* PR_ATTACH_LONG_FILENAME, else attAttachTitle, PR_ATTACH_FILENAME,
	   PR_DISPLAY_NAME, attAttachTransportFilename; "" when none. UTF-8
	   when the source was Unicode, else raw bytes (the sender's code
	   page); NUL-terminated. */
	const char *name;
	/* attAttachData, else PR_ATTACH_DATA_BIN, else PR_ATTACH_DATA_OBJ
	   minus its 16-byte IID; len 0 when absent or truncated away. */
	const unsigned char *data;
	size_t len;
	struct tnef_file *next;
};

struct tnef_result {
	/* In stream order; the attachments of embedded messages follow
	   the attachment that embeds them (the message itself gives no
	   file). */
	struct tnef_file *files;
	unsigned count;
	/* PR_BODY (UTF-8 when Unicode, else raw bytes) or attBody; NULL
	   if absent. */
	const char *body_text;
	/* PR_RTF_COMPRESSED, decompressed; NULL unless present and valid. */
	const unsigned char *body_rtf;
	size_t body_rtf_len;
	/* PR_HTML as sent (charset per the message, usually UTF-8 or the
	   code page); NULL if absent. */
	const unsigned char *body_html;
	size_t body_html_len;
	bool malformed;	/* not TNEF, truncated, bad checksum, bad props */
	bool limit_hit;	/* something was dropped at a limit (see above) */
	/* The finding code of the first limit hit: "limit.mime_parts",
	   "limit.file_size" or "limit.mime_depth"; NULL when none. */
	const char *limit_code;
};

/* Unpack one TNEF stream into *res (zeroed first). Returns 0, or -1
   only when the arena is exhausted (res is then incomplete). */
int tnef_unpack(struct arena *a, const struct limits *lim,
    const unsigned char *in, size_t len, struct tnef_result *res);

/* Decompress one PR_RTF_COMPRESSED value (MS-OXRTFCP: "LZFu", or
   "MELA" stored uncompressed). Returns 0 and sets *out_r and *out_len_r
   (arena), 1 when the value is malformed (bad header, CRC or stream;
   *limit_r false) or its size passes lim->file_size (*limit_r true),
   or -1 when the arena is exhausted. */
int tnef_rtf_decompress(struct arena *a, const struct limits *lim,
    const unsigned char *in, size_t len, const unsigned char **out_r,
    size_t *out_len_r, bool *limit_r);

#endif
