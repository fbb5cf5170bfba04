/*
 * engine - the file 無害化 engine: detect the type of an object by its
 * content, dispatch it to its format module, recurse into archives.
 *
 * This is the whole of libsanso's file job; it runs only inside the
 * sandboxed worker. It never exits and never decides policy beyond what
 * the formats report.
 */
#ifndef SANSO_ENGINE_H
#define SANSO_ENGINE_H

#include "cdr.h"

/* Inspect or sanitize one object named name (may be NULL) of len bytes,
   filling r (type, findings, and for archive members the input and
   output digests) and, in sanitize mode when the verdict is clean or
   sanitized, out with the rebuilt bytes. The top-level digests are the
   caller's to compute (the parent does, from the bytes it holds: it
   trusts no digest from the worker, and hashing twice would only cost
   time). Returns 0 when r holds a verdict (any verdict), -1 on
   internal failure (r's error is set then too). */
int engine_run(struct cdr_ctx *ctx, struct report *r, const char *name,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
