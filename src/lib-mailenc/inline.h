/*
 * inline - find and decode files embedded in the text of a mail part.
 *
 * Mail clients do not stop at MIME: Outlook Express, Thunderbird, some
 * webmails and every newsreader pull uuencode, yEnc and BinHex blocks
 * out of a text/plain body and show them as attachments. sanso's output
 * is text only, so each such block must be cut from the text and handed
 * to the file engine like any attachment. Detection is deliberately
 * wide (anything one of those clients might decode is cut); decoding is
 * strict (every irregularity marks the block damaged, it is still cut).
 *
 * Contract: inline_find() scans len bytes of text (any charset; lines
 * end with LF, CRLF or a lone CR) and returns the blocks in text order,
 * never overlapping. Everything it returns lives in the arena; text is
 * only read and need not be NUL-terminated. Limits: at most
 * lim->mime_parts blocks (then scanning stops and res->limit_parts and
 * res->rest tell the caller which tail was not scanned), and at most
 * lim->file_size decoded bytes in total (a block that does not fit is
 * still reported and cut, with too_big set and no data).
 */
#ifndef SANSO_INLINE_H
#define SANSO_INLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "sanso_limits.h"

enum inline_kind {
	INLINE_UUENCODE,	/* "begin 644 name" .. "end"; begin-base64 */
	INLINE_YENC,		/* "=ybegin" [ "=ypart" ] .. "=yend" */
	INLINE_BINHEX		/* "(This file must be converted with BinHex" */
};

struct inline_block {
	enum inline_kind kind;
	/* Byte range to cut: from the start of the begin line to just past
	   the last character of the end line (its line break is left in
	   the text). A block with no end line runs to the last line of the
	   text. */
	size_t start, end;
	/* File name from the header line, raw bytes NUL-terminated (a NUL
	   byte inside the name ends it); "" when there is none. */
	const char *name;
	/* Decoded content (BinHex: the data fork). NULL with len 0 when
	   too_big, or when nothing could be decoded. */
	const unsigned char *data;
	size_t len;
	/* BinHex only: length the header gives the resource fork, which is
	   decoded for its CRC and then dropped (Windows clients ignore it;
	   it is not returned). */
	size_t rsrc_len;
	/* Bad characters or lines, size or CRC mismatch, unterminated, or
	   a yEnc part that is not the whole file. The range is cut anyway. */
	bool damaged;
	/* Decoding it would pass lim->file_size for the whole text. */
	bool too_big;
	struct inline_block *next;
};

struct inline_result {
	struct inline_block *blocks;	/* in text order; NULL if none */
	unsigned count;
	/* More than lim->mime_parts blocks: scanning stopped at the start
	   of the first block not returned, text[rest..len). That tail was
	   not searched: the caller must not pass it on as text (cut it,
	   and report limit.mime_parts). rest is len when !limit_parts. */
	bool limit_parts;
	size_t rest;
	/* Some block has too_big set (report limit.file_size). */
	bool limit_size;
};

/* Find the embedded blocks of text[0..len) and fill *res. Returns 0
   (limits are reported in res, not by the return value), or -1 only
   when the arena is exhausted (res is then incomplete: fail closed). */
int inline_find(struct arena *a, const struct limits *lim, const char *text,
    size_t len, struct inline_result *res);

/* "uuencode", "yenc" or "binhex", for reports. */
const char *inline_kind_name(enum inline_kind kind);

#endif
