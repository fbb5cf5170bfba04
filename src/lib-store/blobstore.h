/*
 * blobstore - originals as content-addressed files (SHA-256) under a
 * folder: DIR/blobs/ab/abcdef....
 *
 * A blob becomes visible only complete: it is written to DIR/tmp,
 * fsync'd, renamed into place and both folders fsync'd before
 * blob_put() returns. A crash at any point leaves either no blob or the
 * whole blob, never a partial one under its name.
 */
#ifndef SANSO_BLOBSTORE_H
#define SANSO_BLOBSTORE_H

#include <stddef.h>

#include "buffer.h"

/* Create DIR/blobs and DIR/tmp if missing. Returns 0 or -1 (errno). */
int blob_init(const char *dir);
/* Store data durably; its SHA-256 hex goes to sha. Storing a blob that
   exists already is a no-op (the content is the same by definition).
   Returns 0, or -1 with errno (ENOSPC, EIO, ...) and nothing visible. */
int blob_put(const char *dir, const void *data, size_t len, char sha[65]);
/* Read a blob into out and check its digest. Returns 0, or -1 with
   errno (ENOENT; EBADMSG when the content no longer matches). */
int blob_get(const char *dir, const char *sha, struct buffer *out);
/* Path of a blob (it may not exist). Returns 0 or -1 (bad sha). */
int blob_path(const char *dir, const char *sha, char *path, size_t size);

#endif
