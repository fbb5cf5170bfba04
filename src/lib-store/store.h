/*
 * store - the evidence store: quarantined originals, accounts, the
 * four-eyes release workflow and the audit log (audit.h), on SQLite in
 * WAL mode plus a content-addressed blob folder (blobstore.h).
 *
 * Durability order, for every item: the original is durable on disk
 * (blob_put) before its row is committed, and the row and its audit
 * record are committed in one transaction before any caller is told
 * "stored". A crash leaves at most an unreferenced blob, never a row
 * without its original. Every failure (full disk, I/O error, busy
 * database) is returned as -1 with a message so callers can tempfail.
 *
 * The interface is what a PostgreSQL backend would implement for
 * several gateway nodes; this file is the embedded SQLite one.
 */
#ifndef SANSO_STORE_H
#define SANSO_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct audit_event;

#define STORE_ID_LEN 32
#define STORE_ERR_SIZE 512

struct store;

enum store_role {
	STORE_ROLE_OPERATOR,	/* may request releases */
	STORE_ROLE_APPROVER,	/* may approve or reject others' requests */
	STORE_ROLE_AUDITOR,	/* reads logs and reports */
	STORE_ROLE_ADMIN,	/* manages accounts; may also approve */
};

/* A new quarantine item. Strings are copied; findings_json is the
   report's findings array (or the whole report) as JSON. */
struct store_new_item {
	const char *source;	/* "file", "mail", "portal" */
	const char *zone;	/* source zone, e.g. "internet" */
	const char *name;	/* file name or mail subject */
	const char *summary;	/* envelope / header summary; may be NULL */
	const char *type;
	const char *verdict;
	const char *findings_json;
	unsigned retention_days;	/* 0: kept until pruned by hand */
	/* An id reserved with store_new_id() before the job ran (a mail
	   names its id in its own notice), or NULL for a fresh one. */
	const char *id;
	/* One more audit record (e.g. "mail.processed") written in the
	   same transaction, so keeping an original costs one commit; may
	   be NULL. */
	const struct audit_event *also;
};

struct store_item {
	char id[STORE_ID_LEN + 1];
	int64_t time;		/* unix seconds */
	const char *source, *zone, *name, *summary, *type, *verdict;
	const char *findings_json, *state;
	uint64_t size;
	char sha256[65];
	int64_t expires;	/* 0 when none */
	const char *requested_by, *request_reason;
};

struct store_history {
	int64_t time;
	const char *actor, *state, *reason;
};

/* Open (creating when missing) the store in dir: DIR/sanso.db,
   DIR/blobs, DIR/audit.key (0400, made on first use). Returns NULL with
   a message in err. */
struct store *store_open(const char *dir, char *err, size_t err_size);
void store_close(struct store *st);
const char *store_dir(const struct store *st);

/* Reserve a fresh item id (q + UTC time + 64 random bits). */
void store_new_id(char id[STORE_ID_LEN + 1]);
/* Keep an original: blob first, then row + history + audit record in one
   transaction. actor is who processed it ("sanso" for the gateway).
   Fills id. Returns 0, or -1 with err (nothing acknowledged). */
int store_quarantine(struct store *st, const struct store_new_item *item,
    const void *data, size_t len, const char *actor,
    char id[STORE_ID_LEN + 1], char *err, size_t err_size);
/* Look up one item; strings come from arena. Returns 0, 1 when there is
   no such item, -1 on error. */
int store_item_get(struct store *st, const char *id, struct arena *arena,
    struct store_item *item, char *err, size_t err_size);

/* Iterate items, newest first (state NULL: all states). */
struct store_iter;
struct store_iter *store_items_init(struct store *st, const char *state);
/* 1 with *item filled (strings from arena), 0 at the end, -1 error. */
int store_items_next(struct store_iter *it, struct arena *arena,
    struct store_item *item);
struct store_iter *store_history_init(struct store *st, const char *id);
int store_history_next(struct store_iter *it, struct arena *arena,
    struct store_history *h);
void store_iter_deinit(struct store_iter **it);

/* Four-eyes release. Each returns 0, or -1 with err saying why it was
   refused (unknown or disabled account, wrong role, wrong state, the
   requester approving their own request, I/O). Every step, refused or
   not, is written to the audit log. */
int store_request_release(struct store *st, const char *id, const char *by,
    const char *reason, char *err, size_t err_size);
/* Approve: writes the original to out_path (atomically) and marks the
   item released. */
int store_approve(struct store *st, const char *id, const char *by,
    const char *out_path, char *err, size_t err_size);
int store_reject(struct store *st, const char *id, const char *by,
    const char *reason, char *err, size_t err_size);
/* Mark held items past their retention "expired" (originals are kept
   until `log prune`). Returns the count, or -1. */
int store_expire(struct store *st, int64_t now, char *err, size_t err_size);

/* Accounts. actor is who made the change (for the audit log). */
int store_user_add(struct store *st, const char *name, enum store_role role,
    const char *actor, char *err, size_t err_size);
int store_user_disable(struct store *st, const char *name, const char *actor,
    char *err, size_t err_size);
struct store_user {
	const char *name;
	enum store_role role;
	bool disabled;
	int64_t created;
};
struct store_iter *store_users_init(struct store *st);
int store_users_next(struct store_iter *it, struct arena *arena,
    struct store_user *u);
const char *store_role_name(enum store_role role);
/* "operator" -> STORE_ROLE_OPERATOR ...; -1 when unknown. */
int store_role_parse(const char *name, enum store_role *role_r);

#endif
