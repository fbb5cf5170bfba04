/*
 * mimepart - the decoded content of one GMime leaf part, copied into a
 * job's arena so it outlives the GMime objects. Shared by the inbound
 * walk (mailwalk) and the outbound rules (outbound).
 */
#ifndef SANSO_MIMEPART_H
#define SANSO_MIMEPART_H

#include <stddef.h>

#include <gmime/gmime.h>

#include "arena.h"

/* Transfer-decode part into *data_r (NUL-terminated, *len_r bytes
   before the NUL; "" when the part has no content). Returns 0, 1 when
   GMime could not decode the content (data_r is "" then), or -1 when
   the arena is exhausted. */
int mimepart_bytes(struct arena *arena, GMimePart *part,
    const unsigned char **data_r, size_t *len_r);

#endif
