/*
 * audit - the append-only, tamper-evident audit log (seed 002 6.1(4)②,
 * 6.1(6)①-③, 6.5(3), 7.4).
 *
 * Each record carries time, actor, event, zones, object hash and name,
 * verdict, findings and detail, and a MAC: HMAC-SHA256 (libsodium) under
 * a root-only key of the previous record's MAC and this record's fields.
 * Changing, deleting, inserting or reordering records breaks the chain
 * at the first touched record. Cutting the tail is caught by the anchor:
 * the chain head (seq and MAC) is also written to DIR/audit.anchor and
 * to syslog after every append. Pruning old records leaves a signed
 * checkpoint (the MAC the first kept record chains from), so a pruned
 * log still verifies.
 */
#ifndef SANSO_AUDIT_H
#define SANSO_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "store.h"

struct audit_event {
	const char *actor;	/* account or program */
	const char *event;	/* "file.processed", "release.approved", ... */
	const char *zone_from, *zone_to;
	const char *object_sha, *object_name;
	const char *verdict;
	const char *findings;	/* space-separated codes */
	const char *detail;
};

struct audit_record {
	int64_t seq, time;
	struct audit_event ev;
	char mac[65];
};

/* Append one record. Inside store operations it joins their
   transaction. Returns 0, or -1 with err. */
int audit_append(struct store *st, const struct audit_event *ev, char *err,
    size_t err_size);

struct audit_verify {
	bool ok;
	uint64_t records;	/* records checked */
	int64_t first_bad;	/* seq of the first bad record, or -1 */
	int64_t checkpoint_seq;	/* records up to here were pruned */
	int64_t head_seq;	/* last seq in the log */
	int64_t anchor_seq;	/* what the anchor says, -1 when none */
	char reason[256];
};

/* Check the whole chain, the checkpoint signature and the anchor.
   Returns 0 when it could run (res->ok says the verdict), -1 on error. */
int audit_verify(struct store *st, struct audit_verify *res);

/* Iterate records in order, time in [since, until) (0 = open). */
struct store_iter *audit_records_init(struct store *st, int64_t since,
    int64_t until);
int audit_records_next(struct store_iter *it, struct arena *arena,
    struct audit_record *rec);

/* Drop records older than before behind a signed checkpoint. Returns 0
   with *count_r, or -1. The prune itself is audited. */
int audit_prune(struct store *st, int64_t before, uint64_t *count_r,
    char *err, size_t err_size);

#endif
