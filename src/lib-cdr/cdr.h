/*
 * cdr - the contract every format module (PDF, OOXML, OLE2, RTF, images,
 * markup, text, archives) implements, and the job context it receives.
 *
 * A format module gets the bytes of one object whose type was already
 * detected, and either inspects them (verify mode: findings only) or
 * rebuilds them without their dangerous parts (findings + output).
 *
 * Contract of a cdr_format_fn:
 *  - Returns 0 when the object was processed. Every dangerous element
 *    seen was recorded in r with report_add(): action "removed" when the
 *    rebuilt output no longer has it (in inspect mode, the action it
 *    would get), "blocked" or "held" when the object may not pass at
 *    all, "reported" when it stays and is only noted.
 *  - In sanitize mode (!ctx->inspect), when r has no blocked or held
 *    finding, out holds the complete rebuilt object. Parts that need no
 *    change are copied as they are.
 *  - Malformed input is not an internal failure: it is a "<fmt>.malformed"
 *    finding with action blocked, and the function returns 0.
 *  - Going over a limit in ctx->limits is a "limit.*" finding with action
 *    blocked; nothing is ever truncated silently.
 *  - Returns -1 only on internal failure (memory, output over
 *    limits->output_size), after report_set_error().
 *  - Never exits, never prints, never touches files or the network.
 */
#ifndef SANSO_CDR_H
#define SANSO_CDR_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buffer.h"
#include "filetype.h"
#include "sanso_limits.h"
#include "report.h"

/* What to do with links (PDF URI actions, OOXML hyperlinks, HTML hrefs). */
enum link_policy {
	LINKS_KEEP,	/* keep them; finding action "reported" */
	LINKS_DEFANG,	/* files: same as remove; mail text: hxxps://a[.]b */
	LINKS_REMOVE,	/* take them out; finding action "removed" */
};

struct cdr_options {
	enum link_policy links;
	/* Try the well-known default passwords (Excel's VelvetSweatshop)
	   on encrypted Office and PDF files before holding them. */
	bool try_default_passwords;
};

struct cdr_ctx;

/* Process one archive member: detect, dispatch, fill child and out.
   Provided by the engine so archive code can recurse without knowing
   every format. Same return contract as cdr_format_fn. */
typedef int cdr_recurse_fn(struct cdr_ctx *ctx, struct report *child,
    const char *name, const unsigned char *in, size_t len,
    struct buffer *out);

struct cdr_ctx {
	struct arena *arena;		/* the job's arena */
	const struct limits *limits;
	const struct cdr_options *opts;
	bool inspect;			/* verify mode: no output */
	unsigned depth;			/* archive nesting, 0 = top level */
	cdr_recurse_fn *recurse;	/* set by the engine */
};

typedef int cdr_format_fn(struct cdr_ctx *ctx, struct report *r,
    enum file_type type, const unsigned char *in, size_t len,
    struct buffer *out);

/* Fill opts with the defaults (links kept and reported, default
   passwords tried). */
void cdr_options_init(struct cdr_options *opts);

#endif
