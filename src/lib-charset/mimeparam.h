/*
 * mimeparam - Content-Type / Content-Disposition values and their
 * parameters (RFC 2045, RFC 2231, and the RFC 2047 words Outlook and
 * Thunderbird put in quoted filenames), parsed from the RAW header value.
 *
 * Parsing the raw value ourselves lets the caller see what GMime hides:
 * a parameter given twice, name= beside name*= with another value,
 * missing continuation segments. Every parameter is kept, in order;
 * flags say what was wrong. Nothing here decides policy.
 *
 * Limits: values longer than LIMIT_HEADER_BYTES_DEFAULT are parsed up to
 * it, more than MIMEPARAM_MAX_PARAMS parameters (continuation segments
 * counted) or a section number above MIMEPARAM_MAX_SECTION are not
 * parsed; each of these sets MIMEPARAM_MALFORMED.
 */
#ifndef SANSO_MIMEPARAM_H
#define SANSO_MIMEPARAM_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

#define MIMEPARAM_MAX_PARAMS	1000
#define MIMEPARAM_MAX_SECTION	999

struct mime_param {
	const char *name;	/* lower-case, without *N* */
	const char *value;	/* UTF-8 decoded */
	bool rfc2231;		/* from name*= or name*N= */
	bool encoded_word;	/* held RFC 2047 words (decoded) */
	struct mime_param *next;
};

enum {
	MIMEPARAM_DUPLICATE = 1,	/* a name given twice (name and name* too) */
	MIMEPARAM_MALFORMED = 2,	/* syntax repaired or over a limit */
	MIMEPARAM_CONFLICT = 4		/* name and name* disagree */
};

struct mime_value {
	const char *token;	/* lower-cased first token, e.g.
				   "multipart/mixed", "attachment"; "" if none */
	struct mime_param *params; /* every parameter in order, duplicates
				   included */
	unsigned flags;
};

/*
 * Parse raw[0..len) (the field body, folded or not) into *v, all of it
 * allocated in a. Values are UTF-8 with control characters turned into
 * spaces, except "boundary", kept byte for byte (only unquoted) since
 * it must match the body. Returns 0, or -1 when the arena is exhausted
 * (or memory runs out).
 */
int mimeparam_parse(struct arena *a, const char *raw, size_t len,
    struct mime_value *v);

/* Value of the first parameter called name (any case), or NULL. */
const char *mimeparam_first(const struct mime_value *v, const char *name);

/* How many parameters are called name (any case). */
unsigned mimeparam_count(const struct mime_value *v, const char *name);

#endif
