/*
 * yamlpos - YAML syntax check and "where is key X" for the policy file.
 *
 * libcyaml names the line and column of its schema errors but not of
 * libyaml's syntax errors, and it forgets positions once the data is
 * loaded; a policy finding such as "flows[2].to" is far more useful with
 * the line it comes from. One pass over libyaml's events (no recursion,
 * nesting and node count bounded) checks the syntax and records the
 * position of every node by its path.
 *
 * Paths are written as in policy findings: "mail.outbound.auto_forward",
 * "flows[2].to", "zones.lgwan.networks[0]" (sequence indexes from 0).
 * A mapping entry's position is its key's; a sequence item's is the
 * item's. Lines and columns count from 1.
 */
#ifndef SANSO_YAMLPOS_H
#define SANSO_YAMLPOS_H

#include <stddef.h>

#define YAMLPOS_DEPTH_MAX	64	/* nesting of mappings and sequences */
#define YAMLPOS_NODES_MAX	200000	/* nodes in one document */
#define YAMLPOS_PATH_MAX	256	/* longer paths are not recorded */

struct yamlpos;

/* Parse len bytes of YAML (the first document). Returns the index, or
   NULL with the position (0 when unknown) and the problem in err when
   the text is not YAML, nests too deep, has too many nodes, or memory
   runs out. */
struct yamlpos *yamlpos_parse(const void *data, size_t len,
    unsigned *line_r, unsigned *col_r, char *err, size_t err_size);
/* Position of path. Returns 1 when path itself is there, 0 when only an
   ancestor is (its position is given: where a missing key belongs), -1
   when no ancestor but the document root is. */
int yamlpos_find(const struct yamlpos *y, const char *path,
    unsigned *line_r, unsigned *col_r);
void yamlpos_free(struct yamlpos *y);

#endif
