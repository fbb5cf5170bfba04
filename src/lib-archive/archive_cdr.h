/*
 * archive_cdr - archives read with libarchive, members sanitized
 * recursively, rebuilt as zip.
 *
 * Implements the cdr_format_fn contract of cdr.h for FT_ZIP, FT_GZIP,
 * FT_TAR, FT_7Z and FT_RAR. Each member is handed to ctx->recurse (with
 * ctx->depth one higher during the call); the members that pass are
 * written, under their cleaned names, into a new zip (a zip stays .zip;
 * tar, tar.gz, 7z and rar become .zip with report_set_new_ext). A .gz
 * of one file is rebuilt as a .gz of the sanitized file.
 *
 * Findings on r (the archive's own node):
 *  - archive.path_traversal / absolute_path / symlink / duplicate_name /
 *    unsafe_name, action removed: the member (or, for unsafe_name, its
 *    old name) is left out.
 *  - archive.member_dropped removed: a member whose own verdict was
 *    blocked, held or error, or a device/fifo entry. For a single .gz
 *    the one member is the whole file, so its verdict (blocked or held)
 *    becomes the archive's.
 *  - archive.encrypted held: any encrypted member or header.
 *  - archive.malformed blocked: unreadable, or a zip whose central
 *    directory and local headers disagree (names or overlapping data).
 *  - limit.* blocked: archive_depth, archive_entries, archive_total,
 *    archive_ratio (checked as bytes are inflated, and from declared
 *    sizes before inflating), file_size per member; and any limit.*
 *    that stopped a nested member, so a bomb inside a member stops the
 *    whole archive instead of being dropped and retried sibling after
 *    sibling.
 * Returns 0, or -1 on internal failure (memory, output over
 * limits->output_size) after report_set_error().
 */
#ifndef SANSO_ARCHIVE_CDR_H
#define SANSO_ARCHIVE_CDR_H

#include "cdr.h"

int archive_cdr(struct cdr_ctx *ctx, struct report *r, enum file_type type,
    const unsigned char *in, size_t len, struct buffer *out);

#endif
